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

double ParkScenario::servedArea(const GEOSGeometry* home, const std::vector<Geos::Geometry>& extra,
                                bool& reachedByExtra) const {
  GEOSContextHandle_t ctx = geos_.handle();
  std::vector<Geos::Geometry> parts;
  for (const Geos::Geometry& b : extra) {
    if (GEOSIntersects_r(ctx, b.get(), home) == 1) parts.push_back(geos_.wrap(GEOSGeom_clone_r(ctx, b.get())));
  }
  reachedByExtra = !parts.empty();
  std::vector<void*> hits;
  if (bufferTree_ != nullptr) GEOSSTRtree_query_r(ctx, bufferTree_, home, collect, &hits);
  for (void* h : hits) {
    const auto* b = static_cast<const GEOSGeometry*>(h);
    if (GEOSIntersects_r(ctx, b, home) == 1) parts.push_back(geos_.wrap(GEOSGeom_clone_r(ctx, b)));
  }
  if (parts.empty()) return 0;
  std::vector<GEOSGeometry*> raw;
  for (Geos::Geometry& g : parts) raw.push_back(g.release());
  const Geos::Geometry collection = geos_.wrap(
      GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())));
  const Geos::Geometry service = geos_.wrap(GEOSUnaryUnion_r(ctx, collection.get()));
  const Geos::Geometry part = geos_.wrap(GEOSIntersection_r(ctx, home, service.get()));
  return part ? geos_.area(part.get()) : 0.0;
}

ParkScenario::Outcome ParkScenario::withParcels(const ParkService& baseline, const std::vector<Parcel>& added,
                                                const HomeChanges& homes) const {
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
  const std::size_t n = std::min({homes_.size(), baseline.areaM2.size(), baseline.coveredShare.size()});
  // A baseline home's area and served area, as the baseline counted them (0 for one it left out).
  const auto baselineArea = [&](std::size_t i) { return std::isfinite(baseline.areaM2[i]) ? baseline.areaM2[i] : 0.0; };
  const auto baselineCovered = [&](std::size_t i) {
    return std::isfinite(baseline.coveredShare[i]) ? baseline.coveredShare[i] * baselineArea(i) : 0.0;
  };
  // Homes taken away leave both sums.
  std::set<std::size_t> removed;
  for (const std::size_t i : homes.removed) {
    if (i >= n || !removed.insert(i).second) continue;
    out.residentialAreaM2 -= baselineArea(i);
    out.coveredAreaM2 -= baselineCovered(i);
    ++out.homesRemoved;
  }
  // The homes a new buffer reaches (by envelope, then exactly in servedArea).
  std::set<std::size_t> reached;
  std::vector<void*> hits;
  for (const Geos::Geometry& b : newBuffers) {
    hits.clear();
    GEOSSTRtree_query_r(ctx, homeTree_, b.get(), collect, &hits);
    for (void* h : hits) reached.insert(*static_cast<const std::size_t*>(h));
  }
  for (const std::size_t i : reached) {
    if (i >= n || !homes_[i] || removed.count(i) != 0) continue;
    bool byNewPark = false;
    const double served = servedArea(homes_[i].get(), newBuffers, byNewPark);
    if (!byNewPark) continue;  // the envelope only
    ++out.homesReached;
    out.coveredAreaM2 += std::min(baselineArea(i), served) - baselineCovered(i);
  }
  // New homes join with the part the baseline parks and the new ones serve.
  for (const Shape& shape : homes.added) {
    const Geos::Geometry home = geos_.polygonal(shape, issues);
    if (!home) continue;
    const double area = geos_.area(home.get());
    if (!std::isfinite(area) || area <= 0) continue;
    bool byNewPark = false;
    const double served = servedArea(home.get(), newBuffers, byNewPark);
    out.residentialAreaM2 += area;
    out.coveredAreaM2 += std::min(area, served);
    ++out.homesAdded;
    if (byNewPark) ++out.homesReached;
  }
  out.residentialAreaM2 = std::max(out.residentialAreaM2, 0.0);
  out.coveredAreaM2 = std::clamp(out.coveredAreaM2, 0.0, out.residentialAreaM2);
  return out;
}

}  // namespace greentwin::forest
