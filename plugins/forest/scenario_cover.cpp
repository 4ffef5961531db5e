// #17 / #18 in a what-if scenario (scenario_cover.hpp).
#include "scenario_cover.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace greentwin::forest {
namespace {

void collect(void* item, void* user) { static_cast<std::vector<void*>*>(user)->push_back(item); }

}  // namespace

ParkScenario::ParkScenario(const std::vector<Parcel>& greens, const std::vector<Shape>& residential,
                           const ParkServiceOptions& options)
    : options_(options) {
  GEOSContextHandle_t ctx = geos_.handle();
  GeometryIssues issues;  // counted by the baseline's run already
  for (const Parcel& p : greens) {
    if (options_.parkKinds.count(p.kind) == 0) continue;
    const Geos::Geometry g = geos_.polygonal(p.shape, issues);
    if (!g || geos_.area(g.get()) < options_.minParkAreaM2) continue;
    Geos::Geometry b = geos_.wrap(GEOSBuffer_r(ctx, g.get(), options_.radiusM, options_.quadrantSegments));
    if (b) buffers_.push_back(std::move(b));
  }
  if (!buffers_.empty()) {
    bufferTree_ = GEOSSTRtree_create_r(ctx, 10);
    for (const Geos::Geometry& b : buffers_) GEOSSTRtree_insert_r(ctx, bufferTree_, b.get(), b.get());
  }
  homes_.reserve(residential.size());
  homeIndex_.resize(residential.size());
  for (std::size_t i = 0; i < residential.size(); ++i) {
    homes_.push_back(geos_.polygonal(residential[i], issues));
    homeIndex_[i] = i;
  }
  homeTree_ = GEOSSTRtree_create_r(ctx, 10);
  for (std::size_t i = 0; i < homes_.size(); ++i) {
    if (homes_[i]) GEOSSTRtree_insert_r(ctx, homeTree_, homes_[i].get(), &homeIndex_[i]);
  }
}

ParkScenario::~ParkScenario() {
  GEOSContextHandle_t ctx = geos_.handle();
  if (bufferTree_ != nullptr) GEOSSTRtree_destroy_r(ctx, bufferTree_);
  if (homeTree_ != nullptr) GEOSSTRtree_destroy_r(ctx, homeTree_);
}

ParkScenario::Outcome ParkScenario::withParcels(const ParkService& baseline, const std::vector<Parcel>& added) const {
  GEOSContextHandle_t ctx = geos_.handle();
  Outcome out;
  out.residentialAreaM2 = baseline.residentialAreaM2;
  out.coveredAreaM2 = baseline.coveredAreaM2;
  GeometryIssues issues;
  std::vector<Geos::Geometry> newBuffers;
  for (const Parcel& p : added) {
    if (options_.parkKinds.count(p.kind) == 0) continue;
    const Geos::Geometry g = geos_.polygonal(p.shape, issues);
    if (!g || geos_.area(g.get()) < options_.minParkAreaM2) continue;
    Geos::Geometry b = geos_.wrap(GEOSBuffer_r(ctx, g.get(), options_.radiusM, options_.quadrantSegments));
    if (!b) continue;
    ++out.newParks;
    newBuffers.push_back(std::move(b));
  }
  // The homes a new buffer reaches (by envelope, then exactly below).
  std::set<std::size_t> reached;
  std::vector<void*> hits;
  for (const Geos::Geometry& b : newBuffers) {
    hits.clear();
    GEOSSTRtree_query_r(ctx, homeTree_, b.get(), collect, &hits);
    for (void* h : hits) reached.insert(*static_cast<const std::size_t*>(h));
  }
  const std::size_t n = std::min({homes_.size(), baseline.areaM2.size(), baseline.coveredShare.size()});
  for (const std::size_t i : reached) {
    if (i >= n || !homes_[i]) continue;
    const GEOSGeometry* home = homes_[i].get();
    std::vector<Geos::Geometry> parts;
    for (const Geos::Geometry& b : newBuffers) {
      if (GEOSIntersects_r(ctx, b.get(), home) == 1) parts.push_back(geos_.wrap(GEOSGeom_clone_r(ctx, b.get())));
    }
    if (parts.empty()) continue;  // the envelope only
    ++out.homesReached;
    hits.clear();
    if (bufferTree_ != nullptr) GEOSSTRtree_query_r(ctx, bufferTree_, home, collect, &hits);
    for (void* h : hits) parts.push_back(geos_.wrap(GEOSGeom_clone_r(ctx, static_cast<const GEOSGeometry*>(h))));
    std::vector<GEOSGeometry*> raw;
    for (Geos::Geometry& g : parts) raw.push_back(g.release());
    const Geos::Geometry collection = geos_.wrap(GEOSGeom_createCollection_r(
        ctx, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())));
    const Geos::Geometry service = geos_.wrap(GEOSUnaryUnion_r(ctx, collection.get()));
    const Geos::Geometry part = geos_.wrap(GEOSIntersection_r(ctx, home, service.get()));
    const double a = baseline.areaM2[i];
    const double before = std::isfinite(a) && std::isfinite(baseline.coveredShare[i]) ? baseline.coveredShare[i] * a : 0;
    const double after = std::min(std::isfinite(a) ? a : 0.0, geos_.area(part.get()));
    out.coveredAreaM2 += after - before;
  }
  out.coveredAreaM2 = std::clamp(out.coveredAreaM2, 0.0, out.residentialAreaM2);
  return out;
}

}  // namespace greentwin::forest
