#include "greentwin/sim/mobility_model.hpp"

#include <algorithm>
#include <cmath>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

// Probability of a charger being busy by local hour (value at hh:30). ASSUMPTIONS shaped after what operators and
// Beijing's charging-facility reports describe: public fast chargers busiest around noon and in the evening (taxis,
// ride-hailing and commuters topping up), quiet before dawn; slow chargers (at homes, offices and shops) busy
// overnight and through working hours. Average time utilisation ~25-35 %, peaks ~55-65 %.
constexpr std::array<double, 24> kFastBusy = {0.22, 0.18, 0.12, 0.08, 0.06, 0.08, 0.14, 0.22, 0.30, 0.34, 0.40, 0.50,
                                              0.58, 0.52, 0.42, 0.38, 0.40, 0.46, 0.55, 0.62, 0.60, 0.50, 0.38, 0.28};
constexpr std::array<double, 24> kSlowBusy = {0.50, 0.52, 0.52, 0.50, 0.46, 0.40, 0.32, 0.26, 0.30, 0.40, 0.45, 0.46,
                                              0.42, 0.44, 0.45, 0.42, 0.36, 0.30, 0.30, 0.34, 0.40, 0.45, 0.48, 0.50};
// A charging session (a slot that is busy or free as a whole): 45 min fast, 3 h slow.
constexpr double kFastSlotH = 0.75;
constexpr double kSlowSlotH = 3.0;
// A fault lasts its epoch (about two days, the time to a repair), each charger offset in its own phase.
constexpr double kFaultEpochH = 48.0;

// Mode shares (walk, bike, bus, metro, car, taxi) of all trips, walking included. ASSUMPTION after the Beijing
// Transport Institute's annual reports (北京交通发展年度报告): the central city's green-travel share is about 74-75 %
// in the early 2020s with walking about 30 %, cycling about 16 %, rail about 15-16 %, bus about 10-11 %; the
// sub-centre's own split is not published, so the demo takes these, giving 72 % green travel on an average day.
constexpr std::array<double, 6> kBaseShares = {0.30, 0.16, 0.11, 0.15, 0.24, 0.04};

double interpolateHourly(const std::array<double, 24>& table, double hour) {
  const double h = std::fmod(hour - 0.5 + 24.0, 24.0);
  const auto i = static_cast<std::size_t>(h);
  const double f = h - static_cast<double>(i);
  return table[i % 24] * (1.0 - f) + table[(i + 1) % 24] * f;
}

// Hourly share of the day's trips (weekday: 07:30 and 18:00 peaks; weekend: a broad daytime plateau). ASSUMPTION,
// the usual shape of Chinese household travel surveys; sums to 1 over the day.
constexpr std::array<double, 24> kWeekdayTrips = {0.004, 0.002, 0.002, 0.002, 0.004, 0.012, 0.040, 0.098,
                                                  0.092, 0.058, 0.048, 0.052, 0.060, 0.050, 0.046, 0.050,
                                                  0.060, 0.088, 0.084, 0.056, 0.040, 0.026, 0.016, 0.010};
constexpr std::array<double, 24> kWeekendTrips = {0.006, 0.003, 0.002, 0.002, 0.003, 0.008, 0.020, 0.040,
                                                  0.060, 0.072, 0.076, 0.072, 0.066, 0.064, 0.066, 0.068,
                                                  0.070, 0.070, 0.066, 0.058, 0.048, 0.034, 0.016, 0.010};

}  // namespace

double ChargerModel::busyProbability(bool fast, double hour, bool weekend) {
  const double p = interpolateHourly(fast ? kFastBusy : kSlowBusy, hour);
  // Weekends: fewer commuters at office chargers, more leisure trips: a little quieter overall.
  return weekend ? 0.9 * p : p;
}

ChargerModel::ChargerModel(std::vector<Charger> chargers, std::uint64_t seed) : seed_(seed) {
  chargers_.reserve(chargers.size());
  for (const Charger& c : chargers) {
    chargers_.push_back({hashText(c.id), c.kind == "fast", c.ratedKw > 0 ? c.ratedKw : (c.kind == "fast" ? 60.0 : 7.0)});
  }
}

void ChargerModel::prepare(TimePoint t) {
  hours_ = static_cast<double>(t) / 3.6e9;
  const LocalTime lt = localTime(t);
  localHour_ = lt.hour;
  weekend_ = lt.weekend();
}

ChargerReading ChargerModel::at(TimePoint /*t*/, std::size_t i) const {
  const Entry& c = chargers_[i];
  ChargerReading r;
  // Fault: ~3 % of chargers at any time, each fault lasting its ~2-day epoch.
  const double faultPhase = kFaultEpochH * hashUnit(seed_, c.key ^ 0xfa17ull);
  const auto faultEpoch = static_cast<std::uint64_t>(std::floor((hours_ + faultPhase) / kFaultEpochH));
  if (hashUnit(seed_ ^ faultEpoch, c.key ^ 0xfa17ull) < kFaultShare) {
    r.state = static_cast<int>(ChargerStateCode::Fault);
    return r;
  }
  // Busy or free per session slot, with the probability of the hour the slot began.
  const double slotH = c.fast ? kFastSlotH : kSlowSlotH;
  const double phase = slotH * hashUnit(seed_, c.key);
  const double slot = std::floor((hours_ + phase) / slotH);
  const double slotStartLocal = localHour_ - std::fmod(hours_ + phase, slotH);
  const double p = busyProbability(c.fast, std::fmod(slotStartLocal + 24.0, 24.0), weekend_);
  if (hashUnit(seed_ ^ static_cast<std::uint64_t>(slot), c.key) < p) {
    r.state = static_cast<int>(ChargerStateCode::Charging);
    // Delivered power: the rated power tapering as the battery fills (about 95 % early in the session, 55 % late).
    const double along = std::fmod(hours_ + phase, slotH) / slotH;
    r.powerKw = c.ratedKw * (0.95 - 0.4 * along);
  }
  return r;
}

double ModalSplitReading::total() const {
  double sum = 0;
  for (double v : tripsPerHour) sum += v;
  return sum;
}

double ModalSplitReading::greenShare() const {
  const double all = total();
  return all > 0 ? (tripsPerHour[0] + tripsPerHour[1] + tripsPerHour[2] + tripsPerHour[3]) / all : 0.0;
}

const std::array<double, 6>& ModalSplitModel::baseShares() { return kBaseShares; }

ModalSplitModel::ModalSplitModel(double dailyTrips, std::uint64_t seed)
    : dailyTrips_(dailyTrips), seed_(seed), weather_(seed) {}

ModalSplitReading ModalSplitModel::at(TimePoint t) const {
  const LocalTime lt = localTime(t);
  const Weather w = weather_.at(t);
  const double hours = static_cast<double>(t) / 3.6e9;
  const double tripsNow = dailyTrips_ * interpolateHourly(lt.weekend() ? kWeekendTrips : kWeekdayTrips, lt.hour);
  std::array<double, 6> share = kBaseShares;
  // Rush hours (commuting): more rail and bus, fewer walks. Weekends: more walking and car trips, less rail.
  const bool weekdayRush = !lt.weekend() && ((lt.hour >= 7 && lt.hour < 9.5) || (lt.hour >= 17 && lt.hour < 19.5));
  if (weekdayRush) {
    share[3] *= 1.3, share[2] *= 1.15, share[0] *= 0.8;
  } else if (lt.weekend()) {
    share[0] *= 1.1, share[4] *= 1.15, share[3] *= 0.8;
  }
  // Rain: walking and cycling fall (up to 40 %), the trips move to car, taxi and bus.
  const double wet = std::min(1.0, w.rainMmH / 4.0);
  share[0] *= 1.0 - 0.3 * wet, share[1] *= 1.0 - 0.4 * wet;
  share[4] *= 1.0 + 0.25 * wet, share[5] *= 1.0 + 0.6 * wet, share[2] *= 1.0 + 0.1 * wet;
  // +-5 % per mode (~1 h), then normalised.
  double sum = 0;
  for (std::size_t m = 0; m < share.size(); ++m) {
    share[m] *= 1.0 + 0.05 * smoothNoise(seed_ ^ hashText(kModeNames[m]), hours);
    sum += share[m];
  }
  ModalSplitReading r;
  for (std::size_t m = 0; m < share.size(); ++m) r.tripsPerHour[m] = tripsNow * share[m] / sum;
  return r;
}

}  // namespace gt::sim
