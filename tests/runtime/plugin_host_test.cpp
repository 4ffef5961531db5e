// The plugin host with real plugin libraries (built by greentwin_add_plugin into GT_TEST_PLUGIN_DIR) and a
// recording stand-in for the twin: manifests, the folder rule, ABI refusal, guarded calls, settings, contributions.
#include <algorithm>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <span>
#include <thread>

#include "greentwin/runtime/plugin_host.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const std::string kFolder = GT_TEST_PLUGIN_DIR;

std::string library(const std::string& name) { return kFolder + "/libgt_test_" + name + GT_TEST_PLUGIN_SUFFIX; }

// Records pushes (from any thread); answers reads from a map; two entities with positions.
class FakeServices : public PluginServices {
 public:
  Status pushUpdate(std::string_view entity, std::string_view attribute, TimePoint t, double value) override {
    if (entity == "unknown") return Status(ErrorCode::NotFound, "unknown entity");
    std::lock_guard lock(mu);
    pushes.push_back({std::string(entity), std::string(attribute), t, value});
    values[std::string(entity) + "." + std::string(attribute)] = value;
    return Status::ok();
  }
  TimePoint clockNow() const override { return 1'000'000; }
  std::optional<Sample> readValue(std::string_view entity, std::string_view attribute) const override {
    std::lock_guard lock(mu);
    const auto it = values.find(std::string(entity) + "." + std::string(attribute));
    if (it == values.end()) return std::nullopt;
    return Sample{it->second, 5};
  }
  void forEachEntity(std::string_view kind, std::string_view, const std::function<bool(const EntityView&)>& visit) const override {
    for (const auto& [id, k] : entities) {
      if (!kind.empty() && k != kind) continue;
      if (!visit(EntityView{&id, &k, &layer, Vec3d{1, 2, 3}, 116.7, 39.9})) return;
    }
  }
  bool forEachFeature(std::string_view layerId, const FeatureVisitor& visit) const override {
    if (layerId != layer) return false;
    for (const Feature& f : features) {
      if (!visit(f, f.properties)) break;
    }
    return true;
  }
  // Handles are indexes into `features`; the value is what was pushed for that feature's id.
  void readValues(std::string_view attribute, std::span<const std::uint32_t> handles, std::span<double> out,
                  std::span<std::int64_t> times) const override {
    for (std::size_t i = 0; i < handles.size(); ++i) {
      const auto r = handles[i] < features.size() ? readValue(features[handles[i]].id, attribute) : std::nullopt;
      out[i] = r ? r->value : std::nan("");
      times[i] = r ? r->sampleTime : 0;
    }
  }
  Status raiseAlert(const AlertRaise& alert) override {
    std::lock_guard lock(mu);
    raised.push_back(alert);
    return Status::ok();
  }
  Status clearAlert(std::string_view source, std::string_view key, TimePoint t) override {
    std::lock_guard lock(mu);
    cleared.push_back(std::string(source) + ":" + std::string(key) + "@" + std::to_string(t));
    return Status::ok();
  }
  std::size_t pushCount() const {
    std::lock_guard lock(mu);
    return pushes.size();
  }

  struct Push {
    std::string entity, attribute;
    TimePoint t;
    double value;
  };
  mutable std::mutex mu;
  std::vector<Push> pushes;
  std::map<std::string, double> values;
  std::vector<std::pair<std::string, std::string>> entities{{"d/0", "district"}, {"d/1", "district"}, {"b/0", "building"}};
  std::string layer = "test-layer";
  std::vector<Feature> features;
  std::vector<AlertRaise> raised;
  std::vector<std::string> cleared;
};

// A fresh folder (removed at the end) to put manifests, copies and links in.
class TempFolder {
 public:
  explicit TempFolder(const std::string& name) : path_(fs::path(GT_TEST_BINARY_DIR) / ("tmp_" + name)) {
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempFolder() { fs::remove_all(path_); }
  TempFolder(const TempFolder&) = delete;
  TempFolder& operator=(const TempFolder&) = delete;
  std::string path() const { return path_.string(); }
  std::string sub(const std::string& name) const {
    fs::create_directories(path_ / name);
    return (path_ / name).string();
  }
  static void write(const std::string& file, const std::string& text) { std::ofstream(file) << text; }

 private:
  fs::path path_;
};

std::string manifest(const std::string& id, const std::string& libraryPath, int abi = 1) {
  return "id = \"" + id + "\"\nname = \"" + id + "\"\nversion = \"1\"\nabi = " + std::to_string(abi) +
         "\nlibrary = \"" + libraryPath + "\"\n";
}

PluginConfig inFolder(std::vector<std::string> enabled, std::vector<std::string> folders = {kFolder}) {
  PluginConfig c;
  c.folders = std::move(folders);
  c.enabled = std::move(enabled);
  return c;
}

SourceConfig source(const std::string& id, const std::string& type, std::vector<ConfigValue> options) {
  SourceConfig s;
  s.id = id;
  s.type = type;
  s.options = std::move(options);
  return s;
}

TEST(PluginManifest, ReadsEveryFieldWithoutLoading) {
  auto m = readPluginManifest(kFolder + "/gt_test_good.greentwin-plugin.toml");
  ASSERT_TRUE(m) << m.status().message();
  EXPECT_EQ(m->id, "good");
  EXPECT_EQ(m->abi, PluginHost::abiVersion());
  EXPECT_EQ(m->library, "libgt_test_good" GT_TEST_PLUGIN_SUFFIX);  // filled in by greentwin_add_plugin
  EXPECT_EQ(m->sources, (std::vector<std::string>{"good.counter", "good.threaded"}));
  EXPECT_EQ(m->layers, (std::vector<std::string>{"good.field"}));
  ASSERT_EQ(m->settings.size(), 1u);
  EXPECT_EQ(m->settings[0].key, "count");
  EXPECT_EQ(m->settings[0].value, "4");
}

TEST(PluginManifest, MissingFieldsAndBadTomlAreNamed) {
  TempFolder tmp("manifest");
  const std::string a = tmp.path() + "/a.greentwin-plugin.toml";
  TempFolder::write(a, "id = \"a\"\nversion = \"1\"\nlibrary = \"x.so\"\n");
  EXPECT_THAT(readPluginManifest(a).status().message(), HasSubstr("'abi'"));
  TempFolder::write(a, "id = \"a\"\nabi = 1\nversion = \"1\"\n");
  EXPECT_THAT(readPluginManifest(a).status().message(), HasSubstr("'library'"));
  TempFolder::write(a, "id = = 3\n");
  EXPECT_EQ(readPluginManifest(a).status().code(), ErrorCode::ParseError);
  EXPECT_EQ(readPluginManifest(tmp.path() + "/none.toml").status().code(), ErrorCode::ParseError);
}

TEST(PluginHost, ListsEveryManifestButLoadsOnlyTheEnabled) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"good"}));
  const PluginInfo* good = host.find("good");
  ASSERT_NE(good, nullptr);
  EXPECT_EQ(good->state, PluginState::Active) << good->message;
  EXPECT_EQ(good->version, "1.2.3");  // from the loaded descriptor
  EXPECT_EQ(good->libraryPath, fs::canonical(library("good")).string());
  EXPECT_EQ(good->sourceTypes, (std::vector<std::string>{"good.counter", "good.threaded"}));
  // The others are listed from their manifests, never loaded (a refused or missing entry would say so).
  for (const char* id : {"thrower", "raw", "newer", "noentry"}) {
    const PluginInfo* info = host.find(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_EQ(info->state, PluginState::Available) << id;
    EXPECT_TRUE(info->message.empty()) << id;
  }
}

TEST(PluginHost, RefusesAPluginBuiltForANewerAbiWithBothVersions) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"newer"}));
  const PluginInfo* newer = host.find("newer");
  ASSERT_NE(newer, nullptr);
  EXPECT_EQ(newer->state, PluginState::Refused);
  // The manifest claimed ABI 1; the loaded descriptor says 2: refused with both numbers.
  EXPECT_THAT(newer->message, HasSubstr("built for plugin ABI " + std::to_string(PluginHost::abiVersion() + 1)));
  EXPECT_THAT(newer->message, HasSubstr("this host's ABI " + std::to_string(PluginHost::abiVersion())));
}

TEST(PluginHost, RefusesANewerAbiManifestWithoutLoadingTheLibrary) {
  TempFolder tmp("abi_manifest");
  // The library is not even a shared object: were it loaded, the message would be dlopen's.
  TempFolder::write(tmp.path() + "/libfuture.so", "not a library");
  TempFolder::write(tmp.path() + "/future.greentwin-plugin.toml", manifest("future", "libfuture.so", 7));
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"future"}, {tmp.path()}));
  const PluginInfo* future = host.find("future");
  ASSERT_NE(future, nullptr);
  EXPECT_EQ(future->state, PluginState::Refused);
  EXPECT_THAT(future->message, HasSubstr("built for plugin ABI 7, newer than this host's ABI " +
                                         std::to_string(PluginHost::abiVersion())));
}

TEST(PluginHost, RefusesALibraryWithoutTheEntryPoint) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"noentry"}));
  EXPECT_EQ(host.find("noentry")->state, PluginState::Refused);
  EXPECT_THAT(host.find("noentry")->message, HasSubstr("no entry point 'greentwin_plugin_entry'"));
}

TEST(PluginHost, RefusesLibrariesOutsideTheConfiguredFolders) {
  TempFolder tmp("outside");
  const std::string folder = tmp.sub("plugins");
  const std::string outside = tmp.sub("elsewhere");
  fs::copy_file(library("good"), outside + "/libgood.so");
  // 1. The manifest points out of the folder with "..".
  TempFolder::write(folder + "/dots.greentwin-plugin.toml", manifest("good", "../elsewhere/libgood.so"));
  // 2. A symlink inside the folder leads outside.
  fs::create_symlink(outside + "/libgood.so", folder + "/liblinked.so");
  TempFolder::write(folder + "/linked.greentwin-plugin.toml", manifest("linked", "liblinked.so"));
  // 3. An absolute path outside.
  TempFolder::write(folder + "/absolute.greentwin-plugin.toml", manifest("absolute", outside + "/libgood.so"));
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"good", "linked", "absolute"}, {folder}));
  for (const char* id : {"good", "linked", "absolute"}) {
    const PluginInfo* info = host.find(id);
    ASSERT_NE(info, nullptr) << id;
    EXPECT_EQ(info->state, PluginState::Refused) << id;
    EXPECT_THAT(info->message, HasSubstr("outside the configured plugin folders")) << id;
    EXPECT_EQ(info->libraryPath, fs::canonical(outside + "/libgood.so").string()) << id;
  }
  // And a manifest in a folder that is not configured is never seen.
  TempFolder::write(outside + "/good.greentwin-plugin.toml", manifest("good", "libgood.so"));
  PluginHost other(services);
  other.load(inFolder({"good"}, {tmp.sub("empty")}));
  EXPECT_EQ(other.find("good")->state, PluginState::Refused);
  EXPECT_THAT(other.find("good")->message, HasSubstr("no manifest"));
}

TEST(PluginHost, RefusesAnIdThatDiffersFromTheManifestAndUnknownIds) {
  TempFolder tmp("mismatch");
  fs::copy_file(library("good"), tmp.path() + "/libgood.so");
  TempFolder::write(tmp.path() + "/impostor.greentwin-plugin.toml", manifest("impostor", "libgood.so"));
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"impostor", "ghost"}, {tmp.path()}));
  EXPECT_EQ(host.find("impostor")->state, PluginState::Refused);
  EXPECT_THAT(host.find("impostor")->message, HasSubstr("plugin id 'good' differs from its manifest's id 'impostor'"));
  ASSERT_NE(host.find("ghost"), nullptr);
  EXPECT_THAT(host.find("ghost")->message, HasSubstr("no manifest"));
}

TEST(PluginHost, PolledSourcePushesThroughTheServicesAndKpisReadBack) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"good"}));
  ASSERT_TRUE(host.providesSourceType("good.counter"));
  ASSERT_TRUE(host.startSource(source("s", "good.counter", {{"entity", "d/0", 0}})).isOk());
  EXPECT_EQ(host.runningSources(), 1u);
  for (int i = 0; i < 3; ++i) host.poll(0);
  ASSERT_EQ(services.pushCount(), 3u);
  EXPECT_EQ(services.pushes[2].entity, "d/0");
  EXPECT_EQ(services.pushes[2].attribute, "good_value");
  EXPECT_DOUBLE_EQ(services.pushes[2].value, 3.0);  // gain 1 x 3 polls

  auto value = host.computeKpi("good.value", 0);
  ASSERT_TRUE(value) << value.status().message();
  EXPECT_DOUBLE_EQ(value->value, 3.0);
  EXPECT_EQ(value->status, PluginKpiStatus::Ok);
  auto districts = host.computeKpi("good.districts", 0);  // enumerate_entities with a kind filter
  ASSERT_TRUE(districts);
  EXPECT_DOUBLE_EQ(districts->value, 2.0);
  EXPECT_EQ(host.computeKpi("nope", 0).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(host.find("good")->state, PluginState::Active);
}

// A KPI over an area (gt_kpi.compute_in_area): the fake's districts both stand at (1, 2).
TEST(PluginHost, AKpiIsComputedOverAnAreaAndSaysWhatItCovers) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"good"}));
  const auto square = [](double x0, double y0, double size) {
    return std::vector<Vec3d>{{x0, y0, 0}, {x0 + size, y0, 0}, {x0 + size, y0 + size, 0}, {x0, y0 + size, 0}};
  };
  KpiArea around{"drawn/1", {Polygon{{square(0, 0, 10)}}}, 100};
  auto inside = host.computeKpiInArea("good.districts", around, 0);
  ASSERT_TRUE(inside) << inside.status().message();
  EXPECT_DOUBLE_EQ(inside->value, 2.0);
  EXPECT_EQ(inside->status, PluginKpiStatus::Ok);
  EXPECT_EQ(inside->note, "2 of 2 districts");
  // The same square with a hole around (1, 2), and a second polygon far away: none inside.
  KpiArea donut{"drawn/2", {Polygon{{square(0, 0, 10), square(0.5, 1.5, 1)}}, Polygon{{square(50, 50, 5)}}}, 124};
  auto none = host.computeKpiInArea("good.districts", donut, 0);
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, PluginKpiStatus::NoData);
  EXPECT_EQ(none->note, "no district in drawn/2");
  // A KPI without an area function is for the whole twin only, and says so.
  const auto kpis = host.kpis();
  const auto districts = std::find_if(kpis.begin(), kpis.end(), [](const PluginKpi& k) { return k.id == "good.districts"; });
  const auto value = std::find_if(kpis.begin(), kpis.end(), [](const PluginKpi& k) { return k.id == "good.value"; });
  ASSERT_NE(districts, kpis.end());
  ASSERT_NE(value, kpis.end());
  EXPECT_TRUE(districts->areas);
  EXPECT_FALSE(value->areas);
  EXPECT_EQ(host.computeKpiInArea("good.value", around, 0).status().code(), ErrorCode::Unsupported);
  EXPECT_EQ(host.computeKpiInArea("nope", around, 0).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(host.find("good")->state, PluginState::Active);
}

// The appended host API (features, bulk reads, alerts) through the C boundary and the wrapper, on hand-made data:
// a 10 m square with a 2 m square hole (area 96), a three-vertex line with two attributes.
TEST(PluginHost, FeaturesBulkReadsAndAlertsCrossTheBoundary) {
  FakeServices services;
  Feature square;
  square.id = "test-layer/square";
  square.entity = 0;
  square.properties = {{"kind", std::string("park")}, {"floors", std::int64_t{3}}, {"none", std::monostate{}}};
  square.geometry.polygons.push_back(
      Polygon{{{{0, 0, 0}, {10, 0, 0}, {10, 10, 0}, {0, 10, 0}}, {{4, 4, 0}, {6, 4, 0}, {6, 6, 0}, {4, 6, 0}}}});
  Feature line;
  line.id = "test-layer/line";
  line.entity = 1;
  line.geometry.lines.push_back({{0, 0, 0}, {1, 0, 0}, {2, 0, 0}});
  services.features = {square, line};
  PluginHost host(services);
  host.load(inFolder({"probe"}));
  ASSERT_EQ(host.find("probe")->state, PluginState::Active) << host.find("probe")->message;
  ASSERT_TRUE(host.startSource(source("p", "probe.features", {{"layer", "test-layer", 0}, {"alert_above", "1.5", 0}}))
                  .isOk());
  host.poll(7);  // pushes the counts (the fake stores them at once), reads them back by handle: 2 > 1.5 raises
  EXPECT_DOUBLE_EQ(services.values.at("test-layer/square.feature_count"), 2.0);
  EXPECT_DOUBLE_EQ(services.values.at("test-layer/square.polygon_area_m2"), 96.0);
  EXPECT_DOUBLE_EQ(services.values.at("test-layer/square.line_vertices"), 3.0);
  EXPECT_DOUBLE_EQ(services.values.at("test-layer/square.attribute_count"), 2.0);  // the null one is left out
  EXPECT_DOUBLE_EQ(services.values.at("test-layer/square.feature_count_read"), 2.0);
  ASSERT_EQ(services.raised.size(), 1u);
  const auto& alert = services.raised[0];
  EXPECT_EQ(alert.source, "probe");
  EXPECT_EQ(alert.key, "high/test-layer/square");
  EXPECT_EQ(alert.severity, AlertSeverity::Critical);
  EXPECT_EQ(alert.entityId, "test-layer/square");
  EXPECT_EQ(alert.messageEn, "feature count above the limit");
  EXPECT_EQ(alert.messageZh, "数量过高");
  EXPECT_EQ(alert.timeUs, 7);
  EXPECT_TRUE(services.cleared.empty());

  services.features.pop_back();  // one feature left: 1 <= 1.5 clears it
  host.poll(8);
  EXPECT_DOUBLE_EQ(services.values.at("test-layer/square.feature_count_read"), 1.0);
  EXPECT_EQ(services.raised.size(), 1u);
  ASSERT_EQ(services.cleared.size(), 1u);
  EXPECT_EQ(services.cleared[0], "probe:high/test-layer/square@8");
  EXPECT_EQ(host.find("probe")->state, PluginState::Active);
}

// What a plugin warns about is kept for the Plugins panel, a repeat folded into a count; a warning is no failure.
TEST(PluginHost, APluginsWarningsAreKeptForThePanelWithRepeatsCounted) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"probe"}));
  ASSERT_TRUE(host.startSource(source("p", "probe.features", {{"layer", "no-such-layer", 0}})).isOk());
  for (int i = 0; i < 5; ++i) host.poll(i);
  const std::vector<PluginWarning> warnings = host.warnings("probe");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].message, "probe: no features in layer 'no-such-layer'");
  EXPECT_EQ(warnings[0].repeats, 5u);
  EXPECT_FALSE(warnings[0].error);
  EXPECT_TRUE(host.warnings("good").empty());
  EXPECT_TRUE(host.warnings("nope").empty());
  EXPECT_EQ(host.find("probe")->state, PluginState::Active);  // a warning is not a failure
}

TEST(PluginHost, BadSourceOptionsRefuseTheSourceNotThePlugin) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"good"}));
  const Status s = host.startSource(source("s", "good.counter", {}));
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("needs an 'entity' option"));
  EXPECT_EQ(host.runningSources(), 0u);
  EXPECT_EQ(host.find("good")->state, PluginState::Active);
  EXPECT_EQ(host.startSource(source("x", "no.such.type", {})).code(), ErrorCode::NotFound);
}

TEST(PluginHost, ThreadedSourcePushesFromItsThreadUntilStopped) {
  FakeServices services;
  {
    PluginHost host(services);
    host.load(inFolder({"good"}));
    ASSERT_TRUE(host.startSource(source("t", "good.threaded", {{"entity", "d/1", 0}})).isOk());
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    while (services.pushCount() < 5 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    ASSERT_GE(services.pushCount(), 5u);
  }  // the host's destructor stops (joins) the source
  const std::size_t after = services.pushCount();
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(services.pushCount(), after);
}

TEST(PluginHost, SettingsComeFromDefaultsManifestAndConfigAndChangesAreChecked) {
  FakeServices services;
  PluginHost host(services);
  PluginConfig config = inFolder({"good"});
  config.settings.push_back({"good", {{"flag", "false", 1}, {"gain", "2.5", 2}, {"nonsense", "1", 3}}, 1});
  host.load(config);
  std::map<std::string, PluginSetting> byKey;
  for (const PluginSetting& s : host.settings("good")) byKey[s.key] = s;
  ASSERT_EQ(byKey.size(), 7u);
  EXPECT_EQ(byKey["count"].intValue, 4);          // manifest [settings]
  EXPECT_FALSE(byKey["flag"].boolValue);          // config [plugins.good]
  EXPECT_DOUBLE_EQ(byKey["gain"].doubleValue, 2.5);
  EXPECT_EQ(byKey["label"].text, "abc");          // default
  EXPECT_EQ(byKey["mode"].type, PluginSetting::Type::Enum);
  ASSERT_EQ(byKey["mode"].options.size(), 2u);
  EXPECT_EQ(byKey["mode"].options[1].labelZh, "乙");
  EXPECT_EQ(byKey["gain"].labelZh, "增益");
  // The plugin reads them through get_setting: count 4, flag off, label abc.
  EXPECT_DOUBLE_EQ(host.computeKpi("good.settings", 0)->value, 4 + 0 + 1000);

  EXPECT_TRUE(host.setSetting("good", "mode", "b").isOk());
  EXPECT_DOUBLE_EQ(host.computeKpi("good.settings", 0)->value, 4 + 0 + 1000 + 10000);
  // Checked against the description before the plugin sees them.
  EXPECT_EQ(host.setSetting("good", "mode", "c").code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(host.setSetting("good", "count", "11").code(), ErrorCode::OutOfRange);
  EXPECT_EQ(host.setSetting("good", "count", "2.5").code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(host.setSetting("good", "flag", "yes").code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(host.setSetting("good", "nope", "1").code(), ErrorCode::NotFound);
  // The plugin refuses one: the old value comes back, the plugin stays active.
  const Status refused = host.setSetting("good", "limit", "60");
  EXPECT_EQ(refused.code(), ErrorCode::InvalidArgument);
  EXPECT_THAT(refused.message(), HasSubstr("limit must be <= 50"));
  for (const PluginSetting& s : host.settings("good")) {
    if (s.key == "limit") {
      EXPECT_DOUBLE_EQ(s.doubleValue, 5.0);
    }
  }
  EXPECT_TRUE(host.setSetting("good", "limit", "40").isOk());
  EXPECT_EQ(host.find("good")->state, PluginState::Active);
  // A change that throws disables it.
  EXPECT_EQ(host.setSetting("good", "explode", "true").code(), ErrorCode::Internal);
  EXPECT_EQ(host.find("good")->state, PluginState::Disabled);
  EXPECT_THAT(host.find("good")->message, HasSubstr("boom on setting change"));
}

TEST(PluginHost, ClassifiersAndFieldProviders) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"good"}));
  const auto classifiers = host.classifiers();
  ASSERT_EQ(classifiers.size(), 2u);
  EXPECT_EQ(classifiers[0].id, "good.bounds");
  ASSERT_EQ(classifiers[0].classes.size(), 3u);
  EXPECT_EQ(classifiers[0].classes[1].labelZh, "良");
  EXPECT_EQ(classifiers[0].classes[2].rgba[0], 255);
  EXPECT_EQ(classifiers[0].upperBounds, (std::vector<double>{10.0, 20.0}));
  // By bounds: class i holds values <= bound i.
  EXPECT_EQ(*host.classify("good.bounds", 10.0), std::optional<int>(0));
  EXPECT_EQ(*host.classify("good.bounds", 10.5), std::optional<int>(1));
  EXPECT_EQ(*host.classify("good.bounds", 99.0), std::optional<int>(2));
  EXPECT_EQ(*host.classify("good.bounds", std::nan("")), std::optional<int>());
  // By callback.
  EXPECT_EQ(*host.classify("good.sign", 3.0), std::optional<int>(0));
  EXPECT_EQ(*host.classify("good.sign", -3.0), std::optional<int>());
  EXPECT_EQ(host.classify("good.nope", 1.0).status().code(), ErrorCode::NotFound);

  const auto fields = host.fieldProviders();
  ASSERT_EQ(fields.size(), 1u);
  EXPECT_EQ(fields[0].classifierId, "good.bounds");
  FieldRequest request{0, 0, 100, 50, 4, 2, 0, {}};
  ASSERT_TRUE(host.computeField("good.field", request).isOk());
  ASSERT_EQ(request.values.size(), 8u);
  EXPECT_FLOAT_EQ(request.values[0], 12.5f);   // cell centre x of column 0
  EXPECT_FLOAT_EQ(request.values[7], 87.5f);   // column 3, row 1
  FieldRequest empty{0, 0, 0, 0, 4, 2, 0, {}};
  EXPECT_EQ(host.computeField("good.field", empty).code(), ErrorCode::InvalidArgument);
}

TEST(PluginHost, AThrowingPluginIsDisabledAndItsContributionsWithdrawn) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"thrower", "good"}));
  ASSERT_TRUE(host.startSource(source("bad", "thrower.source", {{"entity", "d/0", 0}, {"throw_after", "2", 0}})).isOk());
  ASSERT_TRUE(host.startSource(source("ok", "good.counter", {{"entity", "d/1", 0}})).isOk());
  for (int i = 0; i < 5; ++i) host.poll(0);  // the third poll throws
  const PluginInfo* thrower = host.find("thrower");
  EXPECT_EQ(thrower->state, PluginState::Disabled);
  EXPECT_THAT(thrower->message, HasSubstr("source 'bad' poll"));
  EXPECT_THAT(thrower->message, HasSubstr("sensor exploded"));
  EXPECT_EQ(host.runningSources(), 1u);  // its source is gone; the other plugin's runs on
  EXPECT_FALSE(host.providesSourceType("thrower.source"));
  EXPECT_EQ(host.computeKpi("thrower.kpi", 0).status().code(), ErrorCode::NotFound);
  EXPECT_EQ(host.find("good")->state, PluginState::Active);
  std::size_t thrower_pushes = 0, good_pushes = 0;
  for (const auto& p : services.pushes) (p.attribute == "thrower_value" ? thrower_pushes : good_pushes) += 1;
  EXPECT_EQ(thrower_pushes, 2u);
  EXPECT_EQ(good_pushes, 5u);
}

TEST(PluginHost, AKpiThatThrowsDisablesItsPlugin) {
  FakeServices services;
  const fs::path marker = fs::temp_directory_path() / ("gt-thrower-destroyed-" + std::to_string(::getpid()));
  fs::remove(marker);
  ::setenv("GT_TEST_THROWER_DESTROYED", marker.c_str(), 1);
  {
    PluginHost host(services);
    host.load(inFolder({"thrower"}));
    const auto value = host.computeKpi("thrower.kpi", 0);
    EXPECT_EQ(value.status().code(), ErrorCode::Internal);
    EXPECT_THAT(value.status().message(), HasSubstr("kpi exploded"));
    EXPECT_EQ(host.find("thrower")->state, PluginState::Disabled);
    EXPECT_FALSE(fs::exists(marker));  // disabled, not destroyed: never called again while the host runs
  }
  ::unsetenv("GT_TEST_THROWER_DESTROYED");
  // The host stopping destroys the disabled plugin too (its sources were stopped when it was disabled): before, its
  // instance and everything it held were leaked (LeakSanitizer).
  EXPECT_TRUE(fs::exists(marker));
  fs::remove(marker);
}

TEST(PluginHost, TheHostGuardsPluginsWithoutTheWrapperToo) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"raw"}));
  ASSERT_EQ(host.find("raw")->state, PluginState::Active) << host.find("raw")->message;
  // Its gt_kpi ends before the appended fields (which hold garbage): no method, no area function read.
  const auto kpis = host.kpis();
  ASSERT_EQ(kpis.size(), 1u);
  EXPECT_EQ(kpis[0].methodEn, "");
  EXPECT_FALSE(kpis[0].areas);
  KpiArea area{"drawn/1", {}, 0};
  EXPECT_EQ(host.computeKpiInArea("raw.kpi", area, 0).status().code(), ErrorCode::Unsupported);
  EXPECT_FALSE(kpis[0].scenarios);
  EXPECT_EQ(host.computeKpiInScenario("raw.kpi", Scenario{"s", "", {}}, 0).status().code(), ErrorCode::Unsupported);
  // An exception thrown straight through the C boundary is caught by the host.
  const auto value = host.computeKpi("raw.kpi", 0);
  EXPECT_EQ(value.status().code(), ErrorCode::Internal);
  EXPECT_THAT(host.find("raw")->message, HasSubstr("raw kpi threw across the ABI"));
  EXPECT_EQ(host.find("raw")->state, PluginState::Disabled);
}

// The watchdog ([plugins] call_timeout_s): a poll that does not return in time is abandoned at the deadline and its
// plugin disabled as hung; the other plugin's source polls on at full speed; the host's end does not wait for it.
TEST(PluginHost, AHungPollIsAbandonedAtTheDeadlineAndItsPluginDisabled) {
  using Clock = std::chrono::steady_clock;
  FakeServices services;
  auto host = std::make_unique<PluginHost>(services);
  PluginConfig config = inFolder({"hang", "good"});
  config.callTimeoutS = 0.3;
  host->load(config);
  ASSERT_TRUE(host->startSource(source("h", "hang.poll", {{"entity", "d/0", 0}, {"hang_after", "2", 0}})).isOk());
  ASSERT_TRUE(host->startSource(source("g", "good.counter", {{"entity", "d/1", 0}})).isOk());
  host->poll(0);
  host->poll(0);
  EXPECT_EQ(host->find("hang")->state, PluginState::Active);
  const auto before = Clock::now();
  host->poll(0);  // the third poll of "hang" never returns
  const auto waited = Clock::now() - before;
  EXPECT_GE(waited, std::chrono::milliseconds(290));
  EXPECT_LT(waited, std::chrono::seconds(5));
  const PluginInfo* hang = host->find("hang");
  EXPECT_EQ(hang->state, PluginState::Disabled);
  EXPECT_THAT(hang->message, HasSubstr("source 'h' poll did not return within 300 ms (plugin watchdog)"));
  EXPECT_EQ(host->computeKpi("hang.kpi", 0).status().code(), ErrorCode::NotFound);  // withdrawn, not called
  EXPECT_EQ(host->runningSources(), 1u);
  const auto after = Clock::now();
  for (int i = 0; i < 5; ++i) host->poll(0);
  EXPECT_LT(Clock::now() - after, std::chrono::milliseconds(250)) << "polls after the hang wait for nothing";
  std::size_t hangPushes = 0, goodPushes = 0;
  for (const auto& p : services.pushes) (p.attribute == "hang_value" ? hangPushes : goodPushes) += 1;
  EXPECT_EQ(hangPushes, 2u);
  EXPECT_EQ(goodPushes, 8u);
  const auto end = Clock::now();
  host.reset();
  EXPECT_LT(Clock::now() - end, std::chrono::seconds(2)) << "the host's end waited for the hung call";
}

TEST(PluginHost, AHungKpiIsAbandonedAndWithoutTheWatchdogCallsRunOnTheUpdateThread) {
  FakeServices services;
  PluginHost host(services);
  PluginConfig config = inFolder({"hang", "good"});
  config.callTimeoutS = 0.2;
  host.load(config);
  const auto value = host.computeKpi("hang.kpi", 0);
  EXPECT_EQ(value.status().code(), ErrorCode::Internal);
  EXPECT_THAT(value.status().message(), HasSubstr("KPI 'hang.kpi' did not return within 200 ms"));
  EXPECT_EQ(host.find("hang")->state, PluginState::Disabled);
  // The good plugin's KPIs use the functions reserved for the update thread from the watchdog's thread.
  auto districts = host.computeKpi("good.districts", 0);
  ASSERT_TRUE(districts) << districts.status().message();
  EXPECT_DOUBLE_EQ(districts->value, 2.0);

  PluginHost unwatched(services);
  PluginConfig off = inFolder({"good"});
  off.callTimeoutS = 0;
  unwatched.load(off);
  auto same = unwatched.computeKpi("good.districts", 0);
  ASSERT_TRUE(same) << same.status().message();
  EXPECT_DOUBLE_EQ(same->value, 2.0);
}

TEST(PluginHost, AFailureReportedByThePluginDisablesItOnTheNextFrame) {
  FakeServices services;
  PluginHost host(services);
  host.load(inFolder({"raw"}));
  ASSERT_TRUE(host.startSource(source("r", "raw.source", {})).isOk());
  host.poll(0);
  host.poll(0);  // the source calls fail("device lost") here
  EXPECT_EQ(host.find("raw")->state, PluginState::Active);
  host.poll(0);
  EXPECT_EQ(host.find("raw")->state, PluginState::Disabled);
  EXPECT_THAT(host.find("raw")->message, HasSubstr("device lost"));
  EXPECT_EQ(host.runningSources(), 0u);
}

}  // namespace
}  // namespace gt::runtime
