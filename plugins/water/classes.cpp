#include "classes.hpp"

#include <cmath>
#include <stdexcept>

#include "leakage.hpp"

namespace greentwin::water {
namespace {

std::vector<ClassTable> makeTables() {
  std::vector<ClassTable> t;
  // Leakage rate: the programme's 2025 target (<= 8 %), then CJJ 92's grade 1 (<= 10 %) and grade 2 (<= 12 %).
  t.push_back({"water.leakage_class", "管网漏损率", "Network leakage rate", "%",
               {{"≤ 8%（达标）", "<= 8 % (target met)", {26, 152, 80}},
                {"8–10%", "8-10 %", {166, 217, 106}},
                {"10–12%", "10-12 %", {253, 174, 97}},
                {"> 12%", "> 12 %", {215, 25, 28}}},
               {8.0, kGrade1Pct, kGrade2Pct}});
  // GB 3838 classes, in the colours of the national water-quality maps (Ⅰ-Ⅱ blue, Ⅲ green, Ⅳ yellow, Ⅴ orange,
  // 劣Ⅴ red).
  t.push_back({"water.quality_class", "地表水水质类别", "Surface water class", "class",
               {{"Ⅰ类", "Class I", {102, 204, 255}},
                {"Ⅱ类", "Class II", {0, 102, 255}},
                {"Ⅲ类", "Class III", {0, 204, 102}},
                {"Ⅳ类", "Class IV", {255, 221, 0}},
                {"Ⅴ类", "Class V", {255, 136, 0}},
                {"劣Ⅴ类", "Worse than V", {230, 0, 0}}},
               {1.0, 2.0, 3.0, 4.0, 5.0}});
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
  throw std::out_of_range("no water class table '" + id + "'");
}

int classIndex(const ClassTable& table, double value) {
  if (!std::isfinite(value)) return -1;
  std::size_t k = 0;
  while (k < table.upperBounds.size() && value > table.upperBounds[k]) ++k;
  return static_cast<int>(k);
}

}  // namespace greentwin::water
