#pragma once
// The two coverage KPIs of the forest plugin (docs/forest.md), with GEOS. Pure C++17, no SDK. Run with one Geos
// context on one thread.
//
//  #17 forest coverage (森林覆盖率) = area of the forest land inside the district / area of the district, in %.
//      Forest land: the parcels whose kind is one of forestKinds (a setting); overlapping parcels are counted once
//      (the area of their union), parts outside the district not at all.
//  #18 park green space service radius coverage (公园绿地服务半径覆盖率, the method of GB/T 50563-2010
//      《城市园林绿化评价标准》) = residential land within the service radius (500 m) of a park of at least 5,000 m2
//      / all residential land, in %. Parks: the parcels whose kind is one of parkKinds with an area >= minParkAreaM2;
//      each is buffered by radiusM from its boundary, the buffers united into the service area, and every residential
//      feature intersected with it. A feature counts as covered (the per-feature flag the map shows) when at least
//      coveredShare of its area lies in the service area; the KPI itself sums the covered AREA.
#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "geometry.hpp"

namespace greentwin::forest {

struct Parcel {
  std::string kind;  // "forest", "park", "wetland", "green_belt", ... ("" unknown)
  Shape shape;
};

// Indexed: cascaded union (GEOSUnaryUnion), prepared geometry and an STRtree; Naive: the same results by
// pairwise unions and plain intersections of every feature (the benchmark's baseline).
enum class Method { Indexed, Naive };

struct ForestCoverage {
  double forestAreaM2 = 0;    // the forest land's union, inside the district
  double districtAreaM2 = 0;  // the district's union
  double sharePct() const { return districtAreaM2 > 0 ? 100.0 * forestAreaM2 / districtAreaM2 : 0.0; }
};

ForestCoverage forestCoverage(const Geos& geos, const std::vector<Shape>& district, const std::vector<Parcel>& parcels,
                              const std::set<std::string>& forestKinds, GeometryIssues& districtIssues,
                              GeometryIssues& parcelIssues, Method method = Method::Indexed);

struct ParkServiceOptions {
  std::set<std::string> parkKinds{"park"};
  double minParkAreaM2 = 5000.0;
  double radiusM = 500.0;
  int quadrantSegments = 16;  // the buffer's arcs: segments per quarter circle
  double coveredShare = 0.5;  // a feature's flag: covered when at least this share of its area is served
};

struct ParkService {
  double residentialAreaM2 = 0;
  double coveredAreaM2 = 0;
  std::size_t parks = 0;               // parks large enough to count
  std::vector<std::uint8_t> covered;   // per residential feature (input order): 1 covered, 0 not
  std::vector<double> coveredShare;    // per residential feature: share of its area served, 0..1 (NaN: left out)
  std::vector<double> areaM2;          // per residential feature: its area, m2 (NaN: left out)
  double sharePct() const { return residentialAreaM2 > 0 ? 100.0 * coveredAreaM2 / residentialAreaM2 : 0.0; }
};

ParkService parkService(const Geos& geos, const std::vector<Parcel>& greens, const std::vector<Shape>& residential,
                        const ParkServiceOptions& options, GeometryIssues& parkIssues,
                        GeometryIssues& residentialIssues, Method method = Method::Indexed);

// Both KPIs over one district, as the plugin computes them off the update thread and the benchmark times them.
struct CoverageInputs {
  std::vector<Shape> district;
  std::vector<Parcel> greens;        // the green-space parcels: forest land and parks among them by kind
  std::vector<Shape> residential;    // the residential land's features
  std::set<std::string> forestKinds{"forest"};
  ParkServiceOptions park;
};
class CoverageIndex;  // area_cover.hpp
struct CoverageResults {
  ForestCoverage forest;
  ParkService park;
  GeometryIssues districtIssues, greenIssues, residentialIssues;
  // The district, the forest land and the parcels as GEOS geometry, for the KPIs over an area (area_cover.hpp).
  // Built by the job; once handed over, used by one thread at a time.
  std::shared_ptr<CoverageIndex> index;
};
// Makes its own GEOS context (kept by the index): any thread.
CoverageResults computeCoverage(const CoverageInputs& inputs, Method method = Method::Indexed);

// "forest, green_belt" -> {"forest", "green_belt"}: comma-separated, blanks trimmed, empty items dropped.
std::set<std::string> parseKinds(const std::string& list);

}  // namespace greentwin::forest
