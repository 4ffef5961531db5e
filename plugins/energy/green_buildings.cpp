#include "green_buildings.hpp"

#include <cmath>

namespace greentwin::energy {
namespace {

void add(GreenBuildingShare& out, const GreenBuilding& b, int firstYear, int lastYear) {
  if (b.completedYear < firstYear || b.completedYear > lastYear) return;
  if (!std::isfinite(b.floorAreaM2) || b.floorAreaM2 <= 0) return;
  ++out.buildings;
  out.floorM2 += b.floorAreaM2;
  if (b.stars < 0) ++out.unknownRating;
  if (b.stars >= 1) {
    ++out.rated;
    out.ratedFloorM2 += b.floorAreaM2;
  }
}

}  // namespace

GreenBuildingShare greenBuildingShare(const std::vector<GreenBuilding>& buildings, int firstYear, int lastYear) {
  GreenBuildingShare out;
  for (const GreenBuilding& b : buildings) add(out, b, firstYear, lastYear);
  return out;
}

GreenBuildingShare greenBuildingShare(const std::vector<GreenBuilding>& buildings,
                                      const std::vector<std::size_t>& indices, int firstYear, int lastYear) {
  GreenBuildingShare out;
  for (const std::size_t i : indices) {
    if (i < buildings.size()) add(out, buildings[i], firstYear, lastYear);
  }
  return out;
}

int beijingYearOf(std::int64_t utcUs) {
  constexpr std::int64_t kDayUs = 86'400'000'000LL;
  const std::int64_t local = utcUs + 8 * 3'600'000'000LL;
  std::int64_t days = local / kDayUs - ((local % kDayUs) < 0 ? 1 : 0);
  // Civil year from days since 1970-01-01 (H. Hinnant's algorithm).
  days += 719468;
  const std::int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const std::int64_t doe = days - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t month = mp < 10 ? mp + 3 : mp - 9;
  return static_cast<int>(yoe + era * 400 + (month <= 2 ? 1 : 0));
}

}  // namespace greentwin::energy
