#include "classes.hpp"

#include <cmath>
#include <limits>
#include <stdexcept>

#include "loading.hpp"

namespace greentwin::energy {
namespace {

// The largest double below x: a class limit for a lower-bound-inclusive class boundary.
double below(double x) { return std::nextafter(x, -std::numeric_limits<double>::infinity()); }

std::vector<ClassTable> makeTables() {
  std::vector<ClassTable> t;
  // Load intensity: our classes, spread over the live intensities of buildings (annual 25-210 kWh/m2/yr is a
  // mean of 3-24 W/m2; daily peaks reach about twice that).
  t.push_back({"energy.intensity_class", "负荷强度", "Load intensity", "W/m2",
               {{"很低", "Very low", {26, 152, 80}},
                {"低", "Low", {145, 207, 96}},
                {"中", "Medium", {254, 224, 139}},
                {"高", "High", {252, 141, 89}},
                {"很高", "Very high", {215, 48, 39}}},
               {5.0, 10.0, 20.0, 40.0}});
  // PV self-supply: 0 exactly is "no PV now" (no panels, or night).
  t.push_back({"energy.pv_share_class", "光伏自给率", "PV self-supply", "%",
               {{"无光伏", "No PV", {158, 158, 158}},
                {"低", "Low", {255, 255, 204}},
                {"中", "Medium", {194, 230, 153}},
                {"高", "High", {120, 198, 121}},
                {"很高", "Very high", {35, 132, 67}}},
               {0.0, 10.0, 30.0, 70.0}});
  // Net load: <= 0 the building exports.
  t.push_back({"energy.net_load_class", "净负荷", "Net load", "kW",
               {{"净输出", "Exporting", {44, 123, 182}},
                {"低", "Low", {171, 217, 233}},
                {"中", "Medium", {255, 255, 191}},
                {"高", "High", {253, 174, 97}},
                {"很高", "Very high", {215, 25, 28}}},
               {0.0, 10.0, 50.0, 200.0}});
  t.push_back({"energy.substation_loading_class", "变电站负载率", "Substation loading", "%",
               {{"正常", "Normal", {46, 125, 50}},
                {"重载", "Heavy", {251, 192, 45}},
                {"告警", "Alarm", {245, 124, 0}},
                {"过载", "Overload", {198, 40, 40}}},
               {below(kHeavyPct), below(kAlarmPct), below(kOverloadPct)}});
  return t;
}

}  // namespace

const std::vector<ClassTable>& classTables() {
  static const std::vector<ClassTable> kTables = makeTables();
  return kTables;
}

const ClassTable& classTable(const std::string& id) {
  for (const ClassTable& t : classTables()) {
    if (t.id == id) return t;
  }
  throw std::out_of_range("no energy class table '" + id + "'");
}

int classIndex(const ClassTable& table, double value) {
  if (!std::isfinite(value)) return -1;
  std::size_t k = 0;
  while (k < table.upperBounds.size() && value > table.upperBounds[k]) ++k;
  return static_cast<int>(k);
}

}  // namespace greentwin::energy
