#pragma once
// Synthetic road network: hand-drawn approximations of the real expressways and arterials (6th ring road,
// Jingtong expressway / Chang'an Avenue east extension, Jingha and Jingjin expressways), a ring arterial
// around the core and radial arterials to the towns; then the block streets of every zone that has buildings.

#include <vector>

#include "city.hpp"
#include "planning.hpp"

namespace gtgen {

// A block of a zone's street grid that holds at least one building.
struct BlockRef {
  int zone = 0;
  int i = 0;
  int j = 0;
  friend auto operator<=>(const BlockRef&, const BlockRef&) = default;
};

std::vector<Road> makeMajorRoads(const RealInputs& inputs, const Planning& planning, const LocalFrame& frame);

// Streets along the edges of occupied blocks, merged into straight runs and clipped to the district.
std::vector<Road> makeStreets(const RealInputs& inputs, const Planning& planning, std::vector<BlockRef> occupied);

}  // namespace gtgen
