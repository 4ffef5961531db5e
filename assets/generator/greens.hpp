#pragma once
// Synthetic green spaces: the city green-heart forest park, forest belts along the rivers, wetlands, the green
// ring around the core, town and community parks, and plain-afforestation forest patches until the district's
// green coverage reaches kGreenCoverageTarget. All parts are clipped to the district and mutually disjoint.

#include <vector>

#include "city.hpp"
#include "planning.hpp"

namespace gtgen {

std::vector<GreenSpace> makeGreenSpaces(const RealInputs& inputs, const Planning& planning, const LocalFrame& frame);

// Share of the district covered by the (disjoint) green spaces.
double greenCoverage(const std::vector<GreenSpace>& greens, const RealInputs& inputs);

}  // namespace gtgen
