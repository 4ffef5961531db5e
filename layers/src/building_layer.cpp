#include "greentwin/layers/building_layer.hpp"

#include <osg/BlendFunc>
#include <osg/Depth>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/Program>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <future>
#include <limits>
#include <map>

#include "eye_recorder.hpp"
#include "triangulate.hpp"
#include "shader_program.hpp"

namespace gt::layers {
namespace {

// GLSL 1.30 (compatibility profile). The vertex shader only transforms and shades; the fragment shader reads
// the slot's value texel and classifies it. On llvmpipe the per-vertex work dominates a batched city's frame,
// so the lookup costs less per fragment than per vertex (100k buildings: 130 -> 86 ms per frame, measured).
constexpr const char* kVertexShader = R"(#version 130
in float gt_slot;
flat out int vSlot;
out float vShade;
uniform sampler2D gt_replaced;  // per slot: (centre xyz, radius) of a BIM model drawn instead when near
uniform int gt_replacedCount;   // 0: no slot is replaced, nothing is read

void main() {
  gl_Position = ftransform();
  vSlot = int(gt_slot + 0.5);
  if (gt_replacedCount > 0) {
    vec4 r = texelFetch(gt_replaced, ivec2(vSlot & 1023, vSlot >> 10), 0);
    // Within the radius the box is flattened onto its base (r.z): its roof becomes the footprint the model stands
    // on, its walls have no area left.
    if (r.w > 0.0 && distance(gl_ModelViewMatrixInverse[3].xyz, r.xyz) < r.w) {
      gl_Position = gl_ModelViewProjectionMatrix * vec4(gl_Vertex.xy, r.z + 0.3, 1.0);
    }
  }
  // World-space sun from the south-west, plus ambient; walls of different aspect read differently.
  vec3 sun = normalize(vec3(-0.45, -0.55, 0.70));
  vShade = 0.5 + 0.5 * max(dot(normalize(gl_Normal), sun), 0.0);
}
)";

constexpr const char* kFragmentShader = R"(#version 130
flat in int vSlot;
in float vShade;
uniform sampler2D gt_values;
uniform vec4 gt_palette[32];
uniform float gt_breaks[31];
uniform int gt_breakCount;
uniform int gt_valueMode;       // 0: value is a palette index; 1: value is a number classified by gt_breaks
uniform vec4 gt_noDataColor;
uniform float gt_selectedSlot;  // -1: none
uniform float gt_hoverSlot;
uniform float gt_opacity;
out vec4 fragColor;

void main() {
  vec2 v = texelFetch(gt_values, ivec2(vSlot & 1023, vSlot >> 10), 0).rg;
  vec4 base;
  if (isnan(v.r) || v.g > 1.5) {
    base = gt_noDataColor;
  } else if (gt_valueMode == 0) {
    base = gt_palette[clamp(int(v.r + 0.5), 0, 31)];
  } else {
    int c = 0;
    for (int i = 0; i < 31; ++i) {
      if (i < gt_breakCount && v.r >= gt_breaks[i]) c = i + 1;
    }
    base = gt_palette[c];
  }
  if (v.g > 0.5 && v.g < 1.5) {  // stale: never drawn as if live — greyed (staleColor()) and hatched
    float grey = dot(base.rgb, vec3(0.3, 0.59, 0.11));
    base.rgb = mix(vec3(grey), base.rgb, 0.2) * 0.75;
    if (mod(gl_FragCoord.x + gl_FragCoord.y, 8.0) < 2.0) base.rgb *= 0.55;
  }
  float slot = float(vSlot);
  if (abs(slot - gt_selectedSlot) < 0.5) base.rgb = mix(base.rgb, vec3(1.0, 0.82, 0.25), 0.75);
  else if (abs(slot - gt_hoverSlot) < 0.5) base.rgb = mix(base.rgb, vec3(1.0), 0.35);
  fragColor = vec4(base.rgb * vShade, base.a * gt_opacity);
}
)";

osg::Program* buildingProgram() {
  static osg::ref_ptr<osg::Program> program = [] {
    osg::ref_ptr<osg::Program> p = detail::makeProgram("gt_buildings", kVertexShader, kFragmentShader);
    p->addBindAttribLocation("gt_slot", kSlotAttribute);
    p->addBindFragDataLocation("fragColor", 0);
    return p;
  }();
  return program.get();
}

// How big a building's mesh is: what its batch reserves, so that the arrays of a batch grow only once.
struct PrismSize {
  std::size_t vertices = 0;
  std::size_t indices = 0;

  PrismSize& operator+=(const PrismSize& other) {
    vertices += other.vertices;
    indices += other.indices;
    return *this;
  }
};

// At most what addPrism adds for `polygon`: four vertices and two triangles per wall, one vertex per corner and
// (exact for simple footprints, which most are) corners + 2 x holes - 2 triangles for the roof.
PrismSize prismSize(const Polygon& polygon) {
  std::size_t corners = 0;
  for (const auto& ring : polygon.rings) corners += ring.size();
  const std::size_t holes = polygon.rings.empty() ? 0 : polygon.rings.size() - 1;
  const std::size_t roofTriangles = corners >= 3 ? corners + 2 * holes - 2 : 0;
  return {5 * corners, 6 * corners + 3 * roofTriangles};
}

// Vertices, normals, slots and triangle indices of one batch.
struct MeshBuilder {
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec3Array> normals = new osg::Vec3Array;
  osg::ref_ptr<osg::FloatArray> slots = new osg::FloatArray;
  osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);

  void reserve(const PrismSize& size) {
    vertices->reserve(size.vertices);
    normals->reserve(size.vertices);
    slots->reserve(size.vertices);
    triangles->reserve(size.indices);
  }

  GLuint add(const osg::Vec3& v, const osg::Vec3& n, float slot) {
    vertices->push_back(v);
    normals->push_back(n);
    slots->push_back(slot);
    return static_cast<GLuint>(vertices->size() - 1);
  }

  void addPrism(const Polygon& polygon, float base, float top, float slot) {
    // Walls: exterior counter-clockwise and holes clockwise, so (dy, -dx) always points out of the mass.
    for (std::size_t r = 0; r < polygon.rings.size(); ++r) {
      const auto& ring = polygon.rings[r];
      const bool wantCcw = r == 0;
      const bool isCcw = detail::signedArea(ring) > 0;
      const std::size_t n = ring.size();
      for (std::size_t k = 0; k < n; ++k) {
        const std::size_t i = (wantCcw == isCcw) ? k : n - 1 - k;
        const std::size_t j = (wantCcw == isCcw) ? (k + 1) % n : (n - 1 - k + n - 1) % n;
        const osg::Vec3 a(static_cast<float>(ring[i].x), static_cast<float>(ring[i].y), base);
        const osg::Vec3 b(static_cast<float>(ring[j].x), static_cast<float>(ring[j].y), base);
        osg::Vec3 normal(b.y() - a.y(), -(b.x() - a.x()), 0.0f);
        if (normal.normalize() <= 0.0f) continue;
        const GLuint i0 = add(a, normal, slot);
        const GLuint i1 = add(b, normal, slot);
        const GLuint i2 = add(osg::Vec3(b.x(), b.y(), top), normal, slot);
        const GLuint i3 = add(osg::Vec3(a.x(), a.y(), top), normal, slot);
        for (GLuint index : {i0, i1, i2, i0, i2, i3}) triangles->push_back(index);
      }
    }
    // Roof.
    const std::vector<std::uint32_t> roof = detail::triangulate(polygon);
    const GLuint first = static_cast<GLuint>(vertices->size());
    for (const auto& ring : polygon.rings) {
      for (const Vec3d& p : ring) add(osg::Vec3(static_cast<float>(p.x), static_cast<float>(p.y), top), osg::Vec3(0, 0, 1), slot);
    }
    for (std::size_t t = 0; t + 2 < roof.size(); t += 3) {
      // Roof triangles face up: order them counter-clockwise seen from above.
      const osg::Vec3& a = (*vertices)[first + roof[t]];
      const osg::Vec3& b = (*vertices)[first + roof[t + 1]];
      const osg::Vec3& c = (*vertices)[first + roof[t + 2]];
      const bool ccw = (b.x() - a.x()) * (c.y() - a.y()) - (b.y() - a.y()) * (c.x() - a.x()) >= 0;
      for (GLuint index : {first + roof[t], first + roof[ccw ? t + 1 : t + 2], first + roof[ccw ? t + 2 : t + 1]}) {
        triangles->push_back(index);
      }
    }
  }

  // A building's own surfaces (CityGML), every three points one triangle, raised by `lift`; flat-shaded.
  void addTriangles(const std::vector<Vec3d>& points, double lift, float slot) {
    for (std::size_t t = 0; t + 2 < points.size(); t += 3) {
      const osg::Vec3 a(static_cast<float>(points[t].x), static_cast<float>(points[t].y),
                        static_cast<float>(points[t].z + lift));
      const osg::Vec3 b(static_cast<float>(points[t + 1].x), static_cast<float>(points[t + 1].y),
                        static_cast<float>(points[t + 1].z + lift));
      const osg::Vec3 c(static_cast<float>(points[t + 2].x), static_cast<float>(points[t + 2].y),
                        static_cast<float>(points[t + 2].z + lift));
      osg::Vec3 normal = (b - a) ^ (c - a);
      if (normal.normalize() <= 0.0f) continue;
      for (const osg::Vec3& v : {a, b, c}) triangles->push_back(add(v, normal, slot));
    }
  }

  osg::ref_ptr<osg::Geometry> finish() {
    osg::ref_ptr<osg::Geometry> g = new osg::Geometry;
    g->setUseDisplayList(false);
    g->setUseVertexBufferObjects(true);
    g->setVertexArray(vertices.get());
    g->setNormalArray(normals.get(), osg::Array::BIND_PER_VERTEX);
    g->setVertexAttribArray(kSlotAttribute, slots.get(), osg::Array::BIND_PER_VERTEX);
    g->addPrimitiveSet(triangles.get());
    return g;
  }

  bool empty() const { return vertices->empty(); }
};

// One batch: its buildings (feature indices, ascending), their total size and, once built, their mesh.
struct Tile {
  std::vector<std::uint32_t> buildings;
  PrismSize size;
  MeshBuilder mesh;
};

// work(i) for every i in [0, n), on this thread and one helper thread that take chunks of `grain` indices in turn
// (the app loads on one worker thread, the development machines have two cores). work must be safe to run for
// different indices at once.
template <class Work>
void forEachOnTwoThreads(std::size_t n, std::size_t grain, const Work& work) {
  std::atomic<std::size_t> next{0};
  const auto run = [&] {
    for (std::size_t begin = next.fetch_add(grain); begin < n; begin = next.fetch_add(grain)) {
      for (std::size_t i = begin; i < std::min(begin + grain, n); ++i) work(i);
    }
  };
  std::future<void> helper = std::async(std::launch::async, run);
  run();
  helper.get();  // rethrows what the helper threw
}

// The middle of a mesh's (x, y) bounds (a building without a footprint polygon).
Vec3d meshCentre(const std::vector<Vec3d>& points) {
  Bounds b;
  for (const Vec3d& p : points) b.extend(p);
  return b.center();
}

Vec3d centroidOf(const Polygon& polygon) {
  Vec3d c{};
  const auto& ring = polygon.rings.front();
  for (const Vec3d& p : ring) {
    c.x += p.x;
    c.y += p.y;
  }
  c.x /= static_cast<double>(ring.size());
  c.y /= static_cast<double>(ring.size());
  return c;
}

}  // namespace

BuildingLayer::BuildingLayer(LayerConfig config, std::shared_ptr<const FeatureSet> features,
                             std::shared_ptr<const HeightField> ground, BuildingBuildOptions options)
    : Layer(std::move(config)), features_(std::move(features)), ground_(std::move(ground)), options_(options) {}

Status BuildingLayer::openImpl() {
  if (!features_ || features_->features.empty()) {
    return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' has no features");
  }
  auto rule = ColorRule::fromConfig(config_.id, config_.style);
  if (!rule) return rule.status();
  staticRule_ = *rule;
  if (staticRule_->palette().size() > static_cast<std::size_t>(kMaxPaletteSize)) {
    return Status(ErrorCode::OutOfRange, "layer '" + config_.id + "': at most 31 colour classes are supported");
  }
  const HeightRule heightRule = HeightRule::fromConfig(config_.style);
  for (const std::string& w : features_->warnings) addWarning(w);

  const auto& features = features_->features;
  const std::size_t count = features.size();
  std::vector<EntityIndex> entities(count);
  heights_.assign(count, 0.0f);
  staticClasses_.assign(count, std::numeric_limits<float>::quiet_NaN());

  // Styling and extruding are most of opening a city (100k buildings: ~70 ms on one core), and buildings and
  // tiles are independent of each other: both passes run on two threads, each writing only the entries of the
  // indices it takes. The meshes are new objects in no scene yet, so building them off the render thread is safe
  // (DESIGN.md "Threads").
  // Pass 1, per building: style, ground height and batch key (a tile of the grid, or the building itself for the
  // unbatched baseline), and the size of its mesh.
  using TileKey = std::pair<long, long>;
  std::vector<TileKey> keys(count);
  std::vector<float> bases(count, 0.0f);
  std::vector<PrismSize> sizes(count);
  std::vector<double> meshLift(count, 0.0);  // per building with its own surfaces: what raises them onto the ground
  forEachOnTwoThreads(count, 1024, [&](std::size_t i) {
    const Feature& f = features[i];
    entities[i] = f.entity;
    heights_[i] = static_cast<float>(heightRule.heightOf(f.properties));
    if (auto c = staticRule_->classOf(f.properties)) staticClasses_[i] = static_cast<float>(*c);
    if (f.geometry.polygons.empty() && f.geometry.triangles.empty()) return;
    const Vec3d c = f.geometry.polygons.empty() ? meshCentre(f.geometry.triangles)
                                                : centroidOf(f.geometry.polygons.front());
    bases[i] = static_cast<float>(ground_ ? ground_->heightAt(c.x, c.y, 0.0) : 0.0);
    if (!f.geometry.triangles.empty()) {
      // Its own surfaces: as tall as they are, their lowest point set on the ground under the footprint.
      const auto [low, high] = std::minmax_element(f.geometry.triangles.begin(), f.geometry.triangles.end(),
                                                   [](const Vec3d& a, const Vec3d& b) { return a.z < b.z; });
      meshLift[i] = bases[i] - low->z;
      heights_[i] = static_cast<float>(high->z - low->z);
      sizes[i] = {f.geometry.triangles.size(), f.geometry.triangles.size()};
    }
    keys[i] = options_.batched ? TileKey{static_cast<long>(std::floor(c.x / options_.tileSizeM)),
                                         static_cast<long>(std::floor(c.y / options_.tileSizeM))}
                               : TileKey{static_cast<long>(i), 0};
    if (f.geometry.triangles.empty()) {
      for (const Polygon& polygon : f.geometry.polygons) sizes[i] += prismSize(polygon);
    }
  });
  assignEntities(std::move(entities));
  bases_ = bases;

  // The batches in key order, each with its buildings in index order.
  std::map<TileKey, Tile> byKey;
  std::size_t skipped = 0;
  for (std::size_t i = 0; i < count; ++i) {
    if (features[i].geometry.polygons.empty() && features[i].geometry.triangles.empty()) {
      ++skipped;
      continue;
    }
    Tile& tile = byKey[keys[i]];
    tile.buildings.push_back(static_cast<std::uint32_t>(i));
    tile.size += sizes[i];
  }
  if (skipped > 0) addWarning(std::to_string(skipped) + " features without polygons were not extruded");
  std::vector<Tile> tiles;
  tiles.reserve(byKey.size());
  for (auto& [key, tile] : byKey) tiles.push_back(std::move(tile));

  // Pass 2, per tile: its mesh, in storage reserved once.
  forEachOnTwoThreads(tiles.size(), 1, [&](std::size_t t) {
    Tile& tile = tiles[t];
    tile.mesh.reserve(tile.size);
    for (const std::uint32_t i : tile.buildings) {
      if (!features[i].geometry.triangles.empty()) {
        tile.mesh.addTriangles(features[i].geometry.triangles, meshLift[i], static_cast<float>(i));
        continue;
      }
      const float top = bases[i] + heights_[i];
      for (const Polygon& polygon : features[i].geometry.polygons) {
        tile.mesh.addPrism(polygon, bases[i], top, static_cast<float>(i));
      }
    }
  });

  osg::ref_ptr<osg::Group> content = new osg::Group;
  content->setName("buildings");
  for (Tile& tile : tiles) {
    if (tile.mesh.empty()) continue;
    osg::ref_ptr<osg::Geode> geode = new osg::Geode;
    geode->addDrawable(tile.mesh.finish().get());
    content->addChild(geode.get());
  }
  batchCount_ = content->getNumChildren();

  // Value texture: (value, state) per slot, read in the vertex shader.
  const int rows = static_cast<int>((count + kValueTextureWidth - 1) / kValueTextureWidth);
  values_ = new osg::Image;
  values_->allocateImage(kValueTextureWidth, std::max(rows, 1), 1, GL_RG, GL_FLOAT);
  values_->setInternalTextureFormat(GL_RG32F);
  std::fill_n(reinterpret_cast<float*>(values_->data()), kValueTextureWidth * std::max(rows, 1) * 2,
              std::numeric_limits<float>::quiet_NaN());
  valueTexture_ = new osg::Texture2D(values_.get());
  valueTexture_->setInternalFormat(GL_RG32F);
  valueTexture_->setSourceFormat(GL_RG);
  valueTexture_->setSourceType(GL_FLOAT);
  valueTexture_->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
  valueTexture_->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
  valueTexture_->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
  valueTexture_->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
  valueTexture_->setResizeNonPowerOfTwoHint(false);
  valueTexture_->setUnRefImageDataAfterApply(false);
  valueTexture_->setDataVariance(osg::Object::DYNAMIC);

  osg::StateSet* ss = content->getOrCreateStateSet();
  ss->setAttributeAndModes(buildingProgram(), osg::StateAttribute::ON | osg::StateAttribute::OVERRIDE);
  ss->setTextureAttributeAndModes(0, valueTexture_.get(), osg::StateAttribute::ON);
  ss->addUniform(new osg::Uniform("gt_values", 0));
  palette_ = new osg::Uniform(osg::Uniform::FLOAT_VEC4, "gt_palette", kMaxPaletteSize);
  breaks_ = new osg::Uniform(osg::Uniform::FLOAT, "gt_breaks", kMaxPaletteSize - 1);
  breakCount_ = new osg::Uniform("gt_breakCount", 0);
  valueMode_ = new osg::Uniform("gt_valueMode", 0);
  selectedSlot_ = new osg::Uniform("gt_selectedSlot", -1.0f);
  hoverSlot_ = new osg::Uniform("gt_hoverSlot", -1.0f);
  for (osg::Uniform* u : {palette_.get(), breaks_.get(), breakCount_.get(), valueMode_.get(), selectedSlot_.get(),
                          hoverSlot_.get()}) {
    u->setDataVariance(osg::Object::DYNAMIC);
    ss->addUniform(u);
  }
  ss->addUniform(new osg::Uniform("gt_noDataColor", osg::Vec4(0.55f, 0.55f, 0.58f, 1.0f)));
  ss->addUniform(new osg::Uniform("gt_replaced", 1));
  replacedCountUniform_ = new osg::Uniform("gt_replacedCount", 0);
  replacedCountUniform_->setDataVariance(osg::Object::DYNAMIC);
  ss->addUniform(replacedCountUniform_.get());
  eyeRecorder_ = new detail::EyeRecorder;  // for picks through boxes hidden from the last cull's eye
  content->addCullCallback(eyeRecorder_.get());
  // Buildings are solid 3D: depth tested and written, culled back faces, drawn after the ground layers.
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::LEQUAL, 0.0, 1.0, true), osg::StateAttribute::ON | osg::StateAttribute::OVERRIDE);
  // Own surfaces (CityGML) are drawn from both sides: files often turn some rings the wrong way, and a culled wall
  // would leave a hole. Extruded boxes are closed and turned outwards, so their back faces are culled.
  const bool anyMesh = std::any_of(features.begin(), features.end(),
                                   [](const Feature& f) { return !f.geometry.triangles.empty(); });
  ss->setMode(GL_CULL_FACE, (anyMesh ? osg::StateAttribute::OFF : osg::StateAttribute::ON) |
                                osg::StateAttribute::OVERRIDE);
  showStaticStyle();
  node()->addChild(content.get());
  return Status::ok();
}

void BuildingLayer::applyPalette(const ColorRule& rule, bool numeric) {
  const auto& colours = rule.palette();
  for (int i = 0; i < kMaxPaletteSize; ++i) {
    const Rgba& c = colours[std::min<std::size_t>(static_cast<std::size_t>(i), colours.size() - 1)];
    palette_->setElement(static_cast<unsigned>(i), osg::Vec4(c[0], c[1], c[2], c[3]));
  }
  const auto& breaks = rule.breaks();
  for (int i = 0; i < kMaxPaletteSize - 1; ++i) {
    breaks_->setElement(static_cast<unsigned>(i),
                        i < static_cast<int>(breaks.size()) ? static_cast<float>(breaks[static_cast<std::size_t>(i)]) : 0.0f);
  }
  breakCount_->set(numeric ? static_cast<int>(std::min<std::size_t>(breaks.size(), kMaxPaletteSize - 1)) : 0);
  valueMode_->set(numeric ? 1 : 0);
}

void BuildingLayer::writeClassValues() {
  auto* texels = reinterpret_cast<float*>(values_->data());
  for (std::size_t s = 0; s < staticClasses_.size(); ++s) {
    const float c = staticClasses_[s];
    texels[s * 2] = c;
    texels[s * 2 + 1] = std::isnan(c) ? static_cast<float>(SlotState::NoData) : static_cast<float>(SlotState::Live);
  }
  values_->dirty();
}

void BuildingLayer::showStaticStyle() {
  if (!staticRule_ || !values_) return;
  liveRule_.reset();
  applyPalette(*staticRule_, false);
  writeClassValues();
}

void BuildingLayer::setLiveValues(const ColorRule& rule, std::span<const float> values,
                                  std::span<const SlotState> states) {
  if (!values_) return;
  if (!liveRule_ || liveRule_->palette() != rule.palette() || liveRule_->breaks() != rule.breaks()) {
    liveRule_ = rule;
    applyPalette(rule, rule.mode() == ColorRule::Mode::Graduated);
  }
  auto* texels = reinterpret_cast<float*>(values_->data());
  const std::size_t n = std::min(values.size(), slotCount());
  for (std::size_t s = 0; s < n; ++s) {
    texels[s * 2] = values[s];
    const SlotState state = s < states.size() ? states[s] : SlotState::Live;
    texels[s * 2 + 1] = std::isnan(values[s]) ? static_cast<float>(SlotState::NoData) : static_cast<float>(state);
  }
  values_->dirty();
}

SlotState BuildingLayer::slotState(std::uint32_t slot) const {
  if (!values_ || slot >= slotCount()) return SlotState::NoData;
  const float state = reinterpret_cast<const float*>(values_->data())[slot * 2 + 1];
  return state < 0.5f ? SlotState::Live : state < 1.5f ? SlotState::Stale : SlotState::NoData;
}

float BuildingLayer::slotValue(std::uint32_t slot) const {
  if (!values_ || slot >= slotCount()) return std::numeric_limits<float>::quiet_NaN();
  return reinterpret_cast<const float*>(values_->data())[slot * 2];
}

Status BuildingLayer::restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) {
  if (state() != LayerState::Open) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' is not open");
  const LayerStyleConfig& current = config_.style;
  if (style.heightAttribute != current.heightAttribute || style.floorsAttribute != current.floorsAttribute ||
      style.metresPerFloor != current.metresPerFloor || style.defaultHeightM != current.defaultHeightM ||
      style.classAttribute != current.classAttribute || style.classHeights != current.classHeights) {
    return Status(ErrorCode::Unsupported, "changing building heights rebuilds geometry: reload the layer instead");
  }
  auto rule = ColorRule::fromConfig(config_.id, style);
  if (!rule) return rule.status();
  if (rule->palette().size() > static_cast<std::size_t>(kMaxPaletteSize)) {
    return Status(ErrorCode::OutOfRange, "layer '" + config_.id + "': at most 31 colour classes are supported");
  }
  staticRule_ = *rule;
  for (std::uint32_t s = 0; s < staticClasses_.size(); ++s) {
    const PropertyMap* props = properties ? properties(s) : nullptr;
    const auto c = props != nullptr ? staticRule_->classOf(*props) : std::nullopt;
    staticClasses_[s] = c ? static_cast<float>(*c) : std::numeric_limits<float>::quiet_NaN();
  }
  config_.style = style;
  // Back to static colours; a twin showing live values of the new rule's attribute pushes them again on its next
  // frame (the restyle invalidates the layer). Keeping the live rule would leave the old attribute's colours.
  showStaticStyle();
  return Status::ok();
}

std::vector<LegendEntry> BuildingLayer::legend() const {
  const ColorRule* rule = liveRule_ ? &*liveRule_ : staticRule_ ? &*staticRule_ : nullptr;
  if (rule == nullptr) return {};
  std::vector<LegendEntry> rows = rule->legend(config_.nameEn, config_.nameZh, LegendEntry::Shape::Fill);
  if (liveRule_) {
    for (LegendEntry& e : liveStateLegend(LegendEntry::Shape::Fill)) rows.push_back(std::move(e));
  }
  return rows;
}

osg::Node* BuildingLayer::nodeForEntity(EntityIndex /*entity*/) const {
  return nullptr;  // buildings share batches: highlighting goes through setHighlight's slot uniforms
}

std::optional<EntityIndex> BuildingLayer::entityAtHit(const osg::NodePath& /*path*/, const osg::Drawable* drawable,
                                                      unsigned int vertexIndex) const {
  const auto* geometry = drawable != nullptr ? drawable->asGeometry() : nullptr;
  if (geometry == nullptr) return std::nullopt;
  const auto* slots = dynamic_cast<const osg::FloatArray*>(geometry->getVertexAttribArray(kSlotAttribute));
  if (slots == nullptr || vertexIndex >= slots->size()) return std::nullopt;
  // A box a BIM model replaces from where the camera is was not drawn: the pick goes through it.
  if (replacedCount_ > 0 && slotHiddenFrom(static_cast<std::uint32_t>((*slots)[vertexIndex]), lastEye())) {
    return std::nullopt;
  }
  const EntityIndex entity = entityOfSlot(static_cast<std::uint32_t>((*slots)[vertexIndex]));
  if (entity == kInvalidEntity) return std::nullopt;
  return entity;
}

void BuildingLayer::setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) {
  if (!selectedSlot_) return;
  const auto slotOrNone = [this](std::optional<EntityIndex> e) {
    if (!e) return -1.0f;
    auto slot = slotOfEntity(*e);
    return slot ? static_cast<float>(*slot) : -1.0f;
  };
  selectedSlot_->set(slotOrNone(selected));
  hoverSlot_->set(slotOrNone(hovered));
}

Status BuildingLayer::applyShownSlots() {
  if (batchTriangles_.empty()) {  // first filter: keep every batch's complete list
    osg::Group* content = node()->getNumChildren() > 0 ? node()->getChild(0)->asGroup() : nullptr;
    for (unsigned i = 0; content != nullptr && i < content->getNumChildren(); ++i) {
      osg::Geode* geode = content->getChild(i)->asGeode();
      if (geode == nullptr || geode->getNumDrawables() == 0) continue;
      osg::Geometry* geometry = geode->getDrawable(0)->asGeometry();
      auto* all = geometry != nullptr && geometry->getNumPrimitiveSets() == 1
                      ? dynamic_cast<osg::DrawElementsUInt*>(geometry->getPrimitiveSet(0))
                      : nullptr;
      if (all == nullptr) return Status(ErrorCode::Internal, "layer '" + id() + "': a building batch has no triangle list");
      batchTriangles_.push_back({geometry, all});
    }
  }
  for (const BatchTriangles& batch : batchTriangles_) {
    if (!hidesSlots()) {
      batch.geometry->setPrimitiveSet(0, batch.all.get());
    } else {
      const auto* slots = static_cast<const osg::FloatArray*>(batch.geometry->getVertexAttribArray(kSlotAttribute));
      osg::ref_ptr<osg::DrawElementsUInt> kept = new osg::DrawElementsUInt(GL_TRIANGLES);
      kept->reserve(batch.all->size());
      // Every vertex of a triangle belongs to one building: its first vertex says which.
      for (std::size_t t = 0; t + 2 < batch.all->size(); t += 3) {
        if (!slotShown(static_cast<std::uint32_t>((*slots)[(*batch.all)[t]]))) continue;
        kept->insert(kept->end(), batch.all->begin() + static_cast<std::ptrdiff_t>(t),
                     batch.all->begin() + static_cast<std::ptrdiff_t>(t + 3));
      }
      batch.geometry->setPrimitiveSet(0, kept.get());
    }
    batch.geometry->dirtyBound();
  }
  return Status::ok();
}

Vec3d BuildingLayer::lastEye() const { return detail::lastEyeOf(eyeRecorder_.get()); }

void BuildingLayer::setReplaced(std::uint32_t slot, const Vec3d& center, double radiusM) {
  if (slot >= slotCount() || !replacedCountUniform_) return;
  if (!replaced_) {
    const int rows = std::max(static_cast<int>((slotCount() + kValueTextureWidth - 1) / kValueTextureWidth), 1);
    replaced_ = new osg::Image;
    replaced_->allocateImage(kValueTextureWidth, rows, 1, GL_RGBA, GL_FLOAT);
    replaced_->setInternalTextureFormat(GL_RGBA32F_ARB);
    std::fill_n(reinterpret_cast<float*>(replaced_->data()), kValueTextureWidth * rows * 4, 0.0f);
    replacedTexture_ = new osg::Texture2D(replaced_.get());
    replacedTexture_->setInternalFormat(GL_RGBA32F_ARB);
    replacedTexture_->setSourceFormat(GL_RGBA);
    replacedTexture_->setSourceType(GL_FLOAT);
    replacedTexture_->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    replacedTexture_->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    replacedTexture_->setResizeNonPowerOfTwoHint(false);
    replacedTexture_->setUnRefImageDataAfterApply(false);
    replacedTexture_->setDataVariance(osg::Object::DYNAMIC);
    osg::Group* content = node()->getNumChildren() > 0 ? node()->getChild(0)->asGroup() : nullptr;
    if (content != nullptr) content->getOrCreateStateSet()->setTextureAttributeAndModes(1, replacedTexture_.get());
  }
  float* texel = reinterpret_cast<float*>(replaced_->data()) + static_cast<std::size_t>(slot) * 4;
  const bool was = texel[3] > 0.0f;
  const bool now = radiusM > 0.0;
  texel[0] = static_cast<float>(center.x);
  texel[1] = static_cast<float>(center.y);
  texel[2] = static_cast<float>(center.z);
  texel[3] = now ? static_cast<float>(radiusM) : 0.0f;
  replacedCount_ = replacedCount_ + (now ? 1 : 0) - (was ? 1 : 0);
  replacedCountUniform_->set(static_cast<int>(replacedCount_));
  replaced_->dirty();
}

bool BuildingLayer::slotHiddenFrom(std::uint32_t slot, const Vec3d& eye) const {
  if (!replaced_ || slot >= slotCount() || std::isnan(eye.x)) return false;
  const float* texel = reinterpret_cast<const float*>(replaced_->data()) + static_cast<std::size_t>(slot) * 4;
  if (texel[3] <= 0.0f) return false;
  const double dx = eye.x - texel[0], dy = eye.y - texel[1], dz = eye.z - texel[2];
  return std::sqrt(dx * dx + dy * dy + dz * dz) < texel[3];
}

void BuildingLayer::applyRenderBins() {
  // After every ground layer (bins 100 + 4 * order), in the order of the layer list.
  node()->getOrCreateStateSet()->setRenderBinDetails(10000 + order(), "RenderBin");
}

}  // namespace gt::layers
