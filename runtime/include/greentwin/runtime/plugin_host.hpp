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
//
// Watchdog ([plugins] call_timeout_s, docs/plugins.md "Watchdog"): the recurring calls — source polls, KPI and
// field computations — run on a thread per plugin while the update thread waits for them; one that does not return
// within the deadline is abandoned and its plugin disabled as hung (never called again nor unloaded), so a hung
// plugin cannot freeze the twin. Loading, starting sources and settings run on the update thread itself.
//
// The implementation is split by job in runtime/src/plugins/ (each file says its job and its threads). The
// manifest, the services the twin offers and the value types have headers of their own, included here.

#include <chrono>
#include <deque>
#include <map>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/scenario.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/plugin_manifest.hpp"
#include "greentwin/runtime/plugin_services.hpp"
#include "greentwin/runtime/plugin_types.hpp"

namespace gt::runtime {

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

  // A plugin's recent warnings and errors (what it logged at WARN and above), oldest first; empty for an unknown id.
  std::vector<PluginWarning> warnings(const std::string& pluginId) const;

  // KPIs of active plugins, and one computed on demand.
  std::vector<PluginKpi> kpis() const;
  Result<PluginKpiValue> computeKpi(const std::string& kpiId, TimePoint t);
  // One KPI over an area of the map at `t` (update thread). Errors: no active plugin provides it (NotFound), it is
  // for the whole twin only (Unsupported: gt_kpi.compute_in_area is NULL), or the call failed (the plugin is
  // disabled, as for computeKpi).
  Result<PluginKpiValue> computeKpiInArea(const std::string& kpiId, const KpiArea& area, TimePoint t);
  // One KPI of the whole twin at `t` with a what-if scenario's edits applied inside its plugin (update thread; under
  // the watchdog). The twin's data is not touched. Errors: NotFound as above; Unsupported when the KPI does not
  // depend on any edit (gt_kpi.compute_in_scenario is NULL: its baseline value stands); a failed call disables the
  // plugin, as for computeKpi. plugin_scenario.cpp.
  Result<PluginKpiValue> computeKpiInScenario(const std::string& kpiId, const Scenario& scenario, TimePoint t);
  // Every KPI of the active plugins computed for `t` (update thread), unless the last refresh is younger than
  // `minInterval` (the panel asks every frame); and the last results, for the panel.
  void refreshKpis(TimePoint t, std::chrono::milliseconds minInterval = std::chrono::milliseconds(0));
  const std::vector<PluginKpiReading>& kpiReadings() const { return kpiReadings_; }
  // Each KPI's recent values, one per refresh (the panel's trend line; the wall's sparklines), oldest first, at most
  // kKpiTrendLength; started afresh when the clock went back (a jump in playback). Empty for an unknown id.
  static constexpr std::size_t kKpiTrendLength = 600;
  const std::deque<PluginKpiTrendPoint>& kpiTrend(const std::string& kpiId) const;

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
  Result<PluginKpiValue> callKpi(const std::string& kpiId, const KpiArea* area, TimePoint t);
  Record* findRecord(const std::string& pluginId) const;
  void loadOne(Record& record, const std::vector<std::string>& folders);
  void disableRecord(Record& record, const std::string& reason);
  void stopSources(Record& record);

  PluginServices& services_;
  std::vector<std::unique_ptr<Record>> records_;
  struct RunningSource;
  std::vector<std::unique_ptr<RunningSource>> sources_;
  std::vector<PluginKpiReading> kpiReadings_;
  std::map<std::string, std::deque<PluginKpiTrendPoint>, std::less<>> kpiTrends_;
  std::chrono::steady_clock::time_point lastKpiRefresh_{};
  std::chrono::steady_clock::time_point lastPoll_{};  // the poll period is a polled source's feed interval
  std::chrono::milliseconds callTimeout_{0};  // the watchdog's deadline ([plugins] call_timeout_s; 0: off)
};

}  // namespace gt::runtime
