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
  // The twin's name: the window title and the menu bar. Per language, then `title`, then the other language's;
  // all empty: the neutral "GreenTwin" (the viewer's appTitle, i18n.hpp).
  std::string title;
  std::string titleEn;
  std::string titleZh;
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
  // graduated: a plugin classifier ("air_quality.aqi_class") whose class limits and colours become breaks and
  // colors when the twin loads the layer (docs/plugins.md); breaks/colors are then not written in the file.
  std::string classifier;

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

// "field" layers (issue 4): a value surface interpolated from a point layer's live values. The attribute and its
// colours come from the layer's style (color_by, breaks, colors).
struct FieldConfig {
  std::string points;          // id of the layer whose entities (points) give the values
  std::string method = "idw";  // interpolation: "idw" (inverse-distance weighting)
  double power = 2.0;          // IDW distance exponent
  double searchRadiusM = 8000.0;  // only stations within this distance count; 0 = no limit
  int maxNeighbours = 8;       // only the nearest this many count; 0 = all
  double maxUpdateHz = 2.0;    // the field is recomputed at most this often while its inputs change
  // A plugin field layer type ("air_quality.pm25_idw") that computes the values instead of the twin's IDW over
  // `points` (docs/plugins.md); empty: the twin's own.
  std::string provider;
};

// "bim" layers (issue 5, docs/bim.md "In the viewer"): a model file imported by greentwin-bim-import and placed in
// the scene. The anchor applies when the file has no usable georeference, or always with anchor_override.
struct BimLayerConfig {
  std::optional<double> anchorLon, anchorLat;  // model frame origin, degrees
  std::optional<double> anchorX, anchorY;      // ...or scene-local metres (used when lon/lat are absent)
  double anchorZ = 0.0;                        // scene height of the model frame origin (m)
  double rotationDeg = 0.0;                    // counter-clockwise from scene east to model +x
  double scale = 1.0;
  bool anchorOverride = false;                 // true: the anchor wins over the file's georeference
  std::string replacesBuilding = "auto";       // building entity id whose box the model replaces when near;
                                               // "auto": the footprint containing the model's origin; "" none
  double lodDistanceM = 600.0;                 // the model is drawn (and its building's box hidden) within this
  double explodeGapM = 0.0;                    // initial vertical gap between exploded storeys (0: not exploded)
  int line = 0;                                // line of the [layers.bim] table, for messages
};

// "vehicles" layers (issue 4, moving entities): entities that a live feed brings (ids under `prefix`, registered
// when first seen, at most maxEntities), drawn as markers at their position attributes at the clock's time.
struct VehiclesConfig {
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
  FieldConfig field;            // type "field" only
  BimLayerConfig bim;           // type "bim" only
  VehiclesConfig vehicles;      // type "vehicles" only
  int line = 0;                 // line in the config file, for messages
};

// One `key = value` of a table the core does not interpret (a plugin source's options, a plugin's settings),
// the value as text: strings as written, numbers in decimal, booleans "true"/"false".
struct ConfigValue {
  std::string key;
  std::string value;
  int line = 0;
};

struct SourceConfig {
  std::string id;
  // "zmq": a ZeroMQ SUB socket speaking the wire protocol (docs/protocol.md); any other type is a plugin's source
  // type (docs/plugins.md), checked when the plugins have loaded.
  std::string type;
  std::string endpoint;  // e.g. "tcp://127.0.0.1:5556"
  bool bind = false;     // true: the twin binds and publishers connect; false: it connects to a binding PUB
  std::vector<std::string> topics;  // topic prefixes to subscribe to; empty = every topic
  double rateLimit = 0;             // updates per second per publisher; 0 = no limit
  // zmq sources, docs/security.md. "curve" (the default): CURVE encryption, only publishers in `allowedKeys` get in;
  // "none": unauthenticated, anyone who reaches the endpoint (a local demo only; the twin warns at start).
  std::string security = "curve";
  std::string serverKey;    // curve: the twin's key file (public + secret), relative to the config file
  std::string allowedKeys;  // curve: the allow-list file, relative to the config file
  // Plugin source types: how often the source is expected to push, for feed health (STALE after twice this with no
  // push). 0: the poll period for a polled source, 1 s for a threaded one. (A zmq publisher declares its interval
  // in every envelope instead.)
  double intervalS = 0;
  std::vector<ConfigValue> options;  // plugin source types: every key of the entry but id, type and interval_s
  int line = 0;
};

// A [plugins.<id>] table: values for that plugin's settings (docs/plugins.md).
struct PluginSettingsConfig {
  std::string pluginId;
  std::vector<ConfigValue> values;
  int line = 0;
};

struct PluginConfig {
  std::vector<std::string> folders;  // plugins are loaded only from these folders
  std::vector<std::string> enabled;  // plugin ids; empty = none
  std::vector<PluginSettingsConfig> settings;  // [plugins.<id>] tables
};

// The history store (docs/time-series.md "History and playback"): every live sample persisted to an embedded
// SQLite file, read back for playback. No path: no history.
struct HistoryConfig {
  std::string path;         // SQLite file (relative to the config file); empty = no history
  double retentionDays = 30;  // samples older than now - this are deleted (hourly, in the background); 0 = keep all
  int flushMs = 200;        // the writer commits queued samples at least this often
  // The in-memory window of every series (live values, charts), with or without a history file: samples older
  // than the series' newest minus memoryHours, or beyond memorySamples per series, leave memory (playback reads
  // them back from the history file). Bounds the memory of a wall that runs for days.
  double memoryHours = 6;
  int memorySamples = 1024;
  int line = 0;             // line of the [history] table, for messages
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
  HistoryConfig history;
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
