#pragma once
// The water feeds' models (docs/simulator.md "Water"): district metered areas (DMAs) of the supply network — demand
// on a diurnal curve, unbilled use, meter under-registration and pressure-dependent real leakage growing with the age
// of the mains — and river monitoring sections whose GB 3838 parameters follow a slowly varying pollution load, the
// season (warm water holds less oxygen; cold water nitrifies less) and rain (runoff). Pure functions of (seed,
// entity, time), like the other models. prepare(t) once, then at(t, i). One thread per instance.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

// A DMA as the demo data describes it (assets/generator/water_network.cpp).
struct DmaSpec {
  std::string id;
  double population = 0;
  double nonResidentialFloorM2 = 0;
  double mainsKm = 0;
  int mainsYear = 2000;
};

// ASSUMPTIONS of the model (docs/simulator.md "Water"), not statistics:
inline constexpr double kResidentialM3PerPersonDay = 0.12;  // domestic use, 120 L per resident and day
inline constexpr double kNonResidentialM3PerM2Day = 0.002;  // offices, shops, schools: 2 L per m2 of floor and day
inline constexpr double kUnbilledShare = 0.01;              // flushing, fire fighting, municipal use: 1 % of use
inline constexpr double kBilledShare = 0.975;               // customer meters register 97.5 % (apparent losses 2.5 %)
inline constexpr double kLeakM3PerKmHourPerYear = 0.03;     // real leakage per km of mains and year of their age
inline constexpr double kLeakagePressureExponent = 1.0;     // FAVAD N1 for mixed pipe materials

struct DmaReading {
  double inflowM3h = 0, billedM3h = 0;                // now
  double inflow24hM3 = 0, billed24hM3 = 0, unbilled24hM3 = 0;  // the last 24 h
  double nightFlowM3h = 0, nightUseM3h = 0;           // the last night's minimum inflow (02:00-05:00), and the
                                                      // metered use (billed + unbilled) at that moment
};

class DmaModel {
 public:
  DmaModel(std::vector<DmaSpec> dmas, std::uint64_t seed);
  void prepare(TimePoint t);
  DmaReading at(TimePoint t, std::size_t i) const;
  std::size_t size() const { return dmas_.size(); }
  // The share of the day's mean demand at local `hour` (weekday or weekend): about 0.4 at 03:00, peaks near 1.45 at
  // 07:30 and 19:30 on weekdays (weekends an hour later and flatter); each day averages 1.
  static double demandFactor(double hour, bool weekend);

  struct Flows {
    double consumption = 0, unbilled = 0, leakage = 0;
    double inflow() const { return consumption + unbilled + leakage; }
    double billed() const { return kBilledShare * consumption; }
  };
  // The instantaneous flows (m3/h) of DMA i at t.
  Flows flows(TimePoint t, std::size_t i) const;

 private:
  struct Entry {
    std::uint64_t key = 0;
    double meanDemandM3h = 0;  // the day's mean consumption
    double mainsKm = 0;
    int mainsYear = 2000;
  };
  std::vector<Entry> dmas_;
  std::vector<DmaReading> prepared_;
  std::uint64_t seed_;
};

// A river section as the demo data describes it: its pollution load, 0 clean .. 1 heavily loaded.
struct SectionSpec {
  std::string id;
  double loadIndex = 0.5;
};

// In parameters' GB 3838 order: DO, COD_Mn, COD, BOD5, NH3-N, TP (mg/L), and the water temperature (C).
struct SectionReading {
  std::array<double, 6> mgPerL{};
  double waterTempC = 0;
};

class RiverModel {
 public:
  RiverModel(std::vector<SectionSpec> sections, std::uint64_t seed);
  void prepare(TimePoint t);
  SectionReading at(TimePoint t, std::size_t i) const;
  std::size_t size() const { return sections_.size(); }
  // Dissolved-oxygen saturation of fresh water (mg/L) at a temperature (C), at sea-level pressure.
  static double oxygenSaturation(double waterTempC);

 private:
  std::vector<SectionSpec> sections_;
  std::uint64_t seed_;
  WeatherModel weather_;
  double summer_ = 0, runoff_ = 0, waterTempC_ = 0;
};

// The simulator's entities for the water feeds (read from the twin's config by water_world.hpp).
struct WaterWorld {
  std::vector<DmaSpec> dmas;
  std::vector<SectionSpec> sections;
};

}  // namespace gt::sim
