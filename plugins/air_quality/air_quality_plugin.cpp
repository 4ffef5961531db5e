// The air-quality plugin (issue 4): built with the GreenTwin SDK only, exactly as an out-of-tree plugin would be.
// docs/air-quality.md says what it computes and why; aqi.hpp holds the HJ 633-2012 tables.
//
// Contributions:
//  - classifiers "air_quality.aqi_class" (AQI -> the six HJ 633 classes and colours) and "air_quality.pm25_class"
//    (PM2.5 ug/m3 -> the same classes at the PM2.5 breakpoints), for layer colour rules and the field;
//  - a polled source type "air_quality.aqi": once per frame it reads each station's pm25, pm10, no2 and o3 and,
//    when a new reading arrived, pushes the station's `aqi`, `aqi_level` (1..6) and `primary_pollutant` (a code:
//    0 none, 1 PM2.5, 2 PM10, 3 NO2, 4 O3 — the ABI carries numbers only) into the twin;
//  - a field layer type "air_quality.pm25_idw": PM2.5 over a grid by inverse-distance weighting of the live
//    stations;
//  - KPIs "air_quality.mean_pm25" (district mean PM2.5 now, ug/m3) and "air_quality.share_good" (share of stations
//    with AQI <= 100, %);
//  - the programme's indicators #14 "air_quality.pm25_annual_mean" (ug/m3) and #15 "air_quality.good_day_share" (%)
//    over the calendar year to the clock's day (air_statistics.hpp), from the hourly means of the readings the plugin
//    has seen (year_hours.hpp: each station's last year of hours, fed by the `air_quality.aqi` source); both also
//    over an area of the map, from the stations in it or, with none, the 3 nearest to it (area_stations.hpp);
//  - settings (described as data; the host draws them): averaging, idw_power, search_radius_m, min_stations,
//    stale_after_s, station_layer.
//
// Config:
//   [plugins]
//   folders = ["<folder holding libgreentwin_air_quality.so and its manifest>"]
//   enabled = ["air_quality"]
//   [[sources]]
//   id = "aqi"
//   type = "air_quality.aqi"
//
// Threads: every callback runs on the host's update thread (the SDK's contract); nothing here starts a thread.
#include <greentwin/plugin.hpp>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "air_statistics.hpp"
#include "area_stations.hpp"
#include "aqi.hpp"
#include "hourly_means.hpp"
#include "idw.hpp"
#include "year_hours.hpp"

namespace greentwin::air_quality {
namespace {

using namespace greentwin::plugin;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// The station attributes read (as the simulator and examples/publishers/air_quality_publisher.py publish them; so2
// and co, mg/m3, only if a feed has them: they enter the daily statistics, not the live AQI). Pollutant order.
constexpr std::array<const char*, kPollutantCount> kReadAttributes{"pm25", "pm10", "no2", "o3", "so2", "co"};

// Targets of the programme (issue 13) and the status bands around them (docs/air-quality.md "#14 and #15").
constexpr double kPm25AnnualTarget = 32;      // #14: <= 32 ug/m3 OK
constexpr double kPm25AnnualLimit = 35;       // GB 3095-2012 grade II annual limit: up to it WARNING, above ALERT
constexpr double kGoodDayTargetPct = 78;      // #15: >= 78 % OK
constexpr double kGoodDayWarningPct = 70;     // our choice: from 70 % WARNING, below ALERT

struct Station {
  std::string id;
  double x = 0, y = 0;
  std::array<std::int64_t, kPollutantCount> lastSampleUs{};  // newest sample seen per pollutant (0: none)
  std::array<HourlyMeans, kPollutantCount> means;            // for averaging = "rolling"
  YearHours year;                                            // hourly means over the last year, for #14 and #15
  bool pending = false;  // readings changed and the AQI still has to be pushed
};

// One station's current readings, as read through the host at the frame's clock time.
struct Current {
  std::array<double, kPollutantCount> value{kNaN, kNaN, kNaN, kNaN, kNaN, kNaN};  // NaN: none or stale
  std::int64_t newestUs = 0;
};

class AirQualityPlugin : public Plugin {
 public:
  explicit AirQualityPlugin(Host api) : Plugin(api, "air_quality", "Air quality (HJ 633 AQI)", "0.1.0") {
    addSetting({"averaging", SettingType::Enum, "hourly", 1.0, 0.0,
                {{"hourly", "实时（小时值）", "Real-time (hourly values)"},
                 {"rolling", "滑动平均（24小时/8小时）", "Rolling means (24 h / 8 h)"}},
                "AQI 平均方式", "AQI averaging",
                "实时：读数按1小时值计算（PM 用24小时表，NO2、O3 用1小时表）；滑动：PM2.5、PM10、NO2 用24小时均值，O3 用8小时均值",
                "hourly: readings are 1-h values (PM with the 24-h table, NO2 and O3 with the 1-h tables); rolling: "
                "24-h means of PM2.5, PM10, NO2 and the 8-h mean of O3, from the readings received"});
    addSetting({"idw_power", SettingType::Double, "2", 0.5, 6.0, {}, "IDW 幂指数", "IDW power",
                "距离权重的指数，越大越局部", "Distance exponent: larger is more local"});
    addSetting({"search_radius_m", SettingType::Double, "15000", 0.0, 200000.0, {}, "搜索半径（米）",
                "Search radius (m)", "只用此距离内的站点；0 表示不限", "Only stations within this distance; 0 = no limit"});
    addSetting({"min_stations", SettingType::Int, "1", 1.0, 50.0, {}, "最少站点数", "Minimum stations",
                "半径内站点少于此数的格子无值", "Cells with fewer stations in range get no value"});
    addSetting({"stale_after_s", SettingType::Double, "300", 1.0, 86400.0, {}, "读数过期（秒）", "Stale after (s)",
                "早于此时长的读数不参与 AQI、插值面和指标", "Older readings are left out of the AQI, the surface and the KPIs"});
    addSetting({"station_layer", SettingType::String, "city-aq-stations", 1.0, 0.0, {}, "监测站图层",
                "Station layer", "其实体为监测站的图层 id", "Id of the layer whose entities are the stations"});

    std::vector<ClassInfo> classes;
    for (const AqiClass& c : aqiClasses()) {
      classes.push_back(ClassInfo{{c.rgb[0], c.rgb[1], c.rgb[2], 255}, c.nameZh, c.nameEn});
    }
    const auto aqiBounds = aqiClassUpperBounds();
    addClassifier({"air_quality.aqi_class", "空气质量指数级别", "AQI class", "", classes,
                   std::vector<double>(aqiBounds.begin(), aqiBounds.end()), {}});
    const auto pmBounds = pm25ClassUpperBounds();
    addClassifier({"air_quality.pm25_class", "PM2.5 分级", "PM2.5 class", "ug/m3", classes,
                   std::vector<double>(pmBounds.begin(), pmBounds.end()), {}});

    addSourceType({"air_quality.aqi", "空气质量指数（HJ 633）", "AQI (HJ 633)", /*polled=*/true},
                  [this](const std::string& /*sourceId*/, const Options& options) -> std::unique_ptr<Source> {
                    if (!options.all().empty()) {
                      throw InvalidArgument("air_quality.aqi takes no options (got '" + options.all().begin()->first +
                                            "'); settings go in [plugins.air_quality]");
                    }
                    return std::make_unique<AqiSource>(*this);
                  });

    addFieldLayerType({"air_quality.pm25_idw", "PM2.5 插值面（IDW）", "PM2.5 surface (IDW)", "ug/m3",
                       "air_quality.pm25_class"},
                      [this](const FieldGrid& grid) { computeField(grid); });

    addKpi({"air_quality.mean_pm25", "全区 PM2.5 均值", "District mean PM2.5", "ug/m3",
            "各站当前 PM2.5 读数的算术平均（过期读数不计）；≤75 正常、≤115 预警、更高告警（GB 3095-2012 二级 24 小时限值 75）",
            "Arithmetic mean of the stations' current PM2.5 readings (stale ones left out); <= 75 OK, <= 115 warning, "
            "above alert (GB 3095-2012 grade II 24-h limit 75 ug/m3)"},
           [this](std::int64_t /*timeUs*/) { return meanPm25(); });
    addKpi({"air_quality.share_good", "优良站点比例", "Stations with AQI <= 100", "%",
            "当前 AQI（HJ 633-2012）≤100（优、良）的站点占有 AQI 站点的比例；≥80% 正常、≥50% 预警",
            "Share of the stations with an AQI now (HJ 633-2012) whose AQI is <= 100 (good or moderate); >= 80 % OK, "
            ">= 50 % warning"},
           [this](std::int64_t /*timeUs*/) { return shareGood(); });
    addKpi({"air_quality.pm25_annual_mean", "PM2.5 年均浓度（年初至今）", "PM2.5 annual mean (year to date)", "ug/m3",
            "指标14。本日历年1月1日至昨天（北京时间；当天未结束不计）城市 PM2.5 日均浓度的算术平均。站点日均值需当日≥20个"
            "小时值（GB 3095-2012 表4）；城市日均值为当日有效站点日均值的算术平均（HJ 663-2013），无有效站点的日子不计。"
            "全年有效需≥324个日均值且每月≥27个（二月≥25个）；年中为年初至今的临时值。只含孪生体运行以来插件收到的读数："
            "启动前的数据不计入（除非把历史回放给插件）。≤32 达标（规划目标），≤35 预警（GB 3095-2012 二级年均限值），更高告警。"
            "区域内：由区域内站点的日均值按同一方法计算；区域内无站点时取距区域形心最近的 3 个站点（搜索半径内）按 1/d^幂 反距离加权",
            "Indicator #14. Mean of the city's daily PM2.5 from January 1 to yesterday (local time, UTC+8; the running "
            "day is left out). A station's daily mean needs >= 20 hourly values that day (GB 3095-2012 Table 4); the "
            "city's daily value is the mean of the valid stations' (HJ 663-2013); days without a valid station are "
            "left out. A whole year is valid with >= 324 daily values and >= 27 in each month (25 in February); "
            "mid-year this is the provisional year-to-date value. Only readings the plugin has received while the "
            "twin ran: values from before it started are not known to it unless the history is played back to it. "
            "<= 32 OK (the programme's target), <= 35 warning (GB 3095-2012 grade II annual limit), above alert. "
            "In an area: from the daily means of the stations in it, as for the city; an area without a station from "
            "the 3 nearest to its centroid within search_radius_m, weighted 1/d^idw_power (IDW)"},
           [this](std::int64_t timeUs) { return pm25AnnualKpi(timeUs); },
           [this](std::int64_t timeUs, const Area& area) { return pm25AnnualIn(timeUs, area); });
    addKpi({"air_quality.good_day_share", "优良天数比例（年初至今）", "Share of good days (year to date)", "%",
            "指标15。本日历年1月1日至昨天，城市日 AQI≤100（优、良）的天数占有效天数的比例。城市日 AQI 按 HJ 633-2012 日报，"
            "由城市日均值（各有效站点的算术平均）计算：PM2.5、PM10、NO2（及 SO2、CO，若有）的24小时均值，O3 日最大8小时"
            "滑动平均（当日8时至24时17个值中≥14个有效，每个≥6小时；不足14个但超过160 ug/m3 仍有效）和 O3 日最大1小时值；"
            "PM2.5、PM10、NO2、O3 8小时中任一无效则该日不计。只含孪生体运行以来收到的读数（除非回放历史）。"
            "≥78% 达标（规划目标），≥70% 预警，更低告警。区域内：由区域内站点的日值计算；无站点时取最近 3 站反距离加权",
            "Indicator #15. Share of the valid days from January 1 to yesterday whose city daily AQI is <= 100 (good "
            "or moderate). The daily AQI per HJ 633-2012 (daily report) from the city's daily values (means of the "
            "valid stations): 24-h means of PM2.5, PM10, NO2 (and SO2, CO where published), the O3 daily max 8-h mean "
            "(>= 14 of the 17 8-h means ending 08:00..24:00 valid, each with >= 6 hours; fewer still count above "
            "160 ug/m3) and the O3 daily max 1-h value; a day without PM2.5, PM10, NO2 or O3 8-h is not counted. Only "
            "readings received while the twin ran (unless the history is played back to it). >= 78 % OK (the "
            "programme's target), >= 70 % warning, below alert. In an area: from the daily values of the stations "
            "in it; without a station, of the 3 nearest to its centroid, inverse-distance weighted"},
           [this](std::int64_t timeUs) { return goodDaysKpi(timeUs); },
           [this](std::int64_t timeUs, const Area& area) { return goodDaysIn(timeUs, area); });
  }

  void onSettingChanged(const std::string& key) override {
    if (key == "station_layer") stationsRefreshedAt_ = {};  // enumerate again on the next use
    // Any change may change every station's AQI: push them again.
    for (Station& s : stations_) s.pending = true;
  }

 private:
  // The source is the per-frame hook: it derives and pushes the AQI of every station whose readings changed.
  class AqiSource : public Source {
   public:
    explicit AqiSource(AirQualityPlugin& plugin) : plugin_(plugin) {}
    void start() override { plugin_.host().info("air_quality: AQI per HJ 633-2012 for the stations started"); }
    void poll(std::int64_t clockNowUs) override { plugin_.updateAqi(clockNowUs); }

   private:
    AirQualityPlugin& plugin_;
  };

  // The station list, from the host: enumerating walks every entity of the twin, so it is cached and refreshed
  // every few seconds while empty (layers load in the background), then every minute.
  std::vector<Station>& stations() {
    const auto now = std::chrono::steady_clock::now();
    const auto every = stations_.empty() ? std::chrono::seconds(2) : std::chrono::seconds(60);
    if (stationsRefreshedAt_ != std::chrono::steady_clock::time_point{} && now - stationsRefreshedAt_ < every) {
      return stations_;
    }
    stationsRefreshedAt_ = now;
    const std::string layer = host().settingString("station_layer");
    std::vector<Station> fresh;
    bool added = false;
    for (const EntityInfo& e : host().entities("", layer)) {
      if (!std::isfinite(e.x) || !std::isfinite(e.y)) continue;
      const auto old = std::find_if(stations_.begin(), stations_.end(), [&](const Station& s) { return s.id == e.id; });
      Station s = old != stations_.end() ? std::move(*old) : Station{};
      if (old == stations_.end()) {
        s.id = e.id;
        s.pending = true;
        added = true;
      }
      s.x = e.x;
      s.y = e.y;
      fresh.push_back(std::move(s));
    }
    if (fresh.size() != stations_.size()) {
      host().info("air_quality: " + std::to_string(fresh.size()) + " stations in layer '" + layer + "'");
    }
    if (added || fresh.size() != stations_.size()) year_.stale = true;  // stations came or went: #14, #15 again
    stations_ = std::move(fresh);
    return stations_;
  }

  // The live readings of a station at the frame's clock time (older than stale_after_s: left out).
  Current current(const Station& s, std::int64_t nowUs) const {
    Current c;
    const auto staleUs = static_cast<std::int64_t>(host().settingDouble("stale_after_s") * 1e6);
    for (int p = 0; p < kPollutantCount; ++p) {
      const auto r = host().read(s.id, kReadAttributes[static_cast<std::size_t>(p)]);
      if (!r || !std::isfinite(r->value) || nowUs - r->sampleTimeUs > staleUs) continue;
      c.value[static_cast<std::size_t>(p)] = r->value;
      c.newestUs = std::max(c.newestUs, r->sampleTimeUs);
    }
    return c;
  }

  // The HJ 633 readings for a station: hourly values as they are (NO2 and O3 by their 1-h tables, PM by the 24-h
  // tables, which is all the standard has for PM), or rolling 24-h / 8-h means.
  std::vector<Reading> readingsFor(const Station& s, const Current& c, std::int64_t nowUs) const {
    const auto v = [&](Pollutant p) { return c.value[static_cast<std::size_t>(static_cast<int>(p) - 1)]; };
    if (host().settingString("averaging") != "rolling") {
      return {{Measure::Pm25_24h, v(Pollutant::Pm25)},
              {Measure::Pm10_24h, v(Pollutant::Pm10)},
              {Measure::No2_1h, v(Pollutant::No2)},
              {Measure::O3_1h, v(Pollutant::O3)}};
    }
    const auto mean = [&](Pollutant p, int hours) {
      return s.means[static_cast<std::size_t>(static_cast<int>(p) - 1)].mean(nowUs, hours);
    };
    // O3: the 8-h mean, and the current 1-h value (both are IAQI items of the daily report; above 800 ug/m3 the
    // 8-h mean has no index and the 1-h one stands).
    return {{Measure::Pm25_24h, mean(Pollutant::Pm25, 24)},
            {Measure::Pm10_24h, mean(Pollutant::Pm10, 24)},
            {Measure::No2_24h, mean(Pollutant::No2, 24)},
            {Measure::O3_8h, mean(Pollutant::O3, 8)},
            {Measure::O3_1h, v(Pollutant::O3)}};
  }

  // Update thread, each frame (through the source's poll): new samples -> the station's AQI pushed.
  void updateAqi(std::int64_t nowUs) {
    for (Station& s : stations()) {
      // Cheap check first: did any pollutant get a newer sample?
      for (int p = 0; p < kPollutantCount; ++p) {
        const auto r = host().read(s.id, kReadAttributes[static_cast<std::size_t>(p)]);
        auto& last = s.lastSampleUs[static_cast<std::size_t>(p)];
        if (!r || r->sampleTimeUs <= last) continue;
        last = r->sampleTimeUs;
        s.means[static_cast<std::size_t>(p)].add(r->sampleTimeUs, r->value);
        s.year.add(r->sampleTimeUs, static_cast<Pollutant>(p + 1), r->value);
        if (localDayOf(r->sampleTimeUs) < year_.today) year_.stale = true;  // a day already counted changed
        s.pending = true;
      }
      if (!s.pending) continue;
      const Current c = current(s, nowUs);
      if (c.newestUs == 0) {
        s.pending = false;  // nothing live: the last AQI pushed ages into stale in the twin
        continue;
      }
      const AqiResult r = computeAqi(readingsFor(s, c, nowUs));
      if (!r.aqi) {
        s.pending = false;
        continue;
      }
      const double primary = r.primary.empty() ? 0.0 : static_cast<double>(static_cast<int>(r.primary.front()));
      // Stamped with the newest reading used, so the AQI ages (and goes stale) with its readings. A push refused
      // while the host registers a new attribute name (the first frames) is retried on the next frame.
      bool ok = host().push(s.id, "aqi", c.newestUs, *r.aqi);
      ok = host().push(s.id, "aqi_level", c.newestUs, r.level) && ok;
      ok = host().push(s.id, "primary_pollutant", c.newestUs, primary) && ok;
      s.pending = !ok;
    }
  }

  void computeField(const FieldGrid& grid) {
    const std::int64_t nowUs = host().now();
    std::vector<StationValue> live;
    for (const Station& s : stations()) {
      const double v = current(s, nowUs).value[0];  // PM2.5
      if (std::isfinite(v)) live.push_back({s.x, s.y, v});
    }
    IdwSettings settings;
    settings.power = host().settingDouble("idw_power");
    settings.searchRadiusM = host().settingDouble("search_radius_m");
    settings.minStations = static_cast<int>(host().settingInt("min_stations"));
    for (std::uint32_t row = 0; row < grid.rows; ++row) {
      for (std::uint32_t col = 0; col < grid.columns; ++col) {
        grid.at(col, row) = static_cast<float>(idwAt(grid.centerX(col), grid.centerY(row), live, settings));
      }
    }
  }

  // Mean PM2.5 of the live stations. Status against GB 3095-2012 grade II (24-h limit 75 ug/m3): within it OK,
  // up to 115 (lightly polluted) WARNING, above ALERT.
  KpiValue meanPm25() {
    const std::int64_t nowUs = host().now();
    double sum = 0;
    int n = 0;
    for (const Station& s : stations()) {
      const double v = current(s, nowUs).value[0];
      if (!std::isfinite(v)) continue;
      sum += v;
      ++n;
    }
    if (n == 0) return KpiValue::noData();
    const double mean = sum / n;
    return KpiValue{mean, mean <= 75 ? GT_KPI_OK : mean <= 115 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  // Share of stations with an AQI now whose AQI is <= 100 (优 or 良), in %: 80 % and more OK, 50 % and more
  // WARNING, less ALERT.
  KpiValue shareGood() {
    const std::int64_t nowUs = host().now();
    int good = 0, n = 0;
    for (const Station& s : stations()) {
      const AqiResult r = computeAqi(readingsFor(s, current(s, nowUs), nowUs));
      if (!r.aqi) continue;
      ++n;
      if (*r.aqi <= 100) ++good;
    }
    if (n == 0) return KpiValue::noData();
    const double share = 100.0 * good / n;
    return KpiValue{share, share >= 80 ? GT_KPI_OK : share >= 50 ? GT_KPI_WARNING : GT_KPI_ALERT};
  }

  // #14 and #15 for the year to the clock's day. Recomputed when the local day changes (the clock moved on or
  // jumped), a sample arrives for a day already counted, or the station list is refreshed; otherwise the KPIs read
  // the last result (the host asks once a second).
  const YearIndicators& yearToDateAt(std::int64_t timeUs) {
    std::vector<Station>& list = stations();  // may mark the result stale
    const std::int64_t today = localDayOf(timeUs);
    if (!year_.stale && year_.today == today) return year_.value;
    const std::int64_t january1 = dayFromCivil(civilFromDay(today).year, 1, 1);
    const int days = static_cast<int>(today - january1);
    std::vector<StationHours> hours;
    hours.reserve(list.size());
    for (const Station& s : list) hours.push_back(s.year.hours(january1, days));
    year_.value = yearIndicators(hours, january1, today);
    year_.stale = false;
    if (year_.today != today) {
      const AnnualMean& pm = year_.value.pm25;
      host().info("air_quality: year to date, " + std::to_string(days) + " days: PM2.5 from " +
                  std::to_string(pm.validDays) + " valid city days (" +
                  (pm.wholeMonthsComplete ? "every whole month so far has enough" : "some month has too few") +
                  " for the annual rule), " + std::to_string(year_.value.goodDays.validDays) + " days with a daily AQI");
    }
    year_.today = today;
    return year_.value;
  }

  // #14: the city's PM2.5 annual mean, year to date. <= 32 OK, <= 35 WARNING, above ALERT.
  KpiValue pm25AnnualKpi(std::int64_t timeUs) {
    const AnnualMean& pm = yearToDateAt(timeUs).pm25;
    if (pm.validDays == 0) return KpiValue::noData();
    return pm25AnnualKpi(pm);
  }
  static KpiValue pm25AnnualKpi(const AnnualMean& pm) {
    return KpiValue{pm.mean, pm.mean <= kPm25AnnualTarget  ? GT_KPI_OK
                             : pm.mean <= kPm25AnnualLimit ? GT_KPI_WARNING
                                                           : GT_KPI_ALERT};
  }

  // #15: share of good days (daily AQI <= 100), year to date. >= 78 % OK, >= 70 % WARNING, below ALERT.
  KpiValue goodDaysKpi(std::int64_t timeUs) {
    const GoodDayShare& g = yearToDateAt(timeUs).goodDays;
    if (g.validDays == 0) return KpiValue::noData();
    return goodDaysKpi(g);
  }
  static KpiValue goodDaysKpi(const GoodDayShare& g) {
    return KpiValue{g.percent, g.percent >= kGoodDayTargetPct    ? GT_KPI_OK
                               : g.percent >= kGoodDayWarningPct ? GT_KPI_WARNING
                                                                 : GT_KPI_ALERT};
  }

  // ---- #14 and #15 over an area (update thread; docs/air-quality.md "Over an area") ----

  // "city-aq-stations/aq-01" -> "aq-01": the layer is the same for all.
  static std::string shortId(const std::string& id) { return id.substr(id.find('/') + 1); }

  struct AreaChoice {
    std::vector<std::pair<std::size_t, double>> weights;  // station index in stations_, weight
    std::string note;                                     // which stations, and how
  };

  // The stations giving an area's values: those inside it, or the 3 nearest to its centroid (IDW). Empty weights:
  // the note says why.
  AreaChoice stationsFor(const Area& area) {
    constexpr std::size_t kNearest = 3;
    AreaChoice c;
    const std::vector<Station>& list = stations_;
    std::string names;
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (!area.contains(XY{list[i].x, list[i].y})) continue;
      c.weights.emplace_back(i, 1.0);
      names += (names.empty() ? "" : ", ") + shortId(list[i].id);
    }
    if (!c.weights.empty()) {
      c.note = std::to_string(c.weights.size()) + " of " + std::to_string(list.size()) + " stations in the area: " + names;
      return c;
    }
    std::vector<AreaPolygon> polygons;
    for (const FeaturePolygon& p : area.polygons) {
      AreaPolygon out;
      for (const auto& ring : p.rings) {
        AreaRing r;
        for (const XY& v : ring) r.push_back({v.x, v.y});
        out.push_back(std::move(r));
      }
      polygons.push_back(std::move(out));
    }
    const auto centroid = areaCentroid(polygons);
    if (!centroid) {
      c.note = "the area has no usable polygon";
      return c;
    }
    std::vector<std::array<double, 2>> positions;
    for (const Station& s : list) positions.push_back({s.x, s.y});
    const double radius = host().settingDouble("search_radius_m");
    const auto near = nearestStations((*centroid)[0], (*centroid)[1], positions, kNearest,
                                      host().settingDouble("idw_power"), radius);
    if (near.empty()) {
      c.note = "no station in the area" + (radius > 0 ? " nor within " + std::to_string(std::lround(radius / 1000)) +
                                                            " km of its centroid"
                                                      : std::string());
      return c;
    }
    for (const StationWeight& w : near) {
      c.weights.emplace_back(w.station, w.weight);
      char km[32];
      std::snprintf(km, sizeof km, " %.1f km", w.distanceM / 1000.0);
      names += (names.empty() ? "" : ", ") + shortId(list[w.station].id) + km;
    }
    c.note = "no station inside: interpolated (IDW) at its centroid from the " + std::to_string(near.size()) +
             " nearest: " + names;
    return c;
  }

  KpiValue pm25AnnualIn(std::int64_t timeUs, const Area& area) {
    const YearIndicators& year = yearToDateAt(timeUs);  // refreshes the station list first
    const AreaChoice c = stationsFor(area);
    if (c.weights.empty()) return KpiValue::noData(c.note);
    const AnnualMean pm = areaIndicators(year, c.weights).pm25;
    if (pm.validDays == 0) return KpiValue::noData("no valid day yet this year (" + c.note + ")");
    KpiValue v = pm25AnnualKpi(pm);
    v.note = c.note;
    return v;
  }

  KpiValue goodDaysIn(std::int64_t timeUs, const Area& area) {
    const YearIndicators& year = yearToDateAt(timeUs);
    const AreaChoice c = stationsFor(area);
    if (c.weights.empty()) return KpiValue::noData(c.note);
    const GoodDayShare g = areaIndicators(year, c.weights).goodDays;
    if (g.validDays == 0) return KpiValue::noData("no day with a daily AQI yet this year (" + c.note + ")");
    KpiValue v = goodDaysKpi(g);
    v.note = c.note;
    return v;
  }

  struct YearCache {
    std::int64_t today = std::numeric_limits<std::int64_t>::min();  // the local day it was computed for
    bool stale = true;
    YearIndicators value;
  };

  std::vector<Station> stations_;
  std::chrono::steady_clock::time_point stationsRefreshedAt_{};
  YearCache year_;
};

}  // namespace
}  // namespace greentwin::air_quality

GREENTWIN_PLUGIN(greentwin::air_quality::AirQualityPlugin)
