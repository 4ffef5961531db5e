// GreenTwin plugin SDK: the host API as C++ (greentwin::plugin::Host) and the values it gives and takes — log levels,
// entities, layer features, readings, alerts. Included by greentwin/plugin.hpp, which a plugin includes; split from
// it so that each header has one job (the plugin side is in plugin.hpp). Threads: as each function says, and as in
// plugin_abi.h. Needs C++17.
#pragma once

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/plugin_abi.h"

namespace greentwin::plugin {
enum class LogLevel : std::int32_t { Debug = GT_LOG_DEBUG, Info = GT_LOG_INFO, Warn = GT_LOG_WARN, Error = GT_LOG_ERROR };

// Throw from a callback to refuse an input (a source option, a setting value): GT_ERR_INVALID_ARGUMENT.
class InvalidArgument : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct EntityInfo {
  std::string id;
  std::string kind;
  std::string layer;
  double x = 0, y = 0, z = 0;  // scene frame, metres
  double lon = 0, lat = 0;     // WGS84 degrees
  std::uint32_t entity = 0;    // handle for Host::readValues (0 from hosts that do not give one)
};

// A layer's feature (Host::features): its entity, static attributes and geometry in the scene frame (metres).
struct XY {
  double x = 0, y = 0;
};
struct FeaturePolygon {
  std::vector<std::vector<XY>> rings;  // rings[0] is the exterior, the rest holes; not closed
};
// An area a KPI is computed for (KpiInfo's area function; gt_area): polygons with holes in the scene frame.
struct Area {
  std::string id;  // a feature's entity id, or "drawn/<n>"
  std::vector<FeaturePolygon> polygons;
  double areaM2 = 0;  // planar, holes taken out (the host's figure)

  // Whether a point lies inside (even-odd over every ring: inside an exterior and outside its holes).
  bool contains(XY p) const {
    bool inside = false;
    for (const FeaturePolygon& polygon : polygons) {
      for (const std::vector<XY>& ring : polygon.rings) {
        const std::size_t n = ring.size();
        for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
          const XY& a = ring[i];
          const XY& b = ring[j];
          if ((a.y > p.y) != (b.y > p.y) && p.x < (b.x - a.x) * (p.y - a.y) / (b.y - a.y) + a.x) inside = !inside;
        }
      }
    }
    return inside;
  }
};

// gt_area as Area (the C++ wrapper calls it before an area KPI function).
inline Area copyArea(const gt_area& a) {
  Area out;
  out.id = a.id ? a.id : "";
  out.areaM2 = a.area_m2;
  for (std::uint32_t j = 0; j < a.polygon_count; ++j) {
    FeaturePolygon polygon;
    for (std::uint32_t r = a.polygon_starts[j]; r < a.polygon_starts[j + 1]; ++r) {
      std::vector<XY> ring;
      for (std::uint32_t v = a.ring_starts[r]; v < a.ring_starts[r + 1]; ++v) {
        ring.push_back(XY{a.ring_xy[2 * v], a.ring_xy[2 * v + 1]});
      }
      polygon.rings.push_back(std::move(ring));
    }
    out.polygons.push_back(std::move(polygon));
  }
  return out;
}

// A what-if scenario (gt_scenario; KpiInfo's scenario function): edits over the twin, applied to the plugin's own copy
// of its inputs only. docs/workbench.md "Scenarios" says what each kind means.
enum class EditKind : std::int32_t {
  AddPv = GT_EDIT_ADD_PV,
  SetUse = GT_EDIT_SET_USE,
  SetStars = GT_EDIT_SET_STARS,
  RemoveBuilding = GT_EDIT_REMOVE_BUILDING,
  AddBuilding = GT_EDIT_ADD_BUILDING,
  AddParcel = GT_EDIT_ADD_PARCEL,
};
struct ScenarioEdit {
  std::int32_t kind = GT_EDIT_ADD_PV;  // an EditKind; a newer host may send kinds this plugin does not know
  std::vector<std::string> buildings;
  double coverage = 0;
  double moduleEfficiency = 0;  // 0: the plugin's default
  std::string use;
  int stars = 0;
  std::string id;
  Area shape;  // add building / parcel
  double heightM = 0;
  int floors = 0;
  std::string parcelKind;
  bool is(EditKind k) const { return kind == static_cast<std::int32_t>(k); }
};
struct Scenario {
  std::string name;
  std::vector<ScenarioEdit> edits;
};

// gt_scenario as Scenario (the C++ wrapper calls it before a scenario KPI function).
inline Scenario copyScenario(const gt_scenario& s) {
  const auto text = [](const char* p) { return std::string(p != nullptr ? p : ""); };
  Scenario out;
  out.name = text(s.name);
  for (std::uint32_t i = 0; i < s.edit_count; ++i) {
    const gt_scenario_edit& e = *s.edits[i];
    ScenarioEdit edit;
    edit.kind = e.kind;
    for (std::uint32_t b = 0; b < e.building_count; ++b) edit.buildings.push_back(text(e.building_ids[b]));
    edit.coverage = e.coverage;
    edit.moduleEfficiency = e.module_efficiency;
    edit.use = text(e.use);
    edit.stars = e.stars;
    edit.id = text(e.id);
    if (e.shape != nullptr) edit.shape = copyArea(*e.shape);
    edit.heightM = e.height_m;
    edit.floors = e.floors;
    edit.parcelKind = text(e.parcel_kind);
    out.edits.push_back(std::move(edit));
  }
  return out;
}

struct Feature {
  std::string id;
  std::string layer;
  std::uint32_t entity = 0;  // handle for Host::readValues
  std::map<std::string, std::string> attributes;  // as text
  std::vector<XY> points;
  std::vector<std::vector<XY>> lines;
  std::vector<FeaturePolygon> polygons;

  // An attribute as text; nullopt when missing.
  std::optional<std::string> text(const std::string& key) const {
    const auto it = attributes.find(key);
    if (it == attributes.end()) return std::nullopt;
    return it->second;
  }
  // An attribute as a finite number; nullopt when missing, empty or not a number.
  std::optional<double> number(const std::string& key) const {
    const auto it = attributes.find(key);
    if (it == attributes.end() || it->second.empty()) return std::nullopt;
    char* end = nullptr;
    const double v = std::strtod(it->second.c_str(), &end);
    if (end == it->second.c_str() || *end != '\0' || !std::isfinite(v)) return std::nullopt;
    return v;
  }
};

enum class AlertSeverity : std::int32_t { Info = GT_ALERT_INFO, Warning = GT_ALERT_WARNING, Critical = GT_ALERT_CRITICAL };

// An alert (Host::raiseAlert): listed in the host's alerts panel, logged and kept in history until cleared.
struct Alert {
  std::string key;  // the condition, unique within the plugin: "overload/<entity id>"
  AlertSeverity severity = AlertSeverity::Warning;
  std::string entityId;  // "" none
  std::string messageZh;
  std::string messageEn;
  std::int64_t timeUs = 0;  // when the condition began (clock time)
};

struct Reading {
  double value = 0;
  std::int64_t sampleTimeUs = 0;  // time of the sample used
};

// The host API, by value (a pointer to the host's table). Cheap to copy.
class Host {
 public:
  Host() = default;
  explicit Host(const gt_host_api* api) : api_(api) {}
  const gt_host_api* api() const { return api_; }

  // Any thread.
  void log(LogLevel level, const std::string& message) const {
    if (has(offsetof(gt_host_api, log)) && api_->log) api_->log(api_->host, static_cast<std::int32_t>(level), message.c_str());
  }
  void debug(const std::string& m) const { log(LogLevel::Debug, m); }
  void info(const std::string& m) const { log(LogLevel::Info, m); }
  void warn(const std::string& m) const { log(LogLevel::Warn, m); }
  void error(const std::string& m) const { log(LogLevel::Error, m); }
  void setError(const std::string& message) const {
    if (has(offsetof(gt_host_api, set_error)) && api_->set_error) api_->set_error(api_->host, message.c_str());
  }
  // Any thread: asks the host to disable this plugin (e.g. a source thread lost its device for good).
  void fail(const std::string& message) const {
    if (has(offsetof(gt_host_api, fail)) && api_->fail) api_->fail(api_->host, message.c_str());
  }

  // Any thread. True when the sample was queued (false: unknown entity, or an attribute the host registers now).
  bool push(const std::string& entityId, const std::string& attribute, std::int64_t timeUs, double value) const {
    if (!has(offsetof(gt_host_api, push_update)) || !api_->push_update) return false;
    return api_->push_update(api_->host, entityId.c_str(), attribute.c_str(), timeUs, value) == GT_OK;
  }

  // Update thread.
  std::int64_t now() const {
    return has(offsetof(gt_host_api, clock_now)) && api_->clock_now ? api_->clock_now(api_->host) : 0;
  }
  // Update thread: the value at the frame's clock time, or nullopt (unknown entity/attribute, no sample yet).
  std::optional<Reading> read(const std::string& entityId, const std::string& attribute) const {
    if (!has(offsetof(gt_host_api, read_value)) || !api_->read_value) return std::nullopt;
    Reading r;
    if (api_->read_value(api_->host, entityId.c_str(), attribute.c_str(), &r.value, &r.sampleTimeUs) != GT_OK) {
      return std::nullopt;
    }
    return r;
  }
  // Update thread: entities of a kind ("" any) registered by a layer ("" any).
  std::vector<EntityInfo> entities(const std::string& kind = {}, const std::string& layer = {}) const {
    std::vector<EntityInfo> out;
    if (!has(offsetof(gt_host_api, enumerate_entities)) || !api_->enumerate_entities) return out;
    api_->enumerate_entities(
        api_->host, kind.c_str(), layer.c_str(),
        [](void* user, const gt_entity_info* e) -> std::int32_t {
          auto* list = static_cast<std::vector<EntityInfo>*>(user);
          try {
            const std::uint32_t handle = e->struct_size > offsetof(gt_entity_info, entity) ? e->entity : 0;
            list->push_back(EntityInfo{e->id ? e->id : "", e->kind ? e->kind : "", e->layer ? e->layer : "", e->x,
                                       e->y, e->z, e->lon, e->lat, handle});
          } catch (...) {
            return 1;  // out of memory: stop
          }
          return 0;
        },
        &out);
    return out;
  }

  // Update thread: whether the host gives layer features and bulk reads (hosts before these were appended do not).
  bool hasFeatures() const { return has(offsetof(gt_host_api, enumerate_features)) && api_->enumerate_features; }
  // Update thread: the features of a layer (copied). Empty: no such layer, not loaded yet, or an older host.
  std::vector<Feature> features(const std::string& layer) const {
    std::vector<Feature> out;
    if (!hasFeatures()) return out;
    api_->enumerate_features(
        api_->host, layer.c_str(),
        [](void* user, const gt_feature* f) -> std::int32_t {
          auto* list = static_cast<std::vector<Feature>*>(user);
          try {
            list->push_back(copyFeature(*f));
          } catch (...) {
            return 1;  // out of memory: stop
          }
          return 0;
        },
        &out);
    return out;
  }
  // Update thread: one attribute for many entities at the frame's clock time; values and sampleTimesUs are resized
  // to entities.size(), NaN and 0 where there is no value. False: an older host or the wrong thread.
  bool readValues(const std::string& attribute, const std::vector<std::uint32_t>& entities,
                  std::vector<double>& values, std::vector<std::int64_t>& sampleTimesUs) const {
    values.assign(entities.size(), std::nan(""));
    sampleTimesUs.assign(entities.size(), 0);
    if (!has(offsetof(gt_host_api, read_values)) || !api_->read_values) return false;
    return api_->read_values(api_->host, attribute.c_str(), entities.data(), static_cast<std::uint32_t>(entities.size()),
                             values.data(), sampleTimesUs.data()) == GT_OK;
  }

  // Any thread: raise (or update) an alert; clear it when the condition ends. False: refused or an older host.
  bool raiseAlert(const Alert& alert) const {
    if (!has(offsetof(gt_host_api, raise_alert)) || !api_->raise_alert) return false;
    gt_alert a{};
    a.struct_size = sizeof a;
    a.key = alert.key.c_str();
    a.severity = static_cast<std::int32_t>(alert.severity);
    a.entity_id = alert.entityId.c_str();
    a.message_zh = alert.messageZh.c_str();
    a.message_en = alert.messageEn.c_str();
    a.time_us = alert.timeUs;
    return api_->raise_alert(api_->host, &a) == GT_OK;
  }
  bool clearAlert(const std::string& key, std::int64_t timeUs) const {
    if (!has(offsetof(gt_host_api, clear_alert)) || !api_->clear_alert) return false;
    return api_->clear_alert(api_->host, key.c_str(), timeUs) == GT_OK;
  }

  // Update thread: this plugin's settings (declared with Plugin::addSetting). Throws InvalidArgument for an
  // undeclared key.
  bool settingBool(const std::string& key) const { return setting(key).bool_value != 0; }
  std::int64_t settingInt(const std::string& key) const { return setting(key).int_value; }
  double settingDouble(const std::string& key) const { return setting(key).double_value; }
  std::string settingString(const std::string& key) const {
    const gt_setting_value v = setting(key);
    return v.string_value ? v.string_value : "";
  }

 private:
  bool has(std::size_t offset) const { return api_ != nullptr && api_->struct_size > offset; }
  gt_setting_value setting(const std::string& key) const {
    gt_setting_value v{};
    v.struct_size = sizeof v;
    if (!has(offsetof(gt_host_api, get_setting)) || !api_->get_setting ||
        api_->get_setting(api_->host, key.c_str(), &v) != GT_OK) {
      throw InvalidArgument("no setting '" + key + "'");
    }
    return v;
  }

  static Feature copyFeature(const gt_feature& f) {
    Feature out;
    out.id = f.id ? f.id : "";
    out.layer = f.layer ? f.layer : "";
    out.entity = f.entity;
    for (std::uint32_t i = 0; i < f.attribute_count; ++i) {
      const gt_key_value* kv = f.attributes[i];
      if (kv != nullptr && kv->key != nullptr) out.attributes[kv->key] = kv->value ? kv->value : "";
    }
    const auto run = [](const double* xy, std::uint32_t from, std::uint32_t to) {
      std::vector<XY> pts;
      pts.reserve(to > from ? to - from : 0);
      for (std::uint32_t v = from; v < to; ++v) pts.push_back(XY{xy[2 * v], xy[2 * v + 1]});
      return pts;
    };
    out.points = run(f.points_xy, 0, f.point_count);
    for (std::uint32_t i = 0; i < f.line_count; ++i) out.lines.push_back(run(f.line_xy, f.line_starts[i], f.line_starts[i + 1]));
    for (std::uint32_t j = 0; j < f.polygon_count; ++j) {
      FeaturePolygon polygon;
      for (std::uint32_t r = f.polygon_starts[j]; r < f.polygon_starts[j + 1]; ++r) {
        polygon.rings.push_back(run(f.ring_xy, f.ring_starts[r], f.ring_starts[r + 1]));
      }
      out.polygons.push_back(std::move(polygon));
    }
    return out;
  }

  const gt_host_api* api_ = nullptr;
};

}  // namespace greentwin::plugin
