// Link speeds and flows with rush hours (conical volume-delay), and buses moving along their routes.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "greentwin/sim/sky.hpp"
#include "greentwin/sim/traffic_model.hpp"

namespace gt::sim {
namespace {

constexpr Duration kHour = 3600 * kMicrosPerSecond;
TimePoint at(const char* iso) { return *parseIsoTime(iso); }

std::vector<RoadLink> links() {
  return {{"r/1", "expressway", 8, 100}, {"r/2", "arterial", 6, 60}, {"r/3", "secondary", 4, 50},
          {"r/4", "local", 2, 30}};
}

BusRoute route() {
  BusRoute r;
  r.name = "T1";
  r.x = {0, 2000, 2000, 6000};
  r.y = {0, 0, 3000, 3000};
  r.lon = {116.70, 116.72, 116.72, 116.77};
  r.lat = {39.85, 39.85, 39.88, 39.88};
  return r;
}

TEST(TrafficModel, RushHourSpeedsAreLowerThanAtNight) {
  TrafficModel model(links(), {}, 3);
  for (std::size_t i = 0; i < model.linkCount(); ++i) {
    double rush = 0, evening = 0, night = 0;
    for (int day = 0; day < 5; ++day) {  // Monday to Friday
      const TimePoint midnight = at("2026-03-09T00:00:00+08:00") + day * 24 * kHour;
      auto speed = [&](double hour) {
        const TimePoint t = midnight + static_cast<Duration>(hour * 3600.0) * kMicrosPerSecond;
        model.prepare(t);
        return model.at(t, i).speedKmh;
      };
      rush += speed(8.0), evening += speed(18.0), night += speed(3.0);
    }
    EXPECT_LT(rush, 0.95 * night) << "link " << i;
    EXPECT_LT(evening, 0.95 * night) << "link " << i;
  }
}

TEST(TrafficModel, SpeedsAndFlowsStayWithinFreeSpeedAndCapacity) {
  TrafficModel model(links(), {}, 3);
  const std::vector<double> free = {100, 60, 50, 30}, capacity = {8 * 1900, 6 * 1600, 4 * 1200, 2 * 800};
  double peakFlow = 0, nightFlow = 0;
  for (int h = 0; h < 24 * 14; ++h) {
    const TimePoint t = at("2026-05-04T00:00:00+08:00") + h * kHour;
    model.prepare(t);
    for (std::size_t i = 0; i < model.linkCount(); ++i) {
      const LinkReading r = model.at(t, i);
      ASSERT_GT(r.speedKmh, 0.0);
      ASSERT_LE(r.speedKmh, free[i] + 1e-9);
      ASSERT_GE(r.flowVehH, 0.0);
      ASSERT_LE(r.flowVehH, capacity[i] + 1e-9);
    }
    const double hour = localTime(t).hour;
    if (hour == 8.0) peakFlow += model.at(t, 1).flowVehH;
    if (hour == 3.0) nightFlow += model.at(t, 1).flowVehH;
  }
  EXPECT_GT(peakFlow, 5.0 * nightFlow);
}

TEST(TrafficModel, BusesMoveAlongTheirRoute) {
  TrafficModel model({}, {route()}, 3);
  ASSERT_EQ(model.routeCount(), 1u);
  ASSERT_EQ(model.busesOnRoute(0), 2u);  // 9 km of route, one bus per ~4 km
  const TimePoint t0 = at("2026-03-10T10:00:00+08:00");
  const BusReading a = model.bus(t0, 0, 0);
  const BusReading b = model.bus(t0 + 60 * kMicrosPerSecond, 0, 0);
  // About 20 km/h: a few hundred metres a minute, along the polyline.
  const double moved = std::hypot(b.x - a.x, b.y - a.y);
  EXPECT_GT(moved, 100.0);
  EXPECT_LT(moved, 600.0);
  for (int m = 0; m < 24 * 60; m += 7) {
    const BusReading r = model.bus(t0 + m * 60 * kMicrosPerSecond, 0, 1);
    ASSERT_GE(r.progress, 0.0);
    ASSERT_LT(r.progress, 1.0);
    ASSERT_GE(r.x, 0.0); ASSERT_LE(r.x, 6000.0); ASSERT_GE(r.y, 0.0); ASSERT_LE(r.y, 3000.0);
    ASSERT_GE(r.lon, 116.70); ASSERT_LE(r.lon, 116.77); ASSERT_GE(r.lat, 39.85); ASSERT_LE(r.lat, 39.88);
    // On one of the route's legs: x or y at a leg's constant value.
    const bool onLeg = (r.y < 1e-6 && r.x <= 2000.0 + 1e-6) || std::abs(r.x - 2000.0) < 1e-6 || std::abs(r.y - 3000.0) < 1e-6;
    ASSERT_TRUE(onLeg) << r.x << "," << r.y;
  }
  EXPECT_LT(model.bus(at("2026-03-10T08:00:00+08:00"), 0, 0).speedKmh,
            model.bus(at("2026-03-10T14:00:00+08:00"), 0, 0).speedKmh);
}

TEST(TrafficModel, IsDeterministicWithASeed) {
  TrafficModel a(links(), {route()}, 8), b(links(), {route()}, 8), c(links(), {route()}, 9);
  const TimePoint t = at("2026-03-10T17:45:00+08:00");
  a.prepare(t), b.prepare(t), c.prepare(t);
  EXPECT_EQ(a.at(t, 1).speedKmh, b.at(t, 1).speedKmh);
  EXPECT_NE(a.at(t, 1).speedKmh, c.at(t, 1).speedKmh);
  EXPECT_EQ(a.bus(t, 0, 1).x, b.bus(t, 0, 1).x);
}

// The conical function's shape (Spiess 1990): free flow at no demand, twice the time at capacity, and past capacity
// the slope alpha: with alpha 4, x 1.5 takes 2 + sqrt(4 + (7/6)^2) + 2 - 7/6 = 5.1487 times the free-flow time, so an
// arterial at 60 km/h crawls at 11.7 km/h (DB11/T 785's "severe" below a quarter of free flow).
TEST(ConicalDelay, FreeAtZeroDoubleAtCapacitySteepBeyond) {
  EXPECT_NEAR(conicalDelay(0.0, 4.0), 1.0, 1e-12);
  EXPECT_NEAR(conicalDelay(1.0, 4.0), 2.0, 1e-12);
  EXPECT_NEAR(conicalDelay(1.5, 4.0), 5.1487, 1e-4);  // sqrt(4 + 1.3611) = 2.3154
  EXPECT_NEAR(60.0 / conicalDelay(1.5, 4.0), 11.65, 0.01);
  double previous = 0;
  for (double x = 0; x <= 2.0; x += 0.05) {  // increasing: more demand is never faster
    const double f = conicalDelay(x, 6.0);
    EXPECT_GT(f, previous);
    previous = f;
  }
}

}  // namespace
}  // namespace gt::sim
