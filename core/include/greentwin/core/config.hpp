#pragma once
// The one config file (TOML) that names data sources, layers, plugins and display settings.
// Every field has a documented default (docs/config.md); a bad file gives a Status naming the key and its line.
//
// Core reads the common parts (this header). What only a module knows - a layer type's or a source type's own keys,
// the history store's section - that module reads through config_reader.hpp: its parser comes with the type's
// registration (layers::LayerRegistry, runtime::SourceRegistry) and reaches the loader in a ConfigSchema. The parsed
// options travel in the config as LayerOptions / SourceOptions / ConfigSection objects the module casts back.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config_reader.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

// A key chord such as ctrl+alt+u: modifiers and one letter or digit (lower case).
struct KeyChord {
  bool ctrl = false;
  bool alt = false;
  bool shift = false;
  char key = 0;
  bool operator==(const KeyChord&) const = default;
};

// "ctrl+alt+u": modifiers ctrl, alt, shift (any order, each once) then one letter or digit, joined by '+', case
// ignored; at least one modifier (a bare letter would be typed by accident). InvalidArgument saying what is wrong.
Result<KeyChord> parseKeyChord(std::string_view text);

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
  // The wall view of the programme's indicators (docs/indicators.md "Wall view"): the indicators it shows, by number
  // (1..18, each once; shown in the catalog's order); empty: all 18. `indicatorWallAtStart`: the window
  // opens on the wall view (a command-centre wall that runs unattended).
  std::vector<int> indicatorWall;
  bool indicatorWallAtStart = false;
  // Kiosk mode (docs/wall.md "Kiosk"): full screen, no panels (the wall overlay instead), no cursor, input locked
  // until `kioskUnlock` is pressed, screen blanking off. Wall nodes are always kiosks.
  bool kiosk = false;
  KeyChord kioskUnlock{true, true, false, 'u'};
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
  // The style's name where a layer offers several (the layer panel's "Colour by"); empty: the layer's colour rule.
  std::string nameEn;
  std::string nameZh;
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
  // graduated: the legend's name of each class, per language (empty: the class's numeric interval). A classifier
  // fills them with its classes' labels.
  std::vector<std::string> classNamesEn;
  std::vector<std::string> classNamesZh;

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

// A layer type's own options ([layers.field], [layers.vehicles]...): each layer type derives its struct from this and
// reads it in its options parser (e.g. layers/field_layer.hpp FieldOptions).
struct LayerOptions {
  virtual ~LayerOptions() = default;
};

struct LayerConfig {
  std::string id;
  std::string type = "vector";  // layer type name in the runtime's registry
  std::string source;           // path (relative to the config file) or data source string
  std::string sourceLayer;      // layer/table inside the source (GeoPackage table, PostGIS table); empty = first
  std::string idAttribute;      // attribute with stable feature ids; empty = the source's feature id
  std::string assumeCrs;        // CRS to use when the source declares none
  double resolutionM = 0.0;     // raster and field layers: output cell size in metres; 0 = the source's own
  std::string nameEn;
  std::string nameZh;
  bool visible = true;
  double opacity = 1.0;         // 0..1
  bool synthetic = false;       // data is synthetic (shown in the UI)
  LayerStyleConfig style;
  // The styles the layer panel switches among: the config's [[layers.styles]], each `style` with its own keys over
  // it. When there are any, the twin puts `style` itself first as it loads the layer, so the list is complete.
  std::vector<LayerStyleConfig> alternativeStyles;
  // The options of the layer's type, as its parser read them; nullptr: the type has none, or its defaults (read them
  // through layerOptions<T>). Shared between copies of the config: replace, never change in place.
  std::shared_ptr<const LayerOptions> typeOptions;
  int line = 0;                 // line in the config file, for messages
};

// The layer's options as type T (T's defaults when it has none of that type).
template <class T>
const T& layerOptions(const LayerConfig& layer) {
  if (const auto* options = dynamic_cast<const T*>(layer.typeOptions.get())) return *options;
  static const T defaults{};
  return defaults;
}

// A copy of the layer's options as type T that the caller may change, now the layer's own (tests, placements).
template <class T>
T& editLayerOptions(LayerConfig& layer) {
  auto copy = std::make_shared<T>(layerOptions<T>(layer));
  T& options = *copy;
  layer.typeOptions = std::move(copy);
  return options;
}

// A source type's own options (the zmq source's endpoint and security: runtime/zmq_source.hpp).
struct SourceOptions {
  virtual ~SourceOptions() = default;
};

struct SourceConfig {
  std::string id;
  // A type registered with the runtime's source registry ("zmq": a ZeroMQ SUB socket speaking the wire protocol,
  // docs/protocol.md), whose parser reads the entry's other keys into typeOptions; any other type is a plugin's
  // source type (docs/plugins.md), checked when the plugins have loaded, its keys kept as `options`.
  std::string type;
  std::shared_ptr<const SourceOptions> typeOptions;  // a registered type's options (sourceOptions<T>)
  // Plugin source types: how often the source is expected to push, for feed health (STALE after twice this with no
  // push). 0: the poll period for a polled source, 1 s for a threaded one. (A zmq publisher declares its interval
  // in every envelope instead.)
  double intervalS = 0;
  std::vector<ConfigValue> options;  // plugin source types: every key of the entry but id, type and interval_s
  int line = 0;
};

template <class T>
const T& sourceOptions(const SourceConfig& source) {
  if (const auto* options = dynamic_cast<const T*>(source.typeOptions.get())) return *options;
  static const T defaults{};
  return defaults;
}

template <class T>
T& editSourceOptions(SourceConfig& source) {
  auto copy = std::make_shared<T>(sourceOptions<T>(source));
  T& options = *copy;
  source.typeOptions = std::move(copy);
  return options;
}

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
  // The watchdog's deadline for a plugin's poll, KPI or field computation (docs/plugins.md "Watchdog"); 0: off.
  double callTimeoutS = 5.0;
};

// A module's own top-level table ([history]: connectors/history_config.hpp HistoryConfig).
struct ConfigSection {
  virtual ~ConfigSection() = default;
};

struct LoggingConfig {
  std::string level = "info";  // trace, debug, info, warn, error, off
  std::string file;            // empty: console only
  // The global audit rate (audit_rate_sink.hpp): audit lines a second over all, 10 s of them as a burst; 0: no cap.
  double auditLinesPerSecond = 10;
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
  // Tables read by a module's SectionParser, by name ("history"); absent: the file has none (the module's defaults).
  std::map<std::string, std::shared_ptr<const ConfigSection>, std::less<>> sections;

  // Resolve a path written in the config file against the config's folder.
  std::string resolvePath(const std::string& relative) const;
  const BookmarkConfig* findBookmark(const std::string& id) const;
};

// The section `name` as type T (T's defaults when the file has none).
template <class T>
const T& configSection(const Config& config, std::string_view name) {
  const auto it = config.sections.find(name);
  if (it != config.sections.end()) {
    if (const auto* section = dynamic_cast<const T*>(it->second.get())) return *section;
  }
  static const T defaults{};
  return defaults;
}

template <class T>
T& editConfigSection(Config& config, std::string_view name) {
  auto copy = std::make_shared<T>(configSection<T>(config, name));
  T& section = *copy;
  config.sections.insert_or_assign(std::string(name), std::move(copy));
  return section;
}

// ---- the parts core does not read ----------------------------------------------------------------------------

// A layer type's options parser (given with the type to layers::LayerRegistry::registerType).
struct LayerOptionsParser {
  // Keys of a [[layers]] entry the type reads besides the common ones (its table, "field"; terrain's "imagery").
  std::vector<std::string> keys;
  // Reads them from the layer's table (reporting problems there); nullptr: no options. Called for every layer of the
  // type, and for a layer of another type that has one of `keys` anyway (ofThisType false): there the keys are
  // checked as they always were, required ones are not demanded, and the result is dropped.
  std::function<std::shared_ptr<const LayerOptions>(const ConfigTable& layer, bool ofThisType)> parse;
};

// A source type's options parser (given with the type to runtime::SourceRegistry::registerType).
struct SourceOptionsParser {
  std::vector<std::string> keys;  // keys of a [[sources]] entry of the type besides id and type
  std::function<std::shared_ptr<const SourceOptions>(const ConfigTable& source)> parse;
};

// A module's top-level table: checks its own keys, returns what it read.
using SectionParser = std::function<std::shared_ptr<const ConfigSection>(const ConfigTable& section)>;

// What the loader knows beyond the common parts. The runtime builds the whole schema from its registries
// (runtime/config_loading.hpp); an empty one reads the common parts and reports every other key as unknown.
struct ConfigSchema {
  std::map<std::string, LayerOptionsParser, std::less<>> layerTypes;
  std::map<std::string, SourceOptionsParser, std::less<>> sourceTypes;
  std::map<std::string, SectionParser, std::less<>> sections;
  // For tools that need only the common parts (greentwin-sim reads the scene and the layers' sources): keys of layer
  // and source types and sections the schema does not name are accepted unread instead of being unknown keys.
  bool commonPartsOnly = false;

  static ConfigSchema commonOnly() {
    ConfigSchema schema;
    schema.commonPartsOnly = true;
    return schema;
  }
};

// Parse TOML text; `sourceName` appears in messages ("greentwin.toml:12: ...").
// Unknown keys, wrong types and out-of-range values are errors naming the key path and its line.
Result<Config> parseConfig(const std::string& text, const std::string& sourceName = "config",
                           const ConfigSchema& schema = {});
Result<Config> loadConfigFile(const std::string& path, const ConfigSchema& schema = {});

}  // namespace gt
