#pragma once
// Search (issue 16 part 3; docs/workbench.md "Search"): a field in the menu bar finds places (the config's bookmarks)
// and entities by id or name in Chinese or English (core/entity_search.hpp), lists them under the field, and a
// click selects the entity (the inspector shows it) and flies the camera to it in two seconds. Render thread,
// inside the ImGui frame; the camera moves through commands on the update thread.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/entity_search.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

// The field (inside the main menu bar) and its result list.
void drawSearchBox(runtime::Twin& twin, UiState& state, CityManipulator* manipulator);
// Moves the camera along a flight the search started (each frame, from Ui::draw; ImGui's clock).
void advanceSearchFlight(UiState& state, CommandQueue& commands, CityManipulator* manipulator);

// A search as the field runs it: bookmarks whose name or id contains the query (any case), then entities.
struct SearchResults {
  std::vector<const BookmarkConfig*> places;
  std::vector<EntitySearchHit> entities;
};
SearchResults runSearch(const runtime::Twin& twin, const std::string& query);

// Where the camera goes to show an entity: its label anchor, looked at from `current`'s heading, 45 degrees down,
// far enough to see the whole feature (3 x its larger side, 250 m .. 20 km). Nullopt: the entity has no position.
std::optional<OrbitPose> poseForEntity(const runtime::Twin& twin, EntityIndex entity, const OrbitPose& current);

// Selects `entity` and starts the flight to it (what a click on a result does).
void showSearchResult(const runtime::Twin& twin, UiState& state, EntityIndex entity, CityManipulator* manipulator);

// Every Chinese word the field draws, for the font atlas.
std::vector<std::string> searchBoxStrings();

}  // namespace gt::viewer
