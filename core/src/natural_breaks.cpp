// Natural breaks (Jenks; Fisher's exact optimal partition of ordered values), fast and reference forms
// (class_breaks.hpp says what each promises).
//
// Both minimise the total within-class squared deviation over partitions of the sorted values into contiguous
// classes: D[c][i] = min over j of D[c-1][j] + cost(j, i), where D[c][i] is the best cost of the first i values in
// c classes and cost(j, i) the squared deviation of values j..i-1 about their mean (from prefix sums of weight,
// value and value squared). The fast form runs it over distinct values with weights and, for each c, finds every
// row's argmin by divide and conquer: the leftmost best j for i is non-decreasing in i (cost is a Monge array), so
// the middle row's argmin splits the search ranges of the rows above and below it.

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "greentwin/core/class_breaks.hpp"

namespace gt {
namespace {

// Prefix sums over (value, weight) items, values centred on their mean so the squares stay small.
class SquaredCost {
 public:
  SquaredCost(const std::vector<double>& values, const std::vector<double>& weights) {
    double total = 0, weight = 0;
    for (std::size_t i = 0; i < values.size(); ++i) {
      total += values[i] * weights[i];
      weight += weights[i];
    }
    const double centre = weight > 0 ? total / weight : 0.0;
    w_.assign(values.size() + 1, 0.0);
    s_.assign(values.size() + 1, 0.0);
    q_.assign(values.size() + 1, 0.0);
    for (std::size_t i = 0; i < values.size(); ++i) {
      const double x = values[i] - centre;
      w_[i + 1] = w_[i] + weights[i];
      s_[i + 1] = s_[i] + weights[i] * x;
      q_[i + 1] = q_[i] + weights[i] * x * x;
    }
  }
  // Squared deviation of items [from, to) about their mean.
  double operator()(std::size_t from, std::size_t to) const {
    const double w = w_[to] - w_[from];
    if (w <= 0) return 0.0;
    const double s = s_[to] - s_[from];
    return std::max(0.0, (q_[to] - q_[from]) - s * s / w);
  }

 private:
  std::vector<double> w_, s_, q_;
};

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr std::size_t kMaxClasses = 256;  // the argmin tables take k x m entries

struct Rows {
  const SquaredCost& cost;
  const std::vector<double>& previous;  // D[c-1][*]
  std::vector<double>& current;         // D[c][*]
  std::vector<std::uint32_t>& argmin;   // the start of class c for the first i items
  std::size_t firstSplit;               // c - 1: every earlier class holds at least one item

  // Rows i in [lo, hi], their argmin known to lie in [jLo, jHi].
  void solve(std::size_t lo, std::size_t hi, std::size_t jLo, std::size_t jHi) {
    if (lo > hi) return;
    const std::size_t mid = lo + (hi - lo) / 2;
    double best = kInfinity;
    std::size_t bestJ = std::max(jLo, firstSplit);
    for (std::size_t j = std::max(jLo, firstSplit); j <= std::min(jHi, mid - 1); ++j) {
      const double d = previous[j] + cost(j, mid);
      if (d < best) {
        best = d;
        bestJ = j;
      }
    }
    current[mid] = best;
    argmin[mid] = static_cast<std::uint32_t>(bestJ);
    if (mid > lo) solve(lo, mid - 1, jLo, bestJ);
    solve(mid + 1, hi, bestJ, jHi);
  }
};

// The lowest value of each class but the first, from the class starts found by backtracking the argmin tables.
std::vector<double> backtrack(const std::vector<std::vector<std::uint32_t>>& argmin, const std::vector<double>& items,
                              std::size_t classes) {
  std::vector<double> breaks;
  std::size_t end = items.size();
  for (std::size_t c = classes; c >= 2; --c) {
    end = argmin[c][end];
    breaks.push_back(items[end]);
  }
  std::reverse(breaks.begin(), breaks.end());
  // A break between equal raw values (the reference form only) would be no limit at all; the caller's classes
  // then merge there.
  breaks.erase(std::unique(breaks.begin(), breaks.end()), breaks.end());
  if (!breaks.empty() && !items.empty() && breaks.front() <= items.front()) breaks.erase(breaks.begin());
  return breaks;
}

}  // namespace

std::vector<double> naturalBreaks(std::span<const double> values, int classes) {
  const std::vector<double> sorted = finiteSorted(values);
  std::vector<double> distinct, weights;
  for (double v : sorted) {
    if (distinct.empty() || v != distinct.back()) {
      distinct.push_back(v);
      weights.push_back(1.0);
    } else {
      weights.back() += 1.0;
    }
  }
  const std::size_t m = distinct.size();
  if (m < 2 || classes < 2) return {};
  const auto k = std::min<std::size_t>(static_cast<std::size_t>(classes), kMaxClasses);
  if (m <= k) return {distinct.begin() + 1, distinct.end()};
  const SquaredCost cost(distinct, weights);
  std::vector<double> previous(m + 1, kInfinity), current(m + 1, kInfinity);
  for (std::size_t i = 1; i <= m; ++i) previous[i] = cost(0, i);
  std::vector<std::vector<std::uint32_t>> argmin(k + 1);
  for (std::size_t c = 2; c <= k; ++c) {
    argmin[c].assign(m + 1, 0);
    std::fill(current.begin(), current.end(), kInfinity);
    Rows rows{cost, previous, current, argmin[c], c - 1};
    rows.solve(c, m, c - 1, m - 1);
    std::swap(previous, current);
  }
  return backtrack(argmin, distinct, k);
}

std::vector<double> naturalBreaksReference(std::span<const double> values, int classes) {
  const std::vector<double> sorted = finiteSorted(values);
  const std::size_t n = sorted.size();
  if (n < 2 || classes < 2 || sorted.front() == sorted.back()) return {};
  const std::size_t k = std::min<std::size_t>(static_cast<std::size_t>(classes), n);
  const SquaredCost cost(sorted, std::vector<double>(n, 1.0));
  std::vector<std::vector<double>> best(k + 1, std::vector<double>(n + 1, kInfinity));
  std::vector<std::vector<std::uint32_t>> argmin(k + 1, std::vector<std::uint32_t>(n + 1, 0));
  for (std::size_t i = 1; i <= n; ++i) best[1][i] = cost(0, i);
  for (std::size_t c = 2; c <= k; ++c) {
    for (std::size_t i = c; i <= n; ++i) {
      for (std::size_t j = c - 1; j < i; ++j) {
        const double d = best[c - 1][j] + cost(j, i);
        if (d < best[c][i]) {
          best[c][i] = d;
          argmin[c][i] = static_cast<std::uint32_t>(j);
        }
      }
    }
  }
  return backtrack(argmin, sorted, k);
}

}  // namespace gt
