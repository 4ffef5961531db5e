#pragma once
// A what-if scenario (issue 16, docs/workbench.md "Scenarios"): a named set of edits over the live twin that never
// touches the base data. The twin's domain plugins compute their KPIs with the edits applied
// (gt_kpi.compute_in_scenario, docs/plugins.md); this module is only the plugin-neutral description and its file.
//
// File: TOML, `version = 1`, `name`, `description`, then one [[edit]] table per edit with a `kind`:
//   add_pv          buildings = ["id", ...], coverage = 0..1, module_efficiency = 0..1 (optional)
//   set_use         buildings = [...], use = "office"
//   set_stars       buildings = [...], stars = 0..3
//   remove_building buildings = [...]
//   add_building    id = "...", polygon = [x0, y0, x1, y1, ...] (scene frame, m), height_m, floors, use,
//                   stars (optional, 0..3)
//   add_parcel      id = "...", polygon = [...], parcel_kind = "park" | "forest" | ...
// Errors name the file, the line, the edit ("edit[2].coverage") and the key; unknown keys are refused with the
// nearest known name; a newer `version` is refused.
//
// Threads: plain values and functions; any thread.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

inline constexpr int kScenarioFileVersion = 1;

enum class ScenarioEditKind { AddPv, SetUse, SetStars, RemoveBuilding, AddBuilding, AddParcel };

// "add_pv", "set_use", "set_stars", "remove_building", "add_building", "add_parcel".
const char* scenarioEditKindName(ScenarioEditKind kind);

struct ScenarioEdit {
  ScenarioEditKind kind = ScenarioEditKind::AddPv;
  std::vector<std::string> buildings;  // add_pv, set_use, set_stars, remove_building: the buildings' entity ids
  double coverage = 0;                 // add_pv: share of the roof covered by modules, 0..1
  std::optional<double> moduleEfficiency;  // add_pv: kWp per m2 of module; unset: the plugin's default
  std::string use;                     // set_use, add_building
  int stars = 0;                       // set_stars, add_building: GB/T 50378-2019 stars, 0..3 (0: none)
  std::string id;                      // add_building, add_parcel: the new feature's id
  Polygon polygon;                     // add_building, add_parcel: one exterior ring, scene frame (z 0)
  double heightM = 0;                  // add_building
  int floors = 0;                      // add_building
  std::string parcelKind;              // add_parcel: "park", "forest", ...
};

struct Scenario {
  std::string name;
  std::string description;
  std::vector<ScenarioEdit> edits;
};

// Parses a scenario file's text; `sourceName` names it in every message. Every problem is reported, one per line.
Result<Scenario> parseScenario(const std::string& text, const std::string& sourceName);
// Reads and parses a file (IoError / NotFound naming it when it cannot be read).
Result<Scenario> loadScenario(const std::string& path);
// The file's text for a scenario (parseScenario reads it back to an equal scenario).
std::string scenarioText(const Scenario& scenario);
// Writes scenarioText to `path` (replaced atomically: written beside it, then renamed).
Status saveScenario(const Scenario& scenario, const std::string& path);

}  // namespace gt
