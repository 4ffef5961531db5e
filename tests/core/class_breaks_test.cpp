// Equal intervals, quantiles (with ties), the squared-deviation fit and the method names. Natural breaks:
// natural_breaks_test.cpp.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "greentwin/core/class_breaks.hpp"

namespace gt {
namespace {

using Values = std::vector<double>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(ClassBreaks, EqualIntervalsSplitTheRangeEvenly) {
  EXPECT_EQ(equalIntervalBreaks(Values{0, 3, 10, 7}, 5), (Values{2, 4, 6, 8}));
  EXPECT_EQ(equalIntervalBreaks(Values{-10, 10}, 4), (Values{-5, 0, 5}));
  EXPECT_EQ(equalIntervalBreaks(Values{kNaN, 1, kInf, 3, -kInf}, 2), (Values{2}));  // non-finite values ignored
  EXPECT_TRUE(equalIntervalBreaks(Values{4, 4, 4}, 3).empty());  // one value: one class
  EXPECT_TRUE(equalIntervalBreaks(Values{}, 3).empty());
  EXPECT_TRUE(equalIntervalBreaks(Values{1, 2}, 1).empty());
}

TEST(ClassBreaks, QuantilesStartEachClassAtItsRank) {
  // n = 10, k = 4: classes start at ranks 2, 5 and 7 (0-based): {1,2} {3,4,5} {6,7} {8,9,10}.
  EXPECT_EQ(quantileBreaks(Values{10, 9, 8, 7, 6, 5, 4, 3, 2, 1}, 4), (Values{3, 6, 8}));
  EXPECT_EQ(quantileBreaks(Values{1, 2, 3, 4, 5, 6}, 3), (Values{3, 5}));
  EXPECT_EQ(quantileBreaks(Values{kNaN, 1, 2, kInf, 3, 4}, 2), (Values{3}));
}

TEST(ClassBreaks, QuantilesKeepTiesTogetherAndMergeCoincidingLimits) {
  // Ranks 2 and 4 fall on the run of 1s (the minimum: no limit), rank 6 on the 2: two classes, not four.
  EXPECT_EQ(quantileBreaks(Values{1, 1, 1, 1, 1, 1, 2, 3}, 4), (Values{2}));
  // The limit at rank 5 falls inside the run of 2s: the whole run starts the upper class.
  EXPECT_EQ(quantileBreaks(Values{1, 2, 2, 2, 2, 2, 2, 3, 4, 5}, 2), (Values{2}));
  // Ranks 3 and 6 of {1,1,1,2,2,2,2,2,3,3} both land in the 2s: one limit for both.
  EXPECT_EQ(quantileBreaks(Values{3, 2, 1, 2, 2, 3, 1, 2, 1, 2}, 3), (Values{2}));
  EXPECT_TRUE(quantileBreaks(Values{5, 5, 5, 5}, 3).empty());
}

TEST(ClassBreaks, SquaredDeviationWithinClassesAndTheFit) {
  const Values v{1, 2, 3, 10, 11, 12};
  EXPECT_DOUBLE_EQ(withinClassSquares(v, Values{10}), 4.0);           // 2 + 2
  EXPECT_DOUBLE_EQ(withinClassSquares(v, Values{}), 125.5);           // about the mean 6.5
  EXPECT_DOUBLE_EQ(varianceFit(v, Values{10}), 1.0 - 4.0 / 125.5);
  EXPECT_DOUBLE_EQ(varianceFit(v, Values{2, 3, 10, 11, 12}), 1.0);    // every value its own class
  EXPECT_DOUBLE_EQ(varianceFit(Values{7, 7}, Values{}), 0.0);
  // A value on a limit belongs to the class above it, as the colour rules draw it.
  EXPECT_DOUBLE_EQ(withinClassSquares(Values{1, 3, 5}, Values{3}), 2.0);
  // Large values keep their small spread.
  EXPECT_NEAR(withinClassSquares(Values{1e9, 1e9 + 1, 1e9 + 2}, Values{}), 2.0, 1e-6);
}

TEST(ClassBreaks, MethodNames) {
  for (ClassMethod m : {ClassMethod::EqualInterval, ClassMethod::Quantile, ClassMethod::NaturalBreaks}) {
    const auto parsed = classMethodFromName(toString(m));
    ASSERT_TRUE(parsed.isOk());
    EXPECT_EQ(*parsed, m);
  }
  EXPECT_EQ(*classMethodFromName("jenks"), ClassMethod::NaturalBreaks);
  const auto bad = classMethodFromName("kmeans");
  ASSERT_FALSE(bad.isOk());
  EXPECT_THAT(bad.status().message(), ::testing::HasSubstr("one of equal_interval, quantile, natural_breaks"));
  EXPECT_EQ(classBreaks(ClassMethod::Quantile, Values{1, 2, 3, 4}, 2), (Values{3}));
  EXPECT_EQ(classBreaks(ClassMethod::EqualInterval, Values{1, 2, 3, 4}, 3), (Values{2, 3}));
}

}  // namespace
}  // namespace gt
