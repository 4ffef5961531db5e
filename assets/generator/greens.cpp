#include "greens.hpp"

#include <cmath>
#include <numbers>
#include <string>

#include "ogr_bridge.hpp"
#include "places.hpp"
#include "rng.hpp"

namespace gtgen {

namespace {

// An irregular star-shaped blob around c with mean radius r (low-frequency wobbles, 48 vertices).
Ring blob(P2 c, double r, Rng& rng) {
  const double a2 = rng.uniform(0.0, 0.12), a3 = rng.uniform(0.0, 0.08), a5 = rng.uniform(0.0, 0.04);
  const double p2 = rng.uniform(0.0, 6.3), p3 = rng.uniform(0.0, 6.3), p5 = rng.uniform(0.0, 6.3);
  Ring ring;
  constexpr int kN = 48;
  for (int k = 0; k < kN; ++k) {
    const double t = 2.0 * std::numbers::pi * k / kN;
    const double rr = r * (1.0 + a2 * std::sin(2 * t + p2) + a3 * std::sin(3 * t + p3) + a5 * std::sin(5 * t + p5));
    ring.push_back({c.x + rr * std::cos(t), c.y + rr * std::sin(t)});
  }
  return ring;
}

// Collects green spaces and keeps them disjoint and inside the district.
//
// The overlays run in scene-CRS coordinates (local + origin), the coordinates the GeoPackage stores: GEOS
// output can hold vertices a nanometre apart, and a later translation by the origin would round them into
// self-intersections. Local results are projected - origin, which is exact (Sterbenz), so the writer's
// translation back restores GEOS's coordinates bit for bit.
class GreenBuilder {
 public:
  GreenBuilder(const RealInputs& in, P2 origin) : in_(in), origin_(origin), district_(toOgrPolygon(in.districtRings, origin)) {}

  OgrGeomPtr polygon(const Ring& ring) const { return toOgrPolygon({ring}, origin_); }
  OgrGeomPtr line(const Polyline& l) const { return toOgrLine(l, origin_); }
  OgrGeomPtr disc(P2 c, double r) const {
    OGRPoint p(c.x + origin_.x, c.y + origin_.y);
    return wrap(p.Buffer(r, 8));
  }

  // Clips g (scene CRS) to the district minus the greens already placed; returns the area added (m²).
  double add(OgrGeomPtr g, const char* kind, std::string nameZh, std::string nameEn, double minPartM2 = 20000.0) {
    OgrGeomPtr clipped = wrap(g->Intersection(district_.get()));
    if (!clipped) return 0.0;
    OGREnvelope env;
    clipped->getEnvelope(&env);
    for (const auto& placed : placed_) {
      OGREnvelope other;
      placed->getEnvelope(&other);
      if (!env.Intersects(other)) continue;
      clipped = wrap(clipped->Difference(placed.get()));
      if (!clipped) return 0.0;
    }
    GreenSpace green;
    std::vector<Polygon> kept;
    for (Polygon& part : polygonsOf(clipped.get())) {
      const double a = areaOf(toOgrPolygon(part).get());
      if (a < minPartM2) continue;
      green.areaM2 += a;
      kept.push_back(part);
      for (Ring& ring : part)
        for (P2& p : ring) p = p - origin_;
      green.parts.push_back(std::move(part));
    }
    if (green.parts.empty()) return 0.0;
    green.kind = kind;
    green.nameZh = std::move(nameZh);
    green.nameEn = std::move(nameEn);
    placed_.push_back(toOgrMultiPolygon(kept));
    total_ += green.areaM2;
    greens_.push_back(std::move(green));
    return greens_.back().areaM2;
  }

  double coverage() const { return total_ / in_.districtAreaM2; }
  OgrGeomPtr clipToDistrict(const OGRGeometry& g) const { return wrap(g.Intersection(district_.get())); }
  std::vector<GreenSpace> take() { return std::move(greens_); }

 private:
  const RealInputs& in_;
  P2 origin_;
  OgrGeomPtr district_;
  std::vector<OgrGeomPtr> placed_;
  std::vector<GreenSpace> greens_;
  double total_ = 0.0;
};

OgrGeomPtr riverBuffer(const GreenBuilder& b, const RealInputs& in, double width) {
  auto* multi = new OGRMultiLineString();
  for (const Polyline& line : in.rivers) multi->addGeometryDirectly(b.line(line).release());
  OgrGeomPtr lines = wrap(multi);
  return wrap(lines->Buffer(width, 8));
}

// The green-heart park: a blob scaled until its area (outside the river channel, inside the district) is
// kGreenHeartAreaKm2.
OgrGeomPtr greenHeart(const GreenBuilder& b, const RealInputs& in, const LocalFrame& frame, Rng& rng) {
  const P2 c = frame.local(kGreenHeart.lon, kGreenHeart.lat);
  const Ring shape = blob({0.0, 0.0}, 1.0, rng);
  OgrGeomPtr channel = riverBuffer(b, in, kRiverBuffer + 20.0);
  double r = std::sqrt(kGreenHeartAreaKm2 * 1e6 / std::numbers::pi);
  OgrGeomPtr park = wrap(nullptr);
  for (int iter = 0; iter < 6; ++iter) {
    Ring ring;
    for (P2 p : shape) ring.push_back(c + p * r);
    park = wrap(b.polygon(ring)->Difference(channel.get()));
    const double area = areaOf(park.get());
    if (std::abs(area / (kGreenHeartAreaKm2 * 1e6) - 1.0) < 0.005) break;
    r *= std::sqrt(kGreenHeartAreaKm2 * 1e6 / area);
  }
  // Keep the largest piece (the channel may cut off a sliver).
  std::vector<Polygon> parts = polygonsOf(park.get());
  std::size_t best = 0;
  double bestArea = -1.0;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const double a = std::abs(signedArea(parts[i].front()));
    if (a > bestArea) bestArea = a, best = i;
  }
  return toOgrPolygon(parts.at(best));
}

enum class RiverKind { Canal, Chaobai, Minor };

// The North Canal (and the Wenyu upstream of it) start or end at the canal head; the Chaobai runs east.
RiverKind classifyRiver(const Polyline& line, const LocalFrame& frame) {
  const P2 head = frame.local(116.6628, 39.9192);
  if (distance(line.front(), head) < 500.0 || distance(line.back(), head) < 500.0) return RiverKind::Canal;
  double meanX = 0.0;
  for (P2 p : line) meanX += p.x;
  meanX /= static_cast<double>(line.size());
  return meanX > frame.local(116.76, 39.9).x && polylineLength(line) > 3000.0 ? RiverKind::Chaobai : RiverKind::Minor;
}

void addRiverBelts(GreenBuilder& b, const RealInputs& in, const LocalFrame& frame) {
  std::vector<OgrGeomPtr> canal, chaobai, minor;
  for (const Polyline& line : in.rivers) {
    switch (classifyRiver(line, frame)) {
      case RiverKind::Canal: canal.push_back(wrap(b.line(line)->Buffer(320.0, 8))); break;
      case RiverKind::Chaobai: chaobai.push_back(wrap(b.line(line)->Buffer(650.0, 8))); break;
      case RiverKind::Minor: minor.push_back(wrap(b.line(line)->Buffer(150.0, 8))); break;
    }
  }
  auto unionOf = [](std::vector<OgrGeomPtr>& parts) {
    OgrGeomPtr u = wrap(nullptr);
    for (auto& g : parts) u = u ? wrap(u->Union(g.get())) : std::move(g);
    return u;
  };
  if (auto g = unionOf(canal)) b.add(std::move(g), "forest", "北运河滨河森林带", "North Canal riverside forest belt");
  if (auto g = unionOf(chaobai)) b.add(std::move(g), "forest", "潮白河生态森林带", "Chaobai River ecological forest belt");
  if (auto g = unionOf(minor)) b.add(std::move(g), "green_belt", "滨河绿带", "Riverside green belt");
}

// Wetlands beside the Chaobai and the lower canal, at fixed fractions of their length.
void addWetlands(GreenBuilder& b, const RealInputs& in, const LocalFrame& frame, Rng& rng) {
  int n = 0;
  for (const Polyline& line : in.rivers) {
    const RiverKind kind = classifyRiver(line, frame);
    if (kind == RiverKind::Minor) continue;
    const double len = polylineLength(line);
    for (double f : {0.55, 0.85}) {
      if (len < 8000.0) continue;
      P2 tangent;
      const P2 at = pointAlong(line, f * len, &tangent);
      const P2 side{tangent.y, -tangent.x};
      const double r = rng.uniform(550.0, 800.0);
      const P2 c = at + side * (kind == RiverKind::Chaobai ? -400.0 : 300.0);
      ++n;
      b.add(b.polygon(blob(c, r, rng)), "wetland", "湿地公园 " + std::to_string(n), "Wetland park " + std::to_string(n));
    }
  }
}

// The green ring around the core (一环), interrupted by towns.
void addCoreRing(GreenBuilder& b, const Planning& planning) {
  OgrGeomPtr core = b.polygon(planning.coreRing);
  OgrGeomPtr ring = wrap(wrap(core->Buffer(1100.0, 4))->Difference(wrap(core->Buffer(150.0, 4)).get()));
  for (const Zone& z : planning.zones) {
    if (z.group != Group::Town && z.group != Group::Industrial) continue;
    ring = wrap(ring->Difference(b.disc(z.centre, z.radius + 200.0).get()));
  }
  b.add(std::move(ring), "green_belt", "环城绿色休闲游憩环", "Ring green leisure belt");
}

void addParks(GreenBuilder& b, const Planning& planning, const RealInputs& in, Rng& rng) {
  for (const Zone& z : planning.zones) {
    if (z.group != Group::Town) continue;
    const double t = rng.uniform(0.0, 2.0 * std::numbers::pi);
    const P2 c = z.centre + P2{std::cos(t), std::sin(t)} * rng.uniform(300.0, 700.0);
    b.add(b.polygon(blob(c, rng.uniform(250.0, 420.0), rng)), "park", z.nameZh + "公园", z.nameEn + " Park");
  }
  const Box& box = planning.core.box();
  for (int n = 1, tries = 0; n <= 10 && tries < 500; ++tries) {
    const P2 c{rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)};
    if (!planning.core.contains(c) || distanceToRivers(in, c) < 500.0) continue;
    if (b.add(b.polygon(blob(c, rng.uniform(180.0, 330.0), rng)), "park", "社区公园 " + std::to_string(n),
              "Community park " + std::to_string(n)) > 0.0)
      ++n;
  }
}

bool forestSiteOk(const Planning& planning, const RealInputs& in, P2 c, double r) {
  if (!in.district.contains(c) || planning.core.contains(c)) return false;
  for (const Zone& z : planning.zones)
    if (z.radius > 0.0 && distance(c, z.centre) < z.radius + r + (z.group == Group::Village ? 150.0 : 300.0)) return false;
  return true;
}

// Plain-afforestation patches (平原造林) outside the core until the coverage target is met.
void addForestPatches(GreenBuilder& b, const Planning& planning, const RealInputs& in, Rng& rng) {
  const Box& box = in.district.box();
  int n = 0;
  for (int tries = 0; tries < 20000 && b.coverage() < kGreenCoverageTarget; ++tries) {
    const P2 c{rng.uniform(box.minX, box.maxX), rng.uniform(box.minY, box.maxY)};
    const double r = rng.uniform(350.0, 1100.0);
    if (!forestSiteOk(planning, in, c, r)) continue;
    if (b.add(b.polygon(blob(c, r, rng)), "forest", "平原森林 " + std::to_string(n + 1),
              "Plain forest " + std::to_string(n + 1), 50000.0) > 0.0)
      ++n;
  }
}

}  // namespace

std::vector<GreenSpace> makeGreenSpaces(const RealInputs& inputs, const Planning& planning, const LocalFrame& frame) {
  Rng rng(hashSeed(kCitySeed, 0x677265656eULL));  // "green"
  GreenBuilder b(inputs, frame.originProjected());
  b.add(greenHeart(b, inputs, frame, rng), "park", kGreenHeart.nameZh, kGreenHeart.nameEn);
  addWetlands(b, inputs, frame, rng);
  addRiverBelts(b, inputs, frame);
  addCoreRing(b, planning);
  addParks(b, planning, inputs, rng);
  addForestPatches(b, planning, inputs, rng);
  return b.take();
}

double greenCoverage(const std::vector<GreenSpace>& greens, const RealInputs& inputs) {
  double total = 0.0;
  for (const GreenSpace& g : greens) total += g.areaM2;
  return total / inputs.districtAreaM2;
}

}  // namespace gtgen
