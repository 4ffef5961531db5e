// The field layer: a grid over its area polygons, draped on the ground; new values rewrite a texture only.
#include <osg/Geode>
#include <osg/Geometry>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <vector>

#include "greentwin/layers/field_layer.hpp"
#include "layer_config_support.hpp"
#include "greentwin/layers/layer_registry.hpp"

namespace gt::layers {
namespace {

using ::testing::HasSubstr;

// A 2 km x 1 km rectangle with its north-east quarter cut away (an L).
std::shared_ptr<FeatureSet> lShapedArea() {
  auto set = std::make_shared<FeatureSet>();
  Feature f;
  f.id = "district/0";
  f.geometry.polygons.push_back(
      Polygon{{{{0, 0, 0}, {2000, 0, 0}, {2000, 500, 0}, {1000, 500, 0}, {1000, 1000, 0}, {0, 1000, 0}}}});
  set->features.push_back(f);
  return set;
}

LayerConfig fieldConfig() {
  LayerConfig c;
  c.id = "pm25-field";
  c.type = "field";
  c.resolutionM = 250;
  c.opacity = 0.6;
  c.style.colorMode = "graduated";
  c.style.colorBy = "pm25";
  c.style.breaks = {35, 75};
  c.style.colors = {"#00e400", "#ffff00", "#ff7e00"};
  editLayerOptions<FieldOptions>(c).points = "aq";
  return c;
}

TEST(FieldLayer, GridCoversTheAreaAndMasksOutsideCells) {
  FieldLayer layer(fieldConfig(), lShapedArea());
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  const GridGeometry& g = layer.grid();
  EXPECT_EQ(g.width, 8);
  EXPECT_EQ(g.height, 4);
  EXPECT_DOUBLE_EQ(g.dx, 250.0);
  EXPECT_DOUBLE_EQ(g.minX(), 0.0);
  EXPECT_DOUBLE_EQ(g.minY(), 0.0);
  EXPECT_TRUE(layer.cellInArea(0, 0));
  EXPECT_TRUE(layer.cellInArea(7, 0));
  EXPECT_TRUE(layer.cellInArea(0, 3));
  EXPECT_FALSE(layer.cellInArea(7, 3));  // the cut-away quarter
  EXPECT_FALSE(layer.cellInArea(8, 0));  // outside the grid
  // Before any values: no data everywhere.
  EXPECT_TRUE(std::isnan(layer.valueAt(0, 0)));
  // The legend: the classes and "no data".
  const auto legend = layer.legend();
  ASSERT_EQ(legend.size(), 4u);
  EXPECT_EQ(legend.back().labelZh, "无数据（范围内无实时站点）");
}

TEST(FieldLayer, NewValuesRewriteTheTextureNotTheGeometry) {
  FieldLayer layer(fieldConfig(), lShapedArea());
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  ASSERT_EQ(layer.node()->getNumChildren(), 1u);
  const osg::Node* node = layer.node()->getChild(0);
  const auto* geode = dynamic_cast<const osg::Geode*>(node);
  ASSERT_NE(geode, nullptr);
  const osg::Drawable* drawable = geode->getDrawable(0);
  const osg::Array* vertices = drawable->asGeometry()->getVertexArray();
  const unsigned vertexCount = vertices->getNumElements();
  EXPECT_GT(vertexCount, 0u);

  std::vector<float> values(layer.grid().cellCount(), 50.0f);
  values[0] = std::numeric_limits<float>::quiet_NaN();
  ASSERT_TRUE(layer.setValues(values).isOk());
  EXPECT_EQ(layer.updateCount(), 1u);
  EXPECT_TRUE(std::isnan(layer.valueAt(0, 0)));
  EXPECT_FLOAT_EQ(layer.valueAt(1, 0), 50.0f);
  values.assign(values.size(), 80.0f);
  ASSERT_TRUE(layer.setValues(values).isOk());
  EXPECT_FLOAT_EQ(layer.valueAt(0, 0), 80.0f);
  // Same node, same drawable, same vertex array.
  EXPECT_EQ(layer.node()->getChild(0), node);
  EXPECT_EQ(geode->getDrawable(0), drawable);
  EXPECT_EQ(drawable->asGeometry()->getVertexArray(), vertices);
  EXPECT_EQ(vertices->getNumElements(), vertexCount);

  const Status wrong = layer.setValues(std::vector<float>(3, 1.0f));
  EXPECT_FALSE(wrong.isOk());
  EXPECT_NE(wrong.message().find("3 values for 32 cells"), std::string::npos) << wrong.message();
}

TEST(FieldLayer, LiesOnTheGround) {
  auto dem = std::make_shared<RasterGrid>();
  dem->x0 = -500;
  dem->y0 = -500;
  dem->dx = dem->dy = 500;
  dem->width = 7;
  dem->height = 5;
  dem->values.assign(dem->cellCount(), 40.0f);
  auto ground = std::make_shared<HeightField>(dem);
  FieldLayer layer(fieldConfig(), lShapedArea(), ground);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  const auto* geode = dynamic_cast<const osg::Geode*>(layer.node()->getChild(0));
  ASSERT_NE(geode, nullptr);
  const auto* vertices = dynamic_cast<const osg::Vec3Array*>(geode->getDrawable(0)->asGeometry()->getVertexArray());
  ASSERT_NE(vertices, nullptr);
  for (const osg::Vec3& v : *vertices) EXPECT_NEAR(v.z(), 40.5f, 1e-3f);
}

TEST(FieldLayer, BadConfigIsAnErrorAndTheTypeIsRegistered) {
  LayerConfig c = fieldConfig();
  c.style.colorMode = "single";
  FieldLayer single(c, lShapedArea());
  EXPECT_FALSE(single.open().isOk());
  EXPECT_NE(single.status().message().find("graduated"), std::string::npos);
  // A classifier whose plugin is not active (the demo's PM2.5 surface with the air_quality plugin disabled): the
  // error names the classifier, not only the missing breaks.
  c.style.classifier = "air_quality.pm25_class";
  FieldLayer unclassified(c, lShapedArea());
  EXPECT_FALSE(unclassified.open().isOk());
  EXPECT_THAT(unclassified.status().message(), HasSubstr("classifier 'air_quality.pm25_class' is not provided"));
  FieldLayer empty(fieldConfig(), std::make_shared<FeatureSet>());
  EXPECT_FALSE(empty.open().isOk());
  EXPECT_NE(empty.status().message().find("no polygons"), std::string::npos);

  LayerRegistry registry;
  registerBuiltinLayers(registry);
  EXPECT_TRUE(registry.hasType("field"));
  LayerInputs in;
  in.config = fieldConfig();
  in.features = lShapedArea();
  auto layer = registry.create(in);
  ASSERT_TRUE(layer) << layer.status().message();
  EXPECT_TRUE((*layer)->open().isOk());
}

// ---- [layers.<type>] (moved from tests/core/config_test.cpp with the options) ----------------------------

TEST(FieldLayer, FieldLayerSection) {
  auto r = parseWithLayerTypes(
      "[[layers]]\nid = \"f\"\ntype = \"field\"\nsource = \"d.geojson\"\n[layers.field]\npoints = \"aq\"\n"
      "power = 3.0\nsearch_radius_m = 5000.0\nmax_neighbours = 4\nmax_update_hz = 1.0\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const FieldOptions& f = fieldOptions(r->layers.at(0));
  EXPECT_EQ(f.points, "aq");
  EXPECT_EQ(f.method, "idw");
  EXPECT_DOUBLE_EQ(f.power, 3.0);
  EXPECT_DOUBLE_EQ(f.searchRadiusM, 5000.0);
  EXPECT_EQ(f.maxNeighbours, 4);
  EXPECT_DOUBLE_EQ(f.maxUpdateHz, 1.0);
  EXPECT_THAT(parseError("[[layers]]\nid = \"f\"\n[layers.field]\nmethod = \"kriging\"\n").message(),
              HasSubstr("kriging"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"f\"\n[layers.field]\npower = 0.0\n").message(),
              HasSubstr("'layers[0].field.power' = 0 is out of range"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"f\"\n[layers.field]\nradius = 1\n").message(),
              HasSubstr("unknown key 'layers[0].field.radius'"));
}

}  // namespace
}  // namespace gt::layers
