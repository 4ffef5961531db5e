#pragma once
// The wall description file (TOML, docs/wall.md): the canvas's layout, which node draws which tile, where the lead
// publishes each frame and takes control commands, and the CURVE keys that protect both. Every node of a wall and
// `greentwin ctl` read the same file, each picking its own part by node id.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/wall/alert_visits.hpp"
#include "greentwin/wall/tour.hpp"
#include "greentwin/wall/wall_layout.hpp"

namespace gt::wall {

struct WallNode {
  std::string id;     // unique; `greentwin --wall FILE --node ID`
  TileId tile;        // the tile it draws
  bool lead = false;  // exactly one node leads: it runs the clock, the camera, tours and the control endpoint
  std::string key;    // this node's CURVE key file (with its secret), relative to the wall file; followers only
};

struct WallConfig {
  std::string path;  // the file read; relative paths below are resolved against its folder
  WallLayout layout;
  std::vector<WallNode> nodes;
  std::string syncEndpoint = "tcp://127.0.0.1:7710";     // the lead binds it and publishes every frame
  std::string controlEndpoint = "tcp://127.0.0.1:7711";  // the lead binds it and answers control commands
  std::string barrierEndpoint = "tcp://127.0.0.1:7712";  // with swap_barrier: the lead binds it, nodes say "ready"
  std::string security = "curve";                         // "curve" or "none" (a local trial only)
  std::string leadKey;      // the lead's key file: the lead reads its secret, followers and ctl its public key
  std::string allowedKeys;  // the allow-list of node and operator keys the lead admits (greentwin keys allow)
  bool swapBarrier = false;  // frame-locked: the lead releases a frame only when every node is ready to show it
  double leadLostAfterS = 1.0;  // a follower shows "lead lost" after this long without a frame
  // Alert fly-to (docs/wall.md "Alerts"): the least severity the camera flies to by itself (nullopt: "off"), and
  // how long it shows the alert's entity before flying back.
  std::optional<AlertSeverity> alertFlyTo;
  double alertDwellS = 20;
  std::vector<Tour> tours;      // [[tours]] (docs/wall.md "Tours"), played by the lead

  const Tour* findTour(const std::string& id) const;

  const WallNode* findNode(const std::string& id) const;
  const WallNode* leadNode() const;
  // A path of the file made absolute against the file's folder.
  std::string resolvePath(const std::string& relative) const;
};

// Reads and checks a wall file. Every problem is reported, each as "FILE:LINE: message" (as the main config):
// unknown keys (with a suggestion), sizes out of range, tiles outside the layout, two nodes on one tile or with
// one id, not exactly one lead, CURVE without key files; tours' unknown keys, dwell_s / flight_s out of range,
// a tour without stops, two tours with one id.
Result<WallConfig> loadWallFile(const std::string& path);
// The same from text (tests); `sourceName` names it in messages and its folder resolves relative paths.
Result<WallConfig> parseWallConfig(const std::string& text, const std::string& sourceName);

}  // namespace gt::wall
