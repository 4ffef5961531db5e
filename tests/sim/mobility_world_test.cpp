// The simulator's charger and modal-split entities from the demo config (tools/sim mobility_world.hpp) with the ids
// the twin registers, and the feeds the traffic plugin reads: traffic.link's free_speed_kmh, traffic.charger's
// state and power_kw, traffic.modal_split's trips per mode.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/sim/world.hpp"

namespace gt::sim {
namespace {

TEST(SimMobilityWorld, DemoChargersDistrictAndTheirFeeds) {
  // The common parts of the demo config, as greentwin-sim reads it.
  auto config = loadConfigFile(std::string(GT_TEST_SOURCE_DIR) + "/assets/demo/greentwin.toml", ConfigSchema::commonOnly());
  ASSERT_TRUE(config) << config.status().message();
  // Only the layers this needs: the district, the chargers and the roads.
  std::erase_if(config->layers, [](const LayerConfig& l) {
    return l.id != "tongzhou-district" && l.id != "city-ev-chargers" && l.id != "city-roads";
  });
  auto loaded = loadWorld(*config, {"traffic"});
  ASSERT_TRUE(loaded) << loaded.status().message();
  const MobilityWorld& m = loaded->world.mobility;
  // The district GeoJSON has no id attribute: its one feature is its FID, as the twin registers it.
  EXPECT_EQ(m.districts, std::vector<std::string>{"tongzhou-district/0"});
  ASSERT_EQ(m.chargers.size(), 400u);  // docs/demo-data.md: 400 chargers
  for (const Charger& c : m.chargers) {
    EXPECT_EQ(c.id.rfind("city-ev-chargers/", 0), 0u) << c.id;
    EXPECT_TRUE(c.kind == "fast" || c.kind == "slow") << c.id;
    EXPECT_GT(c.ratedKw, 0.0) << c.id;
  }

  auto feeds = makeFeeds(std::move(loaded->world), {"traffic"}, 1);
  const auto find = [&](const std::string& topic) -> Feed* {
    for (auto& f : feeds) {
      if (f->topic() == topic) return f.get();
    }
    return nullptr;
  };
  const auto names = [](const Feed& f) {
    std::vector<std::string> out;
    for (const AttributeSpec& a : f.attributes()) out.push_back(a.name);
    return out;
  };
  const TimePoint t = *parseIsoTime("2026-05-12T08:00:00+08:00");
  Feed* links = find("traffic.link");
  ASSERT_NE(links, nullptr);
  const auto linkAttributes = names(*links);
  ASSERT_EQ(linkAttributes.back(), "free_speed_kmh");
  links->prepare(t);
  std::vector<double> out(linkAttributes.size());
  for (std::size_t i = 0; i < links->size(); i += 500) {
    links->evaluate(t, i, out);
    EXPECT_GE(out.back(), 20.0) << links->entityId(i);  // the demo's slowest roads (village lanes) are 20 km/h
    EXPECT_LE(out.back(), 120.0) << links->entityId(i);
    EXPECT_LE(out[0], out.back() * 1.0001) << links->entityId(i);  // the speed never exceeds free flow
  }

  Feed* chargers = find("traffic.charger");
  ASSERT_NE(chargers, nullptr);
  EXPECT_EQ(names(*chargers), (std::vector<std::string>{"state", "power_kw"}));
  EXPECT_EQ(chargers->size(), 400u);
  chargers->prepare(t);
  int counts[3] = {0, 0, 0};
  for (std::size_t i = 0; i < chargers->size(); ++i) {
    double v[2];
    chargers->evaluate(t, i, v);
    ASSERT_TRUE(v[0] == 0 || v[0] == 1 || v[0] == 2) << v[0];
    ++counts[static_cast<int>(v[0])];
  }
  EXPECT_GT(counts[0], 0);
  EXPECT_GT(counts[1], 0);

  Feed* split = find("traffic.modal_split");
  ASSERT_NE(split, nullptr);
  EXPECT_EQ(split->entityId(0), "tongzhou-district/0");
  EXPECT_EQ(names(*split), (std::vector<std::string>{"trips_walk", "trips_bike", "trips_bus", "trips_metro",
                                                     "trips_car", "trips_taxi"}));
  split->prepare(t);
  std::vector<double> trips(6);
  split->evaluate(t, 0, trips);
  for (double v : trips) EXPECT_GT(v, 0.0);
}

}  // namespace
}  // namespace gt::sim
