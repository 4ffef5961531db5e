// EV charger states and the district's modal split (tools/sim mobility_model.hpp): deterministic, with the
// shares and daily shapes docs/simulator.md describes.
#include <gtest/gtest.h>

#include <cmath>

#include "greentwin/sim/mobility_model.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

constexpr Duration kHour = 3600 * kMicrosPerSecond;
TimePoint at(const char* iso) { return *parseIsoTime(iso); }

std::vector<Charger> chargers(int n) {
  std::vector<Charger> out;
  for (int i = 0; i < n; ++i) {
    out.push_back({"city-ev-chargers/ev/" + std::to_string(i), i % 3 == 0 ? "fast" : "slow", i % 3 == 0 ? 120.0 : 7.0});
  }
  return out;
}

TEST(ChargerModel, StatesAreDeterministicWithAboutThreePercentFaulty) {
  ChargerModel a(chargers(2000), 7), b(chargers(2000), 7);
  const TimePoint t = at("2026-05-12T13:10:00+08:00");
  a.prepare(t);
  b.prepare(t);
  int fault = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const ChargerReading ra = a.at(t, i), rb = b.at(t, i);
    EXPECT_EQ(ra.state, rb.state);
    EXPECT_EQ(ra.powerKw, rb.powerKw);
    ASSERT_TRUE(ra.state >= 0 && ra.state <= 2);
    const bool charging = ra.state == static_cast<int>(ChargerStateCode::Charging);
    EXPECT_EQ(ra.powerKw > 0.0, charging) << "power " << ra.powerKw << " in state " << ra.state;
    if (ra.state == static_cast<int>(ChargerStateCode::Fault)) ++fault;
  }
  // 3 % of 2000 = 60 expected; binomial sd ~7.6.
  EXPECT_GT(fault, 30);
  EXPECT_LT(fault, 95);
}

TEST(ChargerModel, FastChargersAreBusierAtNoonThanBeforeDawn) {
  ChargerModel model(chargers(3000), 3);
  const auto busyShare = [&](const char* iso) {
    const TimePoint t = at(iso);
    model.prepare(t);
    int busy = 0, fast = 0;
    for (std::size_t i = 0; i < model.size(); i += 3) {  // the fast ones
      ++fast;
      if (model.at(t, i).state == static_cast<int>(ChargerStateCode::Charging)) ++busy;
    }
    return static_cast<double>(busy) / fast;
  };
  const double noon = busyShare("2026-05-12T13:00:00+08:00");
  const double dawn = busyShare("2026-05-12T04:30:00+08:00");
  EXPECT_GT(noon, 0.4);
  EXPECT_LT(dawn, 0.15);
  EXPECT_NEAR(ChargerModel::busyProbability(true, 12.5, false), 0.58, 1e-12);
}

TEST(ModalSplitModel, DailyTotalGreenShareAndRushHours) {
  ModalSplitModel model(5.0e6, 1);
  // Hourly trips summed over a weekday (sampled each hour at hh:30) come to the daily total (+-5 % noise, rain).
  const TimePoint day = at("2026-05-12T00:30:00+08:00");
  double total = 0, green = 0;
  for (int h = 0; h < 24; ++h) {
    const ModalSplitReading r = model.at(day + h * kHour);
    total += r.total();
    green += r.greenShare() * r.total();
    for (double v : r.tripsPerHour) EXPECT_GE(v, 0.0);
  }
  EXPECT_NEAR(total, 5.0e6, 0.06 * 5.0e6);
  EXPECT_GT(green / total, 0.66);
  EXPECT_LT(green / total, 0.80);
  // Morning rush: metro takes a larger share than at 11:00.
  const ModalSplitReading rush = model.at(at("2026-05-12T08:00:00+08:00"));
  const ModalSplitReading late = model.at(at("2026-05-12T11:00:00+08:00"));
  EXPECT_GT(rush.tripsPerHour[3] / rush.total(), late.tripsPerHour[3] / late.total());
  EXPECT_GT(rush.total(), 3 * model.at(at("2026-05-12T03:00:00+08:00")).total());
  double shares = 0;
  for (double s : ModalSplitModel::baseShares()) shares += s;
  EXPECT_NEAR(shares, 1.0, 1e-12);
  // The same time gives the same split.
  EXPECT_EQ(model.at(day).tripsPerHour, model.at(day).tripsPerHour);
}

}  // namespace
}  // namespace gt::sim
