#pragma once
// #17 and #18 in a what-if scenario with new green-space parcels (docs/forest.md "Scenarios"; issue 16), computed
// incrementally from the baseline's results so that a scenario costs what its new parcels touch, not a new run over
// the district. Pure C++17 with GEOS, no SDK. One object is used by one thread at a time (its own GEOS context).
//
//  #18: a new park of a park kind and at least the minimum area serves the residential land within the radius of
//       its boundary. Only the homes its buffer reaches change: each one's served area becomes its intersection
//       with the union of the buffers that reach it (baseline parks' and new ones'); the others keep their
//       baseline share. Equal to a full run of parkService with the new parcels added.
//  #17: a new parcel of a forest kind adds its part inside the district that is not forest land already
//       (CoverageIndex::addedForestM2).
#include <cstddef>
#include <vector>

#include "coverage.hpp"
#include "geometry.hpp"

namespace greentwin::forest {

class ParkScenario {
 public:
  // The baseline parks' buffers (selected as parkService selects them) and the residential features, indexed.
  ParkScenario(const std::vector<Parcel>& greens, const std::vector<Shape>& residential,
               const ParkServiceOptions& options);
  ~ParkScenario();
  ParkScenario(const ParkScenario&) = delete;
  ParkScenario& operator=(const ParkScenario&) = delete;

  struct Outcome {
    double residentialAreaM2 = 0;
    double coveredAreaM2 = 0;
    std::size_t newParks = 0;      // added parcels that count as parks (kind, minimum area)
    std::size_t homesReached = 0;  // residential features within the radius of a new park
    double sharePct() const { return residentialAreaM2 > 0 ? 100.0 * coveredAreaM2 / residentialAreaM2 : 0.0; }
  };
  // `baseline`: parkService's result for the same greens and residential features (input order).
  Outcome withParcels(const ParkService& baseline, const std::vector<Parcel>& added) const;

 private:
  Geos geos_;
  ParkServiceOptions options_;
  std::vector<Geos::Geometry> buffers_;  // baseline parks' service buffers
  std::vector<Geos::Geometry> homes_;    // residential features (null: unusable), input order
  GEOSSTRtree* bufferTree_ = nullptr;
  GEOSSTRtree* homeTree_ = nullptr;
  std::vector<std::size_t> homeIndex_;   // the tree's items point into this
};

}  // namespace greentwin::forest
