#pragma once
// The plugin host's value types (plugin_host.hpp): a plugin's state and description, its sources' feeds, settings,
// KPIs, classifiers and field providers as the UI and the twin see them. Plain data, copied out of the host on the
// update thread.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/time.hpp"

namespace gt::runtime {

// A started plugin source as feed health sees it: a publisher of its own, "plugin:<plugin>/<source>".
struct PluginSourceFeed {
  std::string sourceId;  // [[sources]] id
  std::string pluginId;
  std::string type;  // the source type
  std::string publisher;
  bool polled = false;
  // How often it is expected to push: the [[sources]] entry's interval_s when given; else for a polled source the
  // poll period (at least kMinPolledFeedInterval, so a frame's jitter does not make it STALE); else 0 for a source
  // with its own thread (FeedHealth's default applies).
  Duration interval = 0;
};

enum class PluginState {
  Available,  // manifest found, not in [plugins] enabled
  Refused,    // enabled but not loaded: bad manifest, library outside the folders, ABI too new, no entry, ...
  Active,     // loaded and running
  Disabled,   // failed at run time (error return, exception, reported failure)
};
const char* toString(PluginState state);

struct PluginInfo {
  std::string id;
  std::string name;
  std::string version;
  std::string manifestPath;
  std::string libraryPath;  // resolved (realpath) when it was checked
  PluginState state = PluginState::Available;
  std::string message;  // why it is refused or disabled
  std::string settingError;  // why the last setting change was refused ("" after one that worked)
  std::vector<std::string> sourceTypes, fieldLayerTypes, classifiers, kpis;  // from the descriptor (or manifest)
};

// A warning or error a plugin logged (bad input it met: a NaN reading, an unknown entity, a layer it cannot use),
// shown in the Plugins panel so it is seen without the log.
struct PluginWarning {
  std::string message;
  bool error = false;         // logged at ERROR (else WARN)
  std::uint32_t repeats = 1;  // the same message logged this many times in a row
};

// Settings described as data by a plugin, with the host's current value.
struct PluginSetting {
  enum class Type { Bool, Int, Double, String, Enum };
  struct Option {
    std::string value, labelZh, labelEn;
  };
  std::string key;
  Type type = Type::Double;
  double min = 1.0, max = 0.0;  // min > max: unbounded
  std::vector<Option> options;
  std::string labelZh, labelEn, helpZh, helpEn;
  // Current value: `text` always; the typed field that matches `type`.
  std::string text;
  bool boolValue = false;
  std::int64_t intValue = 0;
  double doubleValue = 0;
};

struct PluginKpi {
  std::string pluginId, id, nameZh, nameEn, unit;
  std::string methodZh, methodEn;  // how it is computed; empty from plugins built before the ABI carried it
  bool areas = false;  // it can be computed for an area of the map (gt_kpi.compute_in_area), else the whole twin only
  bool scenarios = false;  // it depends on a what-if scenario's edits (gt_kpi.compute_in_scenario)
};
// GT_KPI_* in the same order. Pending: no value yet, the plugin still computes it (ask again).
enum class PluginKpiStatus { Ok, Warning, Alert, NoData, Pending };
struct PluginKpiValue {
  double value = 0;
  PluginKpiStatus status = PluginKpiStatus::NoData;  // NoData and Pending: value is meaningless
  bool hasValue() const { return status != PluginKpiStatus::NoData && status != PluginKpiStatus::Pending; }
  std::string note{};  // the plugin's line on what the value covers or why there is none; "" when none
};

// An area of the map a KPI is computed for (PluginHost::computeKpiInArea): polygons in the scene frame (z unused).
struct KpiArea {
  std::string id;  // a feature's entity id, or "drawn/<n>"
  std::vector<Polygon> polygons;
  double areaM2 = 0;  // planar, holes taken out
};
struct PluginKpiReading {
  PluginKpi kpi;
  std::optional<PluginKpiValue> value;  // empty: `error` says why
  std::string error;
  TimePoint time = 0;  // the clock time it was computed for
};

struct PluginKpiTrendPoint {
  TimePoint time = 0;  // the clock time it was computed for
  double value = 0;
};

struct PluginClassifier {
  struct Class {
    std::uint8_t rgba[4];
    std::string labelZh, labelEn;
  };
  std::string pluginId, id, nameZh, nameEn, unit;
  std::vector<Class> classes;
  std::vector<double> upperBounds;  // empty when the plugin classifies by callback
};

struct PluginFieldProvider {
  std::string pluginId, id, nameZh, nameEn, unit, classifierId;
};
// A field computation: the box (scene frame), grid size and time in; values (columns * rows, row 0 at minY,
// NaN = none) out.
struct FieldRequest {
  double minX = 0, minY = 0, maxX = 0, maxY = 0;
  std::uint32_t columns = 0, rows = 0;
  TimePoint time = 0;
  std::vector<float> values;
};

}  // namespace gt::runtime
