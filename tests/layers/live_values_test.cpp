// Live values on layers (issue 4): a vector layer's per-slot LIVE / STALE / NO_DATA colours and the building
// layer's value texture states — recoloured in place, a stale value never in its live colour.
#include <osg/Geode>
#include <osg/Geometry>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "greentwin/layers/building_layer.hpp"
#include "greentwin/layers/vector_layer.hpp"

namespace gt::layers {
namespace {

const float kNaN = std::numeric_limits<float>::quiet_NaN();

LayerStyleConfig pm25Style() {
  LayerStyleConfig s;
  s.colorMode = "graduated";
  s.colorBy = "pm25";
  s.breaks = {35, 75};
  s.colors = {"#00e400", "#ffff00", "#ff7e00"};
  return s;
}

std::shared_ptr<FeatureSet> stations(int n) {
  auto set = std::make_shared<FeatureSet>();
  for (int i = 0; i < n; ++i) {
    Feature f;
    f.id = "aq/" + std::to_string(i);
    f.entity = static_cast<EntityIndex>(i);
    f.geometry.points = {{100.0 * i, 0, 0}};
    set->features.push_back(f);
  }
  return set;
}

TEST(VectorLayerLive, SlotsDrawTheirClassLiveGreyedWhenStaleAndNoData) {
  LayerConfig c;
  c.id = "aq";
  c.style = pm25Style();
  VectorLayer layer(c, stations(4));
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  osg::Node* before = layer.node()->getChild(0);
  EXPECT_FALSE(layer.showsLiveValues());
  // No static pm25 property: no data before any live value.
  EXPECT_EQ(layer.slotState(0), SlotState::NoData);

  auto rule = ColorRule::fromConfig("aq", c.style);
  ASSERT_TRUE(rule);
  const std::vector<float> values{20.0f, 80.0f, 50.0f, kNaN};
  const std::vector<SlotState> states{SlotState::Live, SlotState::Live, SlotState::Stale, SlotState::Live};
  layer.setLiveValues(*rule, values, states);
  EXPECT_TRUE(layer.showsLiveValues());
  EXPECT_EQ(layer.slotState(0), SlotState::Live);
  EXPECT_EQ(layer.slotState(2), SlotState::Stale);
  EXPECT_EQ(layer.slotState(3), SlotState::NoData);  // NaN is no data whatever its state
  EXPECT_EQ(layer.drawnColor(0), rule->palette()[0]);
  EXPECT_EQ(layer.drawnColor(1), rule->palette()[2]);
  // Stale: the class colour (yellow) greyed and translucent — never the live yellow.
  Rgba stale = staleColor(rule->palette()[1]);
  stale[3] *= VectorLayer::kStaleAlpha;
  ASSERT_TRUE(layer.drawnColor(2).has_value());
  EXPECT_EQ(*layer.drawnColor(2), stale);
  EXPECT_NE(*layer.drawnColor(2), rule->palette()[1]);
  EXPECT_EQ(layer.drawnColor(3), kNoDataColor);
  // The live colours are distinct from the stale colour and the no-data grey.
  for (const Rgba& live : rule->palette()) {
    EXPECT_NE(live, stale);
    EXPECT_NE(live, kNoDataColor);
  }
  // The legend gains "stale" and "no data" rows.
  const auto legend = layer.legend();
  ASSERT_EQ(legend.size(), 5u);
  EXPECT_EQ(legend[3].labelEn, "stale");
  EXPECT_EQ(legend[3].labelZh, "过时");
  EXPECT_EQ(legend[4].labelEn, "no data");

  // Recovering: the same slot back to live; geometry untouched throughout.
  layer.setLiveValues(*rule, std::vector<float>{20, 80, 50, 10}, {});
  EXPECT_EQ(layer.slotState(2), SlotState::Live);
  EXPECT_EQ(layer.drawnColor(2), rule->palette()[1]);
  EXPECT_EQ(layer.node()->getChild(0), before);

  layer.showStaticStyle();
  EXPECT_FALSE(layer.showsLiveValues());
  EXPECT_EQ(layer.legend().size(), 3u);
}

TEST(VectorLayerLive, StalePolygonsGetTheStaleOutline) {
  auto set = std::make_shared<FeatureSet>();
  Feature f;
  f.id = "zone/0";
  f.geometry.polygons.push_back(Polygon{{{{0, 0, 0}, {10, 0, 0}, {10, 10, 0}, {0, 10, 0}}}});
  set->features.push_back(f);
  LayerConfig c;
  c.id = "zones";
  c.style = pm25Style();
  VectorLayer layer(c, set);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  auto rule = ColorRule::fromConfig("zones", c.style);
  ASSERT_TRUE(rule);
  layer.setLiveValues(*rule, std::vector<float>{40}, std::vector<SlotState>{SlotState::Stale});
  EXPECT_EQ(layer.slotState(0), SlotState::Stale);
  osg::Group* strokes = nullptr;
  for (unsigned i = 0; i < layer.node()->getNumChildren(); ++i) {
    if (layer.node()->getChild(i)->getName() == "strokes") strokes = layer.node()->getChild(i)->asGroup();
  }
  ASSERT_NE(strokes, nullptr);
  const auto* geode = dynamic_cast<const osg::Geode*>(strokes->getChild(0));
  ASSERT_NE(geode, nullptr);
  const auto* colors = dynamic_cast<const osg::Vec4Array*>(geode->getDrawable(0)->asGeometry()->getColorArray());
  ASSERT_NE(colors, nullptr);
  const Rgba& o = VectorLayer::kStaleOutline;
  EXPECT_EQ((*colors)[0], osg::Vec4(o[0], o[1], o[2], o[3]));
}

TEST(BuildingLayerLive, ValueTextureCarriesTheStatePerSlot) {
  auto set = std::make_shared<FeatureSet>();
  for (int i = 0; i < 3; ++i) {
    Feature f;
    f.id = "b/" + std::to_string(i);
    f.entity = static_cast<EntityIndex>(i);
    f.geometry.polygons.push_back(Polygon{{{{0.0 + 20 * i, 0, 0}, {10.0 + 20 * i, 0, 0}, {10.0 + 20 * i, 10, 0}, {0.0 + 20 * i, 10, 0}}}});
    set->features.push_back(f);
  }
  LayerConfig c;
  c.id = "b";
  c.type = "buildings";
  c.style = pm25Style();
  BuildingLayer layer(c, set);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  auto rule = ColorRule::fromConfig("b", c.style);
  ASSERT_TRUE(rule);
  layer.setLiveValues(*rule, std::vector<float>{10, 90, kNaN},
                      std::vector<SlotState>{SlotState::Live, SlotState::Stale, SlotState::Live});
  EXPECT_TRUE(layer.showsLiveValues());
  EXPECT_EQ(layer.slotState(0), SlotState::Live);
  EXPECT_EQ(layer.slotState(1), SlotState::Stale);
  EXPECT_EQ(layer.slotState(2), SlotState::NoData);
  EXPECT_FLOAT_EQ(layer.slotValue(1), 90.0f);
  EXPECT_EQ(layer.slotState(99), SlotState::NoData);
  EXPECT_EQ(layer.legend().back().labelEn, "no data");
}

}  // namespace
}  // namespace gt::layers
