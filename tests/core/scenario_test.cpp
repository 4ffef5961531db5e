// Scenario files: round trip, and errors naming the file, the edit and the key (core/scenario.hpp).
#include "greentwin/core/scenario.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace gt {
namespace {

Scenario sample() {
  Scenario s;
  s.name = "PV on the schools, a new park";
  s.description = "line one\n\"quoted\"";
  ScenarioEdit pv;
  pv.kind = ScenarioEditKind::AddPv;
  pv.buildings = {"city-buildings/b1", "city-buildings/b2"};
  pv.coverage = 0.6;
  pv.moduleEfficiency = 0.215;
  ScenarioEdit use;
  use.kind = ScenarioEditKind::SetUse;
  use.buildings = {"city-buildings/b3"};
  use.use = "office";
  ScenarioEdit stars;
  stars.kind = ScenarioEditKind::SetStars;
  stars.buildings = {"city-buildings/b3"};
  stars.stars = 3;
  ScenarioEdit removed;
  removed.kind = ScenarioEditKind::RemoveBuilding;
  removed.buildings = {"city-buildings/b9"};
  ScenarioEdit added;
  added.kind = ScenarioEditKind::AddBuilding;
  added.id = "new/school";
  added.polygon = Polygon{{{{0, 0, 0}, {30.5, 0, 0}, {30.5, 20, 0}, {0, 20, 0}}}};
  added.heightM = 12.8;
  added.floors = 4;
  added.use = "education";
  added.stars = 2;
  ScenarioEdit park;
  park.kind = ScenarioEditKind::AddParcel;
  park.id = "new/park";
  park.polygon = Polygon{{{{100, 100, 0}, {200, 100, 0}, {150, 190.125, 0}}}};
  park.parcelKind = "park";
  s.edits = {pv, use, stars, removed, added, park};
  return s;
}

void expectSame(const Scenario& a, const Scenario& b) {
  EXPECT_EQ(a.name, b.name);
  EXPECT_EQ(a.description, b.description);
  ASSERT_EQ(a.edits.size(), b.edits.size());
  for (std::size_t i = 0; i < a.edits.size(); ++i) {
    const ScenarioEdit &x = a.edits[i], &y = b.edits[i];
    EXPECT_EQ(x.kind, y.kind) << i;
    EXPECT_EQ(x.buildings, y.buildings) << i;
    EXPECT_EQ(x.coverage, y.coverage) << i;
    EXPECT_EQ(x.moduleEfficiency, y.moduleEfficiency) << i;
    EXPECT_EQ(x.use, y.use) << i;
    EXPECT_EQ(x.stars, y.stars) << i;
    EXPECT_EQ(x.id, y.id) << i;
    EXPECT_EQ(x.heightM, y.heightM) << i;
    EXPECT_EQ(x.floors, y.floors) << i;
    EXPECT_EQ(x.parcelKind, y.parcelKind) << i;
    ASSERT_EQ(x.polygon.rings.size(), y.polygon.rings.size()) << i;
    for (std::size_t r = 0; r < x.polygon.rings.size(); ++r) {
      ASSERT_EQ(x.polygon.rings[r].size(), y.polygon.rings[r].size());
      for (std::size_t v = 0; v < x.polygon.rings[r].size(); ++v) {
        EXPECT_EQ(x.polygon.rings[r][v].x, y.polygon.rings[r][v].x);
        EXPECT_EQ(x.polygon.rings[r][v].y, y.polygon.rings[r][v].y);
      }
    }
  }
}

TEST(Scenario, SavedFileReadsBackEqual) {
  const auto dir = std::filesystem::path(testing::TempDir()) / "scenario_test";
  std::filesystem::create_directories(dir);
  const std::string path = (dir / "a.toml").string();
  const Scenario s = sample();
  ASSERT_TRUE(saveScenario(s, path).isOk());
  auto back = loadScenario(path);
  ASSERT_TRUE(back) << back.status().message();
  expectSame(s, *back);
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

std::string errorOf(const std::string& text) {
  auto r = parseScenario(text, "plan.toml");
  EXPECT_FALSE(r) << text;
  return r ? std::string() : r.status().message();
}

TEST(Scenario, AnUnknownKeyNamesTheFileTheLineTheEditAndTheNearestKey) {
  const std::string m = errorOf("version = 1\nname = \"x\"\n[[edit]]\nkind = \"add_pv\"\nbuildings = [\"b\"]\n"
                                "coverage = 0.5\n[[edit]]\nkind = \"add_pv\"\nbuildings = [\"b\"]\ncoverage = 0.5\n"
                                "modul_efficiency = 0.2\n");
  EXPECT_NE(m.find("plan.toml:11"), std::string::npos) << m;
  EXPECT_NE(m.find("'edit[1].modul_efficiency'"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'edit[1].module_efficiency'"), std::string::npos) << m;
}

TEST(Scenario, BadValuesAreEachNamed) {
  const std::string m = errorOf("version = 1\nname = \"x\"\n[[edit]]\nkind = \"add_pv\"\nbuildings = []\n"
                                "coverage = 1.5\n[[edit]]\nkind = \"add_parcel\"\nid = \"p\"\npolygon = [0, 0, 1, 1]\n"
                                "parcel_kind = \"park\"\n[[edit]]\nkind = \"plant_trees\"\n");
  EXPECT_NE(m.find("'edit[0].buildings' names no building"), std::string::npos) << m;
  EXPECT_NE(m.find("'edit[0].coverage'"), std::string::npos) << m;
  EXPECT_NE(m.find("'edit[1].polygon' must list x, y pairs of at least three vertices"), std::string::npos) << m;
  EXPECT_NE(m.find("'edit[2].kind' = \"plant_trees\" is not one of"), std::string::npos) << m;
}

TEST(Scenario, RequiredKeysAndVersion) {
  EXPECT_NE(errorOf("name = \"x\"\n").find("version"), std::string::npos);
  const std::string m = errorOf("version = 1\nname = \"x\"\n[[edit]]\nkind = \"set_stars\"\nbuildings = [\"b\"]\n");
  EXPECT_NE(m.find("edit[0]"), std::string::npos) << m;
  EXPECT_NE(m.find("stars"), std::string::npos) << m;
  auto newer = parseScenario("version = 2\nname = \"x\"\nfuture_key = 1\n", "plan.toml");
  ASSERT_FALSE(newer);
  EXPECT_EQ(newer.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(newer.status().message().find("plan.toml:1: scenario file version 2 is newer"), std::string::npos)
      << newer.status().message();
}

TEST(Scenario, AMissingFileIsNamed) {
  auto r = loadScenario("/nonexistent/plan.toml");
  ASSERT_FALSE(r);
  EXPECT_NE(r.status().message().find("/nonexistent/plan.toml"), std::string::npos);
}

}  // namespace
}  // namespace gt
