#pragma once
// What the traffic plugin needs beyond link speeds (docs/simulator.md "Chargers and modal split"): the state of
// each EV charger (free / charging / fault, and the power it delivers) and the district's trips per hour by mode.
// Pure functions of (seed, entity, time), like the other models. Chargers: prepare(t) once, then at(t, i); modal
// split: at(t). One thread per instance.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

struct Charger {
  std::string id;
  std::string kind = "slow";  // fast | slow (the demo data's `kind`)
  double ratedKw = 7.0;       // the demo data's `power_kw`
};

// The charger's `state` codes (the traffic plugin's chargers.hpp reads the same).
enum class ChargerStateCode : int { Free = 0, Charging = 1, Fault = 2 };

struct ChargerReading {
  int state = 0;       // ChargerStateCode
  double powerKw = 0;  // delivered now: 0 unless charging
};

class ChargerModel {
 public:
  ChargerModel(std::vector<Charger> chargers, std::uint64_t seed);
  void prepare(TimePoint t);
  ChargerReading at(TimePoint t, std::size_t i) const;
  std::size_t size() const { return chargers_.size(); }
  // Probability that a charger of this kind is charging at local `hour` on a weekday or weekend day (0..1).
  static double busyProbability(bool fast, double hour, bool weekend);
  static constexpr double kFaultShare = 0.03;

 private:
  struct Entry {
    std::uint64_t key = 0;
    bool fast = false;
    double ratedKw = 7.0;
  };
  std::vector<Entry> chargers_;
  std::uint64_t seed_;
  double hours_ = 0;  // since the epoch
  double localHour_ = 0;
  bool weekend_ = false;
};

// The simulator's entities for these feeds (read from the twin's config by mobility_world.hpp).
struct MobilityWorld {
  std::vector<Charger> chargers;       // the ev_chargers layer's features
  std::vector<std::string> districts;  // the district layer's feature ids, e.g. "tongzhou-district/0"
};

// Trips per hour by mode, index = mode: walk, bike, bus, metro, car, taxi.
inline constexpr std::array<const char*, 6> kModeNames = {"walk", "bike", "bus", "metro", "car", "taxi"};
struct ModalSplitReading {
  std::array<double, 6> tripsPerHour{};
  double total() const;
  double greenShare() const;  // (walk + bike + bus + metro) / all
};

class ModalSplitModel {
 public:
  // dailyTrips: all trips a day in the district (every mode, walking included).
  ModalSplitModel(double dailyTrips, std::uint64_t seed);
  ModalSplitReading at(TimePoint t) const;
  // The daily mean mode shares the model is built around (they sum to 1).
  static const std::array<double, 6>& baseShares();

 private:
  double dailyTrips_;
  std::uint64_t seed_;
  WeatherModel weather_;
};

}  // namespace gt::sim
