#pragma once
// The one config file (TOML) that names data sources, layers, plugins and display settings.
// Every field has a documented default (docs/config.md); a bad file gives a Status naming the key and its line.

#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

struct DisplayConfig {
  int width = 1600;
  int height = 900;
  bool fullscreen = false;
  std::string language = "zh";  // "zh" or "en"; switchable at run time
  double uiScale = 1.0;
  bool vsync = true;
};

struct SceneConfig {
  // Local origin of the scene frame, lon/lat in degrees (WGS84/CGCS2000); geometry is stored relative to it.
  double originLon = 116.72;
  double originLat = 39.86;
  std::string crs = "EPSG:4548";  // CGCS2000 / 3-degree Gauss-Kruger CM 117E
};

struct ClockConfig {
  std::string mode = "live";  // "live", "paused" or "playback"
  std::optional<TimePoint> start;  // range start; default: now - 24 h
  std::optional<TimePoint> end;    // range end; default: now
  double rate = 1.0;               // playback rate
};

// A camera pose around a point on the ground: the home view and the named bookmarks.
struct CameraPose {
  double centerLon = 116.72;
  double centerLat = 39.86;
  double centerHeight = 0.0;  // metres
  double headingDeg = 0.0;    // 0 = looking north, clockwise
  double pitchDeg = -45.0;    // -90 = straight down
  double rangeM = 40000.0;    // eye distance from the centre
};

struct BookmarkConfig {
  std::string id;
  std::string nameEn;
  std::string nameZh;
  CameraPose pose;
};

struct LayerStyleConfig {
  std::string fillColor = "#3a7d44";     // "#rrggbb" or "#rrggbbaa"
  std::string outlineColor = "#e8f5e9";
  double lineWidthPx = 2.0;
  double lineWidthM = 0.0;               // > 0: lines are ribbons this many metres wide instead of pixels
  double pointSizePx = 8.0;              // point markers

  // Colour from an attribute: "single" (fill_color), "categorical" (categories) or "graduated" (breaks).
  std::string colorMode = "single";
  std::string colorBy;                                            // attribute name
  std::vector<std::pair<std::string, std::string>> categories;    // value -> colour, in file order
  std::string otherColor = "#9e9e9e";                             // categorical: values not listed
  std::vector<std::pair<std::string, std::string>> categoryNamesZh;  // value -> Chinese legend name
  std::vector<double> breaks;                                     // graduated: ascending class limits
  std::vector<std::string> colors;                                // graduated: breaks.size() + 1 colours

  // Extrusion (3D buildings): height from an attribute, else floors x metres_per_floor, else a per-class
  // default, else default_height_m.
  std::string heightAttribute;
  std::string floorsAttribute;
  double metresPerFloor = 3.2;
  std::string classAttribute;
  std::vector<std::pair<std::string, double>> classHeights;      // class value -> default height (m)
  double defaultHeightM = 10.0;

  // Terrain: vertical exaggeration of the relief.
  double verticalScale = 1.0;

  // Labels: attribute per language (empty = no labels); higher priority wins when labels collide.
  std::string labelZh;
  std::string labelEn;
  int labelPriority = 0;
};

struct LayerConfig {
  std::string id;
  std::string type = "vector";  // layer type name in the viewer's registry
  std::string source;           // path (relative to the config file) or data source string
  std::string sourceLayer;      // layer/table inside the source (GeoPackage table, PostGIS table); empty = first
  std::string idAttribute;      // attribute with stable feature ids; empty = the source's feature id
  std::string assumeCrs;        // CRS to use when the source declares none
  std::string imagery;          // terrain: imagery draped on the DEM (path); empty = a hillshade
  double resolutionM = 0.0;     // raster layers: output cell size in metres; 0 = the source's own
  std::string nameEn;
  std::string nameZh;
  bool visible = true;
  double opacity = 1.0;         // 0..1
  bool synthetic = false;       // data is synthetic (shown in the UI)
  LayerStyleConfig style;
  int line = 0;                 // line in the config file, for messages
};

struct SourceConfig {
  std::string id;
  std::string type;      // "zmq": a ZeroMQ SUB socket speaking the wire protocol (docs/protocol.md)
  std::string endpoint;  // e.g. "tcp://127.0.0.1:5556"
  bool bind = false;     // true: the twin binds and publishers connect; false: it connects to a binding PUB
  std::vector<std::string> topics;  // topic prefixes to subscribe to; empty = every topic
  double rateLimit = 0;             // updates per second per publisher; 0 = no limit
  int line = 0;
};

struct PluginConfig {
  std::vector<std::string> folders;  // plugins are loaded only from these folders
  std::vector<std::string> enabled;  // plugin ids; empty = none
};

struct LoggingConfig {
  std::string level = "info";  // trace, debug, info, warn, error, off
  std::string file;            // empty: console only
};

struct Config {
  std::string path;       // the file this came from ("" for defaults)
  std::string directory;  // its folder: relative paths in the file resolve against it
  DisplayConfig display;
  SceneConfig scene;
  ClockConfig clock;
  CameraPose home;
  std::vector<BookmarkConfig> bookmarks;
  std::vector<LayerConfig> layers;
  std::vector<SourceConfig> sources;
  PluginConfig plugins;
  LoggingConfig logging;

  // Resolve a path written in the config file against the config's folder.
  std::string resolvePath(const std::string& relative) const;
  const BookmarkConfig* findBookmark(const std::string& id) const;
};

// Parse TOML text; `sourceName` appears in messages ("greentwin.toml:12: ...").
// Unknown keys, wrong types and out-of-range values are errors naming the key path and its line.
Result<Config> parseConfig(const std::string& text, const std::string& sourceName = "config");
Result<Config> loadConfigFile(const std::string& path);

}  // namespace gt
