#pragma once
// The camera as the wall passes it between nodes, tours and control commands: an orbit around a point of the scene
// (scene-local metres, the twin's frame), heading 0 = looking north, clockwise; pitch -90 = straight down. The
// viewer's OrbitPose holds the same numbers in OSG types.

namespace gt::wall {

struct CameraPose {
  double x = 0;
  double y = 0;
  double z = 0;
  double headingDeg = 0;
  double pitchDeg = -45;
  double rangeM = 1000;
  bool operator==(const CameraPose&) const = default;
};

}  // namespace gt::wall
