#pragma once
// The supply network of the synthetic city, planned once the substation sites are placed (docs/demo-data.md
// "Substations"): which substation serves each building, which feeds each substation, and the main transformers of
// each substation sized from the load it carries. Deterministic, no random draws (the city's other values stay as
// they were). The simulator sums its loads along this topology (docs/simulator.md "Energy").
//
// Planned peak of a building = annual energy (energy_kwh_m2_yr x footprint x floors) / the utilisation hours of the
// maximum load. Service areas: the 110 and 220 kV substations serve buildings (their 10 kV feeders); pairs of a
// building and one of its nearest serving substations are taken nearest first, a 110 kV substation taking a building
// while its planned peak stays within what its largest standard set carries at the target loading, a 220 kV one
// without limit (what no 110 kV substation nearby can take goes to the 220 kV substation's 10 kV feeders). Each
// 110 kV substation is fed by the nearest 220 kV one, each 220 kV by the nearest 500 kV one. Transformers: the
// smallest standard set carrying the substation's planned peak (its buildings' plus what it feeds) at the target
// loading and within N-1.

#include <vector>

#include "city.hpp"

namespace gtgen {

// Planning assumptions (see the docs for their basis).
inline constexpr double kMaxLoadHours = 4000.0;  // annual energy / peak load (最大负荷利用小时数), urban mix
inline constexpr double kTargetLoading = 0.6;    // planned peak / capacity
inline constexpr double kPowerFactor = 0.95;     // MW -> MVA, as the simulator's loading_pct

struct TransformerSet {
  int count = 0;
  double unitMva = 0.0;
  double capacityMva() const { return count * unitMva; }
};

// The smallest standard set (ties: fewer units) at voltage kv whose capacity carries peakMva at the target loading
// and whose firm capacity (one unit out) carries it; the largest set when none does. Standard units: 110 kV
// 2-3 x 31.5/50/63 MVA, 220 kV 2-4 x 180/240 MVA, 500 kV 2-4 x 750/1000/1200 MVA.
TransformerSet plannedTransformers(int kv, double peakMva);

// Sets every building's serving substation, every substation's feeding one, transformers and capacityMva.
void planSupply(std::vector<Substation>& substations, std::vector<Building>& buildings);

}  // namespace gtgen
