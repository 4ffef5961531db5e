#pragma once
// The indicators dashboard's area (issue 13 deliverable 5; docs/indicators.md "Any area, any time"): which area the
// dashboard shows — the district, the selected polygon feature, or a polygon drawn on the map — the drawing mode
// (map clicks add points: app.cpp's pick handler calls addIndicatorAreaPoint), the area's outline drawn over the
// map, the rows for the area computed once a second, and an indicator's evidence shown on the map.
// Render/update thread (the viewer runs single-threaded), inside the ImGui frame unless said otherwise.

#include <chrono>
#include <string>
#include <vector>

#include "greentwin/runtime/indicator_area.hpp"
#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/viewer/ui.hpp"

namespace osg {
class Camera;
}

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// The rows of the area the dashboard shows now: the board's own for the district; for another area computed with
// Twin::indicatorRows at most once a second (and at once when the area changed). `cache` lives in the panel.
struct IndicatorAreaRows {
  std::string areaId;
  runtime::IndicatorArea area;
  std::vector<runtime::IndicatorRow> rows;
  std::chrono::steady_clock::time_point computed{};
  std::string error;  // the area could not be resolved: the dashboard shows the district's rows and this
  bool unfoldOnce = false;  // the dashboard unfolds at its next frame (a measured area was chosen for it)
};
const std::vector<runtime::IndicatorRow>& indicatorRowsForArea(runtime::Twin& twin, UiState& state,
                                                              IndicatorAreaRows& cache);

// The area bar: "Area: [district / selected feature / drawn areas]  [Draw area]", or while drawing the point count
// with Finish and Cancel.
void drawIndicatorAreaBar(runtime::Twin& twin, UiState& state, const IndicatorAreaRows& cache);

// The area's outline (and the points being drawn) over the map, projected with `camera`; nothing for the district.
void drawIndicatorAreaOutline(const runtime::Twin& twin, const UiState& state, const IndicatorAreaRows& cache,
                              const osg::Camera* camera);

// A map click while drawing (app.cpp's pick handler, event traversal): adds the ground point.
void addIndicatorAreaPoint(UiState& state, const Vec3d& ground);
// Ends the drawing: three or more points become the area "drawn/<n>" shown by the dashboard; else an error.
void finishIndicatorArea(UiState& state);
// The measured polygon (Measure > Area) as the area "drawn/<n>" the dashboard shows (opened and unfolded), the
// drawing left as it is. Errors: no area measured, fewer than three distinct corners, no area (runtime::drawnArea).
Status useMeasuredAreaForIndicators(UiState& state);
// Under the measure window's Area readout (three or more corners): "Use as indicator area".
void drawMeasuredAreaIndicatorAction(UiState& state);

// Every Chinese word the area bar draws, for the font atlas (ImGuiOverlay glyphs; the features' names come with
// their entities).
std::vector<std::string> indicatorAreaToolStrings();

// Shows an indicator's evidence: each evidence layer visible, coloured by its style of that color_by (queued as a
// command: layers change in the update phase). False when the row has no evidence.
bool showIndicatorEvidence(runtime::Twin& twin, CommandQueue& commands, const runtime::IndicatorRow& row);

}  // namespace gt::viewer
