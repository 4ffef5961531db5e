#pragma once
// One station's hourly means over the last year, as the plugin sees its readings (docs/air-quality.md "#14 and
// #15"): each sample is added to its local (UTC+8) clock hour, an hour's value is the mean of the samples in it, and
// a ring of 367 days x 24 hours per pollutant keeps the memory bounded (about 140 KiB per pollutant that has
// samples; none for one never published). An hour with any sample counts as an hourly value: GB 3095's 45 minutes of
// sampling per hour is the analyser's business and the twin sees values, not sampling times (our choice).
// Not thread-safe (the plugin uses it on the update thread).
#include <array>
#include <cstdint>
#include <vector>

#include "air_statistics.hpp"

namespace greentwin::air_quality {

class YearHours {
 public:
  static constexpr int kRingHours = 367 * 24;  // a whole calendar year to date, leap years and the running day too

  // A sample of pollutant p at utcUs (microseconds since the epoch). NaN, infinite and negative values are ignored,
  // and so is a sample older than the hour its ring slot holds now (more than kRingHours behind the newest).
  void add(std::int64_t utcUs, Pollutant p, double value);
  // The hourly means of local days [firstDay, firstDay + days) (NaN where an hour has no sample).
  StationHours hours(std::int64_t firstDay, int days) const;

 private:
  struct Slot {
    double sum = 0;
    std::int32_t hour = -1;  // local hour since 1970 (fits until the year 2215); -1: empty
    std::uint32_t count = 0;
  };
  std::array<std::vector<Slot>, kPollutantCount> ring_;  // allocated on a pollutant's first sample
};

}  // namespace greentwin::air_quality
