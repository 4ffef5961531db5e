#include "greentwin/layers/terrain_layer.hpp"
#include "shader_program.hpp"
#include "terrain_lod.hpp"
#include "terrain_tiles.hpp"

#include <osg/Depth>
#include <osg/Image>
#include <osg/Program>
#include <osg/StateSet>
#include <osg/Texture2D>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <numbers>

namespace gt::layers {
namespace {

// Like the ground program (layer.cpp), plus the draped texture: colour = texture * vertex colour.
constexpr const char* kVertexShader = R"(#version 120
varying vec4 vColor;
varying vec2 vTexCoord;
void main() {
  gl_Position = ftransform();
  vColor = gl_Color;
  vTexCoord = gl_MultiTexCoord0.xy;
}
)";

constexpr const char* kFragmentShader = R"(#version 120
uniform sampler2D gt_texture;
uniform float gt_opacity;
uniform vec4 gt_highlight;
varying vec4 vColor;
varying vec2 vTexCoord;
void main() {
  vec4 c = texture2D(gt_texture, vTexCoord) * vColor;
  vec3 rgb = mix(c.rgb, gt_highlight.rgb, gt_highlight.a);
  gl_FragColor = vec4(rgb, c.a * gt_opacity);
}
)";

osg::Program* terrainProgram() {
  static osg::ref_ptr<osg::Program> program = detail::makeProgram("gt_terrain", kVertexShader, kFragmentShader);
  return program.get();
}

// Heights closer together than this are tinted as if they spanned it: a flat district stays in the low greens
// instead of stretching a few metres over the whole ramp.
constexpr double kMinTintSpanM = 100.0;

// The tinted hillshade: tint(height) * (ambient + diffuse * shade).
RgbaImage tintedHillshade(const RasterGrid& dem, double verticalScale, float minHeight, float maxHeight) {
  RgbaImage image = hillshade(dem, 315.0, 45.0, verticalScale);
  const double span = std::max(static_cast<double>(maxHeight - minHeight), kMinTintSpanM);
  for (int row = 0; row < dem.height; ++row) {
    for (int col = 0; col < dem.width; ++col) {
      const float z = dem.at(col, row);
      std::uint8_t* p = &image.pixels[4 * (static_cast<std::size_t>(row) * dem.width + col)];
      if (std::isnan(z)) continue;  // transparent already
      const Rgba tint = hypsometricTint((z - minHeight) / span);
      const double light = 0.3 + 0.7 * (p[0] / 255.0) / std::sin(std::numbers::pi / 4);  // flat ground: 1.0
      for (int k = 0; k < 3; ++k) {
        p[k] = static_cast<std::uint8_t>(std::lround(std::clamp(tint[static_cast<std::size_t>(k)] * light, 0.0, 1.0) * 255));
      }
      p[3] = 255;
    }
  }
  return image;
}

osg::ref_ptr<osg::Texture2D> makeTexture(const RgbaImage& image) {
  osg::ref_ptr<osg::Image> osgImage = new osg::Image;
  const std::size_t bytes = image.pixels.size();
  auto* data = new unsigned char[bytes];
  std::memcpy(data, image.pixels.data(), bytes);
  // Row 0 of an osg::Image is t = 0, the bottom: our row 0 is the south edge, so no flip.
  osgImage->setImage(image.width, image.height, 1, GL_RGBA8, GL_RGBA, GL_UNSIGNED_BYTE, data,
                     osg::Image::USE_NEW_DELETE);
  osg::ref_ptr<osg::Texture2D> texture = new osg::Texture2D(osgImage.get());
  texture->setFilter(osg::Texture::MIN_FILTER, osg::Texture::LINEAR_MIPMAP_LINEAR);
  texture->setFilter(osg::Texture::MAG_FILTER, osg::Texture::LINEAR);
  texture->setWrap(osg::Texture::WRAP_S, osg::Texture::CLAMP_TO_EDGE);
  texture->setWrap(osg::Texture::WRAP_T, osg::Texture::CLAMP_TO_EDGE);
  texture->setResizeNonPowerOfTwoHint(false);  // GL 2 handles any size; OSG still shrinks one above the GL limit
  return texture;
}

}  // namespace

Rgba hypsometricTint(double t) {
  struct Stop {
    double t;
    Rgba c;
  };
  static constexpr Stop kStops[] = {
      {0.00, {0.36f, 0.56f, 0.33f, 1.0f}},  // lowland green
      {0.25, {0.60f, 0.70f, 0.42f, 1.0f}},  // light green
      {0.50, {0.82f, 0.76f, 0.54f, 1.0f}},  // tan
      {0.75, {0.64f, 0.50f, 0.38f, 1.0f}},  // brown
      {1.00, {0.96f, 0.96f, 0.96f, 1.0f}},  // snow
  };
  if (std::isnan(t)) t = 0.0;
  t = std::clamp(t, 0.0, 1.0);
  for (std::size_t i = 1; i < std::size(kStops); ++i) {
    if (t <= kStops[i].t) {
      const double f = (t - kStops[i - 1].t) / (kStops[i].t - kStops[i - 1].t);
      Rgba out{};
      for (std::size_t k = 0; k < 4; ++k) {
        out[k] = static_cast<float>(kStops[i - 1].c[k] + f * (kStops[i].c[k] - kStops[i - 1].c[k]));
      }
      return out;
    }
  }
  return kStops[std::size(kStops) - 1].c;
}

TerrainLayer::TerrainLayer(LayerConfig config, std::shared_ptr<const RasterGrid> dem,
                           std::shared_ptr<const RgbaImage> imagery, double verticalScale, int tileCells)
    : Layer(std::move(config)),
      dem_(std::move(dem)),
      imagery_(std::move(imagery)),
      verticalScale_(verticalScale),
      tileCells_(tileCells),
      lodSettings_(new detail::TerrainLodSettings) {
  osg::StateSet* ss = node()->getOrCreateStateSet();
  // The terrain is the one ground layer that hides what is behind it: depth test and depth write on.
  ss->setAttributeAndModes(new osg::Depth(osg::Depth::LESS, 0.0, 1.0, true));
  ss->setAttributeAndModes(terrainProgram(), osg::StateAttribute::ON);
  ss->addUniform(new osg::Uniform("gt_texture", 0));
}

TerrainLayer::~TerrainLayer() = default;

double TerrainLayer::maxScreenErrorPx() const { return lodSettings_->maxErrorPx.load(); }

void TerrainLayer::setMaxScreenErrorPx(double pixels) {
  if (std::isfinite(pixels) && pixels > 0) lodSettings_->maxErrorPx.store(static_cast<float>(pixels));
}

std::shared_ptr<const HeightField> TerrainLayer::heightField() const {
  return state() == LayerState::Open ? heightField_ : nullptr;
}

Status TerrainLayer::openImpl() {
  const std::string name = "terrain layer '" + config_.id + "'";
  if (!dem_ || !dem_->valid()) return Status(ErrorCode::InvalidArgument, name + " was given no valid elevation grid");
  if (dem_->width < 2 || dem_->height < 2) {
    return Status(ErrorCode::InvalidArgument, name + ": the elevation grid needs at least 2 x 2 cells (it has " +
                                                  std::to_string(dem_->width) + " x " +
                                                  std::to_string(dem_->height) + ")");
  }
  if (!std::isfinite(verticalScale_) || verticalScale_ <= 0) {
    return Status(ErrorCode::InvalidArgument, name + ": vertical scale must be a positive number");
  }
  if (tileCells_ < 1) return Status(ErrorCode::InvalidArgument, name + ": tile size must be at least 1 cell");
  const auto range = dem_->valueRange();
  if (!range) return Status(ErrorCode::InvalidArgument, name + ": every elevation cell is nodata");
  if (imagery_ && !imagery_->valid()) return Status(ErrorCode::InvalidArgument, name + ": the imagery is not valid");
  for (const std::string& w : dem_->warnings) addWarning(w);
  if (imagery_) {
    for (const std::string& w : imagery_->warnings) addWarning(w);
  }
  minHeight_ = range->first;
  maxHeight_ = range->second;
  heightField_ = HeightField::create(dem_, verticalScale_);
  texture_ = imagery_ ? imagery_
                      : std::make_shared<const RgbaImage>(tintedHillshade(*dem_, verticalScale_, minHeight_, maxHeight_));
  const RgbaImage& tex = *texture_;

  // Levels of detail (terrain_lod.hpp, terrain_tiles.hpp): a quadtree of tiles of tileCells_ quads a side, the finest
  // level the DEM's cells, each level above at half the density, lowered so it never rises above the true ground; the
  // cull traversal draws the coarsest tiles whose error stays under maxScreenErrorPx() pixels. Skirts hang below the
  // inner tile edges by the largest error in the tree (+ a tenth of a cell against rasterisation cracks at
  // T-junctions), so tiles of different levels never open a gap onto the background.
  const detail::TerrainLod lod = detail::buildTerrainLod(*dem_, verticalScale_, tileCells_);
  levelCount_ = lod.levels;
  tileCount_ = 0;
  for (const detail::TerrainLodTile& t : lod.tiles) tileCount_ += t.level == 0 && t.triangles > 0 ? 1 : 0;
  // Nodata vertices sit at the lowest height: no triangle uses them, but they keep the tile's bounds sane.
  const float floorZ = static_cast<float>(minHeight_ * verticalScale_);
  const float skirtHeight = lod.maxError + static_cast<float>(0.1 * std::max(dem_->dx, dem_->dy));
  osg::ref_ptr<osg::Group> tiles = new osg::Group;
  tiles->setName("tiles");
  if (osg::ref_ptr<detail::TerrainTileNode> root =
          detail::buildTerrainTileNodes(lod, tex, skirtHeight, floorZ, lodSettings_)) {
    tiles->addChild(root.get());
  }
  tiles->getOrCreateStateSet()->setTextureAttributeAndModes(0, makeTexture(tex).get(), osg::StateAttribute::ON);
  node()->addChild(tiles.get());
  return Status::ok();
}

void TerrainLayer::applyRenderBins() {
  // Always first, whatever its place in the layer list: everything else is drawn on or against it.
  node()->getOrCreateStateSet()->setRenderBinDetails(kRenderBin, "RenderBin");
}

std::vector<LegendEntry> TerrainLayer::legend() const {
  if (state() != LayerState::Open) return {};
  return {{hypsometricTint(0.0), config_.nameEn, config_.nameZh, LegendEntry::Shape::Fill}};
}

LayerOptionsParser terrainOptionsParser() {
  return {{"imagery"}, [](const ConfigTable& layer, bool) -> std::shared_ptr<const LayerOptions> {
            auto options = std::make_shared<TerrainOptions>();
            layer.readString("imagery", options->imagery);
            return options;
          }};
}

}  // namespace gt::layers
