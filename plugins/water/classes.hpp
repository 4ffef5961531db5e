#pragma once
// The plugin's two classifiers as data (docs/water.md "Classes"): class names (zh/en), colours and limits. Pure C++17,
// no SDK; any thread (constant tables). A class holds the values <= its upper bound (the SDK's rule).
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace greentwin::water {

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

// "water.leakage_class" (leakage_rate_pct, %: the programme's 8 %, CJJ 92's grades 10 % and 12 %) and
// "water.quality_class" (water_class 1..6: GB 3838 Ⅰ..Ⅴ and 劣Ⅴ), in this order.
const std::vector<ClassTable>& classTables();
const ClassTable& classTable(const std::string& id);  // throws std::out_of_range for an unknown id

// The class of a value by the SDK's rule (the first class whose upper bound is >= value; the last otherwise); -1 for a
// value that is not finite.
int classIndex(const ClassTable& table, double value);

}  // namespace greentwin::water
