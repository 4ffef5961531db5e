#include "air_statistics.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::air_quality {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr std::size_t kPm25 = static_cast<std::size_t>(Daily::Pm25);

std::int64_t floorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Mean of the finite values among n, or NaN with fewer than minCount of them.
double meanOf(const double* values, int n, int minCount) {
  double sum = 0;
  int count = 0;
  for (int i = 0; i < n; ++i) {
    if (std::isfinite(values[i])) {
      sum += values[i];
      ++count;
    }
  }
  return count >= minCount && count > 0 ? sum / count : kNaN;
}

int daysInMonth(int year, int month) {
  return static_cast<int>(dayFromCivil(month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 1) -
                          dayFromCivil(year, month, 1));
}

}  // namespace

std::int64_t localHourOf(std::int64_t utcUs) { return floorDiv(utcUs + kLocalOffsetUs, kHourUs); }
std::int64_t localDayOf(std::int64_t utcUs) { return floorDiv(utcUs + kLocalOffsetUs, 24 * kHourUs); }

// Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian), day 0 = 1970-01-01.
std::int64_t dayFromCivil(int year, int month, int day) {
  const std::int64_t y = static_cast<std::int64_t>(year) - (month <= 2 ? 1 : 0);
  const std::int64_t era = floorDiv(y, 400);
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = (month + 9) % 12;  // March = 0
  const std::int64_t doy = (153 * mp + 2) / 5 + day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate civilFromDay(std::int64_t day) {
  const std::int64_t z = day + 719468;
  const std::int64_t era = floorDiv(z, 146097);
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const std::int64_t d = doy - (153 * mp + 2) / 5 + 1;
  const std::int64_t m = mp < 10 ? mp + 3 : mp - 9;
  const std::int64_t y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return CivilDate{static_cast<int>(y), static_cast<int>(m), static_cast<int>(d)};
}

DailyValues noDailyValues() {
  DailyValues v;
  v.fill(kNaN);
  return v;
}

double dailyMean(const double* hours24) { return meanOf(hours24, 24, kMinHoursPerDay); }

double dailyMax8h(const double* hours24) {
  // Window k holds hours k..k+7 (clock 0k:00 to k+8:00), i.e. the 8-h mean "ending at" k+8 o'clock: k = 0..16 are
  // the means ending 08:00 .. 24:00, all inside the day.
  double best = kNaN;
  int valid = 0;
  for (int k = 0; k < kO3Windows; ++k) {
    const double m = meanOf(hours24 + k, 8, kMinHoursPer8h);
    if (!std::isfinite(m)) continue;
    ++valid;
    if (!(m <= best)) best = m;  // also takes the first (best is NaN)
  }
  if (valid >= kMinO3WindowsPerDay) return best;
  return valid > 0 && best > kO3_8hLimitGradeII ? best : kNaN;
}

double dailyMax1h(const double* hours24) {
  double best = kNaN;
  int count = 0;
  for (int h = 0; h < 24; ++h) {
    if (!std::isfinite(hours24[h])) continue;
    ++count;
    if (!(hours24[h] <= best)) best = hours24[h];
  }
  return count >= kMinHoursPerDay ? best : kNaN;
}

std::vector<DailyValues> stationDays(const StationHours& station, std::int64_t firstDay, int days) {
  std::vector<DailyValues> out(static_cast<std::size_t>(std::max(days, 0)), noDailyValues());
  std::array<std::array<double, 24>, kPollutantCount> hours{};
  for (int d = 0; d < days; ++d) {
    const std::int64_t first = (firstDay + d - station.firstDay) * 24;  // the day's hour 0 in the series
    for (int p = 0; p < kPollutantCount; ++p) {
      const std::vector<double>& series = station.values[static_cast<std::size_t>(p)];
      for (int h = 0; h < 24; ++h) {
        const std::int64_t i = first + h;
        hours[static_cast<std::size_t>(p)][static_cast<std::size_t>(h)] =
            i >= 0 && i < static_cast<std::int64_t>(series.size()) ? series[static_cast<std::size_t>(i)] : kNaN;
      }
    }
    const auto of = [&](Pollutant p) { return hours[static_cast<std::size_t>(static_cast<int>(p) - 1)].data(); };
    DailyValues& v = out[static_cast<std::size_t>(d)];
    v[static_cast<int>(Daily::Pm25)] = dailyMean(of(Pollutant::Pm25));
    v[static_cast<int>(Daily::Pm10)] = dailyMean(of(Pollutant::Pm10));
    v[static_cast<int>(Daily::No2)] = dailyMean(of(Pollutant::No2));
    v[static_cast<int>(Daily::So2)] = dailyMean(of(Pollutant::So2));
    v[static_cast<int>(Daily::Co)] = dailyMean(of(Pollutant::Co));
    v[static_cast<int>(Daily::O3Max8h)] = dailyMax8h(of(Pollutant::O3));
    v[static_cast<int>(Daily::O3Max1h)] = dailyMax1h(of(Pollutant::O3));
  }
  return out;
}

std::vector<DailyValues> cityDays(const std::vector<std::vector<DailyValues>>& stations) {
  std::size_t days = 0;
  for (const auto& s : stations) days = std::max(days, s.size());
  std::vector<DailyValues> out(days, noDailyValues());
  for (std::size_t d = 0; d < days; ++d) {
    for (std::size_t item = 0; item < kDailyCount; ++item) {
      double sum = 0;
      int n = 0;
      for (const auto& s : stations) {
        if (d < s.size() && std::isfinite(s[d][item])) {
          sum += s[d][item];
          ++n;
        }
      }
      if (n > 0) out[d][item] = sum / n;
    }
  }
  return out;
}

std::optional<AqiResult> dailyAqi(const DailyValues& day) {
  const auto at = [&](Daily item) { return day[static_cast<std::size_t>(item)]; };
  for (Daily required : {Daily::Pm25, Daily::Pm10, Daily::No2, Daily::O3Max8h}) {
    if (!std::isfinite(at(required))) return std::nullopt;
  }
  AqiResult r = computeAqi({{Measure::Pm25_24h, at(Daily::Pm25)},
                            {Measure::Pm10_24h, at(Daily::Pm10)},
                            {Measure::No2_24h, at(Daily::No2)},
                            {Measure::So2_24h, at(Daily::So2)},
                            {Measure::Co_24h, at(Daily::Co)},
                            {Measure::O3_8h, at(Daily::O3Max8h)},
                            {Measure::O3_1h, at(Daily::O3Max1h)}});
  if (!r.aqi) return std::nullopt;  // e.g. O3 8-h above 800 ug/m3 without a 1-h maximum: no index
  return r;
}

std::vector<DailyValues> weightedDays(const std::vector<std::vector<DailyValues>>& stations,
                                      const std::vector<std::pair<std::size_t, double>>& weights) {
  std::size_t days = 0;
  for (const auto& [s, w] : weights) {
    if (s < stations.size()) days = std::max(days, stations[s].size());
  }
  std::vector<DailyValues> out(days, noDailyValues());
  for (std::size_t d = 0; d < days; ++d) {
    for (std::size_t item = 0; item < kDailyCount; ++item) {
      double sum = 0, total = 0;
      for (const auto& [s, w] : weights) {
        if (s >= stations.size() || d >= stations[s].size() || !(w > 0)) continue;
        const double v = stations[s][d][item];
        if (!std::isfinite(v)) continue;
        sum += w * v;
        total += w;
      }
      if (total > 0) out[d][item] = sum / total;
    }
  }
  return out;
}

GoodDayShare goodDayShare(const std::vector<DailyValues>& cityDays) {
  GoodDayShare out;
  for (const DailyValues& day : cityDays) {
    const auto r = dailyAqi(day);
    if (!r) continue;
    ++out.validDays;
    if (*r->aqi <= 100) ++out.goodDays;
  }
  if (out.validDays > 0) out.percent = 100.0 * out.goodDays / out.validDays;
  return out;
}

AnnualMean annualMean(const std::vector<double>& daily, std::int64_t firstDay) {
  AnnualMean out;
  const int year = civilFromDay(firstDay).year;
  const std::int64_t yearStart = dayFromCivil(year, 1, 1);
  const std::int64_t yearEnd = dayFromCivil(year + 1, 1, 1);
  const std::int64_t endDay = std::min<std::int64_t>(firstDay + static_cast<std::int64_t>(daily.size()), yearEnd);
  out.periodDays = static_cast<int>(std::max<std::int64_t>(endDay - firstDay, 0));
  double sum = 0;
  for (std::int64_t day = firstDay; day < endDay; ++day) {
    const double v = daily[static_cast<std::size_t>(day - firstDay)];
    if (!std::isfinite(v)) continue;
    sum += v;
    ++out.validDays;
    ++out.validDaysPerMonth[static_cast<std::size_t>(civilFromDay(day).month - 1)];
  }
  if (out.validDays > 0) out.mean = sum / out.validDays;
  out.wholeMonthsComplete = true;
  for (int month = 1; month <= 12; ++month) {
    const std::int64_t start = dayFromCivil(year, month, 1);
    if (start < firstDay || start + daysInMonth(year, month) > endDay) continue;  // not wholly in the period
    const int need = month == 2 ? kMinDaysFebruary : kMinDaysPerMonth;
    if (out.validDaysPerMonth[static_cast<std::size_t>(month - 1)] < need) out.wholeMonthsComplete = false;
  }
  out.validAnnual = firstDay == yearStart && endDay == yearEnd && out.validDays >= kMinDaysPerYear &&
                    out.wholeMonthsComplete;
  return out;
}

YearIndicators yearIndicators(const std::vector<StationHours>& stations, std::int64_t firstDay, std::int64_t endDay) {
  YearIndicators out;
  out.firstDay = firstDay;
  out.endDay = std::max(endDay, firstDay);
  const int days = static_cast<int>(out.endDay - firstDay);
  std::vector<std::vector<DailyValues>> perStation;
  perStation.reserve(stations.size());
  std::vector<double> pm25(static_cast<std::size_t>(days));
  for (const StationHours& s : stations) {
    perStation.push_back(stationDays(s, firstDay, days));
    for (int d = 0; d < days; ++d) {
      pm25[static_cast<std::size_t>(d)] = perStation.back()[static_cast<std::size_t>(d)][kPm25];
    }
    out.stationPm25.push_back(annualMean(pm25, firstDay));
  }
  const std::vector<DailyValues> city = cityDays(perStation);
  out.stationDays = std::move(perStation);
  for (int d = 0; d < days; ++d) {
    pm25[static_cast<std::size_t>(d)] =
        d < static_cast<int>(city.size()) ? city[static_cast<std::size_t>(d)][kPm25] : kNaN;
  }
  out.pm25 = annualMean(pm25, firstDay);
  out.goodDays = goodDayShare(city);
  return out;
}

AreaIndicators areaIndicators(const YearIndicators& year, const std::vector<std::pair<std::size_t, double>>& weights) {
  AreaIndicators out;
  const std::vector<DailyValues> area = weightedDays(year.stationDays, weights);
  const auto days = static_cast<std::size_t>(std::max<std::int64_t>(year.endDay - year.firstDay, 0));
  std::vector<double> pm25(days, kNaN);
  for (std::size_t d = 0; d < days && d < area.size(); ++d) pm25[d] = area[d][kPm25];
  out.pm25 = annualMean(pm25, year.firstDay);
  out.goodDays = goodDayShare(area);
  return out;
}

YearIndicators yearToDate(const std::vector<StationHours>& stations, std::int64_t nowUs) {
  const std::int64_t today = localDayOf(nowUs);
  const std::int64_t january1 = dayFromCivil(civilFromDay(today).year, 1, 1);
  return yearIndicators(stations, january1, today);
}

}  // namespace greentwin::air_quality
