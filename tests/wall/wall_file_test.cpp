#include "greentwin/wall/wall_file.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gt::wall {
namespace {

const std::string kTwoByTwo = R"(
[wall]
columns = 2
rows = 2
tile_width = 960
tile_height = 540
bezel_x = 24
bezel_y = 16
sync = "tcp://127.0.0.1:7810"
control = "tcp://127.0.0.1:7811"
lead_key = "keys/lead.key"
allowed_keys = "keys/wall-allowed.toml"
swap_barrier = true

[[wall.nodes]]
id = "a"
tile = [0, 0]
lead = true

[[wall.nodes]]
id = "b"
tile = [1, 0]
key = "keys/b.key"

[[wall.nodes]]
id = "c"
tile = [0, 1]
key = "keys/c.key"

[[wall.nodes]]
id = "d"
tile = [1, 1]
key = "/etc/greentwin/d.key"
)";

TEST(WallFile, ReadsLayoutNodesAndEndpoints) {
  auto config = parseWallConfig(kTwoByTwo, "/srv/wall/wall.toml");
  ASSERT_TRUE(config.isOk()) << config.status().message();
  EXPECT_EQ(config->layout.canvasWidth(), 2 * 960 + 24);
  EXPECT_EQ(config->layout.canvasHeight(), 2 * 540 + 16);
  ASSERT_EQ(config->nodes.size(), 4u);
  ASSERT_NE(config->leadNode(), nullptr);
  EXPECT_EQ(config->leadNode()->id, "a");
  ASSERT_NE(config->findNode("d"), nullptr);
  EXPECT_EQ(config->findNode("d")->tile, (TileId{1, 1}));
  EXPECT_EQ(config->findNode("x"), nullptr);
  EXPECT_EQ(config->syncEndpoint, "tcp://127.0.0.1:7810");
  EXPECT_EQ(config->controlEndpoint, "tcp://127.0.0.1:7811");
  EXPECT_TRUE(config->swapBarrier);
  EXPECT_EQ(config->resolvePath(config->leadKey), "/srv/wall/keys/lead.key");
  EXPECT_EQ(config->resolvePath(config->findNode("d")->key), "/etc/greentwin/d.key");
}

// Alert fly-to: off by default; a severity and a dwell when set; a wrong word or dwell named with its line.
TEST(WallFile, AlertFlyToIsOffByDefaultAndReadWhenSet) {
  auto plain = parseWallConfig(kTwoByTwo, "w.toml");
  ASSERT_TRUE(plain.isOk()) << plain.status().message();
  EXPECT_FALSE(plain->alertFlyTo.has_value());
  EXPECT_EQ(plain->alertDwellS, 20.0);

  std::string text = kTwoByTwo;
  text.replace(text.find("swap_barrier = true"), 19, "swap_barrier = true\nalert_fly_to = \"critical\"\nalert_dwell_s = 45");
  auto set = parseWallConfig(text, "w.toml");
  ASSERT_TRUE(set.isOk()) << set.status().message();
  EXPECT_EQ(set->alertFlyTo, AlertSeverity::Critical);
  EXPECT_EQ(set->alertDwellS, 45.0);

  text = kTwoByTwo;
  text.replace(text.find("swap_barrier = true"), 19, "swap_barrier = true\nalert_fly_to = \"info\"\nalert_dwell_s = 0");
  auto bad = parseWallConfig(text, "w.toml");
  ASSERT_FALSE(bad.isOk());
  const std::string m = bad.status().message();
  EXPECT_NE(m.find("w.toml:14:"), std::string::npos) << m;
  EXPECT_NE(m.find("alert_fly_to"), std::string::npos) << m;
  EXPECT_NE(m.find("w.toml:15:"), std::string::npos) << m;
  EXPECT_NE(m.find("alert_dwell_s"), std::string::npos) << m;
}

// Each mistake is reported with its line, all at once.
TEST(WallFile, ReportsEveryMistakeWithItsLine) {
  const std::string text = R"([wall]
columns = 2
rows = 1
tile_widht = 800
security = "none"

[[wall.nodes]]
id = "a"
tile = [0, 0]

[[wall.nodes]]
id = "a"
tile = [2, 0]
)";
  auto config = parseWallConfig(text, "w.toml");
  ASSERT_FALSE(config.isOk());
  const std::string m = config.status().message();
  EXPECT_NE(m.find("w.toml:4: unknown key 'wall.tile_widht'"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'wall.tile_width'"), std::string::npos) << m;
  EXPECT_NE(m.find("two nodes have the id 'a'"), std::string::npos) << m;
  EXPECT_NE(m.find("w.toml:13:"), std::string::npos) << m;
  EXPECT_NE(m.find("outside the 2x1 wall"), std::string::npos) << m;
  EXPECT_NE(m.find("exactly one node must have lead = true, found 0"), std::string::npos) << m;
}

TEST(WallFile, CurveNeedsKeyFiles) {
  const std::string text = R"([wall]
[[wall.nodes]]
id = "a"
tile = [0, 0]
lead = true
)";
  auto config = parseWallConfig(text, "w.toml");
  ASSERT_FALSE(config.isOk());
  EXPECT_NE(config.status().message().find("'wall.lead_key' is required"), std::string::npos);
  EXPECT_NE(config.status().message().find("'wall.allowed_keys' is required"), std::string::npos);
  // Without CURVE (a local trial) no key files are needed.
  auto open = parseWallConfig("[wall]\nsecurity = \"none\"\n" + text.substr(7), "w.toml");
  ASSERT_TRUE(open.isOk()) << open.status().message();
  EXPECT_EQ(open->security, "none");
}

TEST(WallFile, TwoNodesOnOneTileAndNoNodes) {
  const std::string twice = R"([wall]
columns = 2
security = "none"
[[wall.nodes]]
id = "a"
tile = [1, 0]
lead = true
[[wall.nodes]]
id = "b"
tile = [1, 0]
)";
  auto config = parseWallConfig(twice, "w.toml");
  ASSERT_FALSE(config.isOk());
  EXPECT_NE(config.status().message().find("nodes 'a' and 'b' draw the same tile"), std::string::npos);

  auto none = parseWallConfig("[wall]\nsecurity = \"none\"\n", "w.toml");
  ASSERT_FALSE(none.isOk());
  EXPECT_NE(none.status().message().find("no [[wall.nodes]]"), std::string::npos);
}

TEST(WallFile, MissingFileAndSyntaxErrorsNameTheFile) {
  auto missing = loadWallFile("/nonexistent/wall.toml");
  ASSERT_FALSE(missing.isOk());
  EXPECT_NE(missing.status().message().find("/nonexistent/wall.toml"), std::string::npos);
  auto broken = parseWallConfig("[wall\ncolumns = 2\n", "broken.toml");
  ASSERT_FALSE(broken.isOk());
  EXPECT_NE(broken.status().message().find("broken.toml:1"), std::string::npos);
}

TEST(WallFile, BarrierEndpointHasADefaultAndMustDifferFromTheOthers) {
  auto defaults = parseWallConfig(kTwoByTwo, "w.toml");
  ASSERT_TRUE(defaults.isOk()) << defaults.status().message();
  EXPECT_EQ(defaults->barrierEndpoint, "tcp://127.0.0.1:7712");

  const std::string own = "[wall]\nsecurity = \"none\"\nbarrier = \"tcp://*:7912\"\nswap_barrier = true\n"
                          "[[wall.nodes]]\nid = \"a\"\ntile = [0, 0]\nlead = true\n";
  auto set = parseWallConfig(own, "w.toml");
  ASSERT_TRUE(set.isOk()) << set.status().message();
  EXPECT_EQ(set->barrierEndpoint, "tcp://*:7912");

  const std::string same = "[wall]\nsecurity = \"none\"\nsync = \"tcp://*:7710\"\nbarrier = \"tcp://*:7710\"\n"
                           "swap_barrier = true\n[[wall.nodes]]\nid = \"a\"\ntile = [0, 0]\nlead = true\n";
  auto clash = parseWallConfig(same, "w.toml");
  ASSERT_FALSE(clash.isOk());
  EXPECT_NE(clash.status().message().find("w.toml:4: 'wall.barrier' is the same endpoint as 'wall.sync'"),
            std::string::npos)
      << clash.status().message();
  // Without the barrier the key is not used, so the same text with swap_barrier = false is fine.
  std::string unused = same;
  unused.replace(unused.find("swap_barrier = true"), 19, "swap_barrier = false");
  EXPECT_TRUE(parseWallConfig(unused, "w.toml").isOk());
}

const std::string kOneNode = R"([wall]
security = "none"
[[wall.nodes]]
id = "a"
tile = [0, 0]
lead = true
)";

TEST(WallFile, ReadsTours) {
  const std::string text = kOneNode + R"(
[[tours]]
id = "morning"
name_en = "Morning round"
name_zh = "晨间巡览"

[[tours.stops]]
bookmark = "canal"
dwell_s = 20
flight_s = 6
layers = ["aq", "traffic"]

[[tours.stops]]
bookmark = "station"

[[tours]]
id = "once"
loop = false
[[tours.stops]]
bookmark = "home"
dwell_s = 0
flight_s = 0
layers = []
)";
  auto config = parseWallConfig(text, "w.toml");
  ASSERT_TRUE(config.isOk()) << config.status().message();
  ASSERT_EQ(config->tours.size(), 2u);
  const Tour* morning = config->findTour("morning");
  ASSERT_NE(morning, nullptr);
  EXPECT_EQ(morning->nameEn, "Morning round");
  EXPECT_EQ(morning->nameZh, "晨间巡览");
  EXPECT_TRUE(morning->loop);
  ASSERT_EQ(morning->stops.size(), 2u);
  EXPECT_EQ(morning->stops[0].bookmark, "canal");
  EXPECT_DOUBLE_EQ(morning->stops[0].dwellS, 20);
  EXPECT_DOUBLE_EQ(morning->stops[0].flightS, 6);
  EXPECT_EQ(morning->stops[0].layers, (std::vector<std::string>{"aq", "traffic"}));
  // Defaults: 10 s dwell, 4 s flight, the layers left as they are.
  EXPECT_DOUBLE_EQ(morning->stops[1].dwellS, 10);
  EXPECT_DOUBLE_EQ(morning->stops[1].flightS, 4);
  EXPECT_FALSE(morning->stops[1].layers.has_value());
  const Tour* once = config->findTour("once");
  ASSERT_NE(once, nullptr);
  EXPECT_FALSE(once->loop);
  ASSERT_TRUE(once->stops[0].layers.has_value());  // [] = every layer hidden on arrival
  EXPECT_TRUE(once->stops[0].layers->empty());
  EXPECT_EQ(config->findTour("evening"), nullptr);
  // No [[tours]]: none.
  EXPECT_TRUE(parseWallConfig(kOneNode, "w.toml")->tours.empty());
}

TEST(WallFile, ReportsTourMistakesWithTheirLines) {
  const std::string text = kOneNode + R"([[tours]]
id = "a"
lop = false
[[tours.stops]]
bookmark = "x"
dwell_s = 4000
flight_s = -1
lyers = ["aq"]
[[tours.stops]]
dwell_s = 1

[[tours]]
id = "a"

[[tours]]
id = "zero"
[[tours.stops]]
bookmark = "x"
dwell_s = 0
flight_s = 0
)";
  auto config = parseWallConfig(text, "w.toml");
  ASSERT_FALSE(config.isOk());
  const std::string m = config.status().message();
  EXPECT_NE(m.find("w.toml:9: unknown key 'tours[0].lop'"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'tours[0].loop'"), std::string::npos) << m;
  EXPECT_NE(m.find("w.toml:12: 'tours[0].stops[0].dwell_s'"), std::string::npos) << m;
  EXPECT_NE(m.find("w.toml:13: 'tours[0].stops[0].flight_s'"), std::string::npos) << m;
  EXPECT_NE(m.find("w.toml:14: unknown key 'tours[0].stops[0].lyers'"), std::string::npos) << m;
  EXPECT_NE(m.find("w.toml:15: 'tours[0].stops[1]' is missing required key 'bookmark'"), std::string::npos) << m;
  EXPECT_NE(m.find("two tours have the id 'a'"), std::string::npos) << m;
  EXPECT_NE(m.find("'tours[1]' (tour 'a') has no [[tours.stops]]"), std::string::npos) << m;
  EXPECT_NE(m.find("'tours[2]' (tour 'zero') loops but every dwell_s and flight_s is 0"), std::string::npos) << m;
}

}  // namespace
}  // namespace gt::wall
