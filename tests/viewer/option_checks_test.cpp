// The command line's --camera and --select checked against a config before loading (option_checks.hpp).
#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/viewer/option_checks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "greentwin/viewer/app.hpp"

namespace gt::viewer {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

// The builtin layer types: what ids their layers register is theirs to say.
const runtime::TypeRegistries& types() {
  static const runtime::TypeRegistries registries = runtime::builtinTypes();
  return registries;
}

Config parsed(const std::string& text) {
  auto config = runtime::parseConfigText(text, "test.toml");
  EXPECT_TRUE(config) << config.status().message();
  return config ? *config : Config{};
}

constexpr const char* kLayers = R"(
[[camera.bookmarks]]
id = "north"
center_lon = 116.7
center_lat = 39.9
[[camera.bookmarks]]
id = "south"
center_lon = 116.7
center_lat = 39.8

[[layers]]
id = "ground"
type = "terrain"
source = "dem.tif"
[[layers]]
id = "parks"
source = "parks.geojson"
[[layers]]
id = "houses"
type = "buildings"
source = "houses.gpkg"
[[layers]]
id = "pm25"
type = "field"
source = "district.geojson"
[[layers]]
id = "house"
type = "bim"
source = "house.ifc"
[[layers]]
id = "buses"
type = "vehicles"
[layers.vehicles]
prefix = "bus:"
)";

TEST(OptionChecks, ABookmarkMustBeOneOfTheConfigs) {
  const Config config = parsed(kLayers);
  EXPECT_TRUE(checkBookmark(config, "south").isOk());
  const Status unknown = checkBookmark(config, "west");
  EXPECT_EQ(unknown.code(), ErrorCode::NotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("no camera bookmark 'west'"));
  EXPECT_THAT(unknown.message(), HasSubstr("known bookmarks: north, south"));
  EXPECT_THAT(checkBookmark(Config{}, "north").message(), HasSubstr("it has no [[camera.bookmarks]]"));
}

TEST(OptionChecks, EntityIdFormsFollowTheLayerTypes) {
  const Config config = parsed(kLayers);
  // Terrain and field layers have no entities; a vector layer's type is the default.
  EXPECT_THAT(entityIdForms(config, types().layers),
              ElementsAre("parks/<feature id>", "houses/<feature id>", "bim/house/<GUID>", "bim/house/storey/<GUID>",
                          "bus:<vehicle id>"));
}

TEST(OptionChecks, AnIdOfAConfiguredFormPasses) {
  const Config config = parsed(kLayers);
  for (const char* id : {"parks/12", "houses/building/047920", "bim/house/2MbkNFGhfCHO6z5cz8u$ZX",
                         "bim/house/storey/0KMpiAlnb52RgQuM1CwVfd", "bus:C-00"}) {
    EXPECT_TRUE(checkEntityIdForm(config, types().layers, id).isOk()) << id;
  }
}

TEST(OptionChecks, AnIdNoLayerCouldRegisterNamesTheIdAndTheValidForms) {
  const Config config = parsed(kLayers);
  for (const char* id : {"lakes/3", "ground/1", "pm25/0", "parks/", "parks", "bim/other/x", "bus:", "Parks/1"}) {
    const Status s = checkEntityIdForm(config, types().layers, id);
    EXPECT_EQ(s.code(), ErrorCode::NotFound) << id;
    EXPECT_THAT(s.message(), HasSubstr(std::string("'") + id + "' is not an entity id of any configured layer")) << id;
    EXPECT_THAT(s.message(), HasSubstr("ids look like: parks/<feature id>, houses/<feature id>, bim/house/<GUID>, "
                                       "bim/house/storey/<GUID>, bus:<vehicle id>"));
  }
  EXPECT_THAT(checkEntityIdForm(Config{}, types().layers, "parks/1").message(),
              HasSubstr("no layer of the config has entities"));
}

TEST(OptionChecks, TheDemosEntitiesHaveValidForms) {
  auto demo = runtime::loadConfig(runtime::demoConfigPath());
  ASSERT_TRUE(demo) << demo.status().message();
  // A building, a BIM storey (the demo's live storeys) and a simulator bus.
  for (const char* id : {"city-buildings/building/047920", "bim/fzk-haus/storey/0KMpiAlnb52RgQuM1CwVfd",
                         "buses/C-00", "tongzhou-district/0"}) {
    EXPECT_TRUE(checkEntityIdForm(*demo, types().layers, id).isOk()) << id;
  }
  EXPECT_FALSE(checkEntityIdForm(*demo, types().layers, "terrain/0").isOk());
  EXPECT_FALSE(checkEntityIdForm(*demo, types().layers, "building/047920").isOk());  // the layer id left out
  EXPECT_TRUE(checkBookmark(*demo, "bim-house").isOk());
}

}  // namespace
}  // namespace gt::viewer
