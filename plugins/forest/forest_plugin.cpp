// The forest plugin: built with the GreenTwin SDK only, exactly as an out-of-tree plugin would be. docs/forest.md
// says what it computes and why; classes.hpp holds the classes, carbon.hpp the carbon uptake, coverage.hpp the two
// coverage KPIs (GEOS).
//
// Contributions:
//  - classifiers "forest.canopy_class" (canopy_cover_pct), "forest.lai_class" (lai), "forest.fire_danger_class"
//    (fire_danger_level 1..5, GB/T 36743-2018 names and colours) and "forest.park_coverage_class" (park_covered);
//  - a polled source type "forest.derive": each frame it reads every green-space parcel's fire_risk and
//    carbon_uptake_kgc_h and, when a new sample arrived, pushes the parcel's `fire_danger_level` (1..5) and
//    `carbon_uptake_tco2_d`; after the coverage KPIs are computed it pushes `park_covered` (1 / 0) on each
//    residential feature they used, a few thousand a frame, only those whose flag changed;
//  - KPIs "forest.coverage" (#17), "forest.park_service_coverage" (#18), "forest.carbon_uptake" (t CO2/day) and
//    "forest.mean_canopy" (%), each also over an area of the map (area_cover.hpp);
//  - settings: the three layers, the attributes and kinds, the park minimum area and the service radius.
//
// Geometry comes from Host::features of the green-space, district and residential layers once they have loaded
// (tried every 2 s until they have), and the KPIs are computed again when a setting changes. The GEOS work runs on
// a std::async thread with its own copy of the shapes; its results are taken over on the update thread, with the
// GEOS index of the district, the forest land and the parcels that the KPIs over an area query (update thread).
//
// Threads: every callback runs on the host's update thread (the SDK's contract); the coverage job touches only its
// inputs and results, never the host.
#include <greentwin/plugin.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <future>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "area_cover.hpp"
#include "carbon.hpp"
#include "classes.hpp"
#include "coverage.hpp"
#include "scenario_cover.hpp"
#include "scenario_homes.hpp"
#include "sdk_shapes.hpp"

namespace greentwin::forest {
namespace {

using namespace greentwin::plugin;

constexpr std::size_t kPushesPerFrame = 4000;  // park_covered pushes per frame (the SDK: big layers in chunks)
constexpr auto kRetryLayers = std::chrono::seconds(2);
constexpr auto kMissingLayerAfter = std::chrono::seconds(30);  // warn when a layer still has no features then

struct ParcelState {
  std::string id;
  std::uint32_t entity = 0;
  double areaM2 = 0;
  std::int64_t lastFireUs = 0;     // newest fire_risk sample handled
  std::int64_t lastCarbonUs = 0;   // newest carbon_uptake_kgc_h sample handled
  bool firePending = false;        // a level still to push (a push refused while the host registers the name)
  int fireLevel = 0;
  std::int64_t fireTimeUs = 0;
  CarbonWindow carbon;
  bool carbonPending = false;
  int refusedPushes = 0;
};

struct ResidentialState {
  std::string id;
  std::int8_t pushed = -1;      // the park_covered value last pushed (-1: none)
  std::int64_t pushedAtUs = 0;  // the clock time it was pushed at
};

std::string km2(double m2) {
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", m2 / 1e6);
  return text;
}

class ForestPlugin : public Plugin {
 public:
  explicit ForestPlugin(Host api) : Plugin(api, "forest", "Forest (canopy, fire danger, carbon, coverage)", "0.1.0") {
    addSettings();
    addClassifiers();
    addSourceType({"forest.derive", "森林派生量（火险等级、碳汇、公园覆盖）",
                   "Forest derived values (fire danger, carbon, park coverage)", /*polled=*/true},
                  [this](const std::string& /*sourceId*/, const Options& options) -> std::unique_ptr<Source> {
                    if (!options.all().empty()) {
                      throw InvalidArgument("forest.derive takes no options (got '" + options.all().begin()->first +
                                            "'); settings go in [plugins.forest]");
                    }
                    return std::make_unique<DeriveSource>(*this);
                  });
    addKpis();
  }

  void onSettingChanged(const std::string& key) override {
    if (key == "green_layer" || key == "district_layer" || key == "residential_layer" || key == "kind_attribute" ||
        key == "residential_attribute" || key == "residential_values") {
      loaded_.clear();  // read the layers again
      firstTry_ = {};
    }
    dirty_ = true;  // compute the KPIs again
  }

 private:
  class DeriveSource : public Source {
   public:
    explicit DeriveSource(ForestPlugin& plugin) : plugin_(plugin) {}
    void start() override { plugin_.host().info("forest: fire danger, carbon uptake and park coverage started"); }
    void poll(std::int64_t clockNowUs) override { plugin_.tick(clockNowUs); }

   private:
    ForestPlugin& plugin_;
  };

  void addSettings() {
    const auto text = [this](const char* key, const char* value, const char* zh, const char* en, const char* helpZh,
                             const char* helpEn) {
      addSetting({key, SettingType::String, value, 1.0, 0.0, {}, zh, en, helpZh, helpEn});
    };
    text("green_layer", "city-green-spaces", "绿地图层", "Green-space layer",
         "其要素为林地、公园等绿地地块的图层 id", "Id of the layer whose features are the green-space parcels");
    text("district_layer", "tongzhou-district", "行政区图层", "District layer", "森林覆盖率的分母：行政区范围",
         "The district boundary: the denominator of the forest coverage");
    text("residential_layer", "city-buildings", "居住用地图层", "Residential layer",
         "居住用地要素所在图层（演示数据无用地图层，用住宅建筑基底）",
         "Layer holding the residential land (the demo has no land-use layer: residential building footprints)");
    text("kind_attribute", "kind", "地类属性", "Kind attribute", "绿地图层中表示地类的属性",
         "Attribute of the green-space layer naming the parcel's kind");
    text("forest_kinds", "forest", "计为林地的地类", "Kinds counted as forest land",
         "逗号分隔，如 forest,green_belt", "Comma-separated, e.g. forest,green_belt");
    text("park_kinds", "park", "计为公园绿地的地类", "Kinds counted as parks", "逗号分隔，如 park,wetland",
         "Comma-separated, e.g. park,wetland");
    text("residential_attribute", "use", "用途属性", "Use attribute", "居住用地图层中表示用途的属性",
         "Attribute of the residential layer naming the use");
    text("residential_values", "residential", "居住用途取值", "Residential uses",
         "逗号分隔的用途取值，计为居住用地", "Comma-separated values of the use attribute that are residential land");
    addSetting({"park_min_area_m2", SettingType::Double, "5000", 0.0, 1e7, {}, "公园最小面积（平方米）",
                "Minimum park area (m2)", "GB/T 50563：5000 平方米及以上的公园绿地计服务半径",
                "GB/T 50563: parks of 5,000 m2 and more have a service radius"});
    addSetting({"service_radius_m", SettingType::Double, "500", 1.0, 5000.0, {}, "服务半径（米）",
                "Service radius (m)", "自公园边界起算", "Measured from the park's boundary"});
  }

  void addClassifiers() {
    const auto classesOf = [](const auto& defs) {
      std::vector<ClassInfo> out;
      for (const ClassDef& c : defs) out.push_back(ClassInfo{{c.rgb[0], c.rgb[1], c.rgb[2], 255}, c.nameZh, c.nameEn});
      return out;
    };
    const auto vec = [](const auto& a) { return std::vector<double>(a.begin(), a.end()); };
    addClassifier({"forest.canopy_class", "林冠覆盖度（郁闭度）", "Canopy cover", "%", classesOf(canopyClasses()),
                   vec(canopyUpperBounds()), {}});
    addClassifier({"forest.lai_class", "叶面积指数", "Leaf area index", "m2/m2", classesOf(laiClasses()),
                   vec(laiUpperBounds()), {}});
    addClassifier({"forest.fire_danger_class", "森林火险气象等级（GB/T 36743）", "Forest fire danger (GB/T 36743)", "",
                   classesOf(fireDangerClasses()), vec(fireDangerLevelUpperBounds()), {}});
    addClassifier({"forest.park_coverage_class", "公园绿地500米服务覆盖", "Park within 500 m", "",
                   classesOf(parkCoverageClasses()), {0.5}, {}});
  }

  void addKpis() {
    KpiInfo coverage{"forest.coverage", "森林覆盖率", "Forest coverage", "%"};
    coverage.methodZh = "区内林地面积（所设地类的地块之并集，重叠只计一次）÷ 行政区面积 × 100%";
    coverage.methodEn = "Forest land inside the district (union of the parcels of the kinds set, overlaps counted "
                        "once) / district area x 100 %";
    coverage.methodZh += "。区域内：区域（限行政区内部分）中的林地面积 ÷ 该部分面积";
    coverage.methodEn += ". In an area: the forest land in the area's part inside the district / that part's area";
    addKpi(
        coverage, [this](std::int64_t) { return coverageKpi(); },
        [this](std::int64_t, const Area& area) { return coverageInArea(area); },
        [this](std::int64_t, const Scenario& s) { return coverageInScenario(s); });
    KpiInfo service{"forest.park_service_coverage", "公园绿地服务半径覆盖率", "Park service radius coverage", "%"};
    service.methodZh = "GB/T 50563：5000 平方米及以上公园绿地边界外 500 米范围内的居住用地面积 ÷ 居住用地总面积 × "
                       "100%（居住用地以住宅建筑基底代替）";
    service.methodEn = "GB/T 50563: residential land within 500 m of a park of >= 5,000 m2 / all residential land x "
                       "100 % (residential building footprints stand in for residential land)";
    service.methodZh += "。区域内：基底形心在区域内的住宅建筑，同一算法";
    service.methodEn += ". In an area: the residential buildings whose footprint centroid lies in it, same method";
    addKpi(
        service, [this](std::int64_t) { return parkServiceKpi(); },
        [this](std::int64_t, const Area& area) { return parkServiceInArea(area); },
        [this](std::int64_t, const Scenario& s) { return parkServiceInScenario(s); });
    KpiInfo carbon{"forest.carbon_uptake", "绿地碳汇", "Carbon uptake", "t CO2/d"};
    carbon.methodZh = "各地块 carbon_uptake_kgc_h 在最近 24 小时内积分（不足 24 小时按已有时段外推到一天）× 44/12 "
                      "÷ 1000，全部地块求和";
    carbon.methodEn = "Each parcel's carbon_uptake_kgc_h integrated over the last 24 h (less seen: extrapolated to a "
                      "day) x 44/12 / 1000, summed over the parcels";
    carbon.methodZh += "。区域内：各地块按其面积落在区域内的比例计入";
    carbon.methodEn += ". In an area: each parcel in proportion to the share of its area inside";
    addKpi(
        carbon, [this](std::int64_t) { return carbonKpi(); },
        [this](std::int64_t, const Area& area) { return carbonInArea(area); });
    KpiInfo canopy{"forest.mean_canopy", "平均林冠覆盖度", "Mean canopy cover", "%"};
    canopy.methodZh = "各地块当前 canopy_cover_pct 按面积加权平均";
    canopy.methodEn = "Area-weighted mean of the parcels' current canopy_cover_pct";
    canopy.methodZh += "。区域内：权重为各地块落在区域内的面积";
    canopy.methodEn += ". In an area: weighted by each parcel's area inside";
    addKpi(
        canopy, [this](std::int64_t) { return meanCanopyKpi(); },
        [this](std::int64_t, const Area& area) { return meanCanopyInArea(area); });
  }

  // Update thread: a warning the first time a cause occurs.
  void warnOnce(const std::string& cause, const std::string& message) {
    if (warned_.insert(cause).second) host().warn("forest: " + message);
  }

  // ---- geometry: features -> coverage job -> results (update thread) ----

  // Reads the layers that have not loaded yet (every kRetryLayers) and starts / collects the coverage job.
  void updateGeometry() {
    const auto now = std::chrono::steady_clock::now();
    if (firstTry_ == std::chrono::steady_clock::time_point{}) firstTry_ = now;
    const std::string layers[3] = {host().settingString("green_layer"), host().settingString("district_layer"),
                                   host().settingString("residential_layer")};
    if (loaded_.size() < 3 && now - lastTry_ >= kRetryLayers) {
      lastTry_ = now;
      if (!host().hasFeatures()) {
        warnOnce("no-features-api", "the host offers no layer features (an older GreenTwin): no coverage KPIs");
      } else {
        for (const std::string& layer : layers) {
          if (loaded_.count(layer) != 0) continue;
          std::vector<Feature> features = host().features(layer);
          if (features.empty()) {
            if (now - firstTry_ >= kMissingLayerAfter) {
              warnOnce("missing-layer/" + layer, "layer '" + layer + "' has no features (missing, or not loaded)");
            }
            continue;
          }
          takeFeatures(layer, layers, std::move(features));
          loaded_.insert(layer);
          dirty_ = true;
        }
      }
    }
    collectJob();
    if (dirty_ && !job_.valid() && loaded_.count(layers[0]) != 0 &&
        (loaded_.count(layers[1]) != 0 || loaded_.count(layers[2]) != 0)) {
      startJob();
    }
  }

  void takeFeatures(const std::string& layer, const std::string (&layers)[3], std::vector<Feature> features) {
    if (layer == layers[0]) {
      const std::string kindKey = host().settingString("kind_attribute");
      indexParcels_ = std::numeric_limits<std::size_t>::max();  // the index's parcels are no longer these
      greens_.clear();
      parcels_.clear();
      std::size_t noKind = 0;
      for (const Feature& f : features) {
        const auto kind = f.text(kindKey);
        if (!kind) ++noKind;
        Parcel p{kind.value_or(""), shapeOf(f)};
        ParcelState s;
        s.id = f.id;
        s.entity = f.entity;
        s.areaM2 = shapeArea(p.shape);
        greens_.push_back(std::move(p));
        parcels_.push_back(std::move(s));
      }
      if (noKind > 0) {
        warnOnce("no-kind/" + layer, std::to_string(noKind) + " features of '" + layer + "' have no '" + kindKey +
                                         "' attribute: neither forest land nor parks");
      }
      host().info("forest: " + std::to_string(parcels_.size()) + " green-space parcels from '" + layer + "'");
    }
    if (layer == layers[1]) {
      district_.clear();
      for (const Feature& f : features) district_.push_back(shapeOf(f));
    }
    if (layer == layers[2]) {
      const std::string useKey = host().settingString("residential_attribute");
      const std::set<std::string> uses = parseKinds(host().settingString("residential_values"));
      residential_.clear();
      homeCentroids_.clear();
      homes_.clear();
      residentialIndex_ = {};
      std::size_t noUse = 0;
      for (const Feature& f : features) {
        const auto use = f.text(useKey);
        if (!use) ++noUse;
        if (!use || uses.count(*use) == 0) {
          residentialIndex_.others.emplace(f.id, shapeOf(f));  // a scenario may make it a home (set_use)
          continue;
        }
        residentialIndex_.homes.emplace(f.id, residential_.size());
        residential_.push_back(shapeOf(f));
        homeCentroids_.push_back(shapeCentroid(residential_.back()));
        homes_.push_back({f.id, -1});
      }
      if (noUse > 0) {
        warnOnce("no-use/" + layer, std::to_string(noUse) + " features of '" + layer + "' have no '" + useKey +
                                        "' attribute: not counted as residential land");
      }
      host().info("forest: " + std::to_string(homes_.size()) + " residential features from '" + layer + "'");
    }
  }

  void startJob() {
    dirty_ = false;
    auto in = std::make_shared<CoverageInputs>();
    in->district = district_;
    in->greens = greens_;
    in->residential = residential_;
    in->forestKinds = parseKinds(host().settingString("forest_kinds"));
    in->park.parkKinds = parseKinds(host().settingString("park_kinds"));
    in->park.minParkAreaM2 = host().settingDouble("park_min_area_m2");
    in->park.radiusM = host().settingDouble("service_radius_m");
    jobHasDistrict_ = !district_.empty();
    jobHasResidential_ = !residential_.empty();
    jobParcels_ = greens_.size();
    job_ = std::async(std::launch::async, [in] { return computeCoverage(*in); });
  }

  void collectJob() {
    if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready) return;
    CoverageResults r = job_.get();
    const auto report = [this](const GeometryIssues& issues, const std::string& what) {
      const std::pair<std::size_t, const char*> causes[] = {
          {issues.empty, "without geometry"},
          {issues.nonFinite, "with NaN or infinite coordinates (left out)"},
          {issues.shortRings, "rings of fewer than 3 vertices (dropped)"},
          {issues.repaired, "invalid polygons (repaired)"},
          {issues.unrepairable, "invalid polygons that could not be repaired (left out)"}};
      for (const auto& [count, cause] : causes) {
        if (count > 0) warnOnce(what + "/" + cause, what + ": " + std::to_string(count) + " " + cause);
      }
    };
    report(r.districtIssues, "district layer");
    report(r.greenIssues, "green-space layer");
    report(r.residentialIssues, "residential layer");
    if (jobHasDistrict_ && r.forest.districtAreaM2 <= 0) warnOnce("district-empty", "the district has no area");
    forest_ = jobHasDistrict_ ? std::optional<ForestCoverage>(r.forest) : std::nullopt;
    park_ = jobHasResidential_ && r.park.residentialAreaM2 > 0 ? std::optional<ParkService>(std::move(r.park))
                                                               : std::nullopt;
    index_ = r.index;
    parkScenario_.reset();  // built again from these results' inputs when a scenario asks
    indexParcels_ = jobParcels_;
    area_ = {};
    pushCursor_ = 0;
    if (park_) {
      host().info("forest: #18 " + std::to_string(park_->sharePct()) + " % of the residential land within " +
                  std::to_string(host().settingDouble("service_radius_m")) + " m of " + std::to_string(park_->parks) +
                  " parks");
    }
  }

  // ---- per frame (the source's poll) ----

  void tick(std::int64_t nowUs) {
    updateGeometry();
    deriveParcels();
    pushCoverageFlags(nowUs);
  }

  // Reads the input attribute of every parcel at once (entity handles); false: the host cannot (older host).
  bool readAll(const std::string& attribute, std::vector<double>& values, std::vector<std::int64_t>& times) {
    entities_.resize(parcels_.size());
    for (std::size_t i = 0; i < parcels_.size(); ++i) entities_[i] = parcels_[i].entity;
    if (host().readValues(attribute, entities_, values, times)) return true;
    values.assign(parcels_.size(), std::numeric_limits<double>::quiet_NaN());
    times.assign(parcels_.size(), 0);
    for (std::size_t i = 0; i < parcels_.size(); ++i) {  // one by one, by id
      if (const auto r = host().read(parcels_[i].id, attribute)) {
        values[i] = r->value;
        times[i] = r->sampleTimeUs;
      }
    }
    return true;
  }

  // New fire_risk samples -> fire_danger_level; new carbon samples -> the parcel's window and carbon_uptake_tco2_d.
  void deriveParcels() {
    if (parcels_.empty()) return;
    readAll("fire_risk", values_, times_);
    for (std::size_t i = 0; i < parcels_.size(); ++i) {
      ParcelState& p = parcels_[i];
      if (times_[i] <= p.lastFireUs) continue;
      p.lastFireUs = times_[i];
      const int level = fireDangerLevel(values_[i]);
      if (level == 0) {
        warnOnce("fire-nan", "fire_risk of '" + p.id + "' is not a number >= 0 (no fire danger level)");
        continue;
      }
      p.fireLevel = level;
      p.fireTimeUs = times_[i];
      p.firePending = true;
    }
    readAll("carbon_uptake_kgc_h", values_, times_);
    for (std::size_t i = 0; i < parcels_.size(); ++i) {
      ParcelState& p = parcels_[i];
      if (times_[i] <= p.lastCarbonUs) continue;
      p.lastCarbonUs = times_[i];
      if (!std::isfinite(values_[i])) {
        warnOnce("carbon-nan", "carbon_uptake_kgc_h of '" + p.id + "' is not a number");
        continue;
      }
      p.carbon.add(times_[i], values_[i]);
      p.carbonPending = true;
    }
    for (ParcelState& p : parcels_) {
      // Stamped with the input's sample time, so the derived values age (and go stale) with it. A refused push
      // (the host registers a new attribute name on the next frame) is retried; an entity that keeps refusing is
      // reported once and left.
      bool ok = true;
      if (p.firePending) ok = host().push(p.id, "fire_danger_level", p.fireTimeUs, p.fireLevel) && ok;
      if (p.carbonPending) {
        if (const auto t = p.carbon.tCo2PerDay()) ok = host().push(p.id, "carbon_uptake_tco2_d", p.lastCarbonUs, *t) && ok;
      }
      if (!p.firePending && !p.carbonPending) continue;
      if (ok || ++p.refusedPushes > 5) {
        if (!ok) warnOnce("push/" + p.id, "the twin refuses values for '" + p.id + "' (unknown entity?)");
        p.firePending = p.carbonPending = false;
        p.refusedPushes = 0;
      }
    }
  }

  // park_covered for the residential features, kPushesPerFrame a frame, round robin: a changed flag at once, an
  // unchanged one again every kFlagRefreshUs. Why again: the twin judges a value stale by its entity's feed interval
  // (the simulator's energy sweep for a building, 15 s in the demo), so a flag pushed once would be drawn stale 30 s
  // later although it still holds.
  void pushCoverageFlags(std::int64_t nowUs) {
    constexpr std::int64_t kFlagRefreshUs = 10'000'000;
    if (!park_ || park_->covered.size() != homes_.size() || homes_.empty()) return;
    std::size_t pushed = 0;
    for (std::size_t visited = 0; visited < homes_.size() && pushed < kPushesPerFrame; ++visited) {
      if (pushCursor_ >= homes_.size()) pushCursor_ = 0;
      ResidentialState& h = homes_[pushCursor_];
      const std::int8_t flag = static_cast<std::int8_t>(park_->covered[pushCursor_]);
      const bool due = h.pushed != flag || nowUs - h.pushedAtUs >= kFlagRefreshUs || nowUs < h.pushedAtUs;
      if (!due) {
        ++pushCursor_;
        continue;
      }
      ++pushed;
      if (!host().push(h.id, "park_covered", nowUs, flag)) {
        if (++refusedFlags_ <= 3) return;  // the first frames: the host registers the attribute; retry
        warnOnce("push-flag/" + h.id, "the twin refuses park_covered for '" + h.id + "' (unknown entity?)");
      }
      refusedFlags_ = 0;
      h.pushed = flag;
      h.pushedAtUs = nowUs;
      ++pushCursor_;
    }
  }

  // ---- KPIs (update thread) ----

  // A KPI without its inputs: pending (asked again) while the layers are read or the coverage job runs, else no data.
  KpiValue missing(std::string why = {}) const {
    const bool early = std::chrono::steady_clock::now() - firstTry_ < kMissingLayerAfter;
    if (job_.valid()) return KpiValue::pending("the coverage and park service areas are being computed");
    if (early && (dirty_ || loaded_.size() < 3)) return KpiValue::pending("the green-space layers are being read");
    return KpiValue::noData(std::move(why));
  }

  KpiValue coverageKpi() {
    updateGeometry();
    if (!forest_ || forest_->districtAreaM2 <= 0) return forest_ ? KpiValue::noData() : missing();
    return KpiValue{forest_->sharePct(), GT_KPI_OK};
  }

  // OK from 80 %, WARNING from 60 %, ALERT below: our thresholds.
  KpiValue parkServiceKpi() {
    updateGeometry();
    if (!park_) return missing();
    const double v = park_->sharePct();
    return KpiValue{v, v >= 80 ? GT_KPI_OK : v >= 60 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  KpiValue carbonKpi() {
    double total = 0;
    int n = 0;
    for (const ParcelState& p : parcels_) {
      if (const auto t = p.carbon.tCo2PerDay()) {
        total += *t;
        ++n;
      }
    }
    if (n == 0) return KpiValue::noData();
    return KpiValue{total, GT_KPI_OK};
  }

  KpiValue meanCanopyKpi() {
    if (parcels_.empty()) return missing();
    readAll("canopy_cover_pct", values_, times_);
    double sum = 0, weight = 0;
    for (std::size_t i = 0; i < parcels_.size(); ++i) {
      const double a = parcels_[i].areaM2;
      if (!std::isfinite(values_[i]) || times_[i] == 0 || !std::isfinite(a) || a <= 0) continue;
      sum += a * values_[i];
      weight += a;
    }
    if (weight <= 0) return KpiValue::noData();
    return KpiValue{sum / weight, GT_KPI_OK};
  }

  // ---- KPIs over an area (update thread; docs/forest.md "Over an area") ----

  // The GEOS part for an area (#17, parcel shares), computed once per area: the host asks the four KPIs in a row.
  const CoverageIndex::AreaCover* coverOf(const Area& area, std::string& why) {
    updateGeometry();
    if (!index_) {
      why = "the green-space and district layers have not been read yet";
      return nullptr;
    }
    Shape shape = shapeOf(area);
    if (!area_.valid || area_.index != index_.get() || !sameShape(area_.shape, shape)) {
      area_.cover = index_->cover(shape);
      area_.shape = std::move(shape);
      area_.index = index_.get();
      area_.valid = true;
    }
    if (!area_.cover) {
      why = "the area has no usable polygon";
      return nullptr;
    }
    if (area_.cover->areaM2 <= 0) {
      why = "the area lies outside the district";
      return nullptr;
    }
    return &*area_.cover;
  }

  KpiValue coverageInArea(const Area& area) {
    std::string why;
    const CoverageIndex::AreaCover* c = coverOf(area, why);
    if (c == nullptr) return index_ ? KpiValue::noData(why) : missing(why);
    if (!index_->hasDistrict()) return KpiValue::noData("no district layer: no forest coverage");
    return KpiValue{c->forestPct(), GT_KPI_OK,
                    "forest land " + km2(c->forestM2) + " of " + km2(c->areaM2) + " km2" +
                        (c->clipped ? " (the area's part inside the district)" : "")};
  }

  KpiValue parkServiceInArea(const Area& area) {
    updateGeometry();
    if (!park_ || park_->areaM2.size() != homeCentroids_.size()) {
      return missing("the residential and green-space layers have not been read yet");
    }
    const ParkInArea p = parkServiceIn(*park_, homeCentroids_, PointInShape(shapeOf(area)));
    if (p.homes == 0 || p.residentialM2 <= 0) return KpiValue::noData("no residential building in the area");
    const double v = p.sharePct();
    return KpiValue{v, v >= 80 ? GT_KPI_OK : v >= 60 ? GT_KPI_WARNING : GT_KPI_ALERT,
                    std::to_string(p.homes) + " residential buildings in the area (by footprint centroid)"};
  }

  // ---- in a what-if scenario: new parcels on top of the baseline's results (scenario_cover.hpp; update thread) ----
  static std::vector<Parcel> parcelsOf(const Scenario& s, const std::set<std::string>& kinds) {
    std::vector<Parcel> out;
    for (const ScenarioEdit& e : s.edits) {
      if (e.is(EditKind::AddParcel) && kinds.count(e.parcelKind) != 0) out.push_back({e.parcelKind, shapeOf(e.shape)});
    }
    return out;
  }

  KpiValue coverageInScenario(const Scenario& s) {
    const KpiValue base = coverageKpi();
    if (base.status == GT_KPI_NO_DATA || !index_) return base;
    std::vector<Shape> added;
    for (Parcel& p : parcelsOf(s, parseKinds(host().settingString("forest_kinds")))) added.push_back(std::move(p.shape));
    const double m2 = index_->addedForestM2(added);
    return KpiValue{100.0 * (forest_->forestAreaM2 + m2) / forest_->districtAreaM2, GT_KPI_OK,
                    "scenario: " + std::to_string(added.size()) + " new forest parcels add " + km2(m2) + " km2"};
  }

  KpiValue parkServiceInScenario(const Scenario& s) {
    updateGeometry();
    if (!park_ || park_->areaM2.size() != residential_.size() || dirty_ || job_.valid()) {  // inputs = park_'s
      return missing("the residential and green-space layers have not been read or computed");
    }
    ParkServiceOptions options;
    options.parkKinds = parseKinds(host().settingString("park_kinds"));
    options.minParkAreaM2 = host().settingDouble("park_min_area_m2");
    options.radiusM = host().settingDouble("service_radius_m");
    if (!parkScenario_) parkScenario_ = std::make_unique<ParkScenario>(greens_, residential_, options);
    const ParkScenario::HomeChanges homes =
        homeChanges(buildingEditsOf(s), parseKinds(host().settingString("residential_values")), residentialIndex_);
    const ParkScenario::Outcome o = parkScenario_->withParcels(*park_, parcelsOf(s, options.parkKinds), homes);
    if (o.residentialAreaM2 <= 0) return KpiValue::noData("scenario: no residential building is left");
    const double v = o.sharePct();
    std::string note = "scenario: " + std::to_string(o.newParks) + " new parks reach " +
                       std::to_string(o.homesReached) + " residential buildings";
    if (o.homesRemoved + o.homesAdded > 0) {
      note += "; " + std::to_string(o.homesRemoved) + " homes removed, " + std::to_string(o.homesAdded) + " added";
    }
    if (homes.unknownIds > 0) note += "; " + std::to_string(homes.unknownIds) + " unknown building ids skipped";
    return KpiValue{v, v >= 80 ? GT_KPI_OK : v >= 60 ? GT_KPI_WARNING : GT_KPI_ALERT, note};
  }

  // The parcels in the area with the share of their area inside; nullptr (why set) when there are none.
  const std::vector<std::pair<std::size_t, double>>* parcelsIn(const Area& area, std::string& why) {
    const CoverageIndex::AreaCover* c = coverOf(area, why);
    if (c == nullptr) return nullptr;
    if (indexParcels_ != parcels_.size()) {
      why = "the green-space layer is being read again";
      return nullptr;
    }
    if (c->parcelShares.empty()) {
      why = "no green-space parcel in the area";
      return nullptr;
    }
    return &c->parcelShares;
  }

  static std::string parcelNote(std::size_t n, std::size_t partly) {
    return std::to_string(n) + " parcels in the area" +
           (partly > 0 ? " (" + std::to_string(partly) + " of them in part, counted by the share inside)" : "");
  }

  KpiValue carbonInArea(const Area& area) {
    std::string why;
    const auto* shares = parcelsIn(area, why);
    if (shares == nullptr) return index_ ? KpiValue::noData(why) : missing(why);
    double total = 0;
    std::size_t n = 0, partly = 0;
    for (const auto& [i, share] : *shares) {
      if (const auto t = parcels_[i].carbon.tCo2PerDay()) {
        total += share * *t;
        ++n;
        partly += share < 1.0 ? 1 : 0;
      }
    }
    if (n == 0) return KpiValue::noData("no carbon uptake reading for the parcels in the area yet");
    return KpiValue{total, GT_KPI_OK, parcelNote(n, partly)};
  }

  KpiValue meanCanopyInArea(const Area& area) {
    std::string why;
    const auto* shares = parcelsIn(area, why);
    if (shares == nullptr) return index_ ? KpiValue::noData(why) : missing(why);
    readAll("canopy_cover_pct", values_, times_);
    double sum = 0, weight = 0;
    std::size_t n = 0, partly = 0;
    for (const auto& [i, share] : *shares) {
      const double a = share * parcels_[i].areaM2;
      if (!std::isfinite(values_[i]) || times_[i] == 0 || !std::isfinite(a) || a <= 0) continue;
      sum += a * values_[i];
      weight += a;
      ++n;
      partly += share < 1.0 ? 1 : 0;
    }
    if (weight <= 0) return KpiValue::noData("no canopy reading for the parcels in the area yet");
    return KpiValue{sum / weight, GT_KPI_OK, parcelNote(n, partly)};
  }

  // Geometry read from the layers (update thread), and the job computing the KPIs from a copy of it.
  std::set<std::string> loaded_;
  std::chrono::steady_clock::time_point firstTry_{}, lastTry_{};
  std::vector<Parcel> greens_;
  std::vector<Shape> district_, residential_;
  bool dirty_ = false;
  std::future<CoverageResults> job_;
  bool jobHasDistrict_ = false, jobHasResidential_ = false;
  std::optional<ForestCoverage> forest_;
  std::optional<ParkService> park_;
  std::shared_ptr<CoverageIndex> index_;
  std::unique_ptr<ParkScenario> parkScenario_;  // the baseline parks' buffers, for scenarios (built on first ask)  // from the last job; its parcels are greens_ when indexParcels_ matches
  std::size_t jobParcels_ = 0, indexParcels_ = 0;
  std::vector<Point> homeCentroids_;  // parallel to residential_
  ResidentialIndex residentialIndex_;  // the residential layer's buildings by id, for scenarios' building edits
  struct AreaQuery {
    bool valid = false;
    const CoverageIndex* index = nullptr;
    Shape shape;
    std::optional<CoverageIndex::AreaCover> cover;
  };
  AreaQuery area_;  // the last area asked (the host asks each KPI of an area in a row)

  std::vector<ParcelState> parcels_;  // parallel to greens_
  std::vector<ResidentialState> homes_;  // parallel to residential_
  std::size_t pushCursor_ = 0;
  int refusedFlags_ = 0;
  std::vector<std::uint32_t> entities_;
  std::vector<double> values_;
  std::vector<std::int64_t> times_;
  std::set<std::string> warned_;
};

}  // namespace
}  // namespace greentwin::forest

GREENTWIN_PLUGIN(greentwin::forest::ForestPlugin)
