#pragma once
// The forest plugin's KPIs over an area of the map (docs/forest.md "Over an area"). Pure C++17 over GEOS, no SDK.
//
//  #17 in an area = forest land inside the area / the area, both within the district (no parcel is known outside
//      it): the forest land is the union the district method built (overlapping parcels counted once), so an area
//      covering the district gives the district's figure.
//  parcels: the share of each green-space parcel's area lying in the area, for the carbon uptake and the mean
//      canopy over an area (a parcel counts with the part of it inside).
//  #18 in an area = over the residential features whose footprint CENTROID lies in the area: their area served by
//      a park / their area (the district method's per-feature served areas; parkServiceIn).
//
// A CoverageIndex is built by the coverage job (computeCoverage, on the job's thread, with its own GEOS context) and
// handed over with the results; from then on one thread at a time uses it (the plugin's update thread). Per call
// the area is converted and prepared once; the forest land's polygons and the parcels sit in STRtrees, so an area
// touches only the geometry near it.
#include <cstddef>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "coverage.hpp"
#include "geometry.hpp"

namespace greentwin::forest {

class CoverageIndex {
 public:
  // district, forestLand: unions (either may be null: no district layer, no forest land); parcels: one geometry per
  // green-space parcel in the plugin's order (null: unusable, left out).
  CoverageIndex(std::shared_ptr<const Geos> geos, Geos::Geometry district, Geos::Geometry forestLand,
                std::vector<Geos::Geometry> parcels);
  ~CoverageIndex();
  CoverageIndex(const CoverageIndex&) = delete;
  CoverageIndex& operator=(const CoverageIndex&) = delete;

  struct AreaCover {
    double areaM2 = 0;    // the area within the district (all of it when there is no district)
    double forestM2 = 0;  // the forest land in that
    std::vector<std::pair<std::size_t, double>> parcelShares;  // (parcel index, share of its area inside), > 0 only
    bool clipped = false;  // part of the area lies outside the district
    double forestPct() const { return areaM2 > 0 ? 100.0 * forestM2 / areaM2 : 0.0; }
  };
  // nullopt: the area has no usable polygon (repaired like a feature when invalid).
  std::optional<AreaCover> cover(const Shape& area) const;
  bool hasDistrict() const { return district_ != nullptr; }
  // What-if scenarios (#17): the area of new forest parcels' union inside the district (all of it without a
  // district) that is not forest land already, m2.
  double addedForestM2(const std::vector<Shape>& parcels) const;

 private:
  struct Item {
    std::size_t index;
    const GEOSGeometry* geometry;
    double areaM2;
  };
  GEOSSTRtree* treeOf(const std::vector<Item>& items) const;

  std::shared_ptr<const Geos> geos_;
  Geos::Geometry district_, land_;
  std::vector<Geos::Geometry> parcels_;
  const GEOSPreparedGeometry* preparedDistrict_ = nullptr;
  std::vector<Item> landParts_, parcelItems_;  // not resized after the trees are built (the trees point into them)
  GEOSSTRtree* landTree_ = nullptr;
  GEOSSTRtree* parcelTree_ = nullptr;
};

struct ParkInArea {
  std::size_t homes = 0;         // residential features counted (centroid inside, usable geometry)
  double residentialM2 = 0;      // their area
  double coveredM2 = 0;          // of it, served by a park
  double sharePct() const { return residentialM2 > 0 ? 100.0 * coveredM2 / residentialM2 : 0.0; }
};
// #18 over the features of `park` (ParkService, per feature) whose centroid (same order) lies in the area.
ParkInArea parkServiceIn(const ParkService& park, const std::vector<Point>& centroids, const PointInShape& area);

}  // namespace greentwin::forest
