#pragma once
// The road links of the traffic plugin (docs/traffic.md "Link levels"): the link list from the road layer's
// features (entity handle, length, road class, static speed), the per-frame derivation of each link's
// `congestion_level` — a chunk of links per frame, round robin, pushed only for links whose speed or free-speed
// sample changed — and the link states the network index is computed from.
// Update thread only (the plugin's source poll and KPI callbacks).
#include <greentwin/plugin.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "congestion.hpp"
#include "warn_once.hpp"

namespace greentwin::traffic {

// How a link's level is graded (the `grading` setting).
enum class Grading { Ratio, ClassSpeed };
// How links weigh in the network index (the `index_weighting` setting).
enum class Weighting { Vkt, Length };

struct LinkSettings {
  std::string layer = "city-roads";
  Grading grading = Grading::Ratio;
  Weighting weighting = Weighting::Vkt;
  std::size_t linksPerFrame = 2000;
  double staleAfterS = 300;
};

// The attributes read and pushed.
inline constexpr const char* kSpeedAttribute = "speed_kmh";           // live mean speed, km/h
inline constexpr const char* kFreeSpeedAttribute = "free_speed_kmh";  // live free-flow speed, km/h
inline constexpr const char* kFlowAttribute = "flow_veh_h";           // live flow, veh/h (VKT weights)
inline constexpr const char* kLevelAttribute = "congestion_level";    // pushed: 1..5

class LinkLevels {
 public:
  LinkLevels(greentwin::plugin::Host host, WarnOnce& warnings) : host_(host), warnings_(warnings) {}

  // A changed setting: the links are read again (layer) and every level derived again.
  void configure(const LinkSettings& settings);

  // Each frame: derives and pushes the levels of the next chunk of links whose inputs changed.
  void poll(std::int64_t nowUs);

  // Every link's level and weight now (samples older than staleAfterS left out), for the network index.
  std::vector<LinkState> states(std::int64_t nowUs);

  std::size_t linkCount() { return links().size(); }
  std::uint64_t pushes() const { return pushes_; }

 private:
  struct Link {
    std::string id;
    std::uint32_t entity = 0;
    double lengthM = 0;
    std::optional<RoadClass> roadClass;
    double staticFreeKmh = 0;  // the feature's own `speed_kmh` (the road's speed), 0 when none
    std::int64_t speedUs = 0, freeUs = 0;  // the samples the pushed level came from
    bool pending = true;
    int refusedPushes = 0;
  };

  std::vector<Link>& links();
  // The level of a link from its inputs; nullopt with a warning (once per cause) when they are unusable.
  std::optional<int> level(const Link& link, double speed, double freeSpeed);
  // The free-flow speed: the live one, else the feature's own speed; NaN when neither.
  static double freeSpeedOf(const Link& link, double liveFree) {
    if (std::isfinite(liveFree) && liveFree > 0) return liveFree;
    return link.staticFreeKmh > 0 ? link.staticFreeKmh : std::nan("");
  }

  greentwin::plugin::Host host_;
  WarnOnce& warnings_;
  LinkSettings settings_;
  std::vector<Link> links_;
  std::chrono::steady_clock::time_point refreshedAt_{};
  std::chrono::steady_clock::time_point firstTry_{};
  std::size_t cursor_ = 0;
  std::uint64_t pushes_ = 0;
  // Scratch for the bulk reads.
  std::vector<std::uint32_t> handles_;
  std::vector<double> speed_, free_, flow_;
  std::vector<std::int64_t> speedUs_, freeUs_, flowUs_;
};

}  // namespace greentwin::traffic
