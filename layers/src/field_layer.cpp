#include "greentwin/layers/field_layer.hpp"

#include <osg/Geometry>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "greentwin/core/interpolation.hpp"
#include "shader_program.hpp"

namespace gt::layers {
namespace {

// GLSL 1.30. vCell is the position in cell units (cell centres at integers). The fragment shader drops what lies
// outside the area mask, interpolates bilinearly between the four nearest cell centres leaving out NaN ones,
// classifies by the breaks, and draws "no data" (the nearest cell is NaN) as faint grey hatching.
constexpr const char* kVertexShader = R"(#version 130
out vec2 vCell;
void main() {
  gl_Position = ftransform();
  vCell = gl_MultiTexCoord0.xy;
}
)";

constexpr const char* kFragmentShader = R"(#version 130
in vec2 vCell;
uniform sampler2D gt_field;
uniform sampler2D gt_mask;
uniform ivec2 gt_size;
uniform int gt_maskSub;
uniform vec4 gt_palette[32];
uniform float gt_breaks[31];
uniform int gt_breakCount;
uniform vec4 gt_noDataColor;
uniform float gt_opacity;
out vec4 fragColor;

float cellValue(ivec2 c) { return texelFetch(gt_field, clamp(c, ivec2(0), gt_size - 1), 0).r; }

void main() {
  ivec2 m = ivec2(floor((vCell + 0.5) * float(gt_maskSub)));
  ivec2 msize = gt_size * gt_maskSub;
  if (m.x < 0 || m.y < 0 || m.x >= msize.x || m.y >= msize.y || texelFetch(gt_mask, m, 0).r < 0.5) discard;
  if (isnan(cellValue(ivec2(floor(vCell + 0.5))))) {
    float hatch = mod(gl_FragCoord.x - gl_FragCoord.y, 12.0) < 1.5 ? 1.0 : 0.0;
    fragColor = vec4(gt_noDataColor.rgb, (0.06 + 0.22 * hatch) * gt_opacity);
    return;
  }
  ivec2 i0 = ivec2(floor(vCell));
  vec2 f = vCell - vec2(i0);
  float sum = 0.0;
  float weights = 0.0;
  for (int k = 0; k < 4; ++k) {
    ivec2 o = ivec2(k & 1, k >> 1);
    float v = cellValue(i0 + o);
    float w = (o.x == 1 ? f.x : 1.0 - f.x) * (o.y == 1 ? f.y : 1.0 - f.y);
    if (!isnan(v)) {
      sum += w * v;
      weights += w;
    }
  }
  float value = sum / max(weights, 1e-6);
  int c = 0;
  for (int i = 0; i < 31; ++i) {
    if (i < gt_breakCount && value >= gt_breaks[i]) c = i + 1;
  }
  vec4 base = gt_palette[c];
  fragColor = vec4(base.rgb, base.a * gt_opacity);
}
)";

osg::Program* fieldProgram() {
  static osg::ref_ptr<osg::Program> program = [] {
    osg::ref_ptr<osg::Program> p = detail::makeProgram("gt_field", kVertexShader, kFragmentShader);
    p->addBindFragDataLocation("fragColor", 0);
    return p;
  }();
  return program.get();
}

constexpr int kMaxClasses = 32;
constexpr double kGroundOffsetM = 0.5;

// Marks the cells of a (width x height) grid with centres (x0 + i*d, y0 + j*d) that lie inside any polygon
// (even-odd over each polygon's rings; union over polygons). Scanline: per row, the ring crossings of that row's y
// are sorted and the spans between pairs filled, so the cost is rows x edges + cells.
void rasterizeArea(const FeatureSet& area, double x0, double y0, double d, int width, int height,
                   std::vector<std::uint8_t>& out) {
  out.assign(static_cast<std::size_t>(width) * static_cast<std::size_t>(height), 0);
  std::vector<double> xs;
  for (const Feature& f : area.features) {
    for (const Polygon& polygon : f.geometry.polygons) {
      for (int row = 0; row < height; ++row) {
        const double y = y0 + row * d;
        xs.clear();
        for (const auto& ring : polygon.rings) {
          const std::size_t n = ring.size();
          for (std::size_t i = 0; i < n; ++i) {
            const Vec3d& a = ring[i];
            const Vec3d& b = ring[(i + 1) % n];
            if ((a.y <= y) != (b.y <= y)) xs.push_back(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x));
          }
        }
        std::sort(xs.begin(), xs.end());
        for (std::size_t k = 0; k + 1 < xs.size(); k += 2) {
          const int c0 = std::max(0, static_cast<int>(std::ceil((xs[k] - x0) / d)));
          const int c1 = std::min(width - 1, static_cast<int>(std::floor((xs[k + 1] - x0) / d)));
          for (int c = c0; c <= c1; ++c) out[static_cast<std::size_t>(row) * width + c] = 1;
        }
      }
    }
  }
}

}  // namespace

FieldLayer::FieldLayer(LayerConfig config, std::shared_ptr<const FeatureSet> area, std::shared_ptr<const HeightField> ground)
    : Layer(std::move(config)), area_(std::move(area)), ground_(std::move(ground)) {}

Status FieldLayer::openImpl() {
  const std::string& id = config_.id;
  if (config_.style.colorMode != "graduated" && !config_.style.classifier.empty()) {
    // The twin makes a classifier's classes the breaks when its plugin is active; here it was not.
    return Status(ErrorCode::InvalidArgument, "field layer '" + id + "': its classifier '" + config_.style.classifier +
                                                  "' is not provided by an active plugin (is the plugin enabled?), "
                                                  "and the layer has no graduated style of its own");
  }
  if (config_.style.colorMode != "graduated" || config_.style.colorBy.empty()) {
    return Status(ErrorCode::InvalidArgument,
                  "field layer '" + id + "' needs style.color_mode = \"graduated\" with color_by, breaks and colors");
  }
  auto rule = ColorRule::fromConfig(id, config_.style);
  if (!rule) return rule.status();
  if (rule->palette().size() > static_cast<std::size_t>(kMaxClasses)) {
    return Status(ErrorCode::OutOfRange, "field layer '" + id + "': at most 31 breaks are supported");
  }
  rule_ = *rule;
  Bounds bounds;
  if (area_) {
    for (const Feature& f : area_->features) {
      for (const Polygon& p : f.geometry.polygons) {
        for (const auto& ring : p.rings) {
          for (const Vec3d& v : ring) bounds.extend(v);
        }
      }
    }
  }
  if (!bounds.valid()) {
    return Status(ErrorCode::InvalidArgument, "field layer '" + id + "': its source has no polygons to cover");
  }
  double cell = config_.resolutionM > 0 ? config_.resolutionM : kDefaultResolutionM;
  const double w = bounds.max.x - bounds.min.x;
  const double h = bounds.max.y - bounds.min.y;
  while ((std::ceil(w / cell) + 1) * (std::ceil(h / cell) + 1) > static_cast<double>(kMaxCells)) cell *= 2;
  if (cell != (config_.resolutionM > 0 ? config_.resolutionM : kDefaultResolutionM)) {
    addWarning("resolution coarsened to " + std::to_string(static_cast<int>(cell)) + " m to stay under " +
               std::to_string(kMaxCells) + " cells");
  }
  grid_.dx = grid_.dy = cell;
  grid_.width = std::max(1, static_cast<int>(std::ceil(w / cell)));
  grid_.height = std::max(1, static_cast<int>(std::ceil(h / cell)));
  // Centre the grid on the area.
  grid_.x0 = (bounds.min.x + bounds.max.x) / 2 - (grid_.width - 1) * cell / 2;
  grid_.y0 = (bounds.min.y + bounds.max.y) / 2 - (grid_.height - 1) * cell / 2;

  // Area mask at kMaskSubdivision sub-cells per cell side, and per cell (its centre).
  const int sub = kMaskSubdivision;
  const double subCell = cell / sub;
  std::vector<std::uint8_t> fine;
  rasterizeArea(*area_, grid_.minX() + subCell / 2, grid_.minY() + subCell / 2, subCell, grid_.width * sub,
                grid_.height * sub, fine);
  rasterizeArea(*area_, grid_.x0, grid_.y0, cell, grid_.width, grid_.height, cellInside_);

  mask_ = new osg::Image;
  mask_->allocateImage(grid_.width * sub, grid_.height * sub, 1, GL_RED, GL_UNSIGNED_BYTE, 1);
  mask_->setInternalTextureFormat(GL_R8);
  for (std::size_t i = 0; i < fine.size(); ++i) mask_->data()[i] = fine[i] != 0 ? 255 : 0;
  values_ = new osg::Image;
  values_->allocateImage(grid_.width, grid_.height, 1, GL_RED, GL_FLOAT, 1);
  values_->setInternalTextureFormat(GL_R32F);
  std::fill_n(reinterpret_cast<float*>(values_->data()), grid_.cellCount(), std::numeric_limits<float>::quiet_NaN());
  values_->setDataVariance(osg::Object::DYNAMIC);

  auto texture = [](osg::Image* image, GLint internal, GLenum type) {
    osg::ref_ptr<osg::Texture2D> t = new osg::Texture2D(image);
    t->setInternalFormat(internal);
    t->setSourceFormat(GL_RED);
    t->setSourceType(type);
    t->setFilter(osg::Texture::MIN_FILTER, osg::Texture::NEAREST);
    t->setFilter(osg::Texture::MAG_FILTER, osg::Texture::NEAREST);
    t->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
    t->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
    t->setResizeNonPowerOfTwoHint(false);
    t->setUnRefImageDataAfterApply(false);
    t->setDataVariance(osg::Object::DYNAMIC);
    return t;
  };

  // The surface: a vertex grid at half the cell size laid on the terrain, texture coordinates in cell units.
  const double step = cell / 2;
  const int nx = grid_.width * 2 + 1;
  const int ny = grid_.height * 2 + 1;
  osg::ref_ptr<osg::Vec3Array> vertices = new osg::Vec3Array;
  osg::ref_ptr<osg::Vec2Array> cells = new osg::Vec2Array;
  vertices->reserve(static_cast<std::size_t>(nx) * ny);
  cells->reserve(static_cast<std::size_t>(nx) * ny);
  for (int j = 0; j < ny; ++j) {
    for (int i = 0; i < nx; ++i) {
      const double x = grid_.minX() + i * step;
      const double y = grid_.minY() + j * step;
      const double z = ground_ ? ground_->heightAt(x, y, 0.0) + kGroundOffsetM : 0.0;
      vertices->push_back(osg::Vec3(static_cast<float>(x), static_cast<float>(y), static_cast<float>(z)));
      cells->push_back(osg::Vec2(static_cast<float>((x - grid_.x0) / cell), static_cast<float>((y - grid_.y0) / cell)));
    }
  }
  osg::ref_ptr<osg::DrawElementsUInt> triangles = new osg::DrawElementsUInt(GL_TRIANGLES);
  triangles->reserve(static_cast<std::size_t>(nx - 1) * (ny - 1) * 6);
  for (int j = 0; j + 1 < ny; ++j) {
    for (int i = 0; i + 1 < nx; ++i) {
      // Skip quads with no part of the area under them (their cell's mask is empty).
      const int c = std::min(i / 2, grid_.width - 1);
      const int r = std::min(j / 2, grid_.height - 1);
      bool any = false;
      for (int sy = 0; sy < sub && !any; ++sy) {
        for (int sx = 0; sx < sub && !any; ++sx) {
          any = fine[static_cast<std::size_t>(r * sub + sy) * (grid_.width * sub) + (c * sub + sx)] != 0;
        }
      }
      if (!any) continue;
      const auto a = static_cast<unsigned>(j * nx + i);
      const auto b = a + 1;
      const auto d = a + static_cast<unsigned>(nx);
      const auto e = d + 1;
      for (unsigned v : {a, b, e, a, e, d}) triangles->push_back(v);
    }
  }
  osg::ref_ptr<osg::Geometry> geometry = new osg::Geometry;
  geometry->setUseVertexBufferObjects(true);
  geometry->setUseDisplayList(false);
  geometry->setVertexArray(vertices.get());
  geometry->setTexCoordArray(0, cells.get());
  geometry->addPrimitiveSet(triangles.get());
  osg::ref_ptr<osg::Geode> geode = new osg::Geode;
  geode->setName("field");
  geode->addDrawable(geometry.get());

  osg::StateSet* ss = geode->getOrCreateStateSet();
  ss->setAttributeAndModes(fieldProgram(), osg::StateAttribute::ON | osg::StateAttribute::OVERRIDE);
  ss->setTextureAttributeAndModes(0, texture(values_.get(), GL_R32F, GL_FLOAT).get(), osg::StateAttribute::ON);
  ss->setTextureAttributeAndModes(1, texture(mask_.get(), GL_R8, GL_UNSIGNED_BYTE).get(), osg::StateAttribute::ON);
  ss->addUniform(new osg::Uniform("gt_field", 0));
  ss->addUniform(new osg::Uniform("gt_mask", 1));
  ss->addUniform(new osg::Uniform("gt_size", grid_.width, grid_.height));  // ivec2
  ss->addUniform(new osg::Uniform("gt_maskSub", sub));
  ss->addUniform(new osg::Uniform("gt_noDataColor", osg::Vec4(0.55f, 0.55f, 0.58f, 1.0f)));
  palette_ = new osg::Uniform(osg::Uniform::FLOAT_VEC4, "gt_palette", kMaxClasses);
  breaks_ = new osg::Uniform(osg::Uniform::FLOAT, "gt_breaks", kMaxClasses - 1);
  breakCount_ = new osg::Uniform("gt_breakCount", 0);
  for (osg::Uniform* u : {palette_.get(), breaks_.get(), breakCount_.get()}) {
    u->setDataVariance(osg::Object::DYNAMIC);
    ss->addUniform(u);
  }
  applyPalette();
  node()->addChild(geode.get());
  return Status::ok();
}

void FieldLayer::applyRenderBins() {
  for (unsigned i = 0; i < node()->getNumChildren(); ++i) {
    node()->getChild(i)->getOrCreateStateSet()->setRenderBinDetails(renderBinBase(), "RenderBin");
  }
}

void FieldLayer::applyPalette() {
  const auto& colours = rule_->palette();
  for (int i = 0; i < kMaxClasses; ++i) {
    const Rgba& c = colours[std::min<std::size_t>(static_cast<std::size_t>(i), colours.size() - 1)];
    palette_->setElement(static_cast<unsigned>(i), osg::Vec4(c[0], c[1], c[2], c[3]));
  }
  const auto& breaks = rule_->breaks();
  for (int i = 0; i < kMaxClasses - 1; ++i) {
    breaks_->setElement(static_cast<unsigned>(i),
                        i < static_cast<int>(breaks.size()) ? static_cast<float>(breaks[static_cast<std::size_t>(i)]) : 0.0f);
  }
  breakCount_->set(static_cast<int>(std::min<std::size_t>(breaks.size(), kMaxClasses - 1)));
}

bool FieldLayer::cellInArea(int col, int row) const {
  if (col < 0 || row < 0 || col >= grid_.width || row >= grid_.height || cellInside_.empty()) return false;
  return cellInside_[static_cast<std::size_t>(row) * grid_.width + col] != 0;
}

Status FieldLayer::setValues(std::span<const float> values) {
  if (state() != LayerState::Open) return Status(ErrorCode::InvalidArgument, "field layer '" + config_.id + "' is not open");
  if (values.size() != grid_.cellCount()) {
    return Status(ErrorCode::InvalidArgument, "field layer '" + config_.id + "': " + std::to_string(values.size()) +
                                                  " values for " + std::to_string(grid_.cellCount()) + " cells");
  }
  std::copy(values.begin(), values.end(), reinterpret_cast<float*>(values_->data()));
  values_->dirty();
  ++updates_;
  return Status::ok();
}

float FieldLayer::valueAt(int col, int row) const {
  if (!values_ || col < 0 || row < 0 || col >= grid_.width || row >= grid_.height) {
    return std::numeric_limits<float>::quiet_NaN();
  }
  return reinterpret_cast<const float*>(values_->data())[static_cast<std::size_t>(row) * grid_.width + col];
}

Status FieldLayer::restyleImpl(const LayerStyleConfig& style, const PropertyLookup& /*properties*/) {
  if (state() != LayerState::Open) return Status(ErrorCode::InvalidArgument, "layer '" + config_.id + "' is not open");
  if (style.colorMode != "graduated" || style.colorBy != config_.style.colorBy) {
    return Status(ErrorCode::Unsupported, "a field layer keeps its attribute and graduated colours: edit breaks/colors");
  }
  auto rule = ColorRule::fromConfig(config_.id, style);
  if (!rule) return rule.status();
  if (rule->palette().size() > static_cast<std::size_t>(kMaxClasses)) {
    return Status(ErrorCode::OutOfRange, "field layer '" + config_.id + "': at most 31 breaks are supported");
  }
  rule_ = *rule;
  config_.style = style;
  applyPalette();
  return Status::ok();
}

std::vector<LegendEntry> FieldLayer::legend() const {
  if (!rule_) return {};
  std::vector<LegendEntry> rows = rule_->legend(config_.nameEn, config_.nameZh, LegendEntry::Shape::Fill);
  rows.push_back({kNoDataColor, "no data (no live station in range)", "无数据（范围内无实时站点）", LegendEntry::Shape::Fill});
  return rows;
}

namespace {

bool sameInputs(const std::vector<float>& a, const std::vector<float>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!(a[i] == b[i] || (std::isnan(a[i]) && std::isnan(b[i])))) return false;
  }
  return true;
}

}  // namespace

// A failed computation is a warning in the layer panel, once per distinct message (it may fail every frame).
void FieldLayer::noteProblem(const Status& status) {
  if (status.isOk() || status.message() == lastProblem_) return;
  lastProblem_ = status.message();
  addWarning("field layer '" + id() + "': " + status.message());
}

void FieldLayer::updateImpl(const LayerFrame& frame, bool invalidated) {
  const FrameContext& ctx = frame.context;
  const FieldOptions& fc = fieldOptions(config_);
  const auto now = std::chrono::steady_clock::now();
  const bool force = invalidated || ctx.storeGeneration != seenStoreGeneration_;
  seenStoreGeneration_ = ctx.storeGeneration;
  if (!force && now - lastComputed_ < std::chrono::duration<double>(1.0 / std::max(fc.maxUpdateHz, 0.01))) return;
  if (!fc.provider.empty()) {  // a plugin computes this field
    lastComputed_ = now;
    if (frame.fields == nullptr) return;
    auto values = frame.fields->computeField(fc.provider, grid_, ctx.time);
    noteProblem(values ? setValues(*values) : values.status());
    return;
  }
  const Layer* points = frame.findLayer ? frame.findLayer(fc.points) : nullptr;
  const auto attribute = ctx.attributes->find(config_.style.colorBy);
  std::vector<float> inputs;
  std::vector<ScatteredPoint> scattered;
  const FeatureSet* features = points != nullptr && points->state() == LayerState::Open ? points->features() : nullptr;
  if (features != nullptr && attribute) {
    inputs.assign(points->slotCount(), std::numeric_limits<float>::quiet_NaN());
    for (std::uint32_t s = 0; s < points->slotCount() && s < features->features.size(); ++s) {
      const EntityIndex e = points->entityOfSlot(s);
      if (e == kInvalidEntity || features->features[s].geometry.points.empty()) continue;
      const JudgedValue v = ctx.judged(e, *attribute);
      if (v.state != ValueState::Live) continue;  // stale values never feed the field
      inputs[s] = static_cast<float>(v.value);
      const Vec3d& p = features->features[s].geometry.points.front();
      scattered.push_back({p.x, p.y, v.value});
    }
  }
  if (!force && updates_ > 0 && sameInputs(inputs, inputs_)) return;
  const IdwParams params{fc.power, fc.searchRadiusM, fc.maxNeighbours};
  auto grid = idwGrid(grid_, scattered, params);
  if (!grid) {
    noteProblem(grid.status());
    return;
  }
  if (Status st = setValues(grid->values); !st) {
    noteProblem(st);
    return;
  }
  inputs_ = std::move(inputs);
  lastComputed_ = now;
}

// ---- [layers.field] -------------------------------------------------------------------------------------------

LayerOptionsParser fieldOptionsParser() {
  static constexpr std::string_view kKeys[]{"points", "method", "power", "search_radius_m", "max_neighbours",
                                            "max_update_hz", "provider"};
  static constexpr std::string_view kMethods[]{"idw"};
  return {{"field"}, [](const ConfigTable& layer, bool) -> std::shared_ptr<const LayerOptions> {
            auto options = std::make_shared<FieldOptions>();
            const auto field = layer.table("field");
            if (!field) return options;
            field->checkKeys(kKeys);
            field->readString("points", options->points);
            field->readString("provider", options->provider);
            field->readString("method", options->method, kMethods);
            field->readDouble("power", options->power, 0.1, 10.0);
            field->readDouble("search_radius_m", options->searchRadiusM, 0.0, 1e6);
            field->readInt("max_neighbours", options->maxNeighbours, 0, 1000);
            field->readDouble("max_update_hz", options->maxUpdateHz, 0.01, 60.0);
            return options;
          }};
}

}  // namespace gt::layers
