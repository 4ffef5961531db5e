#include "greentwin/layers/vector_layer.hpp"

#include <osg/Depth>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/LineWidth>
#include <osg/Point>
#include <osgUtil/Tessellator>

#include <algorithm>
#include <cmath>
#include <limits>

namespace gt::layers {
namespace {

osg::Vec3 toVec3(const Vec3d& p) { return {static_cast<float>(p.x), static_cast<float>(p.y), static_cast<float>(p.z)}; }
osg::Vec4 toVec4(const Rgba& c) { return {c[0], c[1], c[2], c[3]}; }

// A feature's geometry, drawn from buffers: OSG 3.6 compiles a new Geometry into a display list at its first draw,
// and the display list keeps the colour it had then (a live or restyled colour changes only the colour array), so
// a road stayed the colour of the first frame that drew it (seen on wall tiles: grey beside green).
osg::ref_ptr<osg::Geometry> featureGeometry() {
  osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
  g->setUseDisplayList(false);
  g->setUseVertexBufferObjects(true);
  return g;
}

// draped: the rings lie on terrain (not in one plane), so the tessellator is told to project them straight down
// instead of fitting a plane.
osg::ref_ptr<osg::Geometry> polygonFill(const Polygon& polygon, const osg::Vec4& color, bool draped) {
  osg::ref_ptr<osg::Geometry> g = featureGeometry();
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
  osg::ref_ptr<osg::Geometry> g = featureGeometry();
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  for (const Vec3d& p : pts) vertices->push_back(toVec3(p));
  g->setVertexArray(vertices.get());
  g->addPrimitiveSet(new osg::DrawArrays(closed ? GL_LINE_LOOP : GL_LINE_STRIP, 0, static_cast<GLsizei>(pts.size())));
  osg::ref_ptr<osg::Vec4Array> colors = new osg::Vec4Array(1);
  (*colors)[0] = color;
  g->setColorArray(colors.get(), osg::Array::BIND_OVERALL);
  return g;
}

// A line as a flat ribbon `width` metres wide (mitred joins, miters capped at 3x the half width), so that the
// width scales with the map like the real road or river it draws.
osg::ref_ptr<osg::Geometry> ribbon(const std::vector<Vec3d>& pts, double width, const osg::Vec4& color) {
  osg::ref_ptr<osg::Geometry> g = featureGeometry();
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  const double half = width / 2.0;
  const std::size_t n = pts.size();
  auto normalOf = [&pts](std::size_t a, std::size_t b) {
    const double dx = pts[b].x - pts[a].x;
    const double dy = pts[b].y - pts[a].y;
    const double len = std::hypot(dx, dy);
    return len > 0 ? osg::Vec2d(-dy / len, dx / len) : osg::Vec2d(0, 0);
  };
  for (std::size_t i = 0; i < n; ++i) {
    osg::Vec2d normal;
    if (i == 0) {
      normal = normalOf(0, 1);
    } else if (i == n - 1) {
      normal = normalOf(n - 2, n - 1);
    } else {
      const osg::Vec2d a = normalOf(i - 1, i);
      const osg::Vec2d b = normalOf(i, i + 1);
      osg::Vec2d m = a + b;
      const double len = m.length();
      m = len > 1e-9 ? m / len : a;
      const double cosHalf = m * a;
      normal = m * std::min(1.0 / std::max(cosHalf, 1e-3), 3.0);
    }
    const Vec3d& p = pts[i];
    vertices->push_back(osg::Vec3(static_cast<float>(p.x + normal.x() * half), static_cast<float>(p.y + normal.y() * half),
                                  static_cast<float>(p.z)));
    vertices->push_back(osg::Vec3(static_cast<float>(p.x - normal.x() * half), static_cast<float>(p.y - normal.y() * half),
                                  static_cast<float>(p.z)));
  }
  g->setVertexArray(vertices.get());
  g->addPrimitiveSet(new osg::DrawArrays(GL_TRIANGLE_STRIP, 0, static_cast<GLsizei>(vertices->size())));
  osg::ref_ptr<osg::Vec4Array> colors = new osg::Vec4Array(1);
  (*colors)[0] = color;
  g->setColorArray(colors.get(), osg::Array::BIND_OVERALL);
  return g;
}

void setColor(osg::Geode& geode, const osg::Vec4& color) {
  for (unsigned i = 0; i < geode.getNumDrawables(); ++i) {
    osg::Geometry* g = geode.getDrawable(i)->asGeometry();
    if (g == nullptr) continue;
    auto* colors = dynamic_cast<osg::Vec4Array*>(g->getColorArray());
    if (colors == nullptr || colors->empty() || (*colors)[0] == color) continue;  // unchanged: no upload
    (*colors)[0] = color;
    colors->dirty();
  }
}

std::optional<Rgba> colorOf(const osg::Geode* geode) {
  if (geode == nullptr || geode->getNumDrawables() == 0) return std::nullopt;
  const osg::Geometry* g = geode->getDrawable(0)->asGeometry();
  const auto* colors = g != nullptr ? dynamic_cast<const osg::Vec4Array*>(g->getColorArray()) : nullptr;
  if (colors == nullptr || colors->empty()) return std::nullopt;
  const osg::Vec4& c = (*colors)[0];
  return Rgba{c.r(), c.g(), c.b(), c.a()};
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
  auto rule = ColorRule::fromConfig(config_.id, config_.style);
  if (!rule) return rule.status();
  rule_ = *rule;
  if (!features_ || features_->features.empty()) {
    return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' has no features");
  }
  for (const std::string& w : features_->warnings) addWarning(w);

  osg::ref_ptr<osg::Group> fills = new osg::Group;
  fills->setName("fills");
  osg::ref_ptr<osg::Group> strokes = new osg::Group;
  strokes->setName("strokes");
  osg::ref_ptr<osg::Group> lines = new osg::Group;
  lines->setName("lines");
  osg::ref_ptr<osg::Group> points = new osg::Group;
  points->setName("points");
  const osg::Vec4 outlineColor = toVec4(outline_);
  const double ribbonWidth = config_.style.lineWidthM;
  // On terrain: lines and rings split at the terrain mesh's edges and laid on it (see the header); else as given.
  const HeightField* ground = ground_.get();
  auto onGround = [ground](const std::vector<Vec3d>& pts, bool closed) {
    return ground != nullptr ? ground->drape(pts, closed, kGroundOffsetM) : pts;
  };

  std::vector<EntityIndex> slotEntities;
  slotEntities.reserve(features_->features.size());
  for (const Feature& feature : features_->features) slotEntities.push_back(feature.entity);
  assignEntities(std::move(slotEntities));  // entities known now, or assigned later by the loader's owner

  slotGeodes_.assign(features_->features.size(), SlotGeodes{});
  for (const Feature& feature : features_->features) {
    const auto slot = static_cast<unsigned int>(&feature - features_->features.data());
    auto makeGeode = [&](osg::Group* parent) {
      osg::ref_ptr<osg::Geode> geode = new osg::Geode;
      geode->setName(feature.id);
      geode->setUserValue(kSlotUserValue, slot);
      parent->addChild(geode.get());
      return geode;
    };
    // The feature's colour from the style rule (its class), grey-ish "no data" when the attribute is unusable.
    const osg::Vec4 fillColor = toVec4(rule_->colorOf(feature.properties, kNoDataColor));
    if (!feature.geometry.polygons.empty()) {
      hasPolygons_ = true;
      osg::ref_ptr<osg::Geode> fillGeode = makeGeode(fills.get());
      osg::ref_ptr<osg::Geode> strokeGeode = makeGeode(strokes.get());
      slotGeodes_[slot].fill = fillGeode.get();
      slotGeodes_[slot].stroke = strokeGeode.get();
      for (const Polygon& given : feature.geometry.polygons) {
        Polygon polygon;
        for (const auto& ring : given.rings) polygon.rings.push_back(onGround(ring, true));
        fillGeode->addDrawable(polygonFill(polygon, fillColor, ground != nullptr).get());
        for (const auto& ring : polygon.rings) strokeGeode->addDrawable(polyline(ring, true, outlineColor).get());
      }
    }
    if (!feature.geometry.lines.empty()) {
      hasLines_ = true;
      osg::ref_ptr<osg::Geode> lineGeode = makeGeode(lines.get());
      slotGeodes_[slot].line = lineGeode.get();
      // A line feature is drawn in its fill colour (its "ink"); the outline colour is for polygon edges.
      for (const auto& line : feature.geometry.lines) {
        const std::vector<Vec3d> laid = onGround(line, false);
        lineGeode->addDrawable(ribbonWidth > 0 ? ribbon(laid, ribbonWidth, fillColor).get()
                                               : polyline(laid, false, fillColor).get());
      }
    }
    if (!feature.geometry.points.empty()) {
      hasPoints_ = true;
      osg::ref_ptr<osg::Geode> pointGeode = makeGeode(points.get());
      slotGeodes_[slot].point = pointGeode.get();
      osg::ref_ptr<osg::Geometry> g = featureGeometry();
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
      // A point has a zero-radius bound: OSG's small-feature culling (< 2 px) would drop it at every distance.
      g->setCullingActive(false);
      pointGeode->setCullingActive(false);
      pointGeode->addDrawable(g.get());
    }
  }
  lineWidth_ = new osg::LineWidth(static_cast<float>(config_.style.lineWidthPx));
  pointSize_ = new osg::Point(static_cast<float>(config_.style.pointSizePx));
  strokes->getOrCreateStateSet()->setAttributeAndModes(lineWidth_.get());
  lines->getOrCreateStateSet()->setAttributeAndModes(lineWidth_.get());
  points->getOrCreateStateSet()->setAttributeAndModes(pointSize_.get());
  if (ground != nullptr) {
    // Strokes and points lie on the terrain surface: depth-test them against it (hidden behind hills), pulled a
    // little towards the eye so they win against the surface they lie on. Fills keep the layer's "always on top".
    osg::ref_ptr<osg::Depth> onSurface = new osg::Depth(osg::Depth::LEQUAL, 0.0, 1.0 - kGroundDepthBias, false);
    strokes->getOrCreateStateSet()->setAttributeAndModes(onSurface.get());
    lines->getOrCreateStateSet()->setAttributeAndModes(onSurface.get());
    points->getOrCreateStateSet()->setAttributeAndModes(onSurface.get());
  }
  for (osg::Group* g : {fills.get(), strokes.get(), lines.get(), points.get()}) {
    if (g->getNumChildren() > 0) node()->addChild(g);
  }
  return Status::ok();
}

void VectorLayer::applyRenderBins() {
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    osg::Node* child = node()->getChild(i);
    const std::string& name = child->getName();
    const int offset = name == "fills" ? 0 : name == "strokes" ? 1 : name == "lines" ? 2 : 3;
    child->getOrCreateStateSet()->setRenderBinDetails(renderBinBase() + offset, "RenderBin");
  }
}

Status VectorLayer::applyShownSlots() {
  for (std::uint32_t slot = 0; slot < slotGeodes_.size(); ++slot) {
    const unsigned int mask = slotShown(slot) ? ~0u : 0u;
    const SlotGeodes& g = slotGeodes_[slot];
    for (osg::Geode* geode : {g.fill, g.stroke, g.line, g.point}) {
      if (geode != nullptr) geode->setNodeMask(mask);
    }
  }
  return Status::ok();
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
  if (!rule_) return {};
  const LegendEntry::Shape shape = hasPolygons_ ? LegendEntry::Shape::Fill
                                   : hasLines_  ? LegendEntry::Shape::Line
                                                : LegendEntry::Shape::Point;
  const ColorRule& rule = liveRule_ ? *liveRule_ : *rule_;
  std::vector<LegendEntry> rows = rule.legend(config_.nameEn, config_.nameZh, shape);
  if (liveRule_) {
    for (LegendEntry& e : liveStateLegend(shape)) rows.push_back(std::move(e));
  }
  return rows;
}

Status VectorLayer::restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) {
  if (state() != LayerState::Open) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' is not open");
  auto rule = ColorRule::fromConfig(config_.id, style);
  if (!rule) return rule.status();
  auto outline = parseColor(style.outlineColor);
  if (!outline) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' outline_color: " + outline.status().message());
  if (style.lineWidthM != config_.style.lineWidthM) {
    return Status(ErrorCode::Unsupported, "changing line_width_m rebuilds the layer: reload it instead");
  }
  rule_ = *rule;
  outline_ = *outline;
  fill_ = rule_->palette().front();
  // Back to static colours; a twin showing live values pushes them again on its next frame.
  liveRule_.reset();
  liveStates_.clear();
  applyStaticColors(properties);
  lineWidth_->setWidth(static_cast<float>(style.lineWidthPx));
  pointSize_->setSize(static_cast<float>(style.pointSizePx));
  config_.style = style;
  return Status::ok();
}

void VectorLayer::applyStaticColors(const PropertyLookup& properties) {
  static const PropertyMap kNone;
  // Colours live in each feature's colour array: rewrite them in place, no geometry is rebuilt.
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    osg::Group* group = node()->getChild(i)->asGroup();
    if (group == nullptr) continue;
    const bool outlines = group->getName() == "strokes";
    for (unsigned k = 0; k < group->getNumChildren(); ++k) {
      auto* geode = dynamic_cast<osg::Geode*>(group->getChild(k));
      unsigned int slot = 0;
      if (geode == nullptr || !geode->getUserValue(kSlotUserValue, slot)) continue;
      const PropertyMap* props = properties ? properties(slot) : nullptr;
      setColor(*geode, outlines ? toVec4(outline_) : toVec4(rule_->colorOf(props != nullptr ? *props : kNone, kNoDataColor)));
    }
  }
}

void VectorLayer::setLiveValues(const ColorRule& rule, std::span<const float> values, std::span<const SlotState> states) {
  if (state() != LayerState::Open) return;
  liveRule_ = rule;
  liveStates_.assign(slotGeodes_.size(), SlotState::NoData);
  const bool numeric = rule.mode() == ColorRule::Mode::Graduated;
  for (std::size_t s = 0; s < slotGeodes_.size(); ++s) {
    const float value = s < values.size() ? values[s] : std::numeric_limits<float>::quiet_NaN();
    SlotState st = s < states.size() ? states[s] : SlotState::Live;
    if (std::isnan(value)) st = SlotState::NoData;
    liveStates_[s] = st;
    Rgba fill = kNoDataColor;
    if (st != SlotState::NoData) {
      const int c = numeric ? rule.classOfNumber(value) : 0;
      fill = rule.palette()[static_cast<std::size_t>(std::clamp<int>(c, 0, static_cast<int>(rule.palette().size()) - 1))];
      if (st == SlotState::Stale) {
        fill = staleColor(fill);
        fill[3] *= kStaleAlpha;
      }
    }
    const SlotGeodes& g = slotGeodes_[s];
    for (osg::Geode* geode : {g.fill, g.line, g.point}) {
      if (geode != nullptr) setColor(*geode, toVec4(fill));
    }
    if (g.stroke != nullptr) setColor(*g.stroke, toVec4(st == SlotState::Stale ? kStaleOutline : outline_));
  }
}

void VectorLayer::showStaticStyle() {
  if (!liveRule_) return;
  liveRule_.reset();
  liveStates_.clear();
  applyStaticColors({});
}

SlotState VectorLayer::slotState(std::uint32_t slot) const {
  if (slot >= slotGeodes_.size()) return SlotState::NoData;
  if (liveRule_) return liveStates_[slot];
  const auto c = drawnColor(slot);
  return c && *c == kNoDataColor ? SlotState::NoData : SlotState::Live;
}

std::optional<Rgba> VectorLayer::drawnColor(std::uint32_t slot) const {
  if (slot >= slotGeodes_.size()) return std::nullopt;
  const SlotGeodes& g = slotGeodes_[slot];
  for (const osg::Geode* geode : {g.fill, g.line, g.point}) {
    if (auto c = colorOf(geode)) return c;
  }
  return std::nullopt;
}

}  // namespace gt::layers
