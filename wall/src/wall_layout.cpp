#include "greentwin/wall/wall_layout.hpp"

#include <cmath>
#include <numbers>
#include <string>

namespace gt::wall {

Result<TileId> parseTileId(const std::string& text) {
  const auto bad = [&text] {
    return Status(ErrorCode::InvalidArgument, "tile '" + text + "' is not COLUMN,ROW (e.g. 1,0)");
  };
  const auto comma = text.find(',');
  if (comma == std::string::npos || comma == 0 || comma + 1 == text.size()) return bad();
  TileId id;
  try {
    std::size_t used = 0;
    id.column = std::stoi(text.substr(0, comma), &used);
    if (used != comma) return bad();
    const std::string rowText = text.substr(comma + 1);
    id.row = std::stoi(rowText, &used);
    if (used != rowText.size()) return bad();
  } catch (const std::exception&) {
    return bad();
  }
  if (id.column < 0 || id.row < 0) return bad();
  return id;
}

Frustum symmetricFrustum(double fovyDeg, double aspect, double zNear, double zFar) {
  const double top = zNear * std::tan(fovyDeg * std::numbers::pi / 360.0);
  const double right = top * aspect;
  return Frustum{-right, right, -top, top, zNear, zFar};
}

PixelRect WallLayout::tileRect(TileId tile) const {
  return PixelRect{tile.column * (tileWidth + bezelX), tile.row * (tileHeight + bezelY), tileWidth, tileHeight};
}

Frustum WallLayout::tileFrustum(const Frustum& canvas, TileId tile) const {
  const PixelRect r = tileRect(tile);
  const double w = canvasWidth();
  const double h = canvasHeight();
  const double dx = canvas.right - canvas.left;
  const double dy = canvas.top - canvas.bottom;
  Frustum out = canvas;
  out.left = canvas.left + dx * (r.x / w);
  out.right = canvas.left + dx * ((r.x + r.width) / w);
  out.top = canvas.top - dy * (r.y / h);  // canvas rows grow downwards, the frustum's y upwards
  out.bottom = canvas.top - dy * ((r.y + r.height) / h);
  return out;
}

Status WallLayout::validate() const {
  const auto fail = [](const std::string& what) { return Status(ErrorCode::InvalidArgument, "wall: " + what); };
  if (columns < 1 || columns > 64) return fail("columns must be 1..64, got " + std::to_string(columns));
  if (rows < 1 || rows > 64) return fail("rows must be 1..64, got " + std::to_string(rows));
  if (tileWidth < 16 || tileWidth > 16384) return fail("tile_width must be 16..16384, got " + std::to_string(tileWidth));
  if (tileHeight < 16 || tileHeight > 16384) {
    return fail("tile_height must be 16..16384, got " + std::to_string(tileHeight));
  }
  if (bezelX < 0 || bezelX > 4096) return fail("bezel_x must be 0..4096, got " + std::to_string(bezelX));
  if (bezelY < 0 || bezelY > 4096) return fail("bezel_y must be 0..4096, got " + std::to_string(bezelY));
  if (canvasWidth() > 32768 || canvasHeight() > 32768) {
    return fail("the canvas (" + std::to_string(canvasWidth()) + "x" + std::to_string(canvasHeight()) +
                " pixels) is over 32768 pixels per side");
  }
  return Status::ok();
}

}  // namespace gt::wall
