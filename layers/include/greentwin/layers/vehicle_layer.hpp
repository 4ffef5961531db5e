#pragma once
// Vehicles (issue 4, moving entities): entities that a live feed brings — a bus reporting where it is — drawn as
// one marker each at its position at the frame's time. Nothing is read from a file. The layer owns an entity id
// prefix ([layers.vehicles] prefix, e.g. "buses/"): the twin registers the feed's new ids under it as entities
// (core/dynamic_entities.hpp, bounded by max_entities) and gives each to addVehicle(), which gives it the next slot.
//
// Each frame Layer::update samples every vehicle from the frame context (its value store, stale rule and geo frame):
//  - position: the x/y (scene metres) or lon/lat (degrees) attributes, interpolated linearly between the samples
//    either side of t (playback, or a clock behind the feed) and held at the last sample after it (no
//    extrapolation); laid on the terrain when there is one;
//  - state, from the POSITION sample: LIVE while t - sampleTime <= staleAfter(entity), STALE after — drawn greyed
//    (staleColor) and translucent at its last position, never as live — and NO_DATA before its first sample (not
//    drawn: there is nowhere to draw it);
//  - colour: the style's rule, "single" (fill_color) or "graduated" over a live numeric attribute (color_by,
//    e.g. speed_kmh) sampled at t (sample and hold); no value: kNoDataColor.
//
// Drawing: every marker is one vertex of ONE GL_POINTS geometry — one draw for the whole fleet, since draw calls
// are what costs on llvmpipe — drawn as a round sprite with a dark rim, point_size_px across; positions and colours
// are rewritten in place, nothing is rebuilt. The selected and hovered markers get a bright rim. Stale markers draw first, live ones over them, the hovered and the
// selected one last. Markers are depth-tested against the scene (hidden behind buildings and hills) but drawn
// after the 3D content, each pulled towards the eye by twice its radius so that the ground around it does not
// clip it (see the vertex shader). A point has no area a pick ray could hit: the layer picks in window space
// (entityNearWindowPoint).
//
// Update thread only.

#include <osg/Geometry>
#include <osg/Point>
#include <osg/ref_ptr>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/raster.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/core/vec.hpp"
#include "greentwin/layers/layer.hpp"
#include "greentwin/layers/layer_capabilities.hpp"
#include "greentwin/layers/style.hpp"

namespace gt::layers {

// [layers.vehicles] of a "vehicles" layer: the entities it owns and where their positions are.
struct VehiclesOptions : LayerOptions {
  std::string prefix;                // entity id prefix the layer owns, e.g. "buses/" (required)
  std::string kind = "vehicle";      // entity kind of the registered vehicles
  int maxEntities = 500;             // bound on registered vehicles: further new ids are refused and counted
  std::string position = "xy";       // "xy": scene metres in x/y attributes; "lonlat": degrees in lon/lat ones
  std::string xAttribute = "x";
  std::string yAttribute = "y";
  std::string lonAttribute = "lon";
  std::string latAttribute = "lat";
  int line = 0;                      // line of the [layers.vehicles] table, for messages
};

inline const VehiclesOptions& vehiclesOptions(const LayerConfig& config) {
  return layerOptions<VehiclesOptions>(config);
}
// Reads [layers.vehicles] (registered with the "vehicles" type, for which `prefix` is required).
LayerOptionsParser vehiclesOptionsParser();

class VehicleLayer : public Layer, public EntityClaimant {
 public:
  // Height of a marker above the ground (metres).
  static constexpr double kGroundOffsetM = 1.5;
  // Alpha factor of a stale marker (as VectorLayer's).
  static constexpr float kStaleAlpha = 0.6f;

  VehicleLayer(LayerConfig config, std::shared_ptr<const HeightField> ground = nullptr);

  // The attribute names update() reads: the position pair (x, y or lon, lat) and the colour attribute when the
  // style colours by one. The owner interns them (so a feed's first message already resolves them) and binds them.
  std::vector<std::string> attributeNames() const;
  // Interns attributeNames() in `registry` and keeps their ids. Errors name the attribute.
  Status bindAttributes(AttributeRegistry& registry) override;

  // A vehicle entity registered under the layer's prefix: drawn from the next update() on. Returns its slot.
  std::uint32_t addVehicle(EntityIndex entity);

  // The owner refused a new vehicle id for max_entities: a warning in the layer panel, once (counts: in the log).
  void noteRefused() override;

  // Its claim (EntityClaimant): [layers.vehicles] prefix, kind and max_entities; each vehicle starts with the
  // properties "layer" (the layer id) and, for a synthetic layer, "synthetic".
  EntityClaimant* entityClaimant() override { return this; }
  EntityClaim entityClaim() const override;
  std::uint32_t addClaimedEntity(EntityIndex entity) override { return addVehicle(entity); }

  // What the last update decided for a slot (nullopt for an unknown slot).
  struct Drawn {
    Vec3d position;      // scene metres (valid unless state is NoData)
    SlotState state = SlotState::NoData;
    Rgba color{};        // as drawn, before any highlight
    TimePoint sampleTime = kNoTime;  // of the position sample used
  };
  std::optional<Drawn> drawn(std::uint32_t slot) const;
  SlotState slotState(std::uint32_t slot) const;
  // Markers drawn now (vertices of the one geometry) and the geometry itself (tests).
  std::size_t drawnCount() const { return drawOrder_.size(); }
  const osg::Geometry* geometry() const { return geometry_.get(); }

  std::vector<LegendEntry> legend() const override;
  // Colours (rule) and point size change in place.
  Status restyleImpl(const LayerStyleConfig& style, const PropertyLookup& properties) override;
  std::optional<EntityIndex> entityNearWindowPoint(const osg::Matrixd& worldToWindow, double x,
                                                   double y) const override;
  // The selected / hovered markers get a bright, wide rim (the secondary colour array) and are drawn on top; no
  // node per entity.
  void setHighlight(std::optional<EntityIndex> selected, std::optional<EntityIndex> hovered) override;

 protected:
  Status openImpl() override;
  // Every frame: samples every vehicle at the frame's time and rewrites the markers (vehicles move between samples).
  // Needs bindAttributes() first (before it: nothing drawn).
  void updateImpl(const LayerFrame& frame, bool invalidated) override;
  void applyRenderBins() override;

 private:
  void writeArrays();
  std::shared_ptr<const HeightField> ground_;
  std::optional<ColorRule> rule_;
  AttributeId first_ = kInvalidAttribute;   // x or lon
  AttributeId second_ = kInvalidAttribute;  // y or lat
  AttributeId color_ = kInvalidAttribute;   // graduated: color_by
  bool bound_ = false;
  bool refusedNoted_ = false;
  std::vector<Drawn> vehicles_;             // per slot
  std::vector<std::uint32_t> drawOrder_;    // slot per vertex, as drawn
  std::optional<EntityIndex> selected_;
  std::optional<EntityIndex> hovered_;
  osg::ref_ptr<osg::Geometry> geometry_;
  osg::ref_ptr<osg::Vec3Array> vertices_;
  osg::ref_ptr<osg::Vec4Array> colors_;
  osg::ref_ptr<osg::Vec4Array> rims_;  // secondary colour: rim colour and width per marker
  osg::ref_ptr<osg::DrawArrays> points_;
  osg::ref_ptr<osg::Point> pointSize_;
  osg::ref_ptr<osg::Uniform> radiusUniform_;  // half the point size, for the shader's pull towards the eye
};

}  // namespace gt::layers
