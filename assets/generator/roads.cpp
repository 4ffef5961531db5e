#include "roads.hpp"

#include <algorithm>
#include <map>

#include <ogr_geometry.h>

#include "ogr_bridge.hpp"
#include "places.hpp"
#include "rng.hpp"

namespace gtgen {

namespace {

struct RoadSpec {
  const char* cls;
  const char* nameZh;
  const char* nameEn;
  int lanes;
  double speedKmh;
  std::vector<std::array<double, 2>> lonLat;
};

// Approximate courses (a few hundred metres) of real roads, drawn for the demo; see docs/demo-data.md.
const std::vector<RoadSpec>& realRoadSketches() {
  static const std::vector<RoadSpec> kRoads{
      {"expressway", "六环路", "6th Ring Road", 8, 100.0,
       {{116.662, 40.030}, {116.654, 39.985}, {116.648, 39.945}, {116.644, 39.905}, {116.641, 39.870},
        {116.632, 39.836}, {116.602, 39.800}, {116.566, 39.776}, {116.520, 39.760}}},
      {"expressway", "京通快速路", "Jingtong Expressway", 6, 80.0,
       {{116.515, 39.9085}, {116.600, 39.9085}, {116.644, 39.9080}, {116.664, 39.9075}}},
      {"arterial", "长安街东延长线", "Chang'an Avenue East Extension", 8, 60.0,
       {{116.664, 39.9075}, {116.700, 39.9085}, {116.740, 39.9095}, {116.790, 39.9110}, {116.860, 39.9130}}},
      {"expressway", "京哈高速", "Jingha Expressway", 6, 110.0,
       {{116.515, 39.862}, {116.620, 39.848}, {116.680, 39.840}, {116.750, 39.832}, {116.860, 39.815},
        {116.960, 39.800}}},
      {"expressway", "京津高速", "Jingjin Expressway", 6, 110.0,
       {{116.515, 39.842}, {116.600, 39.803}, {116.660, 39.765}, {116.740, 39.705}, {116.800, 39.620}}},
  };
  return kRoads;
}

Road makeRoad(const char* cls, std::string nameZh, std::string nameEn, int lanes, double speed, Polyline line) {
  Road r;
  r.cls = cls;
  r.nameZh = std::move(nameZh);
  r.nameEn = std::move(nameEn);
  r.lanes = lanes;
  r.speedKmh = speed;
  r.line = std::move(line);
  return r;
}

// Clips a road to the district; a road may split into several pieces, each a Road with the same attributes.
void appendClipped(const Road& road, const OGRGeometry& district, std::vector<Road>& out) {
  OgrGeomPtr line = toOgrLine(road.line);
  if (district.Contains(line.get())) {
    out.push_back(road);
    return;
  }
  OgrGeomPtr clipped = wrap(line->Intersection(&district));
  for (Polyline& piece : linesOf(clipped.get())) {
    if (polylineLength(piece) < 30.0) continue;
    Road r = road;
    r.line = std::move(piece);
    out.push_back(std::move(r));
  }
}

// A polyline from a to b, bent slightly at two interior points (deterministic from rng).
Polyline bentLine(P2 a, P2 b, Rng& rng) {
  const P2 d = b - a;
  const P2 n = P2{-d.y, d.x} * (1.0 / std::max(1.0, length(d)));
  Polyline line{a};
  for (double t : {0.33, 0.67}) line.push_back(a + d * t + n * (rng.uniform(-0.04, 0.04) * length(d)));
  line.push_back(b);
  return line;
}

// Where the ray from the core centre towards p leaves the core octagon (bisection).
P2 coreExit(const Planning& planning, P2 p) {
  P2 in = planning.coreCentre, out = p;
  for (int k = 0; k < 40; ++k) {
    const P2 mid = (in + out) * 0.5;
    (planning.core.contains(mid) ? in : out) = mid;
  }
  return out;
}

}  // namespace

std::vector<Road> makeMajorRoads(const RealInputs& inputs, const Planning& planning, const LocalFrame& frame) {
  std::vector<Road> raw;
  for (const RoadSpec& spec : realRoadSketches()) {
    Polyline line;
    for (const auto& ll : spec.lonLat) line.push_back(frame.local(ll[0], ll[1]));
    raw.push_back(makeRoad(spec.cls, spec.nameZh, spec.nameEn, spec.lanes, spec.speedKmh, std::move(line)));
  }
  Polyline ring = planning.coreRing;
  ring.push_back(ring.front());
  raw.push_back(makeRoad("arterial", "核心区环路（示意）", "Core ring road (synthetic)", 6, 60.0, std::move(ring)));
  Rng rng(hashSeed(kCitySeed, 0x726f616473ULL));  // "roads"
  for (const Zone& z : planning.zones) {
    if (z.group != Group::Town || planning.core.contains(z.centre)) continue;
    const P2 start = coreExit(planning, z.centre);
    if (distance(start, z.centre) < 1500.0) continue;
    raw.push_back(makeRoad("arterial", "至" + z.nameZh + "干道（示意）", "Arterial to " + z.nameEn + " (synthetic)", 4,
                           60.0, bentLine(start, z.centre, rng)));
  }
  OgrGeomPtr district = toOgrPolygon(inputs.districtRings);
  std::vector<Road> roads;
  for (const Road& r : raw) appendClipped(r, *district, roads);
  return roads;
}

namespace {

// A street run along one grid line of a zone: from cell a to cell b (inclusive) at line index k.
struct Run {
  bool alongU;  // the run is parallel to the grid's u axis
  int k;        // line index (v = (k - 0.5) * pitch for alongU)
  int from, to; // block indices along the run
};

std::vector<Run> streetRuns(const std::vector<BlockRef>& blocks) {
  // Edges of occupied blocks: along u at lines j and j+1, along v at lines i and i+1.
  std::map<int, std::vector<int>> uLines, vLines;  // line index k -> block indices along the line
  for (const BlockRef& b : blocks) {
    for (int k : {b.j, b.j + 1}) uLines[k].push_back(b.i);
    for (int k : {b.i, b.i + 1}) vLines[k].push_back(b.j);
  }
  std::vector<Run> runs;
  auto collect = [&runs](auto& lines, bool alongU) {
    for (auto& [key, idx] : lines) {
      std::sort(idx.begin(), idx.end());
      idx.erase(std::unique(idx.begin(), idx.end()), idx.end());
      std::size_t s = 0;
      for (std::size_t e = 1; e <= idx.size(); ++e) {
        if (e == idx.size() || idx[e] != idx[e - 1] + 1) {
          runs.push_back({alongU, key, idx[s], idx[e - 1]});
          s = e;
        }
      }
    }
  };
  collect(uLines, true);
  collect(vLines, false);
  return runs;
}

Road streetRoad(const Zone& z, const Run& run) {
  const double p = z.pitch;
  const double line = (run.k - 0.5) * p;
  const double a = (run.from - 0.5) * p, b = (run.to + 0.5) * p;
  const P2 ga = run.alongU ? P2{a, line} : P2{line, a};
  const P2 gb = run.alongU ? P2{b, line} : P2{line, b};
  const P2 wa = z.centre + rotate(ga, z.cosR(), z.sinR());
  const P2 wb = z.centre + rotate(gb, z.cosR(), z.sinR());
  const bool major = z.profile != Profile::Village && (run.k % (z.profile == Profile::Industrial ? 2 : 4)) == 0;
  if (z.profile == Profile::Village) return makeRoad("local", "", "", 1, 20.0, {wa, wb});
  return major ? makeRoad("secondary", "", "", 4, 50.0, {wa, wb}) : makeRoad("local", "", "", 2, 30.0, {wa, wb});
}

}  // namespace

std::vector<Road> makeStreets(const RealInputs& inputs, const Planning& planning, std::vector<BlockRef> occupied) {
  std::sort(occupied.begin(), occupied.end());
  OgrGeomPtr district = toOgrPolygon(inputs.districtRings);
  std::vector<Road> streets;
  std::size_t s = 0;
  for (std::size_t e = 1; e <= occupied.size(); ++e) {
    if (e < occupied.size() && occupied[e].zone == occupied[s].zone) continue;
    const Zone& z = planning.zones.at(static_cast<std::size_t>(occupied[s].zone));
    const std::vector<BlockRef> blocks(occupied.begin() + static_cast<std::ptrdiff_t>(s),
                                       occupied.begin() + static_cast<std::ptrdiff_t>(e));
    for (const Run& run : streetRuns(blocks)) appendClipped(streetRoad(z, run), *district, streets);
    s = e;
  }
  return streets;
}

}  // namespace gtgen
