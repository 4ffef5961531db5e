#pragma once
// Road traffic congestion after the Beijing local standard DB11/T 785-2011 《城市道路交通运行评价指标体系》 (Urban road
// traffic performance index), docs/traffic.md. Pure C++17, no SDK, no twin: the plugin and its unit tests both use
// it. Any thread (no state).
//
//  - A link's level, 1..5: 畅通 smooth, 基本畅通 basically smooth, 轻度拥堵 light, 中度拥堵 moderate, 严重拥堵 severe.
//    The standard grades a link by its mean travel speed against fixed limits per road class (its table: expressway
//    65/50/35/20 km/h, arterial 40/30/20/15, secondary and local 35/25/15/10; a speed equal to a limit is in the
//    worse level). Two gradings here:
//      - by speed / free-flow speed (the default): r > 2/3 smooth, 1/2 < r <= 2/3 basically smooth, 1/3 < r <= 1/2
//        light, 1/4 < r <= 1/3 moderate, r <= 1/4 severe. These are the standard's arterial row divided by a 60 km/h
//        arterial's free-flow speed (40/60, 30/60, 20/60, 15/60); on a 100 km/h expressway they give 66.7/50/33.3/25
//        (standard 65/50/35/20), on a 50 km/h secondary road 33.3/25/16.7/12.5 (standard 35/25/15/10). The ratio
//        also grades the demo's 30 km/h local streets and 20 km/h village lanes sensibly, where the standard's
//        fixed limits would call an empty village lane congested;
//      - by the standard's own speed limits per road class (`gradeBySpeedLimits`).
//  - The network index (道路交通运行指数, TPI) 0..10: the weighted share of road network (VKT or length) whose links are
//    severely congested, mapped piecewise linearly to 0..10 (`tpiFromSevereShare`, anchors below), five grades of
//    width 2 with the same names as the link levels.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace greentwin::traffic {

inline constexpr int kLevelCount = 5;

// The five levels (运行等级), level 1..5, with their names and the colours the plugin's classifier gives them.
struct CongestionClass {
  int level;
  const char* nameZh;  // 畅通, 基本畅通, 轻度拥堵, 中度拥堵, 严重拥堵
  const char* nameEn;  // Smooth, Basically smooth, Light congestion, Moderate congestion, Severe congestion
  std::array<std::uint8_t, 3> rgb;
};
const std::array<CongestionClass, kLevelCount>& congestionClasses();

// The ratio thresholds as exact fractions (speed / free speed > num / den): smooth, basically smooth, light,
// moderate; below or at the last is severe. Compared as speed * den > num * free speed, so a speed exactly at a
// limit lands in the worse level without rounding (e.g. 40 km/h on a 60 km/h link is basically smooth).
struct Fraction {
  int num, den;
};
inline constexpr std::array<Fraction, 4> kRatioLimits{{{2, 3}, {1, 2}, {1, 3}, {1, 4}}};

// Level 1..5 of a link from its speed and free-flow speed (km/h). nullopt: a speed or free speed that is NaN,
// infinite or negative, or a free speed of 0. A speed above the free speed is smooth.
std::optional<int> levelByRatio(double speedKmh, double freeSpeedKmh);

// The standard's road classes (its table has one row for secondary and local roads together).
enum class RoadClass { Expressway, Arterial, Secondary, Local };
// "expressway" / "arterial" / "secondary" / "local" (also 快速路, 主干路, 次干路, 支路); nullopt otherwise.
std::optional<RoadClass> roadClassOf(const std::string& text);
// The standard's speed limits of a class, km/h, descending: above [0] smooth ... at or below [3] severe.
std::array<double, 4> speedLimits(RoadClass roadClass);
// Level 1..5 by the standard's speed limits of the class; nullopt for a NaN, infinite or negative speed.
std::optional<int> levelBySpeedLimits(RoadClass roadClass, double speedKmh);

// One link's share in the network index: its level (1..5; 0 = no level, left out) and weight (VKT = length x flow,
// or length; <= 0 or NaN: left out).
struct LinkState {
  int level = 0;
  double weight = 0;
};

struct NetworkIndex {
  double index = 0;           // 0..10
  int grade = 0;              // 1..5 (the index's grade: same names as the link levels)
  double severeSharePct = 0;  // weighted share of the network severely congested, %
  double weightTotal = 0;     // sum of the weights used
  std::size_t links = 0;      // links used (with a level and a weight)
};
// nullopt when no link has both a level and a positive weight.
std::optional<NetworkIndex> networkIndex(const std::vector<LinkState>& links);

// The index of a severely congested share (%), piecewise linear through the anchors (share %, index):
// (0, 0) (4, 2) (8, 4) (11, 6) (14, 8) (24, 10), 10 beyond. The first five anchors are the standard's recommended
// conversion (its Annex C) as reported in the literature; the last one, (24, 10), is this plugin's assumption
// (docs/traffic.md).
struct IndexAnchor {
  double sharePct, index;
};
inline constexpr std::array<IndexAnchor, 6> kIndexAnchors{{{0, 0}, {4, 2}, {8, 4}, {11, 6}, {14, 8}, {24, 10}}};
double tpiFromSevereShare(double sharePct);
// The grade 1..5 of an index: [0, 2) 1, [2, 4) 2, [4, 6) 3, [6, 8) 4, [8, 10] 5; 0 for NaN or negative.
int tpiGrade(double index);

}  // namespace greentwin::traffic
