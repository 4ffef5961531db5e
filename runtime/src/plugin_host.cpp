#include "greentwin/runtime/plugin_host.hpp"

#include <dlfcn.h>
#include <spdlog/spdlog.h>
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <initializer_list>
#include <mutex>
#include <system_error>
#include <thread>

#include "greentwin/plugin_abi.h"

// The opaque per-plugin context of the C ABI (plugin_abi.h): which host, which plugin.
struct gt_host {
  gt::runtime::PluginHost* host;
  gt::runtime::PluginHost::Record* record;
  gt::runtime::PluginServices* services;
};

namespace gt::runtime {

namespace fs = std::filesystem;

namespace {

// Sizes of the ABI 1 structs: a plugin's struct must be at least this big (fields are only appended later).
constexpr std::uint32_t kDescriptorV1 = sizeof(gt_plugin_descriptor);
constexpr std::uint32_t kSourceTypeV1 = sizeof(gt_source_type);
constexpr std::uint32_t kClassifierV1 = sizeof(gt_classifier);
constexpr std::uint32_t kClassV1 = sizeof(gt_class_info);
constexpr std::uint32_t kFieldV1 = sizeof(gt_field_layer_type);
constexpr std::uint32_t kKpiV1 = sizeof(gt_kpi);
constexpr std::uint32_t kSettingV1 = sizeof(gt_setting_desc);
constexpr std::uint32_t kOptionV1 = sizeof(gt_enum_option);

std::string str(const char* s) { return s != nullptr ? std::string(s) : std::string(); }

const char* statusName(gt_status s) {
  switch (s) {
    case GT_OK: return "ok";
    case GT_ERR_FAILED: return "failed";
    case GT_ERR_INVALID_ARGUMENT: return "invalid argument";
    case GT_ERR_NOT_FOUND: return "not found";
    case GT_ERR_NO_DATA: return "no data";
    case GT_ERR_WRONG_THREAD: return "wrong thread";
    case GT_ERR_EXCEPTION: return "exception";
    case GT_ERR_DISABLED: return "disabled";
    default: return "unknown error code";
  }
}

// Is `path` (a realpath) inside `folder` (a realpath)?
bool inside(const std::string& path, const std::string& folder) {
  if (folder.empty()) return false;
  const std::string prefix = folder.back() == '/' ? folder : folder + "/";
  return path.size() > prefix.size() && path.compare(0, prefix.size(), prefix) == 0;
}

std::optional<std::string> realPath(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return std::nullopt;
  std::string out(resolved);
  std::free(resolved);  // NOLINT(cppcoreguidelines-no-malloc): realpath's contract
  return out;
}

Result<std::vector<std::string>> stringList(const toml::table& t, std::string_view key, const std::string& where) {
  std::vector<std::string> out;
  const toml::node* node = t.get(key);
  if (node == nullptr) return out;
  const toml::array* array = node->as_array();
  if (array == nullptr) return Status(ErrorCode::InvalidArgument, where + ": '" + std::string(key) + "' must be an array of strings");
  for (const toml::node& element : *array) {
    const auto* s = element.as_string();
    if (s == nullptr) return Status(ErrorCode::InvalidArgument, where + ": '" + std::string(key) + "' must be an array of strings");
    out.push_back(s->get());
  }
  return out;
}

// Parses a setting's text for its type; the error names the problem.
Status parseSettingValue(PluginSetting& s, const std::string& text) {
  using Type = PluginSetting::Type;
  const bool bounded = s.min <= s.max;
  switch (s.type) {
    case Type::Bool:
      if (text == "true" || text == "1") {
        s.boolValue = true;
      } else if (text == "false" || text == "0") {
        s.boolValue = false;
      } else {
        return Status(ErrorCode::InvalidArgument, "'" + s.key + "' must be true or false, got \"" + text + "\"");
      }
      break;
    case Type::Int: {
      std::int64_t v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size()) {
        return Status(ErrorCode::InvalidArgument, "'" + s.key + "' must be an integer, got \"" + text + "\"");
      }
      if (bounded && (static_cast<double>(v) < s.min || static_cast<double>(v) > s.max)) {
        return Status(ErrorCode::OutOfRange, fmt::format("'{}' = {} is out of range {}..{}", s.key, v, s.min, s.max));
      }
      s.intValue = v;
      break;
    }
    case Type::Double: {
      double v = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
      if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(v)) {
        return Status(ErrorCode::InvalidArgument, "'" + s.key + "' must be a number, got \"" + text + "\"");
      }
      if (bounded && (v < s.min || v > s.max)) {
        return Status(ErrorCode::OutOfRange, fmt::format("'{}' = {} is out of range {}..{}", s.key, v, s.min, s.max));
      }
      s.doubleValue = v;
      break;
    }
    case Type::String:
      break;
    case Type::Enum: {
      const bool known = std::any_of(s.options.begin(), s.options.end(),
                                     [&text](const PluginSetting::Option& o) { return o.value == text; });
      if (!known) {
        std::string list;
        for (const auto& o : s.options) list += (list.empty() ? "" : ", ") + o.value;
        return Status(ErrorCode::InvalidArgument, "'" + s.key + "' = \"" + text + "\" is not one of: " + list);
      }
      break;
    }
  }
  s.text = text;
  return Status::ok();
}

}  // namespace

struct PluginHost::Record {
  PluginInfo info;
  PluginManifest manifest;
  bool enabled = false;
  void* handle = nullptr;
  const gt_plugin_descriptor* desc = nullptr;
  gt_host context{};
  gt_host_api api{};
  std::thread::id updateThread;
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
  bool onUpdateThread() const { return std::this_thread::get_id() == updateThread; }
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

namespace {

// The source whose callback runs on this thread now (update thread, around create/start/poll/stop): its pushes
// are its own.
thread_local const PluginHost::Record* tCallbackRecord = nullptr;
thread_local PluginHost::SourceFeed* tCallbackFeed = nullptr;

class SourceCallbackScope {
 public:
  SourceCallbackScope(const PluginHost::Record* record, PluginHost::SourceFeed* feed)
      : record_(tCallbackRecord), feed_(tCallbackFeed) {
    tCallbackRecord = record;
    tCallbackFeed = feed;
  }
  ~SourceCallbackScope() {
    tCallbackRecord = record_;
    tCallbackFeed = feed_;
  }
  SourceCallbackScope(const SourceCallbackScope&) = delete;
  SourceCallbackScope& operator=(const SourceCallbackScope&) = delete;

 private:
  const PluginHost::Record* record_;
  PluginHost::SourceFeed* feed_;
};

// ---- the host API table: functions plugins call. None throws; the thread rules of plugin_abi.h are enforced. --

PluginHost::Record& rec(gt_host* h) { return *h->record; }

void apiLog(gt_host* h, std::int32_t level, const char* message) {
  if (h == nullptr) return;
  try {
    const std::string& id = rec(h).info.id;
    const char* m = message != nullptr ? message : "";
    switch (level) {
      case GT_LOG_DEBUG: spdlog::debug("plugin '{}': {}", id, m); break;
      case GT_LOG_INFO: spdlog::info("plugin '{}': {}", id, m); break;
      case GT_LOG_WARN: spdlog::warn("plugin '{}': {}", id, m); break;
      default: spdlog::error("plugin '{}': {}", id, m); break;
    }
  } catch (...) {  // a logging failure must not reach the plugin
  }
}

void apiSetError(gt_host* h, const char* message) {
  if (h == nullptr) return;
  try {
    std::lock_guard lock(rec(h).errorMu);
    rec(h).lastError = str(message);
  } catch (...) {
  }
}

void apiFail(gt_host* h, const char* message) {
  if (h == nullptr) return;
  try {
    {
      std::lock_guard lock(rec(h).errorMu);
      if (rec(h).failMessage.empty()) rec(h).failMessage = message != nullptr && *message ? message : "reported a failure";
    }
    rec(h).failed.store(true, std::memory_order_release);
  } catch (...) {
  }
}

// One message for feed health, attributed as PluginHost::sourceFeeds() describes. Any thread; never throws.
void recordPush(gt_host* h, std::size_t updates) {
  if (updates == 0) return;
  PluginHost::Record& r = rec(h);
  try {
    std::lock_guard lock(r.feedMu);
    PluginHost::SourceFeed* feed = nullptr;
    if (tCallbackRecord == &r && tCallbackFeed != nullptr) {
      feed = tCallbackFeed;
    } else if (r.feeds.size() == 1) {
      feed = r.feeds.front().get();
    } else if (!r.onUpdateThread() &&
               std::count_if(r.feeds.begin(), r.feeds.end(), [](const auto& f) { return !f->polled; }) == 1) {
      // From a plugin thread: the one source that runs its own thread.
      feed = std::find_if(r.feeds.begin(), r.feeds.end(), [](const auto& f) { return !f->polled; })->get();
    } else {
      if (!r.pluginFeed) {
        r.pluginFeed = std::make_shared<PluginHost::SourceFeed>();
        r.pluginFeed->publisher = "plugin:" + r.info.id;
      }
      feed = r.pluginFeed.get();
    }
    h->services->recordFeed(feed->publisher, ++feed->sequence, feed->interval.load(std::memory_order_relaxed),
                            updates);
  } catch (...) {  // feed health must not reach the plugin
  }
}

gt_status pushOne(gt_host* h, const char* entity, const char* attribute, std::int64_t time, double value) {
  if (h == nullptr || entity == nullptr || attribute == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).active.load(std::memory_order_acquire)) return GT_ERR_DISABLED;
  try {
    const Status s = h->services->pushUpdate(entity, attribute, time, value);
    if (s.isOk()) return GT_OK;
    return s.code() == ErrorCode::NotFound ? GT_ERR_NOT_FOUND : GT_ERR_FAILED;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

// A message counts for feed health when it reached the twin's push path (like a wire message that decoded), also
// when its entity is unknown: the source is alive.
bool reachedTwin(gt_status s) { return s == GT_OK || s == GT_ERR_NOT_FOUND || s == GT_ERR_FAILED; }

gt_status apiPushUpdate(gt_host* h, const char* entity, const char* attribute, std::int64_t time, double value) {
  const gt_status s = pushOne(h, entity, attribute, time, value);
  if (reachedTwin(s)) recordPush(h, 1);
  return s;
}

gt_status apiPushUpdates(gt_host* h, const gt_update* const* updates, std::uint32_t count, std::uint32_t* accepted) {
  std::uint32_t ok = 0;
  std::size_t reached = 0;
  gt_status result = GT_OK;
  for (std::uint32_t i = 0; i < count; ++i) {
    const gt_update* u = updates != nullptr ? updates[i] : nullptr;
    if (u == nullptr || u->struct_size < sizeof(gt_update)) {
      result = GT_ERR_INVALID_ARGUMENT;
      continue;
    }
    const gt_status s = pushOne(h, u->entity_id, u->attribute, u->time_us, u->value);
    reached += reachedTwin(s) ? 1 : 0;
    if (s == GT_OK) {
      ++ok;
    } else if (result == GT_OK) {
      result = s;
    }
    if (s == GT_ERR_DISABLED) break;
  }
  if (h != nullptr) recordPush(h, reached);  // one message per call
  if (accepted != nullptr) *accepted = ok;
  return result;
}

std::int64_t apiClockNow(gt_host* h) {
  if (h == nullptr || !rec(h).onUpdateThread()) return 0;
  return h->services->clockNow();
}

gt_status apiReadValue(gt_host* h, const char* entity, const char* attribute, double* value, std::int64_t* sampleTime) {
  if (h == nullptr || entity == nullptr || attribute == nullptr || value == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  try {
    const auto sample = h->services->readValue(entity, attribute);
    if (!sample) return GT_ERR_NO_DATA;
    *value = sample->value;
    if (sampleTime != nullptr) *sampleTime = sample->sampleTime;
    return GT_OK;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

gt_status apiEnumerate(gt_host* h, const char* kind, const char* layer, gt_entity_visitor visit, void* user) {
  if (h == nullptr || visit == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  try {
    h->services->forEachEntity(kind != nullptr ? kind : "", layer != nullptr ? layer : "",
                               [&](const PluginServices::EntityView& e) {
                                 gt_entity_info info{};
                                 info.struct_size = sizeof info;
                                 info.id = e.id->c_str();
                                 info.kind = e.kind->c_str();
                                 info.layer = e.layer->c_str();
                                 info.x = e.position.x;
                                 info.y = e.position.y;
                                 info.z = e.position.z;
                                 info.lon = e.lon;
                                 info.lat = e.lat;
                                 return visit(user, &info) == 0;
                               });
    return GT_OK;
  } catch (...) {  // the visitor is plugin code; a C++ plugin without the wrapper might throw
    apiSetError(h, "exception inside enumerate_entities");
    return GT_ERR_EXCEPTION;
  }
}

gt_status apiGetSetting(gt_host* h, const char* key, gt_setting_value* out) {
  if (h == nullptr || key == nullptr || out == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  for (const PluginSetting& s : rec(h).settings) {
    if (s.key != key) continue;
    const std::uint32_t size = out->struct_size;
    gt_setting_value v{};
    v.struct_size = std::min<std::uint32_t>(size, sizeof v);
    v.type = static_cast<std::int32_t>(s.type);
    v.bool_value = s.boolValue ? 1 : 0;
    v.int_value = s.intValue;
    v.double_value = s.doubleValue;
    v.string_value = s.text.c_str();
    std::memcpy(static_cast<void*>(out), &v, v.struct_size);
    return GT_OK;
  }
  return GT_ERR_NOT_FOUND;
}

}  // namespace

// ---- manifest -------------------------------------------------------------------------------------------------

Result<PluginManifest> readPluginManifest(const std::string& path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Status(ErrorCode::ParseError,
                  fmt::format("{}:{}: {}", path, e.source().begin.line, std::string(e.description())));
  } catch (const std::exception& e) {
    return Status(ErrorCode::IoError, path + ": " + e.what());
  }
  PluginManifest m;
  m.path = path;
  auto requireString = [&](std::string_view key, std::string& out) -> Status {
    const auto* s = root.get(key) != nullptr ? root.get(key)->as_string() : nullptr;
    if (s == nullptr || s->get().empty()) {
      return Status(ErrorCode::InvalidArgument, path + ": '" + std::string(key) + "' (a non-empty string) is required");
    }
    out = s->get();
    return Status::ok();
  };
  for (auto [key, out] : {std::pair<std::string_view, std::string*>{"id", &m.id}, {"version", &m.version},
                          {"library", &m.library}}) {
    if (Status s = requireString(key, *out); !s) return s;
  }
  if (const auto* name = root.get("name"); name != nullptr && name->is_string()) {
    m.name = name->as_string()->get();
  } else {
    m.name = m.id;
  }
  const auto* abi = root.get("abi") != nullptr ? root.get("abi")->as_integer() : nullptr;
  if (abi == nullptr || abi->get() < 1 || abi->get() > 0xffffffffLL) {
    return Status(ErrorCode::InvalidArgument, path + ": 'abi' (the plugin ABI version, an integer >= 1) is required");
  }
  m.abi = static_cast<std::uint32_t>(abi->get());
  if (const auto* provides = root.get("provides")) {
    const toml::table* t = provides->as_table();
    if (t == nullptr) return Status(ErrorCode::InvalidArgument, path + ": [provides] must be a table");
    const std::string where = path + ": provides";
    for (auto [key, out] : {std::pair<std::string_view, std::vector<std::string>*>{"sources", &m.sources},
                            {"layers", &m.layers},
                            {"kpis", &m.kpis},
                            {"classifiers", &m.classifiers}}) {
      auto list = stringList(*t, key, where);
      if (!list) return list.status();
      *out = std::move(*list);
    }
  }
  if (const auto* settings = root.get("settings")) {
    const toml::table* t = settings->as_table();
    if (t == nullptr) return Status(ErrorCode::InvalidArgument, path + ": [settings] must be a table");
    for (auto&& [key, node] : *t) {
      ConfigValue v{std::string(key.str()), {}, static_cast<int>(node.source().begin.line)};
      if (const auto* s = node.as_string()) {
        v.value = s->get();
      } else if (const auto* i = node.as_integer()) {
        v.value = std::to_string(i->get());
      } else if (const auto* f = node.as_floating_point()) {
        char buf[64];
        v.value.assign(buf, std::to_chars(buf, buf + sizeof buf, f->get()).ptr);
      } else if (const auto* b = node.as_boolean()) {
        v.value = b->get() ? "true" : "false";
      } else {
        return Status(ErrorCode::InvalidArgument, path + ": settings." + v.key + " must be a string, number or boolean");
      }
      m.settings.push_back(std::move(v));
    }
  }
  return m;
}

const char* toString(PluginState state) {
  switch (state) {
    case PluginState::Available: return "available";
    case PluginState::Refused: return "refused";
    case PluginState::Active: return "active";
    case PluginState::Disabled: return "disabled";
  }
  return "?";
}

// ---- host -----------------------------------------------------------------------------------------------------

std::uint32_t PluginHost::abiVersion() { return GREENTWIN_PLUGIN_ABI_VERSION; }

PluginHost::PluginHost(PluginServices& services) : services_(services) {}

PluginHost::~PluginHost() {
  // Sources first (their threads push through the services), then the plugins, then the libraries.
  for (auto& source : sources_) {
    try {
      if (source->started && source->type->stop != nullptr) (void)source->type->stop(source->state);
      if (source->type->destroy != nullptr) source->type->destroy(source->state);
    } catch (...) {
      spdlog::error("plugin '{}': source '{}' threw while shutting down", source->record->info.id, source->id);
    }
  }
  sources_.clear();
  for (auto& record : records_) {
    if (record->info.state == PluginState::Active) {
      record->active = false;
      try {
        if (record->desc->destroy != nullptr) record->desc->destroy(record->desc->instance);
      } catch (...) {
        spdlog::error("plugin '{}': destroy threw", record->info.id);
      }
      if (record->handle != nullptr) dlclose(record->handle);
    }
    // A disabled plugin's library stays mapped: one of its threads may still be unwinding (plugin_abi.h).
  }
}

void PluginHost::load(const PluginConfig& config) {
  // The configured folders, resolved; a folder that does not exist is skipped with a warning.
  std::vector<std::string> folders;
  for (const std::string& folder : config.folders) {
    if (auto real = realPath(folder); real && fs::is_directory(*real)) {
      folders.push_back(*real);
    } else {
      spdlog::warn("plugin folder '{}' does not exist; skipped", folder);
    }
  }
  // Every manifest in those folders is read (not loaded) so that the UI lists what is available.
  for (const std::string& folder : folders) {
    std::error_code ec;
    std::vector<fs::path> manifests;
    for (const auto& entry : fs::directory_iterator(folder, ec)) {
      const std::string name = entry.path().filename().string();
      if (name.size() > kPluginManifestSuffix.size() && name.ends_with(kPluginManifestSuffix)) {
        manifests.push_back(entry.path());
      }
    }
    std::sort(manifests.begin(), manifests.end());
    for (const fs::path& path : manifests) {
      auto record = std::make_unique<Record>();
      record->info.manifestPath = path.string();
      auto manifest = readPluginManifest(path.string());
      if (!manifest) {
        // Named by its file, since the id could not be read.
        record->info.id = path.filename().string().substr(0, path.filename().string().size() - kPluginManifestSuffix.size());
        record->info.state = PluginState::Refused;
        record->info.message = manifest.status().message();
        spdlog::error("plugin manifest {}: {}", path.string(), record->info.message);
        records_.push_back(std::move(record));
        continue;
      }
      if (findRecord(manifest->id) != nullptr) {
        spdlog::warn("plugin '{}': a second manifest {} is ignored (the first found wins)", manifest->id, path.string());
        continue;
      }
      record->manifest = std::move(*manifest);
      record->info.id = record->manifest.id;
      record->info.name = record->manifest.name;
      record->info.version = record->manifest.version;
      record->info.sourceTypes = record->manifest.sources;
      record->info.fieldLayerTypes = record->manifest.layers;
      record->info.kpis = record->manifest.kpis;
      record->info.classifiers = record->manifest.classifiers;
      records_.push_back(std::move(record));
    }
  }
  for (const PluginSettingsConfig& ps : config.settings) {
    if (Record* r = findRecord(ps.pluginId)) r->configValues = ps.values;
  }
  // Only the enabled ones are loaded.
  for (const std::string& id : config.enabled) {
    Record* record = findRecord(id);
    if (record == nullptr) {
      auto missing = std::make_unique<Record>();
      missing->info.id = id;
      missing->info.state = PluginState::Refused;
      missing->info.message = "enabled, but no manifest '*" + std::string(kPluginManifestSuffix) +
                              "' with this id in the plugin folders";
      spdlog::error("plugin '{}': {}", id, missing->info.message);
      records_.push_back(std::move(missing));
      continue;
    }
    if (record->enabled) continue;
    record->enabled = true;
    if (record->info.state == PluginState::Refused) continue;  // bad manifest
    loadOne(*record, folders);
    if (record->info.state == PluginState::Active) {
      spdlog::info("plugin '{}' {} loaded from {}", record->info.id, record->info.version, record->info.libraryPath);
    } else {
      spdlog::error("plugin '{}' refused: {}", record->info.id, record->info.message);
    }
  }
}

void PluginHost::loadOne(Record& r, const std::vector<std::string>& folders) {
  auto refuse = [&r](std::string message) {
    r.info.state = PluginState::Refused;
    r.info.message = std::move(message);
    if (r.handle != nullptr) dlclose(r.handle);
    r.handle = nullptr;
    r.desc = nullptr;
  };
  const PluginManifest& m = r.manifest;
  const fs::path library = fs::path(m.library).is_absolute() ? fs::path(m.library)
                                                             : fs::path(m.path).parent_path() / m.library;
  r.info.libraryPath = library.string();
  const auto real = realPath(library.string());
  if (!real) return refuse("library " + library.string() + " not found");
  r.info.libraryPath = *real;
  // Only code from the configured folders is loaded; realpath also catches symlinks pointing elsewhere.
  if (std::none_of(folders.begin(), folders.end(), [&](const std::string& f) { return inside(*real, f); })) {
    return refuse("library " + *real + " is outside the configured plugin folders; refused");
  }
  if (m.abi > abiVersion()) {
    return refuse(fmt::format("built for plugin ABI {}, newer than this host's ABI {}: update GreenTwin or rebuild "
                              "the plugin against an SDK with ABI {}",
                              m.abi, abiVersion(), abiVersion()));
  }
  dlerror();
  r.handle = dlopen(real->c_str(), RTLD_NOW | RTLD_LOCAL);
  if (r.handle == nullptr) return refuse("cannot load " + *real + ": " + str(dlerror()));
  void* symbol = dlsym(r.handle, GREENTWIN_PLUGIN_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    return refuse(std::string("no entry point '") + GREENTWIN_PLUGIN_ENTRY_SYMBOL + "' in " + *real +
                  " (a plugin defines it with GREENTWIN_PLUGIN(ClassName))");
  }
  auto entry = reinterpret_cast<gt_plugin_entry_fn>(symbol);  // NOLINT: dlsym's result is the function

  r.context = gt_host{this, &r, &services_};
  r.api = gt_host_api{};
  r.api.struct_size = sizeof(gt_host_api);
  r.api.abi_version = abiVersion();
  r.api.host = &r.context;
  r.api.log = apiLog;
  r.api.set_error = apiSetError;
  r.api.fail = apiFail;
  r.api.push_update = apiPushUpdate;
  r.api.push_updates = apiPushUpdates;
  r.api.clock_now = apiClockNow;
  r.api.read_value = apiReadValue;
  r.api.enumerate_entities = apiEnumerate;
  r.api.get_setting = apiGetSetting;
  r.updateThread = std::this_thread::get_id();

  const gt_plugin_descriptor* d = nullptr;
  try {
    d = entry(&r.api, abiVersion());
  } catch (const std::exception& e) {
    return refuse(std::string("entry point threw: ") + e.what());
  } catch (...) {
    return refuse("entry point threw an exception");
  }
  if (d == nullptr) {
    const std::string why = r.takeLastError();
    return refuse("entry point returned no descriptor" + (why.empty() ? std::string() : ": " + why));
  }
  if (d->struct_size < offsetof(gt_plugin_descriptor, abi_version) + sizeof(d->abi_version)) {
    return refuse("descriptor too small to carry an ABI version");
  }
  if (d->abi_version > abiVersion()) {
    // Its descriptor is laid out for a newer ABI: nothing more of it is called.
    return refuse(fmt::format("built for plugin ABI {}, newer than this host's ABI {}: update GreenTwin or rebuild "
                              "the plugin against an SDK with ABI {}",
                              d->abi_version, abiVersion(), abiVersion()));
  }
  if (d->struct_size < kDescriptorV1) return refuse(fmt::format("descriptor has {} bytes, ABI 1 needs {}", d->struct_size, kDescriptorV1));
  r.desc = d;
  auto refuseLoaded = [&](std::string message) {
    try {
      if (d->destroy != nullptr) d->destroy(d->instance);
    } catch (...) {
    }
    refuse(std::move(message));
  };
  if (str(d->id) != m.id) {
    return refuseLoaded("the library's plugin id '" + str(d->id) + "' differs from its manifest's id '" + m.id + "'");
  }
  r.info.name = d->name != nullptr && *d->name ? d->name : m.name;
  r.info.version = d->version != nullptr && *d->version ? d->version : m.version;

  // Contributions: each struct must be complete for ABI 1 and carry an id and its callbacks.
  r.info.sourceTypes.clear();
  r.info.fieldLayerTypes.clear();
  r.info.classifiers.clear();
  r.info.kpis.clear();
  for (std::uint32_t i = 0; i < d->source_type_count; ++i) {
    const gt_source_type* s = d->source_types[i];
    if (s == nullptr || s->struct_size < kSourceTypeV1 || s->id == nullptr || s->create == nullptr ||
        s->start == nullptr || s->stop == nullptr || s->destroy == nullptr) {
      return refuseLoaded(fmt::format("source type {} is malformed (size, id or callbacks missing)", i));
    }
    r.sourceTypes.push_back(s);
    r.info.sourceTypes.push_back(s->id);
  }
  for (std::uint32_t i = 0; i < d->field_layer_type_count; ++i) {
    const gt_field_layer_type* f = d->field_layer_types[i];
    if (f == nullptr || f->struct_size < kFieldV1 || f->id == nullptr || f->compute == nullptr) {
      return refuseLoaded(fmt::format("field layer type {} is malformed", i));
    }
    r.fields.push_back(f);
    r.info.fieldLayerTypes.push_back(f->id);
  }
  for (std::uint32_t i = 0; i < d->classifier_count; ++i) {
    const gt_classifier* c = d->classifiers[i];
    if (c == nullptr || c->struct_size < kClassifierV1 || c->id == nullptr || c->class_count == 0 ||
        (c->classify == nullptr && c->upper_bounds == nullptr)) {
      return refuseLoaded(fmt::format("classifier {} is malformed", i));
    }
    for (std::uint32_t k = 0; k < c->class_count; ++k) {
      if (c->classes[k] == nullptr || c->classes[k]->struct_size < kClassV1) {
        return refuseLoaded(fmt::format("classifier '{}': class {} is malformed", c->id, k));
      }
    }
    r.classifiers.push_back(c);
    r.info.classifiers.push_back(c->id);
  }
  for (std::uint32_t i = 0; i < d->kpi_count; ++i) {
    const gt_kpi* k = d->kpis[i];
    if (k == nullptr || k->struct_size < kKpiV1 || k->id == nullptr || k->compute == nullptr) {
      return refuseLoaded(fmt::format("KPI {} is malformed", i));
    }
    r.kpis.push_back(k);
    r.info.kpis.push_back(k->id);
  }
  // Settings: described by the plugin; values from its default, the manifest, then the config.
  for (std::uint32_t i = 0; i < d->setting_count; ++i) {
    const gt_setting_desc* sd = d->settings[i];
    if (sd == nullptr || sd->struct_size < kSettingV1 || sd->key == nullptr || sd->type < GT_SETTING_BOOL ||
        sd->type > GT_SETTING_ENUM) {
      return refuseLoaded(fmt::format("setting {} is malformed", i));
    }
    PluginSetting s;
    s.key = sd->key;
    s.type = static_cast<PluginSetting::Type>(sd->type);
    s.min = sd->min;
    s.max = sd->max;
    s.labelZh = str(sd->label_zh);
    s.labelEn = str(sd->label_en);
    s.helpZh = str(sd->help_zh);
    s.helpEn = str(sd->help_en);
    for (std::uint32_t k = 0; k < sd->option_count; ++k) {
      const gt_enum_option* o = sd->options[k];
      if (o == nullptr || o->struct_size < kOptionV1 || o->value == nullptr) {
        return refuseLoaded(fmt::format("setting '{}': option {} is malformed", s.key, k));
      }
      s.options.push_back({o->value, str(o->label_zh), str(o->label_en)});
    }
    if (Status st = parseSettingValue(s, str(sd->default_value)); !st) {
      return refuseLoaded("default of setting " + st.message());
    }
    r.settings.push_back(std::move(s));
  }
  auto apply = [&r](const std::vector<ConfigValue>& values, const std::string& where) {
    for (const ConfigValue& v : values) {
      auto it = std::find_if(r.settings.begin(), r.settings.end(), [&v](const PluginSetting& s) { return s.key == v.key; });
      if (it == r.settings.end()) {
        spdlog::warn("plugin '{}': {} sets '{}', which is not one of its settings; ignored", r.info.id, where, v.key);
        continue;
      }
      PluginSetting candidate = *it;
      if (Status st = parseSettingValue(candidate, v.value); !st) {
        spdlog::warn("plugin '{}': {}: {}; the default is kept", r.info.id, where, st.message());
      } else {
        *it = std::move(candidate);
      }
    }
  };
  apply(m.settings, m.path);
  apply(r.configValues, "[plugins." + r.info.id + "]");

  r.info.state = PluginState::Active;
  r.info.message.clear();
  r.active = true;
}

PluginHost::Record* PluginHost::findRecord(const std::string& pluginId) const {
  for (const auto& r : records_) {
    if (r->info.id == pluginId) return r.get();
  }
  return nullptr;
}

std::vector<PluginInfo> PluginHost::plugins() const {
  std::vector<PluginInfo> out;
  out.reserve(records_.size());
  for (const auto& r : records_) out.push_back(r->info);
  return out;
}

const PluginInfo* PluginHost::find(const std::string& pluginId) const {
  const Record* r = findRecord(pluginId);
  return r != nullptr ? &r->info : nullptr;
}

void PluginHost::stopSources(Record& record) {
  for (auto it = sources_.begin(); it != sources_.end();) {
    RunningSource& s = **it;
    if (s.record != &record) {
      ++it;
      continue;
    }
    // Failures while shutting a failed plugin down are only logged.
    try {
      const SourceCallbackScope scope(&record, s.feed.get());
      if (s.started) (void)s.type->stop(s.state);
      s.type->destroy(s.state);
    } catch (...) {
      spdlog::error("plugin '{}': source '{}' threw while stopping", record.info.id, s.id);
    }
    {
      std::lock_guard lock(record.feedMu);
      std::erase(record.feeds, s.feed);
    }
    it = sources_.erase(it);
  }
}

void PluginHost::disableRecord(Record& record, const std::string& reason) {
  if (record.info.state != PluginState::Active) return;
  record.active = false;
  record.info.state = PluginState::Disabled;
  record.info.message = reason;
  spdlog::error("plugin '{}' disabled: {}", record.info.id, reason);
  stopSources(record);
}

void PluginHost::disable(const std::string& pluginId, const std::string& reason) {
  if (Record* r = findRecord(pluginId)) disableRecord(*r, reason);
}

namespace {

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

}  // namespace

bool PluginHost::providesSourceType(const std::string& type) const {
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_source_type* s : r->sourceTypes) {
      if (type == s->id) return true;
    }
  }
  return false;
}

std::vector<std::string> PluginHost::sourceTypes() const {
  std::vector<std::string> out;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_source_type* s : r->sourceTypes) out.emplace_back(s->id);
  }
  return out;
}

Status PluginHost::startSource(const SourceConfig& config) {
  Record* record = nullptr;
  const gt_source_type* type = nullptr;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_source_type* s : r->sourceTypes) {
      if (config.type == s->id) {
        record = r.get();
        type = s;
      }
    }
    if (type != nullptr) break;
  }
  if (type == nullptr) {
    return Status(ErrorCode::NotFound, "no active plugin provides source type '" + config.type + "'");
  }
  std::vector<gt_key_value> options;
  options.reserve(config.options.size());
  for (const ConfigValue& v : config.options) options.push_back(gt_key_value{sizeof(gt_key_value), v.key.c_str(), v.value.c_str()});
  std::vector<const gt_key_value*> optionPtrs;
  for (const gt_key_value& kv : options) optionPtrs.push_back(&kv);

  auto source = std::make_unique<RunningSource>();
  source->record = record;
  source->type = type;
  source->id = config.id;
  source->feed = std::make_shared<SourceFeed>();
  source->feed->publisher = feedPublisher(record->info.id, config.id);
  source->feed->sourceId = config.id;
  source->feed->type = config.type;
  source->feed->polled = type->poll != nullptr;
  source->feed->declared = config.intervalS > 0;
  source->feed->interval = source->feed->declared ? static_cast<Duration>(config.intervalS * kMicrosPerSecond)
                           : source->feed->polled ? kMinPolledFeedInterval
                                                  : 0;
  std::string failure;
  auto fail = [&](const std::string& message) { failure = message; };
  const gt_status created = guardedCall(
      *record, "source '" + config.id + "' create",
      [&] {
        const SourceCallbackScope scope(record, source->feed.get());
        return type->create(type->user, config.id.c_str(), optionPtrs.data(),
                            static_cast<std::uint32_t>(optionPtrs.size()), &source->state);
      },
      fail, {GT_ERR_INVALID_ARGUMENT});
  if (created == GT_ERR_INVALID_ARGUMENT) {  // bad options: this source is refused, the plugin stays
    const std::string why = record->takeLastError();
    return Status(ErrorCode::InvalidArgument, "source '" + config.id + "': " + (why.empty() ? "options refused" : why));
  }
  if (created != GT_OK) {
    disableRecord(*record, failure);
    return Status(ErrorCode::Internal, "plugin '" + record->info.id + "' disabled: " + failure);
  }
  RunningSource& s = *source;
  {
    std::lock_guard lock(record->feedMu);
    record->feeds.push_back(s.feed);
  }
  sources_.push_back(std::move(source));
  const gt_status started = guardedCall(
      *record, "source '" + config.id + "' start",
      [&] {
        const SourceCallbackScope scope(record, s.feed.get());
        return s.type->start(s.state);
      },
      fail);
  if (started != GT_OK) {
    // start failed: the source never ran; the plugin is disabled (which destroys its sources).
    disableRecord(*record, failure);
    return Status(ErrorCode::Internal, "plugin '" + record->info.id + "' disabled: " + failure);
  }
  s.started = true;
  return Status::ok();
}

std::size_t PluginHost::runningSources() const { return sources_.size(); }

std::string PluginHost::feedPublisher(std::string_view pluginId, std::string_view sourceId) {
  return "plugin:" + std::string(pluginId) + "/" + std::string(sourceId);
}

std::vector<PluginSourceFeed> PluginHost::sourceFeeds() const {
  std::vector<PluginSourceFeed> out;
  out.reserve(sources_.size());
  for (const auto& s : sources_) {
    out.push_back({s->feed->sourceId, s->record->info.id, s->feed->type, s->feed->publisher, s->feed->polled,
                   s->feed->interval.load(std::memory_order_relaxed)});
  }
  return out;
}

void PluginHost::poll(TimePoint clockNow) {
  for (auto& r : records_) {
    if (r->info.state == PluginState::Active && r->failed.load(std::memory_order_acquire)) {
      std::string message;
      {
        std::lock_guard lock(r->errorMu);
        message = r->failMessage;
      }
      disableRecord(*r, "reported a failure: " + message);
    }
  }
  // A failing poll disables its plugin, which erases that plugin's sources: poll from a list taken first and skip
  // sources whose plugin is no longer active (records are never erased, so their pointers stay valid).
  // A polled source is expected to push about once per poll: the poll period (wall time) is its feed interval.
  const auto now = std::chrono::steady_clock::now();
  Duration period = 0;
  if (lastPoll_ != std::chrono::steady_clock::time_point{}) {
    period = std::chrono::duration_cast<std::chrono::microseconds>(now - lastPoll_).count();
  }
  lastPoll_ = now;
  std::vector<std::pair<Record*, RunningSource*>> polled;
  for (const auto& s : sources_) {
    if (s->type->poll != nullptr) polled.emplace_back(s->record, s.get());
  }
  for (auto [record, source] : polled) {
    if (record->info.state != PluginState::Active) continue;
    if (!source->feed->declared) {
      source->feed->interval.store(std::max(period, kMinPolledFeedInterval), std::memory_order_relaxed);
    }
    (void)guardedCall(
        *record, "source '" + source->id + "' poll",
        [&] {
          const SourceCallbackScope scope(record, source->feed.get());
          return source->type->poll(source->state, clockNow);
        },
        [&](const std::string& m) { disableRecord(*record, m); });
  }
}

std::vector<PluginKpi> PluginHost::kpis() const {
  std::vector<PluginKpi> out;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_kpi* k : r->kpis) out.push_back({r->info.id, k->id, str(k->name_zh), str(k->name_en), str(k->unit)});
  }
  return out;
}

Result<PluginKpiValue> PluginHost::computeKpi(const std::string& kpiId, TimePoint t) {
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_kpi* k : r->kpis) {
      if (kpiId != k->id) continue;
      gt_kpi_result result{};
      result.struct_size = sizeof result;
      result.status = GT_KPI_NO_DATA;
      std::string failure;
      const gt_status st = guardedCall(*r, "KPI '" + kpiId + "'", [&] { return k->compute(k->user, t, &result); },
                                       [&](const std::string& m) { failure = m; });
      if (st != GT_OK) {
        disableRecord(*r, failure);
        return Status(ErrorCode::Internal, "plugin '" + r->info.id + "' disabled: " + failure);
      }
      const bool known = result.status >= GT_KPI_OK && result.status <= GT_KPI_NO_DATA;
      return PluginKpiValue{result.value, known ? static_cast<PluginKpiStatus>(result.status) : PluginKpiStatus::NoData};
    }
  }
  return Status(ErrorCode::NotFound, "no active plugin provides KPI '" + kpiId + "'");
}

void PluginHost::refreshKpis(TimePoint t, std::chrono::milliseconds minInterval) {
  const auto now = std::chrono::steady_clock::now();
  if (lastKpiRefresh_.time_since_epoch().count() != 0 && now - lastKpiRefresh_ < minInterval) return;
  lastKpiRefresh_ = now;
  std::vector<PluginKpiReading> readings;
  for (const PluginKpi& kpi : kpis()) {
    PluginKpiReading reading{kpi, std::nullopt, {}, t};
    auto value = computeKpi(kpi.id, t);  // a failure disables the plugin; later KPIs of it are then skipped
    if (value) {
      reading.value = *value;
    } else {
      reading.error = value.status().message();
    }
    readings.push_back(std::move(reading));
  }
  kpiReadings_ = std::move(readings);
}

std::vector<PluginClassifier> PluginHost::classifiers() const {
  std::vector<PluginClassifier> out;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_classifier* c : r->classifiers) {
      PluginClassifier pc{r->info.id, c->id, str(c->name_zh), str(c->name_en), str(c->unit), {}, {}};
      for (std::uint32_t k = 0; k < c->class_count; ++k) {
        const gt_class_info* ci = c->classes[k];
        PluginClassifier::Class cls{{ci->rgba[0], ci->rgba[1], ci->rgba[2], ci->rgba[3]}, str(ci->label_zh), str(ci->label_en)};
        pc.classes.push_back(std::move(cls));
      }
      if (c->classify == nullptr && c->upper_bounds != nullptr) {
        pc.upperBounds.assign(c->upper_bounds, c->upper_bounds + (c->class_count - 1));
      }
      out.push_back(std::move(pc));
    }
  }
  return out;
}

Result<std::optional<int>> PluginHost::classify(const std::string& classifierId, double value) {
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_classifier* c : r->classifiers) {
      if (classifierId != c->id) continue;
      if (c->classify == nullptr) {
        if (std::isnan(value)) return std::optional<int>();
        std::uint32_t k = 0;
        while (k + 1 < c->class_count && value > c->upper_bounds[k]) ++k;
        return std::optional<int>(static_cast<int>(k));
      }
      std::int32_t index = -1;
      std::string failure;
      const gt_status st = guardedCall(*r, "classifier '" + classifierId + "'",
                                       [&] { return c->classify(c->user, value, &index); },
                                       [&](const std::string& m) { failure = m; });
      if (st != GT_OK) {
        disableRecord(*r, failure);
        return Status(ErrorCode::Internal, "plugin '" + r->info.id + "' disabled: " + failure);
      }
      if (index < 0 || static_cast<std::uint32_t>(index) >= c->class_count) return std::optional<int>();
      return std::optional<int>(index);
    }
  }
  return Status(ErrorCode::NotFound, "no active plugin provides classifier '" + classifierId + "'");
}

std::vector<PluginFieldProvider> PluginHost::fieldProviders() const {
  std::vector<PluginFieldProvider> out;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_field_layer_type* f : r->fields) {
      out.push_back({r->info.id, f->id, str(f->name_zh), str(f->name_en), str(f->unit), str(f->classifier_id)});
    }
  }
  return out;
}

Status PluginHost::computeField(const std::string& fieldId, FieldRequest& request) {
  if (request.columns == 0 || request.rows == 0 || !(request.maxX > request.minX) || !(request.maxY > request.minY)) {
    return Status(ErrorCode::InvalidArgument, "field request needs a non-empty box and grid");
  }
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_field_layer_type* f : r->fields) {
      if (fieldId != f->id) continue;
      request.values.assign(std::size_t{request.columns} * request.rows, std::nanf(""));
      gt_field_request c{};
      c.struct_size = sizeof c;
      c.min_x = request.minX;
      c.min_y = request.minY;
      c.max_x = request.maxX;
      c.max_y = request.maxY;
      c.columns = request.columns;
      c.rows = request.rows;
      c.time_us = request.time;
      c.values = request.values.data();
      std::string failure;
      const gt_status st = guardedCall(*r, "field '" + fieldId + "'", [&] { return f->compute(f->user, &c); },
                                       [&](const std::string& m) { failure = m; });
      if (st != GT_OK) {
        disableRecord(*r, failure);
        return Status(ErrorCode::Internal, "plugin '" + r->info.id + "' disabled: " + failure);
      }
      return Status::ok();
    }
  }
  return Status(ErrorCode::NotFound, "no active plugin provides field layer type '" + fieldId + "'");
}

std::vector<PluginSetting> PluginHost::settings(const std::string& pluginId) const {
  const Record* r = findRecord(pluginId);
  return r != nullptr ? r->settings : std::vector<PluginSetting>{};
}

Status PluginHost::setSetting(const std::string& pluginId, const std::string& key, const std::string& value) {
  Record* r = findRecord(pluginId);
  if (r == nullptr) return Status(ErrorCode::NotFound, "no plugin '" + pluginId + "'");
  auto it = std::find_if(r->settings.begin(), r->settings.end(), [&key](const PluginSetting& s) { return s.key == key; });
  if (it == r->settings.end()) return Status(ErrorCode::NotFound, "plugin '" + pluginId + "' has no setting '" + key + "'");
  PluginSetting candidate = *it;
  if (Status st = parseSettingValue(candidate, value); !st) {
    r->info.settingError = st.message();
    return st;
  }
  r->info.settingError.clear();
  const PluginSetting previous = *it;
  *it = std::move(candidate);
  if (r->info.state != PluginState::Active || r->desc->on_setting_changed == nullptr) return Status::ok();
  std::string failure;
  const gt_status st = guardedCall(*r, "on_setting_changed('" + key + "')",
                                   [&] { return r->desc->on_setting_changed(r->desc->instance, key.c_str()); },
                                   [&](const std::string& m) { failure = m; }, {GT_ERR_INVALID_ARGUMENT});
  if (st == GT_ERR_INVALID_ARGUMENT) {
    *it = previous;
    const std::string why = r->takeLastError();
    r->info.settingError = "refused " + key + " = " + value + (why.empty() ? "" : ": " + why);
    return Status(ErrorCode::InvalidArgument, "plugin '" + pluginId + "' " + r->info.settingError);
  }
  if (st != GT_OK) {
    disableRecord(*r, failure);
    return Status(ErrorCode::Internal, "plugin '" + pluginId + "' disabled: " + failure);
  }
  return Status::ok();
}

}  // namespace gt::runtime
