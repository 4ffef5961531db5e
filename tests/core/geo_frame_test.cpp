#include "greentwin/core/geo_frame.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <thread>
#include <vector>

namespace gt {
namespace {

// gdaltransform -s_srs EPSG:4490 -t_srs EPSG:4548 (traditional GIS order): 116.65 39.90 -> 470068.5639 4418484.3050
constexpr double kLon = 116.65;
constexpr double kLat = 39.90;
constexpr double kEasting = 470068.5639;
constexpr double kNorthing = 4418484.3050;

GeoFrame frameAt(double lon, double lat, const std::string& crs = "EPSG:4548") {
  auto frame = GeoFrame::create(lon, lat, crs);
  EXPECT_TRUE(frame.isOk()) << frame.status().toString();
  return std::move(frame).value();
}

TEST(GeoFrame, OriginProjectsToKnownGaussKrugerCoordinates) {
  const GeoFrame frame = frameAt(kLon, kLat);
  EXPECT_EQ(frame.sceneCrs(), "EPSG:4548");
  const Vec3d origin = frame.originProjected();
  EXPECT_NEAR(origin.x, kEasting, 0.01);  // easting first, although EPSG:4548's official order is N, E
  EXPECT_NEAR(origin.y, kNorthing, 0.01);
  EXPECT_EQ(origin.z, 0.0);
}

TEST(GeoFrame, KnownPointInLocalCoordinates) {
  const GeoFrame frame = frameAt(116.72, 39.86);
  auto local = frame.lonLatToLocal(kLon, kLat, 12.5);
  ASSERT_TRUE(local.isOk()) << local.status().toString();
  const Vec3d projected = frame.localToProjected(*local);
  EXPECT_NEAR(projected.x, kEasting, 0.01);
  EXPECT_NEAR(projected.y, kNorthing, 0.01);
  EXPECT_DOUBLE_EQ(local->z, 12.5);
  // 116.65 is west of 116.72 and 39.90 north of 39.86: x < 0, y > 0.
  EXPECT_LT(local->x, -5000.0);
  EXPECT_GT(local->y, 4000.0);
  const Vec3d back = frame.projectedToLocal(projected);
  EXPECT_DOUBLE_EQ(back.x, local->x);
  EXPECT_DOUBLE_EQ(back.y, local->y);
}

TEST(GeoFrame, OriginIsLocalZero) {
  const GeoFrame frame = frameAt(116.72, 39.86);
  auto local = frame.lonLatToLocal(116.72, 39.86);
  ASSERT_TRUE(local.isOk());
  EXPECT_NEAR(local->x, 0.0, 1e-6);
  EXPECT_NEAR(local->y, 0.0, 1e-6);
}

TEST(GeoFrame, RoundTripLonLatLocalLonLat) {
  const GeoFrame frame = frameAt(116.72, 39.86);
  for (double lon : {116.45, 116.65, 116.72, 116.95}) {
    for (double lat : {39.60, 39.86, 40.05}) {
      auto local = frame.lonLatToLocal(lon, lat, 30.0);
      ASSERT_TRUE(local.isOk());
      auto back = frame.localToLonLat(*local);
      ASSERT_TRUE(back.isOk()) << back.status().toString();
      EXPECT_NEAR(back->x, lon, 1e-9);
      EXPECT_NEAR(back->y, lat, 1e-9);
      EXPECT_NEAR(back->z, 30.0, 1e-9);
    }
  }
}

TEST(GeoFrame, FloatPrecisionNearOriginAndThirtyKilometresAway) {
  const GeoFrame frame = frameAt(116.72, 39.86);
  // 1 m east of the origin, in local coordinates, survives a cast to float to within 1 mm.
  auto lonLat = frame.localToLonLat(Vec3d{1.0, 0.0, 0.0});
  ASSERT_TRUE(lonLat.isOk());
  auto local = frame.lonLatToLocal(lonLat->x, lonLat->y);
  ASSERT_TRUE(local.isOk());
  EXPECT_NEAR(static_cast<float>(local->x), 1.0F, 1e-3F);
  EXPECT_NEAR(static_cast<float>(local->y), 0.0F, 1e-3F);

  // 30 km away: float spacing at 3e4 is ~2 mm, so cm precision holds. Projected coordinates (4.4e6 m) in float
  // would be off by up to 0.25 m: that is why geometry is stored relative to the origin.
  for (const Vec3d& offset : {Vec3d{30000.0, 0.0, 0.0}, Vec3d{-21213.2, 21213.2, 0.0}, Vec3d{0.0, -30000.0, 0.0}}) {
    auto ll = frame.localToLonLat(offset);
    ASSERT_TRUE(ll.isOk());
    auto l = frame.lonLatToLocal(ll->x, ll->y);
    ASSERT_TRUE(l.isOk());
    const float fx = static_cast<float>(l->x);
    const float fy = static_cast<float>(l->y);
    EXPECT_NEAR(static_cast<double>(fx), offset.x, 0.01);
    EXPECT_NEAR(static_cast<double>(fy), offset.y, 0.01);
  }
  const Vec3d far = frame.localToProjected(Vec3d{0.3, 30000.3, 0.0});
  EXPECT_GT(std::abs(static_cast<double>(static_cast<float>(far.y)) - far.y), 0.01);
}

TEST(GeoFrame, TransformFromWgs84HonoursAxisOrder) {
  GeoFrame frame = frameAt(116.72, 39.86);
  auto expected = frame.lonLatToLocal(kLon, kLat);
  ASSERT_TRUE(expected.isOk());

  auto xy = frame.transformFrom("EPSG:4326", AxisOrder::LonLatXY);
  ASSERT_TRUE(xy.isOk()) << xy.status().toString();
  EXPECT_EQ(xy->axisOrder(), AxisOrder::LonLatXY);
  EXPECT_EQ(xy->sourceCrs(), "EPSG:4326");
  auto authority = frame.transformFrom("EPSG:4326", AxisOrder::Authority);
  ASSERT_TRUE(authority.isOk()) << authority.status().toString();

  auto a = xy->toLocal(Vec3d{kLon, kLat, 0.0});         // GeoJSON order
  auto b = authority->toLocal(Vec3d{kLat, kLon, 0.0});  // EPSG:4326's official lat, lon
  ASSERT_TRUE(a.isOk()) << a.status().toString();
  ASSERT_TRUE(b.isOk()) << b.status().toString();
  EXPECT_NEAR(a->x, b->x, 1e-6);
  EXPECT_NEAR(a->y, b->y, 1e-6);
  // WGS84 and CGCS2000 agree to well under a metre here.
  EXPECT_NEAR(a->x, expected->x, 1.0);
  EXPECT_NEAR(a->y, expected->y, 1.0);

  // Feeding lat, lon to a LonLatXY transform is a different (wrong) place, not silently the same.
  auto swapped = xy->toLocal(Vec3d{kLat, kLon, 0.0});
  EXPECT_TRUE(!swapped.isOk() || std::abs(swapped->x - a->x) > 1000.0);
}

TEST(GeoFrame, TransformFromSceneCrsItselfAndProjString) {
  GeoFrame frame = frameAt(116.72, 39.86);
  auto expected = frame.lonLatToLocal(kLon, kLat);
  ASSERT_TRUE(expected.isOk());
  // EPSG:4548's authority order is northing, easting.
  auto authority = frame.transformFrom("EPSG:4548", AxisOrder::Authority);
  ASSERT_TRUE(authority.isOk()) << authority.status().toString();
  auto p = authority->toLocal(Vec3d{kNorthing, kEasting, 0.0});
  ASSERT_TRUE(p.isOk());
  EXPECT_NEAR(p->x, expected->x, 0.01);
  EXPECT_NEAR(p->y, expected->y, 0.01);

  auto proj = frame.transformFrom("+proj=longlat +ellps=GRS80 +no_defs", AxisOrder::LonLatXY);
  ASSERT_TRUE(proj.isOk()) << proj.status().toString();
  auto q = proj->toLocal(Vec3d{kLon, kLat, 0.0});
  ASSERT_TRUE(q.isOk());
  EXPECT_NEAR(q->x, expected->x, 0.01);
  EXPECT_NEAR(q->y, expected->y, 0.01);
}

TEST(GeoFrame, WrongZoneGivesDifferentResult) {
  const GeoFrame right = frameAt(kLon, kLat, "EPSG:4548");
  const GeoFrame wrong = frameAt(kLon, kLat, "EPSG:4547");  // CM 114E: a neighbouring zone
  EXPECT_GT(std::abs(wrong.originProjected().x - right.originProjected().x), 100000.0);

  // Coordinates that are EPSG:4548 but read as EPSG:4547 land far away.
  auto t = right.transformFrom("EPSG:4547", AxisOrder::LonLatXY);
  ASSERT_TRUE(t.isOk()) << t.status().toString();
  auto p = t->toLocal(Vec3d{kEasting, kNorthing, 0.0});
  ASSERT_TRUE(p.isOk());
  EXPECT_GT(std::hypot(p->x, p->y), 100000.0);
}

TEST(GeoFrame, BatchTransformInPlace) {
  GeoFrame frame = frameAt(116.72, 39.86);
  auto t = frame.transformFrom("EPSG:4326");
  ASSERT_TRUE(t.isOk());
  std::vector<Vec3d> points{{116.72, 39.86, 5.0}, {kLon, kLat, 0.0}, {116.9, 39.7, 1.0}};
  ASSERT_TRUE(t->toLocal(points).isOk());
  EXPECT_NEAR(points[0].x, 0.0, 1.0);
  EXPECT_NEAR(points[0].y, 0.0, 1.0);
  EXPECT_DOUBLE_EQ(points[0].z, 5.0);
  auto single = frame.lonLatToLocal(116.9, 39.7, 1.0);
  ASSERT_TRUE(single.isOk());
  EXPECT_NEAR(points[2].x, single->x, 1.0);

  std::vector<Vec3d> bad{{116.72, 39.86, 0.0}, {std::nan(""), 39.0, 0.0}, {116.0, 40.0, 0.0}};
  const Status s = t->toLocal(bad);
  ASSERT_FALSE(s.isOk());
  EXPECT_NE(s.message().find("index 1"), std::string::npos) << s.message();
  EXPECT_TRUE(std::isfinite(bad[2].x));
  EXPECT_FALSE(std::isfinite(bad[1].x));
}

TEST(GeoFrame, UnknownCrsIsAnErrorNamingIt) {
  auto frame = GeoFrame::create(116.72, 39.86, "EPSG:999999");
  ASSERT_FALSE(frame.isOk());
  EXPECT_NE(frame.status().message().find("EPSG:999999"), std::string::npos) << frame.status().message();

  GeoFrame good = frameAt(116.72, 39.86);
  for (const char* crs : {"EPSG:123456789", "not a crs at all", "", "+proj=nonsense"}) {
    auto t = good.transformFrom(crs, AxisOrder::LonLatXY);
    ASSERT_FALSE(t.isOk()) << crs;
    EXPECT_NE(t.status().message().find(crs), std::string::npos) << t.status().message();
  }
}

TEST(GeoFrame, RejectsGeographicSceneCrsAndImplausibleOrigin) {
  auto geographic = GeoFrame::create(116.72, 39.86, "EPSG:4326");
  ASSERT_FALSE(geographic.isOk());
  EXPECT_NE(geographic.status().message().find("projected"), std::string::npos);

  auto typo = GeoFrame::create(16.72, 39.86);  // 116.72 mistyped
  ASSERT_FALSE(typo.isOk());
  EXPECT_EQ(typo.status().code(), ErrorCode::OutOfRange);
  EXPECT_NE(typo.status().message().find("area of use"), std::string::npos) << typo.status().message();

  EXPECT_FALSE(GeoFrame::create(200.0, 39.86).isOk());
  EXPECT_FALSE(GeoFrame::create(116.72, std::nan("")).isOk());
}

TEST(GeoFrame, NonFiniteResultIsAnError) {
  const GeoFrame frame = frameAt(116.72, 39.86);
  auto r = frame.localToLonLat(Vec3d{std::nan(""), 0.0, 0.0});
  EXPECT_FALSE(r.isOk());
  auto pole = frame.lonLatToLocal(116.72, 95.0);  // not a latitude
  EXPECT_FALSE(pole.isOk());
}

TEST(GeoFrame, CopiesAreIndependentAndUsableOnOtherThreads) {
  const GeoFrame original = frameAt(116.72, 39.86);
  GeoFrame copy = original;  // NOLINT(performance-unnecessary-copy-initialization): testing the copy
  auto expected = original.lonLatToLocal(kLon, kLat);
  ASSERT_TRUE(expected.isOk());
  Vec3d fromThread;
  std::thread worker([&copy, &fromThread] {
    auto r = copy.lonLatToLocal(kLon, kLat);
    if (r.isOk()) fromThread = *r;
  });
  worker.join();
  EXPECT_DOUBLE_EQ(fromThread.x, expected->x);
  EXPECT_DOUBLE_EQ(fromThread.y, expected->y);

  GeoFrame moved = std::move(copy);
  EXPECT_TRUE(moved.lonLatToLocal(kLon, kLat).isOk());
  auto t = moved.transformFrom("EPSG:4326");
  ASSERT_TRUE(t.isOk());
  CrsTransform tCopy = *t;
  EXPECT_TRUE(tCopy.toLocal(Vec3d{kLon, kLat, 0.0}).isOk());
}

}  // namespace
}  // namespace gt
