#pragma once
// The planning frame of the synthetic city: the 155 km² core area and the zones whose street grids hold
// buildings (core sub-districts, towns, industrial parks, villages), in priority order.

#include <string>
#include <vector>

#include "city.hpp"
#include "geometry.hpp"
#include "inputs.hpp"

namespace gtgen {

// How a zone's blocks are filled (see buildings.cpp).
enum class Profile { Admin, CanalCbd, StationHub, Theme, Urban, Town, Industrial, Village };
// Zones are filled group by group with a share of the requested building count each.
enum class Group { Core = 0, Town = 1, Industrial = 2, Village = 3 };
inline constexpr int kGroupCount = 4;

struct Zone {
  int id = 0;  // index in Planning::zones
  std::string key, nameZh, nameEn;
  Profile profile = Profile::Urban;
  Group group = Group::Core;
  P2 centre;
  double radius = 0.0;      // circular region; 0 = the core octagon
  double rotation = 0.0;    // street-grid direction (radians, counter-clockwise from east)
  double pitch = 150.0;     // block pitch (m): block interior + one street
  double street = 20.0;     // street width between blocks (m)
  double cosR() const;
  double sinR() const;
  // Grid: block (i, j) is centred at centre + R(rotation) * (i*pitch, j*pitch).
  P2 blockCentre(int i, int j) const;
  P2 toGrid(P2 p) const;  // world -> grid frame (unrotated, relative to centre)
};

struct Planning {
  P2 coreCentre;
  P2 oldTown;  // Tongzhou's old town centre
  Ring coreRing;
  Shape core;
  std::vector<Zone> zones;  // priority order: the first zone that contains a point owns it
  bool zoneContains(const Zone& zone, P2 p) const;
  const Zone* owner(P2 p) const;
  bool inCore(P2 p) const { return core.contains(p); }
};

Planning makePlanning(const RealInputs& inputs, const LocalFrame& frame);

// Distance from p to the nearest river line (brute force; rivers have few segments).
double distanceToRivers(const RealInputs& inputs, P2 p);

}  // namespace gtgen
