#include "carbon.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::forest {

double tCo2PerDayFromKgCPerHour(double kgCPerHour) { return kgCPerHour * 24.0 * kCo2PerC / 1000.0; }

void CarbonWindow::add(std::int64_t timeUs, double kgCPerHour) {
  if (!std::isfinite(kgCPerHour)) return;
  if (!samples_.empty() && timeUs <= samples_.back().t) return;
  samples_.push_back({timeUs, kgCPerHour});
  // Keep one sample at or before the window's start (for the value there), drop the older ones.
  const std::int64_t start = timeUs - kMicrosPerDay;
  while (samples_.size() >= 2 && samples_[1].t <= start) samples_.pop_front();
}

std::optional<double> CarbonWindow::tCo2PerDay() const {
  if (samples_.empty()) return std::nullopt;
  if (samples_.size() == 1) return tCo2PerDayFromKgCPerHour(samples_.front().v);
  const std::int64_t start = samples_.back().t - kMicrosPerDay;
  double kgC = 0, hours = 0;
  for (std::size_t i = 1; i < samples_.size(); ++i) {
    Sample a = samples_[i - 1];
    const Sample& b = samples_[i];
    if (b.t - a.t > maxGapUs_) continue;  // a gap: neither integrated nor counted as covered
    if (a.t < start) {  // the interval crossing the window's start: from the value interpolated there
      const double f = static_cast<double>(start - a.t) / static_cast<double>(b.t - a.t);
      a = {start, a.v + f * (b.v - a.v)};
    }
    const double h = static_cast<double>(b.t - a.t) / static_cast<double>(kMicrosPerHour);
    kgC += 0.5 * (a.v + b.v) * h;
    hours += h;
  }
  if (hours <= 0) return tCo2PerDayFromKgCPerHour(samples_.back().v);  // only gaps: the newest rate
  const double kgCPerDay = hours >= 24.0 ? kgC : kgC / hours * 24.0;
  return kgCPerDay * kCo2PerC / 1000.0;
}

double CarbonWindow::coveredHours() const {
  if (samples_.size() < 2) return 0;
  const std::int64_t start = samples_.back().t - kMicrosPerDay;
  double hours = 0;
  for (std::size_t i = 1; i < samples_.size(); ++i) {
    const std::int64_t a = std::max(samples_[i - 1].t, start);
    if (samples_[i].t - samples_[i - 1].t > maxGapUs_) continue;
    hours += static_cast<double>(samples_[i].t - a) / static_cast<double>(kMicrosPerHour);
  }
  return hours;
}

}  // namespace greentwin::forest
