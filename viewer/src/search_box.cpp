#include "search_box.hpp"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "greentwin/runtime/twin.hpp"
#include "greentwin/wall/tour.hpp"
#include "indicator_style.hpp"
#include "wall_pose.hpp"

namespace gt::viewer {

struct SearchState {
  char query[256] = "";
  std::string searched;  // the query the results are for
  SearchResults results;
  bool showResults = false;
  struct Flight {
    wall::CameraPose from;
    wall::CameraPose to;
    double startS = -1;  // ImGui time of the first frame of the flight (set on that frame)
  };
  std::optional<Flight> flight;
};

namespace {

using Words = IndicatorWords;  // indicator_style.hpp: {en, zh}
constexpr Words kSearchHint{"Search id or name", "搜索编号或名称"};
constexpr Words kPlaces{"Places", "地点"};
constexpr Words kEntities{"Features", "要素"};
constexpr Words kNothing{"Nothing found", "未找到"};
constexpr Words kAllWords[]{kSearchHint, kPlaces, kEntities, kNothing};
constexpr double kFlightS = 2.0;

const char* word(const Words& w, Language language) { return inLanguage(w, language); }

SearchState& searchOf(UiState& state) {
  if (!state.search) state.search = std::make_shared<SearchState>();
  return *state.search;
}

bool containsFolded(const std::string& text, const std::string& query) {
  const auto fold = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return std::search(text.begin(), text.end(), query.begin(), query.end(),
                     [&fold](char a, char b) { return fold(a) == fold(b); }) != text.end();
}

void startFlight(UiState& state, const OrbitPose& from, const OrbitPose& to) {
  searchOf(state).flight = SearchState::Flight{toWall(from), toWall(to), -1};
}

}  // namespace

SearchResults runSearch(const runtime::Twin& twin, const std::string& query) {
  SearchResults out;
  std::string q = query;
  while (!q.empty() && q.back() == ' ') q.pop_back();
  while (!q.empty() && q.front() == ' ') q.erase(q.begin());
  if (q.empty()) return out;
  for (const BookmarkConfig& b : twin.config().bookmarks) {
    if (containsFolded(b.nameEn, q) || containsFolded(b.nameZh, q) || containsFolded(b.id, q)) out.places.push_back(&b);
  }
  out.entities = searchEntities(twin.entities(), q, EntitySearchOptions{30, 1});
  return out;
}

std::optional<OrbitPose> poseForEntity(const runtime::Twin& twin, EntityIndex entity, const OrbitPose& current) {
  const auto position = twin.entityPosition(entity);
  if (!position) return std::nullopt;
  double extent = 0;
  if (const layers::Layer* layer = twin.layerOfEntity(entity); layer != nullptr && layer->features() != nullptr) {
    const auto slot = layer->slotOfEntity(entity);
    if (slot && *slot < layer->features()->features.size()) {
      Bounds b;
      const FeatureGeometry& g = layer->features()->features[*slot].geometry;
      for (const Polygon& p : g.polygons) {
        for (const auto& ring : p.rings) {
          for (const Vec3d& v : ring) b.extend(v);
        }
      }
      for (const auto& line : g.lines) {
        for (const Vec3d& v : line) b.extend(v);
      }
      for (const Vec3d& v : g.points) b.extend(v);
      if (b.valid()) extent = std::max(b.max.x - b.min.x, b.max.y - b.min.y);
    }
  }
  OrbitPose pose;
  pose.center = osg::Vec3d(position->x, position->y, position->z);
  pose.headingDeg = current.headingDeg;
  pose.pitchDeg = -45.0;
  pose.range = std::clamp(3.0 * extent, 250.0, 20000.0);
  return pose;
}

void showSearchResult(const runtime::Twin& twin, UiState& state, EntityIndex entity, CityManipulator* manipulator) {
  state.selected = entity;
  if (manipulator == nullptr) return;
  const OrbitPose from = manipulator->pose();
  if (const auto to = poseForEntity(twin, entity, from)) startFlight(state, from, *to);
}

void advanceSearchFlight(UiState& state, CommandQueue& commands, CityManipulator* manipulator) {
  if (!state.search || !state.search->flight || manipulator == nullptr) return;
  SearchState::Flight& flight = *state.search->flight;
  const double now = ImGui::GetTime();
  if (flight.startS < 0) flight.startS = now;
  const double t = std::clamp((now - flight.startS) / kFlightS, 0.0, 1.0);
  const OrbitPose pose = fromWall(wall::flightPose(flight.from, flight.to, t));
  commands.push([manipulator, pose] { manipulator->setPose(pose); });
  if (t >= 1.0) state.search->flight.reset();
}

void drawSearchBox(runtime::Twin& twin, UiState& state, CityManipulator* manipulator) {
  SearchState& search = searchOf(state);
  const Language language = state.language;
  ImGui::SetNextItemWidth(220);
  const bool entered = ImGui::InputTextWithHint("##search", word(kSearchHint, language), search.query,
                                                sizeof search.query, ImGuiInputTextFlags_EnterReturnsTrue);
  const ImVec2 below(ImGui::GetItemRectMin().x, ImGui::GetItemRectMax().y + 2);
  // Search as the planner types (from two bytes: one Chinese character is three), and on Enter.
  const std::string query = search.query;
  if ((entered || query.size() >= 2) && query != search.searched) {
    search.searched = query;
    search.results = runSearch(twin, query);
    search.showResults = true;
  }
  if (entered) search.showResults = true;
  if (query.empty()) search.showResults = false;
  if (!search.showResults) return;
  ImGui::SetNextWindowPos(below);
  ImGui::SetNextWindowSizeConstraints(ImVec2(320, 0), ImVec2(520, 420));
  if (!ImGui::Begin("##search-results", nullptr,
                    ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings |
                        ImGuiWindowFlags_NoMove)) {
    ImGui::End();
    return;
  }
  const SearchResults& r = search.results;
  if (r.places.empty() && r.entities.empty()) ImGui::TextDisabled("%s", word(kNothing, language));
  if (!r.places.empty()) ImGui::TextDisabled("%s", word(kPlaces, language));
  for (const BookmarkConfig* b : r.places) {
    const std::string& name = language == Language::Chinese && !b->nameZh.empty() ? b->nameZh : b->nameEn;
    ImGui::PushID(b);
    if (ImGui::Selectable(name.c_str()) && manipulator != nullptr) {
      if (const auto centre = twin.poseCenter(b->pose)) {
        const OrbitPose to{osg::Vec3d(centre->x, centre->y, centre->z), b->pose.headingDeg, b->pose.pitchDeg,
                           b->pose.rangeM};
        startFlight(state, manipulator->pose(), to);
      }
      search.showResults = false;
    }
    ImGui::PopID();
  }
  if (!r.entities.empty()) ImGui::TextDisabled("%s", word(kEntities, language));
  for (const EntitySearchHit& hit : r.entities) {
    ImGui::PushID(static_cast<int>(hit.entity));
    const bool clicked = ImGui::Selectable(hit.label.c_str());
    if (hit.label != hit.id) {
      ImGui::SameLine();
      ImGui::TextDisabled("%s", hit.id.c_str());
    }
    if (clicked) {
      showSearchResult(twin, state, hit.entity, manipulator);
      search.showResults = false;
    }
    ImGui::PopID();
  }
  ImGui::End();
}

std::vector<std::string> searchBoxStrings() {
  std::vector<std::string> out;
  for (const Words& w : kAllWords) out.emplace_back(w.zh);
  return out;
}

}  // namespace gt::viewer
