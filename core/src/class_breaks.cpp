// Equal intervals, quantiles, the goodness of fit and the method names (natural breaks: natural_breaks.cpp).

#include <algorithm>
#include <cmath>
#include <string>

#include "greentwin/core/class_breaks.hpp"

namespace gt {

std::vector<double> finiteSorted(std::span<const double> values) {
  std::vector<double> out;
  out.reserve(values.size());
  for (double v : values) {
    if (std::isfinite(v)) out.push_back(v);
  }
  std::sort(out.begin(), out.end());
  return out;
}

Result<ClassMethod> classMethodFromName(std::string_view name) {
  if (name == "equal_interval") return ClassMethod::EqualInterval;
  if (name == "quantile") return ClassMethod::Quantile;
  if (name == "natural_breaks" || name == "jenks") return ClassMethod::NaturalBreaks;
  return Status(ErrorCode::InvalidArgument, "unknown classification '" + std::string(name) +
                                                "' (one of equal_interval, quantile, natural_breaks)");
}

const char* toString(ClassMethod method) {
  switch (method) {
    case ClassMethod::EqualInterval: return "equal_interval";
    case ClassMethod::Quantile: return "quantile";
    case ClassMethod::NaturalBreaks: return "natural_breaks";
  }
  return "?";
}

std::vector<double> equalIntervalBreaks(std::span<const double> values, int classes) {
  double lo = INFINITY, hi = -INFINITY;
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  std::vector<double> breaks;
  if (!(lo < hi) || classes < 2) return breaks;
  for (int i = 1; i < classes; ++i) {
    const double limit = lo + (hi - lo) * i / classes;
    if (limit > lo && (breaks.empty() || limit > breaks.back())) breaks.push_back(limit);
  }
  return breaks;
}

std::vector<double> quantileBreaks(std::span<const double> values, int classes) {
  const std::vector<double> sorted = finiteSorted(values);
  std::vector<double> breaks;
  if (sorted.empty() || classes < 2) return breaks;
  const std::size_t n = sorted.size();
  for (int i = 1; i < classes; ++i) {
    const double limit = sorted[static_cast<std::size_t>(i) * n / static_cast<std::size_t>(classes)];
    if (limit > sorted.front() && (breaks.empty() || limit > breaks.back())) breaks.push_back(limit);
  }
  return breaks;
}

double withinClassSquares(std::span<const double> values, std::span<const double> breaks) {
  // Welford's running mean and squared deviation per class: sums of squares of large values lose the variance.
  std::vector<double> mean(breaks.size() + 1), squares(breaks.size() + 1);
  std::vector<std::size_t> count(breaks.size() + 1);
  for (double v : values) {
    if (!std::isfinite(v)) continue;
    const auto c = static_cast<std::size_t>(std::upper_bound(breaks.begin(), breaks.end(), v) - breaks.begin());
    ++count[c];
    const double delta = v - mean[c];
    mean[c] += delta / static_cast<double>(count[c]);
    squares[c] += delta * (v - mean[c]);
  }
  double total = 0;
  for (double s : squares) total += s;
  return total;
}

double varianceFit(std::span<const double> values, std::span<const double> breaks) {
  const double all = withinClassSquares(values, {});
  return all > 0 ? 1.0 - withinClassSquares(values, breaks) / all : 0.0;
}

std::vector<double> classBreaks(ClassMethod method, std::span<const double> values, int classes) {
  switch (method) {
    case ClassMethod::EqualInterval: return equalIntervalBreaks(values, classes);
    case ClassMethod::Quantile: return quantileBreaks(values, classes);
    case ClassMethod::NaturalBreaks: return naturalBreaks(values, classes);
  }
  return {};
}

}  // namespace gt
