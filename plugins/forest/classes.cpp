#include "classes.hpp"

#include <cmath>

namespace greentwin::forest {
namespace {

// The class (1-based) of v among ascending upper bounds; 0 for NaN, infinite or negative.
int classOf(double v, const std::array<double, kClassCount - 1>& bounds) {
  if (!std::isfinite(v) || v < 0) return 0;
  int c = 1;
  for (double b : bounds) {
    if (v <= b) return c;
    ++c;
  }
  return c;
}

}  // namespace

const std::array<ClassDef, kClassCount>& canopyClasses() {
  static const std::array<ClassDef, kClassCount> classes{{
      {{0xd7, 0xcc, 0xc8}, "无林（<10%）", "Open (< 10 %)"},
      {{0xdc, 0xe7, 0x75}, "疏林（10-20%）", "Sparse woodland (10-20 %)"},
      {{0x9c, 0xcc, 0x65}, "疏（20-40%）", "Low closure (20-40 %)"},
      {{0x43, 0xa0, 0x47}, "中（40-70%）", "Medium closure (40-70 %)"},
      {{0x1b, 0x5e, 0x20}, "密（≥70%）", "Dense (>= 70 %)"},
  }};
  return classes;
}

std::array<double, kClassCount - 1> canopyUpperBounds() { return {10.0, 20.0, 40.0, 70.0}; }
int canopyClass(double coverPct) { return classOf(coverPct, canopyUpperBounds()); }

const std::array<ClassDef, kClassCount>& laiClasses() {
  static const std::array<ClassDef, kClassCount> classes{{
      {{0xf0, 0xe6, 0x8c}, "很低（≤1）", "Very low (<= 1)"},
      {{0xc5, 0xe1, 0xa5}, "低（1-2）", "Low (1-2)"},
      {{0x81, 0xc7, 0x84}, "中（2-3）", "Medium (2-3)"},
      {{0x38, 0x8e, 0x3c}, "高（3-4）", "High (3-4)"},
      {{0x1b, 0x4d, 0x1f}, "很高（>4）", "Very high (> 4)"},
  }};
  return classes;
}

std::array<double, kClassCount - 1> laiUpperBounds() { return {1.0, 2.0, 3.0, 4.0}; }
int laiClass(double lai) { return classOf(lai, laiUpperBounds()); }

const std::array<ClassDef, kClassCount>& fireDangerClasses() {
  // GB/T 36743-2018: level names and colours (green, blue, yellow, orange, red).
  static const std::array<ClassDef, kClassCount> classes{{
      {{0x00, 0xa0, 0x3c}, "一级 低火险", "Level 1 low"},
      {{0x1e, 0x64, 0xdc}, "二级 较低火险", "Level 2 fairly low"},
      {{0xff, 0xdc, 0x00}, "三级 较高火险", "Level 3 fairly high"},
      {{0xff, 0x8c, 0x00}, "四级 高火险", "Level 4 high"},
      {{0xe6, 0x00, 0x00}, "五级 极高火险", "Level 5 extremely high"},
  }};
  return classes;
}

std::array<double, kClassCount - 1> fireDangerLevelUpperBounds() { return {1.5, 2.5, 3.5, 4.5}; }
std::array<double, kClassCount - 1> fireRiskCutPoints() { return {25.0, 50.0, 72.0, 90.0}; }
int fireDangerLevel(double fireRisk) { return classOf(fireRisk, fireRiskCutPoints()); }

const std::array<ClassDef, 2>& parkCoverageClasses() {
  static const std::array<ClassDef, 2> classes{{
      {{0xef, 0x6c, 0x00}, "500米内无公园", "No park within 500 m"},
      {{0x2e, 0x7d, 0x32}, "500米内有公园", "Park within 500 m"},
  }};
  return classes;
}

}  // namespace greentwin::forest
