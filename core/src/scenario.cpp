// Scenario files (core/scenario.hpp; docs/workbench.md "Scenarios").

#include "greentwin/core/scenario.hpp"

#include <array>
#include <cmath>
#include <iterator>
#include <string_view>

#include "greentwin/core/config_reader.hpp"
#include "greentwin/core/text_file.hpp"
#include "toml_text.hpp"

namespace gt {
namespace {

using toml_text::number;
using toml_text::quoted;
using toml_text::stringArray;

// A scenario naming every building of a large city stays far below this; anything bigger is not a scenario.
constexpr std::size_t kMaxScenarioFileBytes = 64u << 20;
constexpr std::array<std::string_view, 4> kRootKeys{"version", "name", "description", "edit"};
constexpr std::array<std::string_view, 6> kKindNames{"add_pv",          "set_use",      "set_stars",
                                                     "remove_building", "add_building", "add_parcel"};

// The keys each kind takes (besides `kind`).
std::vector<std::string_view> keysOf(ScenarioEditKind kind) {
  switch (kind) {
    case ScenarioEditKind::AddPv: return {"kind", "buildings", "coverage", "module_efficiency"};
    case ScenarioEditKind::SetUse: return {"kind", "buildings", "use"};
    case ScenarioEditKind::SetStars: return {"kind", "buildings", "stars"};
    case ScenarioEditKind::RemoveBuilding: return {"kind", "buildings"};
    case ScenarioEditKind::AddBuilding: return {"kind", "id", "polygon", "height_m", "floors", "use", "stars"};
    case ScenarioEditKind::AddParcel: return {"kind", "id", "polygon", "parcel_kind"};
  }
  return {"kind"};
}

// `polygon = [x0, y0, x1, y1, ...]`: at least three vertices enclosing an area.
void readPolygon(const ConfigTable& t, Polygon& out) {
  std::vector<double> xy;
  if (!t.require("polygon") || !t.readDoubleArray("polygon", xy)) return;
  if (xy.size() % 2 != 0 || xy.size() < 6) {
    t.errorAt("polygon", ErrorCode::InvalidArgument,
              "'" + t.keyPath("polygon") + "' must list x, y pairs of at least three vertices, got " +
                  std::to_string(xy.size()) + " numbers");
    return;
  }
  std::vector<Vec3d> ring;
  for (std::size_t i = 0; i + 1 < xy.size(); i += 2) {
    if (!std::isfinite(xy[i]) || !std::isfinite(xy[i + 1])) {
      t.errorAt("polygon", ErrorCode::InvalidArgument, "'" + t.keyPath("polygon") + "' has a coordinate that is not finite");
      return;
    }
    ring.push_back({xy[i], xy[i + 1], 0});
  }
  Polygon p{{std::move(ring)}};
  if (!(std::abs(polygonArea(p)) > 1e-6)) {
    t.errorAt("polygon", ErrorCode::InvalidArgument, "'" + t.keyPath("polygon") + "' encloses no area");
    return;
  }
  out = std::move(p);
}

void readBuildings(const ConfigTable& t, ScenarioEdit& e) {
  if (!t.require("buildings") || !t.readStringArray("buildings", e.buildings)) return;
  if (e.buildings.empty()) {
    t.errorAt("buildings", ErrorCode::InvalidArgument, "'" + t.keyPath("buildings") + "' names no building");
  }
}

std::optional<ScenarioEdit> readEdit(const ConfigTable& t) {
  std::string kindName;
  if (!t.requireString("kind", kindName)) return std::nullopt;
  std::optional<ScenarioEditKind> kind;
  for (std::size_t i = 0; i < kKindNames.size(); ++i) {
    if (kindName == kKindNames[i]) kind = static_cast<ScenarioEditKind>(i);
  }
  if (!kind) {
    std::string list;
    for (const std::string_view k : kKindNames) list += (list.empty() ? "" : ", ") + std::string(k);
    t.errorAt("kind", ErrorCode::InvalidArgument,
              "'" + t.keyPath("kind") + "' = \"" + kindName + "\" is not one of: " + list);
    return std::nullopt;
  }
  const std::vector<std::string_view> keys = keysOf(*kind);
  t.checkKeys(keys);
  ScenarioEdit e;
  e.kind = *kind;
  switch (*kind) {
    case ScenarioEditKind::AddPv: {
      readBuildings(t, e);
      if (t.require("coverage")) t.readDouble("coverage", e.coverage, 0.0, 1.0);
      double efficiency = 0;
      if (t.readDouble("module_efficiency", efficiency, 0.0, 1.0, ConfigTable::Bound::Exclusive)) {
        e.moduleEfficiency = efficiency;
      }
      break;
    }
    case ScenarioEditKind::SetUse:
      readBuildings(t, e);
      t.requireString("use", e.use);
      break;
    case ScenarioEditKind::SetStars:
      readBuildings(t, e);
      if (t.require("stars")) t.readInt("stars", e.stars, 0, 3);
      break;
    case ScenarioEditKind::RemoveBuilding: readBuildings(t, e); break;
    case ScenarioEditKind::AddBuilding:
      t.requireString("id", e.id);
      readPolygon(t, e.polygon);
      if (t.require("height_m")) t.readDouble("height_m", e.heightM, 0.0, 1000.0, ConfigTable::Bound::Exclusive);
      if (t.require("floors")) t.readInt("floors", e.floors, 1, 200);
      t.requireString("use", e.use);
      t.readInt("stars", e.stars, 0, 3);
      break;
    case ScenarioEditKind::AddParcel:
      t.requireString("id", e.id);
      readPolygon(t, e.polygon);
      t.requireString("parcel_kind", e.parcelKind);
      break;
  }
  return e;
}

std::string polygonArray(const Polygon& p) {
  std::string out = "[";
  if (!p.rings.empty()) {
    for (std::size_t i = 0; i < p.rings[0].size(); ++i) {
      out += (i > 0 ? ", " : "") + number(p.rings[0][i].x) + ", " + number(p.rings[0][i].y);
    }
  }
  return out + "]";
}

}  // namespace

const char* scenarioEditKindName(ScenarioEditKind kind) {
  return kKindNames[static_cast<std::size_t>(kind)].data();
}

Result<Scenario> parseScenario(const std::string& text, const std::string& sourceName) {
  auto doc = ConfigDocument::parse(text, sourceName);
  if (!doc) return doc.status();
  const ConfigTable root = doc->root();
  int version = 0;
  if (root.require("version") && root.readInt("version", version, 1, 1'000'000) && version > kScenarioFileVersion) {
    // A newer file's other keys are likely unknown here: this one error says all.
    return Status(ErrorCode::Unsupported, sourceName + ":" + std::to_string(root.lineOf("version")) +
                                              ": scenario file version " + std::to_string(version) +
                                              " is newer than this GreenTwin reads (" +
                                              std::to_string(kScenarioFileVersion) + "): update GreenTwin");
  }
  root.checkKeys(kRootKeys);
  Scenario s;
  root.requireString("name", s.name);
  root.readString("description", s.description);
  for (const ConfigTable& t : root.tables("edit")) {
    if (auto e = readEdit(t)) s.edits.push_back(std::move(*e));
  }
  if (Status st = doc->errors().result(); !st) return st;
  return s;
}

Result<Scenario> loadScenario(const std::string& path) {
  auto text = readTextFile(path, "scenario file", kMaxScenarioFileBytes);
  if (!text) return text.status();
  return parseScenario(*text, path);
}

std::string scenarioText(const Scenario& s) {
  std::string out = "# GreenTwin what-if scenario (docs/workbench.md \"Scenarios\")\n";
  out += "version = " + std::to_string(kScenarioFileVersion) + "\n";
  out += "name = " + quoted(s.name) + "\n";
  if (!s.description.empty()) out += "description = " + quoted(s.description) + "\n";
  for (const ScenarioEdit& e : s.edits) {
    out += "\n[[edit]]\nkind = \"" + std::string(scenarioEditKindName(e.kind)) + "\"\n";
    switch (e.kind) {
      case ScenarioEditKind::AddPv:
        out += "buildings = " + stringArray(e.buildings) + "\ncoverage = " + number(e.coverage) + "\n";
        if (e.moduleEfficiency) out += "module_efficiency = " + number(*e.moduleEfficiency) + "\n";
        break;
      case ScenarioEditKind::SetUse:
        out += "buildings = " + stringArray(e.buildings) + "\nuse = " + quoted(e.use) + "\n";
        break;
      case ScenarioEditKind::SetStars:
        out += "buildings = " + stringArray(e.buildings) + "\nstars = " + std::to_string(e.stars) + "\n";
        break;
      case ScenarioEditKind::RemoveBuilding: out += "buildings = " + stringArray(e.buildings) + "\n"; break;
      case ScenarioEditKind::AddBuilding:
        out += "id = " + quoted(e.id) + "\npolygon = " + polygonArray(e.polygon) + "\nheight_m = " + number(e.heightM) +
               "\nfloors = " + std::to_string(e.floors) + "\nuse = " + quoted(e.use) +
               "\nstars = " + std::to_string(e.stars) + "\n";
        break;
      case ScenarioEditKind::AddParcel:
        out += "id = " + quoted(e.id) + "\npolygon = " + polygonArray(e.polygon) +
               "\nparcel_kind = " + quoted(e.parcelKind) + "\n";
        break;
    }
  }
  return out;
}

Status saveScenario(const Scenario& scenario, const std::string& path) {
  return writeTextFileAtomically(path, scenarioText(scenario), "scenario file");
}

}  // namespace gt
