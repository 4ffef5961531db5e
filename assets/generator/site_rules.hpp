#pragma once
// Where things may stand: inside the district, outside every green space, clear of rivers (kRiverBuffer),
// of the district boundary, of green-space edges and of the major roads' carriageways.

#include <vector>

#include "city.hpp"
#include "geometry.hpp"

namespace gtgen {

class SiteRules {
 public:
  // The largest footprint radius buildable() accepts (m).
  static constexpr double kMaxRadius = 130.0;

  SiteRules(const RealInputs& inputs, const std::vector<GreenSpace>& greens, const std::vector<Road>& majorRoads);
  SiteRules(const SiteRules&) = delete;
  SiteRules& operator=(const SiteRules&) = delete;

  // Is a footprint of circumradius r around c entirely on buildable land?
  bool buildable(P2 c, double r) const;
  bool inDistrict(P2 p) const { return district_.contains(p); }
  bool inGreen(P2 p) const { return greenSet_.contains(p); }
  double riverDistance(P2 p, double none) const { return rivers_.nearest(p, none); }

 private:
  const Shape& district_;
  std::vector<Shape> greenShapes_;
  ShapeSet greenSet_;
  SegmentIndex obstacles_;
  SegmentIndex rivers_;
};

// Half carriageway width plus verge: no building closer to a road's centre line (m).
double roadClearance(const Road& road);

}  // namespace gtgen
