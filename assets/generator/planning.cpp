#include "planning.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "places.hpp"
#include "rng.hpp"

namespace gtgen {

double Zone::cosR() const { return std::cos(rotation); }
double Zone::sinR() const { return std::sin(rotation); }

P2 Zone::blockCentre(int i, int j) const {
  return centre + rotate({i * pitch, j * pitch}, cosR(), sinR());
}

P2 Zone::toGrid(P2 p) const { return rotate(p - centre, cosR(), -sinR()); }

bool Planning::zoneContains(const Zone& zone, P2 p) const {
  if (zone.radius <= 0.0) return core.contains(p);
  return distance(p, zone.centre) <= zone.radius;
}

const Zone* Planning::owner(P2 p) const {
  for (const Zone& z : zones)
    if (zoneContains(z, p)) return &z;
  return nullptr;
}

double distanceToRivers(const RealInputs& inputs, P2 p) {
  double best = 1e300;
  for (const Polyline& line : inputs.rivers)
    for (std::size_t i = 1; i < line.size(); ++i) best = std::min(best, distanceToSegment(p, line[i - 1], line[i]));
  return best;
}

namespace {

constexpr double kDeg = std::numbers::pi / 180.0;

Zone makeZone(const Place& place, const LocalFrame& frame, Profile profile, Group group, double radius,
              double rotationDeg, double pitch, double street) {
  Zone z;
  z.key = place.key;
  z.nameZh = place.nameZh;
  z.nameEn = place.nameEn;
  z.profile = profile;
  z.group = group;
  z.centre = frame.local(place.lon, place.lat);
  z.radius = radius;
  z.rotation = rotationDeg * kDeg;
  z.pitch = pitch;
  z.street = street;
  return z;
}

// The canal business district's grid follows the North Canal (heading south-east from its head).
double canalGridRotationDeg(const LocalFrame& frame) {
  const P2 d = frame.local(116.691, 39.892) - frame.local(116.663, 39.919);
  double deg = std::atan2(d.y, d.x) / kDeg;  // about -50
  while (deg < 0.0) deg += 90.0;             // a grid repeats every 90 degrees
  return deg;
}

void addCoreZones(Planning& p, const LocalFrame& frame) {
  p.zones.push_back(makeZone(kAdminOfficeArea, frame, Profile::Admin, Group::Core, 1300.0, 0.0, 250.0, 30.0));
  p.zones.push_back(makeZone(kCanalBusinessDistrict, frame, Profile::CanalCbd, Group::Core, 1100.0,
                             canalGridRotationDeg(frame), 160.0, 24.0));
  p.zones.push_back(makeZone(kStationHub, frame, Profile::StationHub, Group::Core, 450.0, 0.0, 300.0, 30.0));
  p.zones.push_back(makeZone(kUniversalResort, frame, Profile::Theme, Group::Core, 1000.0, 20.0, 220.0, 26.0));
  const Place core{"core", "副中心核心区", "Sub-center core area", kCoreCentreLon, kCoreCentreLat};
  p.zones.push_back(makeZone(core, frame, Profile::Urban, Group::Core, 0.0, 0.0, 160.0, 20.0));
}

void addTowns(Planning& p, const LocalFrame& frame, Rng& rng) {
  for (const Place& town : kTowns) {
    const double radius = town.key == std::string("songzhuang") ? 2000.0 : 1700.0;
    p.zones.push_back(makeZone(town, frame, Profile::Town, Group::Town, radius, rng.uniform(-15.0, 15.0), 150.0, 18.0));
  }
}

void addIndustrialParks(Planning& p, const LocalFrame& frame) {
  static constexpr std::array<Place, 4> kParks{{
      {"ind_majuqiao", "马驹桥产业园", "Majuqiao industrial park", 116.585, 39.777},
      {"ind_zhangjiawan", "张家湾产业园", "Zhangjiawan industrial park", 116.672, 39.812},
      {"ind_yongledian", "永乐店产业园", "Yongledian industrial park", 116.755, 39.708},
      {"ind_xiji", "西集产业园", "Xiji industrial park", 116.845, 39.775},
  }};
  for (const Place& park : kParks)
    p.zones.push_back(makeZone(park, frame, Profile::Industrial, Group::Industrial, 850.0, 0.0, 260.0, 24.0));
}

// Is a village of this radius at c clear of the core (and its green ring), towns, parks and rivers?
bool villageSiteOk(const Planning& p, const RealInputs& in, P2 c, double radius) {
  if (!in.district.contains(c) || p.core.contains(c)) return false;
  for (std::size_t i = 0; i < p.coreRing.size(); ++i)
    if (distanceToSegment(c, p.coreRing[i], p.coreRing[(i + 1) % p.coreRing.size()]) < 1300.0 + radius) return false;
  for (const Zone& z : p.zones)
    if (z.radius > 0.0 && distance(c, z.centre) < z.radius + radius + (z.group == Group::Village ? 600.0 : 500.0))
      return false;
  return distanceToRivers(in, c) > radius + 700.0;
}

void addVillages(Planning& p, const RealInputs& in, Rng& rng) {
  const Box& box = in.district.box();
  constexpr int kTarget = 170;
  int made = 0;
  for (int tries = 0; tries < 40000 && made < kTarget; ++tries) {
    const P2 c{rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)};
    const double radius = rng.uniform(170.0, 320.0);
    if (!villageSiteOk(p, in, c, radius)) continue;
    Zone z;
    ++made;
    char key[32];
    std::snprintf(key, sizeof key, "village_%03d", made);
    z.key = key;
    z.nameZh = "村庄 " + std::to_string(made);
    z.nameEn = "Village " + std::to_string(made);
    z.profile = Profile::Village;
    z.group = Group::Village;
    z.centre = c;
    z.radius = radius;
    z.rotation = rng.uniform(-45.0, 45.0) * kDeg;
    z.pitch = 70.0;
    z.street = 8.0;
    p.zones.push_back(std::move(z));
  }
}

}  // namespace

Planning makePlanning(const RealInputs& inputs, const LocalFrame& frame) {
  Planning p;
  p.coreCentre = frame.local(kCoreCentreLon, kCoreCentreLat);
  p.coreRing = coreAreaRing(p.coreCentre);
  p.core = Shape({p.coreRing});
  p.oldTown = frame.local(kOldTown.lon, kOldTown.lat);
  Rng rng(hashSeed(kCitySeed, 0x706c616eULL));  // "plan"
  addCoreZones(p, frame);
  addTowns(p, frame, rng);
  addIndustrialParks(p, frame);
  addVillages(p, inputs, rng);
  for (std::size_t i = 0; i < p.zones.size(); ++i) p.zones[i].id = static_cast<int>(i);
  return p;
}

}  // namespace gtgen
