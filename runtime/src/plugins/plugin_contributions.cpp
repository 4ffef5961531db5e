// Plugin contributions: the KPIs, classifiers and field layer types of the active plugins, each listed and
// computed on demand through a guarded call (a failing call disables its plugin); and the plugins' settings: their
// values checked against the plugin's description, and a change from the UI offered to the plugin.
//
// Threads: everything here runs on the update thread, the plugins' compute, classify and on_setting_changed
// callbacks included. Plugins read their settings through get_setting (host_api.cpp), also on the update thread
// only, so the settings need no lock.

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <system_error>
#include <utility>

#include "plugin_host_internal.hpp"

namespace gt::runtime {

using detail::guardedCall;
using detail::parseSettingValue;
using detail::str;

namespace {

// gt_kpi.compute_in_area was appended: older plugins' structs end before it.
bool hasAreaFunction(const gt_kpi& k) {
  return k.struct_size >= offsetof(gt_kpi, compute_in_area) + sizeof k.compute_in_area && k.compute_in_area != nullptr;
}

// A KpiArea laid out as gt_area (rings flattened, offsets per ring and per polygon), alive for one call.
class AbiArea {
 public:
  explicit AbiArea(const KpiArea& area) : id_(area.id) {
    for (const Polygon& polygon : area.polygons) {
      polygonStarts_.push_back(static_cast<std::uint32_t>(ringStarts_.size()));
      for (const auto& ring : polygon.rings) {
        ringStarts_.push_back(static_cast<std::uint32_t>(xy_.size() / 2));
        for (const Vec3d& v : ring) {
          xy_.push_back(v.x);
          xy_.push_back(v.y);
        }
      }
    }
    const auto rings = static_cast<std::uint32_t>(ringStarts_.size());
    ringStarts_.push_back(static_cast<std::uint32_t>(xy_.size() / 2));
    polygonStarts_.push_back(rings);
    abi_.struct_size = sizeof abi_;
    abi_.id = id_.c_str();
    abi_.ring_xy = xy_.data();
    abi_.ring_starts = ringStarts_.data();
    abi_.ring_count = rings;
    abi_.polygon_starts = polygonStarts_.data();
    abi_.polygon_count = static_cast<std::uint32_t>(polygonStarts_.size() - 1);
    abi_.area_m2 = area.areaM2;
  }
  AbiArea(const AbiArea&) = delete;
  AbiArea& operator=(const AbiArea&) = delete;
  const gt_area* get() const { return &abi_; }

 private:
  std::string id_;
  std::vector<double> xy_;
  std::vector<std::uint32_t> ringStarts_, polygonStarts_;
  gt_area abi_{};
};

}  // namespace

Status detail::parseSettingValue(PluginSetting& s, const std::string& text) {
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

std::vector<PluginKpi> PluginHost::kpis() const {
  std::vector<PluginKpi> out;
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_kpi* k : r->kpis) {
      PluginKpi kpi{r->info.id, k->id, str(k->name_zh), str(k->name_en), str(k->unit), {}, {}};
      if (k->struct_size >= offsetof(gt_kpi, method_en) + sizeof k->method_en) {  // appended: newer plugins only
        kpi.methodZh = str(k->method_zh);
        kpi.methodEn = str(k->method_en);
      }
      kpi.areas = hasAreaFunction(*k);
      kpi.scenarios = detail::hasScenarioFunction(*k);
      out.push_back(std::move(kpi));
    }
  }
  return out;
}

Result<PluginKpiValue> PluginHost::computeKpi(const std::string& kpiId, TimePoint t) {
  return callKpi(kpiId, nullptr, t);
}

Result<PluginKpiValue> PluginHost::computeKpiInArea(const std::string& kpiId, const KpiArea& area, TimePoint t) {
  return callKpi(kpiId, &area, t);
}

// computeKpi / computeKpiInArea: `area` nullptr is the whole twin.
Result<PluginKpiValue> PluginHost::callKpi(const std::string& kpiId, const KpiArea* area, TimePoint t) {
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_kpi* k : r->kpis) {
      if (kpiId != k->id) continue;
      if (area != nullptr && !hasAreaFunction(*k)) {
        return Status(ErrorCode::Unsupported, "KPI '" + kpiId + "' is computed for the whole twin only");
      }
      // Under the watchdog: the call owns its area and its result (it may outlive this frame if abandoned).
      auto result = std::make_shared<gt_kpi_result>();
      result->struct_size = sizeof *result;
      result->status = GT_KPI_NO_DATA;
      result->note = nullptr;
      std::optional<KpiArea> ownArea;
      if (area != nullptr) ownArea = *area;
      std::string failure;
      const gt_status st = detail::watchedCall(
          *r, "KPI '" + kpiId + "'",
          [k, t, result, ownArea] {
            if (!ownArea) return k->compute(k->user, t, result.get());
            const AbiArea abi(*ownArea);
            return k->compute_in_area(k->user, t, abi.get(), result.get());
          },
          [&](const std::string& m) { failure = m; });
      if (st != GT_OK) {
        disableRecord(*r, failure);
        return Status(ErrorCode::Internal, "plugin '" + r->info.id + "' disabled: " + failure);
      }
      const bool known = result->status >= GT_KPI_OK && result->status <= GT_KPI_PENDING;
      return PluginKpiValue{result->value,
                            known ? static_cast<PluginKpiStatus>(result->status) : PluginKpiStatus::NoData,
                            str(result->note)};
    }
  }
  return Status(ErrorCode::NotFound, "no active plugin provides KPI '" + kpiId + "'");
}

namespace {

void noteTrend(std::deque<PluginKpiTrendPoint>& trend, TimePoint t, double value) {
  if (!trend.empty() && t < trend.back().time) trend.clear();  // the clock went back: a new story
  if (!trend.empty() && t == trend.back().time) {
    trend.back().value = value;  // paused clock: the same instant, recomputed
    return;
  }
  trend.push_back({t, value});
  while (trend.size() > PluginHost::kKpiTrendLength) trend.pop_front();
}

}  // namespace

const std::deque<PluginKpiTrendPoint>& PluginHost::kpiTrend(const std::string& kpiId) const {
  static const std::deque<PluginKpiTrendPoint> kNone;
  const auto it = kpiTrends_.find(kpiId);
  return it != kpiTrends_.end() ? it->second : kNone;
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
      if (value->hasValue()) noteTrend(kpiTrends_[kpi.id], t, value->value);
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
      // Under the watchdog: the call owns its grid of values (it may outlive this frame if abandoned).
      auto values = std::make_shared<std::vector<float>>(std::size_t{request.columns} * request.rows, std::nanf(""));
      gt_field_request c{};
      c.struct_size = sizeof c;
      c.min_x = request.minX;
      c.min_y = request.minY;
      c.max_x = request.maxX;
      c.max_y = request.maxY;
      c.columns = request.columns;
      c.rows = request.rows;
      c.time_us = request.time;
      c.values = values->data();
      std::string failure;
      const gt_status st = detail::watchedCall(
          *r, "field '" + fieldId + "'",
          [f, c, values] {
            gt_field_request own = c;
            return f->compute(f->user, &own);
          },
          [&](const std::string& m) { failure = m; });
      if (st != GT_OK) {
        disableRecord(*r, failure);
        return Status(ErrorCode::Internal, "plugin '" + r->info.id + "' disabled: " + failure);
      }
      request.values = std::move(*values);
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
