#pragma once
// The wall view of the programme's indicators (issue 13 deliverable 8; docs/indicators.md "Wall view"): the whole
// window, no window chrome, one card per indicator in large type for a command-centre wall read from several metres
// away — the indicator's number and name, its current value and unit, its 2025 target, a status colour with its word
// (met / on track / off track / no data), its source tag (computed / reported / synthetic) and a sparkline of its
// trend — in the catalog's three groups, under the programme's title and the clock's time, with the counts per status
// in the footer. Which indicators: [display] indicator_wall (all 18 by default); the language is the interface's.
//
// Shown instead of every other panel while UiState::showIndicatorWall is set: by the Panels menu, by [display]
// indicator_wall_at_start, or by `greentwin render --indicator-wall` (RenderRequest::indicatorWall). Esc, or a
// double click, goes back to the map.
//
// Type: the cards' sizes come from indicator_wall_layout.hpp; each type size is a font of its own in the overlay's
// atlas (ImGuiOverlay::requireSizedFonts), rasterised at that size with only the glyphs it draws, so figures 100
// pixels high are as sharp as the 17-pixel interface. ImGui::SetWindowFontScale would scale the 17-pixel bitmaps
// up (blurred, and CJK strokes smeared at 3x and more). The first frame after the wall (or the window's size) changes
// draws with the interface's font scaled, the next with the new fonts.
//
// Drawing: render thread, inside the ImGui frame; wallFonts: update thread before the frame (the viewer runs
// single-threaded, so both are the one thread).

#include <string>
#include <vector>

#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/viewer/imgui_overlay.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// What the wall keeps between frames (UiState::indicatorWall).
struct IndicatorWallState {
  std::vector<ImGuiOverlay::SizedFont> fonts;  // the type the last frame drew with: sizes and their glyphs
  double mouseMovedAt = -1;  // ImGui::GetTime() of the last mouse move over the wall: the way back is shown a while
};

// "指标大屏" / "Indicator wall": the Panels menu's entry.
const char* indicatorWallTitle(Language language);

// The rows the wall shows, in the board's order (by group, then number): those `numbers` lists (empty: all), rows
// of numbers the board lacks left out.
std::vector<runtime::IndicatorRow> indicatorWallRows(const std::vector<runtime::IndicatorRow>& rows,
                                                     const std::vector<int>& numbers);

// Draws the wall over the whole window while state.showIndicatorWall; Esc or a double click clears it.
void drawIndicatorWall(runtime::Twin& twin, UiState& state);

// The type the wall drew with in its last frame, for ImGuiOverlay::requireSizedFonts (empty before it is shown).
const std::vector<ImGuiOverlay::SizedFont>& indicatorWallFonts(const UiState& state);

}  // namespace gt::viewer
