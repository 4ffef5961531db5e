#pragma once
// What a wall (or a single kiosk display) shows over the map instead of the planner's panels (docs/wall.md "What the
// wall shows"): an alert banner in both languages with the active alerts under it, a status strip (clock time and
// whether the data is live, the running tour), and on a follower whose lead is gone a notice that the picture is no
// longer live. Panels that straddle bezels would be cut, so the banner and strip sit inside one tile (the wall
// file's overlay tile, else the top-left one); the lead-lost and loading notices are drawn by each node on its own
// tile.
// Render thread, inside the ImGui callback.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/alert.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"  // kNoTime
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/wall/wall_layout.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

struct WallAlert {
  std::uint64_t id = 0;
  AlertSeverity severity = AlertSeverity::Warning;
  std::string textEn;
  std::string textZh;
  bool acknowledged = false;
  bool operator==(const WallAlert&) const = default;
};

// The state of the data the wall shows: live (the clock at now, feeds arriving), some feeds stale, or a replay of
// the past — never presented alike.
enum class WallDataState { Live, SomeStale, Playback };

struct WallOverlayModel {
  std::vector<WallAlert> alerts;  // active, most severe first
  TimePoint clockTime = kNoTime;
  WallDataState data = WallDataState::Live;
  int staleFeeds = 0;  // publishers not LIVE (stale or never seen), and sources that have heard none
  std::string tourNameEn;  // empty: no tour running
  std::string tourNameZh;
  int tourStop = 0;        // 0-based
  int tourStops = 0;
  bool tourPaused = false;
  std::uint64_t frameNumber = 0;          // the lead's frame shown
  std::optional<double> leadLostForS;     // a follower without frames from its lead for this long
  bool leadRefusedKey = false;            // ... because the lead refused this node's key (not in its allow-list)
  std::size_t layersLoading = 0;          // this node's layers not loaded yet (a node just started): said on its tile
  wall::PixelRect overlayRect;            // the tile (canvas pixels) holding the banner and the strip
  wall::PixelRect ownRect;                // this node's tile: where its lead-lost notice goes
};

// The most alerts the banner's list shows (the rest are counted).
inline constexpr std::size_t kWallAlertRows = 5;

// The overlay of the twin as this process sees it (the lead, or a single kiosk display): its active alerts, clock
// and feeds; no tour, no lost lead. Update or render thread (the viewer is single-threaded).
WallOverlayModel wallOverlayOf(const runtime::Twin& twin, const wall::PixelRect& overlayRect,
                               const wall::PixelRect& ownRect);

// Every text the overlay may draw for `model` (its words in both languages, the tour's names, the alerts' texts): the
// font atlas holds only the glyphs in use (ImGuiOverlay::requireGlyphs), and a follower's alerts and tour come from
// its lead, not from its own twin.
std::vector<std::string> wallOverlayStrings(const WallOverlayModel& model);

// Draws the overlay on ImGui's foreground. `language` picks the first line of each bilingual text.
void drawWallOverlay(const WallOverlayModel& model, Language language);

// The banner's headline: the most severe unacknowledged alert ("" when every alert is acknowledged or none is active).
const WallAlert* wallHeadline(const std::vector<WallAlert>& alerts);

}  // namespace gt::viewer
