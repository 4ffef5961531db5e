#include "greentwin/layers/vehicle_layer.hpp"

#include <osg/Depth>
#include <osg/Geode>
#include <osg/PointSprite>
#include <osg/Uniform>
#include <osgUtil/CullVisitor>
#include <osg/Vec4d>

#include <algorithm>
#include <cmath>

#include "shader_program.hpp"

namespace gt::layers {
namespace {

// GLSL 1.20 (compatibility profile). A round marker from the point sprite's coordinates: the fill colour (live
// class, stale grey) per vertex, and a rim whose colour and width come per vertex in the secondary colour (rgb; a:
// where the rim starts, in squared radius) — dark and thin for every marker (readable over any ground colour),
// bright and wide for the selected and hovered ones, whose class colour stays readable.
// A marker is a screen-sized sprite with ONE depth, its centre's: on a pitched view the ground under its lower half
// is nearer the eye than the centre and would hide that half. So the vertex moves towards the eye by two
// times the marker's radius at its distance (pixels -> metres through the projection and the viewport height, set
// per camera by a cull callback): the ground around it no longer hides it (for views pitched down more than ~27
// degrees), while a building well in front still does.
constexpr const char* kVertexShader = R"(#version 120
uniform float gt_marker_radius_px;
uniform float gt_viewport_height;
varying vec4 vColor;
varying vec4 vRim;
void main() {
  vec4 eye = gl_ModelViewMatrix * gl_Vertex;
  // A pixel's size per metre of distance; the pull is a fraction of the distance, which keeps the screen position.
  float pixelPerDistance = 2.0 / (gl_ProjectionMatrix[1][1] * max(gt_viewport_height, 1.0));
  float pull = clamp(2.0 * gt_marker_radius_px * pixelPerDistance, 0.0, 0.5);
  eye.xyz *= 1.0 - pull;
  gl_Position = gl_ProjectionMatrix * eye;
  vColor = gl_Color;
  vRim = gl_SecondaryColor;
}
)";

constexpr const char* kFragmentShader = R"(#version 120
uniform float gt_opacity;
varying vec4 vColor;
varying vec4 vRim;
void main() {
  vec2 d = gl_PointCoord * 2.0 - 1.0;
  float r2 = dot(d, d);
  if (r2 > 1.0) discard;
  bool rim = r2 > vRim.a;
  vec3 rgb = rim ? vRim.rgb : vColor.rgb;
  gl_FragColor = vec4(rgb, (rim ? max(vColor.a, 0.8) : vColor.a) * gt_opacity);
}
)";

osg::Program* vehicleProgram() {
  static osg::ref_ptr<osg::Program> program = detail::makeProgram("gt_vehicles", kVertexShader, kFragmentShader);
  return program.get();
}

// Drawn after every 3D layer (those use 10000 + order), so markers are depth-tested against buildings.
constexpr int kVehicleBinBase = 20000;
// Window-depth bias so a marker on the terrain wins against the surface it sits on (as VectorLayer's points).
constexpr double kDepthBias = 2e-6;

osg::Vec4 toVec4(const Rgba& c) { return {c[0], c[1], c[2], c[3]}; }

// Cull traversal: the height of the viewport being drawn, for the vertex shader's pixels -> metres.
class ViewportHeightCallback : public osg::NodeCallback {
 public:
  explicit ViewportHeightCallback(osg::Uniform* uniform) : uniform_(uniform) {}
  void operator()(osg::Node* node, osg::NodeVisitor* nv) override {
    if (auto* cv = nv->asCullVisitor(); cv != nullptr && cv->getViewport() != nullptr) {
      uniform_->set(static_cast<float>(cv->getViewport()->height()));
    }
    traverse(node, nv);
  }

 private:
  osg::ref_ptr<osg::Uniform> uniform_;
};

// Rims (secondary colour): rgb, and the squared radius where the rim starts.
const osg::Vec4 kRim(0.08f, 0.09f, 0.11f, 0.5f);
// White, not the selection gold of other layers: a gold rim would read as the yellow class of a speed scale.
const osg::Vec4 kSelectedRim(1.0f, 1.0f, 1.0f, 0.3f);
const osg::Vec4 kHoveredRim(0.85f, 0.85f, 0.85f, 0.45f);

}  // namespace

VehicleLayer::VehicleLayer(LayerConfig config, std::shared_ptr<const HeightField> ground)
    : Layer(std::move(config)), ground_(std::move(ground)) {}

Status VehicleLayer::openImpl() {
  const VehiclesOptions& vc = vehiclesOptions(config_);
  const std::string where = "vehicles layer '" + config_.id + "'";
  if (vc.prefix.empty()) return Status(ErrorCode::InvalidArgument, where + " needs [layers.vehicles] prefix");
  if (vc.position != "xy" && vc.position != "lonlat") {
    return Status(ErrorCode::InvalidArgument, where + ": position '" + vc.position + "' is not xy or lonlat");
  }
  const bool lonLat = vc.position == "lonlat";
  if ((lonLat ? vc.lonAttribute : vc.xAttribute).empty() || (lonLat ? vc.latAttribute : vc.yAttribute).empty()) {
    return Status(ErrorCode::InvalidArgument, where + ": an empty position attribute name");
  }
  auto rule = ColorRule::fromConfig(config_.id, config_.style);
  if (!rule) return rule.status();
  if (rule->mode() == ColorRule::Mode::Categorical) {
    return Status(ErrorCode::InvalidArgument,
                  where + ": vehicles are coloured by a live number: color_mode \"single\" or \"graduated\"");
  }
  rule_ = *rule;

  vertices_ = new osg::Vec3Array;
  colors_ = new osg::Vec4Array;
  rims_ = new osg::Vec4Array;
  vertices_->setDataVariance(osg::Object::DYNAMIC);
  colors_->setDataVariance(osg::Object::DYNAMIC);
  rims_->setDataVariance(osg::Object::DYNAMIC);
  points_ = new osg::DrawArrays(GL_POINTS, 0, 0);
  geometry_ = new osg::Geometry;
  geometry_->setName(config_.id + ":markers");
  geometry_->setDataVariance(osg::Object::DYNAMIC);
  geometry_->setUseVertexBufferObjects(true);
  geometry_->setVertexArray(vertices_.get());
  geometry_->setColorArray(colors_.get(), osg::Array::BIND_PER_VERTEX);
  geometry_->setSecondaryColorArray(rims_.get(), osg::Array::BIND_PER_VERTEX);
  geometry_->addPrimitiveSet(points_.get());
  // Points have zero-radius bounds and move every frame: OSG's small-feature culling (< 2 px) would drop them.
  geometry_->setCullingActive(false);

  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->setName("markers");
  geode->setCullingActive(false);
  geode->addDrawable(geometry_.get());
  osg::StateSet* ss = geode->getOrCreateStateSet();
  ss->setAttributeAndModes(vehicleProgram(), osg::StateAttribute::ON);
  pointSize_ = new osg::Point(static_cast<float>(config_.style.pointSizePx));
  ss->setAttributeAndModes(pointSize_.get());
  ss->setTextureAttributeAndModes(0, new osg::PointSprite, osg::StateAttribute::ON);
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::LEQUAL, 0.0, 1.0 - kDepthBias, false));
  radiusUniform_ = new osg::Uniform("gt_marker_radius_px", static_cast<float>(config_.style.pointSizePx / 2.0));
  ss->addUniform(radiusUniform_.get());
  osg::ref_ptr<osg::Uniform> viewportHeight = new osg::Uniform("gt_viewport_height", 720.0f);
  viewportHeight->setDataVariance(osg::Object::DYNAMIC);
  ss->addUniform(viewportHeight.get());
  geode->setCullCallback(new ViewportHeightCallback(viewportHeight.get()));
  node()->addChild(geode.get());
  return Status::ok();
}

void VehicleLayer::applyRenderBins() {
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    node()->getChild(i)->getOrCreateStateSet()->setRenderBinDetails(kVehicleBinBase + order(), "RenderBin");
  }
}

std::vector<std::string> VehicleLayer::attributeNames() const {
  const VehiclesOptions& vc = vehiclesOptions(config_);
  std::vector<std::string> names;
  if (vc.position == "lonlat") {
    names = {vc.lonAttribute, vc.latAttribute};
  } else {
    names = {vc.xAttribute, vc.yAttribute};
  }
  if (config_.style.colorMode == "graduated" && !config_.style.colorBy.empty()) names.push_back(config_.style.colorBy);
  return names;
}

Status VehicleLayer::bindAttributes(AttributeRegistry& registry) {
  const std::vector<std::string> names = attributeNames();
  std::vector<AttributeId> ids;
  for (const std::string& name : names) {
    auto id = registry.intern(name);
    if (!id) return Status(id.status().code(), "vehicles layer '" + config_.id + "': attribute '" + name + "': " +
                                                   id.status().message());
    ids.push_back(*id);
  }
  first_ = ids.at(0);
  second_ = ids.at(1);
  color_ = ids.size() > 2 ? ids[2] : kInvalidAttribute;
  bound_ = true;
  return Status::ok();
}

std::uint32_t VehicleLayer::addVehicle(EntityIndex entity) {
  const std::uint32_t slot = appendSlot(entity);
  vehicles_.resize(slotCount());
  return slot;
}

EntityClaim VehicleLayer::entityClaim() const {
  const VehiclesOptions& vc = vehiclesOptions(config_);
  PropertyMap properties{{"layer", config_.id}};
  if (config_.synthetic) properties.emplace("synthetic", true);
  return EntityClaim{config_.id, vc.prefix, vc.kind, static_cast<std::size_t>(vc.maxEntities), std::move(properties)};
}

void VehicleLayer::noteRefused() {
  if (refusedNoted_) return;
  refusedNoted_ = true;
  addWarning("max_entities " + std::to_string(vehiclesOptions(config_).maxEntities) + " reached: new ids under '" +
             vehiclesOptions(config_).prefix + "' are refused (their updates are dropped; counts in the log)");
}

namespace {

// Degrees -> scene metres through the frame's geo frame (position = "lonlat"); nullopt when it cannot.
std::optional<Vec3d> lonLatToScene(const FrameContext& ctx, double lon, double lat) {
  if (ctx.geo == nullptr) return std::nullopt;
  auto p = ctx.geo->lonLatToLocal(lon, lat);
  if (!p) return std::nullopt;
  return *p;
}

}  // namespace

void VehicleLayer::updateImpl(const LayerFrame& frame, bool /*invalidated*/) {
  if (!bound_) return;
  const FrameContext& ctx = frame.context;
  const TimePoint t = ctx.time;
  const bool lonLat = vehiclesOptions(config_).position == "lonlat";
  const bool graduated = rule_->mode() == ColorRule::Mode::Graduated && color_ != kInvalidAttribute;
  const Rgba single = rule_->palette().front();
  vehicles_.resize(slotCount());
  for (std::uint32_t s = 0; s < vehicles_.size(); ++s) {
    Drawn& v = vehicles_[s];
    v = Drawn{};
    const EntityIndex e = entityOfSlot(s);
    if (e == kInvalidEntity) continue;
    const auto a = ctx.sample(e, first_, Interpolation::Linear);
    const auto b = ctx.sample(e, second_, Interpolation::Linear);
    if (!a || !b || a->sampleTime == kNoTime || b->sampleTime == kNoTime || !std::isfinite(a->value) ||
        !std::isfinite(b->value)) {
      continue;  // no position at or before t: nothing to draw
    }
    Vec3d p{a->value, b->value, 0.0};
    if (lonLat) {
      const auto projected = lonLatToScene(ctx, a->value, b->value);
      if (!projected) continue;
      p = *projected;
    }
    p.z = (ground_ ? ground_->heightAt(p.x, p.y, 0.0) : 0.0) + kGroundOffsetM;
    v.position = p;
    v.sampleTime = std::min(a->sampleTime, b->sampleTime);
    v.state = t - v.sampleTime <= ctx.stale->staleAfter(e) ? SlotState::Live : SlotState::Stale;
    Rgba c = single;
    if (graduated) {
      const auto value = ctx.sample(e, color_, Interpolation::Step);
      if (value && value->sampleTime != kNoTime && std::isfinite(value->value)) {
        const int k = rule_->classOfNumber(value->value);
        c = rule_->palette()[static_cast<std::size_t>(std::clamp<int>(k, 0, static_cast<int>(rule_->palette().size()) - 1))];
      } else {
        c = kNoDataColor;
      }
    }
    if (v.state == SlotState::Stale) {
      c = staleColor(c);
      c[3] *= kStaleAlpha;
    }
    v.color = c;
  }
  writeArrays();
}

// Rewrites the vertex and colour arrays from vehicles_: stale first, then live, then hovered and selected on top.
// Arrays are marked dirty (re-uploaded) only when something changed.
void VehicleLayer::writeArrays() {
  if (!geometry_) return;
  std::vector<std::uint32_t> order;
  order.reserve(vehicles_.size());
  std::optional<std::uint32_t> hoveredSlot = hovered_ ? slotOfEntity(*hovered_) : std::nullopt;
  std::optional<std::uint32_t> selectedSlot = selected_ ? slotOfEntity(*selected_) : std::nullopt;
  for (SlotState pass : {SlotState::Stale, SlotState::Live}) {
    for (std::uint32_t s = 0; s < vehicles_.size(); ++s) {
      if (vehicles_[s].state == pass && s != hoveredSlot && s != selectedSlot) order.push_back(s);
    }
  }
  for (const auto& s : {hoveredSlot, selectedSlot}) {
    if (!s || *s >= vehicles_.size() || vehicles_[*s].state == SlotState::NoData) continue;
    if (std::find(order.begin(), order.end(), *s) == order.end()) order.push_back(*s);
  }
  std::vector<osg::Vec3> next(order.size());
  std::vector<osg::Vec4> nextColors(order.size());
  std::vector<osg::Vec4> nextRims(order.size());
  for (std::size_t i = 0; i < order.size(); ++i) {
    const Drawn& v = vehicles_[order[i]];
    next[i] = osg::Vec3(static_cast<float>(v.position.x), static_cast<float>(v.position.y),
                        static_cast<float>(v.position.z));
    nextColors[i] = toVec4(v.color);
    nextRims[i] = order[i] == selectedSlot ? kSelectedRim : order[i] == hoveredSlot ? kHoveredRim : kRim;
  }
  drawOrder_ = std::move(order);
  const bool samePositions = next.size() == vertices_->size() && std::equal(next.begin(), next.end(), vertices_->begin());
  const bool sameColors = nextColors.size() == colors_->size() && std::equal(nextColors.begin(), nextColors.end(), colors_->begin());
  if (!samePositions) {
    vertices_->assign(next.begin(), next.end());
    vertices_->dirty();
    geometry_->dirtyBound();
  }
  if (!sameColors) {
    colors_->assign(nextColors.begin(), nextColors.end());
    colors_->dirty();
  }
  if (!(nextRims.size() == rims_->size() && std::equal(nextRims.begin(), nextRims.end(), rims_->begin()))) {
    rims_->assign(nextRims.begin(), nextRims.end());
    rims_->dirty();
  }
  if (points_->getCount() != static_cast<GLsizei>(drawOrder_.size())) {
    points_->setCount(static_cast<GLsizei>(drawOrder_.size()));
    points_->dirty();
  }
}

std::optional<VehicleLayer::Drawn> VehicleLayer::drawn(std::uint32_t slot) const {
  if (slot >= vehicles_.size()) return std::nullopt;
  return vehicles_[slot];
}

SlotState VehicleLayer::slotState(std::uint32_t slot) const {
  return slot < vehicles_.size() ? vehicles_[slot].state : SlotState::NoData;
}

std::vector<LegendEntry> VehicleLayer::legend() const {
  if (!rule_) return {};
  std::vector<LegendEntry> rows = rule_->legend(config_.nameEn, config_.nameZh, LegendEntry::Shape::Point);
  for (LegendEntry& e : liveStateLegend(LegendEntry::Shape::Point)) rows.push_back(std::move(e));
  return rows;
}

Status VehicleLayer::restyleImpl(const LayerStyleConfig& style, const PropertyLookup& /*properties*/) {
  if (state() != LayerState::Open) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' is not open");
  auto rule = ColorRule::fromConfig(config_.id, style);
  if (!rule) return rule.status();
  if (rule->mode() == ColorRule::Mode::Categorical) {
    return Status(ErrorCode::InvalidArgument, "vehicles layer '" + config_.id +
                                                  "': vehicles are coloured by a live number: single or graduated");
  }
  if (rule->mode() == ColorRule::Mode::Graduated && style.colorBy != config_.style.colorBy) {
    return Status(ErrorCode::Unsupported, "changing color_by of a vehicles layer: reload it instead");
  }
  rule_ = *rule;
  pointSize_->setSize(static_cast<float>(style.pointSizePx));
  radiusUniform_->set(static_cast<float>(style.pointSizePx / 2.0));
  config_.style = style;
  return Status::ok();  // the owner's next update() draws with the new rule
}

std::optional<EntityIndex> VehicleLayer::entityNearWindowPoint(const osg::Matrixd& worldToWindow, double x,
                                                               double y) const {
  // A marker covers its point size; a few pixels more make a small marker easy to hit.
  const double radius = pointSize_ ? pointSize_->getSize() / 2.0 + 3.0 : 8.0;
  std::optional<EntityIndex> best;
  double bestDistance = radius;
  // Topmost (last drawn) first: on a tie the marker on top wins.
  for (auto it = drawOrder_.rbegin(); it != drawOrder_.rend(); ++it) {
    const Drawn& v = vehicles_[*it];
    const osg::Vec4d w = osg::Vec4d(v.position.x, v.position.y, v.position.z, 1.0) * worldToWindow;
    if (w.w() <= 0.0) continue;  // behind the eye
    const double d = std::hypot(w.x() / w.w() - x, w.y() / w.w() - y);
    const double z = w.z() / w.w();
    if (z < 0.0 || z > 1.0 || d > bestDistance) continue;
    if (!best || d < bestDistance) {
      best = entityOfSlot(*it);
      bestDistance = d;
    }
  }
  return best;
}

void VehicleLayer::setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) {
  if (selected == selected_ && hovered == hovered_) return;
  selected_ = selected;
  hovered_ = hovered;
  writeArrays();
}

// ---- [layers.vehicles] ----------------------------------------------------------------------------------------

LayerOptionsParser vehiclesOptionsParser() {
  static constexpr std::string_view kKeys[]{"prefix",      "kind",        "max_entities",  "position",
                                            "x_attribute", "y_attribute", "lon_attribute", "lat_attribute"};
  static constexpr std::string_view kPositions[]{"xy", "lonlat"};
  return {{"vehicles"}, [](const ConfigTable& layer, bool ofThisType) -> std::shared_ptr<const LayerOptions> {
            auto v = std::make_shared<VehiclesOptions>();
            if (const auto vehicles = layer.table("vehicles")) {
              vehicles->checkKeys(kKeys);
              v->line = vehicles->line();
              vehicles->readString("prefix", v->prefix);
              vehicles->readString("kind", v->kind);
              vehicles->readInt("max_entities", v->maxEntities, 1, 1'000'000);
              vehicles->readString("position", v->position, kPositions);
              vehicles->readString("x_attribute", v->xAttribute);
              vehicles->readString("y_attribute", v->yAttribute);
              vehicles->readString("lon_attribute", v->lonAttribute);
              vehicles->readString("lat_attribute", v->latAttribute);
            }
            if (ofThisType && v->prefix.empty()) {
              const std::string& path = layer.path();
              layer.error(ErrorCode::InvalidArgument, "'" + path + "' (type \"vehicles\") needs '" + path +
                                                          ".vehicles.prefix', the entity id prefix it owns");
            }
            return v;
          }};
}

}  // namespace gt::layers
