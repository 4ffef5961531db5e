// The twin's indicators (issue 13; docs/indicators.md): the dashboard's board brought to each frame once a second,
// the computed values kept as series ("indicators/<NN>" entities, attribute "value": charted, recorded in history
// like any feed), an alert when an indicator turns off track, and the rows for any area of the map.
// Update thread.

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <cmath>
#include <utility>

#include "greentwin/layers/layer.hpp"
#include "greentwin/runtime/indicator_area.hpp"
#include "greentwin/runtime/twin.hpp"
#include "history.hpp"

namespace gt::runtime {
namespace {

constexpr const char* kIndicatorKind = "indicator";
constexpr const char* kIndicatorAlertSource = "indicators";

std::string indicatorEntityId(int number) { return fmt::format("indicators/{:02d}", number); }

std::string valueText(const IndicatorRow& row) {
  if (!row.value) return "-";
  return fmt::format("{:.4g}{}{}", *row.value, row.unit == "%" ? "" : " ", row.unit);
}

}  // namespace

std::string indicatorAlertKey(int number) { return fmt::format("off_track/{:02d}", number); }

void Twin::updateIndicators() {
  if (!indicators_.update(PluginHostKpis(*pluginHost_), frameTime_, std::chrono::seconds(1))) return;
  recordIndicatorSeries();
  raiseIndicatorAlerts();
}

// The computed indicators' values as series of their own entities: while the clock is live only (a value computed
// for a past frame is not news, and recorded history is never rewritten).
void Twin::recordIndicatorSeries() {
  if (!clock_.isLive()) return;
  auto attribute = entities_.attributes().intern("value");
  if (!attribute) return;
  std::vector<SampleUpdate> batch;
  for (const IndicatorRow& row : indicators_.rows()) {
    if (row.kpiId.empty() || !row.value || !std::isfinite(*row.value)) continue;
    const std::string id = indicatorEntityId(row.number);
    std::optional<EntityIndex> entity = entities_.find(id);
    if (!entity) {
      PropertyMap properties{{"name_zh", PropertyValue(row.nameZh)},
                             {"name_en", PropertyValue(row.nameEn)},
                             {"unit", PropertyValue(row.unit)},
                             {"number", PropertyValue(static_cast<double>(row.number))}};
      auto added = entities_.add(id, kIndicatorKind, std::move(properties));
      if (!added) {
        spdlog::warn("indicator series '{}': {}", id, added.status().message());
        continue;
      }
      entity = *added;
    }
    batch.push_back(SampleUpdate{*entity, *attribute, frameTime_, *row.value});
  }
  if (batch.empty()) return;
  timeSeries_.append(batch);
  samplesApplied_ += batch.size();
  history_->record(batch, entities_);
}

// An indicator that turns off track raises a warning in the alert log (the plugins' mechanism, source
// "indicators"); one that leaves off track (met, on track, or no data) clears it.
void Twin::raiseIndicatorAlerts() {
  for (const IndicatorRow& row : indicators_.rows()) {
    if (row.number == 0) continue;
    const IndicatorStatus before = indicatorStatusSeen_.count(row.number) ? indicatorStatusSeen_[row.number]
                                                                          : IndicatorStatus::NoData;
    indicatorStatusSeen_[row.number] = row.status();
    if (before == row.status()) continue;
    const std::string key = indicatorAlertKey(row.number);
    if (row.status() == IndicatorStatus::OffTrack) {
      AlertRaise alert;
      alert.source = kIndicatorAlertSource;
      alert.key = key;
      alert.severity = AlertSeverity::Warning;
      alert.entityId = row.kpiId.empty() ? "" : indicatorEntityId(row.number);
      const std::string expected =
          row.assessment.expected ? fmt::format("{:.4g}", *row.assessment.expected) : std::string();
      alert.messageZh = fmt::format("指标 {} {} 进度滞后：当前 {}，目标 {}{}", row.number, row.nameZh, valueText(row),
                                    row.targetZh, expected.empty() ? "" : "，按进度应为 " + expected);
      alert.messageEn = fmt::format("Indicator {} {} is off track: {} against {}{}", row.number, row.nameEn,
                                    valueText(row), row.targetEn, expected.empty() ? "" : ", the path expects " + expected);
      alert.timeUs = frameTime_;
      if (Status s = alerts_.raise(std::move(alert)); !s) spdlog::warn("indicator alert: {}", s.message());
    } else if (before == IndicatorStatus::OffTrack) {
      if (Status s = alerts_.clear(kIndicatorAlertSource, key, frameTime_); !s) {
        spdlog::warn("indicator alert: {}", s.message());
      }
    }
  }
}

Result<IndicatorArea> Twin::indicatorArea(std::string_view areaId) const {
  if (areaId.empty() || areaId == kDistrictAreaId) return districtArea();
  const std::optional<EntityIndex> entity = entities_.find(areaId);
  if (!entity) return Status(ErrorCode::NotFound, "no entity '" + std::string(areaId) + "' to compute indicators for");
  const layers::Layer* layer = layerOfEntity(*entity);
  const FeatureSet* features = layer != nullptr ? layer->features() : nullptr;
  if (features != nullptr) {
    for (const Feature& f : features->features) {
      if (f.entity != *entity) continue;
      if (f.geometry.polygons.empty()) break;
      IndicatorArea area;
      area.id = f.id;
      // The layer moved the feature's attributes into the entity store.
      const PropertyMap& properties = entities_.get(*entity)->properties;
      const auto name = [&](const char* key) -> std::string {
        const auto it = properties.find(key);
        return it != properties.end() ? formatPropertyValue(it->second) : std::string();
      };
      // A feature's own name, else its layer's for a layer of one feature (a district boundary), else its id.
      const bool only = features->features.size() == 1;
      const std::string plain = !name("name").empty() ? name("name") : f.id;
      area.nameZh = !name("name_zh").empty() ? name("name_zh") : plain;
      area.nameEn = !name("name_en").empty() ? name("name_en") : only && !layer->config().nameEn.empty() ? layer->config().nameEn : plain;
      area.shape.id = f.id;
      area.shape.polygons = f.geometry.polygons;
      for (const Polygon& p : f.geometry.polygons) area.shape.areaM2 += polygonArea(p);
      return area;
    }
  }
  return Status(ErrorCode::InvalidArgument,
                "'" + std::string(areaId) + "' is not a polygon feature: indicators need an area (a polygon)");
}

std::vector<IndicatorRow> Twin::indicatorRows(const IndicatorArea& area) {
  if (area.wholeTwin()) return indicators_.compute(PluginHostKpis(*pluginHost_), frameTime_);
  const AreaKpis kpis(*pluginHost_, area.shape, frameTime_, pluginHost_->kpiReadings());
  return indicators_.compute(kpis, frameTime_, true);
}

}  // namespace gt::runtime
