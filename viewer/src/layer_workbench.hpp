#pragma once
// The layer panel's workbench tools (issue 16 parts 3-4; docs/workbench.md "Filtering a layer" and "Colour by
// attribute"): under an open layer's details, a filter field (the twin's LayerFilters: only the features the
// condition is true for are drawn and picked) and a "colour by attribute" form (categories, or graduated classes
// by equal intervals, quantiles or natural breaks, with a colour ramp; the layer is restyled and its legend
// follows). Render thread, inside the ImGui frame; the changes themselves run as commands on the update thread.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/attribute_classes.hpp"
#include "greentwin/runtime/layer_filters.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::layers {
class Layer;
}
namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// The filter field and the colour-by form of one layer (inside its details in the layer panel).
void drawLayerWorkbench(runtime::Twin& twin, const layers::Layer& layer, UiState& state, CommandQueue& commands);

// What the filter line under the field says for a layer now (its count, or the last mistake), in the interface
// language; empty when no filter was set. Pure: tests read it.
std::string layerFilterStatus(const runtime::Twin& twin, const UiState& state, const std::string& layerId);

// Sets a layer's filter as the field's Enter does (now, on the calling thread: the update thread), keeping the
// outcome for the status line, and returns it. Tests and headless renders call it.
runtime::LayerFilterOutcome applyLayerFilter(runtime::Twin& twin, UiState& state, const std::string& layerId, const std::string& text);

// The colour-by request last applied from a layer's form (a project keeps it), or nullopt.
std::optional<ClassificationRequest> appliedColourBy(const UiState& state, const std::string& layerId);
// Puts a request (a project's) in a layer's form as if it had been applied from there; the layer's style is the
// project's own and is not classified again.
void restoreColourByForm(UiState& state, const std::string& layerId, const ClassificationRequest& request);

// Every Chinese word the tools draw, for the font atlas.
std::vector<std::string> layerWorkbenchStrings();
// The attributes with a time series on the layer's features, by name: what its feeds send (the first 64 features'
// series are enough to list them). Update thread.
std::vector<std::string> liveAttributeNames(const runtime::Twin& twin, const layers::Layer& layer);

}  // namespace gt::viewer
