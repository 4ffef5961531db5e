#pragma once
// The synthetic city as plain data (local scene metres), produced step by step by the generator modules and
// written out by gpkg_writer. Every layer's features are written in vector order with fid = index + 1.

#include <string>
#include <vector>

#include "geometry.hpp"

namespace gtgen {

// The real inputs, in local metres.
struct RealInputs {
  Shape district;               // 通州区 boundary (outer ring + holes, if any)
  std::vector<Ring> districtRings;
  double districtAreaM2 = 0.0;
  std::vector<Polyline> rivers;  // the WDB II river/canal lines
};

struct Building {
  Ring footprint;  // counter-clockwise
  Obb bounds;      // oriented bounding box of the footprint
  std::string use;  // residential|office|commercial|public|industrial|school|hospital|village
  std::string nameZh, nameEn;
  int floors = 1;
  double heightM = 3.2;
  int yearBuilt = 2000;  // the year of completion
  int greenStar = 0;     // GB/T 50378 stars held: 1-3, 0 none (also the basic level of GB/T 50378-2019)
  std::string greenRating = "none";  // the label: none | basic | 1-star | 2-star | 3-star (basic: 基本级, no star)
  double roofPvKw = 0.0;
  double energyKwhM2Yr = 0.0;
  int substation = -1;  // index of the substation serving it (substation_sizing.hpp), -1 none
};

struct Road {
  Polyline line;
  std::string cls;  // expressway|arterial|secondary|local
  std::string nameZh, nameEn;
  int lanes = 2;
  double speedKmh = 30.0;
};

using Polygon = std::vector<Ring>;  // outer ring first, then holes

struct GreenSpace {
  std::vector<Polygon> parts;  // a multipolygon
  std::string kind;            // park|forest|wetland|green_belt
  std::string nameZh, nameEn;
  double areaM2 = 0.0;
};

struct BusStop {
  P2 at;
  std::string nameZh, nameEn, routes;
};

struct EvCharger {
  P2 at;
  std::string kind;  // fast|slow
  int ports = 2;
  double powerKw = 7.0;
};

struct Substation {
  P2 at;
  int voltageKv = 110;
  double capacityMva = 100.0;
  int transformers = 2;  // main transformers of equal rating (capacityMva / transformers each): the N-1 check
  int fedFrom = -1;      // index of the higher-voltage substation feeding it, -1 none (the highest level)
  std::string nameZh, nameEn;
};

struct AqStation {
  P2 at;
  std::string code;  // "aq-01"
  std::string nameZh, nameEn;
  std::string siteType;  // urban|suburban|background|traffic
};

struct TrafficLink {
  Polyline line;
  std::string linkId;  // "link-0001"
  std::string roadClass, roadNameZh;
  int lanes = 2;
  double freeSpeedKmh = 50.0;
  double capacityVehH = 1800.0;
};

struct City {
  std::vector<Building> buildings;
  std::vector<Road> roads;
  std::vector<GreenSpace> greens;
  std::vector<BusStop> busStops;
  std::vector<EvCharger> evChargers;
  std::vector<Substation> substations;
  std::vector<AqStation> aqStations;
  std::vector<TrafficLink> trafficLinks;
};

}  // namespace gtgen
