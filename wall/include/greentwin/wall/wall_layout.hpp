#pragma once
// A video wall as one virtual canvas (docs/wall.md): columns x rows tiles of the same pixel size, with bezel
// compensation — the canvas keeps `bezelX` / `bezelY` pixels between neighbouring tiles that no display shows, so
// a line crossing a bezel stays straight. Each tile is drawn with an off-axis (asymmetric) frustum cut from the
// canvas's frustum, so that the tiles placed side by side show exactly the canvas. Pure geometry: no GL, no OSG.

#include <optional>
#include <string>

#include "greentwin/core/status.hpp"

namespace gt::wall {

// A tile's place in the wall: column 0 is the left, row 0 the top.
struct TileId {
  int column = 0;
  int row = 0;
  bool operator==(const TileId&) const = default;
};

// "C,R" (e.g. "1,0") as the command line writes a tile. Errors name the text.
Result<TileId> parseTileId(const std::string& text);

// A rectangle of the canvas in pixels, y down from the canvas's top-left corner (ImGui's and the image files' way).
struct PixelRect {
  int x = 0;
  int y = 0;
  int width = 0;
  int height = 0;
  bool operator==(const PixelRect&) const = default;
};

// A perspective frustum at its near plane (glFrustum's arguments, eye coordinates).
struct Frustum {
  double left = 0;
  double right = 0;
  double bottom = 0;
  double top = 0;
  double zNear = 1;
  double zFar = 2;
};

// The symmetric frustum of a vertical field of view (degrees) and an aspect ratio (width / height).
Frustum symmetricFrustum(double fovyDeg, double aspect, double zNear, double zFar);

struct WallLayout {
  int columns = 1;
  int rows = 1;
  int tileWidth = 1920;   // pixels of one display
  int tileHeight = 1080;
  int bezelX = 0;         // canvas pixels hidden between two columns (the bezels' width, in the displays' pixels)
  int bezelY = 0;         // likewise between two rows

  int canvasWidth() const { return columns * tileWidth + (columns - 1) * bezelX; }
  int canvasHeight() const { return rows * tileHeight + (rows - 1) * bezelY; }
  bool contains(TileId tile) const {
    return tile.column >= 0 && tile.column < columns && tile.row >= 0 && tile.row < rows;
  }
  // Where a tile lies on the canvas. The tile must be in the layout (contains()).
  PixelRect tileRect(TileId tile) const;
  // The part of the canvas's frustum that a tile shows: its near-plane window cut at the tile's pixel edges; the
  // depth range is the canvas's.
  Frustum tileFrustum(const Frustum& canvas, TileId tile) const;
  // Checks sizes: at least one column and row, tiles 16..16384 pixels, bezels 0..4096, the canvas at most 32768
  // pixels per side. InvalidArgument naming the value.
  Status validate() const;
};

}  // namespace gt::wall
