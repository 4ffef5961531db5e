// A what-if scenario's edits for the energy plugin (scenario_edits.hpp).
#include "scenario_edits.hpp"

#include <cstdio>

#include "floor_area.hpp"

namespace greentwin::energy {

ResolvedEdits resolveEdits(const plugin::Scenario& scenario, const std::unordered_map<std::string, std::size_t>& index,
                           const std::set<std::string>& homes) {
  using plugin::EditKind;
  ResolvedEdits out;
  for (const plugin::ScenarioEdit& e : scenario.edits) {
    EnergyEdit edit;
    if (e.is(EditKind::AddPv)) {
      edit.kind = EnergyEdit::Kind::AddPv;
      edit.coverage = e.coverage;
      edit.efficiency = e.moduleEfficiency > 0 ? e.moduleEfficiency : kDefaultModuleEfficiency;
    } else if (e.is(EditKind::SetUse)) {
      edit.kind = EnergyEdit::Kind::SetResidential;
      edit.residential = homes.count(e.use) != 0;
    } else if (e.is(EditKind::SetStars)) {
      edit.kind = EnergyEdit::Kind::SetStars;
      edit.stars = e.stars;
    } else if (e.is(EditKind::RemoveBuilding)) {
      edit.kind = EnergyEdit::Kind::Remove;
    } else if (e.is(EditKind::AddBuilding)) {
      edit.kind = EnergyEdit::Kind::Add;
      std::vector<Polygon> footprint;
      for (const plugin::FeaturePolygon& fp : e.shape.polygons) {
        Polygon p;
        for (const auto& ring : fp.rings) {
          Ring r;
          for (const plugin::XY& v : ring) r.push_back({v.x, v.y});
          p.rings.push_back(std::move(r));
        }
        footprint.push_back(std::move(p));
      }
      edit.roofAreaM2 = footprintArea(footprint);
      edit.floorAreaM2 = edit.roofAreaM2 * floorsOf(e.floors > 0 ? std::optional<double>(e.floors) : std::nullopt,
                                                    e.heightM > 0 ? std::optional<double>(e.heightM) : std::nullopt)
                                               .count;
      edit.residential = homes.count(e.use) != 0;
      edit.stars = e.stars;
      out.edits.push_back(std::move(edit));
      continue;
    } else {
      continue;  // a parcel, or a kind newer than this plugin: no energy input
    }
    for (const std::string& id : e.buildings) {
      const auto it = index.find(id);
      if (it == index.end()) {
        if (out.unknownBuildings++ == 0) out.firstUnknown = id;
        continue;
      }
      edit.buildings.push_back(it->second);
    }
    out.edits.push_back(std::move(edit));
  }
  return out;
}

std::string scenarioNote(const ScenarioOutcome& o, const ResolvedEdits& edits) {
  char text[160];
  std::string note = "scenario:";
  if (o.addedKwp > 0) {
    if (o.yieldKwPerKwp) {
      std::snprintf(text, sizeof text, " +%.1f kWp rooftop PV at %.3f kW/kWp now;", o.addedKwp, *o.yieldKwPerKwp);
    } else {
      std::snprintf(text, sizeof text,
                    " +%.1f kWp rooftop PV not counted: no building with installed PV reads live (no yield);",
                    o.addedKwp);
    }
    note += text;
  }
  if (o.removed > 0) note += " " + std::to_string(o.removed) + " buildings removed;";
  if (o.added > o.addedWithoutLoad) {
    std::snprintf(text, sizeof text, " %zu added (load %.1f kW estimated from the live load intensity);",
                  o.added - o.addedWithoutLoad, o.addedLoadKw);
    note += text;
  }
  if (o.addedWithoutLoad > 0) {
    note += " " + std::to_string(o.addedWithoutLoad) + " added without a load (no building has a live load to estimate it from);";
  }
  if (edits.unknownBuildings > 0) {
    note += " " + std::to_string(edits.unknownBuildings) + " unknown building ids skipped (" + edits.firstUnknown + ");";
  }
  if (note == "scenario:") note += " no edit changes this KPI;";
  note.pop_back();
  return note;
}

}  // namespace greentwin::energy

namespace greentwin::energy {

plugin::KpiValue scenarioRenewableShare(const ScenarioOutcome& o, const std::string& note) {
  if (o.pvUnvalued) return plugin::KpiValue::noData(note);
  if (o.scenario.buildings == 0) return plugin::KpiValue::noData("no building has a live load reading");
  if (!o.scenario.renewableSharePct) return plugin::KpiValue::noData("the buildings draw no load in the scenario");
  return plugin::KpiValue{*o.scenario.renewableSharePct, GT_KPI_OK, note};
}

plugin::KpiValue scenarioCo2PerPerson(const ScenarioOutcome& o, std::optional<double> gridImportMw,
                                      double emissionFactorTPerMwh, double population, const std::string& note) {
  if (o.pvUnvalued) return plugin::KpiValue::noData(note);
  std::optional<double> importMw;
  if (gridImportMw) {
    importMw = *gridImportMw + (o.scenario.netImportKw - o.base.netImportKw) / 1000.0;
  } else if (o.scenario.buildings > 0) {
    importMw = o.scenario.netImportKw / 1000.0;
  }
  if (!importMw) return plugin::KpiValue::noData("no grid import reading and no building with a live load reading");
  const auto v = co2TonnesPerPersonYear(*importMw, emissionFactorTPerMwh, population);
  if (!v) return plugin::KpiValue::noData("the emission factor or the population is not usable");
  return plugin::KpiValue{*v, GT_KPI_OK, note};
}

plugin::KpiValue scenarioGreenBuildingShare(const ScenarioOutcome& o, int firstYear, int lastYear,
                                            const std::string& note) {
  if (lastYear < firstYear) {
    return plugin::KpiValue::noData("the period of new buildings begins in " + std::to_string(firstYear));
  }
  const GreenBuildingShare g = greenBuildingShare(o.green, firstYear, lastYear);
  const auto share = g.sharePct();
  if (!share) return plugin::KpiValue::noData("no building completed in the period in the scenario");
  return plugin::KpiValue{*share, GT_KPI_OK,
                          std::to_string(g.rated) + " of " + std::to_string(g.buildings) + " new buildings star-rated; " +
                              note};
}

}  // namespace greentwin::energy
