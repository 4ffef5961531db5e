// Loading plugins: the host's lifetime, finding manifests in the configured folders, loading (dlopen) the enabled
// plugins whose library lies inside a folder, the entry point and the ABI and descriptor checks (a plugin that
// fails one is refused, with the reason kept for the UI), and disabling a plugin that fails at run time.
//
// Threads: all of it runs on the update thread (the one that calls load(); the entry point is called there too and
// that thread is recorded as the plugin's update thread). A failure a plugin reports from its own thread is only
// flagged there (host_api.cpp) and disables the plugin at the next poll() (plugin_sources.cpp).

#include <dlfcn.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <filesystem>
#include <optional>
#include <system_error>
#include <thread>

#include "plugin_host_internal.hpp"

namespace gt::runtime {

namespace fs = std::filesystem;
using detail::parseSettingValue;
using detail::str;

namespace {

// Sizes of the ABI 1 structs: a plugin's struct must be at least this big (fields are only appended later).
constexpr std::uint32_t kDescriptorV1 = sizeof(gt_plugin_descriptor);
constexpr std::uint32_t kSourceTypeV1 = sizeof(gt_source_type);
constexpr std::uint32_t kClassifierV1 = sizeof(gt_classifier);
constexpr std::uint32_t kClassV1 = sizeof(gt_class_info);
constexpr std::uint32_t kFieldV1 = sizeof(gt_field_layer_type);
// The first version of each struct: fields appended since (gt_kpi.method_zh/en) are read only when present.
constexpr std::uint32_t kKpiV1 = offsetof(gt_kpi, method_zh);
constexpr std::uint32_t kSettingV1 = sizeof(gt_setting_desc);
constexpr std::uint32_t kOptionV1 = sizeof(gt_enum_option);

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

}  // namespace

const char* detail::statusName(gt_status s) {
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

const char* toString(PluginState state) {
  switch (state) {
    case PluginState::Available: return "available";
    case PluginState::Refused: return "refused";
    case PluginState::Active: return "active";
    case PluginState::Disabled: return "disabled";
  }
  return "?";
}

std::uint32_t PluginHost::abiVersion() { return GREENTWIN_PLUGIN_ABI_VERSION; }

PluginHost::PluginHost(PluginServices& services) : services_(services) {}

PluginHost::~PluginHost() {
  // Sources first (their threads push through the services), then the plugins, then the libraries.
  for (auto& source : sources_) {
    if (source->record->hung.load(std::memory_order_acquire)) continue;  // left as it is (stopSources)
    try {
      if (source->started && source->type->stop != nullptr) (void)source->type->stop(source->state);
      if (source->type->destroy != nullptr) source->type->destroy(source->state);
    } catch (...) {
      spdlog::error("plugin '{}': source '{}' threw while shutting down", source->record->info.id, source->id);
    }
  }
  sources_.clear();
  for (auto& record : records_) {
    if (record->hung.load(std::memory_order_acquire)) {
      // Its abandoned call may still return and touch the Record: it is never freed, the library never unloaded.
      (void)record.release();
      continue;
    }
    // A plugin disabled for throwing (not hung: that one returned above) is destroyed too: its sources were stopped
    // and destroyed when it was disabled, no call of it runs, and its destroy frees what it holds (before, it was
    // leaked). Its library stays mapped: one of its threads may still be unwinding (plugin_abi.h).
    const bool active = record->info.state == PluginState::Active;
    if ((active || record->info.state == PluginState::Disabled) && record->desc != nullptr) {
      record->active = false;
      try {
        if (record->desc->destroy != nullptr) record->desc->destroy(record->desc->instance);
      } catch (...) {
        spdlog::error("plugin '{}': destroy threw", record->info.id);
      }
      if (active && record->handle != nullptr) dlclose(record->handle);
    }
  }
}

void PluginHost::load(const PluginConfig& config) {
  callTimeout_ = std::chrono::milliseconds(static_cast<std::int64_t>(config.callTimeoutS * 1000.0));
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
  r.api = detail::hostApiTable(&r.context);
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
  if (callTimeout_.count() > 0) {
    r.callDeadline = callTimeout_;
    r.calls = std::make_unique<detail::PluginCallThread>(r.info.id);
  }
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

std::vector<PluginWarning> PluginHost::warnings(const std::string& pluginId) const {
  const Record* r = findRecord(pluginId);
  if (r == nullptr) return {};
  std::lock_guard lock(r->errorMu);
  return r->warnings;
}

const PluginInfo* PluginHost::find(const std::string& pluginId) const {
  const Record* r = findRecord(pluginId);
  return r != nullptr ? &r->info : nullptr;
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

}  // namespace gt::runtime
