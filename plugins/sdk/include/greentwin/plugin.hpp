// GreenTwin plugin SDK: a thin header-only C++ wrapper over the C ABI (greentwin/plugin_abi.h), as cppzmq is over
// libzmq. A plugin derives from greentwin::plugin::Plugin (here; the Host it calls is in greentwin/plugin_host.hpp),
// registers what it contributes in its constructor and
// names its class once with GREENTWIN_PLUGIN(ClassName), which defines the exported C entry point.
//
// Every callback into the plugin goes through a trampoline that catches exceptions: InvalidArgument becomes
// GT_ERR_INVALID_ARGUMENT, any other exception GT_ERR_EXCEPTION, with what() as the message the host shows. So a
// plugin throws to fail; the host disables it (see plugin_abi.h, "Failure") and the twin runs on.
//
// Threads: as in plugin_abi.h. Constructors, Source::start/poll/stop, KPI, field and classify functions and
// onSettingChanged run on the host's update thread. A Source may start its own thread in start() (join it in
// stop()); from it only Host::push, log, fail are allowed.
//
// Needs C++17.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/plugin_abi.h"
#include "greentwin/plugin_host.hpp"  // Host and the values it gives and takes

namespace greentwin::plugin {

// Source options: the [[sources]] entry's keys (other than id and type), values as text.
class Options {
 public:
  Options() = default;
  explicit Options(std::map<std::string, std::string> values) : values_(std::move(values)) {}
  bool has(const std::string& key) const { return values_.count(key) != 0; }
  std::string string(const std::string& key, const std::string& fallback = {}) const {
    const auto it = values_.find(key);
    return it == values_.end() ? fallback : it->second;
  }
  // Throws InvalidArgument naming the key when the text is not a number.
  double number(const std::string& key, double fallback) const {
    const auto it = values_.find(key);
    if (it == values_.end()) return fallback;
    try {
      std::size_t used = 0;
      const double v = std::stod(it->second, &used);
      if (used == it->second.size()) return v;
    } catch (const std::exception&) {
    }
    throw InvalidArgument("option '" + key + "' = \"" + it->second + "\" is not a number");
  }
  const std::map<std::string, std::string>& all() const { return values_; }

 private:
  std::map<std::string, std::string> values_;
};

// One running source. Update thread for every call.
class Source {
 public:
  virtual ~Source() = default;
  virtual void start() {}
  // Called each frame only for source types registered with polled = true.
  virtual void poll(std::int64_t /*clockNowUs*/) {}
  // After stop() returns, nothing more may be pushed (join your thread here).
  virtual void stop() {}
};

struct SourceTypeInfo {
  std::string id;
  std::string nameZh;
  std::string nameEn;
  bool polled = true;  // true: poll() each frame on the update thread; false: the source runs its own thread
};
using SourceFactory = std::function<std::unique_ptr<Source>(const std::string& sourceId, const Options& options)>;

struct KpiValue {
  double value = 0;
  std::int32_t status = GT_KPI_OK;
  std::string note{};  // what the value covers or why there is none (English, one line); shown beside it
  static KpiValue noData(std::string why = {}) { return KpiValue{0, GT_KPI_NO_DATA, std::move(why)}; }
  // Not computed yet (GT_KPI_PENDING): the host asks again; `why` says what it waits for.
  static KpiValue pending(std::string why = {}) { return KpiValue{0, GT_KPI_PENDING, std::move(why)}; }
};
struct KpiInfo {
  std::string id;
  std::string nameZh;
  std::string nameEn;
  std::string unit;
  std::string methodZh{};  // how it is computed (method, standard, inputs); shown with the KPI ({}: plugins written
                          // before it was added still compile warning-free)
  std::string methodEn{};
};
using KpiFunction = std::function<KpiValue(std::int64_t timeUs)>;
// The KPI over an area of the map (gt_kpi.compute_in_area); a KPI without one is for the whole twin only.
using AreaKpiFunction = std::function<KpiValue(std::int64_t timeUs, const Area& area)>;
// The KPI of the whole twin with a what-if scenario's edits applied to the plugin's own copy of its inputs
// (gt_kpi.compute_in_scenario); a KPI without one does not depend on any edit.
using ScenarioKpiFunction = std::function<KpiValue(std::int64_t timeUs, const Scenario& scenario)>;

struct ClassInfo {
  std::array<std::uint8_t, 4> rgba{0, 0, 0, 255};
  std::string labelZh;
  std::string labelEn;
};
struct ClassifierInfo {
  std::string id;
  std::string nameZh;
  std::string nameEn;
  std::string unit;
  std::vector<ClassInfo> classes;
  std::vector<double> upperBounds;  // classes.size() - 1 ascending limits; or leave empty and set classify
  std::function<int(double)> classify;  // value -> class index, -1 = none
};

// A field request: fill values (columns * rows, row 0 at minY) for the box at timeUs.
struct FieldGrid {
  double minX, minY, maxX, maxY;
  std::uint32_t columns, rows;
  std::int64_t timeUs;
  float* values;
  double centerX(std::uint32_t column) const { return minX + (column + 0.5) * (maxX - minX) / columns; }
  double centerY(std::uint32_t row) const { return minY + (row + 0.5) * (maxY - minY) / rows; }
  float& at(std::uint32_t column, std::uint32_t row) const { return values[std::size_t{row} * columns + column]; }
};
struct FieldLayerInfo {
  std::string id;
  std::string nameZh;
  std::string nameEn;
  std::string unit;
  std::string classifierId;  // "" = the host's ramp
};
using FieldFunction = std::function<void(const FieldGrid& grid)>;

enum class SettingType : std::int32_t {
  Bool = GT_SETTING_BOOL,
  Int = GT_SETTING_INT,
  Double = GT_SETTING_DOUBLE,
  String = GT_SETTING_STRING,
  Enum = GT_SETTING_ENUM,
};
struct EnumOption {
  std::string value;
  std::string labelZh;
  std::string labelEn;
};
struct SettingInfo {
  std::string key;
  SettingType type = SettingType::Double;
  std::string defaultValue;  // as text: "true", "3", "2.5", "text", an option value
  double min = 1.0, max = 0.0;  // min > max: unbounded
  std::vector<EnumOption> options;
  std::string labelZh;
  std::string labelEn;
  std::string helpZh;
  std::string helpEn;
};

namespace detail {

// Runs f, turning exceptions into status codes with the message handed to the host.
template <class F>
gt_status guarded(const Host& host, F&& f) noexcept {
  try {
    f();
    return GT_OK;
  } catch (const InvalidArgument& e) {
    host.setError(e.what());
    return GT_ERR_INVALID_ARGUMENT;
  } catch (const std::exception& e) {
    host.setError(e.what());
    return GT_ERR_EXCEPTION;
  } catch (...) {
    host.setError("unknown exception");
    return GT_ERR_EXCEPTION;
  }
}

template <class T>
T sized() {
  T t{};
  t.struct_size = static_cast<std::uint32_t>(sizeof(T));
  return t;
}

inline const char* orNull(const std::string& s) { return s.empty() ? nullptr : s.c_str(); }

}  // namespace detail

// Base of a plugin. Register contributions in the derived constructor; they are fixed once it returns.
class Plugin {
 public:
  Plugin(Host host, std::string id, std::string name, std::string version)
      : host_(host), id_(std::move(id)), name_(std::move(name)), version_(std::move(version)) {}
  virtual ~Plugin() = default;
  Plugin(const Plugin&) = delete;
  Plugin& operator=(const Plugin&) = delete;

  const Host& host() const { return host_; }

  // Update thread, after a setting changed; read it with host().setting...(). Throw InvalidArgument to refuse
  // the value (the host restores the previous one).
  virtual void onSettingChanged(const std::string& /*key*/) {}

  // Builds the C descriptor (once; the macro calls it after construction).
  const gt_plugin_descriptor* descriptor() {
    if (built_) return &descriptor_;
    descriptor_ = detail::sized<gt_plugin_descriptor>();
    descriptor_.abi_version = GREENTWIN_PLUGIN_ABI_VERSION;
    descriptor_.id = id_.c_str();
    descriptor_.name = name_.c_str();
    descriptor_.version = version_.c_str();
    descriptor_.instance = this;
    for (auto& s : sources_) sourcePtrs_.push_back(&s->c);
    for (auto& f : fields_) fieldPtrs_.push_back(&f->c);
    for (auto& c : classifiers_) classifierPtrs_.push_back(&c->c);
    for (auto& k : kpis_) kpiPtrs_.push_back(&k->c);
    for (auto& s : settings_) settingPtrs_.push_back(&s->c);
    descriptor_.source_types = sourcePtrs_.data();
    descriptor_.source_type_count = static_cast<std::uint32_t>(sourcePtrs_.size());
    descriptor_.field_layer_types = fieldPtrs_.data();
    descriptor_.field_layer_type_count = static_cast<std::uint32_t>(fieldPtrs_.size());
    descriptor_.classifiers = classifierPtrs_.data();
    descriptor_.classifier_count = static_cast<std::uint32_t>(classifierPtrs_.size());
    descriptor_.kpis = kpiPtrs_.data();
    descriptor_.kpi_count = static_cast<std::uint32_t>(kpiPtrs_.size());
    descriptor_.settings = settingPtrs_.data();
    descriptor_.setting_count = static_cast<std::uint32_t>(settingPtrs_.size());
    descriptor_.on_setting_changed = [](void* instance, const char* key) -> gt_status {
      auto* self = static_cast<Plugin*>(instance);
      return detail::guarded(self->host_, [&] { self->onSettingChanged(key ? key : ""); });
    };
    descriptor_.destroy = [](void* instance) {
      auto* self = static_cast<Plugin*>(instance);
      const Host host = self->host_;
      (void)detail::guarded(host, [&] { delete self; });
    };
    built_ = true;
    return &descriptor_;
  }

 protected:
  // A source type; `factory` makes one Source per [[sources]] entry of type info.id.
  void addSourceType(SourceTypeInfo info, SourceFactory factory) {
    auto e = std::make_unique<SourceEntry>();
    e->info = std::move(info);
    e->factory = std::move(factory);
    e->host = host_;
    e->c = detail::sized<gt_source_type>();
    e->c.id = e->info.id.c_str();
    e->c.name_zh = e->info.nameZh.c_str();
    e->c.name_en = e->info.nameEn.c_str();
    e->c.user = e.get();
    e->c.create = [](void* user, const char* sourceId, const gt_key_value* const* options, std::uint32_t count,
                     void** out) -> gt_status {
      auto* entry = static_cast<SourceEntry*>(user);
      return detail::guarded(entry->host, [&] {
        std::map<std::string, std::string> values;
        for (std::uint32_t i = 0; i < count; ++i) {
          if (options[i] && options[i]->key) values[options[i]->key] = options[i]->value ? options[i]->value : "";
        }
        auto box = std::make_unique<SourceBox>();
        box->host = entry->host;
        box->source = entry->factory(sourceId ? sourceId : "", Options(std::move(values)));
        if (!box->source) throw std::runtime_error("source factory returned nothing");
        *out = box.release();
      });
    };
    e->c.start = [](void* s) -> gt_status {
      auto* box = static_cast<SourceBox*>(s);
      return detail::guarded(box->host, [&] { box->source->start(); });
    };
    if (e->info.polled) {
      e->c.poll = [](void* s, std::int64_t now) -> gt_status {
        auto* box = static_cast<SourceBox*>(s);
        return detail::guarded(box->host, [&] { box->source->poll(now); });
      };
    }
    e->c.stop = [](void* s) -> gt_status {
      auto* box = static_cast<SourceBox*>(s);
      return detail::guarded(box->host, [&] { box->source->stop(); });
    };
    e->c.destroy = [](void* s) {
      auto* box = static_cast<SourceBox*>(s);
      const Host host = box->host;
      (void)detail::guarded(host, [&] { delete box; });
    };
    sources_.push_back(std::move(e));
  }

  void addKpi(KpiInfo info, KpiFunction compute, AreaKpiFunction computeInArea = {},
              ScenarioKpiFunction computeInScenario = {}) {
    auto e = std::make_unique<KpiEntry>();
    e->info = std::move(info);
    e->compute = std::move(compute);
    e->computeInArea = std::move(computeInArea);
    e->computeInScenario = std::move(computeInScenario);
    e->host = host_;
    e->c = detail::sized<gt_kpi>();
    e->c.id = e->info.id.c_str();
    e->c.name_zh = e->info.nameZh.c_str();
    e->c.name_en = e->info.nameEn.c_str();
    e->c.unit = e->info.unit.c_str();
    e->c.method_zh = e->info.methodZh.c_str();
    e->c.method_en = e->info.methodEn.c_str();
    e->c.user = e.get();
    e->c.compute = [](void* user, std::int64_t t, gt_kpi_result* out) -> gt_status {
      auto* entry = static_cast<KpiEntry*>(user);
      return detail::guarded(entry->host, [&] { entry->write(entry->compute(t), out); });
    };
    if (e->computeInArea) {
      e->c.compute_in_area = [](void* user, std::int64_t t, const gt_area* area, gt_kpi_result* out) -> gt_status {
        auto* entry = static_cast<KpiEntry*>(user);
        return detail::guarded(entry->host, [&] { entry->write(entry->computeInArea(t, copyArea(*area)), out); });
      };
    }
    if (e->computeInScenario) {
      e->c.compute_in_scenario = [](void* user, std::int64_t t, const gt_scenario* s, gt_kpi_result* out) -> gt_status {
        auto* entry = static_cast<KpiEntry*>(user);
        return detail::guarded(entry->host,
                               [&] { entry->write(entry->computeInScenario(t, copyScenario(*s)), out); });
      };
    }
    kpis_.push_back(std::move(e));
  }

  void addClassifier(ClassifierInfo info) {
    if (!info.classify && info.upperBounds.size() + 1 != info.classes.size()) {
      throw std::invalid_argument("classifier '" + info.id + "': needs classes.size() - 1 upper bounds or a classify function");
    }
    auto e = std::make_unique<ClassifierEntry>();
    e->info = std::move(info);
    e->host = host_;
    for (const ClassInfo& ci : e->info.classes) {
      gt_class_info c = detail::sized<gt_class_info>();
      std::memcpy(c.rgba, ci.rgba.data(), 4);
      c.label_zh = ci.labelZh.c_str();
      c.label_en = ci.labelEn.c_str();
      e->classes.push_back(c);
    }
    for (const gt_class_info& c : e->classes) e->classPtrs.push_back(&c);
    e->c = detail::sized<gt_classifier>();
    e->c.id = e->info.id.c_str();
    e->c.name_zh = e->info.nameZh.c_str();
    e->c.name_en = e->info.nameEn.c_str();
    e->c.unit = e->info.unit.c_str();
    e->c.classes = e->classPtrs.data();
    e->c.class_count = static_cast<std::uint32_t>(e->classPtrs.size());
    e->c.upper_bounds = e->info.classify ? nullptr : e->info.upperBounds.data();
    e->c.user = e.get();
    if (e->info.classify) {
      e->c.classify = [](void* user, double value, std::int32_t* index) -> gt_status {
        auto* entry = static_cast<ClassifierEntry*>(user);
        return detail::guarded(entry->host, [&] { *index = entry->info.classify(value); });
      };
    }
    classifiers_.push_back(std::move(e));
  }

  void addFieldLayerType(FieldLayerInfo info, FieldFunction compute) {
    auto e = std::make_unique<FieldEntry>();
    e->info = std::move(info);
    e->compute = std::move(compute);
    e->host = host_;
    e->c = detail::sized<gt_field_layer_type>();
    e->c.id = e->info.id.c_str();
    e->c.name_zh = e->info.nameZh.c_str();
    e->c.name_en = e->info.nameEn.c_str();
    e->c.unit = e->info.unit.c_str();
    e->c.classifier_id = detail::orNull(e->info.classifierId);
    e->c.user = e.get();
    e->c.compute = [](void* user, gt_field_request* r) -> gt_status {
      auto* entry = static_cast<FieldEntry*>(user);
      return detail::guarded(entry->host, [&] {
        entry->compute(FieldGrid{r->min_x, r->min_y, r->max_x, r->max_y, r->columns, r->rows, r->time_us, r->values});
      });
    };
    fields_.push_back(std::move(e));
  }

  void addSetting(SettingInfo info) {
    auto e = std::make_unique<SettingEntry>();
    e->info = std::move(info);
    for (const EnumOption& o : e->info.options) {
      gt_enum_option c = detail::sized<gt_enum_option>();
      c.value = o.value.c_str();
      c.label_zh = o.labelZh.c_str();
      c.label_en = o.labelEn.c_str();
      e->options.push_back(c);
    }
    for (const gt_enum_option& o : e->options) e->optionPtrs.push_back(&o);
    e->c = detail::sized<gt_setting_desc>();
    e->c.key = e->info.key.c_str();
    e->c.type = static_cast<std::int32_t>(e->info.type);
    e->c.default_value = e->info.defaultValue.c_str();
    e->c.min = e->info.min;
    e->c.max = e->info.max;
    e->c.options = e->optionPtrs.data();
    e->c.option_count = static_cast<std::uint32_t>(e->optionPtrs.size());
    e->c.label_zh = e->info.labelZh.c_str();
    e->c.label_en = e->info.labelEn.c_str();
    e->c.help_zh = detail::orNull(e->info.helpZh);
    e->c.help_en = detail::orNull(e->info.helpEn);
    settings_.push_back(std::move(e));
  }

 private:
  struct SourceBox {
    Host host;
    std::unique_ptr<Source> source;
  };
  struct SourceEntry {
    SourceTypeInfo info;
    SourceFactory factory;
    Host host;
    gt_source_type c;
  };
  struct KpiEntry {
    KpiInfo info;
    KpiFunction compute;
    AreaKpiFunction computeInArea;
    ScenarioKpiFunction computeInScenario;
    Host host;
    gt_kpi c;
    std::string note;  // the last result's note, kept valid for the host until the next call

    void write(KpiValue v, gt_kpi_result* out) {
      out->value = v.value;
      out->status = v.status;
      note = std::move(v.note);
      if (out->struct_size >= offsetof(gt_kpi_result, note) + sizeof out->note) {
        out->note = note.empty() ? nullptr : note.c_str();
      }
    }
  };
  struct ClassifierEntry {
    ClassifierInfo info;
    Host host;
    std::vector<gt_class_info> classes;
    std::vector<const gt_class_info*> classPtrs;
    gt_classifier c;
  };
  struct FieldEntry {
    FieldLayerInfo info;
    FieldFunction compute;
    Host host;
    gt_field_layer_type c;
  };
  struct SettingEntry {
    SettingInfo info;
    std::vector<gt_enum_option> options;
    std::vector<const gt_enum_option*> optionPtrs;
    gt_setting_desc c;
  };

  Host host_;
  std::string id_, name_, version_;
  std::vector<std::unique_ptr<SourceEntry>> sources_;
  std::vector<std::unique_ptr<KpiEntry>> kpis_;
  std::vector<std::unique_ptr<ClassifierEntry>> classifiers_;
  std::vector<std::unique_ptr<FieldEntry>> fields_;
  std::vector<std::unique_ptr<SettingEntry>> settings_;
  std::vector<const gt_source_type*> sourcePtrs_;
  std::vector<const gt_field_layer_type*> fieldPtrs_;
  std::vector<const gt_classifier*> classifierPtrs_;
  std::vector<const gt_kpi*> kpiPtrs_;
  std::vector<const gt_setting_desc*> settingPtrs_;
  gt_plugin_descriptor descriptor_{};
  bool built_ = false;
};

namespace detail {

// The body of the entry point GREENTWIN_PLUGIN defines: constructs the plugin, refusing a host too old.
template <class T>
const gt_plugin_descriptor* enter(const gt_host_api* api, std::uint32_t hostAbi) noexcept {
  const Host host(api);
  if (api == nullptr) return nullptr;
  if (hostAbi < 1) {
    host.error("greentwin plugin: host ABI " + std::to_string(hostAbi) + " is too old (need >= 1)");
    return nullptr;
  }
  try {
    auto plugin = std::make_unique<T>(host);
    const gt_plugin_descriptor* d = plugin->descriptor();
    plugin.release();  // owned by the host now; freed through descriptor->destroy
    return d;
  } catch (const std::exception& e) {
    host.setError(e.what());
    host.error(std::string("plugin construction failed: ") + e.what());
  } catch (...) {
    host.setError("unknown exception during construction");
  }
  return nullptr;
}

}  // namespace detail
}  // namespace greentwin::plugin

// Defines the exported entry point for ClassName, a greentwin::plugin::Plugin constructible from a Host.
#define GREENTWIN_PLUGIN(ClassName)                                                                            \
  extern "C" GREENTWIN_PLUGIN_EXPORT const gt_plugin_descriptor* greentwin_plugin_entry(const gt_host_api* api, \
                                                                                        uint32_t host_abi) {   \
    return ::greentwin::plugin::detail::enter<ClassName>(api, host_abi);                                       \
  }
