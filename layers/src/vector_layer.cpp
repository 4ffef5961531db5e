#include "greentwin/layers/vector_layer.hpp"

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/Point>
#include <osgUtil/Tessellator>

namespace gt::layers {
namespace {

osg::Vec3 toVec3(const Vec3d& p) { return {static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.z)}; }
osg::Vec4 toVec4(const Rgba& c) { return {c[0], c[1], c[2], c[3]}; }

osg::ref_ptr<osg::Geometry> polygonFill(const Polygon& polygon, const osg::Vec4& color) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  for (const auto& ring : polygon.rings) {
    const auto first = static_cast<GLint>(vertices->size());
    for (const Vec3d& p : ring) vertices->push_back(toVec3(p));
    g->addPrimitiveSet(new osg::DrawArrays(GL_POLYGON, first, static_cast<GLsizei>(ring.size())));
  }
  g->setVertexArray(vertices.get());
  osg::ref_ptr<osg::Vec4Array> colors = new osg::Vec4Array(1);
  (*colors)[0] = color;
  g->setColorArray(colors.get(), osg::Array::BIND_OVERALL);
  // Concave rings and holes: GLU tessellation into triangles, odd winding (holes cut out).
  osg::ref_ptr<osgUtil::Tessellator> tessellator = new osgUtil::Tessellator;
  tessellator->setTessellationType(osgUtil::Tessellator::TESS_TYPE_GEOMETRY);
  tessellator->setWindingType(osgUtil::Tessellator::TESS_WINDING_ODD);
  tessellator->setBoundaryOnly(false);
  tessellator->retessellatePolygons(*g);
  return g;
}

osg::ref_ptr<osg::Geometry> polyline(const std::vector<Vec3d>& pts, bool closed, const osg::Vec4& color) {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  for (const Vec3d& p : pts) vertices->push_back(toVec3(p));
  g->setVertexArray(vertices.get());
  g->addPrimitiveSet(new osg::DrawArrays(closed ? GL_LINE_LOOP : GL_LINE_STRIP, 0, static_cast<GLsizei>(pts.size())));
  osg::ref_ptr<osg::Vec4Array> colors = new osg::Vec4Array(1);
  (*colors)[0] = color;
  g->setColorArray(colors.get(), osg::Array::BIND_OVERALL);
  return g;
}

}  // namespace

VectorLayer::VectorLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features)
    : Layer(std::move(config)), features_(std::move(features)) {}

Status VectorLayer::openImpl() {
  auto fill = parseColor(config_.style.fillColor);
  if (!fill) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' fill_color: " + fill.status().message());
  auto outline = parseColor(config_.style.outlineColor);
  if (!outline) {
    return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' outline_color: " + outline.status().message());
  }
  fill_ = *fill;
  outline_ = *outline;
  if (!features_ || features_->features.empty()) {
    return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' has no features");
  }
  for (const std::string& w : features_->warnings) addWarning(w);

  osg::ref_ptr<osg::Group> fills = new osg::Group;
  fills->setName("fills");
  osg::ref_ptr<osg::Group> strokes = new osg::Group;
  strokes->setName("strokes");
  osg::ref_ptr<osg::Group> points = new osg::Group;
  points->setName("points");
  const osg::Vec4 fillColor = toVec4(fill_);
  const osg::Vec4 outlineColor = toVec4(outline_);

  for (const Feature& feature : features_->features) {
    const auto entity = static_cast<unsigned int>(feature.entity);
    auto makeGeode = [&](osg::Group* parent) {
      osg::ref_ptr<osg::Geode> geode = new osg::Geode;
      geode->setName(feature.id);
      geode->setUserValue(kEntityUserValue, entity);
      parent->addChild(geode.get());
      return geode;
    };
    if (!feature.geometry.polygons.empty()) {
      hasPolygons_ = true;
      osg::ref_ptr<osg::Geode> fillGeode = makeGeode(fills.get());
      osg::ref_ptr<osg::Geode> strokeGeode = makeGeode(strokes.get());
      for (const Polygon& polygon : feature.geometry.polygons) {
        fillGeode->addDrawable(polygonFill(polygon, fillColor).get());
        for (const auto& ring : polygon.rings) strokeGeode->addDrawable(polyline(ring, true, outlineColor).get());
      }
    }
    if (!feature.geometry.lines.empty()) {
      hasLines_ = true;
      osg::ref_ptr<osg::Geode> lineGeode = makeGeode(strokes.get());
      // A line feature is drawn in the fill colour (its "ink"); the outline colour is for polygon edges.
      for (const auto& line : feature.geometry.lines) lineGeode->addDrawable(polyline(line, false, fillColor).get());
    }
    if (!feature.geometry.points.empty()) {
      hasPoints_ = true;
      osg::ref_ptr<osg::Geode> pointGeode = makeGeode(points.get());
      osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
      osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
      for (const Vec3d& p : feature.geometry.points) vertices->push_back(toVec3(p));
      g->setVertexArray(vertices.get());
      g->addPrimitiveSet(new osg::DrawArrays(GL_POINTS, 0, static_cast<GLsizei>(vertices->size())));
      osg::ref_ptr<osg::Vec4Array> colors = new osg::Vec4Array(1);
      (*colors)[0] = fillColor;
      g->setColorArray(colors.get(), osg::Array::BIND_OVERALL);
      pointGeode->addDrawable(g.get());
    }
  }
  const float width = static_cast<float>(config_.style.lineWidthPx);
  strokes->getOrCreateStateSet()->setAttributeAndModes(new osg::LineWidth(width));
  points->getOrCreateStateSet()->setAttributeAndModes(new osg::Point(std::max(4.0f, width * 3.0f)));
  for (osg::Group* g : {fills.get(), strokes.get(), points.get()}) {
    if (g->getNumChildren() > 0) node()->addChild(g);
  }
  return Status::ok();
}

void VectorLayer::applyRenderBins() {
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    osg::Node* child = node()->getChild(i);
    const int offset = child->getName() == "fills" ? 0 : child->getName() == "strokes" ? 1 : 2;
    child->getOrCreateStateSet()->setRenderBinDetails(renderBinBase() + offset, "RenderBin");
  }
}

osg::Node* VectorLayer::nodeForEntity(EntityIndex entity) const {
  // Features that never got an entity (e.g. a duplicate id the EntityStore refused) all carry kInvalidEntity:
  // they are not selectable, and asking for kInvalidEntity must not return one of them.
  if (entity == kInvalidEntity) return nullptr;
  // Few features per ground layer in this form; a linear scan on selection (not per frame) is fine.
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    const osg::Group* group = node()->getChild(i)->asGroup();
    if (group == nullptr) continue;
    for (unsigned k = 0; k < group->getNumChildren(); ++k) {
      unsigned int value = 0;
      if (group->getChild(k)->getUserValue(kEntityUserValue, value) && value == entity) {
        return const_cast<osg::Node*>(group->getChild(k));
      }
    }
  }
  return nullptr;
}

std::vector<LegendEntry> VectorLayer::legend() const {
  std::vector<LegendEntry> entries;
  if (hasPolygons_) entries.push_back({fill_, config_.nameEn, config_.nameZh, LegendEntry::Shape::Fill});
  if (hasLines_) entries.push_back({fill_, config_.nameEn, config_.nameZh, LegendEntry::Shape::Line});
  if (hasPoints_) entries.push_back({fill_, config_.nameEn, config_.nameZh, LegendEntry::Shape::Point});
  return entries;
}

}  // namespace gt::layers
