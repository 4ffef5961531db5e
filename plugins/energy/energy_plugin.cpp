// The energy plugin: built with the GreenTwin SDK only, exactly as an out-of-tree plugin would be. docs/energy.md
// says what it computes, the thresholds and where its numbers come from.
//
// Contributions:
//  - classifiers "energy.intensity_class" (W/m2), "energy.pv_share_class" (%), "energy.net_load_class" (kW) and
//    "energy.substation_loading_class" (%), zh/en class names and colours (classes.hpp);
//  - a polled source type "energy.derive": each frame it reads `load_kw` and `pv_kw` of one chunk of the buildings
//    (round robin, chunk_size of them) with one bulk read per attribute, and for those whose samples changed pushes
//    `load_w_m2` (load / floor area) and `pv_share_pct` (PV self-supply); it reads every substation's
//    `loading_pct` and raises / clears the alerts "overload/<id>" and "n1/<id>";
//  - KPIs: CO2 per person (#5), local renewable share (#6), green share of imported electricity (#7), star-rated
//    green buildings' share of new building area (#9), the district net import, and the substations overloaded /
//    violating N-1; #5, #6 and #9 also over an area of the map (the buildings whose footprint centroid lies in it;
//    #7 is a district-wide grid feed: whole twin only);
//  - settings: the layers, the grid entity, chunk size, staleness, N-1 emergency factor, and the statistics.
//
// Floor areas, centroids, uses, completion years and green ratings come from the buildings layer's features
// (footprint x floors, floor_area.hpp; green_buildings.hpp), read once when the layer has loaded. Bad input (a missing layer, NaN readings, a feature without footprint or `transformers`, an
// unknown grid entity) gives one warning per cause; the plugin runs on.
//
// Threads: every callback runs on the host's update thread (the SDK's contract); nothing here starts a thread.
#include <greentwin/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "classes.hpp"
#include "floor_area.hpp"
#include "green_buildings.hpp"
#include "loading.hpp"
#include "metrics.hpp"
#include "plugin_helpers.hpp"
#include "scenario_edits.hpp"
#include "statistics.hpp"

namespace greentwin::energy {
namespace {

using namespace greentwin::plugin;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

struct BuildingRecord {
  std::string id;
  double floorAreaM2 = 0;  // 0: no footprint
  double roofAreaM2 = 0, installedKwp = 0;  // footprint; roof_pv_kw (what-if scenarios: the twin's PV yield)
  double x = kNaN, y = kNaN;  // footprint centroid (NaN: none): the areas it lies in
  bool residential = false;   // homes: the population of an area is spread over their floor area (#5)
  std::int64_t loadUs = 0, pvUs = 0;  // sample times last seen (0: none)
  double loadKw = kNaN, pvKw = kNaN;
  bool pending = false;  // derived values still to push (a push was refused)
};

struct SubstationRecord {
  std::string id, nameZh, nameEn;
  double capacityMva = kNaN;
  int transformers = 0;  // 0: unknown, no N-1 check
  std::int64_t lastUs = 0;
  double loadingPct = kNaN;
  OverloadLatch overload;
  bool n1Active = false;
};

class EnergyPlugin : public Plugin {
 public:
  explicit EnergyPlugin(Host api) : Plugin(api, "energy", "Energy (loads, PV, substations)", "0.1.0") {
    addSettings();
    for (const ClassTable& t : classTables()) {
      std::vector<ClassInfo> classes;
      for (const ClassDef& c : t.classes) classes.push_back({{c.rgb[0], c.rgb[1], c.rgb[2], 255}, c.nameZh, c.nameEn});
      addClassifier({t.id, t.nameZh, t.nameEn, t.unit, classes, t.upperBounds, {}});
    }
    addSourceType({"energy.derive", "能源派生指标", "Energy metrics", /*polled=*/true},
                  [this](const std::string& /*sourceId*/, const Options& options) -> std::unique_ptr<Source> {
                    if (!options.all().empty()) {
                      throw InvalidArgument("energy.derive takes no options (got '" + options.all().begin()->first +
                                            "'); settings go in [plugins.energy]");
                    }
                    return std::make_unique<DeriveSource>(*this);
                  });
    addKpis();
  }

  void onSettingChanged(const std::string& key) override {
    if (key == "building_layer" || key == "use_attribute" || key == "residential_uses" ||
        key == "completion_year_attribute" || key == "star_attribute") {
      buildings_.clear();
      buildingHandles_.clear();
      buildingIndex_.clear();
      green_.clear();
      buildingWait_.reset();
      ++buildingsVersion_;
    } else if (key == "substation_layer") {
      clearSubstationAlerts();
      substations_.clear();
      substationHandles_.clear();
      substationWait_.reset();
    } else if (key == "grid_entity") {
      gridWait_.reset();
    } else if (key == "n1_emergency_factor") {
      for (SubstationRecord& s : substations_) s.lastUs = 0;  // check every substation again
    }
    balanceAtUs_ = -1;
  }

 private:
  class DeriveSource : public Source {
   public:
    explicit DeriveSource(EnergyPlugin& plugin) : plugin_(plugin) {}
    void start() override { plugin_.host().info("energy: load intensity, PV self-supply and substation checks started"); }
    void poll(std::int64_t /*clockNowUs*/) override { plugin_.derive(); }

   private:
    EnergyPlugin& plugin_;
  };

  void addSettings() {
    addSetting({"building_layer", SettingType::String, "city-buildings", 1.0, 0.0, {}, "建筑图层", "Building layer",
                "其实体为建筑（有 load_kw、pv_kw 与面状轮廓）的图层 id",
                "Id of the layer whose entities are the buildings (load_kw, pv_kw, footprint polygons)"});
    addSetting({"substation_layer", SettingType::String, "city-substations", 1.0, 0.0, {}, "变电站图层",
                "Substation layer", "其实体为变电站（有 loading_pct、capacity_mva、transformers）的图层 id",
                "Id of the layer whose entities are the substations (loading_pct, capacity_mva, transformers)"});
    addSetting({"grid_entity", SettingType::String, "tongzhou-district/0", 1.0, 0.0, {}, "电网关口实体",
                "Grid entity", "带 import_mw 与 green_share_pct（模拟器 energy.grid）的实体 id",
                "Id of the entity with import_mw and green_share_pct (the simulator's energy.grid feed)"});
    addSetting({"chunk_size", SettingType::Int, "4000", 100.0, 100000.0, {}, "每帧建筑数", "Buildings per frame",
                "每帧读取并派生的建筑数（轮转）", "Buildings read and derived per frame (round robin)"});
    addSetting({"stale_after_s", SettingType::Double, "900", 1.0, 86400.0, {}, "读数过期（秒）", "Stale after (s)",
                "早于此时长的读数不参与全区平衡与指标", "Older readings are left out of the district balance and KPIs"});
    addSetting({"n1_emergency_factor", SettingType::Double, "1.0", 1.0, 2.0, {}, "N-1 事故过载系数",
                "N-1 emergency factor", "一台主变停运后其余主变可短时承担的额定容量倍数（1.0：不过载）",
                "Multiple of their rating the remaining transformers may carry after losing one (1.0: none)"});
    addSetting({"emission_factor_t_per_mwh", SettingType::Double, std::to_string(kGridEmissionFactorTPerMwh), 0.0,
                2.0, {}, "电网排放因子（tCO2/MWh）", "Grid emission factor (t CO2/MWh)",
                "默认：生态环境部 2022 年度全国电网平均排放因子 0.5703（环办气候函〔2023〕43号）",
                "Default: MEE's 2022 national grid average, 0.5703 (环办气候函〔2023〕43号)"});
    addSetting({"use_attribute", SettingType::String, "use", 1.0, 0.0, {}, "用途属性", "Use attribute",
                "建筑图层中表示用途的属性", "Attribute of the building layer naming the use"});
    addSetting({"residential_uses", SettingType::String, "residential,village", 1.0, 0.0, {}, "居住用途取值",
                "Residential uses", "逗号分隔；区域人口按其建筑面积分配（指标5）",
                "Comma-separated; an area's population is spread over their floor area (#5)"});
    addSetting({"completion_year_attribute", SettingType::String, "year_built", 1.0, 0.0, {}, "竣工年份属性",
                "Completion year attribute", "建筑图层中的竣工年份（指标9）",
                "Attribute of the building layer with the year of completion (#9)"});
    addSetting({"star_attribute", SettingType::String, "green_star", 1.0, 0.0, {}, "绿色建筑星级属性",
                "Green star attribute", "GB/T 50378-2019 星级：1-3 星；0 为无星级（含基本级）（指标9）",
                "GB/T 50378-2019 stars: 1-3; 0 no star rating, the basic level included (#9)"});
    addSetting({"green_period_start", SettingType::Int, std::to_string(kGreenProgrammeFirstYear), 1990.0, 2100.0, {},
                "新建建筑起算年份", "New buildings from", "指标9：自该年起竣工的建筑计为新建建筑（规划期 2021 年起）",
                "#9: buildings completed from this year on count as new (the programme period, from 2021)"});
    addSetting({"population", SettingType::Double, std::to_string(kTongzhouPopulation), 1.0, 1e9, {}, "常住人口",
                "Resident population", "默认：通州区第七次全国人口普查常住人口 1840295",
                "Default: Tongzhou's resident population in the 2020 census, 1,840,295"});
  }

  void addKpis() {
    addKpi({"energy.co2_per_person", "人均用电碳排放（指标5）", "Electricity CO2 per person (#5)", "t CO2/person/yr",
            "按当前净购电功率折算全年：净购电(MW) × 8760 h × 电网排放因子 ÷ 常住人口。净购电取电网关口实体的 "
            "import_mw，无数据时取各建筑负荷减光伏之和；净输出计为 0。"
            "区域内：基底形心在区域内的建筑的负荷减光伏，除以区域人口 = 常住人口 × 区域居住建筑面积占全区的比例。",
            "Annualised at the current rate: net import (MW) x 8760 h x grid emission factor / resident population. "
            "Net import is the grid entity's import_mw, or without it the buildings' load minus PV; an export "
            "counts 0."
            " In an area: the net import of the buildings whose footprint centroid lies in it (load minus PV), over "
            "the area's population = the resident population x the area's share of the district's residential floor "
            "area (uses residential_uses)."},
           [this](std::int64_t t) { return co2PerPerson(t); },
           [this](std::int64_t t, const Area& area) { return co2PerPersonIn(t, area); },
           [this](std::int64_t t, const Scenario& s) {
             return inScenario(t, s, [&](const ScenarioOutcome& o, const std::string& note) {
               return scenarioCo2PerPerson(o, gridReading("import_mw", t),
                                           host().settingDouble("emission_factor_t_per_mwh"),
                                           host().settingDouble("population"), note);
             });
           });
    addKpi({"energy.renewable_share", "本地可再生能源占比（指标6）", "Local renewable share (#6)", "%",
            "全区屋顶光伏出力 ÷ 全区负荷 × 100（光伏超出负荷部分不计，最高 100%），按有实时读数的建筑求和。"
            "区域内：基底形心在区域内的建筑。",
            "Rooftop PV over the district's load x 100 (PV above the load not counted, at most 100 %), summed over "
            "the buildings with live readings. In an area: over the buildings whose footprint centroid lies in it."},
           [this](std::int64_t t) { return renewableShare(t); },
           [this](std::int64_t t, const Area& area) { return renewableShareIn(t, area); },
           [this](std::int64_t t, const Scenario& s) { return inScenario(t, s, scenarioRenewableShare); });
    addKpi({"energy.green_import_share", "外购电绿电占比（指标7）", "Green share of imported power (#7)", "%",
            "电网关口实体的 green_share_pct：外购电中可再生能源电力的比例（演示中来自模拟器的 energy.grid）。",
            "The grid entity's green_share_pct: the renewable share of the electricity imported (in the demo from "
            "the simulator's energy.grid feed)."},
           [this](std::int64_t t) { return greenImportShare(t); });  // a district-wide feed: no area function
    addKpi({"energy.green_building_share", "星级绿色建筑占新建建筑面积比例（指标9）",
            "Star-rated green buildings, share of new building area (#9)", "%",
            "规划期（自 green_period_start 年，默认 2021 年起，至所查时刻的年份）内竣工的建筑中，获 GB/T 50378-2019 "
            "一至三星级的建筑面积 ÷ 该期间竣工的全部建筑面积 × 100；基本级不算星级。建筑面积 = 基底面积 × 层数；"
            "竣工年份与星级取建筑图层的 year_built 与 green_star（演示数据为合成）。区域内：基底形心在区域内的建筑。",
            "Floor area of the buildings completed in the programme period (from green_period_start, 2021, to the "
            "year of the time asked) that hold a GB/T 50378-2019 one- to three-star rating / floor area of all "
            "buildings completed in it x 100; the basic level (基本级) is no star rating. Floor area = footprint x "
            "floors; the completion year and stars are the building layer's year_built and green_star (synthetic in "
            "the demo). In an area: the buildings whose footprint centroid lies in it."},
           [this](std::int64_t t) { return greenBuildingShareKpi(t, nullptr); },
           [this](std::int64_t t, const Area& area) { return greenBuildingShareKpi(t, &area); },
           [this](std::int64_t t, const Scenario& s) {
             return inScenario(t, s, [&](const ScenarioOutcome& o, const std::string& note) {
               return scenarioGreenBuildingShare(o, static_cast<int>(host().settingInt("green_period_start")),
                                                 beijingYearOf(t), note);
             });
           });
    // The district balance, charted over time by the host's KPI trends: load, PV, net import (and #6 above).
    addKpi({"energy.district_load", "全区用电负荷", "District load", "MW",
            "各建筑当前负荷（load_kw，过期读数不计）之和。", "Sum of the buildings' current load (load_kw; stale readings "
            "left out)."},
           [this](std::int64_t t) { return balanceKpi(t, &DistrictBalance::loadKw); });
    addKpi({"energy.district_pv", "全区光伏出力", "District rooftop PV", "MW",
            "各建筑屋顶光伏当前出力（pv_kw）之和。", "Sum of the buildings' current rooftop PV output (pv_kw)."},
           [this](std::int64_t t) { return balanceKpi(t, &DistrictBalance::pvKw); });
    addKpi({"energy.net_import", "全区净购电", "District net import", "MW",
            "各建筑负荷减屋顶光伏之和（负值：净输出）。", "Sum over the buildings of load minus rooftop PV "
            "(negative: the district exports)."},
           [this](std::int64_t t) { return netImport(t); });
    addKpi({"energy.substations_overloaded", "过载变电站", "Substations overloaded", "",
            "负载率 ≥ 100% 的变电站数（过载告警持续到负载率回到 80% 以下）。",
            "Substations at >= 100 % loading (the overload alert lasts until loading is back below 80 %)."},
           [this](std::int64_t) { return substationCount(false); });
    addKpi({"energy.substations_n1", "不满足 N-1 的变电站", "Substations violating N-1", "",
            "负荷超过 (n-1)/n × 容量 × 事故过载系数 的变电站数（n：主变台数）。",
            "Substations whose load exceeds (n-1)/n x capacity x emergency factor (n: transformers)."},
           [this](std::int64_t) { return substationCount(true); });
  }

  void warnOnce(const std::string& cause, const std::string& message) {
    if (warned_.insert(cause).second) host().warn("energy: " + message);
  }

  // Update thread, each frame (through the source's poll).
  void derive() {
    const auto now = Clock::now();
    loadBuildings(now);
    loadSubstations(now);
    checkGridEntity(now);
    deriveChunk();
    checkSubstations();
  }

  // --- buildings ---

  void loadBuildings(Clock::time_point now) {
    if (!buildingWait_.due(now)) return;
    const std::string layer = host().settingString("building_layer");
    if (!host().hasFeatures()) {
      warnOnce("no-features", "this GreenTwin does not give plugins layer features: update it");
      return;
    }
    std::vector<Feature> features = host().features(layer);
    if (features.empty()) {
      if (buildingWait_.overdue(now)) {
        warnOnce("layer/" + layer, "building layer '" + layer + "' is missing or has no features; retrying");
      }
      return;
    }
    buildingWait_.markLoaded();
    std::size_t fromHeight = 0, defaulted = 0, noFootprint = 0, noYear = 0, noStars = 0;
    buildings_.clear();
    buildingHandles_.clear();
    buildingIndex_.clear();
    green_.clear();
    residentialFloorM2_ = 0;
    ++buildingsVersion_;
    const std::string useKey = host().settingString("use_attribute");
    const std::set<std::string> homes = parseList(host().settingString("residential_uses"));
    const std::string yearKey = host().settingString("completion_year_attribute");
    const std::string starKey = host().settingString("star_attribute");
    const int periodStart = static_cast<int>(host().settingInt("green_period_start"));
    for (const Feature& f : features) {
      std::vector<Polygon> polygons;
      for (const FeaturePolygon& fp : f.polygons) {
        Polygon p;
        for (const auto& ring : fp.rings) {
          Ring r;
          r.reserve(ring.size());
          for (const XY& v : ring) r.push_back({v.x, v.y});
          p.rings.push_back(std::move(r));
        }
        polygons.push_back(std::move(p));
      }
      const Floors floors = floorsOf(f.number("floors"), f.number("height_m"));
      fromHeight += floors.from == FloorsFrom::Height ? 1 : 0;
      defaulted += floors.from == FloorsFrom::Default ? 1 : 0;
      BuildingRecord b;
      b.id = f.id;
      b.roofAreaM2 = footprintArea(polygons);
      b.floorAreaM2 = b.roofAreaM2 * floors.count;
      b.installedKwp = std::max(f.number("roof_pv_kw").value_or(0.0), 0.0);
      buildingIndex_.emplace(f.id, buildings_.size());
      noFootprint += b.floorAreaM2 > 0 ? 0 : 1;
      if (const auto c = footprintCentroid(polygons)) {
        b.x = c->x;
        b.y = c->y;
      }
      const auto use = f.text(useKey);
      b.residential = use && homes.count(*use) != 0;
      if (b.residential) residentialFloorM2_ += b.floorAreaM2;
      // #9: the completion year (a whole number) and the stars (1-3; 0 none or basic; anything else unknown).
      GreenBuilding g;
      g.floorAreaM2 = b.floorAreaM2;
      const auto year = f.number(yearKey);
      if (year && *year >= 1000 && *year <= 3000) g.completedYear = static_cast<int>(std::lround(*year));
      noYear += g.completedYear == 0 ? 1 : 0;
      const auto stars = f.number(starKey);
      if (stars && *stars >= 0 && *stars <= 3) g.stars = static_cast<int>(std::lround(*stars));
      noStars += g.stars < 0 && g.completedYear >= periodStart ? 1 : 0;
      green_.push_back(g);
      buildings_.push_back(std::move(b));
      buildingHandles_.push_back(f.entity);
    }
    cursor_ = 0;
    host().info("energy: " + std::to_string(buildings_.size()) + " buildings in layer '" + layer + "'");
    if (fromHeight + defaulted > 0) {
      warnOnce("floors/" + layer, std::to_string(fromHeight + defaulted) + " buildings in '" + layer +
                                      "' have no usable `floors`: estimated from height_m / 3.2 m for " +
                                      std::to_string(fromHeight) + ", 1 floor assumed for " + std::to_string(defaulted));
    }
    if (noFootprint > 0) {
      warnOnce("footprint/" + layer, std::to_string(noFootprint) + " buildings in '" + layer +
                                         "' have no footprint polygon: no load intensity for them");
    }
    if (noYear > 0) {
      warnOnce("year/" + layer, std::to_string(noYear) + " buildings in '" + layer + "' have no usable `" + yearKey +
                                    "`: left out of #9 (green buildings' share of new building area)");
    }
    if (noStars > 0) {
      warnOnce("stars/" + layer, std::to_string(noStars) + " buildings completed since " +
                                     std::to_string(periodStart) + " in '" + layer + "' have no usable `" + starKey +
                                     "` (0-3): counted as not star-rated in #9");
    }
  }

  // One chunk of buildings, round robin: bulk-read load and PV, derive and push where a sample changed.
  void deriveChunk() {
    if (buildings_.empty()) return;
    const std::size_t n = buildings_.size();
    const auto chunk = static_cast<std::size_t>(std::clamp<std::int64_t>(host().settingInt("chunk_size"), 1,
                                                                         static_cast<std::int64_t>(n)));
    chunkIndex_.resize(chunk);
    chunkHandles_.resize(chunk);
    for (std::size_t k = 0; k < chunk; ++k) {
      chunkIndex_[k] = (cursor_ + k) % n;
      chunkHandles_[k] = buildingHandles_[chunkIndex_[k]];
    }
    cursor_ = (cursor_ + chunk) % n;
    if (!host().readValues("load_kw", chunkHandles_, loadValues_, loadTimes_) ||
        !host().readValues("pv_kw", chunkHandles_, pvValues_, pvTimes_)) {
      warnOnce("no-bulk-read", "this GreenTwin does not give plugins bulk reads: update it");
      return;
    }
    for (std::size_t k = 0; k < chunk; ++k) {
      BuildingRecord& b = buildings_[chunkIndex_[k]];
      const bool changed = loadTimes_[k] != b.loadUs || pvTimes_[k] != b.pvUs;
      if (!changed && !b.pending) continue;
      b.loadUs = loadTimes_[k];
      b.pvUs = pvTimes_[k];
      b.loadKw = loadValues_[k];
      b.pvKw = pvValues_[k];
      b.pending = false;
      balanceAtUs_ = -1;
      if (b.loadUs == 0) continue;  // no load sample (yet)
      if (!std::isfinite(b.loadKw)) {
        warnOnce("nan/load_kw", "building '" + b.id + "' (and maybe others) has a load_kw that is not a number");
        continue;
      }
      const std::int64_t t = std::max(b.loadUs, b.pvUs);
      // A push refused while the host registers a new attribute name (the first frames) is retried the next time
      // the round robin comes by.
      bool ok = true;
      if (const auto w = loadIntensityWm2(b.loadKw, b.floorAreaM2)) ok = host().push(b.id, "load_w_m2", t, *w) && ok;
      if (const auto s = pvSelfSupplyPct(b.pvKw, b.loadKw)) ok = host().push(b.id, "pv_share_pct", t, *s) && ok;
      b.pending = !ok;
    }
  }

  // The district balance over the buildings with fresh readings, computed once per clock time.
  const DistrictBalance& balance(std::int64_t nowUs) {
    if (balanceAtUs_ == nowUs) return balance_;
    balance_ = balanceOf(nowUs, nullptr);
    balanceAtUs_ = nowUs;
    return balance_;
  }

  // The balance over the buildings with fresh readings: all, or those whose indices are given.
  DistrictBalance balanceOf(std::int64_t nowUs, const std::vector<std::size_t>* subset) {
    const auto staleUs = static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6);
    powers_.clear();
    const auto add = [&](const BuildingRecord& b) {
      if (b.loadUs == 0 || nowUs - b.loadUs > staleUs) return;
      const bool pvFresh = b.pvUs != 0 && nowUs - b.pvUs <= staleUs;
      powers_.push_back({b.loadKw, pvFresh ? b.pvKw : 0.0});
    };
    if (subset == nullptr) {
      for (const BuildingRecord& b : buildings_) add(b);
    } else {
      for (const std::size_t i : *subset) add(buildings_[i]);
    }
    return districtBalance(powers_);
  }

  // --- substations ---

  void loadSubstations(Clock::time_point now) {
    if (!substationWait_.due(now) || !host().hasFeatures()) return;
    const std::string layer = host().settingString("substation_layer");
    const std::vector<Feature> features = host().features(layer);
    if (features.empty()) {
      if (substationWait_.overdue(now)) {
        warnOnce("layer/" + layer, "substation layer '" + layer + "' is missing or has no features; retrying");
      }
      return;
    }
    substationWait_.markLoaded();
    std::size_t withoutN1 = 0;
    for (const Feature& f : features) {
      SubstationRecord s;
      s.id = f.id;
      s.nameZh = f.text("name_zh").value_or(f.id);
      s.nameEn = f.text("name_en").value_or(f.id);
      s.capacityMva = f.number("capacity_mva").value_or(kNaN);
      const double n = f.number("transformers").value_or(0.0);
      s.transformers = n >= 1.0 && n <= 100.0 ? static_cast<int>(std::lround(n)) : 0;
      if (s.transformers == 0 || !(s.capacityMva > 0)) ++withoutN1;
      substations_.push_back(std::move(s));
      substationHandles_.push_back(f.entity);
    }
    host().info("energy: " + std::to_string(substations_.size()) + " substations in layer '" + layer + "'");
    if (withoutN1 > 0) {
      warnOnce("n1-input/" + layer, std::to_string(withoutN1) + " substations in '" + layer +
                                        "' lack a usable `transformers` or `capacity_mva`: no N-1 check for them");
    }
  }

  // Every substation (a few dozen): its loading class and N-1 state; alerts raised and cleared on changes.
  void checkSubstations() {
    if (substations_.empty()) return;
    if (!host().readValues("loading_pct", substationHandles_, loadingValues_, loadingTimes_)) return;
    const double emergency = host().settingDouble("n1_emergency_factor");
    for (std::size_t i = 0; i < substations_.size(); ++i) {
      SubstationRecord& s = substations_[i];
      const std::int64_t t = loadingTimes_[i];
      if (t == 0 || t == s.lastUs) continue;
      s.lastUs = t;
      s.loadingPct = loadingValues_[i];
      const auto c = loadingClass(s.loadingPct);
      if (!c) {
        warnOnce("nan/loading_pct", "substation '" + s.id + "' (and maybe others) has a loading_pct that is not a number");
        continue;
      }
      switch (s.overload.update(*c)) {
        case OverloadLatch::Change::Raised:
          host().raiseAlert({"overload/" + s.id, AlertSeverity::Critical, s.id,
                             s.nameZh + " 过载：负载率 " + fixed1(s.loadingPct) + "%（≥ 100%）",
                             s.nameEn + " overloaded: loading " + fixed1(s.loadingPct) + " % (>= 100 %)", t});
          break;
        case OverloadLatch::Change::Cleared: host().clearAlert("overload/" + s.id, t); break;
        case OverloadLatch::Change::None: break;
      }
      const auto n1 = checkN1(s.loadingPct, s.capacityMva, s.transformers, emergency);
      const bool violated = n1 && n1->violated;
      if (violated && !s.n1Active) {
        const std::string remaining = std::to_string(s.transformers - 1);
        host().raiseAlert({"n1/" + s.id, AlertSeverity::Warning, s.id,
                           s.nameZh + " 不满足 N-1：负荷 " + fixed1(n1->loadMva) + " MVA 超过 " + remaining +
                               " 台主变可承担的 " + fixed1(n1->firmCapacityMva) + " MVA",
                           s.nameEn + " violates N-1: load " + fixed1(n1->loadMva) + " MVA exceeds the " +
                               fixed1(n1->firmCapacityMva) + " MVA its other " + remaining + " transformer(s) carry",
                           t});
      } else if (!violated && s.n1Active) {
        host().clearAlert("n1/" + s.id, t);
      }
      s.n1Active = violated;
    }
  }

  void clearSubstationAlerts() {
    const std::int64_t t = host().now();
    for (const SubstationRecord& s : substations_) {
      if (s.overload.active()) host().clearAlert("overload/" + s.id, t);
      if (s.n1Active) host().clearAlert("n1/" + s.id, t);
    }
  }

  KpiValue substationCount(bool n1) const {
    if (substations_.empty()) return KpiValue::noData();
    int count = 0;
    for (const SubstationRecord& s : substations_) count += (n1 ? s.n1Active : s.overload.active()) ? 1 : 0;
    return KpiValue{static_cast<double>(count), count == 0 ? GT_KPI_OK : n1 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  // --- grid entity and KPIs ---

  // The grid entity is looked up among its layer's entities (the id's first segment) until found.
  void checkGridEntity(Clock::time_point now) {
    if (!gridWait_.due(now)) return;
    const std::string id = host().settingString("grid_entity");
    const std::string layer = id.substr(0, id.find('/'));
    for (const EntityInfo& e : host().entities("", layer)) {
      if (e.id == id) {
        gridWait_.markLoaded();
        return;
      }
    }
    if (gridWait_.overdue(now)) {
      warnOnce("grid/" + id, "grid entity '" + id + "' is unknown: KPIs #5 and #7 use the buildings / have no data");
    }
  }

  // A fresh, finite reading of the grid entity.
  std::optional<double> gridReading(const char* attribute, std::int64_t nowUs) const {
    const auto r = host().read(host().settingString("grid_entity"), attribute);
    const auto staleUs = static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6);
    if (!r || !std::isfinite(r->value) || r->sampleTimeUs == 0 || nowUs - r->sampleTimeUs > staleUs) {
      return std::nullopt;
    }
    return r->value;
  }

  // No targets are set for these KPIs (the programme's are not among our inputs): a value is OK.
  static KpiValue ok(std::optional<double> v) { return v ? KpiValue{*v, GT_KPI_OK} : KpiValue::noData(); }

  KpiValue co2PerPerson(std::int64_t nowUs) {
    std::optional<double> importMw = gridReading("import_mw", nowUs);
    if (!importMw) {
      const DistrictBalance& b = balance(nowUs);
      if (b.buildings > 0) importMw = b.netImportKw / 1000.0;
    }
    if (!importMw) return KpiValue::noData();
    return ok(co2TonnesPerPersonYear(*importMw, host().settingDouble("emission_factor_t_per_mwh"),
                                     host().settingDouble("population")));
  }

  KpiValue renewableShare(std::int64_t nowUs) { return ok(balance(nowUs).renewableSharePct); }

  // ---- over an area (update thread): the buildings whose footprint centroid lies in it ----

  // The buildings in the area, computed once per area (the host asks #5, #6 and #9 of an area in a row).
  const std::vector<std::size_t>& buildingsIn(const Area& area) {
    if (areaValid_ && areaVersion_ == buildingsVersion_ && sameArea(area_, area)) return inArea_;
    double minX = std::numeric_limits<double>::infinity(), minY = minX, maxX = -minX, maxY = -minX;
    for (const FeaturePolygon& p : area.polygons) {
      for (const auto& ring : p.rings) {
        for (const XY& v : ring) {
          minX = std::min(minX, v.x);
          minY = std::min(minY, v.y);
          maxX = std::max(maxX, v.x);
          maxY = std::max(maxY, v.y);
        }
      }
    }
    inArea_.clear();
    for (std::size_t i = 0; i < buildings_.size(); ++i) {
      const BuildingRecord& b = buildings_[i];
      if (!(b.x >= minX && b.x <= maxX && b.y >= minY && b.y <= maxY)) continue;  // NaN fails too
      if (area.contains(XY{b.x, b.y})) inArea_.push_back(i);
    }
    area_ = area;
    areaVersion_ = buildingsVersion_;
    areaValid_ = true;
    return inArea_;
  }

  // nullopt when the buildings are there; else why there is no value for an area.
  std::optional<std::string> noBuildings() const {
    if (buildings_.empty()) return std::string("the building layer has not been read yet");
    return std::nullopt;
  }

  KpiValue renewableShareIn(std::int64_t nowUs, const Area& area) {
    if (const auto why = noBuildings()) return KpiValue::noData(*why);
    const std::vector<std::size_t>& inside = buildingsIn(area);
    if (inside.empty()) return KpiValue::noData("no building in the area");
    const DistrictBalance b = balanceOf(nowUs, &inside);
    if (b.buildings == 0) return KpiValue::noData("no building in the area has a live load reading");
    if (!b.renewableSharePct) return KpiValue::noData("the buildings in the area draw no load");
    return KpiValue{*b.renewableSharePct, GT_KPI_OK,
                    std::to_string(b.buildings) + " of the " + std::to_string(inside.size()) +
                        " buildings in the area (by footprint centroid) with live readings"};
  }

  KpiValue co2PerPersonIn(std::int64_t nowUs, const Area& area) {
    if (const auto why = noBuildings()) return KpiValue::noData(*why);
    const std::vector<std::size_t>& inside = buildingsIn(area);
    if (inside.empty()) return KpiValue::noData("no building in the area");
    double homesM2 = 0;
    for (const std::size_t i : inside) homesM2 += buildings_[i].residential ? buildings_[i].floorAreaM2 : 0.0;
    const double districtPopulation = host().settingDouble("population");
    const auto people = areaPopulation(districtPopulation, homesM2, residentialFloorM2_);
    if (!people) return KpiValue::noData("no residential floor area in the area: no population to divide by");
    const DistrictBalance b = balanceOf(nowUs, &inside);
    if (b.buildings == 0) return KpiValue::noData("no building in the area has a live load reading");
    const auto v = co2TonnesPerPersonYear(b.netImportKw / 1000.0, host().settingDouble("emission_factor_t_per_mwh"),
                                          *people);
    if (!v) return KpiValue::noData("the emission factor or the population is not usable");
    return KpiValue{*v, GT_KPI_OK,
                    "net import of " + std::to_string(b.buildings) + " buildings in the area; population " +
                        fixed0(*people) + " = " + fixed0(districtPopulation) + " x " +
                        fixed1(100.0 * homesM2 / residentialFloorM2_) + " % of the residential floor area"};
  }

  // #9 over every building or over those in an area, for the completion years up to the year of timeUs.
  KpiValue greenBuildingShareKpi(std::int64_t timeUs, const Area* area) {
    if (const auto why = noBuildings()) return KpiValue::noData(*why);
    const int first = static_cast<int>(host().settingInt("green_period_start"));
    const int last = beijingYearOf(timeUs);
    if (last < first) return KpiValue::noData("the period of new buildings begins in " + std::to_string(first));
    const GreenBuildingShare g =
        area == nullptr ? greenBuildingShare(green_, first, last) : greenBuildingShare(green_, buildingsIn(*area), first, last);
    const auto share = g.sharePct();
    const std::string period = std::to_string(first) + "-" + std::to_string(last);
    if (!share) {
      return KpiValue::noData("no building completed in " + period + (area != nullptr ? " in the area" : ""));
    }
    return KpiValue{*share, GT_KPI_OK,
                    std::to_string(g.rated) + " of " + std::to_string(g.buildings) + " buildings completed in " +
                        period + " star-rated" + (area != nullptr ? " (in the area, by footprint centroid)" : "")};
  }

  // ---- in a what-if scenario (update thread): the edits applied to a copy of the buildings (scenario_edits.hpp) ----
  template <class Kpi>
  KpiValue inScenario(std::int64_t nowUs, const Scenario& s, Kpi&& kpi) {
    if (const auto why = noBuildings()) return KpiValue::noData(*why);
    const auto staleUs = static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6);
    scenarioBuildings_.resize(buildings_.size());
    for (std::size_t i = 0; i < buildings_.size(); ++i) {
      const BuildingRecord& b = buildings_[i];
      ScenarioBuilding& c = scenarioBuildings_[i];
      c = {b.floorAreaM2, b.roofAreaM2, b.loadUs != 0 && nowUs - b.loadUs <= staleUs && std::isfinite(b.loadKw),
           b.loadKw, 0.0, b.pvUs != 0 && nowUs - b.pvUs <= staleUs, b.installedKwp, b.residential};
      c.pvKw = c.pvLive ? b.pvKw : 0.0;
    }
    const ResolvedEdits edits = resolveEdits(s, buildingIndex_, parseList(host().settingString("residential_uses")));
    const ScenarioOutcome o = applyEdits(scenarioBuildings_, green_, edits.edits, beijingYearOf(nowUs));
    return kpi(o, scenarioNote(o, edits));
  }

  KpiValue greenImportShare(std::int64_t nowUs) const { return ok(gridReading("green_share_pct", nowUs)); }

  KpiValue netImport(std::int64_t nowUs) { return balanceKpi(nowUs, &DistrictBalance::netImportKw); }

  // One term of the district balance in MW (no data before any building has a fresh reading).
  KpiValue balanceKpi(std::int64_t nowUs, double DistrictBalance::*kw) {
    const DistrictBalance& b = balance(nowUs);
    return b.buildings > 0 ? KpiValue{b.*kw / 1000.0, GT_KPI_OK} : KpiValue::noData();
  }

  std::set<std::string> warned_;
  // Buildings: records and their entity handles (same order), the round-robin cursor, reused read buffers.
  std::vector<BuildingRecord> buildings_;
  std::vector<std::uint32_t> buildingHandles_;
  std::unordered_map<std::string, std::size_t> buildingIndex_;  // entity id -> index (scenario edits)
  std::vector<ScenarioBuilding> scenarioBuildings_;  // reused by inScenario
  std::size_t cursor_ = 0;
  std::vector<std::size_t> chunkIndex_;
  std::vector<std::uint32_t> chunkHandles_;
  std::vector<double> loadValues_, pvValues_;
  std::vector<std::int64_t> loadTimes_, pvTimes_;
  LayerWait buildingWait_;
  // Substations.
  std::vector<SubstationRecord> substations_;
  std::vector<std::uint32_t> substationHandles_;
  std::vector<double> loadingValues_;
  std::vector<std::int64_t> loadingTimes_;
  LayerWait substationWait_;
  LayerWait gridWait_;
  // #9 inputs parallel to buildings_, the homes' floor area (#5 over an area), and the last area's buildings.
  std::vector<GreenBuilding> green_;
  double residentialFloorM2_ = 0;
  std::uint64_t buildingsVersion_ = 0;  // bumped whenever the buildings are read again
  Area area_;
  std::uint64_t areaVersion_ = 0;
  bool areaValid_ = false;
  std::vector<std::size_t> inArea_;
  // The district balance, memoised per clock time (-1: recompute).
  std::vector<BuildingPower> powers_;
  DistrictBalance balance_;
  std::int64_t balanceAtUs_ = -1;
};

}  // namespace
}  // namespace greentwin::energy

GREENTWIN_PLUGIN(greentwin::energy::EnergyPlugin)
