#include "greentwin/sim/traffic_model.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

#include "greentwin/sim/noise.hpp"
#include "greentwin/sim/sky.hpp"

namespace gt::sim {
namespace {

// Hourly share of daily traffic on urban roads (weekday: sharp 08:00 and 18:00 peaks; weekend: a broad
// late-morning to evening plateau), as in typical Chinese urban count profiles. Value at hh:30.
constexpr std::array<double, 24> kWeekdayShare = {0.012, 0.008, 0.006, 0.005, 0.007, 0.018, 0.045, 0.075,
                                                  0.082, 0.062, 0.052, 0.053, 0.054, 0.052, 0.054, 0.058,
                                                  0.066, 0.080, 0.078, 0.058, 0.045, 0.035, 0.028, 0.020};
constexpr std::array<double, 24> kWeekendShare = {0.016, 0.011, 0.008, 0.006, 0.006, 0.010, 0.022, 0.038,
                                                  0.052, 0.062, 0.066, 0.066, 0.064, 0.062, 0.063, 0.064,
                                                  0.065, 0.066, 0.064, 0.056, 0.048, 0.040, 0.032, 0.024};
constexpr double kPeakShare = 0.082;

struct ClassDefaults {
  const char* name;
  double freeKmh, perLaneVehH, peakRatio, alpha;
};
// Per-lane capacity after the Chinese urban road design code (CJJ 37); peak demand/capacity for a congested
// sub-centre; alpha: the steepness of the conical volume-delay function (below), larger where queues at signals
// build faster past capacity.
constexpr std::array<ClassDefaults, 4> kClasses = {{{"expressway", 100, 1900, 1.10, 6.0},
                                                    {"arterial", 60, 1600, 1.05, 4.0},
                                                    {"secondary", 50, 1200, 0.90, 4.0},
                                                    {"local", 30, 800, 0.60, 4.0}}};


// Buses: mean commercial speed and how much the rush hours slow them.
constexpr double kBusMeanKmh = 20.0;
constexpr double kBusRushSlowdown = 0.3;
constexpr double kHalfDayS = 12.0 * 3600.0;

}  // namespace

double conicalDelay(double x, double alpha) {
  const double beta = (2.0 * alpha - 1.0) / (2.0 * alpha - 2.0);
  const double u = 1.0 - x;
  return 2.0 + std::sqrt(alpha * alpha * u * u + beta * beta) - alpha * u - beta;
}

double TrafficModel::demandProfile(double hour, bool weekend) {
  const auto& share = weekend ? kWeekendShare : kWeekdayShare;
  const double h = std::fmod(hour - 0.5 + 24.0, 24.0);
  const auto i = static_cast<std::size_t>(h);
  const double f = h - static_cast<double>(i);
  return (share[i % 24] * (1.0 - f) + share[(i + 1) % 24] * f) / kPeakShare;
}

TrafficModel::TrafficModel(std::vector<RoadLink> links, std::vector<BusRoute> routes, std::uint64_t seed)
    : weatherModel_(seed), seed_(seed) {
  links_.reserve(links.size());
  for (const RoadLink& l : links) {
    ClassDefaults c = kClasses[3];
    for (const ClassDefaults& k : kClasses) {
      if (l.roadClass == k.name) c = k;
    }
    Link link;
    link.key = hashText(l.id);
    link.freeKmh = l.freeSpeedKmh > 0 ? l.freeSpeedKmh : c.freeKmh;
    link.capacity = std::max(1, l.lanes) * c.perLaneVehH;
    // Links differ in how loaded they are (+-20%).
    link.peakRatio = c.peakRatio * (1.0 + 0.2 * hashSigned(seed, link.key));
    link.alpha = c.alpha;
    links_.push_back(link);
  }
  for (BusRoute& r : routes) {
    Route route;
    route.cumulative.push_back(0.0);
    for (std::size_t i = 1; i < r.x.size(); ++i) {
      route.cumulative.push_back(route.cumulative.back() + std::hypot(r.x[i] - r.x[i - 1], r.y[i] - r.y[i - 1]));
    }
    route.length = route.cumulative.back();
    route.route = std::move(r);
    if (route.route.x.size() >= 2 && route.length > 0) routes_.push_back(std::move(route));
  }
}

void TrafficModel::prepare(TimePoint t) {
  weather_ = weatherModel_.at(t);
  const LocalTime lt = localTime(t);
  profile_ = demandProfile(lt.hour, lt.weekend());
  hours_ = static_cast<double>(t) / 3.6e9;
}

LinkReading TrafficModel::at(TimePoint /*t*/, std::size_t i) const {
  const Link& l = links_[i];
  // Rain lowers free speed (up to 15%) and capacity (up to 10%).
  const double wet = std::min(1.0, weather_.rainMmH / 5.0);
  const double freeKmh = l.freeKmh * (1.0 - 0.15 * wet);
  const double capacity = l.capacity * (1.0 - 0.1 * wet);
  const double fluctuation = 1.0 + 0.1 * smoothNoise(seed_ ^ l.key, hours_ * 4.0);  // ~15 min
  LinkReading r;
  r.freeSpeedKmh = l.freeKmh;
  r.demandRatio = std::max(0.0, l.peakRatio * profile_ * l.capacity / capacity * fluctuation);
  r.speedKmh = freeKmh / conicalDelay(r.demandRatio, l.alpha);
  // Served flow: the demand up to capacity; past it, queues form and discharge a little below capacity.
  r.flowVehH = r.demandRatio <= 1.0 ? r.demandRatio * capacity
                                    : capacity * std::max(0.8, 1.0 - 0.3 * (r.demandRatio - 1.0));
  return r;
}

std::size_t TrafficModel::busesOnRoute(std::size_t route) const {
  // About one bus per 4 km of route (a round trip every ~25 min at the ends), between 1 and 6.
  return static_cast<std::size_t>(std::clamp(std::round(routes_[route].length / 4000.0), 1.0, 6.0));
}

BusReading TrafficModel::bus(TimePoint t, std::size_t routeIndex, std::size_t k) const {
  const Route& r = routes_[routeIndex];
  const double ts = static_cast<double>(t) / 1e6;
  const double localS = ts + kShanghaiUtcOffsetMinutes * 60.0;
  // Speed v(t) = v0 (1 - a cos(2 pi (t - 08:00) / 12 h)): slowest at 08:00 and 20:00. Its integral gives the
  // distance travelled in closed form, so a bus's position is a pure function of t.
  const double v0 = kBusMeanKmh / 3.6;
  const double phase = 2.0 * std::numbers::pi * (localS - 8.0 * 3600.0) / kHalfDayS;
  const double travelled = v0 * (localS - kBusRushSlowdown * kHalfDayS / (2.0 * std::numbers::pi) * std::sin(phase));
  const double loop = 2.0 * r.length;  // out and back
  const double offset = loop * static_cast<double>(k) / static_cast<double>(busesOnRoute(routeIndex)) +
                        loop * hashUnit(seed_, hashText(r.route.name));
  const double s = std::fmod(std::fmod(travelled + offset, loop) + loop, loop);
  const double along = s <= r.length ? s : loop - s;
  const auto it = std::upper_bound(r.cumulative.begin(), r.cumulative.end(), along);
  const std::size_t seg = std::min<std::size_t>(static_cast<std::size_t>(std::max<std::ptrdiff_t>(it - r.cumulative.begin(), 1)),
                                                r.cumulative.size() - 1);
  const double segLength = r.cumulative[seg] - r.cumulative[seg - 1];
  const double f = segLength > 0 ? std::clamp((along - r.cumulative[seg - 1]) / segLength, 0.0, 1.0) : 0.0;
  const BusRoute& route = r.route;
  BusReading b;
  b.x = route.x[seg - 1] + f * (route.x[seg] - route.x[seg - 1]);
  b.y = route.y[seg - 1] + f * (route.y[seg] - route.y[seg - 1]);
  b.lon = route.lon[seg - 1] + f * (route.lon[seg] - route.lon[seg - 1]);
  b.lat = route.lat[seg - 1] + f * (route.lat[seg] - route.lat[seg - 1]);
  b.progress = s / loop;
  b.speedKmh = kBusMeanKmh * (1.0 - kBusRushSlowdown * std::cos(phase));
  return b;
}

}  // namespace gt::sim
