#include "area_cover.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::forest {
namespace {

void collect(void* item, void* user) {
  static_cast<std::vector<const void*>*>(user)->push_back(item);
}

}  // namespace

CoverageIndex::CoverageIndex(std::shared_ptr<const Geos> geos, Geos::Geometry district, Geos::Geometry forestLand,
                             std::vector<Geos::Geometry> parcels)
    : geos_(std::move(geos)), district_(std::move(district)), land_(std::move(forestLand)), parcels_(std::move(parcels)) {
  GEOSContextHandle_t ctx = geos_->handle();
  if (district_) preparedDistrict_ = GEOSPrepare_r(ctx, district_.get());
  if (land_) {
    // The union's polygons one by one: an area meets a few of them, not the whole (multi)polygon.
    const int n = GEOSGetNumGeometries_r(ctx, land_.get());
    for (int i = 0; i < n; ++i) {
      const GEOSGeometry* part = GEOSGetGeometryN_r(ctx, land_.get(), i);
      landParts_.push_back({static_cast<std::size_t>(i), part, geos_->area(part)});
    }
  }
  for (std::size_t i = 0; i < parcels_.size(); ++i) {
    if (parcels_[i]) parcelItems_.push_back({i, parcels_[i].get(), geos_->area(parcels_[i].get())});
  }
  landTree_ = treeOf(landParts_);
  parcelTree_ = treeOf(parcelItems_);
}

CoverageIndex::~CoverageIndex() {
  GEOSContextHandle_t ctx = geos_->handle();
  if (landTree_ != nullptr) GEOSSTRtree_destroy_r(ctx, landTree_);
  if (parcelTree_ != nullptr) GEOSSTRtree_destroy_r(ctx, parcelTree_);
  if (preparedDistrict_ != nullptr) GEOSPreparedGeom_destroy_r(ctx, preparedDistrict_);
}

GEOSSTRtree* CoverageIndex::treeOf(const std::vector<Item>& items) const {
  if (items.empty()) return nullptr;
  GEOSContextHandle_t ctx = geos_->handle();
  GEOSSTRtree* tree = GEOSSTRtree_create_r(ctx, 10);
  for (const Item& item : items) {
    GEOSSTRtree_insert_r(ctx, tree, item.geometry, const_cast<Item*>(&item));
  }
  return tree;
}

std::optional<CoverageIndex::AreaCover> CoverageIndex::cover(const Shape& area) const {
  GEOSContextHandle_t ctx = geos_->handle();
  GeometryIssues issues;
  Geos::Geometry shape = geos_->polygonal(area, issues);
  if (!shape) return std::nullopt;
  AreaCover out;
  if (preparedDistrict_ != nullptr && GEOSPreparedCovers_r(ctx, preparedDistrict_, shape.get()) != 1) {
    shape = geos_->wrap(GEOSIntersection_r(ctx, shape.get(), district_.get()));
    out.clipped = true;
    if (!shape) return std::nullopt;
  }
  out.areaM2 = geos_->area(shape.get());
  if (out.areaM2 <= 0) return out;
  const GEOSPreparedGeometry* prepared = GEOSPrepare_r(ctx, shape.get());
  // The part of an item in the area: all of it when the area covers it, else an overlay of the two.
  const auto inside = [&](const Item& item) {
    if (GEOSPreparedIntersects_r(ctx, prepared, item.geometry) != 1) return 0.0;
    if (GEOSPreparedCovers_r(ctx, prepared, item.geometry) == 1) return item.areaM2;
    const Geos::Geometry part = geos_->wrap(GEOSIntersection_r(ctx, item.geometry, shape.get()));
    return std::min(item.areaM2, geos_->area(part.get()));
  };
  std::vector<const void*> hits;
  if (landTree_ != nullptr) {
    GEOSSTRtree_query_r(ctx, landTree_, shape.get(), collect, &hits);
    for (const void* h : hits) out.forestM2 += inside(*static_cast<const Item*>(h));
  }
  hits.clear();
  if (parcelTree_ != nullptr) {
    GEOSSTRtree_query_r(ctx, parcelTree_, shape.get(), collect, &hits);
    for (const void* h : hits) {
      const Item& item = *static_cast<const Item*>(h);
      const double a = inside(item);
      if (a > 0 && item.areaM2 > 0) out.parcelShares.emplace_back(item.index, std::min(1.0, a / item.areaM2));
    }
    std::sort(out.parcelShares.begin(), out.parcelShares.end());
  }
  GEOSPreparedGeom_destroy_r(ctx, prepared);
  out.forestM2 = std::min(out.forestM2, out.areaM2);
  return out;
}

double CoverageIndex::addedForestM2(const std::vector<Shape>& parcels) const {
  GEOSContextHandle_t ctx = geos_->handle();
  GeometryIssues issues;
  std::vector<GEOSGeometry*> raw;
  for (const Shape& s : parcels) {
    if (Geos::Geometry g = geos_->polygonal(s, issues)) raw.push_back(g.release());
  }
  if (raw.empty()) return 0.0;
  const Geos::Geometry collection = geos_->wrap(
      GEOSGeom_createCollection_r(ctx, GEOS_GEOMETRYCOLLECTION, raw.data(), static_cast<unsigned>(raw.size())));
  Geos::Geometry added = geos_->wrap(GEOSUnaryUnion_r(ctx, collection.get()));
  if (added && district_) added = geos_->wrap(GEOSIntersection_r(ctx, added.get(), district_.get()));
  if (added && land_) added = geos_->wrap(GEOSDifference_r(ctx, added.get(), land_.get()));
  return added ? geos_->area(added.get()) : 0.0;
}

ParkInArea parkServiceIn(const ParkService& park, const std::vector<Point>& centroids, const PointInShape& area) {
  ParkInArea out;
  const std::size_t n = std::min({centroids.size(), park.areaM2.size(), park.coveredShare.size()});
  for (std::size_t i = 0; i < n; ++i) {
    const double a = park.areaM2[i];
    const double share = park.coveredShare[i];
    if (!std::isfinite(a) || !std::isfinite(share) || !area.contains(centroids[i])) continue;
    ++out.homes;
    out.residentialM2 += a;
    out.coveredM2 += share * a;
  }
  return out;
}

}  // namespace greentwin::forest
