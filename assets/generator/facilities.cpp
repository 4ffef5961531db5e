#include "facilities.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>
#include <numeric>
#include <set>

#include "places.hpp"
#include "rng.hpp"

namespace gtgen {

namespace {

std::string numbered(const char* prefix, int n, int width) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%0*d", prefix, width, n);
  return buf;
}

// The named place nearest to a point (core landmarks and towns).
class PlaceFinder {
 public:
  explicit PlaceFinder(const LocalFrame& frame) {
    std::vector<Place> all{kAdminOfficeArea, kCanalBusinessDistrict, kStationHub, kGreenHeart, kUniversalResort, kOldTown};
    all.insert(all.end(), kTowns.begin(), kTowns.end());
    for (const Place& p : all) places_.push_back({p, frame.local(p.lon, p.lat)});
  }
  const Place& nearest(P2 p) const {
    const auto it = std::min_element(places_.begin(), places_.end(), [p](const auto& a, const auto& b) {
      return distance(p, a.second) < distance(p, b.second);
    });
    return it->first;
  }

 private:
  std::vector<std::pair<Place, P2>> places_;
};

// Is a small facility site (radius r) at p clear of buildings, rivers, greens (unless allowed), the boundary?
bool facilitySiteOk(P2 p, double r, const SiteRules& rules, const ObbGrid& buildings, bool allowGreen) {
  if (!rules.inDistrict(p) || (!allowGreen && rules.inGreen(p))) return false;
  if (rules.riverDistance(p, 1e9) < kRiverBuffer + r) return false;
  return !buildings.overlapsAny(Obb{p, {1.0, 0.0}, r, r}, 2.0);
}

ObbGrid buildingGrid(const std::vector<Building>& buildings) {
  ObbGrid grid(100.0);
  for (const Building& b : buildings) grid.insert(b.bounds);
  return grid;
}

// A site near `anchor` (spiralling out to maxOffset) that passes facilitySiteOk; the anchor if none does.
P2 findSite(P2 anchor, double r, double maxOffset, const SiteRules& rules, const ObbGrid& grid, bool allowGreen, Rng& rng) {
  for (int k = 0; k < 200; ++k) {
    const double radius = maxOffset * std::sqrt(static_cast<double>(k) / 200.0);
    const double t = rng.uniform(0.0, 2.0 * std::numbers::pi);
    const P2 p = anchor + P2{std::cos(t), std::sin(t)} * radius;
    if (facilitySiteOk(p, r, rules, grid, allowGreen)) return p;
  }
  return anchor;
}

}  // namespace

std::vector<TrafficLink> makeTrafficLinks(const std::vector<Road>& roads) {
  std::vector<TrafficLink> links;
  constexpr double kLinkLength = 1200.0;
  for (const Road& road : roads) {
    if (road.cls != "expressway" && road.cls != "arterial") continue;
    const double len = polylineLength(road.line);
    const int pieces = std::max(1, static_cast<int>(std::lround(len / kLinkLength)));
    const double perLane = road.cls == "expressway" ? 1900.0 : 900.0;  // veh/h/lane (signalised arterials less)
    for (int k = 0; k < pieces; ++k) {
      TrafficLink link;
      const double s0 = len * k / pieces, s1 = len * (k + 1) / pieces;
      link.line.push_back(pointAlong(road.line, s0));
      double acc = 0.0;
      for (std::size_t v = 1; v < road.line.size(); ++v) {  // interior vertices between s0 and s1
        acc += distance(road.line[v - 1], road.line[v]);
        if (acc > s0 + 1e-6 && acc < s1 - 1e-6) link.line.push_back(road.line[v]);
      }
      link.line.push_back(pointAlong(road.line, s1));
      link.linkId = numbered("link-", static_cast<int>(links.size()) + 1, 4);
      link.roadClass = road.cls;
      link.roadNameZh = road.nameZh;
      link.lanes = road.lanes;
      link.freeSpeedKmh = road.speedKmh;
      link.capacityVehH = perLane * road.lanes;
      links.push_back(std::move(link));
    }
  }
  return links;
}

namespace {

bool busRoad(const Road& r) { return r.cls == "arterial" || r.cls == "secondary"; }
int stopsOn(double length, double spacing) { return static_cast<int>(std::lround(length / spacing)); }

// The stop spacing that puts about kBusStopTarget stops on the bus roads (bisection; longer spacing, fewer stops).
double busStopSpacing(const std::vector<Road>& roads) {
  double lo = 50.0, hi = 5000.0;
  for (int iter = 0; iter < 40; ++iter) {
    const double mid = 0.5 * (lo + hi);
    int n = 0;
    for (const Road& r : roads)
      if (busRoad(r)) n += stopsOn(polylineLength(r.line), mid);
    (n > kBusStopTarget ? lo : hi) = mid;
  }
  return hi;
}

}  // namespace

std::vector<BusStop> makeBusStops(const std::vector<Road>& roads, const SiteRules& rules) {
  const double spacing = busStopSpacing(roads);
  Rng rng(hashSeed(kCitySeed, 0x627573ULL));  // "bus"
  std::vector<BusStop> stops;
  int roadNo = 0;
  for (const Road& r : roads) {
    if (!busRoad(r)) continue;
    ++roadNo;
    const int routeCount = rng.uniformInt(1, 3);
    std::string routes;
    for (int k = 0; k < routeCount; ++k)
      routes += (k ? ";" : "") + (rng.chance(0.6) ? "T" + std::to_string(rng.uniformInt(1, 120))
                                                  : std::to_string(rng.uniformInt(300, 999)));
    const double len = polylineLength(r.line);
    const int count = stopsOn(len, spacing);
    int onRoad = 0;
    for (int k = 0; k < count; ++k) {
      const double s = (k + 0.5) * len / count;
      P2 tangent;
      const P2 p = pointAlong(r.line, s, &tangent) + P2{tangent.y, -tangent.x} * 12.0;  // kerb on the right
      if (!rules.inDistrict(p) || rules.riverDistance(p, 1e9) < 40.0) continue;
      ++onRoad;
      BusStop stop;
      stop.at = p;
      const std::string base = r.nameZh.empty() ? "副中心 " + std::to_string(roadNo) + "路段" : r.nameZh;
      stop.nameZh = base + " " + std::to_string(onRoad) + "号站";
      stop.nameEn = (r.nameEn.empty() ? "Sub-center street " + std::to_string(roadNo) : r.nameEn) + " stop " +
                    std::to_string(onRoad);
      stop.routes = routes;
      stops.push_back(std::move(stop));
    }
  }
  return stops;
}

std::vector<EvCharger> makeEvChargers(const std::vector<Building>& buildings, const SiteRules& rules) {
  std::vector<double> weights;
  for (const Building& b : buildings) {
    const std::string& u = b.use;
    weights.push_back(u == "commercial" ? 5.0 : u == "office" ? 4.0 : u == "public" || u == "hospital" ? 3.0
                      : u == "residential" ? 1.5 : u == "village" ? 0.2 : 1.0);
  }
  std::vector<double> cumulative(weights.size());
  std::partial_sum(weights.begin(), weights.end(), cumulative.begin());
  const ObbGrid grid = buildingGrid(buildings);
  Rng rng(hashSeed(kCitySeed, 0x6576ULL));  // "ev"
  std::set<std::size_t> used;
  std::vector<EvCharger> chargers;
  for (int tries = 0; tries < 20 * kEvChargerCount && static_cast<int>(chargers.size()) < kEvChargerCount && !buildings.empty(); ++tries) {
    const double r = rng.uniform() * cumulative.back();
    const auto idx = static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), r) - cumulative.begin());
    if (idx >= buildings.size() || !used.insert(idx).second) continue;
    const Obb& box = buildings[idx].bounds;
    const double side = rng.chance(0.5) ? 1.0 : -1.0;
    const P2 p = box.c + box.v() * (side * (box.hv + 5.0));
    if (!facilitySiteOk(p, 1.5, rules, grid, false)) continue;
    EvCharger ev;
    ev.at = p;
    const bool fast = rng.chance(0.35);
    ev.kind = fast ? "fast" : "slow";
    ev.ports = fast ? rng.uniformInt(2, 10) : rng.uniformInt(4, 20);
    static constexpr std::array<double, 3> kFast{60.0, 120.0, 180.0};
    static constexpr std::array<double, 2> kSlow{7.0, 11.0};
    ev.powerKw = fast ? kFast[static_cast<std::size_t>(rng.uniformInt(0, 2))] : kSlow[static_cast<std::size_t>(rng.uniformInt(0, 1))];
    chargers.push_back(ev);
  }
  return chargers;
}

std::vector<Substation> makeSubstations(const std::vector<Building>& buildings, const Planning& planning,
                                        const SiteRules& rules, const LocalFrame& frame) {
  const ObbGrid grid = buildingGrid(buildings);
  const PlaceFinder places(frame);
  Rng rng(hashSeed(kCitySeed, 0x7375627374ULL));  // "subst"
  std::vector<Substation> out;
  std::vector<int> perVoltageCount(3, 0);
  auto add = [&](P2 anchor, int kv, double maxOffset) {
    const P2 at = findSite(anchor, kv >= 500 ? 150.0 : kv >= 220 ? 80.0 : 40.0, maxOffset, rules, grid, false, rng);
    Substation s;
    s.at = at;
    s.voltageKv = kv;
    // The transformers are planned from the served load once all sites are placed (planSupply); this draw of
    // a count is kept only so that the draw order, and with it every site, stays as it was.
    s.transformers = kv == 500 ? 3 : kv == 220 ? rng.uniformInt(3, 4) : rng.uniformInt(2, 3);
    const int n = ++perVoltageCount[kv == 500 ? 0 : kv == 220 ? 1 : 2];
    const Place& near = places.nearest(at);
    s.nameZh = std::string(near.nameZh) + " " + std::to_string(kv) + "千伏变电站 " + std::to_string(n);
    s.nameEn = std::string(near.nameEn) + " " + std::to_string(kv) + " kV substation " + std::to_string(n);
    out.push_back(std::move(s));
  };
  add(frame.local(116.795, 39.975), 500, 2000.0);  // north-east, towards the Chaobai
  add(frame.local(116.735, 39.772), 500, 2000.0);  // south
  // 220 kV: ten in the core, one per town, the rest at industrial parks.
  const Box& core = planning.core.box();
  for (int k = 0; k < 10; ++k) {
    P2 a;
    do a = {rng.uniform(core.minX, core.maxX), rng.uniform(core.minY, core.maxY)};
    while (!planning.core.contains(a));
    add(a, 220, 800.0);
  }
  for (const Zone& z : planning.zones)
    if ((z.group == Group::Town || z.group == Group::Industrial) && static_cast<int>(out.size()) < 2 + kSubstations220)
      add(z.centre, 220, 0.8 * z.radius);
  // 110 kV: near buildings, more where there are more buildings.
  for (int k = 0; k < kSubstations110 && !buildings.empty(); ++k) {
    const Building& b = buildings[static_cast<std::size_t>(rng.uniformInt(0, static_cast<int>(buildings.size()) - 1))];
    add(b.bounds.c, 110, 600.0);
  }
  return out;
}

std::vector<AqStation> makeAqStations(const std::vector<Building>& buildings, const SiteRules& rules, const LocalFrame& frame) {
  struct Site {
    const Place* place;
    const char* type;
  };
  const std::vector<Site> sites{{&kAdminOfficeArea, "urban"},  {&kCanalBusinessDistrict, "urban"}, {&kStationHub, "traffic"},
                                {&kGreenHeart, "background"}, {&kUniversalResort, "urban"},       {&kOldTown, "urban"},
                                {&kTowns[0], "suburban"},      {&kTowns[1], "suburban"},           {&kTowns[2], "suburban"},
                                {&kTowns[3], "suburban"},      {&kTowns[4], "suburban"},           {&kTowns[6], "background"}};
  const ObbGrid grid = buildingGrid(buildings);
  Rng rng(hashSeed(kCitySeed, 0x6171ULL));  // "aq"
  std::vector<AqStation> out;
  for (const Site& site : sites) {
    AqStation s;
    s.at = findSite(frame.local(site.place->lon, site.place->lat), 10.0, 600.0, rules, grid, true, rng);
    s.code = numbered("aq-", static_cast<int>(out.size()) + 1, 2);
    s.nameZh = std::string(site.place->nameZh) + "空气质量监测站";
    s.nameEn = std::string(site.place->nameEn) + " air-quality station";
    s.siteType = site.type;
    out.push_back(std::move(s));
  }
  return out;
}

}  // namespace gtgen
