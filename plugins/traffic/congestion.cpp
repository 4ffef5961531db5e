#include "congestion.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::traffic {

const std::array<CongestionClass, kLevelCount>& congestionClasses() {
  // Green to red, as on Beijing's published traffic maps; the colours are ours, not the standard's.
  static const std::array<CongestionClass, kLevelCount> kClasses{{
      {1, "畅通", "Smooth", {0, 176, 80}},
      {2, "基本畅通", "Basically smooth", {146, 208, 80}},
      {3, "轻度拥堵", "Light congestion", {255, 215, 0}},
      {4, "中度拥堵", "Moderate congestion", {255, 140, 0}},
      {5, "严重拥堵", "Severe congestion", {192, 0, 0}},
  }};
  return kClasses;
}

std::optional<int> levelByRatio(double speedKmh, double freeSpeedKmh) {
  if (!std::isfinite(speedKmh) || !std::isfinite(freeSpeedKmh) || speedKmh < 0 || freeSpeedKmh <= 0) {
    return std::nullopt;
  }
  int level = 1;
  for (const Fraction& f : kRatioLimits) {
    if (speedKmh * f.den > f.num * freeSpeedKmh) return level;
    ++level;
  }
  return level;  // 5: at or below the last limit
}

std::optional<RoadClass> roadClassOf(const std::string& text) {
  if (text == "expressway" || text == "快速路") return RoadClass::Expressway;
  if (text == "arterial" || text == "主干路") return RoadClass::Arterial;
  if (text == "secondary" || text == "次干路") return RoadClass::Secondary;
  if (text == "local" || text == "支路") return RoadClass::Local;
  return std::nullopt;
}

std::array<double, 4> speedLimits(RoadClass roadClass) {
  switch (roadClass) {
    case RoadClass::Expressway: return {65, 50, 35, 20};
    case RoadClass::Arterial: return {40, 30, 20, 15};
    case RoadClass::Secondary:
    case RoadClass::Local: break;
  }
  return {35, 25, 15, 10};
}

std::optional<int> levelBySpeedLimits(RoadClass roadClass, double speedKmh) {
  if (!std::isfinite(speedKmh) || speedKmh < 0) return std::nullopt;
  int level = 1;
  for (double limit : speedLimits(roadClass)) {
    if (speedKmh > limit) return level;
    ++level;
  }
  return level;
}

std::optional<NetworkIndex> networkIndex(const std::vector<LinkState>& links) {
  NetworkIndex out;
  double severe = 0;
  for (const LinkState& l : links) {
    if (l.level < 1 || l.level > kLevelCount || !(l.weight > 0) || !std::isfinite(l.weight)) continue;
    out.weightTotal += l.weight;
    ++out.links;
    if (l.level == kLevelCount) severe += l.weight;
  }
  if (out.links == 0) return std::nullopt;
  out.severeSharePct = 100.0 * severe / out.weightTotal;
  out.index = tpiFromSevereShare(out.severeSharePct);
  out.grade = tpiGrade(out.index);
  return out;
}

double tpiFromSevereShare(double sharePct) {
  if (std::isnan(sharePct)) return sharePct;
  if (sharePct <= kIndexAnchors.front().sharePct) return kIndexAnchors.front().index;
  for (std::size_t i = 1; i < kIndexAnchors.size(); ++i) {
    const IndexAnchor& lo = kIndexAnchors[i - 1];
    const IndexAnchor& hi = kIndexAnchors[i];
    if (sharePct <= hi.sharePct) {
      return lo.index + (hi.index - lo.index) * (sharePct - lo.sharePct) / (hi.sharePct - lo.sharePct);
    }
  }
  return kIndexAnchors.back().index;
}

int tpiGrade(double index) {
  if (!(index >= 0)) return 0;
  return std::min(kLevelCount, static_cast<int>(std::floor(index / 2.0)) + 1);
}

}  // namespace greentwin::traffic
