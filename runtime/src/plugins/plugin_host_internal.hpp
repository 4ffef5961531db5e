#pragma once
// The plugin host's shared internals (runtime-private): the per-plugin Record, a running source and its feed
// identity, the C ABI's opaque `gt_host` context, and the helpers more than one part of the host uses (guarding a
// call into a plugin, parsing a setting's text, the source whose callback runs on this thread, the host API
// table). The parts, one job each, in runtime/src/plugins/:
//   plugin_manifest.cpp      reading `*.greentwin-plugin.toml`
//   host_api.cpp             the C function table plugins call (gt_host_api): the only code plugin threads run here
//   plugin_loading.cpp       finding manifests, dlopen, the entry point, ABI and descriptor checks, disabling
//   plugin_sources.cpp       starting, polling and stopping plugin sources; their feed-health identities
//   plugin_contributions.cpp KPIs, classifiers, field providers and settings
//   plugin_call_thread.cpp   the watchdog's thread: recurring calls run there, waited for up to a deadline
//
// Threads: the update thread (the one that called PluginHost::load) owns everything here, except the fields marked
// as written or read by plugin threads, which host_api.cpp reaches under Record's mutexes or through atomics.

#include <algorithm>
#include <cstddef>
#include <atomic>
#include <exception>
#include <initializer_list>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/plugin_abi.h"
#include "greentwin/runtime/plugin_host.hpp"
#include "plugin_call_thread.hpp"

// The opaque per-plugin context of the C ABI (plugin_abi.h): which host, which plugin.
struct gt_host {
  gt::runtime::PluginHost* host;
  gt::runtime::PluginHost::Record* record;
  gt::runtime::PluginServices* services;
};

namespace gt::runtime {

struct PluginHost::Record {
  PluginInfo info;
  PluginManifest manifest;
  bool enabled = false;
  void* handle = nullptr;
  const gt_plugin_descriptor* desc = nullptr;
  gt_host context{};
  gt_host_api api{};
  std::thread::id updateThread;
  // The watchdog (docs/plugins.md "Watchdog"): the thread its polls, KPI and field computations run on (null: the
  // watchdog is off, they run on the update thread), the deadline, and whether a call was abandoned past it. A hung
  // plugin is never called again, never unloaded, and its Record outlives the host (the call may return one day).
  std::unique_ptr<detail::PluginCallThread> calls;
  std::chrono::milliseconds callDeadline{0};
  std::atomic<bool> hung{false};
  std::vector<PluginSetting> settings;
  std::vector<ConfigValue> configValues;  // [plugins.<id>]
  // Contributions, checked at load.
  std::vector<const gt_source_type*> sourceTypes;
  std::vector<const gt_field_layer_type*> fields;
  std::vector<const gt_classifier*> classifiers;
  std::vector<const gt_kpi*> kpis;
  // Written by plugin threads.
  std::atomic<bool> active{false};
  std::atomic<bool> failed{false};
  mutable std::mutex errorMu;
  std::string lastError;
  std::string failMessage;
  // The plugin's recent warnings and errors (its log at WARN and above), for the Plugins panel: bounded, oldest
  // first, a repeat of the newest counted rather than stored. Under errorMu.
  static constexpr std::size_t kMaxWarnings = 20;
  std::vector<PluginWarning> warnings;

  // Feed health: the running sources' feeds, and the plugin-wide one for pushes no single source can claim.
  // Written on the update thread and read by plugin threads (pushes), under feedMu.
  std::mutex feedMu;
  std::vector<std::shared_ptr<PluginHost::SourceFeed>> feeds;
  std::shared_ptr<PluginHost::SourceFeed> pluginFeed;

  std::string takeLastError() {
    std::lock_guard lock(errorMu);
    std::string e = std::move(lastError);
    lastError.clear();
    return e;
  }
  // The update thread, or the watchdog's thread while the update thread waits for its call.
  bool onUpdateThread() const {
    return std::this_thread::get_id() == updateThread || (calls != nullptr && calls->runsWatchedCallHere());
  }
};

// One running source's identity in feed health (PluginSourceFeed). The sequence is counted under the record's
// feedMu, so messages are recorded in sequence order even when several threads push.
struct PluginHost::SourceFeed {
  std::string publisher;
  std::string sourceId;
  std::string type;
  bool polled = false;
  bool declared = false;  // interval from the config's interval_s: the poll period does not replace it
  std::atomic<Duration> interval{0};
  std::uint64_t sequence = 0;  // under Record::feedMu
};

struct PluginHost::RunningSource {
  Record* record;
  const gt_source_type* type;
  std::string id;
  void* state = nullptr;
  bool started = false;
  std::shared_ptr<SourceFeed> feed;
};

namespace detail {

inline std::string str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

// gt_kpi.compute_in_scenario was appended: older plugins' structs end before it.
inline bool hasScenarioFunction(const gt_kpi& k) {
  return k.struct_size >= offsetof(gt_kpi, compute_in_scenario) + sizeof k.compute_in_scenario &&
         k.compute_in_scenario != nullptr;
}

// A gt_status in words, for the messages of guardedCall ("not found", ...).
const char* statusName(gt_status s);

// Parses a setting's text for its type; the error names the problem. On success `s` holds the new value.
Status parseSettingValue(PluginSetting& s, const std::string& text);

// The host API table for one plugin, its context `host` (struct size, ABI version and every function set).
gt_host_api hostApiTable(gt_host* host);

// The source whose callback runs on this thread now (update thread, around create/start/poll/stop): its pushes
// are its own. Set for the scope's lifetime, restored after.
class SourceCallbackScope {
 public:
  SourceCallbackScope(const PluginHost::Record* record, PluginHost::SourceFeed* feed);
  ~SourceCallbackScope();
  SourceCallbackScope(const SourceCallbackScope&) = delete;
  SourceCallbackScope& operator=(const SourceCallbackScope&) = delete;

 private:
  const PluginHost::Record* record_;
  PluginHost::SourceFeed* feed_;
};
// The feed of the source of `record` whose callback runs on this thread now; nullptr when none does. Any thread.
PluginHost::SourceFeed* callbackFeed(const PluginHost::Record& record);

// Runs one call into a plugin. A non-OK status (other than those in `tolerated`) or an exception disables the
// plugin through `onFailure`; returns the status (GT_ERR_EXCEPTION for a caught exception).
template <class Call, class OnFailure>
gt_status guardedCall(PluginHost::Record& r, const std::string& what, Call&& call, OnFailure&& onFailure,
                      std::initializer_list<gt_status> tolerated = {}) {
  gt_status status = GT_OK;
  std::string message;
  try {
    status = call();
    if (status == GT_OK || std::find(tolerated.begin(), tolerated.end(), status) != tolerated.end()) return status;
    message = r.takeLastError();
    if (status == GT_ERR_EXCEPTION) {  // the wrapper caught it
      message = what + " threw: " + (message.empty() ? std::string("an exception") : message);
    } else {
      message = what + " returned " + std::to_string(status) + " (" + statusName(status) + ")" +
                (message.empty() ? "" : ": " + message);
    }
  } catch (const std::exception& e) {
    status = GT_ERR_EXCEPTION;
    message = what + " threw: " + e.what();
  } catch (...) {
    status = GT_ERR_EXCEPTION;
    message = what + " threw an exception";
  }
  onFailure(message);
  return status;
}

// A recurring call (poll, KPI, field) under the watchdog: run on the plugin's call thread and waited for up to its
// deadline; as guardedCall otherwise (an error or exception fails it through `onFailure`, on the caller's thread).
// Past the deadline the call is abandoned, the plugin marked hung and `onFailure` told so. `call` must own what it
// touches after the plugin call starts (captures by value, outputs in shared memory): an abandoned call may return
// after the caller's frame is gone. Without a call thread (watchdog off), or called from that thread, it runs here.
template <class Call, class OnFailure>
gt_status watchedCall(PluginHost::Record& r, const std::string& what, Call call, OnFailure&& onFailure) {
  if (r.calls == nullptr || r.calls->runsWatchedCallHere()) return guardedCall(r, what, call, onFailure);
  struct Outcome {
    gt_status status = GT_OK;
    std::string message;
  };
  auto outcome = std::make_shared<Outcome>();
  PluginHost::Record* record = &r;
  const bool returned = r.calls->run(
      [record, what, call, outcome]() mutable {
        outcome->status = guardedCall(*record, what, call, [&outcome](const std::string& m) { outcome->message = m; });
      },
      r.callDeadline);
  if (!returned) {
    r.hung.store(true, std::memory_order_release);
    onFailure(what + " did not return within " + std::to_string(r.callDeadline.count()) +
              " ms (plugin watchdog): the call is abandoned and the plugin stays disabled until the twin restarts");
    return GT_ERR_FAILED;
  }
  if (outcome->status != GT_OK) onFailure(outcome->message);
  return outcome->status;
}

}  // namespace detail

}  // namespace gt::runtime
