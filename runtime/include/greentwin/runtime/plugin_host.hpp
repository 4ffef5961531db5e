#pragma once
// The plugin host (DESIGN.md "Plugins", docs/plugins.md): finds plugin manifests in the configured folders, reads
// them without loading anything, loads (dlopen) only the enabled plugins whose library lies inside a configured
// folder, checks the ABI, and then guards every call into a plugin: an error return, a caught exception or a
// failure the plugin reports disables that plugin (sources stopped, contributions withdrawn, reason kept for the
// UI) while the twin runs on.
//
// Threads: everything here runs on the update thread (the thread that called load()), except what the host API
// table allows plugins to call from their own threads (log, set_error, fail, push_update[s]), which is
// thread-safe. A plugin's failure reported from its thread takes effect at the next poll().

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/core/vec.hpp"

namespace gt::runtime {

// `<name>.greentwin-plugin.toml` beside a plugin library.
struct PluginManifest {
  std::string path;  // the manifest file
  std::string id;
  std::string name;
  std::string version;
  std::uint32_t abi = 0;
  std::string library;  // as written (relative to the manifest's folder, or absolute)
  std::vector<std::string> sources, layers, kpis, classifiers;  // [provides]
  std::vector<ConfigValue> settings;                           // [settings]: defaults
};

// Reads and checks a manifest (id, version, abi and library are required). Loads nothing.
Result<PluginManifest> readPluginManifest(const std::string& path);

inline constexpr std::string_view kPluginManifestSuffix = ".greentwin-plugin.toml";

// What the twin offers to plugins (implemented by the Twin; a test can give its own).
class PluginServices {
 public:
  virtual ~PluginServices() = default;
  // Any thread: one sample into the twin's live update path. NotFound: unknown entity, or a new attribute name
  // (which the twin registers on its next frame).
  virtual Status pushUpdate(std::string_view entityId, std::string_view attribute, TimePoint t, double value) = 0;
  // Update thread.
  virtual TimePoint clockNow() const = 0;
  virtual std::optional<Sample> readValue(std::string_view entityId, std::string_view attribute) const = 0;
  struct EntityView {
    const std::string* id;
    const std::string* kind;
    const std::string* layer;
    Vec3d position;  // scene frame
    double lon, lat;
  };
  // Calls visit for each entity of `kind` ("" any) registered by `layer` ("" any) until it returns false.
  virtual void forEachEntity(std::string_view kind, std::string_view layer,
                             const std::function<bool(const EntityView&)>& visit) const = 0;
  // Any thread: one message (a push_update, or one push_updates call of `updates` samples) from a plugin source,
  // for feed health (issue 4). `publisher` is PluginHost::feedPublisher(plugin, source), `sequence` the host's
  // count of that publisher's messages (1, 2, ...), `interval` how often the source is expected to push (0: not
  // known). Called in sequence order per publisher. Default: ignored (a test's services).
  virtual void recordFeed(std::string_view publisher, std::uint64_t sequence, Duration interval,
                          std::size_t updates) {
    (void)publisher;
    (void)sequence;
    (void)interval;
    (void)updates;
  }
};

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
};
enum class PluginKpiStatus { Ok, Warning, Alert, NoData };  // GT_KPI_* in the same order
struct PluginKpiValue {
  double value = 0;
  PluginKpiStatus status = PluginKpiStatus::NoData;  // NoData: value is meaningless
};
struct PluginKpiReading {
  PluginKpi kpi;
  std::optional<PluginKpiValue> value;  // empty: `error` says why
  std::string error;
  TimePoint time = 0;  // the clock time it was computed for
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

class PluginHost {
 public:
  // The host ABI this build speaks (GREENTWIN_PLUGIN_ABI_VERSION).
  static std::uint32_t abiVersion();

  explicit PluginHost(PluginServices& services);
  ~PluginHost();  // stops and destroys every source, destroys active plugins, unloads libraries
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Update thread, once. `config.folders` must already be resolved (absolute or relative to the working folder).
  // Never fails as a whole: every manifest found and every enabled id gets a PluginInfo with its state.
  void load(const PluginConfig& config);

  std::vector<PluginInfo> plugins() const;
  const PluginInfo* find(const std::string& pluginId) const;

  // Sources. True when an active plugin provides this [[sources]] type.
  bool providesSourceType(const std::string& type) const;
  std::vector<std::string> sourceTypes() const;
  // Creates and starts a source for a [[sources]] entry of a plugin type. On failure the source is gone and the
  // Status says why (a plugin callback failing also disables its plugin).
  Status startSource(const SourceConfig& source);
  std::size_t runningSources() const;
  // The running sources' feeds (update thread). Pushes are attributed to a source: during its own callback (a
  // polled source's poll) to that source; otherwise to the plugin's one running source; from a plugin thread to
  // the plugin's one source with its own thread. Else (several threaded sources of one plugin) to the plugin as a
  // whole, "plugin:<plugin>", which no source claims: the ABI's push functions do not say which source pushes.
  std::vector<PluginSourceFeed> sourceFeeds() const;
  static std::string feedPublisher(std::string_view pluginId, std::string_view sourceId);  // "plugin:<p>/<s>"
  static constexpr Duration kMinPolledFeedInterval = kMicrosPerSecond;

  // Update thread, once per frame: disables plugins that reported a failure, then polls polled sources.
  void poll(TimePoint clockNow);

  // KPIs of active plugins, and one computed on demand.
  std::vector<PluginKpi> kpis() const;
  Result<PluginKpiValue> computeKpi(const std::string& kpiId, TimePoint t);
  // Every KPI of the active plugins computed for `t` (update thread), unless the last refresh is younger than
  // `minInterval` (the panel asks every frame); and the last results, for the panel.
  void refreshKpis(TimePoint t, std::chrono::milliseconds minInterval = std::chrono::milliseconds(0));
  const std::vector<PluginKpiReading>& kpiReadings() const { return kpiReadings_; }

  // Classifiers of active plugins; classify() gives the class index (nullopt: no class for this value).
  std::vector<PluginClassifier> classifiers() const;
  Result<std::optional<int>> classify(const std::string& classifierId, double value);

  // Field layer types of active plugins; computeField fills request.values (resized to columns * rows).
  std::vector<PluginFieldProvider> fieldProviders() const;
  Status computeField(const std::string& fieldId, FieldRequest& request);

  // Settings of a plugin (any state), and a change from the UI: the value as text, checked against the
  // description; the plugin's on_setting_changed may refuse it (the old value is restored).
  std::vector<PluginSetting> settings(const std::string& pluginId) const;
  Status setSetting(const std::string& pluginId, const std::string& key, const std::string& value);

  // Disables an active plugin by hand (the UI), as a failure would.
  void disable(const std::string& pluginId, const std::string& reason);

  struct Record;  // one plugin (opaque; public so the C trampolines can name it)
  struct SourceFeed;  // one running source's feed-health identity (opaque; public for the same reason)

 private:
  Record* findRecord(const std::string& pluginId) const;
  void loadOne(Record& record, const std::vector<std::string>& folders);
  void adopt(Record& record);
  void disableRecord(Record& record, const std::string& reason);
  void stopSources(Record& record);

  PluginServices& services_;
  std::vector<std::unique_ptr<Record>> records_;
  struct RunningSource;
  std::vector<std::unique_ptr<RunningSource>> sources_;
  std::vector<PluginKpiReading> kpiReadings_;
  std::chrono::steady_clock::time_point lastKpiRefresh_{};
  std::chrono::steady_clock::time_point lastPoll_{};  // the poll period is a polled source's feed interval
};

}  // namespace gt::runtime
