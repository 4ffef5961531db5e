// CJJ 92-2016's water balance as the water plugin computes it (plugins/water/leakage.hpp), on volumes whose answers
// are worked by hand.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "leakage.hpp"

namespace greentwin::water {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

TEST(WaterLeakage, ComprehensiveLossRateIsTheLossOverTheSupply) {
  // 1000 m3 in, 880 billed, 20 unbilled: 100 m3 lost, 10 %.
  const Rate r = comprehensiveLossRate({1000, 880, 20});
  ASSERT_TRUE(r.pct);
  EXPECT_DOUBLE_EQ(*r.pct, 10.0);
  EXPECT_DOUBLE_EQ(r.lossM3, 100.0);
  EXPECT_TRUE(r.problem.empty());
  // Everything accounted for: 0 %.
  EXPECT_DOUBLE_EQ(*comprehensiveLossRate({500, 500, 0}).pct, 0.0);
}

TEST(WaterLeakage, NoSupplyHasNoRateAndConsumptionWithoutSupplyIsAProblem) {
  const Rate idle = comprehensiveLossRate({0, 0, 0});
  EXPECT_FALSE(idle.pct);
  EXPECT_TRUE(idle.problem.empty());  // nothing flowed: no rate, nothing wrong
  const Rate odd = comprehensiveLossRate({0, 5, 0});
  EXPECT_FALSE(odd.pct);
  EXPECT_EQ(odd.problem, "consumption metered without any supply");
}

TEST(WaterLeakage, BadReadingsAreRefusedWithTheirReason) {
  EXPECT_EQ(comprehensiveLossRate({1000, kNaN, 0}).problem, "billed volume is not a number");
  EXPECT_EQ(comprehensiveLossRate({-1, 0, 0}).problem, "supplied volume is negative");
  EXPECT_EQ(comprehensiveLossRate({1000, 900, -5}).problem, "unbilled volume is negative");
  EXPECT_EQ(comprehensiveLossRate({std::numeric_limits<double>::infinity(), 0, 0}).problem,
            "supplied volume is not a number");
  // Meters that disagree: a negative loss would read as a perfect network.
  const Rate over = comprehensiveLossRate({1000, 990, 20});
  EXPECT_FALSE(over.pct);
  EXPECT_EQ(over.problem, "authorised consumption exceeds the supply");
  EXPECT_DOUBLE_EQ(over.lossM3, -10.0);
}

TEST(WaterLeakage, TheDistrictSumsVolumesNotRates) {
  // 10 % and 20 % areas of unequal supply: (100 + 100) / 1500 = 13.33 %, not the mean 15 %; the NaN area is skipped.
  const BalanceSum s = sumBalances({{1000, 880, 20}, {500, 400, 0}, {kNaN, 1, 1}});
  EXPECT_EQ(s.areas, 2);
  EXPECT_EQ(s.skipped, 1);
  EXPECT_DOUBLE_EQ(s.total.suppliedM3, 1500.0);
  EXPECT_DOUBLE_EQ(s.total.billedM3, 1280.0);
  EXPECT_DOUBLE_EQ(s.total.unbilledM3, 20.0);
  EXPECT_NEAR(*comprehensiveLossRate(s.total).pct, 200.0 / 15.0, 1e-12);
}

TEST(WaterLeakage, Cjj92CorrectionsAsReconstructed) {
  // r = 0.45: R1 = 0.08 x 0.45 x 100 = 3.6. 200 km over 2.5e7 m3/yr = 2500 (10^4 m3): A = 0.08,
  // R2 = 0.99 x (0.08 - 0.0693) x 100 = 1.0593. 0.28 MPa: R3 = 0. 0.8 m frost: R4 = 0.
  const auto c = cjj92Corrections({0.45, 200, 2.5e7, 0.28, 0.8});
  ASSERT_TRUE(c);
  EXPECT_NEAR(c->r1, 3.6, 1e-12);
  EXPECT_NEAR(c->r2, 1.0593, 1e-9);
  EXPECT_EQ(c->r3, 0.0);
  EXPECT_EQ(c->r4, 0.0);
  EXPECT_NEAR(c->total(), 4.6593, 1e-9);
  // R2 is kept within +-3 percentage points: A = 0.8 gives +3, A = 0.004 gives -3.
  EXPECT_EQ(cjj92Corrections({0, 2000, 2.5e7, 0, 0})->r2, 3.0);
  EXPECT_EQ(cjj92Corrections({0, 10, 2.5e7, 0, 0})->r2, -3.0);
  // R3's steps take the pressure strictly above each limit; R4 the frost depth above 1.4 m.
  const auto r3 = [](double mpa) { return cjj92Corrections({0, 200, 2.5e7, mpa, 0})->r3; };
  EXPECT_EQ(r3(0.35), 0.0);
  EXPECT_EQ(r3(0.36), 0.5);
  EXPECT_EQ(r3(0.55), 0.5);
  EXPECT_EQ(r3(0.56), 1.0);
  EXPECT_EQ(r3(0.75), 1.0);
  EXPECT_EQ(r3(0.76), 2.0);
  EXPECT_EQ(cjj92Corrections({0, 200, 2.5e7, 0, 1.4})->r4, 0.0);
  EXPECT_EQ(cjj92Corrections({0, 200, 2.5e7, 0, 1.5})->r4, 1.0);
  // Inputs it cannot use.
  EXPECT_FALSE(cjj92Corrections({1.2, 200, 2.5e7, 0, 0}));
  EXPECT_FALSE(cjj92Corrections({0.4, 200, 0, 0, 0}));
  EXPECT_FALSE(cjj92Corrections({0.4, kNaN, 2.5e7, 0, 0}));
  EXPECT_FALSE(cjj92Corrections({0.4, 200, 2.5e7, -0.1, 0}));
}

TEST(WaterLeakage, NightLeakageIsTheNightFlowLessTheMeteredNightUse) {
  EXPECT_DOUBLE_EQ(*nightLeakageM3h(120, 30), 90.0);
  EXPECT_DOUBLE_EQ(*nightLeakageM3h(20, 30), 0.0);  // metered more than flowed: no leakage, not a negative one
  EXPECT_FALSE(nightLeakageM3h(kNaN, 30));
  EXPECT_FALSE(nightLeakageM3h(120, -1));
}

}  // namespace
}  // namespace greentwin::water
