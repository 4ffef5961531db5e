#include "greentwin/layers/bim_layer.hpp"

#include <osg/ComputeBoundsVisitor>
#include <osg/Depth>
#include <osg/NodeVisitor>
#include <osg/Program>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>
#include <numeric>
#include <unordered_map>

#include "eye_recorder.hpp"
#include "shader_program.hpp"

namespace gt::layers {
namespace {

// GLSL 1.30 (compatibility profile). The model's own colours (one overall colour per geometry), a headlight
// shading (IFC meshes carry normals of either orientation, so both sides are lit alike), then the element's
// colour override (gt_elementColor: rgb + mix amount) and the selection highlight.
constexpr const char* kVertexShader = R"(#version 130
out vec4 vColor;
out float vShade;
void main() {
  gl_Position = ftransform();
  vColor = gl_Color;
  vec3 n = normalize(gl_NormalMatrix * gl_Normal);
  vShade = 0.55 + 0.45 * abs(dot(n, normalize(vec3(0.35, 0.55, 0.75))));
}
)";

constexpr const char* kFragmentShader = R"(#version 130
in vec4 vColor;
in float vShade;
uniform vec4 gt_elementColor;
uniform vec4 gt_highlight;
uniform float gt_opacity;
out vec4 fragColor;
void main() {
  vec3 rgb = mix(vColor.rgb, gt_elementColor.rgb, gt_elementColor.a) * vShade;
  rgb = mix(rgb, gt_highlight.rgb, gt_highlight.a);
  fragColor = vec4(rgb, max(vColor.a, gt_elementColor.a) * gt_opacity);
}
)";

osg::Program* bimProgram() {
  static osg::ref_ptr<osg::Program> program = [] {
    osg::ref_ptr<osg::Program> p = detail::makeProgram("gt_bim", kVertexShader, kFragmentShader);
    p->addBindFragDataLocation("fragColor", 0);
    return p;
  }();
  return program.get();
}

// The storey transforms and element Geodes of an imported scene file, by name (docs/bim.md "Scene file").
class SceneIndex : public osg::NodeVisitor {
 public:
  SceneIndex() : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN) {}
  void apply(osg::MatrixTransform& transform) override {
    const std::string& name = transform.getName();
    if (name.rfind("storey:", 0) == 0) storeys.emplace(name.substr(7), &transform);
    traverse(transform);
  }
  void apply(osg::Geode& geode) override {
    if (!geode.getName().empty()) geodes.emplace(geode.getName(), &geode);
  }
  std::unordered_map<std::string, osg::MatrixTransform*> storeys;
  std::unordered_multimap<std::string, osg::Geode*> geodes;
};

osg::Vec4 toVec4(const Rgba& c, float amount) { return {c[0], c[1], c[2], amount}; }

}  // namespace

BimLayer::BimLayer(LayerConfig config, std::shared_ptr<const FeatureSet> elements, std::shared_ptr<const BimScene> scene,
                   BimLayerOptions options, std::shared_ptr<const HeightField> ground)
    : Layer(std::move(config)),
      elements_(std::move(elements)),
      scene_(std::move(scene)),
      options_(options),
      ground_(std::move(ground)) {}

Status BimLayer::openImpl() {
  if (!scene_ || !scene_->model) {
    return Status(ErrorCode::InvalidArgument, "bim layer '" + config_.id + "' was given no model");
  }
  if (!elements_) return Status(ErrorCode::InvalidArgument, "bim layer '" + config_.id + "' was given no elements");
  const std::size_t count = elements_->features.size();
  if (scene_->elementGuids.size() != count || scene_->elementTypes.size() != count ||
      scene_->elementStoreys.size() != count) {
    return Status(ErrorCode::InvalidArgument,
                  "bim layer '" + config_.id + "': element tables do not match the element features");
  }
  for (const std::string& w : scene_->warnings) addWarning(w);

  // Index the scene file: storeys (in the spatial tree's order) and one Geode per element.
  SceneIndex index;
  scene_->model->accept(index);
  std::unordered_map<std::string, std::size_t> storeyByGuid;
  for (std::size_t n = 0; n < scene_->tree.size(); ++n) {
    const BimTreeNode& node = scene_->tree[n];
    if (node.ifcType != "IFCBUILDINGSTOREY") continue;
    Storey storey;
    storey.guid = node.guid;
    storey.name = node.name;
    storey.treeNode = n;
    if (auto it = index.storeys.find(node.guid); it != index.storeys.end()) {
      storey.transform = it->second;
      storey.transform->setDataVariance(osg::Object::DYNAMIC);
    }
    storeyByGuid.emplace(node.guid, storeys_.size());
    storeys_.push_back(std::move(storey));
  }
  geodes_.assign(count, nullptr);
  colorUniforms_.assign(count, nullptr);
  slotStorey_.assign(count, std::nullopt);
  std::size_t withoutGeometry = 0;
  for (std::uint32_t s = 0; s < count; ++s) {
    if (auto it = storeyByGuid.find(scene_->elementStoreys[s]); it != storeyByGuid.end()) slotStorey_[s] = it->second;
    auto it = index.geodes.find(scene_->elementGuids[s]);
    if (it == index.geodes.end()) {
      ++withoutGeometry;
      continue;
    }
    osg::Geode* geode = it->second;
    geode->setUserValue(kSlotUserValue, static_cast<unsigned int>(s));
    geodes_[s] = geode;
    colorUniforms_[s] = new osg::Uniform("gt_elementColor", osg::Vec4(0, 0, 0, 0));
    colorUniforms_[s]->setDataVariance(osg::Object::DYNAMIC);
    geode->getOrCreateStateSet()->addUniform(colorUniforms_[s].get());
    geode->setDataVariance(osg::Object::DYNAMIC);
  }
  if (withoutGeometry > 0) {
    addWarning(std::to_string(withoutGeometry) + " elements have no geometry in the scene file (tree only)");
  }

  // Placement, then the level of detail around the placed model's centre.
  placed_ = new osg::MatrixTransform(scene_->placement);
  placed_->setName("bim-placement:" + scene_->modelName);
  placed_->setDataVariance(osg::Object::DYNAMIC);  // moved live by setPlacement
  placed_->addChild(scene_->model.get());
  {
    osg::ComputeBoundsVisitor modelBox;  // model frame, storeys not yet exploded
    scene_->model->accept(modelBox);
    const osg::BoundingBox& b = modelBox.getBoundingBox();
    if (b.valid()) {
      modelBounds_.extend({b.xMin(), b.yMin(), b.zMin()});
      modelBounds_.extend({b.xMax(), b.yMax(), b.zMax()});
    }
  }
  lod_ = new osg::LOD;
  lod_->setName("bim-lod:" + scene_->modelName);
  lod_->setCenterMode(osg::LOD::USER_DEFINED_CENTER);
  lod_->addChild(placed_.get(), 0.0f,
                 options_.lodDistanceM > 0.0 ? static_cast<float>(options_.lodDistanceM) : std::numeric_limits<float>::max());
  if (Status placedOk = place(scene_->placement); !placedOk) return placedOk;

  osg::ref_ptr<osg::Group> content = new osg::Group;
  content->setName("bim");
  osg::StateSet* ss = content->getOrCreateStateSet();
  ss->setAttributeAndModes(bimProgram(), osg::StateAttribute::ON | osg::StateAttribute::OVERRIDE);
  ss->addUniform(new osg::Uniform("gt_elementColor", osg::Vec4(0, 0, 0, 0)));
  // Solid 3D like the buildings: depth tested and written; both faces (IFC solids are not consistently wound).
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::LEQUAL, 0.0, 1.0, true),
                           osg::StateAttribute::ON | osg::StateAttribute::OVERRIDE);
  ss->setMode(GL_CULL_FACE, osg::StateAttribute::OFF | osg::StateAttribute::OVERRIDE);
  eyeRecorder_ = new detail::EyeRecorder;  // where the eye was when the LOD was culled
  content->addCullCallback(eyeRecorder_.get());
  content->addChild(lod_.get());
  node()->addChild(content.get());

  // Static colouring from the element properties when the style colours by an attribute.
  if (config_.style.colorMode != "single" && !config_.style.colorBy.empty()) {
    auto rule = ColorRule::fromConfig(config_.id, config_.style);
    if (!rule) return rule.status();
    staticRule_ = *rule;
    staticClasses_.assign(count, std::nullopt);
    for (std::uint32_t s = 0; s < count; ++s) staticClasses_[s] = staticRule_->classOf(elements_->features[s].properties);
  }
  liveStates_.assign(count, SlotState::NoData);
  showStaticStyle();
  setExplodeGap(options_.explodeGapM);
  return Status::ok();
}

Status BimLayer::place(const osg::Matrixd& placement) {
  placement_ = placement;
  placementScale_ = placement.getScale().z();
  placed_->setMatrix(placement);
  osg::ComputeBoundsVisitor boundsVisitor;
  placed_->accept(boundsVisitor);
  osg::BoundingBox box = boundsVisitor.getBoundingBox();
  if (!box.valid()) return Status(ErrorCode::InvalidArgument, "bim layer '" + config_.id + "': the model has no geometry");
  if (ground_) {
    const double lift = ground_->heightAt(box.center().x(), box.center().y(), 0.0);
    placed_->setMatrix(placement * osg::Matrixd::translate(0.0, 0.0, lift));
    box._min.z() += static_cast<float>(lift);
    box._max.z() += static_cast<float>(lift);
  }
  sceneBounds_ = Bounds{};
  sceneBounds_.extend({box.xMin(), box.yMin(), box.zMin()});
  sceneBounds_.extend({box.xMax(), box.yMax(), box.zMax()});
  setLodCenter(sceneBounds_.center());
  lod_->setRadius(box.radius());
  return Status::ok();
}

void BimLayer::setPlacement(const osg::Matrixd& placement) {
  if (!placed_) return;
  if (Status s = place(placement); !s) return;  // no geometry: cannot happen after a successful open
  setExplodeGap(explodeGap_);  // the gap is in scene metres: follows a new scale
}

void BimLayer::assignStoreyEntities(std::vector<EntityIndex> entities) {
  storeyEntities_ = std::move(entities);
  storeyEntities_.resize(storeys_.size(), kInvalidEntity);
  invalidate();  // elements may now show their storeys' live values
}

std::optional<std::size_t> BimLayer::storeyOfEntity(EntityIndex entity) const {
  if (entity == kInvalidEntity) return std::nullopt;
  for (std::size_t k = 0; k < storeyEntities_.size(); ++k) {
    if (storeyEntities_[k] == entity) return k;
  }
  return std::nullopt;
}

EntityIndex BimLayer::containerEntityOfSlot(std::uint32_t slot) const {
  const auto storey = storeyOfSlot(slot);
  return storey ? storeyEntity(*storey) : kInvalidEntity;
}

void BimLayer::setLodCenter(const Vec3d& center) {
  lodCenter_ = center;
  if (lod_) {
    lod_->setCenter(osg::Vec3(static_cast<float>(center.x), static_cast<float>(center.y), static_cast<float>(center.z)));
  }
}

bool BimLayer::drawnFrom(const Vec3d& eye) const {
  if (options_.lodDistanceM <= 0.0) return true;
  const double dx = eye.x - lodCenter_.x, dy = eye.y - lodCenter_.y, dz = eye.z - lodCenter_.z;
  return std::sqrt(dx * dx + dy * dy + dz * dz) < options_.lodDistanceM;
}

void BimLayer::setStoreyVisible(std::size_t storey, bool visible) {
  if (storey >= storeys_.size()) return;
  storeys_[storey].visible = visible;
  applyVisibility();
}

void BimLayer::isolateStorey(std::optional<std::size_t> storey) {
  isolated_ = storey && *storey < storeys_.size() ? storey : std::nullopt;
  applyVisibility();
}

void BimLayer::setTypeVisible(const std::string& ifcType, bool visible) {
  if (visible) {
    hiddenTypes_.erase(ifcType);
  } else {
    hiddenTypes_.insert(ifcType);
  }
  applyVisibility();
}

void BimLayer::applyVisibility() {
  for (std::size_t k = 0; k < storeys_.size(); ++k) {
    const Storey& s = storeys_[k];
    if (!s.transform) continue;
    const bool shown = isolated_ ? *isolated_ == k : s.visible;
    s.transform->setNodeMask(shown ? ~0u : 0u);
  }
  for (std::uint32_t slot = 0; slot < geodes_.size(); ++slot) {
    if (geodes_[slot]) geodes_[slot]->setNodeMask(typeVisible(scene_->elementTypes[slot]) ? ~0u : 0u);
  }
}

bool BimLayer::elementShown(std::uint32_t slot) const {
  if (slot >= geodes_.size() || !typeVisible(scene_->elementTypes[slot])) return false;
  if (!slotStorey_[slot]) return !isolated_;  // elements in no storey hide while a storey is isolated
  const std::size_t k = *slotStorey_[slot];
  return isolated_ ? *isolated_ == k : storeys_[k].visible;
}

void BimLayer::setExplodeGap(double gapM) {
  explodeGap_ = std::max(gapM, 0.0);
  // Storeys are lifted in the order of their height (lowest stays), gap in scene metres: the storey transforms
  // are in the model frame, so the gap is divided by the placement's scale.
  std::vector<std::pair<double, std::size_t>> byHeight;
  for (std::size_t k = 0; k < storeys_.size(); ++k) {
    if (!storeys_[k].transform) continue;
    osg::ComputeBoundsVisitor bounds;
    for (unsigned c = 0; c < storeys_[k].transform->getNumChildren(); ++c) storeys_[k].transform->getChild(c)->accept(bounds);
    byHeight.emplace_back(bounds.getBoundingBox().valid() ? bounds.getBoundingBox().zMin() : 0.0, k);
  }
  std::stable_sort(byHeight.begin(), byHeight.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  const double scale = placementScale_ > 0.0 ? placementScale_ : 1.0;
  for (std::size_t rank = 0; rank < byHeight.size(); ++rank) {
    storeys_[byHeight[rank].second].transform->setMatrix(
        osg::Matrixd::translate(0.0, 0.0, static_cast<double>(rank) * explodeGap_ / scale));
  }
}

std::vector<std::pair<std::string, std::size_t>> BimLayer::typeCounts() const {
  std::map<std::string, std::size_t> counts;
  for (const std::string& type : scene_->elementTypes) ++counts[type];
  return {counts.begin(), counts.end()};
}

osg::Vec4 BimLayer::elementColor(std::uint32_t slot) const {
  osg::Vec4 c;
  if (slot < colorUniforms_.size() && colorUniforms_[slot]) colorUniforms_[slot]->get(c);
  return c;
}

void BimLayer::setColor(std::uint32_t slot, const osg::Vec4& color) {
  if (slot < colorUniforms_.size() && colorUniforms_[slot]) colorUniforms_[slot]->set(color);
}

void BimLayer::showStaticStyle() {
  liveRule_.reset();
  std::fill(liveStates_.begin(), liveStates_.end(), SlotState::NoData);
  for (std::uint32_t s = 0; s < colorUniforms_.size(); ++s) {
    if (!staticRule_) {
      setColor(s, osg::Vec4(0, 0, 0, 0));  // the model's own colours
      continue;
    }
    const auto& c = staticClasses_[s];
    setColor(s, c ? toVec4(staticRule_->palette()[static_cast<std::size_t>(*c)], kBimColorMix)
                  : toVec4(kNoDataColor, kBimColorMix));
  }
}

void BimLayer::setLiveValues(const ColorRule& rule, std::span<const float> values, std::span<const SlotState> states) {
  liveRule_ = rule;
  for (std::uint32_t s = 0; s < colorUniforms_.size(); ++s) {
    const float v = s < values.size() ? values[s] : std::numeric_limits<float>::quiet_NaN();
    SlotState state = s < states.size() ? states[s] : SlotState::Live;
    if (std::isnan(v)) state = SlotState::NoData;
    liveStates_[s] = state;
    if (state == SlotState::NoData) {
      setColor(s, toVec4(kNoDataColor, kBimColorMix));
      continue;
    }
    const Rgba& live = rule.palette()[static_cast<std::size_t>(rule.classOfNumber(v))];
    setColor(s, toVec4(state == SlotState::Stale ? staleColor(live) : live, kBimColorMix));
  }
}

SlotState BimLayer::slotState(std::uint32_t slot) const {
  if (slot >= liveStates_.size()) return SlotState::NoData;
  if (liveRule_) return liveStates_[slot];
  if (staticRule_) return staticClasses_[slot] ? SlotState::Live : SlotState::NoData;
  return SlotState::Live;
}

Status BimLayer::restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) {
  if (state() != LayerState::Open) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' is not open");
  if (style.colorMode == "single" || style.colorBy.empty()) {
    staticRule_.reset();
  } else {
    auto rule = ColorRule::fromConfig(config_.id, style);
    if (!rule) return rule.status();
    staticRule_ = *rule;
    staticClasses_.assign(geodes_.size(), std::nullopt);
    for (std::uint32_t s = 0; s < geodes_.size(); ++s) {
      const PropertyMap* props = properties ? properties(s) : nullptr;
      if (props != nullptr) staticClasses_[s] = staticRule_->classOf(*props);
    }
  }
  config_.style = style;
  // Live colours belong to the old style: back to the static colours; the twin's next live refresh (it marks
  // itself dirty on a restyle) draws the live values again if the new style colours by a live attribute.
  showStaticStyle();
  return Status::ok();
}

std::vector<LegendEntry> BimLayer::legend() const {
  const ColorRule* rule = liveRule_ ? &*liveRule_ : staticRule_ ? &*staticRule_ : nullptr;
  if (rule == nullptr) return {};
  std::vector<LegendEntry> rows = rule->legend(config_.nameEn, config_.nameZh, LegendEntry::Shape::Fill);
  if (liveRule_) {
    for (LegendEntry& e : liveStateLegend(LegendEntry::Shape::Fill)) rows.push_back(std::move(e));
  }
  return rows;
}

Vec3d BimLayer::lastEye() const { return detail::lastEyeOf(eyeRecorder_.get()); }

std::optional<EntityIndex> BimLayer::entityAtHit(const osg::NodePath& path, const osg::Drawable* drawable,
                                                 unsigned int vertexIndex) const {
  const Vec3d eye = lastEye();
  if (!std::isnan(eye.x) && !drawnFrom(eye)) return std::nullopt;
  return Layer::entityAtHit(path, drawable, vertexIndex);
}

osg::Node* BimLayer::nodeForEntity(EntityIndex entity) const {
  if (const auto slot = slotOfEntity(entity)) return elementNode(*slot);
  if (const auto storey = storeyOfEntity(entity)) return storeys_[*storey].transform.get();  // a selected storey
  return nullptr;
}

void BimLayer::applyRenderBins() {
  // With the buildings, after every ground layer.
  node()->getOrCreateStateSet()->setRenderBinDetails(10000 + order(), "RenderBin");
}

// ---- [layers.bim] ---------------------------------------------------------------------------------------------

LayerOptionsParser bimOptionsParser() {
  static constexpr std::string_view kKeys[]{"anchor_lon", "anchor_lat",    "anchor_x",          "anchor_y",
                                            "anchor_z",   "rotation_deg",  "scale",             "anchor_override",
                                            "replaces_building", "lod_distance_m", "explode_gap_m"};
  return {{"bim"}, [](const ConfigTable& layer, bool) -> std::shared_ptr<const LayerOptions> {
            auto b = std::make_shared<BimOptions>();
            const auto bim = layer.table("bim");
            if (!bim) return b;
            bim->checkKeys(kKeys);
            b->line = bim->line();
            const auto readOptional = [&bim](std::string_view key, std::optional<double>& out, double lo, double hi) {
              double v = 0.0;
              if (!bim->has(key)) return;
              bim->readDouble(key, v, lo, hi);
              out = v;
            };
            readOptional("anchor_lon", b->anchor.lon, -180.0, 180.0);
            readOptional("anchor_lat", b->anchor.lat, -90.0, 90.0);
            readOptional("anchor_x", b->anchor.sceneX, -1e7, 1e7);
            readOptional("anchor_y", b->anchor.sceneY, -1e7, 1e7);
            bim->readDouble("anchor_z", b->anchor.sceneZ, -1000.0, 10000.0);
            bim->readDouble("rotation_deg", b->anchor.rotationDeg, -360.0, 360.0);
            bim->readDouble("scale", b->anchor.scale, 0.0, 1000.0, ConfigTable::Bound::Exclusive);
            bim->readBool("anchor_override", b->anchor.override);
            bim->readString("replaces_building", b->replacesBuilding);
            bim->readDouble("lod_distance_m", b->lodDistanceM, 0.0, 1e6);
            bim->readDouble("explode_gap_m", b->explodeGapM, 0.0, 1000.0);
            const std::string& path = bim->path();
            if (b->anchor.lon.has_value() != b->anchor.lat.has_value()) {
              bim->error(ErrorCode::InvalidArgument, "'" + path + "' needs both anchor_lon and anchor_lat");
            }
            if (b->anchor.sceneX.has_value() != b->anchor.sceneY.has_value()) {
              bim->error(ErrorCode::InvalidArgument, "'" + path + "' needs both anchor_x and anchor_y");
            }
            return b;
          }};
}

}  // namespace gt::layers
