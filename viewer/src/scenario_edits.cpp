// The Scenario panel's edits as the buttons make them (scenario_panel.hpp; docs/workbench.md "Scenarios in the
// window"): each names the selected buildings or takes the measured polygon, is appended to the edited scenario and
// drops the comparison shown (it no longer matches). Render thread.

#include <algorithm>
#include <set>

#include "greentwin/runtime/twin.hpp"
#include "scenario_panel.hpp"
#include "scenario_panel_state.hpp"
#include "selection_panel.hpp"

namespace gt::viewer {
namespace {

// The selected entities' ids when the selection is of buildings (a layer of 3D features).
Result<std::vector<std::string>> selectedBuildingIds(const runtime::Twin& twin, const UiState& state) {
  const HeldSelection* held = heldSelection(state);
  if (held == nullptr || held->entities.empty()) {
    return Status(ErrorCode::InvalidArgument, "no buildings selected: select inside a measured area first");
  }
  const layers::Layer* layer = twin.findLayer(held->layerId);
  if (layer == nullptr || !layer->isThreeDimensional()) {
    return Status(ErrorCode::InvalidArgument, "the selection is of layer '" + held->layerId + "', not of buildings");
  }
  std::vector<std::string> ids;
  ids.reserve(held->entities.size());
  for (const EntityIndex e : held->entities) {
    if (const Entity* entity = twin.entities().get(e)) ids.push_back(entity->id);
  }
  return ids;
}

// The measured area's corners on the ground plane (z 0), checked: three corners or more enclosing an area.
Result<Polygon> measuredPolygon(const UiState& state, const char* what) {
  if (state.measureMode != MeasureMode::Area || state.measurePoints.size() < 3) {
    return Status(ErrorCode::InvalidArgument,
                  std::string("draw an area first (Measure > Area, three corners or more) for ") + what);
  }
  std::vector<Vec3d> ring;
  for (const Vec3d& p : state.measurePoints) ring.push_back(Vec3d{p.x, p.y, 0});
  Polygon polygon{{std::move(ring)}};
  if (!(polygonArea(polygon) > 1e-6)) {
    return Status(ErrorCode::InvalidArgument, std::string("the measured corners enclose no area: no ") + what);
  }
  return polygon;
}

// "scenario/<kind>-<n>" with the next n no edit of the scenario uses (one opened from a file has its own).
std::string newFeatureId(ScenarioPanelState& panel, int& counter, const std::string& kind) {
  for (;;) {
    std::string id = "scenario/" + kind + "-" + std::to_string(++counter);
    const auto taken = [&id](const ScenarioEdit& e) { return e.id == id; };
    if (std::none_of(panel.scenario.edits.begin(), panel.scenario.edits.end(), taken)) return id;
  }
}

Status addEdit(UiState& state, ScenarioEdit edit) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  panel.scenario.edits.push_back(std::move(edit));
  panel.comparison.reset();
  state.showScenario = true;
  return Status::ok();
}

// An edit of the selected buildings of `kind`, the rest filled by `fill`.
template <typename Fill>
Status addBuildingsEdit(const runtime::Twin& twin, UiState& state, ScenarioEditKind kind, Fill fill) {
  auto ids = selectedBuildingIds(twin, state);
  if (!ids) return ids.status();
  ScenarioEdit edit;
  edit.kind = kind;
  edit.buildings = std::move(*ids);
  fill(edit);
  return addEdit(state, std::move(edit));
}

}  // namespace

ScenarioPanelState& scenarioPanelOf(UiState& state) {
  if (!state.scenario) state.scenario = std::make_shared<ScenarioPanelState>();
  return *state.scenario;
}

Scenario& editedScenario(UiState& state) { return scenarioPanelOf(state).scenario; }

Status addPvToSelectedBuildings(const runtime::Twin& twin, UiState& state, double coverage) {
  if (!(coverage > 0 && coverage <= 1)) return Status(ErrorCode::OutOfRange, "PV roof coverage must be in (0, 1]");
  return addBuildingsEdit(twin, state, ScenarioEditKind::AddPv, [&](ScenarioEdit& e) { e.coverage = coverage; });
}

Status setStarsOfSelectedBuildings(const runtime::Twin& twin, UiState& state, int stars) {
  if (stars < 0 || stars > 3) return Status(ErrorCode::OutOfRange, "green-building stars must be 0..3");
  return addBuildingsEdit(twin, state, ScenarioEditKind::SetStars, [&](ScenarioEdit& e) { e.stars = stars; });
}

Status setUseOfSelectedBuildings(const runtime::Twin& twin, UiState& state, const std::string& use) {
  if (use.empty()) return Status(ErrorCode::InvalidArgument, "choose the buildings' new use first");
  return addBuildingsEdit(twin, state, ScenarioEditKind::SetUse, [&](ScenarioEdit& e) { e.use = use; });
}

Status removeSelectedBuildings(const runtime::Twin& twin, UiState& state) {
  return addBuildingsEdit(twin, state, ScenarioEditKind::RemoveBuilding, [](ScenarioEdit&) {});
}

Status addParcelFromMeasuredArea(UiState& state, const std::string& parcelKind) {
  auto polygon = measuredPolygon(state, "parcel");
  if (!polygon) return polygon.status();
  ScenarioEdit edit;
  edit.kind = ScenarioEditKind::AddParcel;
  edit.parcelKind = parcelKind;
  ScenarioPanelState& panel = scenarioPanelOf(state);
  edit.id = newFeatureId(panel, panel.parcels, parcelKind);
  edit.polygon = std::move(*polygon);
  return addEdit(state, std::move(edit));
}

Status addBuildingFromMeasuredArea(UiState& state, const NewBuilding& building) {
  // The file's own ranges (core/scenario.cpp), refused here rather than in a file that will not open again.
  if (!(building.heightM > 0 && building.heightM <= 1000)) {
    return Status(ErrorCode::OutOfRange, "a new building's height must be in (0, 1000] m");
  }
  if (building.floors < 1 || building.floors > 200) {
    return Status(ErrorCode::OutOfRange, "a new building's floors must be 1..200");
  }
  if (building.stars < 0 || building.stars > 3) {
    return Status(ErrorCode::OutOfRange, "green-building stars must be 0..3");
  }
  if (building.use.empty()) return Status(ErrorCode::InvalidArgument, "choose the new building's use first");
  auto polygon = measuredPolygon(state, "building");
  if (!polygon) return polygon.status();
  ScenarioEdit edit;
  edit.kind = ScenarioEditKind::AddBuilding;
  ScenarioPanelState& panel = scenarioPanelOf(state);
  edit.id = newFeatureId(panel, panel.buildings, "building");
  edit.polygon = std::move(*polygon);
  edit.heightM = building.heightM;
  edit.floors = building.floors;
  edit.use = building.use;
  edit.stars = building.stars;
  return addEdit(state, std::move(edit));
}

Status removeScenarioEdit(UiState& state, std::size_t index) {
  ScenarioPanelState& panel = scenarioPanelOf(state);
  if (index >= panel.scenario.edits.size()) {
    return Status(ErrorCode::OutOfRange, "no edit " + std::to_string(index + 1) + ": the scenario has " +
                                             std::to_string(panel.scenario.edits.size()));
  }
  panel.scenario.edits.erase(panel.scenario.edits.begin() + static_cast<std::ptrdiff_t>(index));
  panel.comparison.reset();
  return Status::ok();
}

std::vector<std::string> buildingUses(const runtime::Twin& twin, const std::string& layerId) {
  std::set<std::string> uses;
  for (const auto& layer : twin.layers()) {
    if (!layer->isThreeDimensional() || (!layerId.empty() && layer->config().id != layerId)) continue;
    for (std::uint32_t slot = 0; slot < layer->slotCount(); ++slot) {
      const Entity* entity = twin.entities().get(layer->entityOfSlot(slot));
      if (entity == nullptr) continue;
      const auto use = entity->properties.find("use");
      if (use == entity->properties.end()) continue;
      std::string text = formatPropertyValue(use->second);
      if (!text.empty()) uses.insert(std::move(text));
    }
  }
  return {uses.begin(), uses.end()};
}

}  // namespace gt::viewer
