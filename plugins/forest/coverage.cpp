#include "coverage.hpp"

#include "area_cover.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>

namespace greentwin::forest {
namespace {

using Geometry = Geos::Geometry;

// The union of polygonal geometries (taken): cascaded, or folded pairwise for the naive baseline.
Geometry unionOf(const Geos& geos, std::vector<Geometry> parts, Method method) {
  GEOSContextHandle_t ctx = geos.handle();
  if (parts.empty()) return geos.wrap(nullptr);
  if (method == Method::Naive) {
    Geometry u = std::move(parts.front());
    for (std::size_t i = 1; i < parts.size(); ++i) u = geos.wrap(GEOSUnion_r(ctx, u.get(), parts[i].get()));
    return u;
  }
  // A collection of polygons is not a valid MultiPolygon when they overlap: a GeometryCollection is.
  std::vector<GEOSGeometry*> raw;
  raw.reserve(parts.size());
  for (Geometry& p : parts) raw.push_back(p.release());
  Geometry collection = geos.wrap(GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(),
                                                              static_cast<unsigned>(raw.size())));
  return geos.wrap(GEOSUnaryUnion_r(ctx, collection.get()));
}

struct TreeHits {
  bool any = false;
};

void markHit(void* /*item*/, void* user) { static_cast<TreeHits*>(user)->any = true; }

}  // namespace

std::set<std::string> parseKinds(const std::string& list) {
  std::set<std::string> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string item = list.substr(start, end - start);
    const auto first = item.find_first_not_of(" \t");
    const auto last = item.find_last_not_of(" \t");
    if (first != std::string::npos) out.insert(item.substr(first, last - first + 1));
    start = end + 1;
  }
  return out;
}

namespace {

// #17 with the geometry it was computed from: the district's union and the forest land's (before clipping), kept
// for the KPIs over an area (CoverageIndex).
struct ForestLand {
  ForestCoverage coverage;
  Geometry district;
  Geometry land;
};

ForestLand forestLand(const Geos& geos, const std::vector<Shape>& district, const std::vector<Parcel>& parcels,
                      const std::set<std::string>& forestKinds, GeometryIssues& districtIssues,
                      GeometryIssues& parcelIssues, Method method) {
  GEOSContextHandle_t ctx = geos.handle();
  ForestLand out{{}, geos.wrap(nullptr), geos.wrap(nullptr)};
  std::vector<Geometry> districtParts;
  for (const Shape& s : district) {
    if (Geometry g = geos.polygonal(s, districtIssues)) districtParts.push_back(std::move(g));
  }
  out.district = unionOf(geos, std::move(districtParts), method);
  out.coverage.districtAreaM2 = geos.area(out.district.get());
  if (!out.district || out.coverage.districtAreaM2 <= 0) return out;

  std::vector<Geometry> forest;
  for (const Parcel& p : parcels) {
    if (forestKinds.count(p.kind) == 0) continue;
    if (Geometry g = geos.polygonal(p.shape, parcelIssues)) forest.push_back(std::move(g));
  }
  out.land = unionOf(geos, std::move(forest), method);
  if (!out.land) return out;
  if (method == Method::Indexed) {
    // Most forest land lies inside the district: then the union's area is the answer without an overlay.
    const GEOSPreparedGeometry* prepared = GEOSPrepare_r(ctx, out.district.get());
    const bool inside = GEOSPreparedCovers_r(ctx, prepared, out.land.get()) == 1;
    GEOSPreparedGeom_destroy_r(ctx, prepared);
    if (inside) {
      out.coverage.forestAreaM2 = geos.area(out.land.get());
      return out;
    }
  }
  const Geometry clipped = geos.wrap(GEOSIntersection_r(ctx, out.land.get(), out.district.get()));
  out.coverage.forestAreaM2 = geos.area(clipped.get());
  return out;
}

}  // namespace

ForestCoverage forestCoverage(const Geos& geos, const std::vector<Shape>& district, const std::vector<Parcel>& parcels,
                              const std::set<std::string>& forestKinds, GeometryIssues& districtIssues,
                              GeometryIssues& parcelIssues, Method method) {
  return forestLand(geos, district, parcels, forestKinds, districtIssues, parcelIssues, method).coverage;
}

ParkService parkService(const Geos& geos, const std::vector<Parcel>& greens, const std::vector<Shape>& residential,
                        const ParkServiceOptions& options, GeometryIssues& parkIssues,
                        GeometryIssues& residentialIssues, Method method) {
  GEOSContextHandle_t ctx = geos.handle();
  ParkService out;
  out.covered.assign(residential.size(), 0);
  out.coveredShare.assign(residential.size(), std::numeric_limits<double>::quiet_NaN());
  out.areaM2.assign(residential.size(), std::numeric_limits<double>::quiet_NaN());

  // The service area: every large enough park buffered by the radius, united.
  std::vector<Geometry> buffers;
  for (const Parcel& p : greens) {
    if (options.parkKinds.count(p.kind) == 0) continue;
    const Geometry g = geos.polygonal(p.shape, parkIssues);
    if (!g || geos.area(g.get()) < options.minParkAreaM2) continue;
    ++out.parks;
    buffers.push_back(geos.wrap(GEOSBuffer_r(ctx, g.get(), options.radiusM, options.quadrantSegments)));
    if (!buffers.back()) buffers.pop_back();
  }

  // The STRtree holds the single buffers (their envelopes): most residential features, away from every park,
  // are rejected by it without touching the (large) service area.
  GEOSSTRtree* tree = nullptr;
  if (method == Method::Indexed && !buffers.empty()) {
    tree = GEOSSTRtree_create_r(ctx, 10);
    for (const Geometry& b : buffers) GEOSSTRtree_insert_r(ctx, tree, b.get(), b.get());
  }
  // The same union for both methods; of copies, as the tree refers to the buffers.
  std::vector<Geometry> copies;
  for (const Geometry& b : buffers) copies.push_back(geos.wrap(GEOSGeom_clone_r(ctx, b.get())));
  const Geometry service = unionOf(geos, std::move(copies), Method::Indexed);
  const GEOSPreparedGeometry* prepared =
      service && method == Method::Indexed ? GEOSPrepare_r(ctx, service.get()) : nullptr;

  for (std::size_t i = 0; i < residential.size(); ++i) {
    const Geometry home = geos.polygonal(residential[i], residentialIssues);
    if (!home) continue;
    const double a = geos.area(home.get());
    out.residentialAreaM2 += a;
    out.areaM2[i] = a;
    double served = 0;
    if (!service) {
      served = 0;
    } else if (method == Method::Indexed) {
      TreeHits hits;
      if (tree != nullptr) GEOSSTRtree_query_r(ctx, tree, home.get(), markHit, &hits);
      if (!hits.any || GEOSPreparedIntersects_r(ctx, prepared, home.get()) != 1) {
        served = 0;
      } else if (GEOSPreparedCovers_r(ctx, prepared, home.get()) == 1) {
        served = a;
      } else {
        const Geometry part = geos.wrap(GEOSIntersection_r(ctx, home.get(), service.get()));
        served = std::min(a, geos.area(part.get()));
      }
    } else {
      const Geometry part = geos.wrap(GEOSIntersection_r(ctx, home.get(), service.get()));
      served = std::min(a, geos.area(part.get()));
    }
    out.coveredAreaM2 += served;
    const double share = a > 0 ? served / a : 0.0;
    out.coveredShare[i] = share;
    out.covered[i] = share >= options.coveredShare ? 1 : 0;
  }
  if (prepared != nullptr) GEOSPreparedGeom_destroy_r(ctx, prepared);
  if (tree != nullptr) GEOSSTRtree_destroy_r(ctx, tree);
  return out;
}

CoverageResults computeCoverage(const CoverageInputs& inputs, Method method) {
  // The context outlives the job: the index's geometries belong to it (CoverageIndex: one thread at a time).
  auto geos = std::make_shared<const Geos>();
  CoverageResults out;
  // #17 converts the forest land among the parcels, #18 the parks: both count into greenIssues (a parcel of a kind
  // that is both is counted twice).
  ForestLand land = forestLand(*geos, inputs.district, inputs.greens, inputs.forestKinds, out.districtIssues,
                               out.greenIssues, method);
  out.forest = land.coverage;
  out.park = parkService(*geos, inputs.greens, inputs.residential, inputs.park, out.greenIssues, out.residentialIssues,
                         method);
  // Every parcel once more, for its share of an area (the carbon uptake and canopy over an area); its problems were
  // counted above when it was forest land or a park.
  std::vector<Geometry> parcels;
  parcels.reserve(inputs.greens.size());
  GeometryIssues counted;
  for (const Parcel& p : inputs.greens) parcels.push_back(geos->polygonal(p.shape, counted));
  out.index = std::make_shared<CoverageIndex>(geos, std::move(land.district), std::move(land.land), std::move(parcels));
  return out;
}

}  // namespace greentwin::forest
