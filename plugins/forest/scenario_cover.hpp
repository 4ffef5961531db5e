#pragma once
// #17 and #18 in a what-if scenario with new green-space parcels (docs/forest.md "Scenarios"; issue 16), computed
// incrementally from the baseline's results so that a scenario costs what its new parcels touch, not a new run over
// the district. Pure C++17 with GEOS, no SDK. One object is used by one thread at a time (its own GEOS context).
//
//  #18: a new park of a park kind and at least the minimum area serves the residential land within the radius of
//       its boundary. Only the homes its buffer reaches change: each one's served area becomes its intersection
//       with the union of the buffers that reach it (baseline parks' and new ones'); the others keep their
//       baseline share. Equal to a full run of parkService with the new parcels added.
//       Homes removed (a removed building, or one whose use is set to a non-residential one) leave the sum; homes
//       added (a new residential building, or one whose use is set to residential) join it with their area served by
//       the baseline parks and the new ones. Equal to a full run with the residential features changed so.
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

  // The residential features a scenario takes away (indices into the constructor's `residential`) and adds.
  struct HomeChanges {
    std::vector<std::size_t> removed;
    std::vector<Shape> added;
    std::size_t unknownIds = 0;  // building ids an edit named that the residential layer does not have
  };

  struct Outcome {
    double residentialAreaM2 = 0;
    double coveredAreaM2 = 0;
    std::size_t newParks = 0;      // added parcels that count as parks (kind, minimum area)
    std::size_t homesReached = 0;  // residential features within the radius of a new park
    std::size_t homesRemoved = 0;  // baseline residential features left out
    std::size_t homesAdded = 0;    // new residential features counted (with a usable footprint)
    double sharePct() const { return residentialAreaM2 > 0 ? 100.0 * coveredAreaM2 / residentialAreaM2 : 0.0; }
  };
  // `baseline`: parkService's result for the same greens and residential features (input order).
  Outcome withParcels(const ParkService& baseline, const std::vector<Parcel>& added,
                      const HomeChanges& homes) const;
  Outcome withParcels(const ParkService& baseline, const std::vector<Parcel>& added) const {
    return withParcels(baseline, added, HomeChanges());
  }

 private:
  Geos geos_;
  ParkServiceOptions options_;
  std::vector<Geos::Geometry> buffers_;  // baseline parks' service buffers
  std::vector<Geos::Geometry> homes_;    // residential features (null: unusable), input order
  GEOSSTRtree* bufferTree_ = nullptr;
  GEOSSTRtree* homeTree_ = nullptr;
  std::vector<std::size_t> homeIndex_;   // the tree's items point into this

  // The area of `home` inside the union of the baseline buffers and `extra` that reach it (0 when none does).
  double servedArea(const GEOSGeometry* home, const std::vector<Geos::Geometry>& extra, bool& reachedByExtra) const;
};

}  // namespace greentwin::forest
