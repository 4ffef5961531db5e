#include "greentwin/core/config.hpp"

#include "greentwin/core/geo_frame.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

namespace gt {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// Parses `text` as "test.toml" and expects an error whose message contains every fragment.
Status parseError(const std::string& text) {
  auto r = parseConfig(text, "test.toml");
  EXPECT_FALSE(r.isOk()) << "expected an error for:\n" << text;
  return r.status();
}

TEST(Config, EmptyFileGivesDefaults) {
  auto r = parseConfig("", "empty.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const Config& c = *r;
  const Config defaults;
  EXPECT_EQ(c.display.width, 1600);
  EXPECT_EQ(c.display.height, 900);
  EXPECT_FALSE(c.display.fullscreen);
  EXPECT_EQ(c.display.language, "zh");
  EXPECT_DOUBLE_EQ(c.display.uiScale, 1.0);
  EXPECT_TRUE(c.display.vsync);
  EXPECT_DOUBLE_EQ(c.scene.originLon, 116.72);
  EXPECT_DOUBLE_EQ(c.scene.originLat, 39.86);
  EXPECT_EQ(c.scene.crs, "EPSG:4548");
  EXPECT_EQ(c.clock.mode, "live");
  EXPECT_FALSE(c.clock.start.has_value());
  EXPECT_FALSE(c.clock.end.has_value());
  EXPECT_DOUBLE_EQ(c.clock.rate, 1.0);
  EXPECT_DOUBLE_EQ(c.home.rangeM, defaults.home.rangeM);
  EXPECT_DOUBLE_EQ(c.home.pitchDeg, -45.0);
  EXPECT_TRUE(c.bookmarks.empty());
  EXPECT_TRUE(c.layers.empty());
  EXPECT_TRUE(c.sources.empty());
  EXPECT_TRUE(c.plugins.folders.empty());
  EXPECT_TRUE(c.plugins.enabled.empty());
  EXPECT_EQ(c.logging.level, "info");
  EXPECT_EQ(c.logging.file, "");
  EXPECT_EQ(c.logging.auditLinesPerSecond, 10.0);
  EXPECT_EQ(c.findBookmark("anything"), nullptr);
}

constexpr const char* kFullConfig = R"(# GreenTwin full example
[display]
width = 3840
height = 2160
fullscreen = true
language = "en"
ui_scale = 1.5
vsync = false

[scene]
origin_lon = 116.70
origin_lat = 39.90
crs = "EPSG:4548"

[clock]
mode = "playback"
start = "2026-11-26T08:00:00+08:00"
end = 2026-11-27T00:00:00Z
rate = 60

[camera.home]
center_lon = 116.71
center_lat = 39.89
center_height = 20.0
heading_deg = 30
pitch_deg = -60
range_m = 12000

[[camera.bookmarks]]
id = "library"
name_en = "City Library"
name_zh = "城市图书馆"
center_lon = 116.69
center_lat = 39.91
range_m = 800

[[camera.bookmarks]]
id = "canal"
center_lon = 116.72
center_lat = 39.92

[[layers]]
id = "buildings"
type = "extrusion"
source = "data/buildings.gpkg"
name_en = "Buildings"
name_zh = "建筑"
visible = true
opacity = 0.8
synthetic = true
[layers.style]
fill_color = "#aabbcc"
outline_color = "#112233ff"
line_width_px = 1.5

[[layers]]
id = "air"
type = "points"
source = "air_quality"
visible = false

[[sources]]
id = "air_quality"
type = "zmq"
endpoint = "tcp://127.0.0.1:5556"
server_key = "keys/twin.key"
allowed_keys = "keys/allowed.toml"

[plugins]
folders = ["plugins", "/opt/greentwin/plugins"]
enabled = ["energy", "traffic"]

[logging]
level = "debug"
file = "logs/greentwin.log"
audit_lines_per_second = 25
)";

TEST(Config, FullFileRoundTrip) {
  auto r = parseConfig(kFullConfig, "full.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const Config& c = *r;
  EXPECT_EQ(c.display.width, 3840);
  EXPECT_EQ(c.display.height, 2160);
  EXPECT_TRUE(c.display.fullscreen);
  EXPECT_EQ(c.display.language, "en");
  EXPECT_DOUBLE_EQ(c.display.uiScale, 1.5);
  EXPECT_FALSE(c.display.vsync);
  EXPECT_DOUBLE_EQ(c.scene.originLon, 116.70);
  EXPECT_DOUBLE_EQ(c.scene.originLat, 39.90);
  EXPECT_EQ(c.clock.mode, "playback");
  // 2026-11-26T00:00:00Z = 1795651200 s.
  ASSERT_TRUE(c.clock.start.has_value());
  ASSERT_TRUE(c.clock.end.has_value());
  EXPECT_EQ(*c.clock.start, 1795651200LL * kMicrosPerSecond);
  EXPECT_EQ(*c.clock.end, (1795651200LL + 86400) * kMicrosPerSecond);
  EXPECT_DOUBLE_EQ(c.clock.rate, 60.0);
  EXPECT_DOUBLE_EQ(c.home.centerLon, 116.71);
  EXPECT_DOUBLE_EQ(c.home.centerLat, 39.89);
  EXPECT_DOUBLE_EQ(c.home.centerHeight, 20.0);
  EXPECT_DOUBLE_EQ(c.home.headingDeg, 30.0);
  EXPECT_DOUBLE_EQ(c.home.pitchDeg, -60.0);
  EXPECT_DOUBLE_EQ(c.home.rangeM, 12000.0);

  ASSERT_EQ(c.bookmarks.size(), 2u);
  const BookmarkConfig* library = c.findBookmark("library");
  ASSERT_NE(library, nullptr);
  EXPECT_EQ(library->nameEn, "City Library");
  EXPECT_EQ(library->nameZh, "城市图书馆");
  EXPECT_DOUBLE_EQ(library->pose.centerLon, 116.69);
  EXPECT_DOUBLE_EQ(library->pose.rangeM, 800.0);
  const BookmarkConfig* canal = c.findBookmark("canal");
  ASSERT_NE(canal, nullptr);
  EXPECT_DOUBLE_EQ(canal->pose.pitchDeg, CameraPose{}.pitchDeg);  // unset keys keep their defaults

  ASSERT_EQ(c.layers.size(), 2u);
  const LayerConfig& b = c.layers[0];
  EXPECT_EQ(b.id, "buildings");
  EXPECT_EQ(b.type, "extrusion");
  EXPECT_EQ(b.source, "data/buildings.gpkg");
  EXPECT_EQ(b.nameEn, "Buildings");
  EXPECT_EQ(b.nameZh, "建筑");
  EXPECT_TRUE(b.visible);
  EXPECT_DOUBLE_EQ(b.opacity, 0.8);
  EXPECT_TRUE(b.synthetic);
  EXPECT_EQ(b.style.fillColor, "#aabbcc");
  EXPECT_EQ(b.style.outlineColor, "#112233ff");
  EXPECT_DOUBLE_EQ(b.style.lineWidthPx, 1.5);
  EXPECT_EQ(b.line, 42);  // the [[layers]] header
  const LayerConfig& air = c.layers[1];
  EXPECT_EQ(air.id, "air");
  EXPECT_FALSE(air.visible);
  EXPECT_DOUBLE_EQ(air.opacity, 1.0);
  EXPECT_EQ(air.style.fillColor, LayerStyleConfig{}.fillColor);

  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].id, "air_quality");
  EXPECT_EQ(c.sources[0].type, "zmq");
  EXPECT_EQ(c.sources[0].line, 62);
  // The zmq source's own keys are read by the zmq source type (tests/runtime/zmq_source_test.cpp); without it in the
  // schema, "zmq" is one more plugin type whose keys are its options.

  EXPECT_EQ(c.plugins.folders, (std::vector<std::string>{"plugins", "/opt/greentwin/plugins"}));
  EXPECT_EQ(c.plugins.enabled, (std::vector<std::string>{"energy", "traffic"}));
  EXPECT_EQ(c.logging.level, "debug");
  EXPECT_EQ(c.logging.file, "logs/greentwin.log");
  EXPECT_EQ(c.logging.auditLinesPerSecond, 25.0);
}

TEST(Config, SyntaxErrorGivesFileLineColumn) {
  const Status s = parseError("[display]\nwidth = 1600\nheight = = 3\n");
  EXPECT_EQ(s.code(), ErrorCode::ParseError);
  EXPECT_THAT(s.message(), HasSubstr("test.toml:3:")) << s.message();
  // file:line:col: description
  EXPECT_THAT(s.message(), ::testing::ContainsRegex("^test\\.toml:3:[0-9]+: .+")) << s.message();
}

TEST(Config, DuplicateTomlKeyIsASyntaxError) {
  const Status s = parseError("[display]\nwidth = 1600\nwidth = 1700\n");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:3:")) << s.message();
}

TEST(Config, UnknownKeySuggestsTheNearestName) {
  const Status s = parseError("[display]\nwidth = 1600\nwidht = 1700\n");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:3: unknown key 'display.widht' (did you mean 'display.width'?)"))
      << s.message();

  const Status top = parseError("[displey]\nwidth = 1\n");
  EXPECT_THAT(top.message(), HasSubstr("test.toml:1: unknown key 'displey' (did you mean 'display'?)"))
      << top.message();

  const Status far = parseError("\n[logging]\ncompletely_unrelated = 1\n");
  EXPECT_THAT(far.message(), HasSubstr("test.toml:3: unknown key 'logging.completely_unrelated'")) << far.message();
  EXPECT_THAT(far.message(), HasSubstr("level, file")) << far.message();

  const Status nested = parseError("[[layers]]\nid = \"a\"\n[layers.style]\nfil_color = \"#ffffff\"\n");
  EXPECT_THAT(nested.message(),
              HasSubstr("test.toml:4: unknown key 'layers[0].style.fil_color' (did you mean "
                        "'layers[0].style.fill_color'?)"))
      << nested.message();
}

TEST(Config, WrongTypeNamesKeyExpectedAndActualType) {
  const Status s = parseError("[display]\n\nwidth = \"1600\"\n");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:3: 'display.width' must be an integer, got string")) << s.message();

  EXPECT_THAT(parseError("[display]\nfullscreen = 1\n").message(),
              HasSubstr("test.toml:2: 'display.fullscreen' must be a boolean, got integer"));
  EXPECT_THAT(parseError("[display]\nui_scale = \"big\"\n").message(),
              HasSubstr("test.toml:2: 'display.ui_scale' must be a number, got string"));
  EXPECT_THAT(parseError("display = 3\n").message(), HasSubstr("test.toml:1: 'display' must be a table, got integer"));
  EXPECT_THAT(parseError("[plugins]\nfolders = [\"a\", 2]\n").message(),
              HasSubstr("test.toml:2: 'plugins.folders[1]' must be a string, got integer"));
  EXPECT_THAT(parseError("[clock]\nstart = 5\n").message(),
              HasSubstr("test.toml:2: 'clock.start' must be a date-time or an ISO 8601 string, got integer"));
  EXPECT_THAT(parseError("layers = 1\n").message(), HasSubstr("'layers' must be an array of tables"));
}

TEST(Config, OutOfRangeNamesTheAllowedRange) {
  const Status s = parseError("[display]\nwidth = 20\n");
  EXPECT_EQ(s.code(), ErrorCode::OutOfRange);
  EXPECT_THAT(s.message(), HasSubstr("test.toml:2: 'display.width' = 20 is out of range; allowed 64..16384"))
      << s.message();
  EXPECT_THAT(parseError("[display]\nui_scale = 8.0\n").message(), HasSubstr("allowed 0.5..4"));
  EXPECT_THAT(parseError("[display]\nlanguage = \"fr\"\n").message(),
              HasSubstr("test.toml:2: 'display.language' = \"fr\" is not allowed; expected one of: zh, en"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"x\"\nopacity = 1.5\n").message(),
              HasSubstr("test.toml:3: 'layers[0].opacity' = 1.5 is out of range; allowed 0..1"));
  EXPECT_THAT(parseError("[camera.home]\npitch_deg = 10\n").message(),
              HasSubstr("test.toml:2: 'camera.home.pitch_deg' = 10 is out of range; allowed -90..0"));
  EXPECT_THAT(parseError("[camera.home]\nrange_m = 0\n").message(),
              HasSubstr("test.toml:2: 'camera.home.range_m' = 0 is out of range"));
  EXPECT_THAT(parseError("[scene]\norigin_lat = 116.7\n").message(), HasSubstr("'scene.origin_lat'"));
  EXPECT_THAT(parseError("[logging]\nlevel = \"verbose\"\n").message(),
              HasSubstr("'logging.level' = \"verbose\" is not allowed; expected one of: trace, debug, info, warn, "
                        "error, off"));
  EXPECT_THAT(parseError("[logging]\naudit_lines_per_second = -1\n").message(),
              HasSubstr("'logging.audit_lines_per_second' = -1 is out of range"));
  EXPECT_THAT(parseError("[clock]\nmode = \"rewind\"\n").message(), HasSubstr("'clock.mode'"));
  EXPECT_THAT(parseError("[display]\nwidth = nan\n").message(), HasSubstr("must be an integer, got float"));
  EXPECT_THAT(parseError("[display]\nui_scale = nan\n").message(), HasSubstr("'display.ui_scale' = nan"));
}

TEST(Config, BadColourAndBadTime) {
  EXPECT_THAT(parseError("[[layers]]\nid = \"x\"\nstyle = { fill_color = \"red\" }\n").message(),
              HasSubstr("test.toml:3: 'layers[0].style.fill_color' = \"red\" is not a colour"));
  EXPECT_THAT(parseError("[clock]\nstart = \"yesterday\"\n").message(),
              HasSubstr("test.toml:2: 'clock.start' is not a valid time"));
  EXPECT_THAT(parseError("[clock]\nstart = \"2026-11-27T00:00:00Z\"\nend = \"2026-11-26T00:00:00Z\"\n").message(),
              HasSubstr("test.toml:3: 'clock.end' must be after 'clock.start'"));
}

TEST(Config, DuplicateLayerIdNamesBothLines) {
  const Status s = parseError(
      "[[layers]]\nid = \"parks\"\n\n[[layers]]\nid = \"roads\"\n\n[[layers]]\nid = \"parks\"\n");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:8: duplicate layer id 'parks' (first defined at line 2)"))
      << s.message();
  EXPECT_THAT(parseError("[[sources]]\nid = \"a\"\ntype = \"zmq\"\n[[sources]]\nid = \"a\"\ntype = \"zmq\"\n").message(),
              HasSubstr("test.toml:5: duplicate source id 'a' (first defined at line 2)"));
}

// [[layers.styles]]: each alternative is the base style with its own keys over it; one that sets a colour rule starts
// that rule afresh (no base breaks beside its classifier); one without a name is an error naming it.
TEST(Config, AlternativeStylesInheritTheBaseStyleAndNameThemselves) {
  auto r = parseConfig(R"(
[[layers]]
id = "b"
type = "buildings"
[layers.style]
name_en = "By use"
color_mode = "categorical"
color_by = "use"
categories = { office = "#8fb8e8" }
height_attribute = "height_m"
[[layers.styles]]
name_en = "Load intensity"
name_zh = "负荷强度"
classifier = "energy.intensity_class"
color_by = "load_w_m2"
[[layers.styles]]
name_zh = "按高度"
color_mode = "graduated"
color_by = "height_m"
breaks = [20.0]
colors = ["#000000", "#ffffff"]
class_names_en = ["low", "tall"]
)",
                       "test.toml");
  ASSERT_TRUE(r) << r.status().message();
  const LayerConfig& layer = r->layers.at(0);
  EXPECT_EQ(layer.style.nameEn, "By use");
  ASSERT_EQ(layer.alternativeStyles.size(), 2u);
  const LayerStyleConfig& load = layer.alternativeStyles[0];
  EXPECT_EQ(load.nameZh, "负荷强度");
  EXPECT_EQ(load.colorMode, "graduated");  // a classifier makes it graduated
  EXPECT_EQ(load.classifier, "energy.intensity_class");
  EXPECT_TRUE(load.categories.empty());      // not the base's categories
  EXPECT_EQ(load.heightAttribute, "height_m");  // the rest from the base
  const LayerStyleConfig& height = layer.alternativeStyles[1];
  EXPECT_TRUE(height.nameEn.empty());  // names are not inherited
  EXPECT_EQ(height.classNamesEn, (std::vector<std::string>{"low", "tall"}));
  EXPECT_EQ(height.breaks, (std::vector<double>{20.0}));

  EXPECT_THAT(parseError("[[layers]]\nid = \"a\"\n[[layers.styles]]\ncolor_by = \"x\"\nclassifier = \"c\"\n").message(),
              HasSubstr("'layers[0].styles[0]' needs name_en or name_zh"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"a\"\n[[layers.styles]]\nname_en = \"x\"\ncolour_by = \"x\"\n").message(),
              HasSubstr("colour_by"));
}

TEST(Config, MissingRequiredKeyNamesTableAndLine) {
  const Status s = parseError("[[layers]]\nid = \"a\"\n\n[[layers]]\ntype = \"vector\"\n");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:4: 'layers[1]' is missing required key 'id'")) << s.message();
  EXPECT_THAT(parseError("[[sources]]\nid = \"a\"\n").message(),
              HasSubstr("test.toml:1: 'sources[0]' is missing required key 'type'"));
  EXPECT_THAT(parseError("[[camera.bookmarks]]\nid = \"a\"\ncenter_lon = 116.7\n").message(),
              HasSubstr("test.toml:1: 'camera.bookmarks[0]' is missing required key 'center_lat'"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"\"\n").message(), HasSubstr("test.toml:2: 'layers[0].id' must not be empty"));
}

TEST(Config, ReportsEveryErrorNotJustTheFirst) {
  const Status s = parseError("[display]\nwidth = 1\nheight = \"x\"\nvsinc = true\n");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:2:"));
  EXPECT_THAT(s.message(), HasSubstr("test.toml:3:"));
  EXPECT_THAT(s.message(), HasSubstr("test.toml:4: unknown key 'display.vsinc' (did you mean 'display.vsync'?)"));
}

class ConfigFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("greentwin_config_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path write(const std::string& name, const std::string& text) {
    const fs::path p = dir_ / name;
    std::ofstream(p) << text;
    return p;
  }
  fs::path dir_;
};

TEST_F(ConfigFileTest, LoadsFileAndResolvesRelativePaths) {
  const fs::path p = write("greentwin.toml", kFullConfig);
  auto r = loadConfigFile(p.string());
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->path, p.string());
  EXPECT_EQ(fs::path(r->directory), dir_.lexically_normal());
  EXPECT_EQ(fs::path(r->resolvePath(r->layers[0].source)), dir_ / "data" / "buildings.gpkg");
  EXPECT_EQ(r->resolvePath("/abs/file.tif"), "/abs/file.tif");
  EXPECT_EQ(fs::path(r->resolvePath("../x/y.tif")), (dir_ / ".." / "x" / "y.tif").lexically_normal());
  EXPECT_EQ(r->resolvePath("tcp://127.0.0.1:5556"), "tcp://127.0.0.1:5556");
  EXPECT_EQ(r->resolvePath("PG:dbname=twin"), "PG:dbname=twin");
  EXPECT_EQ(r->resolvePath(""), "");
}

TEST_F(ConfigFileTest, ErrorsNameTheFile) {
  const fs::path p = write("bad.toml", "[display]\nwidht = 3\n");
  auto r = loadConfigFile(p.string());
  ASSERT_FALSE(r.isOk());
  EXPECT_THAT(r.status().message(), HasSubstr(p.string() + ":2: unknown key 'display.widht'"));
}

TEST_F(ConfigFileTest, MissingFileIsIoErrorNamingThePath) {
  const std::string missing = (dir_ / "nope.toml").string();
  auto r = loadConfigFile(missing);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::IoError);
  EXPECT_THAT(r.status().message(), HasSubstr(missing));

  auto d = loadConfigFile(dir_.string());
  ASSERT_FALSE(d.isOk());
  EXPECT_EQ(d.status().code(), ErrorCode::IoError);
  EXPECT_THAT(d.status().message(), HasSubstr(dir_.string()));
}

TEST(Config, ResolvePathWithoutDirectoryKeepsThePath) {
  Config c;
  EXPECT_EQ(c.resolvePath("data/a.gpkg"), "data/a.gpkg");
  c.directory = "/etc/greentwin";
  EXPECT_EQ(c.resolvePath("data/a.gpkg"), "/etc/greentwin/data/a.gpkg");
  EXPECT_EQ(c.resolvePath("./data/../b.gpkg"), "/etc/greentwin/b.gpkg");
}

TEST(Config, AcceptsInlineTablesAndArraysOfInlineTables) {
  auto r = parseConfig(
      "layers = [ { id = \"a\", opacity = 0.5 }, { id = \"b\", style = { line_width_px = 3 } } ]\n"
      "camera = { home = { range_m = 500 } }\n",
      "inline.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  ASSERT_EQ(r->layers.size(), 2u);
  EXPECT_DOUBLE_EQ(r->layers[0].opacity, 0.5);
  EXPECT_DOUBLE_EQ(r->layers[1].style.lineWidthPx, 3.0);
  EXPECT_DOUBLE_EQ(r->home.rangeM, 500.0);
}

TEST(Config, LayerStyleRulesAndSourceOptions) {
  auto r = parseConfig(R"(
[[layers]]
id = "buildings"
source = "city.gpkg"
source_layer = "buildings"
id_attribute = "id"
crs = "EPSG:4548"
[layers.style]
color_mode = "categorical"
color_by = "use"
categories = { residential = "#d7c9a7", office = "#7fa7d9" }
other_color = "#888888"
height_attribute = "height_m"
floors_attribute = "floors"
metres_per_floor = 3.0
class_attribute = "use"
class_heights = { village = 6, office = 40.5 }
label_zh = "name_zh"
label_en = "name_en"
label_priority = 5

[[layers]]
id = "graded"
[layers.style]
color_mode = "graduated"
color_by = "energy"
breaks = [50, 100.5]
colors = ["#00ff00", "#ffff00", "#ff0000"]
line_width_m = 12
)",
                       "style.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const LayerConfig& b = r->layers[0];
  EXPECT_EQ(b.sourceLayer, "buildings");
  EXPECT_EQ(b.idAttribute, "id");
  EXPECT_EQ(b.assumeCrs, "EPSG:4548");
  EXPECT_EQ(b.style.colorMode, "categorical");
  ASSERT_EQ(b.style.categories.size(), 2u);
  EXPECT_EQ(b.style.categories[1].first, "office");
  EXPECT_EQ(b.style.categories[1].second, "#7fa7d9");
  EXPECT_EQ(b.style.heightAttribute, "height_m");
  EXPECT_DOUBLE_EQ(b.style.metresPerFloor, 3.0);
  ASSERT_EQ(b.style.classHeights.size(), 2u);
  EXPECT_DOUBLE_EQ(b.style.classHeights[1].second, 40.5);
  EXPECT_EQ(b.style.labelZh, "name_zh");
  EXPECT_EQ(b.style.labelPriority, 5);
  const LayerConfig& g = r->layers[1];
  EXPECT_EQ(g.style.breaks, (std::vector<double>{50, 100.5}));
  EXPECT_EQ(g.style.colors.size(), 3u);
  EXPECT_DOUBLE_EQ(g.style.lineWidthM, 12.0);
}

TEST(Config, IncompleteStyleRulesAreErrorsWithLines) {
  Status s = parseError(R"(
[[layers]]
id = "a"
[layers.style]
color_mode = "graduated"
color_by = "energy"
breaks = [50, 100]
colors = ["#00ff00", "#ff0000"]
)");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:4: 'layers[0].style.colors' must have one more entry than breaks (3), got 2"));
  s = parseError(R"(
[[layers]]
id = "a"
[layers.style]
color_mode = "categorical"
)");
  EXPECT_THAT(s.message(), HasSubstr("'layers[0].style.color_by' is required"));
  EXPECT_THAT(s.message(), HasSubstr("'layers[0].style.categories' is required"));
  s = parseError(R"(
[[layers]]
id = "a"
[layers.style]
color_mode = "rainbow"
categories = { x = "red" }
)");
  EXPECT_THAT(s.message(), HasSubstr("test.toml:5: 'layers[0].style.color_mode' = \"rainbow\" is not allowed"));
  EXPECT_THAT(s.message(), HasSubstr("test.toml:6: 'layers[0].style.categories.x' must be a colour"));
}

TEST(Config, BundledDemoConfigLoadsAndItsOriginMakesAGeoFrame) {
  // Core alone reads the common parts (as greentwin-sim does); the whole file with every type's keys is checked by
  // the runtime's loader (tests/runtime/config_loading_test.cpp).
  const std::string path = std::string(GT_TEST_SOURCE_DIR) + "/assets/demo/greentwin.toml";
  auto r = loadConfigFile(path, ConfigSchema::commonOnly());
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  EXPECT_EQ(r->scene.crs, "EPSG:4548");
  ASSERT_FALSE(r->layers.empty());
  for (const LayerConfig& layer : r->layers) {
    if (layer.type == "vehicles") continue;  // drawn from a feed (its prefix), no file
    EXPECT_TRUE(fs::exists(r->resolvePath(layer.source))) << layer.source;
  }
  EXPECT_NE(r->findBookmark("green-heart"), nullptr);
  auto frame = GeoFrame::create(r->scene.originLon, r->scene.originLat, r->scene.crs);
  ASSERT_TRUE(frame.isOk()) << frame.status().toString();
  for (const BookmarkConfig& b : r->bookmarks) {
    auto local = frame->lonLatToLocal(b.pose.centerLon, b.pose.centerLat);
    ASSERT_TRUE(local.isOk()) << b.id;
    EXPECT_LT(std::hypot(local->x, local->y), 30000.0) << b.id;  // all inside the district
  }
}

// ---- the parts core does not read: a layer type's, a source type's and a module's section's own keys -----------

struct StubLayerOptions : LayerOptions {
  int size = 1;
  std::string colour = "none";
};

struct StubSourceOptions : SourceOptions {
  std::string address;
};

struct StubSection : ConfigSection {
  bool on = false;
};

std::shared_ptr<const LayerOptions> parseStubLayer(const ConfigTable& layer, bool ofThisType) {
  static constexpr std::string_view kKeys[]{"size", "colour"};
  auto options = std::make_shared<StubLayerOptions>();
  const auto table = layer.table("stub");
  if (!table) {
    if (ofThisType) layer.error(ErrorCode::InvalidArgument, "'" + layer.path() + "' needs [stub]");
    return options;
  }
  table->checkKeys(kKeys);
  table->readInt("size", options->size, 1, 10);
  table->readString("colour", options->colour);
  return options;
}

std::shared_ptr<const SourceOptions> parseWireSource(const ConfigTable& source) {
  auto options = std::make_shared<StubSourceOptions>();
  source.requireString("address", options->address);
  return options;
}

std::shared_ptr<const ConfigSection> parseStubSection(const ConfigTable& section) {
  static constexpr std::string_view kKeys[]{"on"};
  section.checkKeys(kKeys);
  auto stub = std::make_shared<StubSection>();
  section.readBool("on", stub->on);
  return stub;
}

// A schema with one layer type "stub" ([layers.stub] size, required for its own layers), one source type "wire"
// (address) and one section [stub].
ConfigSchema stubSchema() {
  ConfigSchema schema;
  schema.layerTypes.emplace("stub", LayerOptionsParser{{"stub"}, parseStubLayer});
  schema.sourceTypes.emplace("wire", SourceOptionsParser{{"address"}, parseWireSource});
  schema.sections.emplace("stub", parseStubSection);
  return schema;
}

Result<Config> stub(const std::string& text) { return parseConfig(text, "test.toml", stubSchema()); }

TEST(ConfigSchema, ALayerTypesParserReadsItsOwnKeysAndItsErrorsNameFileLineAndKey) {
  auto r = stub("[[layers]]\nid = \"a\"\ntype = \"stub\"\n[layers.stub]\nsize = 4\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(layerOptions<StubLayerOptions>(r->layers.at(0)).size, 4);
  EXPECT_EQ(layerOptions<StubLayerOptions>(r->layers.at(0)).colour, "none");
  // The type's own messages keep the loader's form: file, line, key path, suggestion.
  auto typo = stub("[[layers]]\nid = \"a\"\ntype = \"stub\"\n[layers.stub]\nsise = 4\n");
  ASSERT_FALSE(typo.isOk());
  EXPECT_THAT(typo.status().message(),
              HasSubstr("test.toml:5: unknown key 'layers[0].stub.sise' (did you mean 'layers[0].stub.size'?)"));
  auto range = stub("[[layers]]\nid = \"a\"\ntype = \"stub\"\n[layers.stub]\nsize = 40\n");
  EXPECT_THAT(range.status().message(), HasSubstr("test.toml:5: 'layers[0].stub.size' = 40 is out of range; allowed 1..10"));
  auto missing = stub("[[layers]]\nid = \"a\"\ntype = \"stub\"\n");
  EXPECT_THAT(missing.status().message(), HasSubstr("test.toml:1: 'layers[0]' needs [stub]"));
  // A misspelt table name is suggested from the registered types' keys.
  auto table = stub("[[layers]]\nid = \"a\"\ntype = \"stub\"\n[layers.stob]\nsize = 4\n");
  EXPECT_THAT(table.status().message(), HasSubstr("unknown key 'layers[0].stob' (did you mean 'layers[0].stub'?)"));
}

TEST(ConfigSchema, AnotherTypesTableIsCheckedButGivesTheLayerNothing) {
  auto r = stub("[[layers]]\nid = \"a\"\n[layers.stub]\nsize = 4\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(r->layers.at(0).type, "vector");
  EXPECT_EQ(r->layers.at(0).typeOptions, nullptr);
  EXPECT_EQ(layerOptions<StubLayerOptions>(r->layers.at(0)).size, 1);  // the defaults
  auto bad = stub("[[layers]]\nid = \"a\"\n[layers.stub]\nsize = 0\n");
  EXPECT_THAT(bad.status().message(), HasSubstr("test.toml:4: 'layers[0].stub.size' = 0 is out of range"));
}

TEST(ConfigSchema, WithoutTheTypeItsKeysAreUnknownUnlessOnlyTheCommonPartsAreRead) {
  const std::string text = "[[layers]]\nid = \"a\"\ntype = \"stub\"\n[layers.stub]\nsize = 4\n"
                           "[[sources]]\nid = \"s\"\ntype = \"wire\"\naddress = [1]\n[stub]\non = true\n";
  const Status strict = parseError(text);
  EXPECT_THAT(strict.message(), HasSubstr("test.toml:4: unknown key 'layers[0].stub'"));
  EXPECT_THAT(strict.message(), HasSubstr("test.toml:9: 'sources[0].address' must be a string, number or boolean"));
  EXPECT_THAT(strict.message(), HasSubstr("test.toml:10: unknown key 'stub'"));
  auto common = parseConfig(text, "test.toml", ConfigSchema::commonOnly());
  ASSERT_TRUE(common.isOk()) << common.status().message();
  EXPECT_EQ(common->layers.at(0).id, "a");
  EXPECT_EQ(common->sources.at(0).type, "wire");
  EXPECT_TRUE(common->sources.at(0).options.empty());
  EXPECT_TRUE(common->sections.empty());
  // The common keys are still read (and checked) when only they are.
  EXPECT_FALSE(
      parseConfig("[[layers]]\nid = \"a\"\nopacity = 2\n", "test.toml", ConfigSchema::commonOnly()).isOk());
}

TEST(ConfigSchema, ASourceTypesParserOwnsEveryKeyButIdAndType) {
  auto r = stub("[[sources]]\nid = \"s\"\ntype = \"wire\"\naddress = \"here\"\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(sourceOptions<StubSourceOptions>(r->sources.at(0)).address, "here");
  EXPECT_TRUE(r->sources.at(0).options.empty());  // not a plugin's: no text options
  auto unknown = stub("[[sources]]\nid = \"s\"\ntype = \"wire\"\naddres = \"here\"\n");
  ASSERT_FALSE(unknown.isOk());
  EXPECT_THAT(unknown.status().message(),
              HasSubstr("test.toml:4: unknown key 'sources[0].addres' (did you mean 'sources[0].address'?)"));
  EXPECT_THAT(unknown.status().message(), HasSubstr("test.toml:1: 'sources[0]' is missing required key 'address'"));
  // Another type stays a plugin's, its keys its options.
  auto plugin = stub("[[sources]]\nid = \"p\"\ntype = \"x.y\"\naddress = \"a\"\n");
  ASSERT_TRUE(plugin.isOk()) << plugin.status().message();
  ASSERT_EQ(plugin->sources.at(0).options.size(), 1u);
  EXPECT_EQ(plugin->sources.at(0).typeOptions, nullptr);
}

TEST(ConfigSchema, ASectionIsReadByItsParser) {
  auto r = stub("[stub]\non = true\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_TRUE(configSection<StubSection>(*r, "stub").on);
  auto none = stub("");
  ASSERT_TRUE(none.isOk());
  EXPECT_FALSE(configSection<StubSection>(*none, "stub").on);  // absent: the defaults
  EXPECT_THAT(parseError("[stub]\nof = true\n").message(), HasSubstr("unknown key 'stub'"));
  auto typo = stub("[stub]\nof = true\n");
  EXPECT_THAT(typo.status().message(), HasSubstr("test.toml:2: unknown key 'stub.of' (did you mean 'stub.on'?)"));
}

TEST(ConfigSchema, EditingOptionsGivesTheConfigItsOwnCopy) {
  auto r = stub("[[layers]]\nid = \"a\"\ntype = \"stub\"\n[layers.stub]\nsize = 4\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  LayerConfig copy = r->layers.at(0);
  editLayerOptions<StubLayerOptions>(copy).size = 7;
  EXPECT_EQ(layerOptions<StubLayerOptions>(copy).size, 7);
  EXPECT_EQ(layerOptions<StubLayerOptions>(r->layers.at(0)).size, 4);
  LayerConfig fresh;
  editLayerOptions<StubLayerOptions>(fresh).colour = "red";
  EXPECT_EQ(layerOptions<StubLayerOptions>(fresh).size, 1);
  EXPECT_EQ(layerOptions<StubLayerOptions>(fresh).colour, "red");
}

}  // namespace
}  // namespace gt
