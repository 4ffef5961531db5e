#include "greentwin/layers/vector_layer.hpp"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/Point>
#include <osg/TriangleFunctor>
#include <gtest/gtest.h>
#include <osgUtil/IntersectionVisitor>
#include <osgUtil/LineSegmentIntersector>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace gt::layers {
namespace {

constexpr EntityIndex kPolygonEntity = 10;
constexpr EntityIndex kLineEntity = 11;
constexpr EntityIndex kPointsEntity = 12;

// A U-shaped (concave) polygon, 100 m square with a 20 x 60 m notch cut from the top, and a 20 m square hole in
// its bottom-left. Area 10000 - 1200 - 400 = 8400 m².
Polygon concavePolygonWithHole() {
  Polygon p;
  p.rings.push_back({{0, 0, 0}, {100, 0, 0}, {100, 100, 0}, {60, 100, 0}, {60, 40, 0}, {40, 40, 0}, {40, 100, 0},
                     {0, 100, 0}});
  p.rings.push_back({{10, 10, 0}, {30, 10, 0}, {30, 30, 0}, {10, 30, 0}});
  return p;
}

std::shared_ptr<FeatureSet> sampleFeatures() {
  auto set = std::make_shared<FeatureSet>();
  Feature polygon;
  polygon.id = "parks/0";
  polygon.geometry.polygons.push_back(concavePolygonWithHole());
  polygon.entity = kPolygonEntity;
  Feature line;
  line.id = "rivers/0";
  line.geometry.lines.push_back({{0, 200, 0}, {50, 250, 0}, {100, 200, 0}});
  line.entity = kLineEntity;
  Feature points;
  points.id = "poi/0";
  points.geometry.points = {{5, 5, 0}, {95, 95, 0}};
  points.entity = kPointsEntity;
  Feature unregistered;  // never got an entity (e.g. its id was a duplicate)
  unregistered.id = "poi/1";
  unregistered.geometry.points = {{-5, -5, 0}};
  set->features = {polygon, line, points, unregistered};
  set->warnings = {"feature poi/7: no geometry, skipped"};
  set->skippedFeatures = 1;
  return set;
}

LayerConfig config(const std::string& id = "sample") {
  LayerConfig c;
  c.id = id;
  c.nameEn = "Sample";
  c.nameZh = "样例";
  c.style.fillColor = "#3a7d44";
  c.style.outlineColor = "#e8f5e980";
  c.style.lineWidthPx = 2.0;
  return c;
}

osg::Group* childGroup(const Layer& layer, const std::string& name) {
  for (unsigned i = 0; i < layer.node()->getNumChildren(); ++i) {
    osg::Node* child = layer.node()->getChild(i);
    if (child->getName() == name) return child->asGroup();
  }
  return nullptr;
}

osg::Vec4 overallColor(const osg::Geometry& g) {
  const auto* colors = dynamic_cast<const osg::Vec4Array*>(g.getColorArray());
  EXPECT_NE(colors, nullptr);
  if (colors == nullptr || colors->empty()) return {};
  EXPECT_EQ(g.getColorArray()->getBinding(), osg::Array::BIND_OVERALL);
  return (*colors)[0];
}

// Sums triangle areas and tests coverage of sample points, over whatever triangles OSG would draw.
struct TriangleProbe {
  double area = 0.0;
  std::vector<osg::Vec3> samples;
  std::vector<int> covered;
  void operator()(const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c) {
    area += std::abs(((b - a) ^ (c - a)).z()) / 2.0;
    for (std::size_t i = 0; i < samples.size(); ++i) {
      if (inside(samples[i], a, b, c)) ++covered[i];
    }
  }
  static bool inside(const osg::Vec3& p, const osg::Vec3& a, const osg::Vec3& b, const osg::Vec3& c) {
    auto side = [](const osg::Vec3& u, const osg::Vec3& v, const osg::Vec3& w) {
      return (v.x() - u.x()) * (w.y() - u.y()) - (v.y() - u.y()) * (w.x() - u.x());
    };
    const float d1 = side(a, b, p), d2 = side(b, c, p), d3 = side(c, a, p);
    const bool neg = d1 < 0 || d2 < 0 || d3 < 0;
    const bool pos = d1 > 0 || d2 > 0 || d3 > 0;
    return !(neg && pos);
  }
};

class VectorLayerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    features_ = sampleFeatures();
    layer_ = std::make_unique<VectorLayer>(config(), features_);
    const Status s = layer_->open();
    ASSERT_TRUE(s.isOk()) << s.toString();
  }
  std::shared_ptr<FeatureSet> features_;
  std::unique_ptr<VectorLayer> layer_;
};

TEST_F(VectorLayerTest, BuildsFillStrokeAndPointGroups) {
  EXPECT_EQ(layer_->state(), LayerState::Open);
  ASSERT_EQ(layer_->node()->getNumChildren(), 4u);
  osg::Group* fills = childGroup(*layer_, "fills");
  osg::Group* strokes = childGroup(*layer_, "strokes");
  osg::Group* lines = childGroup(*layer_, "lines");
  osg::Group* points = childGroup(*layer_, "points");
  ASSERT_NE(fills, nullptr);
  ASSERT_NE(strokes, nullptr);
  ASSERT_NE(lines, nullptr);
  ASSERT_NE(points, nullptr);
  EXPECT_EQ(fills->getNumChildren(), 1u);    // the polygon
  EXPECT_EQ(strokes->getNumChildren(), 1u);  // the polygon's outline
  EXPECT_EQ(lines->getNumChildren(), 1u);    // the line feature
  EXPECT_EQ(points->getNumChildren(), 2u);   // two point features
  EXPECT_EQ(fills->getChild(0)->getName(), "parks/0");
  EXPECT_EQ(lines->getChild(0)->getName(), "rivers/0");
  // Line width and point size follow the style.
  const auto* width = dynamic_cast<const osg::LineWidth*>(
      strokes->getStateSet()->getAttribute(osg::StateAttribute::LINEWIDTH));
  ASSERT_NE(width, nullptr);
  EXPECT_FLOAT_EQ(width->getWidth(), 2.0f);
  const auto* size = dynamic_cast<const osg::Point*>(points->getStateSet()->getAttribute(osg::StateAttribute::POINT));
  ASSERT_NE(size, nullptr);
  EXPECT_FLOAT_EQ(size->getSize(), 8.0f);  // point_size_px default
  // The FeatureSet's warnings reach the layer for the UI.
  ASSERT_EQ(layer_->warnings().size(), 1u);
  EXPECT_EQ(layer_->warnings()[0], "feature poi/7: no geometry, skipped");
  EXPECT_EQ(layer_->features(), features_.get());
}

TEST_F(VectorLayerTest, EveryFeatureGeodeResolvesToItsEntity) {
  for (const char* groupName : {"fills", "strokes", "points"}) {
    osg::Group* group = childGroup(*layer_, groupName);
    ASSERT_NE(group, nullptr) << groupName;
    for (unsigned i = 0; i < group->getNumChildren(); ++i) {
      osg::Node* geode = group->getChild(i);
      unsigned int slot = 0;
      ASSERT_TRUE(geode->getUserValue(kSlotUserValue, slot)) << geode->getName();
      const osg::NodePath path{layer_->node(), group, geode};
      const EntityIndex entity = layer_->entityAtHit(path, nullptr, 0).value_or(kInvalidEntity);
      EXPECT_EQ(entity, layer_->entityOfSlot(slot));
      const std::string& id = geode->getName();
      if (id == "parks/0") EXPECT_EQ(entity, kPolygonEntity);
      else if (id == "rivers/0") EXPECT_EQ(entity, kLineEntity);
      else if (id == "poi/0") EXPECT_EQ(entity, kPointsEntity);
      else if (id == "poi/1") EXPECT_EQ(entity, kInvalidEntity);
      else ADD_FAILURE() << "unexpected node " << id;
    }
  }
}

TEST_F(VectorLayerTest, AHiddenFeatureIsNeitherDrawnNorPicked) {
  // Slot 0 is the polygon (fill and outline), slot 2 the points.
  ASSERT_TRUE(layer_->setShownSlots({false, true, false, true}).isOk());
  osg::Group* fills = childGroup(*layer_, "fills");
  osg::Group* strokes = childGroup(*layer_, "strokes");
  osg::Group* points = childGroup(*layer_, "points");
  EXPECT_EQ(fills->getChild(0)->getNodeMask(), 0u);
  EXPECT_EQ(strokes->getChild(0)->getNodeMask(), 0u);
  EXPECT_EQ(points->getChild(0)->getNodeMask(), 0u);  // poi/0
  EXPECT_NE(points->getChild(1)->getNodeMask(), 0u);  // poi/1 stays
  EXPECT_NE(childGroup(*layer_, "lines")->getChild(0)->getNodeMask(), 0u);
  // A ray through the polygon's solid part no longer hits it.
  const auto rayHits = [this] {
    osg::ref_ptr<osgUtil::LineSegmentIntersector> ray =
        new osgUtil::LineSegmentIntersector(osg::Vec3d(10, 50, 100), osg::Vec3d(10, 50, -100));
    osgUtil::IntersectionVisitor visitor(ray.get());
    layer_->node()->accept(visitor);
    return ray->containsIntersections();
  };
  EXPECT_FALSE(rayHits());
  ASSERT_TRUE(layer_->setShownSlots({}).isOk());
  EXPECT_NE(fills->getChild(0)->getNodeMask(), 0u);
  EXPECT_TRUE(rayHits());
}

TEST_F(VectorLayerTest, NodeForEntityFindsTheFeature) {
  osg::Node* polygon = layer_->nodeForEntity(kPolygonEntity);
  ASSERT_NE(polygon, nullptr);
  EXPECT_EQ(polygon->getName(), "parks/0");
  EXPECT_EQ(polygon->getParent(0), childGroup(*layer_, "fills"));  // the fill: what a highlight should tint
  osg::Node* line = layer_->nodeForEntity(kLineEntity);
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->getName(), "rivers/0");
  osg::Node* points = layer_->nodeForEntity(kPointsEntity);
  ASSERT_NE(points, nullptr);
  EXPECT_EQ(points->getName(), "poi/0");
  EXPECT_EQ(layer_->nodeForEntity(99), nullptr);
  // Unregistered features are not selectable.
  EXPECT_EQ(layer_->nodeForEntity(kInvalidEntity), nullptr);
}

TEST_F(VectorLayerTest, PolygonsAreTessellatedIntoTrianglesWithTheHoleCut) {
  osg::Geode* fill = layer_->nodeForEntity(kPolygonEntity)->asGeode();
  ASSERT_NE(fill, nullptr);
  ASSERT_EQ(fill->getNumDrawables(), 1u);
  osg::Geometry* g = fill->getDrawable(0)->asGeometry();
  ASSERT_NE(g, nullptr);
  ASSERT_GT(g->getNumPrimitiveSets(), 0u);
  for (unsigned i = 0; i < g->getNumPrimitiveSets(); ++i) {
    const GLenum mode = g->getPrimitiveSet(i)->getMode();
    EXPECT_NE(mode, static_cast<GLenum>(GL_POLYGON)) << "primitive set " << i;
    EXPECT_TRUE(mode == GL_TRIANGLES || mode == GL_TRIANGLE_STRIP || mode == GL_TRIANGLE_FAN) << mode;
  }
  osg::TriangleFunctor<TriangleProbe> probe;
  probe.samples = {{80, 80, 0}, {20, 60, 0}, {50, 20, 0}, {20, 20, 0}, {50, 70, 0}, {150, 50, 0}};
  probe.covered.assign(probe.samples.size(), 0);
  g->accept(probe);
  EXPECT_NEAR(probe.area, 8400.0, 1e-3);
  EXPECT_GE(probe.covered[0], 1);  // right arm
  EXPECT_GE(probe.covered[1], 1);  // left arm above the hole
  EXPECT_GE(probe.covered[2], 1);  // bottom bar
  EXPECT_EQ(probe.covered[3], 0);  // inside the hole
  EXPECT_EQ(probe.covered[4], 0);  // inside the notch (concave part)
  EXPECT_EQ(probe.covered[5], 0);  // outside
  const osg::Vec4 color = overallColor(*g);
  EXPECT_FLOAT_EQ(color.r(), 0x3a / 255.0f);
  EXPECT_FLOAT_EQ(color.g(), 0x7d / 255.0f);
  EXPECT_FLOAT_EQ(color.b(), 0x44 / 255.0f);
  EXPECT_FLOAT_EQ(color.a(), 1.0f);
}

TEST_F(VectorLayerTest, OutlinesAreStrokesAndLinesAreLines) {
  osg::Group* strokes = childGroup(*layer_, "strokes");
  ASSERT_NE(strokes, nullptr);
  // The polygon outline: one closed loop per ring, in the outline colour.
  osg::Geode* outline = strokes->getChild(0)->asGeode();
  ASSERT_NE(outline, nullptr);
  EXPECT_EQ(outline->getName(), "parks/0");
  ASSERT_EQ(outline->getNumDrawables(), 2u);
  const osg::Geometry* exterior = outline->getDrawable(0)->asGeometry();
  ASSERT_NE(exterior, nullptr);
  ASSERT_EQ(exterior->getNumPrimitiveSets(), 1u);
  EXPECT_EQ(exterior->getPrimitiveSet(0)->getMode(), static_cast<GLenum>(GL_LINE_LOOP));
  EXPECT_EQ(exterior->getPrimitiveSet(0)->getNumIndices(), 8u);
  EXPECT_FLOAT_EQ(overallColor(*exterior).a(), 0x80 / 255.0f);
  // The line: an open strip, in the fill colour.
  osg::Geode* line = childGroup(*layer_, "lines")->getChild(0)->asGeode();
  ASSERT_NE(line, nullptr);
  ASSERT_EQ(line->getNumDrawables(), 1u);
  const osg::Geometry* strip = line->getDrawable(0)->asGeometry();
  ASSERT_NE(strip, nullptr);
  EXPECT_EQ(strip->getPrimitiveSet(0)->getMode(), static_cast<GLenum>(GL_LINE_STRIP));
  EXPECT_EQ(strip->getPrimitiveSet(0)->getNumIndices(), 3u);
  const auto* vertices = dynamic_cast<const osg::Vec3Array*>(strip->getVertexArray());
  ASSERT_NE(vertices, nullptr);
  EXPECT_EQ((*vertices)[1], osg::Vec3(50, 250, 0));
  EXPECT_FLOAT_EQ(overallColor(*strip).g(), 0x7d / 255.0f);
}

TEST_F(VectorLayerTest, LegendFollowsTheSingleColourRule) {
  const auto legend = layer_->legend();
  ASSERT_EQ(legend.size(), 1u);  // one colour: one row, shaped like the layer's main geometry
  EXPECT_EQ(legend[0].shape, LegendEntry::Shape::Fill);
  for (const LegendEntry& e : legend) {
    EXPECT_EQ(e.labelEn, "Sample");
    EXPECT_EQ(e.labelZh, "样例");
    EXPECT_FLOAT_EQ(e.color[0], 0x3a / 255.0f);
    EXPECT_FLOAT_EQ(e.color[3], 1.0f);
  }
}

TEST(VectorLayer, LegendListsOnlyWhatIsDrawn) {
  auto set = std::make_shared<FeatureSet>();
  Feature f;
  f.id = "rivers/3";
  f.geometry.lines.push_back({{0, 0, 0}, {1, 1, 0}});
  set->features.push_back(f);
  VectorLayer layer(config("rivers"), set);
  EXPECT_TRUE(layer.legend().empty());  // nothing before open
  ASSERT_TRUE(layer.open().isOk()) << layer.status().toString();
  const auto legend = layer.legend();
  ASSERT_EQ(legend.size(), 1u);
  EXPECT_EQ(legend[0].shape, LegendEntry::Shape::Line);
  ASSERT_EQ(layer.node()->getNumChildren(), 1u);  // empty groups are not attached
  EXPECT_EQ(layer.node()->getChild(0)->getName(), "lines");
}

TEST_F(VectorLayerTest, RenderBinsFollowTheOrder) {
  auto binOf = [&](const std::string& name) {
    osg::Group* g = childGroup(*layer_, name);
    EXPECT_NE(g, nullptr) << name;
    return g != nullptr && g->getStateSet() != nullptr ? g->getStateSet()->getBinNumber() : -1;
  };
  EXPECT_EQ(binOf("fills"), 100);
  EXPECT_EQ(binOf("strokes"), 101);
  EXPECT_EQ(binOf("lines"), 102);
  EXPECT_EQ(binOf("points"), 103);
  layer_->setOrder(2);
  EXPECT_EQ(binOf("fills"), 108);
  EXPECT_EQ(binOf("strokes"), 109);
  EXPECT_EQ(binOf("lines"), 110);
  EXPECT_EQ(binOf("points"), 111);
}

std::shared_ptr<FeatureSet> classedLines() {
  auto set = std::make_shared<FeatureSet>();
  const char* classes[] = {"expressway", "local", "track"};
  for (int i = 0; i < 3; ++i) {
    Feature f;
    f.id = "roads/" + std::to_string(i);
    f.entity = static_cast<EntityIndex>(i);
    f.properties["class"] = std::string(classes[i]);
    f.geometry.lines.push_back({{0, i * 10.0, 0}, {100, i * 10.0, 0}});
    set->features.push_back(std::move(f));
  }
  return set;
}

osg::Vec4 lineColour(VectorLayer& layer, int i) {
  auto* geode = childGroup(layer, "lines")->getChild(static_cast<unsigned>(i))->asGeode();
  return overallColor(*geode->getDrawable(0)->asGeometry());
}

TEST(VectorLayer, CategoricalColoursPerFeatureAndRestyleInPlace) {
  LayerConfig c = config("roads");
  c.style.colorMode = "categorical";
  c.style.colorBy = "class";
  c.style.categories = {{"expressway", "#ff0000"}, {"local", "#0000ff"}};
  c.style.otherColor = "#00ff00";
  auto set = classedLines();
  VectorLayer layer(c, set);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  EXPECT_FLOAT_EQ(lineColour(layer, 0).r(), 1.0f);
  EXPECT_FLOAT_EQ(lineColour(layer, 1).b(), 1.0f);
  EXPECT_FLOAT_EQ(lineColour(layer, 2).g(), 1.0f);  // "track" is not listed: other colour
  ASSERT_EQ(layer.legend().size(), 3u);
  EXPECT_EQ(layer.legend()[0].shape, LegendEntry::Shape::Line);

  // Restyle: new colours and width, the same geometry objects.
  const osg::Geometry* before = childGroup(layer, "lines")->getChild(0)->asGeode()->getDrawable(0)->asGeometry();
  LayerStyleConfig style = c.style;
  style.categories[0].second = "#ffffff";
  style.lineWidthPx = 5.0;
  const Status s = layer.restyle(style, [&set](std::uint32_t slot) { return &set->features[slot].properties; });
  ASSERT_TRUE(s.isOk()) << s.message();
  EXPECT_EQ(childGroup(layer, "lines")->getChild(0)->asGeode()->getDrawable(0)->asGeometry(), before);
  EXPECT_FLOAT_EQ(lineColour(layer, 0).g(), 1.0f);
  const auto* width = dynamic_cast<const osg::LineWidth*>(
      childGroup(layer, "lines")->getStateSet()->getAttribute(osg::StateAttribute::LINEWIDTH));
  ASSERT_NE(width, nullptr);
  EXPECT_FLOAT_EQ(width->getWidth(), 5.0f);
  // What cannot change in place says so.
  style.lineWidthM = 20.0;
  EXPECT_EQ(layer.restyle(style, {}).code(), ErrorCode::Unsupported);
}

TEST(VectorLayer, LinesInMetresAreRibbons) {
  LayerConfig c = config("rivers");
  c.style.lineWidthM = 80.0;
  auto set = classedLines();
  VectorLayer layer(c, set);
  ASSERT_TRUE(layer.open().isOk());
  const osg::Geometry* g = childGroup(layer, "lines")->getChild(0)->asGeode()->getDrawable(0)->asGeometry();
  EXPECT_EQ(g->getPrimitiveSet(0)->getMode(), static_cast<GLenum>(GL_TRIANGLE_STRIP));
  const auto* v = static_cast<const osg::Vec3Array*>(g->getVertexArray());
  ASSERT_EQ(v->size(), 4u);
  EXPECT_NEAR(((*v)[0] - (*v)[1]).length(), 80.0f, 1e-3);  // the ribbon is 80 m wide
}

TEST(VectorLayer, BadFillColourIsAnErrorNamingTheLayer) {
  LayerConfig c = config("parks");
  c.style.fillColor = "green";
  VectorLayer layer(c, sampleFeatures());
  Status s = layer.open();
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("'parks'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("fill_color"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("'green'"), std::string::npos) << s.message();
  EXPECT_EQ(layer.state(), LayerState::Error);
  EXPECT_EQ(layer.status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(layer.node()->getNumChildren(), 0u);
  EXPECT_EQ(layer.nodeForEntity(kPolygonEntity), nullptr);
}

TEST(VectorLayer, BadOutlineColourIsAnErrorNamingTheLayer) {
  LayerConfig c = config("parks");
  c.style.outlineColor = "#12345";
  VectorLayer layer(c, sampleFeatures());
  Status s = layer.open();
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("'parks'"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("outline_color"), std::string::npos) << s.message();
}

TEST(VectorLayer, NoFeaturesIsAnError) {
  VectorLayer empty(config("empty"), std::make_shared<FeatureSet>());
  Status s = empty.open();
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("'empty'"), std::string::npos) << s.message();
  VectorLayer null(config("null"), nullptr);
  EXPECT_EQ(null.open().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(null.features(), nullptr);
}

}  // namespace
}  // namespace gt::layers

namespace gt::layers {
namespace {

osg::Vec4 highlightOf(const osg::Node* node) {
  const osg::StateSet* ss = node->getStateSet();
  const osg::Uniform* u = ss != nullptr ? ss->getUniform("gt_highlight") : nullptr;
  osg::Vec4 v(0, 0, 0, 0);
  if (u != nullptr) u->get(v);
  return v;
}

TEST_F(VectorLayerTest, SelectionAndHoverTintTheirFeatures) {
  osg::Node* polygon = layer_->nodeForEntity(kPolygonEntity);
  osg::Node* line = layer_->nodeForEntity(kLineEntity);
  ASSERT_NE(polygon, nullptr);
  ASSERT_NE(line, nullptr);
  layer_->setHighlight(kPolygonEntity, kLineEntity);
  EXPECT_EQ(highlightOf(polygon), kSelectionHighlight);
  EXPECT_EQ(highlightOf(line), kHoverHighlight);
  // The hovered feature becomes the selection: it shows as selected, the old selection is cleared.
  layer_->setHighlight(kLineEntity, kLineEntity);
  EXPECT_EQ(highlightOf(line), kSelectionHighlight);
  EXPECT_EQ(highlightOf(polygon).a(), 0.0f);
  // Moving the mouse onto the old selection tints it as hovered again.
  layer_->setHighlight(kLineEntity, kPolygonEntity);
  EXPECT_EQ(highlightOf(polygon), kHoverHighlight);
  EXPECT_EQ(highlightOf(line), kSelectionHighlight);
  layer_->setHighlight(std::nullopt, std::nullopt);
  EXPECT_EQ(highlightOf(polygon).a(), 0.0f);
  EXPECT_EQ(highlightOf(line).a(), 0.0f);
}

}  // namespace
}  // namespace gt::layers
