#include "greentwin/layers/vector_layer.hpp"

#include <osg/Depth>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/Point>
#include <osgUtil/Tessellator>

namespace gt::layers {
namespace {

osg::Vec3 toVec3(const Vec3d& p) { return {static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.z)}; }
osg::Vec4 toVec4(const Rgba& c) { return {c[0], c[1], c[2], c[3]}; }

// draped: the rings lie on terrain (not in one plane), so the tessellator is told to project them straight down
// instead of fitting a plane.
osg::ref_ptr<osg::Geometry> polygonFill(const Polygon& polygon, const osg::Vec4& color, bool draped) {
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
  if (draped) tessellator->setTessellationNormal(osg::Vec3(0, 0, 1));
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

VectorLayer::VectorLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features,
                         std::shared_ptr<const HeightField> ground)
    : Layer(std::move(config)), features_(std::move(features)), ground_(std::move(ground)) {}

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
  // On terrain: lines and rings split at the terrain mesh's edges and laid on it (see the header); else as given.
  const HeightField* ground = ground_.get();
  auto onGround = [ground](const std::vector<Vec3d>& pts, bool closed) {
    return ground != nullptr ? ground->drape(pts, closed, kGroundOffsetM) : pts;
  };

  std::vector<EntityIndex> slotEntities;
  slotEntities.reserve(features_->features.size());
  for (const Feature& feature : features_->features) slotEntities.push_back(feature.entity);
  assignEntities(std::move(slotEntities));  // entities known now, or assigned later by the loader's owner

  for (const Feature& feature : features_->features) {
    const auto slot = static_cast<unsigned int>(&feature - features_->features.data());
    auto makeGeode = [&](osg::Group* parent) {
      osg::ref_ptr<osg::Geode> geode = new osg::Geode;
      geode->setName(feature.id);
      geode->setUserValue(kSlotUserValue, slot);
      parent->addChild(geode.get());
      return geode;
    };
    if (!feature.geometry.polygons.empty()) {
      hasPolygons_ = true;
      osg::ref_ptr<osg::Geode> fillGeode = makeGeode(fills.get());
      osg::ref_ptr<osg::Geode> strokeGeode = makeGeode(strokes.get());
      for (const Polygon& given : feature.geometry.polygons) {
        Polygon polygon;
        for (const auto& ring : given.rings) polygon.rings.push_back(onGround(ring, true));
        fillGeode->addDrawable(polygonFill(polygon, fillColor, ground != nullptr).get());
        for (const auto& ring : polygon.rings) strokeGeode->addDrawable(polyline(ring, true, outlineColor).get());
      }
    }
    if (!feature.geometry.lines.empty()) {
      hasLines_ = true;
      osg::ref_ptr<osg::Geode> lineGeode = makeGeode(strokes.get());
      // A line feature is drawn in the fill colour (its "ink"); the outline colour is for polygon edges.
      for (const auto& line : feature.geometry.lines) {
        lineGeode->addDrawable(polyline(onGround(line, false), false, fillColor).get());
      }
    }
    if (!feature.geometry.points.empty()) {
      hasPoints_ = true;
      osg::ref_ptr<osg::Geode> pointGeode = makeGeode(points.get());
      osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
      osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
      for (const Vec3d& p : feature.geometry.points) {
        vertices->push_back(toVec3(ground != nullptr ? Vec3d{p.x, p.y, ground->heightAt(p.x, p.y, p.z) + kGroundOffsetM}
                                                     : p));
      }
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
  if (ground != nullptr) {
    // Strokes and points lie on the terrain surface: depth-test them against it (hidden behind hills), pulled a
    // little towards the eye so they win against the surface they lie on. Fills keep the layer's "always on top".
    osg::ref_ptr<osg::Depth> onSurface = new osg::Depth(osg::Depth::LEQUAL, 0.0, 1.0 - kGroundDepthBias, false);
    strokes->getOrCreateStateSet()->setAttributeAndModes(onSurface.get());
    points->getOrCreateStateSet()->setAttributeAndModes(onSurface.get());
  }
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
  // Features that never got an entity (e.g. a duplicate id the EntityStore refused) are not selectable.
  const auto slot = slotOfEntity(entity);
  if (!slot) return nullptr;
  // Few features per ground layer in this form; a linear scan on selection (not per frame) is fine.
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    const osg::Group* group = node()->getChild(i)->asGroup();
    if (group == nullptr) continue;
    for (unsigned k = 0; k < group->getNumChildren(); ++k) {
      unsigned int value = 0;
      if (group->getChild(k)->getUserValue(kSlotUserValue, value) && value == *slot) {
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
