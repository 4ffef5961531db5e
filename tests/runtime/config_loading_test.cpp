// The config as the twin reads it (config_loading.hpp): core's loader with every module's parser, so that a typo
// in any part of the file is an error at load time naming the file, the line and the key.
#include "greentwin/runtime/config_loading.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "greentwin/connectors/history_config.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/layers/bim_layer.hpp"
#include "greentwin/layers/field_layer.hpp"
#include "greentwin/layers/vehicle_layer.hpp"
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/zmq_source.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::string demoText() {
  std::ifstream in(demoConfigPath());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(ConfigLoading, TheDemoLoadsWithEveryTypesOptions) {
  auto r = loadConfig(demoConfigPath());
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  bool field = false, vehicles = false, bim = false, zmq = false;
  for (const LayerConfig& layer : r->layers) {
    if (layer.type == "field") {
      field = !layers::fieldOptions(layer).points.empty() || !layers::fieldOptions(layer).provider.empty();
    }
    if (layer.type == "vehicles") vehicles = !layers::vehiclesOptions(layer).prefix.empty();
    if (layer.type == "bim") bim = layers::bimOptions(layer).line > 0;
  }
  for (const SourceConfig& source : r->sources) {
    if (source.type == "zmq") zmq = !zmqOptions(source).endpoint.empty();
  }
  EXPECT_TRUE(field);
  EXPECT_TRUE(vehicles);
  EXPECT_TRUE(bim);
  EXPECT_TRUE(zmq);
  auto frame = GeoFrame::create(r->scene.originLon, r->scene.originLat, r->scene.crs);
  ASSERT_TRUE(frame.isOk()) << frame.status().toString();
}

// A typo in a layer type's own table of the real config: reported at load time like any other key.
TEST(ConfigLoading, ATypoInALayerTypesTableIsReportedWithFileLineAndSuggestion) {
  std::string text = demoText();
  const std::size_t field = text.find("[layers.field]");
  ASSERT_NE(field, std::string::npos);
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(field), '\n')) + 2;
  text.insert(text.find('\n', field) + 1, "pwoer = 2\n");
  auto r = parseConfigText(text, "greentwin.toml");
  ASSERT_FALSE(r.isOk());
  const std::string index = "layers[" + std::to_string([&] {
    auto clean = loadConfig(demoConfigPath());
    for (std::size_t i = 0; i < clean->layers.size(); ++i) {
      if (clean->layers[i].type == "field") return i;
    }
    return std::size_t{0};
  }()) + "]";
  EXPECT_THAT(r.status().message(), HasSubstr("greentwin.toml:" + std::to_string(line) + ": unknown key '" + index +
                                              ".field.pwoer' (did you mean '" + index + ".field.power'?)"));
}

TEST(ConfigLoading, HistoryIsReadByItsModule) {
  auto r = parseConfigText("[history]\npath = \"h.sqlite\"\nflush_ms = 50\n", "test.toml");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  EXPECT_EQ(connectors::historyConfig(*r).path, "h.sqlite");
  EXPECT_EQ(connectors::historyConfig(*r).flushMs, 50);
}

TEST(ConfigLoading, TheSchemaHasEveryRegisteredType) {
  const TypeRegistries types = builtinTypes();
  const ConfigSchema schema = configSchema(types);
  for (const char* type : {"field", "vehicles", "bim", "terrain"}) EXPECT_EQ(schema.layerTypes.count(type), 1u) << type;
  EXPECT_EQ(schema.sourceTypes.count("zmq"), 1u);
  EXPECT_EQ(schema.sections.count("history"), 1u);
  EXPECT_FALSE(schema.commonPartsOnly);
  // A plugin's source type stays the plugin's (checked when plugins load): its keys are its options.
  auto plugin = parseConfigText("[[sources]]\nid = \"p\"\ntype = \"air_quality.aqi\"\nentity = \"x\"\n", "test.toml");
  ASSERT_TRUE(plugin.isOk()) << plugin.status().message();
  EXPECT_EQ(plugin->sources.at(0).options.size(), 1u);
}

}  // namespace
}  // namespace gt::runtime
