#include "greentwin/wall/wall_layout.hpp"

#include <gtest/gtest.h>

namespace gt::wall {
namespace {

TEST(WallLayout, CanvasIncludesTheBezels) {
  WallLayout layout{.columns = 3, .rows = 2, .tileWidth = 640, .tileHeight = 360, .bezelX = 12, .bezelY = 8};
  EXPECT_EQ(layout.canvasWidth(), 3 * 640 + 2 * 12);
  EXPECT_EQ(layout.canvasHeight(), 2 * 360 + 8);
  EXPECT_EQ(layout.tileRect({0, 0}), (PixelRect{0, 0, 640, 360}));
  EXPECT_EQ(layout.tileRect({2, 1}), (PixelRect{2 * 652, 368, 640, 360}));
  EXPECT_TRUE(layout.contains({2, 1}));
  EXPECT_FALSE(layout.contains({3, 0}));
  EXPECT_FALSE(layout.contains({0, -1}));
}

TEST(WallLayout, TileFrustaCutTheCanvasFrustumAtPixelEdges) {
  // A 2x1 wall without bezels: each half of the near plane.
  WallLayout two{.columns = 2, .rows = 1, .tileWidth = 100, .tileHeight = 100};
  const Frustum canvas{-2.0, 2.0, -1.0, 1.0, 10.0, 1000.0};
  const Frustum left = two.tileFrustum(canvas, {0, 0});
  const Frustum right = two.tileFrustum(canvas, {1, 0});
  EXPECT_DOUBLE_EQ(left.left, -2.0);
  EXPECT_DOUBLE_EQ(left.right, 0.0);
  EXPECT_DOUBLE_EQ(right.left, 0.0);
  EXPECT_DOUBLE_EQ(right.right, 2.0);
  EXPECT_DOUBLE_EQ(left.top, 1.0);
  EXPECT_DOUBLE_EQ(left.bottom, -1.0);
  EXPECT_DOUBLE_EQ(left.zNear, 10.0);
  EXPECT_DOUBLE_EQ(right.zFar, 1000.0);

  // 2x2 with a 20-pixel bezel: canvas 220 wide; the lower-right tile spans pixels 120..220 across, 120..220 down.
  WallLayout bezel{.columns = 2, .rows = 2, .tileWidth = 100, .tileHeight = 100, .bezelX = 20, .bezelY = 20};
  const Frustum f = bezel.tileFrustum(Frustum{-2.2, 2.2, -2.2, 2.2, 1, 2}, {1, 1});
  EXPECT_NEAR(f.left, -2.2 + 4.4 * 120.0 / 220.0, 1e-12);
  EXPECT_NEAR(f.right, 2.2, 1e-12);
  EXPECT_NEAR(f.top, 2.2 - 4.4 * 120.0 / 220.0, 1e-12);
  EXPECT_NEAR(f.bottom, -2.2, 1e-12);
}

TEST(WallLayout, SymmetricFrustumFromFieldOfView) {
  const Frustum f = symmetricFrustum(90.0, 2.0, 1.0, 100.0);  // tan(45 degrees) = 1
  EXPECT_NEAR(f.top, 1.0, 1e-12);
  EXPECT_NEAR(f.bottom, -1.0, 1e-12);
  EXPECT_NEAR(f.right, 2.0, 1e-12);
  EXPECT_NEAR(f.left, -2.0, 1e-12);
}

TEST(WallLayout, ValidateNamesTheBadValue) {
  WallLayout ok{.columns = 2, .rows = 2, .tileWidth = 64, .tileHeight = 64};
  EXPECT_TRUE(ok.validate().isOk());
  WallLayout noColumns = ok;
  noColumns.columns = 0;
  EXPECT_NE(noColumns.validate().message().find("columns"), std::string::npos);
  WallLayout huge{.columns = 3, .rows = 1, .tileWidth = 16000, .tileHeight = 64};
  EXPECT_NE(huge.validate().message().find("32768"), std::string::npos);
}

TEST(WallLayout, ParsesTileIds) {
  auto t = parseTileId("1,0");
  ASSERT_TRUE(t.isOk());
  EXPECT_EQ(*t, (TileId{1, 0}));
  for (const char* bad : {"", "1", "1,", ",1", "a,b", "1,2,3", "-1,0", "1;0", "1,0x"}) {
    EXPECT_FALSE(parseTileId(bad).isOk()) << bad;
  }
}

}  // namespace
}  // namespace gt::wall
