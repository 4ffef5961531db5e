#pragma once
// The BIM model-tree panel (issue 5): per placed model, site -> building -> storey -> element types (with counts)
// -> elements; storey and type visibility, isolate a storey, explode the storeys, colour the elements by an
// attribute. Render thread (inside the ImGui frame); every change is pushed as a command for the update thread.

#include <string>
#include <vector>

#include "greentwin/viewer/i18n.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {


// Draws nothing while no "bim" layer is open.
void drawBimPanel(runtime::Twin& twin, UiState& state, CommandQueue& commands);

// The colourings' names in both languages (for the UI glyph set; the labels are i18n's Text table).
std::vector<std::string> bimPanelStrings();

// The colourings the panel offers: index 0 is "model colours" (the style's single mode).
struct BimColoring {
  const char* en;
  const char* zh;
  LayerStyleConfig style;
};
const std::vector<BimColoring>& bimColorings();

}  // namespace gt::viewer
