#pragma once
// Carbon uptake of a forest stand per day, in t CO2/day, from the simulator's net uptake rate carbon_uptake_kgc_h
// (kg C per hour for the whole stand; negative at night: respiration). Pure C++17, no SDK. Not thread-safe: one
// CarbonWindow per stand, used by one thread.
//
//   t CO2 = kg C x (44 / 12) / 1000        (the mass ratio of CO2 to C)
//
// Per day: the rate is INTEGRATED over the last 24 h of the samples seen (trapezoids between consecutive samples;
// a gap longer than maxGapUs is left out). Until the samples cover 24 h the day is EXTRAPOLATED from what was seen:
// the integral / the time covered x 24 h (the mean rate so far over a whole day; with a single sample, that rate x
// 24 h). So a twin that has run a day reports the day's net uptake, daytime uptake minus night-time release; one
// just started reports its current mean rate as a daily figure, which overstates it by day and understates it at
// night.
#include <cstdint>
#include <deque>
#include <optional>

namespace greentwin::forest {

inline constexpr double kCo2PerC = 44.0 / 12.0;
inline constexpr std::int64_t kMicrosPerHour = 3'600'000'000LL;
inline constexpr std::int64_t kMicrosPerDay = 24 * kMicrosPerHour;

// kg C/h held for a day, in t CO2/day.
double tCo2PerDayFromKgCPerHour(double kgCPerHour);

class CarbonWindow {
 public:
  explicit CarbonWindow(std::int64_t maxGapUs = 3 * kMicrosPerHour) : maxGapUs_(maxGapUs) {}

  // A sample (kg C/h) at timeUs. Ignored: NaN or infinite values, and samples not newer than the newest one.
  void add(std::int64_t timeUs, double kgCPerHour);
  // t CO2/day as described above; nullopt before the first sample.
  std::optional<double> tCo2PerDay() const;
  // The time the integral covers (<= 24 h), in hours.
  double coveredHours() const;
  bool empty() const { return samples_.empty(); }

 private:
  struct Sample {
    std::int64_t t;
    double v;
  };
  std::deque<Sample> samples_;
  std::int64_t maxGapUs_;
};

}  // namespace greentwin::forest
