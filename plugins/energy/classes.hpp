#pragma once
// The plugin's four classifiers as data: class names (zh/en), colours and class limits (docs/energy.md "Classes").
// Pure C++17, no SDK; any thread (constant tables).
//
// A class holds the values <= its upper bound (the SDK's rule: classIndex below). The loading classes are
// lower-bound inclusive (80 % is already heavy), so their limits are the doubles just below 80, 90 and 100.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace greentwin::energy {

struct ClassDef {
  std::string nameZh;
  std::string nameEn;
  std::array<std::uint8_t, 3> rgb;
};

struct ClassTable {
  std::string id;
  std::string nameZh;
  std::string nameEn;
  std::string unit;
  std::vector<ClassDef> classes;
  std::vector<double> upperBounds;  // classes.size() - 1, ascending
};

// "energy.intensity_class" (W/m2), "energy.pv_share_class" (%), "energy.net_load_class" (kW),
// "energy.substation_loading_class" (%), in this order.
const std::vector<ClassTable>& classTables();
const ClassTable& classTable(const std::string& id);  // throws std::out_of_range for an unknown id

// The class of a value by the SDK's rule (the first class whose upper bound is >= value; the last otherwise);
// -1 for a value that is not finite.
int classIndex(const ClassTable& table, double value);

}  // namespace greentwin::energy
