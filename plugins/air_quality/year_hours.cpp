#include "year_hours.hpp"

#include <cmath>
#include <limits>

namespace greentwin::air_quality {

void YearHours::add(std::int64_t utcUs, Pollutant p, double value) {
  const int index = static_cast<int>(p) - 1;
  if (index < 0 || index >= kPollutantCount || !std::isfinite(value) || value < 0) return;
  const std::int64_t hour = localHourOf(utcUs);
  if (hour < 0 || hour > std::numeric_limits<std::int32_t>::max()) return;  // before 1970 or after 2215
  std::vector<Slot>& ring = ring_[static_cast<std::size_t>(index)];
  if (ring.empty()) ring.resize(kRingHours);
  Slot& slot = ring[static_cast<std::size_t>(hour % kRingHours)];
  if (slot.hour != hour) {
    if (slot.hour > hour) return;  // the slot holds a newer hour: this sample is more than a ring behind
    slot = Slot{0.0, static_cast<std::int32_t>(hour), 0};
  }
  slot.sum += value;
  ++slot.count;
}

StationHours YearHours::hours(std::int64_t firstDay, int days) const {
  StationHours out;
  out.firstDay = firstDay;
  if (days <= 0) return out;
  const std::int64_t firstHour = firstDay * 24;
  for (std::size_t p = 0; p < ring_.size(); ++p) {
    const std::vector<Slot>& ring = ring_[p];
    if (ring.empty()) continue;  // never published: an empty series (all missing)
    std::vector<double>& series = out.values[p];
    series.assign(static_cast<std::size_t>(days) * 24, std::numeric_limits<double>::quiet_NaN());
    for (std::size_t i = 0; i < series.size(); ++i) {
      const std::int64_t hour = firstHour + static_cast<std::int64_t>(i);
      if (hour < 0) continue;
      const Slot& slot = ring[static_cast<std::size_t>(hour % kRingHours)];
      if (slot.hour == hour && slot.count > 0) series[i] = slot.sum / slot.count;
    }
  }
  return out;
}

}  // namespace greentwin::air_quality
