#pragma once
// The forest plugin's classes (docs/forest.md): canopy cover, leaf area index and the five forest fire danger
// levels, each with Chinese and English names and a colour. Pure C++17, no SDK, no twin: the plugin and its unit
// tests both use it. Any thread (no state).
//
// - Canopy cover (%): the canopy-closure (郁闭度) classes of the national forest inventory rules, GB/T 26424-2010
//   《森林资源规划设计调查技术规程》: 密 >= 0.70, 中 0.40-0.69, 疏 0.20-0.39; forest land (有林地) needs >= 0.20 and
//   sparse woodland (疏林地) is 0.10-0.19; below 0.10 is open land. The simulator's canopy cover (1 - exp(-0.5 LAI))
//   stands in for canopy closure.
// - LAI (m2/m2): five classes of our own (no standard classes LAI), 1-unit steps up to 4, fitted to the
//   simulator's range (0.2 .. ~5).
// - Fire danger: the five levels of GB/T 36743-2018 《森林火险气象等级》 with its names and colours (一级 低火险 绿,
//   二级 较低火险 蓝, 三级 较高火险 黄, 四级 高火险 橙, 五级 极高火险 红; the same as QX/T 77-2007). The standard
//   defines the levels on its own fire danger weather index; the simulator's fire_risk (0-100: the Fosberg fire
//   weather index x fuel dryness) is a different index, so fireDangerLevel's cut points are OURS: those of the
//   forestry standard LY/T 1172-1995 for its 0-100 fire weather index (<= 25, 26-50, 51-72, 73-90, >= 91), applied
//   to fire_risk as if it were that index.
#include <array>
#include <cstdint>

namespace greentwin::forest {

struct ClassDef {
  std::array<std::uint8_t, 3> rgb;
  const char* nameZh;
  const char* nameEn;
};

inline constexpr int kClassCount = 5;

// Canopy cover, %: upper bounds 10, 20, 40, 70 (a value on a bound belongs to the lower class).
const std::array<ClassDef, kClassCount>& canopyClasses();
std::array<double, kClassCount - 1> canopyUpperBounds();
// 1..5 (0: NaN, infinite or negative). Values above 100 are class 5.
int canopyClass(double coverPct);

// LAI, m2/m2: upper bounds 1, 2, 3, 4.
const std::array<ClassDef, kClassCount>& laiClasses();
std::array<double, kClassCount - 1> laiUpperBounds();
int laiClass(double lai);

// Fire danger, levels 1..5 (GB/T 36743-2018 names and colours).
const std::array<ClassDef, kClassCount>& fireDangerClasses();
// The classifier works on the level itself (1..5): bounds 1.5, 2.5, 3.5, 4.5.
std::array<double, kClassCount - 1> fireDangerLevelUpperBounds();
// fire_risk (0-100) -> level 1..5 by our cut points 25, 50, 72, 90 (a value on a cut point takes the lower level);
// 0 for NaN, infinite or negative values. Above 100 is level 5.
int fireDangerLevel(double fireRisk);
std::array<double, kClassCount - 1> fireRiskCutPoints();

// Park service coverage of one residential feature: 0 not covered, 1 covered (bound 0.5).
const std::array<ClassDef, 2>& parkCoverageClasses();

}  // namespace greentwin::forest
