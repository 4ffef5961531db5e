#pragma once
// Selecting inside a polygon and the selection's summary (issue 16 parts 3 and 6; docs/workbench.md "Selecting inside
// a polygon"): with a measured area drawn (Measure > Area), "Select in" picks a layer and takes the features the
// polygon takes in (Twin::featuresInPolygon: those a filter shows); the Selection window lists how many, the sum,
// mean, minimum and maximum of each numeric attribute and the most frequent values of the text ones
// (core/selection.hpp), and writes the selection as GeoJSON or a GeoPackage with its attributes, or the summary as
// CSV. Render thread, inside the ImGui frame (the twin is read as the other panels read it, between updates).

#include <string>
#include <vector>

#include "greentwin/core/selection.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// Under the measure window's Area readout (three or more corners): the layer choice and "Select in".
void drawSelectionControls(const runtime::Twin& twin, UiState& state);
// The Selection window, while a selection is held.
void drawSelectionPanel(const runtime::Twin& twin, UiState& state);

// What "Select in" does: the features of `layerId` inside the measured area, held with their summary. Errors: the
// twin's (no such layer, fewer than 3 corners...).
Status selectInsideMeasuredArea(const runtime::Twin& twin, UiState& state, const std::string& layerId);
// The selection held now (nullptr: none).
struct HeldSelection {
  std::string layerId;
  std::vector<EntityIndex> entities;
  SelectionSummary summary;
};
const HeldSelection* heldSelection(const UiState& state);
// Writes the held selection to `path`: .geojson/.json/.gpkg the features (Twin::exportFeatures), .csv the summary.
// Creates the folder. Errors name the path.
Status exportHeldSelection(const runtime::Twin& twin, const UiState& state, const std::string& path, bool overwrite);

// Every Chinese word the panel draws, for the font atlas.
std::vector<std::string> selectionPanelStrings();

}  // namespace gt::viewer
