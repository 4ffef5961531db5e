#pragma once
// Road traffic (docs/simulator.md "Traffic"): per link a demand from a weekday/weekend hourly profile with morning
// and evening rush hours, speed from Spiess's conical volume-delay function (1990), flow capped at
// capacity with a capacity drop when congested, rain slowing everything; and buses moving along their routes.
// Links: prepare(t) once, then at(t, i). Buses: a pure function of t. One thread per instance.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/weather.hpp"

namespace gt::sim {

struct RoadLink {
  std::string id;
  std::string roadClass;    // expressway, arterial, secondary, local
  int lanes = 2;            // both directions
  double freeSpeedKmh = 0;  // 0: the class default
};

struct LinkReading {
  double speedKmh = 0;
  double flowVehH = 0;
  double demandRatio = 0;  // demand / capacity (v/c)
  double freeSpeedKmh = 0;  // the link's free-flow speed in dry weather (the traffic plugin grades speed against it)
};

struct BusRoute {
  std::string name;                // e.g. "T51"
  std::vector<double> x, y;        // stops in order, scene metres
  std::vector<double> lon, lat;    // the same stops in degrees
};

struct BusReading {
  double lon = 0, lat = 0, x = 0, y = 0;
  double progress = 0;  // 0..1 along the route, outbound then back
  double speedKmh = 0;
};

// Spiess's conical volume-delay function (Spiess, "Conical volume-delay functions", Transportation Science 24(2),
// 1990): travel time / free-flow time at demand/capacity x, with beta = (2 alpha - 1) / (2 alpha - 2), alpha > 1.
// 1 at x = 0, 2 at capacity, and — unlike BPR's 1 + a x^4, which barely slows traffic past capacity — growing about
// linearly with slope alpha beyond it, as queues do: a rush hour reaches the severe congestion Beijing's index counts.
double conicalDelay(double x, double alpha);

class TrafficModel {
 public:
  TrafficModel(std::vector<RoadLink> links, std::vector<BusRoute> routes, std::uint64_t seed);

  void prepare(TimePoint t);
  LinkReading at(TimePoint t, std::size_t link) const;

  // Buses: busesOnRoute(r) buses per route, spaced evenly; bus(t, r, k) is a pure function of t.
  std::size_t routeCount() const { return routes_.size(); }
  std::size_t busesOnRoute(std::size_t route) const;
  const BusRoute& route(std::size_t r) const { return routes_[r].route; }
  BusReading bus(TimePoint t, std::size_t route, std::size_t k) const;
  std::size_t linkCount() const { return links_.size(); }

  // Share of the daily traffic in the hour around local `hour`, relative to the peak hour (0..1).
  static double demandProfile(double hour, bool weekend);

 private:
  struct Link {
    std::uint64_t key = 0;
    double freeKmh = 50, capacity = 1000, peakRatio = 0.8, alpha = 0.15;
  };
  struct Route {
    BusRoute route;
    std::vector<double> cumulative;  // distance at each stop, m
    double length = 0;
  };
  std::vector<Link> links_;
  std::vector<Route> routes_;
  WeatherModel weatherModel_;
  std::uint64_t seed_;
  Weather weather_;
  double profile_ = 0;
  double hours_ = 0;
};

}  // namespace gt::sim
