#include "water_network.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>

#include "ogr_bridge.hpp"
#include "places.hpp"

namespace gtgen {
namespace {

// Residents of the core area, shared among the DMAs by residential floor area. An ASSUMPTION of the order of the
// sub-center's planned 1.3 million by 2035: the demo's buildings hold far more floor area than the real city, so a
// floor area per resident would give about 4 million.
constexpr double kCoreResidents = 1.0e6;

struct DmaSite {
  const Place* place;
  const char* nameZh;
  const char* nameEn;
  int mainsYear;
};

// The five DMAs: one per landmark of the core, with the age of its mains. The old town's are the oldest (laid around
// 1990): it is the leaky one the simulator shows.
const DmaSite kDmaSites[] = {
    {&kOldTown, "老城计量分区（示意）", "Old Town DMA (synthetic)", 1990},
    {&kStationHub, "站城计量分区（示意）", "Station Hub DMA (synthetic)", 2008},
    {&kAdminOfficeArea, "行政办公区计量分区（示意）", "Administrative Area DMA (synthetic)", 2017},
    {&kGreenHeart, "城市绿心计量分区（示意）", "Green Heart DMA (synthetic)", 2019},
    {&kUniversalResort, "环球度假区计量分区（示意）", "Universal Resort DMA (synthetic)", 2019},
};

struct SectionSite {
  double lon, lat;
  const char* riverZh;
  const char* riverEn;
  const char* nameZh;
  const char* nameEn;
  double loadIndex;
};

// Seven sections downstream along each river, snapped onto the nearest river line. Load rises downstream on the North
// Canal (treated effluent and runoff of the city); its exit section is loaded to the class IV/V boundary.
const SectionSite kSectionSites[] = {
    {116.647, 39.955, "温榆河", "Wenyu River", "温榆河宋庄断面（示意）", "Wenyu River at Songzhuang (synthetic)", 0.55},
    {116.668, 39.913, "北运河", "North Canal", "北运河北关断面（示意）", "North Canal at Beiguan (synthetic)", 0.58},
    {116.700, 39.890, "北运河", "North Canal", "北运河运河商务区断面（示意）", "North Canal at the CBD (synthetic)", 0.62},
    {116.750, 39.872, "北运河", "North Canal", "北运河城市绿心断面（示意）", "North Canal at the Green Heart (synthetic)", 0.66},
    {116.890, 39.762, "北运河", "North Canal", "北运河出境断面（示意）", "North Canal at the district exit (synthetic)", 0.80},
    {116.770, 39.990, "潮白河", "Chaobai River", "潮白河入境断面（示意）", "Chaobai River at the district entry (synthetic)", 0.30},
    {116.925, 39.800, "潮白河", "Chaobai River", "潮白河出境断面（示意）", "Chaobai River at the district exit (synthetic)", 0.40},
};

P2 nearestOnRivers(const RealInputs& inputs, P2 p) {
  P2 best = p;
  double bestD = std::numeric_limits<double>::infinity();
  for (const Polyline& line : inputs.rivers) {
    for (std::size_t i = 0; i + 1 < line.size(); ++i) {
      const P2 a = line[i], ab = line[i + 1] - line[i];
      const double len2 = dot(ab, ab);
      const double t = len2 > 0 ? std::clamp(dot(p - a, ab) / len2, 0.0, 1.0) : 0.0;
      const P2 q = a + ab * t;
      const double d = distance(p, q);
      if (d < bestD) bestD = d, best = q;
    }
  }
  return best;
}

// The largest polygon of `cell` within the district (the core octagon reaches past the district's western edge at the
// old town): its outer ring.
Ring withinDistrict(const Ring& cell, const RealInputs& inputs) {
  const OgrGeomPtr a = toOgrPolygon(Polygon{cell});
  const OgrGeomPtr b = toOgrPolygon(Polygon(inputs.districtRings));
  const OgrGeomPtr both = wrap(a->Intersection(b.get()));
  Ring best;
  double bestArea = 0;
  for (const Polygon& p : polygonsOf(both.get())) {
    if (p.empty()) continue;
    const double area = std::fabs(signedArea(p.front()));
    if (area > bestArea) bestArea = area, best = p.front();
  }
  if (signedArea(best) < 0) std::reverse(best.begin(), best.end());
  return best;
}

}  // namespace

Ring clipHalfPlane(const Ring& polygon, P2 n, double c) {
  Ring out;
  const std::size_t count = polygon.size();
  for (std::size_t i = 0; i < count; ++i) {
    const P2 a = polygon[i], b = polygon[(i + 1) % count];
    const double da = dot(a, n) - c, db = dot(b, n) - c;
    if (da <= 0) out.push_back(a);
    if ((da < 0 && db > 0) || (da > 0 && db < 0)) out.push_back(a + (b - a) * (da / (da - db)));
  }
  return out;
}

WaterNetwork makeWaterNetwork(const RealInputs& inputs, const Planning& planning, const City& city,
                              const LocalFrame& frame) {
  WaterNetwork net;
  std::vector<P2> sites;
  for (const DmaSite& s : kDmaSites) sites.push_back(frame.local(s.place->lon, s.place->lat));
  for (std::size_t i = 0; i < sites.size(); ++i) {
    // The Voronoi cell of site i within the core: nearer to it than to any other site.
    Ring cell = planning.coreRing;
    for (std::size_t j = 0; j < sites.size(); ++j) {
      if (j == i) continue;
      const P2 n = sites[j] - sites[i];
      cell = clipHalfPlane(cell, n, (dot(sites[j], sites[j]) - dot(sites[i], sites[i])) / 2.0);
    }
    Dma d;
    d.ring = withinDistrict(cell, inputs);
    d.key = kDmaSites[i].place->key;
    d.nameZh = kDmaSites[i].nameZh;
    d.nameEn = kDmaSites[i].nameEn;
    d.mainsYear = kDmaSites[i].mainsYear;
    net.dmas.push_back(std::move(d));
  }
  std::vector<Shape> shapes;
  for (const Dma& d : net.dmas) shapes.emplace_back(std::vector<Ring>{d.ring});
  double residentialM2[std::size(kDmaSites)] = {};
  for (const Building& b : city.buildings) {
    for (std::size_t i = 0; i < net.dmas.size(); ++i) {
      if (!shapes[i].contains(b.bounds.c)) continue;
      const double floorM2 = std::fabs(signedArea(b.footprint)) * b.floors;
      ++net.dmas[i].connections;
      if (b.use == "residential" || b.use == "village") {
        residentialM2[i] += floorM2;
      } else {
        net.dmas[i].nonResidentialFloorM2 += floorM2;
      }
      break;
    }
  }
  for (const Road& r : city.roads) {
    for (std::size_t k = 0; k + 1 < r.line.size(); ++k) {
      const P2 mid = (r.line[k] + r.line[k + 1]) * 0.5;
      for (std::size_t i = 0; i < net.dmas.size(); ++i) {
        if (shapes[i].contains(mid)) {
          net.dmas[i].mainsKm += distance(r.line[k], r.line[k + 1]) / 1000.0;
          break;
        }
      }
    }
  }
  double residentialTotal = 0;
  for (double m2 : residentialM2) residentialTotal += m2;
  for (std::size_t i = 0; i < net.dmas.size(); ++i) {
    net.dmas[i].population =
        residentialTotal > 0 ? static_cast<int>(std::lround(kCoreResidents * residentialM2[i] / residentialTotal)) : 0;
    net.dmas[i].nonResidentialFloorM2 = std::round(net.dmas[i].nonResidentialFloorM2);
    net.dmas[i].mainsKm = std::round(net.dmas[i].mainsKm * 10.0) / 10.0;
  }
  for (const SectionSite& s : kSectionSites) {
    net.sections.push_back({nearestOnRivers(inputs, frame.local(s.lon, s.lat)), s.riverZh, s.riverEn, s.nameZh,
                            s.nameEn, s.loadIndex});
  }
  return net;
}

}  // namespace gtgen
