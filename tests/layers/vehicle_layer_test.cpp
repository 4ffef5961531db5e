// The vehicles layer (issue 4, moving entities): markers at each vehicle's position at the frame's time,
// interpolated between samples, LIVE / STALE / NO_DATA by the position sample's age, coloured by a live attribute,
// all in one GL_POINTS geometry; picked in window space.
#include <osg/Geode>
#include <osg/Geometry>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/frame_context.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/stale_rule.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/layers/layer_registry.hpp"
#include "greentwin/layers/vehicle_layer.hpp"
#include "layer_config_support.hpp"

namespace gt::layers {
namespace {

using ::testing::HasSubstr;

constexpr TimePoint kT0 = 1'800'000'000LL * kMicrosPerSecond;
constexpr Duration kSecond = kMicrosPerSecond;

// The twin's side: frame contexts over a real TimeSeriesStore, with a fixed stale limit for every entity (no
// declared intervals: factor 1 x a default interval of that length) and a toy lon/lat projection — an
// equirectangular sphere of radius 1e5 x 180 / pi m, so that scene x = (lon - 116.7) x 1e5 and y = (lat - 39.9) x 1e5
// metres from the origin (116.7, 39.9).
class StoreValues {
 public:
  StoreValues(const TimeSeriesStore& store, Duration staleAfter)
      : stale_(limit(staleAfter)),
        geo_(*GeoFrame::create(116.7, 39.9, "+proj=eqc +R=5729577.951308232 +lat_ts=0 +lon_0=0 +units=m +no_defs")) {
    context_.values = &store;
    context_.stale = &stale_;
    context_.geo = &geo_;
  }
  // The next frame, at t (valid until the next call).
  LayerFrame at(TimePoint t) {
    ++context_.frame;
    context_.time = t;
    return LayerFrame{context_, {}, nullptr};
  }

 private:
  static FeedHealthConfig limit(Duration staleAfter) {
    FeedHealthConfig c;
    c.defaultInterval = staleAfter;
    c.staleFactor = 1.0;
    return c;
  }
  StaleRule stale_;
  GeoFrame geo_;
  FrameContext context_;
};

LayerConfig busConfig() {
  LayerConfig c;
  c.id = "buses";
  c.type = "vehicles";
  VehiclesOptions& vehicles = editLayerOptions<VehiclesOptions>(c);
  vehicles.prefix = "buses/";
  vehicles.kind = "bus";
  c.style.pointSizePx = 10;
  c.style.colorMode = "graduated";
  c.style.colorBy = "speed_kmh";
  c.style.breaks = {10, 25};
  c.style.colors = {"#d32f2f", "#fbc02d", "#388e3c"};
  return c;
}

struct Fixture {
  EntityStore entities;
  TimeSeriesStore store;
  VehicleLayer layer{busConfig()};
  AttributeId x = 0, y = 0, speed = 0;

  Fixture() {
    EXPECT_TRUE(layer.open().isOk()) << layer.status().message();
    EXPECT_TRUE(layer.bindAttributes(entities.attributes()).isOk());
    x = *entities.attributes().find("x");
    y = *entities.attributes().find("y");
    speed = *entities.attributes().find("speed_kmh");
  }
  EntityIndex addBus(const std::string& id) {
    const EntityIndex e = *entities.add(id, "bus");
    layer.addVehicle(e);
    return e;
  }
  void sample(EntityIndex e, TimePoint t, double px, double py, double kmh) {
    store.append(e, x, t, px);
    store.append(e, y, t, py);
    store.append(e, speed, t, kmh);
  }
};

TEST(VehicleLayer, BindingInternsThePositionAndColourAttributes) {
  Fixture f;
  EXPECT_EQ(f.layer.attributeNames(), (std::vector<std::string>{"x", "y", "speed_kmh"}));
  EXPECT_EQ(f.entities.attributes().size(), 3u);
}

TEST(VehicleLayer, PositionsInterpolateBetweenTwoSamplesAndHoldAfterTheLast) {
  Fixture f;
  const EntityIndex bus = f.addBus("buses/T51-01");
  f.sample(bus, kT0, 100.0, 200.0, 20.0);
  f.sample(bus, kT0 + 10 * kSecond, 300.0, 100.0, 20.0);
  StoreValues values(f.store, 30 * kSecond);

  f.layer.update(values.at(kT0 + 5 * kSecond));  // half-way
  auto d = f.layer.drawn(0);
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->state, SlotState::Live);
  EXPECT_DOUBLE_EQ(d->position.x, 200.0);
  EXPECT_DOUBLE_EQ(d->position.y, 150.0);
  EXPECT_DOUBLE_EQ(d->position.z, VehicleLayer::kGroundOffsetM);  // no terrain: on the flat ground
  EXPECT_EQ(d->sampleTime, kT0);

  f.layer.update(values.at(kT0 + 7500 * 1000));  // three quarters
  d = f.layer.drawn(0);
  EXPECT_DOUBLE_EQ(d->position.x, 250.0);
  EXPECT_DOUBLE_EQ(d->position.y, 125.0);

  // The vertex the GPU draws is that position.
  const auto* vertices = dynamic_cast<const osg::Vec3Array*>(f.layer.geometry()->getVertexArray());
  ASSERT_NE(vertices, nullptr);
  ASSERT_EQ(vertices->size(), 1u);
  EXPECT_FLOAT_EQ((*vertices)[0].x(), 250.0f);
  EXPECT_FLOAT_EQ((*vertices)[0].y(), 125.0f);

  f.layer.update(values.at(kT0 + 12 * kSecond));  // after the last sample: held there, not extrapolated
  d = f.layer.drawn(0);
  EXPECT_DOUBLE_EQ(d->position.x, 300.0);
  EXPECT_DOUBLE_EQ(d->position.y, 100.0);
  EXPECT_EQ(d->state, SlotState::Live);
}

TEST(VehicleLayer, AStaleVehicleIsDrawnGreyedAtItsLastPositionAndNeverAsLive) {
  Fixture f;
  const EntityIndex fresh = f.addBus("buses/T51-01");
  const EntityIndex old = f.addBus("buses/T51-02");
  f.sample(fresh, kT0 + 58 * kSecond, 10.0, 10.0, 30.0);
  f.sample(old, kT0, 50.0, 60.0, 30.0);  // the same speed: the same class colour when live
  StoreValues values(f.store, 30 * kSecond);
  f.layer.update(values.at(kT0 + 60 * kSecond));

  const auto live = f.layer.drawn(0);
  const auto stale = f.layer.drawn(1);
  ASSERT_TRUE(live && stale);
  EXPECT_EQ(live->state, SlotState::Live);
  EXPECT_EQ(stale->state, SlotState::Stale);
  EXPECT_EQ(f.layer.slotState(1), SlotState::Stale);
  EXPECT_DOUBLE_EQ(stale->position.x, 50.0);
  EXPECT_DOUBLE_EQ(stale->position.y, 60.0);
  const Rgba green = *parseColor("#388e3c");  // > 25 km/h
  EXPECT_EQ(live->color, green);
  Rgba expected = staleColor(green);
  expected[3] *= VehicleLayer::kStaleAlpha;
  EXPECT_EQ(stale->color, expected);
  EXPECT_NE(stale->color, green);

  // Both are drawn, in one geometry: the stale one first (under), in its stale colour.
  EXPECT_EQ(f.layer.drawnCount(), 2u);
  const auto* colors = dynamic_cast<const osg::Vec4Array*>(f.layer.geometry()->getColorArray());
  ASSERT_NE(colors, nullptr);
  ASSERT_EQ(colors->size(), 2u);
  EXPECT_FLOAT_EQ((*colors)[0].r(), expected[0]);
  EXPECT_FLOAT_EQ((*colors)[0].a(), expected[3]);
  EXPECT_FLOAT_EQ((*colors)[1].g(), green[1]);

  // A new sample makes it live again.
  f.sample(old, kT0 + 59 * kSecond, 55.0, 60.0, 5.0);
  f.layer.update(values.at(kT0 + 60 * kSecond));
  EXPECT_EQ(f.layer.slotState(1), SlotState::Live);
  EXPECT_EQ(f.layer.drawn(1)->color, *parseColor("#d32f2f"));  // < 10 km/h
}

TEST(VehicleLayer, AVehicleWithoutAPositionYetIsNotDrawnAndAMissingColourValueIsNoData) {
  Fixture f;
  const EntityIndex a = f.addBus("buses/a");
  const EntityIndex b = f.addBus("buses/b");
  f.store.append(a, f.x, kT0, 1.0);
  f.store.append(a, f.y, kT0, 2.0);  // a position, no speed
  f.store.append(b, f.x, kT0 + 100 * kSecond, 1.0);
  f.store.append(b, f.y, kT0 + 100 * kSecond, 2.0);  // only after the frame's time
  StoreValues values(f.store, 30 * kSecond);
  f.layer.update(values.at(kT0 + kSecond));
  EXPECT_EQ(f.layer.slotState(0), SlotState::Live);
  EXPECT_EQ(f.layer.drawn(0)->color, kNoDataColor);
  EXPECT_EQ(f.layer.slotState(1), SlotState::NoData);
  EXPECT_EQ(f.layer.drawnCount(), 1u);
  EXPECT_EQ(f.layer.geometry()->getVertexArray()->getNumElements(), 1u);
}

TEST(VehicleLayer, ManyVehiclesAreOneDrawableAndLonLatPositionsAreProjected) {
  LayerConfig c = busConfig();
  editLayerOptions<VehiclesOptions>(c).position = "lonlat";
  c.style.colorMode = "single";
  c.style.fillColor = "#2196f3";
  VehicleLayer layer(c);
  ASSERT_TRUE(layer.open().isOk()) << layer.status().message();
  EntityStore entities;
  ASSERT_TRUE(layer.bindAttributes(entities.attributes()).isOk());
  EXPECT_EQ(layer.attributeNames(), (std::vector<std::string>{"lon", "lat"}));
  const AttributeId lon = *entities.attributes().find("lon");
  const AttributeId lat = *entities.attributes().find("lat");
  TimeSeriesStore store;
  for (int i = 0; i < 300; ++i) {
    const EntityIndex e = *entities.add("buses/" + std::to_string(i), "bus");
    layer.addVehicle(e);
    store.append(e, lon, kT0, 116.7 + 0.001 * i);
    store.append(e, lat, kT0, 39.9);
  }
  StoreValues values(store, 30 * kSecond);
  layer.update(values.at(kT0 + kSecond));
  EXPECT_EQ(layer.drawnCount(), 300u);
  EXPECT_NEAR(layer.drawn(7)->position.x, 700.0, 1e-6);
  EXPECT_NEAR(layer.drawn(7)->position.y, 0.0, 1e-6);
  EXPECT_EQ(layer.drawn(7)->color, *parseColor("#2196f3"));
  // One geode with one geometry for the whole fleet: one draw, whatever the number of vehicles.
  ASSERT_EQ(layer.node()->getNumChildren(), 1u);
  const auto* geode = dynamic_cast<const osg::Geode*>(layer.node()->getChild(0));
  ASSERT_NE(geode, nullptr);
  EXPECT_EQ(geode->getNumDrawables(), 1u);
  EXPECT_EQ(layer.geometry()->getVertexArray()->getNumElements(), 300u);
  EXPECT_FALSE(layer.geometry()->getCullingActive()) << "zero-radius points must not be small-feature culled";
}

TEST(VehicleLayer, APickInWindowSpaceFindsTheMarkerUnderThePointer) {
  Fixture f;
  const EntityIndex a = f.addBus("buses/a");
  const EntityIndex b = f.addBus("buses/b");
  f.sample(a, kT0, 100.0, 100.0, 20.0);
  f.sample(b, kT0, 300.0, 100.0, 20.0);
  StoreValues values(f.store, 30 * kSecond);
  f.layer.update(values.at(kT0));
  // A top-down orthographic camera: 1 pixel per metre, scene (0, 0) at the window's corner.
  const osg::Matrixd view = osg::Matrixd::lookAt(osg::Vec3d(200, 100, 1000), osg::Vec3d(200, 100, 0), osg::Vec3d(0, 1, 0));
  const osg::Matrixd projection = osg::Matrixd::ortho(-200, 200, -100, 100, 1, 2000);
  const osg::Matrixd window = osg::Matrixd::translate(1, 1, 1) * osg::Matrixd::scale(200, 100, 0.5);
  const osg::Matrixd worldToWindow = view * projection * window;
  EXPECT_EQ(f.layer.entityNearWindowPoint(worldToWindow, 100, 100), std::optional<EntityIndex>(a));
  EXPECT_EQ(f.layer.entityNearWindowPoint(worldToWindow, 303, 98), std::optional<EntityIndex>(b));
  EXPECT_EQ(f.layer.entityNearWindowPoint(worldToWindow, 200, 100), std::nullopt);  // between them
  // A selected vehicle keeps its class colour, gets a wide white rim, and is drawn last (on top).
  const auto* rims = dynamic_cast<const osg::Vec4Array*>(f.layer.geometry()->getSecondaryColorArray());
  ASSERT_NE(rims, nullptr);
  const osg::Vec4 plainRim = rims->front();
  f.layer.setHighlight(a, std::nullopt);
  const auto* colors = dynamic_cast<const osg::Vec4Array*>(f.layer.geometry()->getColorArray());
  const auto* vertices = dynamic_cast<const osg::Vec3Array*>(f.layer.geometry()->getVertexArray());
  ASSERT_EQ(vertices->size(), 2u);
  EXPECT_FLOAT_EQ(vertices->back().x(), 100.0f);
  const Rgba c = f.layer.drawn(0)->color;
  EXPECT_EQ(colors->back(), osg::Vec4(c[0], c[1], c[2], c[3]));
  EXPECT_GT(rims->back().r(), 0.9f);  // a white rim
  EXPECT_LT(rims->back().a(), plainRim.a()) << "the selected rim starts nearer the centre: wider";
  EXPECT_EQ(rims->front(), plainRim);
}

TEST(VehicleLayer, BadConfigsAreErrorsNamingTheProblem) {
  LayerConfig noPrefix = busConfig();
  editLayerOptions<VehiclesOptions>(noPrefix).prefix.clear();
  VehicleLayer a(noPrefix);
  EXPECT_FALSE(a.open().isOk());
  EXPECT_NE(a.status().message().find("prefix"), std::string::npos);
  LayerConfig categorical = busConfig();
  categorical.style.colorMode = "categorical";
  categorical.style.categories = {{"a", "#ff0000"}};
  VehicleLayer b(categorical);
  EXPECT_FALSE(b.open().isOk());
  EXPECT_NE(b.status().message().find("live number"), std::string::npos);
  // Built through the registry like every builtin type.
  LayerRegistry registry;
  registerBuiltinLayers(registry);
  auto created = registry.create(LayerInputs{busConfig(), nullptr});
  ASSERT_TRUE(created) << created.status().message();
  EXPECT_NE(dynamic_cast<VehicleLayer*>(created->get()), nullptr);
}

// ---- [layers.<type>] (moved from tests/core/config_test.cpp with the options) ----------------------------

TEST(VehicleLayer, VehiclesLayerSection) {
  auto r = parseWithLayerTypes(
      "[[layers]]\nid = \"buses\"\ntype = \"vehicles\"\n[layers.vehicles]\nprefix = \"buses/\"\nkind = \"bus\"\n"
      "max_entities = 40\nposition = \"lonlat\"\nlon_attribute = \"lng\"\nlat_attribute = \"la\"\n");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const VehiclesOptions& v = vehiclesOptions(r->layers.at(0));
  EXPECT_EQ(v.prefix, "buses/");
  EXPECT_EQ(v.kind, "bus");
  EXPECT_EQ(v.maxEntities, 40);
  EXPECT_EQ(v.position, "lonlat");
  EXPECT_EQ(v.lonAttribute, "lng");
  EXPECT_EQ(v.latAttribute, "la");
  EXPECT_EQ(v.xAttribute, "x");  // defaults: the simulator's names
  EXPECT_EQ(v.line, 4);
  EXPECT_THAT(parseError("[[layers]]\nid = \"b\"\ntype = \"vehicles\"\n").message(),
              HasSubstr("test.toml:1: 'layers[0]' (type \"vehicles\") needs 'layers[0].vehicles.prefix'"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"b\"\n[layers.vehicles]\nprefix = \"b/\"\nmax_entities = 0\n").message(),
              HasSubstr("'layers[0].vehicles.max_entities' = 0 is out of range"));
  EXPECT_THAT(parseError("[[layers]]\nid = \"b\"\n[layers.vehicles]\nposition = \"polar\"\n").message(),
              HasSubstr("'layers[0].vehicles.position' = \"polar\" is not allowed"));
}

// Through the Layer interface (what the runtime's vehicle claims ask): its claim on the feeds' ids, and vehicles
// handed over through it.
TEST(VehicleLayer, ClaimsItsPrefixAsALayer) {
  LayerConfig c = busConfig();
  c.synthetic = true;
  editLayerOptions<VehiclesOptions>(c).maxEntities = 40;
  VehicleLayer vehicles(c);
  ASSERT_TRUE(vehicles.open().isOk()) << vehicles.status().message();
  Layer& layer = vehicles;
  EntityClaimant* claimant = layer.entityClaimant();
  ASSERT_EQ(claimant, static_cast<EntityClaimant*>(&vehicles));
  EXPECT_EQ(layer.replaceableBoxes(), nullptr);
  const EntityClaim claim = claimant->entityClaim();
  EXPECT_EQ(claim.owner, "buses");
  EXPECT_EQ(claim.prefix, "buses/");
  EXPECT_EQ(claim.kind, "bus");
  EXPECT_EQ(claim.maxEntities, 40u);
  EXPECT_EQ(claim.properties.at("layer"), PropertyValue(std::string("buses")));
  EXPECT_EQ(claim.properties.at("synthetic"), PropertyValue(true));
  EXPECT_EQ(claimant->addClaimedEntity(7), 0u);
  EXPECT_EQ(claimant->addClaimedEntity(3), 1u);
  EXPECT_EQ(vehicles.entityOfSlot(1), 3u);
}

}  // namespace
}  // namespace gt::layers
