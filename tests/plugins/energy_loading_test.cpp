// The energy plugin's substation checks: every loading class boundary, N-1 on hand-made numbers and the overload
// alert's hysteresis.
#include <gtest/gtest.h>

#include <limits>

#include "loading.hpp"

namespace greentwin::energy {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(EnergyLoading, ClassBoundariesAreLowerInclusive) {
  EXPECT_EQ(loadingClass(-5.0), LoadingClass::Normal);  // a substation exporting
  EXPECT_EQ(loadingClass(0.0), LoadingClass::Normal);
  EXPECT_EQ(loadingClass(79.999), LoadingClass::Normal);
  EXPECT_EQ(loadingClass(80.0), LoadingClass::Heavy);
  EXPECT_EQ(loadingClass(89.999), LoadingClass::Heavy);
  EXPECT_EQ(loadingClass(90.0), LoadingClass::Alarm);
  EXPECT_EQ(loadingClass(99.999), LoadingClass::Alarm);
  EXPECT_EQ(loadingClass(100.0), LoadingClass::Overload);
  EXPECT_EQ(loadingClass(180.0), LoadingClass::Overload);
  EXPECT_FALSE(loadingClass(kNaN));
  EXPECT_FALSE(loadingClass(std::numeric_limits<double>::infinity()));
}

TEST(EnergyLoading, N1ComparesTheLoadWithTheFirmCapacity) {
  // 3 x 180 MVA = 540 MVA; firm capacity without one unit 360 MVA (66.7 %).
  auto c = checkN1(66.0, 540.0, 3);  // 356.4 MVA
  ASSERT_TRUE(c);
  EXPECT_DOUBLE_EQ(c->loadMva, 356.4);
  EXPECT_DOUBLE_EQ(c->firmCapacityMva, 360.0);
  EXPECT_FALSE(c->violated);
  c = checkN1(67.0, 540.0, 3);  // 361.8 MVA > 360
  EXPECT_TRUE(c->violated);
  // A 30 % emergency rating of the remaining units: firm 468 MVA; 86 % = 464.4 passes, 87 % = 469.8 does not.
  EXPECT_FALSE(checkN1(86.0, 540.0, 3, 1.3)->violated);
  EXPECT_TRUE(checkN1(87.0, 540.0, 3, 1.3)->violated);
  // 2 x 50 MVA: the other unit carries exactly 50 MVA; equal is still within.
  EXPECT_FALSE(checkN1(50.0, 100.0, 2)->violated);
  EXPECT_TRUE(checkN1(50.1, 100.0, 2)->violated);
  // 4 units: firm 75 %.
  EXPECT_FALSE(checkN1(75.0, 720.0, 4)->violated);
  EXPECT_TRUE(checkN1(75.5, 720.0, 4)->violated);
  // One transformer has no firm capacity: any load violates, none does not.
  EXPECT_TRUE(checkN1(0.1, 63.0, 1)->violated);
  EXPECT_FALSE(checkN1(0.0, 63.0, 1)->violated);
  // Not checkable.
  EXPECT_FALSE(checkN1(kNaN, 540.0, 3));
  EXPECT_FALSE(checkN1(50.0, 0.0, 3));
  EXPECT_FALSE(checkN1(50.0, 540.0, 0));
  EXPECT_FALSE(checkN1(50.0, 540.0, 3, 0.0));
}

TEST(EnergyLoading, OverloadAlertRaisesAtOverloadAndClearsOnlyWhenBackToNormal) {
  OverloadLatch latch;
  using C = OverloadLatch::Change;
  EXPECT_EQ(latch.update(LoadingClass::Normal), C::None);
  EXPECT_EQ(latch.update(LoadingClass::Alarm), C::None);
  EXPECT_EQ(latch.update(LoadingClass::Overload), C::Raised);
  EXPECT_TRUE(latch.active());
  EXPECT_EQ(latch.update(LoadingClass::Alarm), C::None);  // hovering about 100 %: one alert
  EXPECT_EQ(latch.update(LoadingClass::Overload), C::None);
  EXPECT_EQ(latch.update(LoadingClass::Heavy), C::None);
  EXPECT_TRUE(latch.active());
  EXPECT_EQ(latch.update(LoadingClass::Normal), C::Cleared);
  EXPECT_FALSE(latch.active());
  EXPECT_EQ(latch.update(LoadingClass::Normal), C::None);
  EXPECT_EQ(latch.update(LoadingClass::Overload), C::Raised);  // a new episode
}

}  // namespace
}  // namespace greentwin::energy
