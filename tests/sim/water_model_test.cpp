// The water models (tools/sim/water_model.hpp): the demand curve, the DMAs' water balance and night flow, the demo's
// five DMAs calibrated to Beijing-like leakage, and river sections that vary slowly with one near the IV/V boundary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/water_model.hpp"

namespace gt::sim {
namespace {

constexpr TimePoint kHour = 3600LL * 1'000'000;
TimePoint at(const char* iso) { return parseIsoTime(iso).value(); }

// The demo's DMAs as generated (assets/generator/water_network.cpp, docs/demo-data.md "Water").
std::vector<DmaSpec> demoDmas() {
  return {{"water-dmas/dma/000001", 269448, 17650683, 426.8, 1990}, {"water-dmas/dma/000002", 116667, 6727405, 176.8, 2008},
          {"water-dmas/dma/000003", 325583, 22359919, 545.2, 2017}, {"water-dmas/dma/000004", 149336, 4819974, 197.4, 2019},
          {"water-dmas/dma/000005", 138967, 8058152, 241.8, 2019}};
}

double lossRate(const DmaReading& r) { return (r.inflow24hM3 - r.billed24hM3 - r.unbilled24hM3) / r.inflow24hM3 * 100; }

TEST(WaterModel, TheDemandCurveAveragesOneWithANightMinimumAndTwoPeaks) {
  for (bool weekend : {false, true}) {
    double sum = 0;
    for (int m = 0; m < 1440; ++m) sum += DmaModel::demandFactor(m / 60.0, weekend);
    EXPECT_NEAR(sum / 1440, 1.0, 1e-3) << weekend;
  }
  EXPECT_LT(DmaModel::demandFactor(3.0, false), 0.45);
  EXPECT_GT(DmaModel::demandFactor(7.5, false), 1.3);
  EXPECT_GT(DmaModel::demandFactor(19.5, false), 1.3);
  EXPECT_LT(DmaModel::demandFactor(7.0, true), DmaModel::demandFactor(7.0, false));  // a later Sunday morning
}

TEST(WaterModel, TheBalanceCloses) {
  // 100,000 residents and 1e6 m2 of other floor: (12,000 + 2,000) / 24 = 583.3 m3/h on average.
  DmaModel model({{"d", 100000, 1e6, 100, 2000}}, 1);
  const TimePoint t = at("2026-07-15T17:30:00+08:00");
  model.prepare(t);
  const DmaReading r = model.at(t, 0);
  const DmaModel::Flows now = model.flows(t, 0);
  EXPECT_DOUBLE_EQ(r.inflowM3h, now.consumption + now.unbilled + now.leakage);
  EXPECT_DOUBLE_EQ(r.billedM3h, kBilledShare * now.consumption);
  // Over 24 h: the inflow is the use (billed / 0.975) plus 1 % unbilled plus leakage; the mean use near 583 m3/h
  // (+-15 %: summer, noise).
  const double use = r.billed24hM3 / kBilledShare;
  EXPECT_NEAR(r.unbilled24hM3, kUnbilledShare * use, 1e-6 * use);
  EXPECT_NEAR(use / 24, 583.3, 0.15 * 583.3);
  // Leakage at the mean pressure: 100 km x 0.03 x 26 years = 78 m3/h, +-25 % (pressure, drift).
  EXPECT_NEAR((r.inflow24hM3 - use - r.unbilled24hM3) / 24, 78.0, 0.25 * 78.0);
  // The night minimum is below the evening and above the metered use at that hour (the leakage runs all night).
  EXPECT_LT(r.nightFlowM3h, r.inflowM3h);
  EXPECT_LT(r.nightUseM3h, r.nightFlowM3h);
  EXPECT_GT(r.nightFlowM3h - r.nightUseM3h, 60.0);
  // The same seed and time give the same values.
  DmaModel again({{"d", 100000, 1e6, 100, 2000}}, 1);
  again.prepare(t);
  EXPECT_EQ(again.at(t, 0).inflow24hM3, r.inflow24hM3);
}

// The demo's calibration (docs/simulator.md "Water"): the district's comprehensive loss rate near Beijing's reported
// 9-10 %, the old town's above CJJ 92's 12 %, the newer DMAs below 8 %, on days across the year.
TEST(WaterModel, TheDemoDmasLeakLikeBeijingWithTheOldTownWorst) {
  DmaModel model(demoDmas(), 1);
  for (const char* day : {"2026-01-14T12:00:00+08:00", "2026-04-15T12:00:00+08:00", "2026-07-15T17:30:00+08:00",
                          "2026-10-14T09:00:00+08:00"}) {
    const TimePoint t = at(day);
    model.prepare(t);
    double in = 0, lost = 0;
    std::vector<double> rates;
    for (std::size_t i = 0; i < model.size(); ++i) {
      const DmaReading r = model.at(t, i);
      in += r.inflow24hM3;
      lost += r.inflow24hM3 - r.billed24hM3 - r.unbilled24hM3;
      rates.push_back(lossRate(r));
    }
    std::printf("%s district %.2f %%, DMAs %.1f %.1f %.1f %.1f %.1f, supply %.0f m3/d\n", day, lost / in * 100,
                rates[0], rates[1], rates[2], rates[3], rates[4], in);
    EXPECT_GT(lost / in * 100, 8.5) << day;
    EXPECT_LT(lost / in * 100, 11.0) << day;
    EXPECT_GT(rates[0], 12.0) << day;
    EXPECT_EQ(std::max_element(rates.begin(), rates.end()) - rates.begin(), 0) << day;
    EXPECT_LT(rates[3], 8.0) << day;
    EXPECT_LT(rates[4], 8.0) << day;
  }
}

TEST(WaterModel, OxygenSaturationFollowsTheTable) {
  // The standard table (Standard Methods 4500-O): 14.62 mg/L at 0 C, 11.29 at 10 C, 9.09 at 20 C, 8.26 at 25 C.
  EXPECT_NEAR(RiverModel::oxygenSaturation(0), 14.62, 0.01);
  EXPECT_NEAR(RiverModel::oxygenSaturation(10), 11.29, 0.01);
  EXPECT_NEAR(RiverModel::oxygenSaturation(20), 9.09, 0.01);
  EXPECT_NEAR(RiverModel::oxygenSaturation(25), 8.26, 0.01);
}

// The class-deciding limits at the IV/V boundary (GB 3838): COD 30, NH3-N 1.5, TP 0.3 mg/L; III/IV: COD 20.
bool worseThanIv(const SectionReading& r) { return r.mgPerL[2] > 30 || r.mgPerL[4] > 1.5 || r.mgPerL[5] > 0.3; }

TEST(WaterModel, RiverSectionsVarySlowlyAndTheLoadedOneCrossesTheIvVBoundary) {
  RiverModel model({{"loaded", 0.8}, {"clean", 0.3}}, 1);
  int hours = 0, worse = 0, flips = 0;
  bool last = false;
  double maxStep = 0, prevCod = -1;
  for (TimePoint t = at("2026-01-01T00:00:00+08:00"); t < at("2027-01-01T00:00:00+08:00"); t += 6 * kHour) {
    model.prepare(t);
    const SectionReading loaded = model.at(t, 0), clean = model.at(t, 1);
    const bool w = worseThanIv(loaded);
    worse += w ? 1 : 0;
    flips += hours > 0 && w != last ? 1 : 0;
    last = w;
    ++hours;
    if (prevCod >= 0) maxStep = std::max(maxStep, std::fabs(loaded.mgPerL[2] - prevCod));
    prevCod = loaded.mgPerL[2];
    EXPECT_LE(clean.mgPerL[2], 20.0 + 8.5) << "the clean section's COD stays near class III";
    EXPECT_GT(loaded.mgPerL[0], 2.0) << "DO never below class V";
  }
  std::printf("loaded section worse than IV in %d of %d samples, %d changes, max 6-h COD step %.1f\n", worse, hours,
              flips, maxStep);
  EXPECT_GT(worse, hours / 10);      // often worse than IV ...
  EXPECT_LT(worse, hours * 9 / 10);  // ... but not always: near the boundary
  EXPECT_LT(flips, hours / 4);       // slowly, not sample to sample
}

}  // namespace
}  // namespace gt::sim
