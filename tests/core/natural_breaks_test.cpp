// Natural breaks (Jenks): a classic dataset with its known breaks, the fast exact form against the textbook
// O(k n^2) program and against trying every partition, ties, and degenerate inputs.

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include "greentwin/core/class_breaks.hpp"

namespace gt {
namespace {

using Values = std::vector<double>;

// The least within-class squared deviation over every partition of the sorted values into k contiguous classes
// that does not split equal values, by trying them all (small n only).
double bestByEnumeration(Values v, int k) {
  std::sort(v.begin(), v.end());
  const int n = static_cast<int>(v.size());
  double best = std::numeric_limits<double>::infinity();
  std::vector<int> cuts(static_cast<std::size_t>(k - 1));
  for (int i = 0; i < k - 1; ++i) cuts[static_cast<std::size_t>(i)] = i + 1;
  for (;;) {
    Values breaks;
    bool valid = true;
    for (int c : cuts) {
      if (v[static_cast<std::size_t>(c)] == v[static_cast<std::size_t>(c - 1)]) valid = false;
      breaks.push_back(v[static_cast<std::size_t>(c)]);
    }
    if (valid) best = std::min(best, withinClassSquares(v, breaks));
    int i = k - 2;  // next combination of k-1 cut positions in 1..n-1
    while (i >= 0 && cuts[static_cast<std::size_t>(i)] == n - 1 - (k - 2 - i)) --i;
    if (i < 0) break;
    ++cuts[static_cast<std::size_t>(i)];
    for (int j = i + 1; j < k - 1; ++j) cuts[static_cast<std::size_t>(j)] = cuts[static_cast<std::size_t>(j - 1)] + 1;
  }
  return best;
}

// The example of jenkspy's documentation: 3 classes with upper limits 2.3, 5.0 and 7.8 (from 1.2), i.e. classes
// starting at 3.9 and 7.1; 4 classes add a start at 2.3.
TEST(NaturalBreaks, ClassicSmallDatasetHasItsKnownBreaks) {
  const Values v{1.3, 7.1, 7.3, 2.3, 3.9, 4.1, 7.8, 1.2, 4.3, 7.3, 5.0, 4.3};
  EXPECT_EQ(naturalBreaks(v, 3), (Values{3.9, 7.1}));
  EXPECT_EQ(naturalBreaksReference(v, 3), (Values{3.9, 7.1}));
  EXPECT_EQ(naturalBreaks(v, 4), (Values{2.3, 3.9, 7.1}));
  EXPECT_EQ(naturalBreaksReference(v, 4), (Values{2.3, 3.9, 7.1}));
  EXPECT_NEAR(withinClassSquares(v, naturalBreaks(v, 3)), 1.6955, 1e-9);
}

TEST(NaturalBreaks, SeparatesObviousClusters) {
  const Values v{50, 1, 12, 2, 51, 3, 10, 11, 49};
  EXPECT_EQ(naturalBreaks(v, 3), (Values{10, 49}));
  EXPECT_EQ(naturalBreaks(v, 2), (Values{49}));
}

TEST(NaturalBreaks, FastFormMatchesTheTextbookProgramOnRandomInputs) {
  std::mt19937 rng(16);
  for (int trial = 0; trial < 60; ++trial) {
    const int n = std::uniform_int_distribution<int>(3, 250)(rng);
    const int k = std::uniform_int_distribution<int>(2, 9)(rng);
    Values v(static_cast<std::size_t>(n));
    std::lognormal_distribution<double> value(3.0, 1.0);  // skewed, like heights and energy use
    for (double& x : v) x = value(rng);
    const Values fast = naturalBreaks(v, k), reference = naturalBreaksReference(v, k);
    EXPECT_EQ(fast, reference) << "n " << n << " k " << k;
    EXPECT_NEAR(withinClassSquares(v, fast), withinClassSquares(v, reference), 1e-9 * withinClassSquares(v, {}));
  }
}

TEST(NaturalBreaks, OptimalAgainstEveryPartitionWithTies) {
  std::mt19937 rng(7);
  for (int trial = 0; trial < 40; ++trial) {
    const int n = std::uniform_int_distribution<int>(4, 11)(rng);
    const int k = std::uniform_int_distribution<int>(2, 4)(rng);
    Values v(static_cast<std::size_t>(n));
    for (double& x : v) x = std::uniform_int_distribution<int>(0, 6)(rng);  // many equal values
    Values distinct = v;
    std::sort(distinct.begin(), distinct.end());
    distinct.erase(std::unique(distinct.begin(), distinct.end()), distinct.end());
    if (static_cast<int>(distinct.size()) <= k) continue;
    const Values fast = naturalBreaks(v, k);
    EXPECT_EQ(fast.size(), static_cast<std::size_t>(k - 1));
    EXPECT_NEAR(withinClassSquares(v, fast), bestByEnumeration(v, k), 1e-9);
    EXPECT_NEAR(withinClassSquares(v, naturalBreaksReference(v, k)), bestByEnumeration(v, k), 1e-9);
  }
}

TEST(NaturalBreaks, FewDistinctValuesGiveOneClassEach) {
  EXPECT_EQ(naturalBreaks(Values{3, 1, 1, 2, 2}, 5), (Values{2, 3}));
  EXPECT_EQ(naturalBreaks(Values{1, 2}, 2), (Values{2}));
  EXPECT_TRUE(naturalBreaks(Values{4, 4, 4}, 3).empty());
  EXPECT_TRUE(naturalBreaks(Values{}, 3).empty());
  EXPECT_TRUE(naturalBreaks(Values{1, 2, 3}, 1).empty());
  Values many(1000);
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = static_cast<double>(i);
  EXPECT_EQ(naturalBreaks(many, 100'000).size(), 255u);  // classes capped at 256, not a 100k x 1000 table
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_EQ(naturalBreaks(Values{nan, 1, 1, 9, std::numeric_limits<double>::infinity(), 10}, 2), (Values{9}));
}

TEST(NaturalBreaks, ManyValuesWithFewDistinctStayExact) {
  // 100k values over 40 distinct heights: the program runs over the 40 (weighted), and agrees with the textbook
  // one over a sample holding the same proportions.
  Values many, small;
  for (int i = 0; i < 100'000; ++i) many.push_back(3.0 * (i % 40) + (i % 40 > 30 ? 40 : 0));
  for (int i = 0; i < 400; ++i) small.push_back(3.0 * (i % 40) + (i % 40 > 30 ? 40 : 0));
  EXPECT_EQ(naturalBreaks(many, 4), naturalBreaksReference(small, 4));
}

}  // namespace
}  // namespace gt
