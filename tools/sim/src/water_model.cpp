#include "greentwin/sim/water_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

constexpr double kHourUs = 3600.0 * 1e6;
constexpr int kStepsPerDay = 96;  // 15-minute steps for the 24 h volumes

// A weekday's demand at hh:00 relative to the day's mean (before normalising): the night minimum before dawn, a
// morning peak as households get up, a midday shoulder and the evening peak. The shape of typical residential DMA
// inflow curves; an assumption, not a measured Tongzhou curve.
constexpr std::array<double, 24> kWeekday = {0.55, 0.45, 0.40, 0.38, 0.42, 0.60, 1.05, 1.45, 1.40, 1.25, 1.15, 1.20,
                                             1.25, 1.10, 1.00, 0.98, 1.02, 1.15, 1.35, 1.45, 1.40, 1.25, 1.00, 0.75};

double tableMean() {
  double sum = 0;
  for (double v : kWeekday) sum += v;
  return sum / 24.0;
}

double interpolate(double hour) {
  const double h = std::fmod(hour + 24.0, 24.0);
  const int i = static_cast<int>(h) % 24;
  const double f = h - std::floor(h);
  return kWeekday[static_cast<std::size_t>(i)] * (1 - f) + kWeekday[static_cast<std::size_t>((i + 1) % 24)] * f;
}

int calendarYear(TimePoint t) {
  return 1970 + static_cast<int>(std::floor(static_cast<double>(t) / 1e6 / (365.2425 * 86400.0)));
}

// The local clock hour (0..24) at which the last night's minimum is looked for ends.
constexpr double kNightStart = 2.0, kNightEnd = 5.0;

}  // namespace

double DmaModel::demandFactor(double hour, bool weekend) {
  // Weekends: the day an hour later and flatter (90 % of the weekday's swing about the mean).
  const double v = interpolate(weekend ? hour - 1.0 : hour) / tableMean();
  return weekend ? 1.0 + 0.9 * (v - 1.0) : v;
}

DmaModel::DmaModel(std::vector<DmaSpec> dmas, std::uint64_t seed) : seed_(seed) {
  for (const DmaSpec& d : dmas) {
    Entry e;
    e.key = hashText(d.id);
    e.meanDemandM3h = (std::max(d.population, 0.0) * kResidentialM3PerPersonDay +
                       std::max(d.nonResidentialFloorM2, 0.0) * kNonResidentialM3PerM2Day) /
                      24.0;
    e.mainsKm = std::max(d.mainsKm, 0.0);
    e.mainsYear = d.mainsYear;
    dmas_.push_back(e);
  }
  prepared_.resize(dmas_.size());
}

DmaModel::Flows DmaModel::flows(TimePoint t, std::size_t i) const {
  const Entry& e = dmas_[i];
  const LocalTime lt = localTime(t);
  const double hours = static_cast<double>(t) / kHourUs;
  const double pattern = demandFactor(lt.hour, lt.weekend());
  // Summer days use about 15 % more than winter ones (gardens, showers, cooling); +-4 % of day-to-day noise.
  const double season = 0.93 + 0.14 * (0.5 - 0.5 * std::cos(2 * 3.14159265358979 * (lt.dayOfYear - 15.0) / 365.25));
  const double noise = 1.0 + 0.04 * fractalNoise(seed_ ^ e.key ^ 0xD3A1ULL, hours / 6.0);
  Flows f;
  f.consumption = e.meanDemandM3h * pattern * season * noise;
  f.unbilled = kUnbilledShare * f.consumption;
  // Pressure falls with the demand (head loss in the mains): about +12 % of the mean at the night minimum, -10 % at the
  // peaks. Leakage follows it with the FAVAD exponent, and drifts +-10 % over weeks as bursts appear and are repaired.
  const double pressure = 1.2 - 0.3 * pattern / 1.45;
  const int age = std::max(1, calendarYear(t) - e.mainsYear);
  const double drift = 1.0 + 0.10 * fractalNoise(seed_ ^ e.key ^ 0x1EA4ULL, hours / (24.0 * 10.0));
  f.leakage = e.mainsKm * kLeakM3PerKmHourPerYear * age * std::pow(pressure, kLeakagePressureExponent) * drift;
  return f;
}

void DmaModel::prepare(TimePoint t) {
  const auto step = static_cast<TimePoint>(86400.0 * 1e6 / kStepsPerDay);
  // The last night whose window has ended: today's if it is past 05:00 local, else yesterday's.
  const LocalTime lt = localTime(t);
  const double sinceNightEndH = lt.hour >= kNightEnd ? lt.hour - kNightEnd : lt.hour + 24.0 - kNightEnd;
  const TimePoint nightStart =
      t - static_cast<TimePoint>((sinceNightEndH + (kNightEnd - kNightStart)) * kHourUs);
  for (std::size_t i = 0; i < dmas_.size(); ++i) {
    DmaReading& r = prepared_[i];
    r = DmaReading{};
    const Flows now = flows(t, i);
    r.inflowM3h = now.inflow();
    r.billedM3h = now.billed();
    // The volumes of the last 24 h: the midpoint rule over 15-minute steps.
    for (int k = 0; k < kStepsPerDay; ++k) {
      const Flows f = flows(t - step * k - step / 2, i);
      const double hoursPerStep = 24.0 / kStepsPerDay;
      r.inflow24hM3 += f.inflow() * hoursPerStep;
      r.billed24hM3 += f.billed() * hoursPerStep;
      r.unbilled24hM3 += f.unbilled * hoursPerStep;
    }
    // The minimum night flow: the lowest 15-minute inflow of the night window, and the metered use then.
    r.nightFlowM3h = 1e300;
    for (TimePoint s = nightStart; s <= nightStart + static_cast<TimePoint>((kNightEnd - kNightStart) * kHourUs);
         s += step) {
      const Flows f = flows(s, i);
      if (f.inflow() < r.nightFlowM3h) r.nightFlowM3h = f.inflow(), r.nightUseM3h = f.billed() + f.unbilled;
    }
  }
}

DmaReading DmaModel::at(TimePoint /*t*/, std::size_t i) const { return prepared_[i]; }

// Benson and Krause (1984), as in Standard Methods 4500-O: ln DO = -139.34411 + 1.575701e5/T - 6.642308e7/T^2 +
// 1.243800e10/T^3 - 8.621949e11/T^4, T in kelvin (fresh water at 1 atm).
double RiverModel::oxygenSaturation(double c) {
  const double t = c + 273.15;
  return std::exp(-139.34411 + 1.575701e5 / t - 6.642308e7 / (t * t) + 1.2438e10 / (t * t * t) -
                  8.621949e11 / (t * t * t * t));
}

RiverModel::RiverModel(std::vector<SectionSpec> sections, std::uint64_t seed)
    : sections_(std::move(sections)), seed_(seed), weather_(seed) {}

void RiverModel::prepare(TimePoint t) {
  const Weather w = weather_.at(t);
  summer_ = w.seasonSummer;
  waterTempC_ = 3.0 + 23.0 * summer_;  // the river from about 3 C in January to 26 C in July
  // Runoff: the rain of the last 12 hours (mm), saturating at 20 mm.
  double rainMm = 0;
  for (int h = 0; h < 12; ++h) rainMm += weather_.at(t - static_cast<TimePoint>(h * kHourUs)).rainMmH;
  runoff_ = std::min(1.0, rainMm / 20.0);
}

SectionReading RiverModel::at(TimePoint t, std::size_t i) const {
  const SectionSpec& s = sections_[i];
  const std::uint64_t key = hashText(s.id);
  const double days = static_cast<double>(t) / (24.0 * kHourUs);
  // The load varies slowly (+-12 % over days: upstream flow, effluent, dilution), and a little between samples.
  const double load = std::clamp(s.loadIndex, 0.0, 1.0) * (1.0 + 0.12 * fractalNoise(seed_ ^ key ^ 0x51ULL, days / 3.0));
  const auto jitter = [&](std::uint64_t salt) { return 1.0 + 0.03 * smoothNoise(seed_ ^ key ^ salt, days * 6.0); };
  SectionReading r;
  r.waterTempC = waterTempC_;
  const double cod = (8.0 + 26.0 * load * (1.0 + 0.08 * summer_) + 8.0 * runoff_) * jitter(1);
  r.mgPerL[0] = oxygenSaturation(waterTempC_) * std::max(0.05, 1.0 - 0.55 * load - 0.1 * runoff_) * jitter(2);  // DO
  r.mgPerL[1] = 0.30 * cod * jitter(3);                                                   // COD_Mn
  r.mgPerL[2] = cod;                                                                      // COD
  r.mgPerL[3] = 0.19 * cod * jitter(4);                                                   // BOD5
  r.mgPerL[4] = (0.15 + 1.6 * load * (1.25 - 0.5 * summer_) + 0.3 * runoff_) * jitter(5);  // NH3-N: worse when cold
  r.mgPerL[5] = (0.03 + 0.33 * load + 0.08 * runoff_) * jitter(6);                        // TP
  return r;
}

}  // namespace gt::sim
