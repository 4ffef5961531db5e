// Config parts written back as TOML read back equal through the config's own reader (core/config_text.hpp).
#include "greentwin/core/config_text.hpp"

#include <gtest/gtest.h>

namespace gt {
namespace {

Config readBack(const std::string& text) {
  auto config = parseConfig(text, "written.toml", ConfigSchema::commonOnly());
  EXPECT_TRUE(config.isOk()) << config.status().message() << "\n" << text;
  return config.isOk() ? *config : Config{};
}

TEST(ConfigText, AStyleWithEveryKindOfKeyReadsBackTheSame) {
  LayerStyleConfig s;
  s.nameEn = "By height";
  s.nameZh = "按高度";
  s.fillColor = "#112233";
  s.outlineColor = "#445566aa";
  s.lineWidthPx = 3.5;
  s.lineWidthM = 12;
  s.pointSizePx = 10;
  s.colorMode = "categorical";
  s.colorBy = "use";
  s.categories = {{"office", "#ff0000"}, {"mixed use", "#00ff00"}, {"住宅", "#0000ff"}};
  s.categoryNamesZh = {{"office", "办公"}};
  s.otherColor = "#777777";
  s.heightAttribute = "height_m";
  s.floorsAttribute = "floors";
  s.metresPerFloor = 3.0;
  s.classAttribute = "kind";
  s.classHeights = {{"tower", 80.0}, {"low", 6.5}};
  s.defaultHeightM = 9;
  s.labelZh = "name_zh";
  s.labelEn = "name_en";
  s.labelPriority = -3;
  const Config c = readBack("[[layers]]\nid = \"a\"\nsource = \"a.gpkg\"\n[layers.style]\n" + styleText(s));
  ASSERT_EQ(c.layers.size(), 1u);
  EXPECT_TRUE(sameStyle(c.layers[0].style, s)) << styleText(c.layers[0].style) << "\n---\n" << styleText(s);
  EXPECT_EQ(c.layers[0].style.categories, s.categories);
  EXPECT_EQ(c.layers[0].style.classHeights, s.classHeights);
  EXPECT_EQ(c.layers[0].style.labelPriority, -3);
}

TEST(ConfigText, AGraduatedStyleKeepsItsBreaksAndAClassifiersStyleOnlyItsName) {
  LayerStyleConfig g;
  g.colorMode = "graduated";
  g.colorBy = "load_kw";
  g.breaks = {0.5, 1.25, 1e6};
  g.colors = {"#000000", "#111111", "#222222", "#333333"};
  g.classNamesEn = {"a", "b", "c", "d"};
  const Config c = readBack("[[layers]]\nid = \"a\"\nsource = \"a\"\n[layers.style]\n" + styleText(g));
  EXPECT_EQ(c.layers[0].style.breaks, g.breaks);
  EXPECT_EQ(c.layers[0].style.colors, g.colors);

  LayerStyleConfig classified = g;  // as the twin fills it from the plugin's classes
  classified.classifier = "air_quality.aqi_class";
  const std::string text = styleText(classified);
  EXPECT_EQ(text.find("breaks"), std::string::npos) << text;
  const Config d = readBack("[[layers]]\nid = \"a\"\nsource = \"a\"\n[layers.style]\n" + text);
  EXPECT_EQ(d.layers[0].style.classifier, "air_quality.aqi_class");
  EXPECT_TRUE(d.layers[0].style.breaks.empty());

  // Held unresolved (no plugin gives the classifier: its fill colour, "single"): still written as the classifier's
  // graduated rule, which reads back.
  LayerStyleConfig unresolved;
  unresolved.classifier = "forest.canopy_class";
  unresolved.colorBy = "canopy_cover_pct";
  unresolved.colorMode = "single";
  const auto back = parseStyleText(styleText(unresolved), "unresolved");
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->classifier, "forest.canopy_class");
  EXPECT_EQ(back->colorMode, "graduated");
}

TEST(ConfigText, SameStyleSeesAChangedColour) {
  LayerStyleConfig a;
  LayerStyleConfig b;
  EXPECT_TRUE(sameStyle(a, b));
  b.fillColor = "#000001";
  EXPECT_FALSE(sameStyle(a, b));
}

TEST(ConfigText, ALayerAndABookmarkReadBackTheSame) {
  LayerConfig l;
  l.id = "parks \"new\"";
  l.type = "vector";
  l.source = "C:\\data\\parks.gpkg";
  l.sourceLayer = "parks";
  l.idAttribute = "fid";
  l.assumeCrs = "EPSG:4548";
  l.resolutionM = 25;
  l.nameEn = "Parks";
  l.nameZh = "公园";
  l.synthetic = true;
  BookmarkConfig b;
  b.id = "home2";
  b.nameEn = "Home";
  b.pose = CameraPose{116.7, 39.9, 5, 45, -60, 2500};
  const Config c = readBack("[[layers]]\n" + layerText(l) + "\n[[camera.bookmarks]]\n" + bookmarkText(b));
  ASSERT_EQ(c.layers.size(), 1u);
  EXPECT_EQ(c.layers[0].id, l.id);
  EXPECT_EQ(c.layers[0].source, l.source);
  EXPECT_EQ(c.layers[0].sourceLayer, "parks");
  EXPECT_EQ(c.layers[0].idAttribute, "fid");
  EXPECT_EQ(c.layers[0].assumeCrs, "EPSG:4548");
  EXPECT_DOUBLE_EQ(c.layers[0].resolutionM, 25);
  EXPECT_EQ(c.layers[0].nameZh, "公园");
  EXPECT_TRUE(c.layers[0].synthetic);
  ASSERT_EQ(c.bookmarks.size(), 1u);
  EXPECT_DOUBLE_EQ(c.bookmarks[0].pose.headingDeg, 45);
  EXPECT_DOUBLE_EQ(c.bookmarks[0].pose.rangeM, 2500);
  EXPECT_DOUBLE_EQ(c.bookmarks[0].pose.centerHeight, 5);
}

TEST(ConfigText, AStyleTextReadsBackAloneAndAMistakeIsNamed) {
  LayerStyleConfig s;
  s.colorMode = "graduated";
  s.colorBy = "change of load_kw";
  s.breaks = {-0.1, 1.0 / 3.0, 2.5e7};
  s.colors = {"#0000ff", "#ffffff", "#ff8800", "#ff0000"};
  s.classNamesEn = {"a", "b", "c", "d"};
  s.lineWidthPx = 0.75;
  auto back = parseStyleText(styleText(s), "lead style");
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_TRUE(sameStyle(*back, s)) << styleText(*back);
  EXPECT_EQ(back->breaks, s.breaks);  // the numbers exactly: a class limit must not move on a follower
  EXPECT_FALSE(sameStyle(*back, LayerStyleConfig{}));
  // Unknown keys, bad colours and ranges are refused as the config reader refuses them, naming the text.
  auto unknown = parseStyleText("fill_colour = \"#ffffff\"\n", "lead style");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.status().message().find("lead style:1:"), std::string::npos) << unknown.status().message();
  EXPECT_NE(unknown.status().message().find("fill_color"), std::string::npos) << unknown.status().message();
  EXPECT_FALSE(parseStyleText("fill_color = \"red\"\n", "lead style"));
  EXPECT_FALSE(parseStyleText("line_width_px = 1000.0\n", "lead style"));
  EXPECT_FALSE(parseStyleText("fill_color = [\n", "lead style"));  // not TOML
}

}  // namespace
}  // namespace gt
