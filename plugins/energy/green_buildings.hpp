#pragma once
// Indicator #9, star-rated green buildings' share of new building area (docs/energy.md "#9 green buildings"). Pure
// C++17, no SDK; any thread (no state).
//
//   share = floor area of the buildings completed in the period that hold a star rating (GB/T 50378-2019: one, two
//           or three stars) / floor area of all buildings completed in the period x 100
//
// The period is the programme's: completed from 2021 (the first year of the 14th five-year plan) up to the year of
// the clock time asked (Beijing time), so a building completed later does not count yet. The basic level (基本级)
// of GB/T 50378-2019 is no star rating: it counts in the denominator only, as does a building without a rating or
// whose rating is unknown.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace greentwin::energy {

inline constexpr int kGreenProgrammeFirstYear = 2021;

struct GreenBuilding {
  double floorAreaM2 = 0;
  int completedYear = 0;  // 0: unknown (left out)
  int stars = -1;         // 1..3 star-rated; 0 none or the basic level; -1 unknown (counted as not star-rated)
};

struct GreenBuildingShare {
  std::size_t buildings = 0;       // completed in the period, with a floor area
  std::size_t rated = 0;           // of those, star-rated
  std::size_t unknownRating = 0;   // of those, without a rating attribute
  double floorM2 = 0;              // their floor area
  double ratedFloorM2 = 0;         // of it, star-rated
  std::optional<double> sharePct() const {
    if (floorM2 <= 0) return std::nullopt;
    return 100.0 * ratedFloorM2 / floorM2;
  }
};

// Over every building, or over those whose indices are given.
GreenBuildingShare greenBuildingShare(const std::vector<GreenBuilding>& buildings, int firstYear, int lastYear);
GreenBuildingShare greenBuildingShare(const std::vector<GreenBuilding>& buildings,
                                      const std::vector<std::size_t>& indices, int firstYear, int lastYear);

// The calendar year of a time (microseconds since the epoch, UTC) in Beijing time (UTC+8, no daylight saving).
int beijingYearOf(std::int64_t utcUs);

}  // namespace greentwin::energy
