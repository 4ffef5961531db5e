// The simulator's grid connection (energy.grid): the import is the substations' net sum, the green share of the
// import follows the wind and the sun around its assumed base.
#include <gtest/gtest.h>

#include <span>

#include "greentwin/sim/grid_model.hpp"

namespace gt::sim {
namespace {

constexpr Duration kHour = 3600 * kMicrosPerSecond;
TimePoint at(const char* iso) { return *parseIsoTime(iso); }

std::shared_ptr<EnergyModel> makeModel() {
  std::vector<Building> buildings = {
      {"b/office", "office", 20000, 300, 0, 0, 0}, {"b/home", "residential", 8000, 50, 0, 100, 100},
      {"b/hospital", "hospital", 30000, 0, 0, 5000, 5000}};
  std::vector<Substation> substations = {{"s/west", 50, 0, 0}, {"s/east", 80, 5000, 5000}};
  return std::make_shared<EnergyModel>(std::move(buildings), std::move(substations), 3);
}

TEST(GridModel, GreenShareOfTheImportByHand) {
  Weather w;
  EXPECT_DOUBLE_EQ(importGreenSharePct(w), 10.0);  // calm night: the base
  w.windSpeedMs = 3.0;
  EXPECT_DOUBLE_EQ(importGreenSharePct(w), 22.0);  // 10 + 12 x 1^1.5
  w.ghiWm2 = 1000.0;
  EXPECT_DOUBLE_EQ(importGreenSharePct(w), 37.0);  // + 15 x 1000 / 1000
  w.windSpeedMs = 40.0;
  EXPECT_DOUBLE_EQ(importGreenSharePct(w), 55.0);  // wind at most 30
}

TEST(GridModel, GreenShareAveragesAboutAQuarterOverAYear) {
  const WeatherModel weather(1);
  const TimePoint start = at("2026-01-01T00:00:00+08:00");
  double sum = 0, lowest = 100, highest = 0;
  for (int h = 0; h < 8760; ++h) {
    const double g = importGreenSharePct(weather.at(start + h * kHour));
    sum += g, lowest = std::min(lowest, g), highest = std::max(highest, g);
  }
  EXPECT_GT(sum / 8760, 18.0);
  EXPECT_LT(sum / 8760, 32.0);
  EXPECT_GE(lowest, 10.0);
  EXPECT_GT(highest, 40.0);  // windy sunny hours
}

TEST(GridModel, TheFeedPublishesTheSubstationsNetSum) {
  auto model = makeModel();
  auto feed = makeGridFeed("tongzhou-district/0", model);
  EXPECT_EQ(feed->topic(), "energy.grid");
  ASSERT_EQ(feed->size(), 1u);
  EXPECT_EQ(feed->entityId(0), "tongzhou-district/0");
  ASSERT_EQ(feed->attributes().size(), 2u);
  EXPECT_EQ(feed->attributes()[0].name, "import_mw");
  EXPECT_EQ(feed->attributes()[1].name, "green_share_pct");
  const TimePoint t = at("2026-06-10T13:00:00+08:00");
  feed->prepare(t);
  double out[2] = {0, 0};
  feed->evaluate(t, 0, std::span<double>(out, 2));
  // By hand from the model: every building's load minus PV, summed through its substation.
  double net = 0;
  for (std::size_t i = 0; i < model->buildingCount(); ++i) net += model->building(t, i).netKw() / 1000.0;
  EXPECT_NEAR(out[0], net, 1e-9);
  EXPECT_NEAR(out[0], model->substation(0).netMw + model->substation(1).netMw, 1e-12);
  EXPECT_DOUBLE_EQ(out[1], importGreenSharePct(model->weather()));
}

}  // namespace
}  // namespace gt::sim
