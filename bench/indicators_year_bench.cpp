// The air-quality plugin's #14 PM2.5 annual mean and #15 share of good days over a whole year (docs/air-quality.md
// "#14 and #15"): 12 stations' hourly PM2.5, PM10, NO2 and O3 for 2025 from the simulator's AirModel (tools/sim,
// docs/simulator.md), 3 % of the hours dropped at random, fed into the plugin's per-station year of hourly means.
// Timed: what the plugin does when it recomputes the KPIs — the hourly means of the year taken out of the 12
// stores, daily values with the validity rules, the city's days, the annual mean and the daily AQIs. There is no
// natural baseline for the same result (the plugin's cache only avoids recomputing it); the pure computation on
// ready hourly series is printed on stderr beside it. Prints:
//   BENCH indicators_year_ms <ms> ms target <=2000 PASS|MISS   (best of 5)
// and, on stderr, the inputs and the indicator values.

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <vector>

#include "air_statistics.hpp"
#include "bench_support.hpp"
#include "greentwin/sim/air_model.hpp"
#include "year_hours.hpp"

namespace {

namespace aq = greentwin::air_quality;

template <typename F>
double bestMs(int runs, F&& f) {
  double best = 1e300;
  for (int i = 0; i < runs; ++i) {
    const auto t0 = std::chrono::steady_clock::now();
    f();
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
  }
  return best;
}

}  // namespace

int main() {
  constexpr int kStations = 12;
  const char* siteTypes[] = {"traffic", "urban", "urban", "suburban", "background", "urban"};
  std::vector<gt::sim::AirStation> stations;
  for (int i = 0; i < kStations; ++i) {
    // A 4 x 3 grid 8 km apart, like the demo's stations over the district.
    stations.push_back({"city-aq-stations/aq-" + std::to_string(i + 1), (i % 4) * 8000.0 - 12000.0,
                        (i / 4) * 8000.0 - 8000.0, siteTypes[i % 6]});
  }
  gt::sim::AirModel model(stations, 42);

  const std::int64_t first = aq::dayFromCivil(2025, 1, 1);
  const std::int64_t end = aq::dayFromCivil(2026, 1, 1);
  const int hours = static_cast<int>(end - first) * 24;
  std::vector<aq::YearHours> stores(kStations);
  std::uint64_t rng = 0x9e3779b97f4a7c15ULL;
  int dropped = 0;
  const auto genStart = std::chrono::steady_clock::now();
  for (int h = 0; h < hours; ++h) {
    // The middle of local hour h of the year (UTC = local - 8 h).
    const gt::TimePoint t = (first * 24 + h) * aq::kHourUs - aq::kLocalOffsetUs + aq::kHourUs / 2;
    model.prepare(t);
    for (int s = 0; s < kStations; ++s) {
      rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
      if ((rng >> 33) % 100 < 3) {  // 3 % of the hours missing
        ++dropped;
        continue;
      }
      const gt::sim::AirReading r = model.at(t, static_cast<std::size_t>(s));
      aq::YearHours& y = stores[static_cast<std::size_t>(s)];
      y.add(t, aq::Pollutant::Pm25, r.pm25);
      y.add(t, aq::Pollutant::Pm10, r.pm10);
      y.add(t, aq::Pollutant::No2, r.no2);
      y.add(t, aq::Pollutant::O3, r.o3);
    }
  }
  const double genS =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - genStart).count();

  aq::YearIndicators result;
  const double ms = bestMs(5, [&] {
    std::vector<aq::StationHours> series;
    series.reserve(stores.size());
    for (const aq::YearHours& y : stores) series.push_back(y.hours(first, static_cast<int>(end - first)));
    result = aq::yearIndicators(series, first, end);
  });
  std::vector<aq::StationHours> ready;
  for (const aq::YearHours& y : stores) ready.push_back(y.hours(first, static_cast<int>(end - first)));
  const double pureMs = bestMs(5, [&] { result = aq::yearIndicators(ready, first, end); });

  std::fprintf(stderr,
               "indicators_year: %d stations x %d hours (AirModel seed 42, generated in %.1f s), %d station-hours "
               "dropped\n  #14 PM2.5 annual mean %.2f ug/m3 from %d valid days, valid annual: %s\n"
               "  #15 good days %d of %d valid = %.1f %%\n  pure computation on ready hourly series: %.2f ms\n",
               kStations, hours, genS, dropped, result.pm25.mean, result.pm25.validDays,
               result.pm25.validAnnual ? "yes" : "no", result.goodDays.goodDays, result.goodDays.validDays,
               result.goodDays.percent, pureMs);
  gt::bench::printBench("indicators_year_ms", ms, "ms", true, 2000.0);
  return result.pm25.validDays > 0 ? 0 : 1;
}
