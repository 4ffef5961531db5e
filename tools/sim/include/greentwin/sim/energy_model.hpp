#pragma once
// Electricity in the city (docs/simulator.md "Energy"): each building's load from its use class (daily and weekly
// profiles), floor area and the air temperature; its rooftop PV from the sun's position at 39.9 N 116.7 E, the
// clouds and the installed roof capacity; each substation's load as the sum over the buildings it serves, minus
// their PV, plus the load of the lower-voltage substations it feeds (a radial stand-in for the real topology, below).
// prepare(t) evaluates the shared factors and the substation sums; at(t, i) is then cheap. One thread per instance.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

struct Building {
  std::string id;
  std::string use;            // residential, office, commercial, public, industrial, school, hospital, village
  double floorAreaM2 = 0;     // footprint x floors
  double roofPvKw = 0;        // installed rooftop PV (kWp); 0: none
  double intensityKwhM2 = 0;  // annual electricity use per floor area; 0: the use class's default
  double x = 0, y = 0;        // scene metres
  std::string substation{};   // the serving substation's feature id (its id attribute), "": the nearest rule below
};

struct Substation {
  std::string id;
  double capacityMva = 0;
  double x = 0, y = 0;
  int voltageKv = 0;    // 0: unknown (then all substations are one level)
  std::string fedFrom{};  // the feeding substation's feature id, "": the nearest rule below
};

struct BuildingReading {
  double loadKw = 0, pvKw = 0;
  double netKw() const { return loadKw - pvKw; }
};

struct SubstationReading {
  double loadMw = 0, pvMw = 0, netMw = 0;
  double loadingPct = 0;  // net load / (capacity x power factor 0.95)
  std::size_t buildings = 0;  // buildings it serves directly (not through the substations it feeds)
};

class EnergyModel {
 public:
  // The radial topology, fixed here: a building's `substation` and a substation's `fedFrom` when they name a
  // substation (the demo generator plans both, docs/demo-data.md); otherwise, with several voltage levels, the
  // substations below the highest level serve the buildings (each building its nearest one: their 10 kV feeders)
  // and each substation is fed by the nearest one of the next higher level present, the highest level (500 kV in
  // the demo) only feeding substations; with one level (or voltages unknown) every building is served by its
  // nearest substation. A named substation is matched by its entity id or the id's end after a '/' (the twin's ids
  // are "<layer id>/<feature id>"). A feeding substation must be of a higher voltage (else the nearest rule).
  EnergyModel(std::vector<Building> buildings, std::vector<Substation> substations, std::uint64_t seed);

  // Shared factors at t; with aggregateSubstations also every substation's sum (one pass over all buildings, skipped
  // when the sums are already of time t).
  void prepare(TimePoint t, bool aggregateSubstations = true);
  BuildingReading building(TimePoint t, std::size_t i) const;
  SubstationReading substation(std::size_t i) const { return substationReadings_[i]; }

  std::size_t buildingCount() const { return buildings_.size(); }
  std::size_t substationCount() const { return substations_.size(); }
  // The substation serving a building, or SIZE_MAX when there are none.
  std::size_t substationOf(std::size_t building) const { return assignment_[building]; }
  // The substation feeding substation s (the next higher level), or SIZE_MAX for the highest level.
  std::size_t upstreamOf(std::size_t s) const { return upstream_[s]; }
  // The net load (MW) of all buildings at the time of the last substation sums: the district's net import.
  double totalNetMw() const { return totalNetMw_; }
  const Weather& weather() const { return weather_; }

  // Relative load of a use class at local hour (mean over a weekday about 1).
  static double useProfile(int useClass, double hour, bool weekend);
  static int useClassOf(const std::string& use);
  static double defaultIntensityKwhM2(int useClass);

 private:
  struct Item {
    std::uint64_t key = 0;
    int useClass = 0;
    double meanKw = 0;
    double roofPvKw = 0;
  };
  std::vector<Item> buildings_;
  std::vector<Substation> substations_;
  std::vector<std::size_t> assignment_;
  std::vector<std::size_t> upstream_;
  std::vector<std::size_t> bottomUp_;  // substations from the lowest level up: children are summed before parents
  double totalNetMw_ = 0;
  std::vector<SubstationReading> substationReadings_;
  TimePoint aggregatedAt_ = INT64_MIN;  // the time of the substation sums (the substation and grid feeds share them)
  WeatherModel weatherModel_;
  std::uint64_t seed_;
  Weather weather_;
  std::vector<double> classFactor_;  // per use class: profile x temperature at t
  double pvFactor_ = 0;              // kW produced per kWp at t
  double noisePhase_ = 0;
};

}  // namespace gt::sim
