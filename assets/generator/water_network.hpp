#pragma once
// The demo's water network (docs/demo-data.md "Water"): SYNTHETIC district metered areas (DMAs) of the supply network
// over the core area, and monitoring sections on the real river lines, for the water plugin (docs/water.md) and the
// simulator's water feeds. No random draws: DMAs are the Voronoi cells of five landmarks clipped to the core octagon
// and the district,
// sections are fixed places snapped onto the nearest river line.

#include <string>
#include <vector>

#include "city.hpp"
#include "inputs.hpp"
#include "planning.hpp"

namespace gtgen {

struct Dma {
  Ring ring;  // counter-clockwise
  std::string key, nameZh, nameEn;
  int connections = 0;        // buildings whose footprint centre lies inside (one service connection each)
  int population = 0;         // the core's residents shared by residential (and village) floor area
  double nonResidentialFloorM2 = 0;
  double mainsKm = 0;         // street length inside (a main under every road)
  int mainsYear = 2000;       // typical laying year of its mains (older mains leak more, docs/simulator.md "Water")
};

struct RiverSection {
  P2 at;  // on a river line
  std::string riverZh, riverEn, nameZh, nameEn;
  double loadIndex = 0.5;  // the simulator's pollution load of the reach, 0 clean .. 1 heavily loaded (SYNTHETIC)
};

struct WaterNetwork {
  std::vector<Dma> dmas;
  std::vector<RiverSection> sections;
};

WaterNetwork makeWaterNetwork(const RealInputs& inputs, const Planning& planning, const City& city,
                              const LocalFrame& frame);

// The part of a convex counter-clockwise polygon where dot(p, n) <= c (Sutherland-Hodgman against one half-plane).
Ring clipHalfPlane(const Ring& polygon, P2 n, double c);

}  // namespace gtgen
