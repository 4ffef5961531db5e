#pragma once
// Running means over whole clock hours for the "rolling" averaging of the AQI (docs/air-quality.md): samples are
// summed per clock hour (UTC hour index) in a ring of the last 24 hours, and a window's mean is the mean of the
// hourly means of the hours in it that have samples — the way a 24-h (or 8-h) mean is built from hourly values.
// Bounded memory whatever the sample rate. Not thread-safe (the plugin uses it on the update thread).
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>

namespace greentwin::air_quality {

class HourlyMeans {
 public:
  static constexpr int kHours = 24;
  static constexpr std::int64_t kHourUs = 3600LL * 1000000LL;

  // A sample at timeUs (microseconds since the epoch). Samples older than the ring are ignored; NaN is ignored.
  void add(std::int64_t timeUs, double value) {
    if (!std::isfinite(value)) return;
    const std::int64_t hour = floorDiv(timeUs, kHourUs);
    Bucket& b = buckets_[static_cast<std::size_t>(((hour % kHours) + kHours) % kHours)];
    if (b.hour != hour) {
      if (b.count > 0 && b.hour > hour) return;  // an old sample whose slot holds a newer hour
      b = Bucket{hour, 0.0, 0};
    }
    b.sum += value;
    ++b.count;
  }

  // Mean of the hourly means of the `hours` clock hours ending with the one holding nowUs (1..24); NaN when none
  // of them has a sample. `hoursWithData` (may be null) receives how many had.
  double mean(std::int64_t nowUs, int hours, int* hoursWithData = nullptr) const {
    const std::int64_t last = floorDiv(nowUs, kHourUs);
    double sum = 0;
    int n = 0;
    for (const Bucket& b : buckets_) {
      if (b.count > 0 && b.hour <= last && b.hour > last - hours) {
        sum += b.sum / b.count;
        ++n;
      }
    }
    if (hoursWithData != nullptr) *hoursWithData = n;
    return n > 0 ? sum / n : std::numeric_limits<double>::quiet_NaN();
  }

  void clear() { buckets_ = {}; }

 private:
  struct Bucket {
    std::int64_t hour = std::numeric_limits<std::int64_t>::min();
    double sum = 0;
    int count = 0;
  };
  static std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
  std::array<Bucket, kHours> buckets_{};
};

}  // namespace greentwin::air_quality
