// The water plugin: built with the GreenTwin SDK only, exactly as an out-of-tree plugin would be. docs/water.md says
// what it computes, after which standards, and what is synthetic in the demo.
//
// Contributions:
//  - classifiers "water.leakage_class" (leakage_rate_pct, %) and "water.quality_class" (water_class 1..6, GB 3838
//    Ⅰ..Ⅴ and 劣Ⅴ), zh/en class names and colours (classes.hpp);
//  - a polled source type "water.derive": each frame it reads every district metered area's (DMA's) volumes of the
//    last 24 h and night flows and, when a new sample arrived, pushes its `leakage_rate_pct` (CJJ 92's comprehensive
//    loss rate) and `night_leakage_m3_h`; it reads every river section's six GB 3838 parameters and pushes its
//    `water_class` (single-factor, 1..6), raising the alert "class/<section>" while a section is worse than the
//    target class (IV) and clearing it when it is back;
//  - KPIs "water.leakage_rate" (#13), "water.leakage_rate_corrected" (CJJ 92's corrected rate), "water.night_leakage"
//    and "water.river_class" (#16), each also over an area of the map (the DMAs whose centroid, the sections whose
//    point lies inside);
//  - settings: the two layers, staleness, the target class, and the inputs of CJJ 92's corrections.
//
// The KPIs read the values themselves (a few dozen reads), so they hold without the source running. Bad input (a
// missing layer, a NaN or negative reading, a DMA without a polygon) gives one warning per cause; the plugin runs on.
//
// Threads: every callback runs on the host's update thread (the SDK's contract); nothing here starts a thread.
#include <greentwin/plugin.hpp>
#include <greentwin/plugin_layer_wait.hpp>

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
#include <vector>

#include "classes.hpp"
#include "gb3838.hpp"
#include "geometry.hpp"
#include "leakage.hpp"

namespace greentwin::water {
namespace {

using namespace greentwin::plugin;
using Clock = std::chrono::steady_clock;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDaysPerYear = 365.0;

// The DMA feed's attributes (docs/simulator.md "Water"): volumes of the last 24 h (m3) and night flows (m3/h).
constexpr const char* kInflow = "inflow_24h_m3";
constexpr const char* kBilled = "billed_24h_m3";
constexpr const char* kUnbilled = "unbilled_24h_m3";
constexpr const char* kNightFlow = "night_flow_m3_h";
constexpr const char* kNightUse = "night_use_m3_h";

std::string fixed(double v, int decimals) {
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, v);
  return text;
}

struct Dma {
  std::string id, nameZh, nameEn;
  std::optional<Point> centroid;
  double mainsKm = kNaN;
  std::int64_t lastUs = 0;  // the inflow sample last derived from
  bool pending = false;     // a derived push still to do (refused while the host registers the name)
};

struct Section {
  std::string id, nameZh, nameEn;
  Point at;
  std::int64_t lastUs = 0;
  bool pending = false;
  bool alerted = false;
};

// LayerWait: the wait for a layer's features, the SDK's (greentwin/plugin_layer_wait.hpp).

// One DMA's readings at a time: its balance over the last 24 h, or why it is left out.
struct DmaReading {
  WaterBalance balance;
  double nightFlow = kNaN, nightUse = kNaN;
  std::int64_t timeUs = 0;  // the inflow sample's time (0: none)
  bool fresh = false;
};

class WaterPlugin : public Plugin {
 public:
  explicit WaterPlugin(Host api) : Plugin(api, "water", "Water (network leakage, river quality)", "0.1.0") {
    addSettings();
    for (const ClassTable& t : classTables()) {
      std::vector<ClassInfo> classes;
      for (const ClassDef& c : t.classes) classes.push_back({{c.rgb[0], c.rgb[1], c.rgb[2], 255}, c.nameZh, c.nameEn});
      addClassifier({t.id, t.nameZh, t.nameEn, t.unit, classes, t.upperBounds, {}});
    }
    addSourceType({"water.derive", "供水与河流水质派生指标", "Water metrics", /*polled=*/true},
                  [this](const std::string& /*sourceId*/, const Options& options) -> std::unique_ptr<Source> {
                    if (!options.all().empty()) {
                      throw InvalidArgument("water.derive takes no options (got '" + options.all().begin()->first +
                                            "'); settings go in [plugins.water]");
                    }
                    return std::make_unique<DeriveSource>(*this);
                  });
    addKpis();
  }

  void onSettingChanged(const std::string& key) override {
    if (key == "dma_layer") {
      dmas_.clear();
      dmaWait_.reset();
    } else if (key == "section_layer") {
      clearSectionAlerts();
      sections_.clear();
      sectionWait_.reset();
    } else if (key == "target_class") {
      for (Section& s : sections_) s.lastUs = 0;  // assess every section again
    }
  }

 private:
  class DeriveSource : public Source {
   public:
    explicit DeriveSource(WaterPlugin& plugin) : plugin_(plugin) {}
    void start() override { plugin_.host().info("water: DMA leakage and river section classes started"); }
    void poll(std::int64_t clockNowUs) override { plugin_.derive(clockNowUs); }

   private:
    WaterPlugin& plugin_;
  };

  void addSettings() {
    addSetting({"dma_layer", SettingType::String, "water-dmas", 1.0, 0.0, {}, "计量分区图层", "DMA layer",
                "其要素为供水计量分区（面，有 mains_km）的图层 id",
                "Id of the layer whose features are the district metered areas (polygons with mains_km)"});
    addSetting({"section_layer", SettingType::String, "river-sections", 1.0, 0.0, {}, "河流断面图层",
                "River section layer", "其要素为河流监测断面（点）的图层 id",
                "Id of the layer whose features are the rivers' monitoring sections (points)"});
    addSetting({"stale_after_s", SettingType::Double, "3600", 1.0, 7.0 * 86400.0, {}, "读数过期（秒）",
                "Stale after (s)", "早于此时长的读数不参与指标", "Older readings are left out of the KPIs"});
    addSetting({"target_class", SettingType::Int, "4", 1.0, 5.0, {}, "目标水质类别", "Target water class",
                "断面劣于此类别时告警（规划目标：Ⅳ类）", "A section worse than this class raises an alert (the "
                "programme's target: IV)"});
    addSetting({"residential_share", SettingType::Double, "0.45", 0.0, 1.0, {}, "居民抄表到户水量占比",
                "Residential metered share", "CJJ 92 修正值 R1 的 r：居民抄表到户水量占供水总量的比例（演示：假设）",
                "r of CJJ 92's correction R1: residential consumption metered per household over the supply "
                "(demo: an assumption)"});
    addSetting({"outlet_pressure_mpa", SettingType::Double, "0.28", 0.0, 2.0, {}, "年平均出厂压力（MPa）",
                "Mean outlet pressure (MPa)", "CJJ 92 修正值 R3 的输入", "Input of CJJ 92's correction R3"});
    addSetting({"frost_depth_m", SettingType::Double, "0.8", 0.0, 5.0, {}, "最大冻土深度（m）", "Greatest frost depth (m)",
                "CJJ 92 修正值 R4 的输入（北京约 0.8 m）", "Input of CJJ 92's correction R4 (Beijing: about 0.8 m)"});
  }

  void addKpis() {
    addKpi({"water.leakage_rate", "公共供水管网漏损率（指标13）", "Water-supply network leakage rate (#13)", "%",
            "CJJ 92-2016 综合漏损率：(供水总量 − 计费用水量 − 免费用水量) ÷ 供水总量 × 100，各计量分区最近 24 小时"
            "的进水与抄表水量求和后计算（不是各分区比率的平均）。",
            "CJJ 92-2016 comprehensive loss rate: (system input - billed authorised - unbilled authorised) / system "
            "input x 100, over the last 24 h, the DMAs' inflow and metered volumes summed before dividing (not a mean "
            "of the DMAs' rates)."},
           [this](std::int64_t t) { return leakageKpi(t, nullptr, false); },
           [this](std::int64_t t, const Area& area) { return leakageKpi(t, &area, false); });
    addKpi({"water.leakage_rate_corrected", "管网漏损率（CJJ 92 修正后）", "Leakage rate, CJJ 92 corrected", "%",
            "综合漏损率减去 CJJ 92 修正值 R1（居民抄表到户）、R2（单位供水量管长）、R3（出厂压力）、R4（冻土深度）；"
            "管长为计量分区的 mains_km 之和，供水量按 24 小时折算全年。修正公式为本项目按标准复原，未与原文核对。",
            "The comprehensive loss rate less CJJ 92's corrections R1 (household metering), R2 (mains length per "
            "supply), R3 (outlet pressure) and R4 (frost depth); mains length is the DMAs' mains_km, the supply the "
            "24 h volume annualised. The correction formulas are our reconstruction, not checked against the text."},
           [this](std::int64_t t) { return leakageKpi(t, nullptr, true); },
           [this](std::int64_t t, const Area& area) { return leakageKpi(t, &area, true); });
    addKpi({"water.night_leakage", "夜间最小流量漏失", "Night-flow leakage", "m3/h",
            "各计量分区最近一夜的最小夜间流量减去同时段抄表用水量之和（最小夜间流量法）。",
            "Sum over the DMAs of last night's minimum night flow less the metered use in the same hour (minimum "
            "night flow method)."},
           [this](std::int64_t t) { return nightLeakageKpi(t, nullptr); },
           [this](std::int64_t t, const Area& area) { return nightLeakageKpi(t, &area); });
    addKpi({"water.river_class", "主要河流水质（指标16）", "Main rivers' water quality (#16)", "class",
            "GB 3838-2002 单因子评价：每个监测断面取溶解氧、高锰酸盐指数、化学需氧量、五日生化需氧量、氨氮、总磷中"
            "最差的类别；指标值为各断面中最差的类别（Ⅰ=1 … Ⅴ=5，劣Ⅴ=6）。",
            "GB 3838-2002 single-factor assessment: each monitoring section takes the worst class of DO, COD_Mn, COD, "
            "BOD5, NH3-N and TP; the value is the worst section's class (I = 1 ... V = 5, worse than V = 6)."},
           [this](std::int64_t t) { return riverClassKpi(t, nullptr); },
           [this](std::int64_t t, const Area& area) { return riverClassKpi(t, &area); });
  }

  void warnOnce(const std::string& cause, const std::string& message) {
    if (warned_.insert(cause).second) host().warn("water: " + message);
  }

  // --- layers ---

  static std::vector<PolygonRings> ringsOf(const Feature& f) {
    std::vector<PolygonRings> out;
    for (const FeaturePolygon& fp : f.polygons) {
      PolygonRings p;
      for (const auto& ring : fp.rings) {
        Ring r;
        for (const XY& v : ring) r.push_back({v.x, v.y});
        p.push_back(std::move(r));
      }
      out.push_back(std::move(p));
    }
    return out;
  }

  std::vector<Feature> layerFeatures(const std::string& settingKey, LayerWait& wait, const char* what) {
    const auto now = Clock::now();
    if (!wait.due(now)) return {};
    if (!host().hasFeatures()) {
      warnOnce("no-features", "this GreenTwin does not give plugins layer features: update it");
      return {};
    }
    const std::string layer = host().settingString(settingKey);
    std::vector<Feature> features = host().features(layer);
    if (features.empty()) {
      if (wait.overdue(now)) {
        warnOnce("layer/" + layer, std::string(what) + " layer '" + layer + "' is missing or has no features; retrying");
      }
      return {};
    }
    wait.markLoaded();
    return features;
  }

  // Update thread. Loads the layers once they are there (called by the source and the KPIs).
  void loadLayers() {
    for (const Feature& f : layerFeatures("dma_layer", dmaWait_, "DMA")) {
      Dma d;
      d.id = f.id;
      d.nameZh = f.text("name_zh").value_or(f.id);
      d.nameEn = f.text("name_en").value_or(f.id);
      d.centroid = centroid(ringsOf(f));
      d.mainsKm = f.number("mains_km").value_or(kNaN);
      if (!d.centroid) warnOnce("no-polygon/" + f.id, "DMA '" + f.id + "' has no polygon: it counts for no area");
      if (!std::isfinite(d.mainsKm)) {
        warnOnce("mains_km", "DMA '" + f.id + "' (and maybe others) has no usable mains_km: no corrected leakage rate");
      }
      dmas_.push_back(std::move(d));
    }
    for (const Feature& f : layerFeatures("section_layer", sectionWait_, "river section")) {
      if (f.points.empty()) {
        warnOnce("no-point/" + f.id, "river section '" + f.id + "' has no point: left out");
        continue;
      }
      sections_.push_back({f.id, f.text("name_zh").value_or(f.id), f.text("name_en").value_or(f.id),
                           Point{f.points.front().x, f.points.front().y}});
    }
  }

  bool insideArea(const Area* area, const std::optional<Point>& p) const {
    return area == nullptr || (p && area->contains(XY{p->x, p->y}));
  }

  std::int64_t staleUs() const { return static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6); }

  // A reading of one attribute; NaN when absent.
  double value(const std::string& id, const char* attribute, std::int64_t* timeUs = nullptr) const {
    const auto r = host().read(id, attribute);
    if (timeUs != nullptr) *timeUs = r ? r->sampleTimeUs : 0;
    return r ? r->value : kNaN;
  }

  DmaReading readDma(const Dma& d, std::int64_t nowUs) const {
    DmaReading r;
    r.balance.suppliedM3 = value(d.id, kInflow, &r.timeUs);
    r.balance.billedM3 = value(d.id, kBilled);
    r.balance.unbilledM3 = value(d.id, kUnbilled);
    if (std::isnan(r.balance.unbilledM3)) r.balance.unbilledM3 = 0;  // a feed without it: nothing unbilled
    r.nightFlow = value(d.id, kNightFlow);
    r.nightUse = value(d.id, kNightUse);
    r.fresh = r.timeUs != 0 && nowUs - r.timeUs <= staleUs();
    return r;
  }

  // Warns (once per cause) when a DMA's balance is refused; true when it is usable.
  bool checkBalance(const Dma& d, const DmaReading& r) {
    const Rate rate = comprehensiveLossRate(r.balance);
    if (!rate.problem.empty()) {
      warnOnce("balance/" + rate.problem, "DMA '" + d.id + "' (and maybe others): " + rate.problem + "; left out");
      return false;
    }
    return true;
  }

  // --- the source: derived values and alerts ---

  void derive(std::int64_t nowUs) {
    loadLayers();
    for (Dma& d : dmas_) deriveDma(d, nowUs);
    const int target = static_cast<int>(host().settingInt("target_class"));
    for (Section& s : sections_) deriveSection(s, target);
  }

  void deriveDma(Dma& d, std::int64_t nowUs) {
    const DmaReading r = readDma(d, nowUs);
    if (r.timeUs == 0 || (r.timeUs == d.lastUs && !d.pending)) return;
    d.lastUs = r.timeUs;
    d.pending = false;
    bool ok = true;
    if (checkBalance(d, r)) {
      if (const auto pct = comprehensiveLossRate(r.balance).pct) ok = host().push(d.id, "leakage_rate_pct", r.timeUs, *pct);
    }
    if (const auto night = nightLeakageM3h(r.nightFlow, r.nightUse)) {
      ok = host().push(d.id, "night_leakage_m3_h", r.timeUs, *night) && ok;
    } else if (!std::isnan(r.nightFlow) || !std::isnan(r.nightUse)) {
      warnOnce("night/" + d.id, "DMA '" + d.id + "' has a night flow or night use that is negative or not a number");
    }
    d.pending = !ok;  // retried on the next frame
  }

  SectionReading readSection(const Section& s, std::int64_t* newestUs) const {
    SectionReading r;
    *newestUs = 0;
    for (const ParameterInfo& p : parameters()) {
      std::int64_t t = 0;
      r.values[static_cast<std::size_t>(p.parameter)] = value(s.id, p.attribute, &t);
      *newestUs = std::max(*newestUs, t);
    }
    return r;
  }

  // The class of a section's readings, warning once per bad parameter; nullopt when no parameter was usable.
  std::optional<SectionClass> classify(const Section& s, const SectionReading& r) {
    SectionClass c = classifySection(r);
    for (Parameter p : c.bad) {
      const ParameterInfo& info = parameterInfo(p);
      if (!std::isnan(r.values[static_cast<std::size_t>(p)])) {
        warnOnce(std::string("bad/") + info.attribute,
                 "section '" + s.id + "' (and maybe others) has a " + info.attribute + " that is negative or not a number");
      } else {
        warnOnce(std::string("missing/") + info.attribute + "/" + s.id,
                 "section '" + s.id + "' has no " + info.attribute + ": classed by its other parameters");
      }
    }
    if (c.assessed == 0) return std::nullopt;
    return c;
  }

  void deriveSection(Section& s, int target) {
    std::int64_t t = 0;
    const SectionReading r = readSection(s, &t);
    if (t == 0 || (t == s.lastUs && !s.pending)) return;
    s.lastUs = t;
    const auto c = classify(s, r);
    if (!c) return;
    s.pending = !host().push(s.id, "water_class", t, c->waterClass);
    const bool worse = c->waterClass > target;
    if (worse) {
      const ParameterInfo& p = parameterInfo(*c->determining);
      const double v = r.values[static_cast<std::size_t>(p.parameter)];
      // Re-raised on each new sample: the same content changes nothing, a worse class updates the alert.
      host().raiseAlert({"class/" + s.id, c->waterClass == kWorseThanV ? AlertSeverity::Critical : AlertSeverity::Warning,
                         s.id,
                         s.nameZh + " 水质" + classNameZh(c->waterClass) + "，劣于" + classNameZh(target) + "（" +
                             p.nameZh + " " + fixed(v, 2) + " mg/L）",
                         s.nameEn + " water class " + classNameEn(c->waterClass) + ", worse than " +
                             classNameEn(target) + " (" + p.nameEn + " " + fixed(v, 2) + " mg/L)",
                         t});
    } else if (s.alerted) {
      host().clearAlert("class/" + s.id, t);
    }
    s.alerted = worse;
  }

  void clearSectionAlerts() {
    const std::int64_t t = host().now();
    for (const Section& s : sections_) {
      if (s.alerted) host().clearAlert("class/" + s.id, t);
    }
  }

  // --- KPIs ---

  // "5 DMAs" (all of them, the whole twin), else "2 of 5 DMAs": how many of the layer's the value covers.
  static std::string scope(int counted, std::size_t total, const char* what, const Area* area) {
    const bool all = area == nullptr && static_cast<std::size_t>(counted) == total;
    return std::to_string(counted) + (all ? std::string() : " of " + std::to_string(total)) + " " + what;
  }

  KpiValue leakageKpi(std::int64_t nowUs, const Area* area, bool corrected) {
    loadLayers();
    if (dmas_.empty()) return KpiValue::noData("no DMA layer loaded");
    std::vector<WaterBalance> balances;
    double mainsKm = 0;
    std::size_t inArea = 0;
    for (const Dma& d : dmas_) {
      if (!insideArea(area, d.centroid)) continue;
      ++inArea;
      const DmaReading r = readDma(d, nowUs);
      if (!r.fresh || !checkBalance(d, r)) continue;
      balances.push_back(r.balance);
      mainsKm += d.mainsKm;
    }
    if (inArea == 0) return KpiValue::noData("no DMA in " + area->id);
    if (balances.empty()) return KpiValue::noData("no DMA with readings of the last 24 h");
    const BalanceSum sum = sumBalances(balances);
    const Rate rate = comprehensiveLossRate(sum.total);
    if (!rate.pct) return KpiValue::noData(rate.problem.empty() ? "no water supplied" : rate.problem);
    double pct = *rate.pct;
    std::string note = scope(sum.areas, dmas_.size(), "DMAs", area) + ", last 24 h";
    if (corrected) {
      const auto c = cjj92Corrections({host().settingDouble("residential_share"), mainsKm,
                                       sum.total.suppliedM3 * kDaysPerYear, host().settingDouble("outlet_pressure_mpa"),
                                       host().settingDouble("frost_depth_m")});
      if (!c) return KpiValue::noData("no mains length for CJJ 92's corrections");
      pct -= c->total();
      note += ", R1..R4 = " + fixed(c->r1, 1) + "/" + fixed(c->r2, 1) + "/" + fixed(c->r3, 1) + "/" + fixed(c->r4, 1);
    }
    const std::int32_t status = pct <= 8.0 ? GT_KPI_OK : pct <= kGrade2Pct ? GT_KPI_WARNING : GT_KPI_ALERT;
    return KpiValue{pct, status, note};
  }

  KpiValue nightLeakageKpi(std::int64_t nowUs, const Area* area) {
    loadLayers();
    if (dmas_.empty()) return KpiValue::noData("no DMA layer loaded");
    double total = 0;
    int counted = 0;
    std::size_t inArea = 0;
    for (const Dma& d : dmas_) {
      if (!insideArea(area, d.centroid)) continue;
      ++inArea;
      const DmaReading r = readDma(d, nowUs);
      const auto night = nightLeakageM3h(r.nightFlow, r.nightUse);
      if (!r.fresh || !night) continue;
      total += *night;
      ++counted;
    }
    if (inArea == 0) return KpiValue::noData("no DMA in " + area->id);
    if (counted == 0) return KpiValue::noData("no DMA with a night flow");
    return KpiValue{total, GT_KPI_OK, scope(counted, dmas_.size(), "DMAs", area)};
  }

  KpiValue riverClassKpi(std::int64_t nowUs, const Area* area) {
    loadLayers();
    if (sections_.empty()) return KpiValue::noData("no river section layer loaded");
    int worst = 0, counted = 0;
    std::size_t inArea = 0;
    const Section* worstSection = nullptr;
    std::optional<Parameter> worstParameter;
    for (const Section& s : sections_) {
      if (!insideArea(area, s.at)) continue;
      ++inArea;
      std::int64_t t = 0;
      const SectionReading r = readSection(s, &t);
      if (t == 0 || nowUs - t > staleUs()) continue;
      const auto c = classify(s, r);
      if (!c) continue;
      ++counted;
      if (c->waterClass > worst) worst = c->waterClass, worstSection = &s, worstParameter = c->determining;
    }
    if (inArea == 0) return KpiValue::noData("no river section in " + area->id);
    if (counted == 0) return KpiValue::noData("no section with fresh readings");
    const int target = static_cast<int>(host().settingInt("target_class"));
    std::string note = scope(counted, sections_.size(), "sections", area) + "; worst " + worstSection->nameEn;
    if (worstParameter) note += std::string(" (") + parameterInfo(*worstParameter).nameEn + ")";
    return KpiValue{static_cast<double>(worst), worst <= target ? GT_KPI_OK : GT_KPI_ALERT, note};
  }

  std::set<std::string> warned_;
  std::vector<Dma> dmas_;
  std::vector<Section> sections_;
  LayerWait dmaWait_, sectionWait_;
};

}  // namespace
}  // namespace greentwin::water

GREENTWIN_PLUGIN(greentwin::water::WaterPlugin)
