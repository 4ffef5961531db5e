// The traffic plugin: built with the GreenTwin SDK only, exactly as an out-of-tree plugin would be.
// docs/traffic.md says what it computes, with which thresholds and from which sources.
//
// Contributions:
//  - classifiers "traffic.congestion_class" (a link's level 1..5 -> 畅通 / 基本畅通 / 轻度拥堵 / 中度拥堵 / 严重拥堵, green
//    to red) and "traffic.charger_state_class" (a charger's state code 0 / 1 / 2 -> free / charging / fault);
//  - a polled source type "traffic.derive": each frame it reads the speed and free-flow speed of the next chunk of
//    road links (bulk reads by entity handle) and pushes `congestion_level` for the links whose inputs changed
//    (link_levels.hpp);
//  - KPIs: the network traffic performance index 0..10 (DB11/T 785-2011), charger occupancy and the free /
//    charging / fault counts, the bus-stop 500 m coverage of residential buildings (GEOS) and the green-travel share
//    (programme indicator #10), each with its method text;
//  - settings (described as data; the host draws them), defaults in traffic.greentwin-plugin.toml.
//
// Config:
//   [plugins]
//   enabled = ["traffic"]
//   [[sources]]
//   id = "traffic"
//   type = "traffic.derive"
//
// Bad input (a NaN speed, no free-flow speed, a missing layer, an unknown entity, an unknown charger state, an
// incomplete modal split) gives one warning per cause in the log, and the plugin runs on.
//
// Threads: every callback runs on the host's update thread (the SDK's contract); nothing here starts a thread.
#include <greentwin/plugin.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "chargers.hpp"
#include "congestion.hpp"
#include "coverage.hpp"
#include "link_levels.hpp"
#include "modal_split.hpp"
#include "warn_once.hpp"

namespace greentwin::traffic {
namespace {

using namespace greentwin::plugin;

// Entities of a layer with their handles, refreshed every few seconds while empty (layers load in the
// background), then every minute.
class EntityList {
 public:
  const std::vector<EntityInfo>& get(const Host& host, const std::string& layer) {
    const auto now = std::chrono::steady_clock::now();
    const auto every = list_.empty() ? std::chrono::seconds(2) : std::chrono::seconds(60);
    if (layer == layer_ && at_ != std::chrono::steady_clock::time_point{} && now - at_ < every) return list_;
    if (layer != layer_) first_ = now;
    layer_ = layer;
    at_ = now;
    list_ = host.entities("", layer);
    return list_;
  }
  // Whether the list has stayed empty for a while (then the layer is reported missing).
  bool emptyForLong() const { return list_.empty() && std::chrono::steady_clock::now() - first_ >= std::chrono::seconds(10); }
  void reset() { at_ = {}; }

 private:
  std::string layer_;
  std::vector<EntityInfo> list_;
  std::chrono::steady_clock::time_point at_{}, first_{std::chrono::steady_clock::now()};
};

Polygons polygonsOf(const std::vector<FeaturePolygon>& polygons) {
  Polygons out;
  for (const FeaturePolygon& p : polygons) {
    Polygon polygon;
    for (const auto& ring : p.rings) {
      Ring r;
      r.reserve(ring.size());
      for (const XY& v : ring) r.push_back({v.x, v.y});
      polygon.push_back(std::move(r));
    }
    out.push_back(std::move(polygon));
  }
  return out;
}
Polygons polygonsOf(const Feature& f) { return polygonsOf(f.polygons); }

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

class TrafficPlugin : public Plugin {
 public:
  explicit TrafficPlugin(Host api)
      : Plugin(api, "traffic", "Traffic (DB11/T 785 congestion, chargers, bus coverage)", "0.1.0"),
        warnings_(api), links_(api, warnings_) {
    addSettings();
    addClassifiers();
    addSourceType({"traffic.derive", "道路拥堵等级（DB11/T 785）", "Link congestion levels (DB11/T 785)", /*polled=*/true},
                  [this](const std::string& /*sourceId*/, const Options& options) -> std::unique_ptr<Source> {
                    if (!options.all().empty()) {
                      throw InvalidArgument("traffic.derive takes no options (got '" + options.all().begin()->first +
                                            "'); settings go in [plugins.traffic]");
                    }
                    return std::make_unique<DeriveSource>(*this);
                  });
    addKpis();
  }

  void onSettingChanged(const std::string& key) override {
    configured_ = false;  // read the settings again on next use
    if (key == "bus_stop_layer" || key == "building_layer" || key == "residential_use" ||
        key == "coverage_radius_m" || key == "coverage_area_layer") {
      coverage_.reset();
      coverageTriedAt_ = {};
      warnings_.forget("coverage");
    }
    if (key == "charger_layer") warnings_.forget("missing_layer/");
    if (key == "modal_split_entity") {
      modalEntityChecked_ = false;
      warnings_.forget("modal");
    }
  }

 private:
  class DeriveSource : public Source {
   public:
    explicit DeriveSource(TrafficPlugin& plugin) : plugin_(plugin) {}
    void start() override {
      plugin_.host().info("traffic: congestion levels per DB11/T 785-2011 for the road links started");
    }
    void poll(std::int64_t clockNowUs) override { plugin_.linkLevels().poll(clockNowUs); }

   private:
    TrafficPlugin& plugin_;
  };

  void addSettings() {
    addSetting({"road_layer", SettingType::String, "city-roads", 1.0, 0.0, {}, "道路图层", "Road layer",
                "其要素为路段的图层 id（读 speed_kmh、free_speed_kmh、flow_veh_h）",
                "Id of the layer whose features are the road links (reads speed_kmh, free_speed_kmh, flow_veh_h)"});
    addSetting({"grading", SettingType::Enum, "ratio", 1.0, 0.0,
                {{"ratio", "速度/自由流速度", "Speed / free-flow speed"},
                 {"class_speed", "按道路等级的速度阈值（DB11/T 785 表）", "Speed limits per road class (DB11/T 785 table)"}},
                "拥堵分级方式", "Congestion grading",
                "速度比：>2/3 畅通，>1/2 基本畅通，>1/3 轻度，>1/4 中度，其余严重；等级速度：标准的快速路/主干路/次干路支路阈值",
                "ratio: > 2/3 smooth, > 1/2 basically smooth, > 1/3 light, > 1/4 moderate, else severe; class_speed: the "
                "standard's km/h limits for expressways / arterials / secondary and local roads"});
    addSetting({"index_weighting", SettingType::Enum, "vkt", 1.0, 0.0,
                {{"vkt", "车公里（长度×流量）", "VKT (length x flow)"}, {"length", "路段长度", "Link length"}},
                "交通指数权重", "Index weighting", "严重拥堵里程比例按车公里或按长度加权",
                "The severely congested share is weighted by vehicle-km or by length"});
    addSetting({"links_per_frame", SettingType::Int, "2000", 100.0, 100000.0, {}, "每帧路段数", "Links per frame",
                "每帧检查并推送的路段数（轮转）", "Links checked (and pushed when changed) per frame, round robin"});
    addSetting({"stale_after_s", SettingType::Double, "300", 1.0, 86400.0, {}, "读数过期（秒）", "Stale after (s)",
                "早于此时长的读数不参与指标", "Older readings are left out of the KPIs"});
    addSetting({"charger_layer", SettingType::String, "city-ev-chargers", 1.0, 0.0, {}, "充电桩图层", "Charger layer",
                "其实体为充电桩的图层 id（读 state：0 空闲、1 充电中、2 故障）",
                "Id of the layer whose entities are the chargers (reads state: 0 free, 1 charging, 2 fault)"});
    addSetting({"bus_stop_layer", SettingType::String, "city-bus-stops", 1.0, 0.0, {}, "公交站图层", "Bus stop layer",
                "其要素为公交站（点）的图层 id", "Id of the layer whose (point) features are the bus stops"});
    addSetting({"building_layer", SettingType::String, "city-buildings", 1.0, 0.0, {}, "建筑图层", "Building layer",
                "其要素为建筑轮廓的图层 id", "Id of the layer whose features are the building footprints"});
    addSetting({"residential_use", SettingType::String, "residential", 1.0, 0.0, {}, "居住用途值", "Residential use",
                "建筑 use 属性取这些值（逗号分隔）即为居住建筑", "Values of the buildings' `use` that count as residential (comma-separated)"});
    addSetting({"coverage_radius_m", SettingType::Double, "500", 50.0, 5000.0, {}, "公交覆盖半径（米）",
                "Bus coverage radius (m)", "建筑轮廓形心到最近公交站的直线距离不超过此值即为覆盖",
                "A building is covered when its footprint centroid lies within this straight-line distance of a stop"});
    addSetting({"coverage_area_layer", SettingType::String, "", 1.0, 0.0, {}, "覆盖统计范围图层", "Coverage area layer",
                "只统计形心落在此图层面内的建筑（如集中建设区）；空表示全部",
                "Only buildings whose centroid lies in this layer's polygons count (e.g. the concentrated construction "
                "area); empty: all"});
    addSetting({"modal_split_entity", SettingType::String, "tongzhou-district/0", 1.0, 0.0, {}, "出行方式实体",
                "Modal split entity", "带 trips_walk … trips_taxi（人次/小时）的实体 id",
                "Id of the entity carrying trips_walk ... trips_taxi (trips/h)"});
  }

  void addClassifiers() {
    std::vector<ClassInfo> levels;
    for (const CongestionClass& c : congestionClasses()) {
      levels.push_back(ClassInfo{{c.rgb[0], c.rgb[1], c.rgb[2], 255}, c.nameZh, c.nameEn});
    }
    // Levels are whole numbers: bounds halfway between them.
    addClassifier({"traffic.congestion_class", "道路运行等级（DB11/T 785）", "Congestion level (DB11/T 785)", "",
                   levels, {1.5, 2.5, 3.5, 4.5}, {}});
    std::vector<ClassInfo> states;
    for (const ChargerStateClass& c : chargerStateClasses()) {
      states.push_back(ClassInfo{{c.rgb[0], c.rgb[1], c.rgb[2], 255}, c.nameZh, c.nameEn});
    }
    addClassifier({"traffic.charger_state_class", "充电桩状态", "Charger state", "", states, {0.5, 1.5}, {}});
  }

  void addKpis() {
    addKpi({"traffic.network_index", "道路交通运行指数", "Traffic performance index", "",
            "严重拥堵路段里程比例（按车公里或长度加权）按 DB11/T 785-2011 附录C 分段线性换算为 0-10："
            "0/4/8/11/14/24% 对应 0/2/4/6/8/10（24% 为本插件假设）；<4 正常，<6 预警，≥6 告警",
            "Share of the network (VKT- or length-weighted) whose links are severely congested, mapped piecewise "
            "linearly to 0..10 after DB11/T 785-2011 Annex C: 0/4/8/11/14/24 % -> 0/2/4/6/8/10 (24 % is this plugin's "
            "assumption); < 4 OK, < 6 warning, >= 6 alert"},
           [this](std::int64_t) { return networkIndexKpi(); });
    addKpi({"traffic.charger_occupancy", "充电桩占用率", "Charger occupancy", "%",
            "充电中 / (空闲 + 充电中)，故障桩不计；<80% 正常，<95% 预警，更高告警",
            "Charging / (free + charging), faulty chargers left out; < 80 % OK, < 95 % warning, above alert"},
           [this](std::int64_t) { return chargerKpi(ChargerKpi::Occupancy); });
    addKpi({"traffic.chargers_free", "空闲充电桩", "Free chargers", "", "state = 0 的充电桩数",
            "Number of chargers with state 0"},
           [this](std::int64_t) { return chargerKpi(ChargerKpi::Free); });
    addKpi({"traffic.chargers_charging", "充电中充电桩", "Chargers charging", "", "state = 1 的充电桩数",
            "Number of chargers with state 1"},
           [this](std::int64_t) { return chargerKpi(ChargerKpi::Charging); });
    addKpi({"traffic.chargers_fault", "故障充电桩", "Faulty chargers", "",
            "state = 2 的充电桩数；占有读数充电桩 ≤5% 正常，≤15% 预警，更高告警",
            "Number of chargers with state 2; <= 5 % of the chargers reporting OK, <= 15 % warning, above alert"},
           [this](std::int64_t) { return chargerKpi(ChargerKpi::Fault); });
    addKpi({"traffic.bus_stop_coverage", "公交站点500米覆盖率", "Bus stop 500 m coverage", "%",
            "居住建筑中轮廓形心距最近公交站不超过覆盖半径（直线）的比例（GEOS STRtree）；规划要求集中建设区 ≥95%：≥95% 正常，≥85% 预警",
            "Share of residential buildings whose footprint centroid lies within the radius (straight line) of a bus "
            "stop (GEOS STRtree); the programme asks >= 95 % in the concentrated construction area: >= 95 % OK, "
            ">= 85 % warning"},
           [this](std::int64_t) { return coverageKpi(); }, {},
           [this](std::int64_t, const Scenario& s) { return coverageInScenario(s); });
    addKpi({"traffic.green_travel_share", "绿色出行比例", "Green travel share", "%",
            "（步行 + 自行车 + 公交 + 地铁）出行量 / 全部出行量（指标10，2025 年目标 80% 左右）；≥80% 正常，≥70% 预警",
            "(walk + bike + bus + metro) trips / all trips (indicator #10, 2025 target about 80 %); >= 80 % OK, "
            ">= 70 % warning"},
           [this](std::int64_t) { return greenShareKpi(); });
  }

  // The settings, read again after a change (reading them per call would cost a host call each).
  void configure() {
    if (configured_) return;
    configured_ = true;
    LinkSettings s;
    s.layer = host().settingString("road_layer");
    s.grading = host().settingString("grading") == "class_speed" ? Grading::ClassSpeed : Grading::Ratio;
    s.weighting = host().settingString("index_weighting") == "length" ? Weighting::Length : Weighting::Vkt;
    s.linksPerFrame = static_cast<std::size_t>(std::max<std::int64_t>(1, host().settingInt("links_per_frame")));
    s.staleAfterS = host().settingDouble("stale_after_s");
    links_.configure(s);
  }

  LinkLevels& linkLevels() {
    configure();
    return links_;
  }

  KpiValue networkIndexKpi() {
    configure();
    const auto index = networkIndex(links_.states(host().now()));
    if (!index) return KpiValue::noData();
    return KpiValue{index->index, index->index < 4 ? GT_KPI_OK : index->index < 6 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  enum class ChargerKpi { Occupancy, Free, Charging, Fault };
  KpiValue chargerKpi(ChargerKpi which) {
    const auto counts = chargerCounts();
    if (!counts) return KpiValue::noData();
    const std::size_t reporting = counts->free + counts->charging + counts->fault;
    switch (which) {
      case ChargerKpi::Occupancy: {
        const double pct = counts->occupancyPct();
        if (std::isnan(pct)) return KpiValue::noData();
        return KpiValue{pct, pct < 80 ? GT_KPI_OK : pct < 95 ? GT_KPI_WARNING : GT_KPI_ALERT};
      }
      case ChargerKpi::Free: return KpiValue{static_cast<double>(counts->free), GT_KPI_OK};
      case ChargerKpi::Charging: return KpiValue{static_cast<double>(counts->charging), GT_KPI_OK};
      case ChargerKpi::Fault: break;
    }
    const double share = reporting == 0 ? 0.0 : 100.0 * static_cast<double>(counts->fault) / reporting;
    return KpiValue{static_cast<double>(counts->fault), share <= 5 ? GT_KPI_OK : share <= 15 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  // The chargers' states now (stale ones count as no data); nullopt when no charger reports a state.
  std::optional<ChargerCounts> chargerCounts() {
    configure();
    const std::string layer = host().settingString("charger_layer");
    const auto& chargers = chargerList_.get(host(), layer);
    if (chargers.empty()) {
      if (chargerList_.emptyForLong()) {
        warnings_.warn("missing_layer/" + layer, "charger layer '" + layer + "' has no entities: no charger KPIs");
      }
      return std::nullopt;
    }
    std::vector<std::uint32_t> handles;
    handles.reserve(chargers.size());
    for (const EntityInfo& e : chargers) handles.push_back(e.entity);
    std::vector<double> states;
    std::vector<std::int64_t> times;
    if (!host().readValues("state", handles, states, times)) return std::nullopt;
    const std::int64_t nowUs = host().now();
    const auto staleUs = static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6);
    for (std::size_t i = 0; i < states.size(); ++i) {
      if (times[i] == 0 || nowUs - times[i] > staleUs) states[i] = std::nan("");
    }
    const ChargerCounts counts = countChargers(states);
    if (counts.unknown > 0) {
      warnings_.warn("charger_state", std::to_string(counts.unknown) + " chargers report a `state` that is not 0 "
                                                                         "(free), 1 (charging) or 2 (fault): left out");
    }
    if (counts.free + counts.charging + counts.fault == 0) return std::nullopt;
    return counts;
  }

  // Bus-stop coverage: computed once the layers have their features (static), again after a setting change.
  KpiValue coverageKpi() {
    if (!coverage_) computeCoverage();
    if (!coverage_ || coverage_->buildings == 0) return KpiValue::noData();
    const double pct = coverage_->sharePct();
    return KpiValue{pct, pct >= 95 ? GT_KPI_OK : pct >= 85 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  // In a what-if scenario: the residential buildings with its building edits (removed, use changed, added) counted
  // again; a scenario without such edits keeps the baseline (docs/traffic.md "Scenarios").
  KpiValue coverageInScenario(const Scenario& s) {
    KpiValue base = coverageKpi();
    const bool touches = std::any_of(s.edits.begin(), s.edits.end(), [](const ScenarioEdit& e) {
      return e.is(EditKind::RemoveBuilding) || e.is(EditKind::SetUse) || e.is(EditKind::AddBuilding);
    });
    if (base.status == GT_KPI_NO_DATA || !touches) {
      base.note = "scenario: no building removed, added or of another use";
      return base;
    }
    const std::optional<CoverageResult> r = computeCoverage(&s);
    if (!r || r->buildings == 0) return KpiValue::noData("no residential building in the scenario");
    const double pct = r->sharePct();
    return KpiValue{pct, pct >= 95 ? GT_KPI_OK : pct >= 85 ? GT_KPI_WARNING : GT_KPI_ALERT,
                    "scenario: " + std::to_string(r->covered) + " of " + std::to_string(r->buildings) +
                        " residential buildings covered"};
  }

  // The baseline (scenario nullptr: kept in coverage_, retried at most every 2 s) or a scenario's (returned).
  std::optional<CoverageResult> computeCoverage(const Scenario* scenario = nullptr) {
    const auto now = std::chrono::steady_clock::now();
    if (scenario == nullptr && coverageTriedAt_ != std::chrono::steady_clock::time_point{} &&
        now - coverageTriedAt_ < std::chrono::seconds(2)) {
      return std::nullopt;
    }
    if (scenario == nullptr) {
      if (coverageFirstTry_ == std::chrono::steady_clock::time_point{}) coverageFirstTry_ = now;
      coverageTriedAt_ = now;
    }
    const bool late = scenario == nullptr && now - coverageFirstTry_ >= std::chrono::seconds(10);
    const std::string stopLayer = host().settingString("bus_stop_layer");
    const std::string buildingLayer = host().settingString("building_layer");
    const std::string areaLayer = host().settingString("coverage_area_layer");
    CoverageInput input;
    input.radiusM = host().settingDouble("coverage_radius_m");
    for (const Feature& f : host().features(stopLayer)) {
      for (const XY& p : f.points) input.stops.push_back({p.x, p.y});
    }
    const std::vector<std::string> residential = splitList(host().settingString("residential_use"));
    const auto isHome = [&](const std::string& use) {
      return std::find(residential.begin(), residential.end(), use) != residential.end();
    };
    std::map<std::string, std::optional<std::string>> edited;  // building id -> its use (nullopt: removed)
    for (const ScenarioEdit& e : scenario != nullptr ? scenario->edits : std::vector<ScenarioEdit>{}) {
      for (const std::string& id : e.buildings) {
        if (e.is(EditKind::RemoveBuilding)) edited[id] = std::nullopt;
        if (e.is(EditKind::SetUse)) edited[id] = e.use;
      }
      if (e.is(EditKind::AddBuilding) && isHome(e.use)) input.buildings.push_back(polygonsOf(e.shape.polygons));
    }
    std::size_t withoutUse = 0, buildings = 0;
    for (const Feature& f : host().features(buildingLayer)) {
      ++buildings;
      auto use = f.text("use");
      if (const auto it = edited.find(f.id); it != edited.end()) {
        if (!it->second) continue;
        use = it->second;
      }
      if (!use) {
        ++withoutUse;
        continue;
      }
      if (isHome(*use)) input.buildings.push_back(polygonsOf(f));
    }
    if (!areaLayer.empty()) {
      for (const Feature& f : host().features(areaLayer)) {
        for (Polygon& p : polygonsOf(f)) input.area.push_back(std::move(p));
      }
    }
    if (input.stops.empty() || buildings == 0 || (!areaLayer.empty() && input.area.empty())) {
      if (late) {
        warnings_.warn("coverage/layers", "bus-stop coverage needs point features in '" + stopLayer + "' (" +
                                              std::to_string(input.stops.size()) + "), buildings in '" + buildingLayer +
                                              "' (" + std::to_string(buildings) + ")" +
                                              (areaLayer.empty() ? std::string() : " and polygons in '" + areaLayer + "'") +
                                              ": no coverage KPI yet");
      }
      return std::nullopt;
    }
    if (withoutUse > 0) {
      warnings_.warn("coverage/use", std::to_string(withoutUse) + " buildings in '" + buildingLayer +
                                         "' have no `use` attribute: not counted as residential");
    }
    const CoverageOutcome outcome = busStopCoverage(input);
    if (!outcome.error.empty()) {
      warnings_.warn("coverage/geos", "bus-stop coverage: " + outcome.error);
      return std::nullopt;
    }
    if (scenario != nullptr) return outcome.result;
    coverage_ = outcome.result;
    host().info("traffic: bus-stop coverage " + std::to_string(coverage_->covered) + " of " +
                std::to_string(coverage_->buildings) + " residential buildings within " +
                std::to_string(input.radiusM) + " m of " + std::to_string(input.stops.size()) + " stops");
    return coverage_;
  }

  KpiValue greenShareKpi() {
    const std::string entity = host().settingString("modal_split_entity");
    if (!modalEntityChecked_) {
      modalEntityChecked_ = true;
      const std::string layer = entity.substr(0, entity.find('/'));
      const auto list = host().entities("", layer);
      const bool known = std::any_of(list.begin(), list.end(), [&](const EntityInfo& e) { return e.id == entity; });
      if (!known && !list.empty()) {
        warnings_.warn("modal/unknown", "modal split entity '" + entity + "' is not in the twin: no green-travel share");
      } else if (list.empty()) {
        modalEntityChecked_ = false;  // the layer may still be loading: look again later
      }
    }
    std::array<double, kModeCount> trips{};
    const std::int64_t nowUs = host().now();
    const auto staleUs = static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6);
    bool any = false;
    for (int m = 0; m < kModeCount; ++m) {
      const auto r = host().read(entity, tripsAttribute(static_cast<Mode>(m)));
      const bool live = r && nowUs - r->sampleTimeUs <= staleUs;
      trips[static_cast<std::size_t>(m)] = live ? r->value : std::nan("");
      any = any || live;
    }
    if (!any) return KpiValue::noData();  // no feed (yet): not a fault
    const auto share = greenTravelShare(trips);
    if (!share) {
      warnings_.warn("modal/incomplete", "the modal split of '" + entity + "' lacks a mode or has a count that is not "
                                         "a number >= 0 (trips_walk, trips_bike, trips_bus, trips_metro, trips_car, "
                                         "trips_taxi): no green-travel share");
      return KpiValue::noData();
    }
    return KpiValue{share->sharePct, share->sharePct >= 80 ? GT_KPI_OK : share->sharePct >= 70 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  WarnOnce warnings_;
  LinkLevels links_;
  bool configured_ = false;
  EntityList chargerList_;
  std::optional<CoverageResult> coverage_;
  std::chrono::steady_clock::time_point coverageTriedAt_{}, coverageFirstTry_{};
  bool modalEntityChecked_ = false;
};

}  // namespace
}  // namespace greentwin::traffic

GREENTWIN_PLUGIN(greentwin::traffic::TrafficPlugin)
