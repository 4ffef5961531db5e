#include "greentwin/wall/wall_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

#include "greentwin/core/config_reader.hpp"

namespace gt::wall {
namespace {

constexpr std::string_view kRootKeys[]{"wall", "tours"};
constexpr std::string_view kWallKeys[]{"columns",  "rows",        "tile_width",   "tile_height",   "bezel_x",
                                       "bezel_y",  "sync",        "control",      "security",      "lead_key",
                                       "allowed_keys", "swap_barrier", "lead_lost_after_s", "nodes",
                                       "barrier",  "alert_fly_to", "alert_dwell_s"};
constexpr std::string_view kAlertFlyTo[]{"off", "warning", "critical"};
constexpr std::string_view kNodeKeys[]{"id", "tile", "lead", "key"};
constexpr std::string_view kSecurity[]{"curve", "none"};
constexpr std::string_view kTourKeys[]{"id", "name_en", "name_zh", "loop", "stops"};
constexpr std::string_view kStopKeys[]{"bookmark", "dwell_s", "flight_s", "layers"};

void parseNode(const ConfigTable& t, const WallLayout& layout, WallNode& node) {
  t.checkKeys(kNodeKeys);
  t.requireString("id", node.id);
  std::vector<int> tile;
  if (t.require("tile") && t.readIntArray("tile", tile, 0, 63)) {
    if (tile.size() != 2) {
      t.errorAt("tile", ErrorCode::InvalidArgument, "'" + t.keyPath("tile") + "' must be [column, row]");
    } else {
      node.tile = TileId{tile[0], tile[1]};
      if (!layout.contains(node.tile)) {
        t.errorAt("tile", ErrorCode::OutOfRange,
                  "'" + t.keyPath("tile") + "' = [" + std::to_string(tile[0]) + ", " + std::to_string(tile[1]) +
                      "] is outside the " + std::to_string(layout.columns) + "x" + std::to_string(layout.rows) +
                      " wall");
      }
    }
  }
  t.readBool("lead", node.lead);
  t.readString("key", node.key);
}

// [[tours]] and their [[tours.stops]] (docs/wall.md "Tours"). Bookmarks and layers are ids of the twin's config,
// which the wall file does not know: the lead checks them when a tour starts.
void parseTours(const ConfigTable& root, std::vector<Tour>& tours) {
  for (const ConfigTable& t : root.tables("tours")) {
    t.checkKeys(kTourKeys);
    Tour tour;
    t.requireString("id", tour.id);
    t.readString("name_en", tour.nameEn);
    t.readString("name_zh", tour.nameZh);
    t.readBool("loop", tour.loop);
    if (!tour.id.empty() && std::any_of(tours.begin(), tours.end(), [&](const Tour& o) { return o.id == tour.id; })) {
      t.errorAt("id", ErrorCode::InvalidArgument, "two tours have the id '" + tour.id + "'");
    }
    double total = 0;
    for (const ConfigTable& st : t.tables("stops")) {
      st.checkKeys(kStopKeys);
      TourStop stop;
      st.requireString("bookmark", stop.bookmark);
      st.readDouble("dwell_s", stop.dwellS, 0, kMaxTourDwellS);
      st.readDouble("flight_s", stop.flightS, 0, kMaxTourFlightS);
      std::vector<std::string> layers;
      if (st.readStringArray("layers", layers)) stop.layers = std::move(layers);
      total += stop.dwellS + stop.flightS;
      tour.stops.push_back(std::move(stop));
    }
    if (tour.stops.empty()) {
      t.error(ErrorCode::InvalidArgument, "'" + t.path() + "' (tour '" + tour.id + "') has no [[tours.stops]]");
    } else if (tour.loop && total <= 0) {
      t.error(ErrorCode::InvalidArgument, "'" + t.path() + "' (tour '" + tour.id +
                                              "') loops but every dwell_s and flight_s is 0");
    }
    tours.push_back(std::move(tour));
  }
}

}  // namespace

const Tour* WallConfig::findTour(const std::string& id) const {
  const auto it = std::find_if(tours.begin(), tours.end(), [&id](const Tour& t) { return t.id == id; });
  return it == tours.end() ? nullptr : &*it;
}

const WallNode* WallConfig::findNode(const std::string& id) const {
  const auto it = std::find_if(nodes.begin(), nodes.end(), [&id](const WallNode& n) { return n.id == id; });
  return it == nodes.end() ? nullptr : &*it;
}

const WallNode* WallConfig::leadNode() const {
  const auto it = std::find_if(nodes.begin(), nodes.end(), [](const WallNode& n) { return n.lead; });
  return it == nodes.end() ? nullptr : &*it;
}

std::string WallConfig::resolvePath(const std::string& relative) const {
  if (relative.empty()) return relative;
  const std::filesystem::path p(relative);
  if (p.is_absolute()) return relative;
  return (std::filesystem::path(path).parent_path() / p).lexically_normal().string();
}

Result<WallConfig> parseWallConfig(const std::string& text, const std::string& sourceName) {
  auto doc = ConfigDocument::parse(text, sourceName);
  if (!doc) return doc.status();
  const ConfigTable root = doc->root();
  root.checkKeys(kRootKeys);
  WallConfig config;
  config.path = sourceName;
  const auto wall = root.table("wall");
  if (!wall) {
    root.error(ErrorCode::InvalidArgument, "no [wall] table");
    return doc->errors().result();
  }
  const ConfigTable& w = *wall;
  w.checkKeys(kWallKeys);
  WallLayout& layout = config.layout;
  w.readInt("columns", layout.columns, 1, 64);
  w.readInt("rows", layout.rows, 1, 64);
  w.readInt("tile_width", layout.tileWidth, 16, 16384);
  w.readInt("tile_height", layout.tileHeight, 16, 16384);
  w.readInt("bezel_x", layout.bezelX, 0, 4096);
  w.readInt("bezel_y", layout.bezelY, 0, 4096);
  if (Status s = layout.validate(); !s) w.error(s.code(), s.message());
  w.readString("sync", config.syncEndpoint);
  w.readString("control", config.controlEndpoint);
  w.readString("barrier", config.barrierEndpoint);
  w.readString("security", config.security, kSecurity);
  w.readString("lead_key", config.leadKey);
  w.readString("allowed_keys", config.allowedKeys);
  w.readBool("swap_barrier", config.swapBarrier);
  w.readDouble("lead_lost_after_s", config.leadLostAfterS, 0.1, 60.0);
  std::string flyTo = "off";
  if (w.readString("alert_fly_to", flyTo, kAlertFlyTo)) {
    if (auto minimum = parseAlertFlyTo(flyTo)) config.alertFlyTo = *minimum;
  }
  w.readDouble("alert_dwell_s", config.alertDwellS, kMinAlertDwellS, kMaxAlertDwellS);
  // Two endpoints that name the same port collide; "tcp://host:*" lets the system pick a free port for each.
  const auto same = [](const std::string& a, const std::string& b) { return a == b && !a.ends_with(":*"); };
  if (same(config.syncEndpoint, config.controlEndpoint)) {
    w.errorAt("control", ErrorCode::InvalidArgument, "'wall.control' and 'wall.sync' are the same endpoint");
  }
  if (config.swapBarrier &&
      (same(config.barrierEndpoint, config.syncEndpoint) || same(config.barrierEndpoint, config.controlEndpoint))) {
    w.errorAt("barrier", ErrorCode::InvalidArgument,
              "'wall.barrier' is the same endpoint as 'wall.sync' or 'wall.control'");
  }
  if (config.security == "curve") {
    if (config.leadKey.empty()) {
      w.error(ErrorCode::InvalidArgument, "'wall.lead_key' is required with security = \"curve\"");
    }
    if (config.allowedKeys.empty()) {
      w.error(ErrorCode::InvalidArgument, "'wall.allowed_keys' is required with security = \"curve\"");
    }
  }
  const std::vector<ConfigTable> nodes = w.tables("nodes");
  for (const ConfigTable& t : nodes) {
    WallNode node;
    parseNode(t, layout, node);
    if (!node.id.empty() && config.findNode(node.id) != nullptr) {
      t.errorAt("id", ErrorCode::InvalidArgument, "two nodes have the id '" + node.id + "'");
    }
    for (const WallNode& other : config.nodes) {
      if (other.tile == node.tile && layout.contains(node.tile)) {
        t.errorAt("tile", ErrorCode::InvalidArgument,
                  "nodes '" + other.id + "' and '" + node.id + "' draw the same tile");
      }
    }
    if (config.security == "curve" && !node.lead && node.key.empty()) {
      t.error(ErrorCode::InvalidArgument,
              "'" + t.keyPath("key") + "' is required for a follower with security = \"curve\"");
    }
    config.nodes.push_back(std::move(node));
  }
  const auto leads = std::count_if(config.nodes.begin(), config.nodes.end(), [](const WallNode& n) { return n.lead; });
  if (nodes.empty()) {
    w.error(ErrorCode::InvalidArgument, "the wall has no [[wall.nodes]]");
  } else if (leads != 1) {
    w.error(ErrorCode::InvalidArgument,
            "exactly one node must have lead = true, found " + std::to_string(leads));
  }
  parseTours(root, config.tours);
  if (Status s = doc->errors().result(); !s) return s;
  return config;
}

Result<WallConfig> loadWallFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::IoError, "cannot read wall file '" + path + "'");
  std::ostringstream text;
  text << in.rdbuf();
  return parseWallConfig(text.str(), path);
}

}  // namespace gt::wall
