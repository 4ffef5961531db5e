// Project files: round trip, older and newer versions, damaged files (core/project.hpp).
#include "greentwin/core/project.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "../support/test_folder.hpp"

namespace gt {
namespace {

Project sample() {
  Project p;
  p.config = "../examples/tongzhou/greentwin.toml";
  p.language = "en";
  p.camera = CameraPose{116.7301, 39.9012, 12.5, 35.25, -52.5, 1850.75};
  BookmarkConfig b;
  b.id = "canal-cbd";
  b.nameEn = "Canal CBD";
  b.nameZh = "运河商务区";
  b.pose = CameraPose{116.69, 39.91, 0, 270, -30, 900};
  p.bookmarks.push_back(b);
  p.clock.live = false;
  p.clock.time = 1'796'000'000'123'456;  // microseconds are kept
  p.clock.rate = 60;
  p.panels.indicators = false;
  p.panels.alerts = true;
  p.panels.scenario = true;
  p.panels.indicatorArea = "districts/d3";
  p.panels.windowLayout = "[Window][Layers]\nPos=8,30\nSize=420,600\n\n[Window][Scenario]\nPos=900,40\n";
  LayerConfig added;
  added.id = "my-parks";
  added.type = "vector";
  added.source = "/data/parks.geojson";
  added.nameEn = "My parks";
  added.nameZh = "我的公园";
  p.addedLayers.push_back(added);
  ProjectLayer buildings;
  buildings.id = "city-buildings";
  buildings.visible = true;
  buildings.opacity = 0.75;
  buildings.filter = "use = 'office' AND height_m > 60";
  LayerStyleConfig style;
  style.colorMode = "graduated";
  style.colorBy = "height_m";
  style.breaks = {12.5, 30, 60};
  style.colors = {"#edf8e9", "#bae4b3", "#74c476", "#238b45"};
  style.heightAttribute = "height_m";
  style.labelZh = "name_zh";
  buildings.style = style;
  ClassificationRequest request;
  request.attribute = "height_m";
  request.method = ClassMethod::Quantile;
  request.classes = 4;
  request.ramp = "greens";
  buildings.colourBy = request;
  ProjectLayer parks;
  parks.id = "my-parks";
  parks.visible = false;
  parks.opacity = 0.4;
  LayerStyleConfig categories;
  categories.colorMode = "categorical";
  categories.colorBy = "kind";
  categories.categories = {{"park", "#2e7d32"}, {"forest land", "#1b5e20"}};
  parks.style = categories;
  p.layers = {buildings, parks};
  Scenario s;
  s.name = "Planner's scenario";
  ScenarioEdit pv;
  pv.kind = ScenarioEditKind::AddPv;
  pv.buildings = {"city-buildings/b1"};
  pv.coverage = 0.5;
  s.edits.push_back(pv);
  p.scenario = s;
  p.scenarioFile = "plans/pv.toml";
  Scenario scenarioB;
  scenarioB.name = "Forest instead";
  ScenarioEdit parcel;
  parcel.kind = ScenarioEditKind::AddParcel;
  parcel.id = "scenario/forest-1";
  parcel.parcelKind = "forest";
  parcel.polygon = Polygon{{{{0, 0, 0}, {100, 0, 0}, {100, 80, 0}}}};
  scenarioB.edits.push_back(parcel);
  p.scenarioB = scenarioB;
  p.scenarioBSource = "plans/forest.toml";
  return p;
}

TEST(Project, RoundTripGivesTheSameProject) {
  const Project p = sample();
  const std::string text = projectText(p);
  auto read = parseProject(text, "plan.gtproj");
  ASSERT_TRUE(read.isOk()) << read.status().message() << "\n" << text;
  EXPECT_EQ(projectText(*read), text);
  EXPECT_EQ(read->config, p.config);
  ASSERT_TRUE(read->camera.has_value());
  EXPECT_DOUBLE_EQ(read->camera->headingDeg, 35.25);
  EXPECT_DOUBLE_EQ(read->camera->rangeM, 1850.75);
  ASSERT_EQ(read->bookmarks.size(), 1u);
  EXPECT_EQ(read->bookmarks[0].nameZh, "运河商务区");
  EXPECT_FALSE(read->clock.live);
  EXPECT_EQ(read->clock.time, p.clock.time);
  EXPECT_EQ(read->panels.windowLayout, p.panels.windowLayout);
  EXPECT_EQ(read->panels.indicatorArea, "districts/d3");
  ASSERT_EQ(read->addedLayers.size(), 1u);
  EXPECT_EQ(read->addedLayers[0].source, "/data/parks.geojson");
  ASSERT_EQ(read->layers.size(), 2u);
  EXPECT_EQ(read->layers[0].filter, p.layers[0].filter);
  EXPECT_DOUBLE_EQ(read->layers[0].opacity, 0.75);
  ASSERT_TRUE(read->layers[0].style.has_value());
  EXPECT_EQ(read->layers[0].style->breaks, p.layers[0].style->breaks);
  ASSERT_TRUE(read->layers[0].colourBy.has_value());
  EXPECT_EQ(read->layers[0].colourBy->method, ClassMethod::Quantile);
  EXPECT_EQ(read->layers[0].colourBy->classes, 4);
  EXPECT_FALSE(read->layers[1].visible);
  ASSERT_EQ(read->layers[1].style->categories.size(), 2u);
  EXPECT_EQ(read->layers[1].style->categories[1].first, "forest land");
  ASSERT_TRUE(read->scenario.has_value());
  EXPECT_EQ(read->scenario->name, "Planner's scenario");
  EXPECT_EQ(read->scenarioFile, "plans/pv.toml");
  ASSERT_TRUE(read->scenarioB.has_value());
  EXPECT_EQ(read->scenarioB->name, "Forest instead");
  ASSERT_EQ(read->scenarioB->edits.size(), 1u);
  EXPECT_EQ(read->scenarioB->edits[0].parcelKind, "forest");
  EXPECT_EQ(read->scenarioBSource, "plans/forest.toml");
}

TEST(Project, SaveAndLoadThroughAFile) {
  testing::TestFolder folder("gt_project");
  const std::string path = folder.file("plan.gtproj");
  ASSERT_TRUE(saveProject(sample(), path).isOk());
  auto read = loadProject(path);
  ASSERT_TRUE(read.isOk()) << read.status().message();
  EXPECT_EQ(projectText(*read), projectText(sample()));
  EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(Project, AVersionOneFileWithOnlyItsVersionOpensWithDefaults) {
  auto read = parseProject("version = 1\n", "old.gtproj");
  ASSERT_TRUE(read.isOk()) << read.status().message();
  EXPECT_EQ(read->version, 1);
  EXPECT_TRUE(read->clock.live);
  EXPECT_TRUE(read->panels.indicators);
  EXPECT_EQ(read->panels.indicatorArea, "district");
  EXPECT_FALSE(read->camera.has_value());
  EXPECT_TRUE(read->layers.empty());
  EXPECT_FALSE(read->scenario.has_value());
}

TEST(Project, ANewerVersionIsRefusedByName) {
  auto read = parseProject("version = 7\nfuture_key = 1\n", "new.gtproj");
  ASSERT_FALSE(read.isOk());
  EXPECT_EQ(read.status().code(), ErrorCode::Unsupported);
  EXPECT_NE(read.status().message().find("new.gtproj:1: project file version 7 is newer"), std::string::npos)
      << read.status().message();
}

TEST(Project, DamagedFilesSayWhereAndWhat) {
  auto syntax = parseProject("version = 1\n[layer_state\nid = 3\n", "broken.gtproj");
  ASSERT_FALSE(syntax.isOk());
  EXPECT_NE(syntax.status().message().find("broken.gtproj:2"), std::string::npos) << syntax.status().message();

  auto typo = parseProject("version = 1\n[[layer_state]]\nid = \"a\"\nopacitty = 0.5\n", "typo.gtproj");
  ASSERT_FALSE(typo.isOk());
  EXPECT_NE(typo.status().message().find("typo.gtproj:4"), std::string::npos) << typo.status().message();
  EXPECT_NE(typo.status().message().find("did you mean 'layer_state[0].opacity'"), std::string::npos) << typo.status().message();

  auto range = parseProject("version = 1\n[[layer_state]]\nid = \"a\"\nopacity = 3.0\n", "range.gtproj");
  ASSERT_FALSE(range.isOk());
  EXPECT_NE(range.status().message().find("layer_state[0].opacity"), std::string::npos) << range.status().message();

  auto paused = parseProject("version = 1\n[clock]\nmode = \"paused\"\n", "paused.gtproj");
  ASSERT_FALSE(paused.isOk());
  EXPECT_NE(paused.status().message().find("clock.time' is required"), std::string::npos) << paused.status().message();

  auto scenario = parseProject("version = 1\n[scenario]\ntext = \"version = 1\\nname = 3\\n\"\n", "s.gtproj");
  ASSERT_FALSE(scenario.isOk());
  EXPECT_NE(scenario.status().message().find("the scenario in 'scenario.text' cannot be read"), std::string::npos)
      << scenario.status().message();

  auto noText = parseProject("version = 1\n[scenario_b]\nsource = \"b.toml\"\n", "b.gtproj");
  ASSERT_FALSE(noText.isOk());
  EXPECT_NE(noText.status().message().find("'scenario_b' is missing required key 'text'"), std::string::npos) << noText.status().message();

  auto method = parseProject(
      "version = 1\n[[layer_state]]\nid = \"a\"\n[layer_state.colour_by]\nattribute = \"h\"\nmethod = \"median\"\n",
      "m.gtproj");
  ASSERT_FALSE(method.isOk());
  EXPECT_NE(method.status().message().find("m.gtproj:6"), std::string::npos) << method.status().message();
}

TEST(Project, ANamedPipeIsRefusedWithoutBeingOpened) {
  testing::TestFolder folder("gt_project");
  const std::string fifo = folder.file("plan.gtproj");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto read = loadProject(fifo);  // opening a FIFO for reading would block for good
  ASSERT_FALSE(read.isOk());
  EXPECT_EQ(read.status().code(), ErrorCode::NotFound);
  EXPECT_NE(read.status().message().find("not a regular file"), std::string::npos);
}

TEST(Project, ATooLargeFileIsRefusedWithItsSize) {
  testing::TestFolder folder("gt_project");
  const std::string path = folder.file("huge.gtproj");
  {
    std::ofstream out(path, std::ios::binary);
    out << "version = 1\n";
    out.seekp(static_cast<std::streamoff>(kMaxProjectFileBytes) + 10);
    out << "x";
  }
  auto read = loadProject(path);
  ASSERT_FALSE(read.isOk());
  EXPECT_EQ(read.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(read.status().message().find("more than the"), std::string::npos) << read.status().message();
}

TEST(Project, TextThatALiteralStringCannotHoldIsEscaped) {
  Project p;
  p.panels.windowLayout = "a ''' b\x01 c'";
  auto read = parseProject(projectText(p), "esc.gtproj");
  ASSERT_TRUE(read.isOk()) << read.status().message();
  EXPECT_EQ(read->panels.windowLayout, p.panels.windowLayout);
}

}  // namespace
}  // namespace gt
