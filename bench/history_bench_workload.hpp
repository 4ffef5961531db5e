#pragma once
// The workload of bench/history_bench.cpp: what greentwin-sim publishes, from its own models (greentwin_sim_models,
// docs/simulator.md), for a synthetic district sized by its number of buildings: buildings (energy.building:
// load_kw, pv_kw, net_kw), road links (traffic.link: speed, flow, v/c and the constant free-flow speed), their
// substations (energy.substation), green spaces (forest.stand) and 12 air-quality stations (air.station, with the
// weather), every entity swept at a fixed interval. Values are the models' full doubles (slowly varying loads, PV
// following the clouds, noisy traffic, constants), as the simulator sends them. Sweep times are the interval plus
// the publisher's wake-up delay (it stamps a sweep with the wall time it woke at): 100-130 µs in 4 sweeps of 5 and
// 100-2100 µs in the fifth, as its sleep loop measured on the 2-core development VM under load (median 115 µs, 90th
// percentile 1 ms, consecutive differences within +-2.3 ms 9 times in 10); `jitter` false: exact intervals.
//
// Threads: built and read on the bench's main thread.

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <iterator>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/connectors/history_config.hpp"
#include "greentwin/connectors/history_writer.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/sim/feeds.hpp"

namespace gt::bench {

struct HistoryWorkload {
  std::shared_ptr<connectors::HistoryNames> names;  // entity index -> id, attribute id -> name
  std::vector<std::vector<SampleUpdate>> sweeps;    // one batch per sweep, every series once
  std::size_t series = 0;
  std::size_t samples = 0;
  TimePoint first = 0;  // the first sweep's time
  TimePoint last = 0;   // the last sweep's time
};

// The [history.resolution] table of a config file (the benchmarks pass the bundled demo's, GT_DEMO_CONFIG, so that
// their figures measure the resolutions the demo declares), or the error reading it.
inline Result<std::unordered_map<std::string, double>> demoResolutions(const char* configPath) {
  ConfigSchema schema = ConfigSchema::commonOnly();
  schema.sections.emplace(std::string(connectors::kHistorySection), connectors::parseHistorySection);
  auto config = loadConfigFile(configPath, schema);
  if (!config) return config.status();
  const auto& declared = connectors::historyConfig(*config).resolutions;
  return std::unordered_map<std::string, double>(declared.begin(), declared.end());
}

// A deterministic 64-bit mix (splitmix64), for the district's layout and the sweep jitter.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
inline double unit(std::uint64_t key) { return static_cast<double>(mix64(key) >> 11) * 0x1.0p-53; }

// The synthetic district: `buildings` buildings, a fifth as many road links, one substation per 100 buildings,
// one green space per 20 and 12 stations, spread over 20 km x 20 km (scene metres).
inline sim::World historyWorld(std::size_t buildings) {
  static const char* const kUses[] = {"residential", "residential", "residential", "residential", "residential",
                                      "residential", "office",      "commercial",  "public",      "industrial",
                                      "school",      "hospital",    "village"};
  static const char* const kRoads[] = {"local", "local", "secondary", "arterial", "expressway"};
  static const char* const kStands[] = {"park", "forest", "green_belt", "wetland"};
  static const char* const kSites[] = {"traffic", "urban", "suburban", "background"};
  sim::World w;
  char id[64];
  for (std::size_t i = 0; i < buildings; ++i) {
    std::snprintf(id, sizeof id, "city-buildings/b-%06zu", i);
    sim::Building b;
    b.id = id;
    b.use = kUses[mix64(i) % std::size(kUses)];
    b.floorAreaM2 = 150.0 + 12000.0 * unit(i * 3 + 1) * unit(i * 3 + 2);
    b.roofPvKw = unit(i * 7 + 5) < 0.3 ? 0.01 * b.floorAreaM2 : 0.0;
    b.x = 20000.0 * unit(i * 11 + 1);
    b.y = 20000.0 * unit(i * 11 + 2);
    w.buildings.push_back(std::move(b));
  }
  for (std::size_t i = 0; i < std::max<std::size_t>(buildings / 100, 4); ++i) {
    std::snprintf(id, sizeof id, "substations/s-%04zu", i);
    sim::Substation s;
    s.id = id;
    s.capacityMva = 40.0 + 20.0 * unit(i + 100);
    s.x = 20000.0 * unit(i * 13 + 1);
    s.y = 20000.0 * unit(i * 13 + 2);
    w.substations.push_back(std::move(s));
  }
  for (std::size_t i = 0; i < buildings / 5; ++i) {
    std::snprintf(id, sizeof id, "roads/l-%06zu", i);
    w.links.push_back({id, kRoads[mix64(i + 17) % std::size(kRoads)], 2 + static_cast<int>(mix64(i + 29) % 3) * 2, 0});
  }
  for (std::size_t i = 0; i < buildings / 20; ++i) {
    std::snprintf(id, sizeof id, "green-spaces/g-%05zu", i);
    w.stands.push_back({id, kStands[mix64(i + 41) % std::size(kStands)], 2000.0 + 200000.0 * unit(i + 43)});
  }
  for (std::size_t i = 0; i < 12; ++i) {
    std::snprintf(id, sizeof id, "aq-stations/st-%02zu", i);
    w.stations.push_back({id, 20000.0 * unit(i * 17 + 1), 20000.0 * unit(i * 17 + 2), kSites[i % std::size(kSites)]});
  }
  return w;
}

// Every entity of the world's feeds swept `sweeps` times from t0, `interval` apart (plus the jitter).
inline HistoryWorkload historyWorkload(sim::World world, std::size_t sweeps, TimePoint t0, Duration interval,
                                       bool jitter = true) {
  auto feeds = sim::makeFeeds(std::move(world), {"energy", "traffic", "forest", "air"}, 7);
  HistoryWorkload out;
  out.names = std::make_shared<connectors::HistoryNames>();
  std::unordered_map<std::string, AttributeId> attributeIds;
  struct FeedIds {
    EntityIndex firstEntity;
    std::vector<AttributeId> attributes;
  };
  std::vector<FeedIds> ids;
  for (const auto& feed : feeds) {
    FeedIds f{static_cast<EntityIndex>(out.names->entityIds.size()), {}};
    for (std::size_t i = 0; i < feed->size(); ++i) out.names->entityIds.push_back(feed->entityId(i));
    for (const sim::AttributeSpec& a : feed->attributes()) {
      auto [it, added] = attributeIds.emplace(a.name, static_cast<AttributeId>(out.names->attributeNames.size()));
      if (added) out.names->attributeNames.push_back(a.name);
      f.attributes.push_back(it->second);
    }
    out.series += feed->size() * feed->attributes().size();
    ids.push_back(std::move(f));
  }
  std::vector<double> values(8);
  out.sweeps.resize(sweeps);
  for (std::size_t k = 0; k < sweeps; ++k) {
    const std::uint64_t draw = mix64(k + 977);
    const TimePoint delay = 100 + static_cast<TimePoint>(draw % 5 == 0 ? (draw >> 8) % 2001 : (draw >> 8) % 31);
    const TimePoint t = t0 + static_cast<TimePoint>(k) * interval + (jitter ? delay : 0);
    if (k == 0) out.first = t;
    out.last = t;
    std::vector<SampleUpdate>& sweep = out.sweeps[k];
    sweep.reserve(out.series);
    for (std::size_t f = 0; f < feeds.size(); ++f) {
      feeds[f]->prepare(t);
      const std::size_t columns = ids[f].attributes.size();
      values.resize(columns);
      for (std::size_t i = 0; i < feeds[f]->size(); ++i) {
        feeds[f]->evaluate(t, i, values);
        for (std::size_t c = 0; c < columns; ++c) {
          sweep.push_back({ids[f].firstEntity + static_cast<EntityIndex>(i), ids[f].attributes[c], t, values[c]});
        }
      }
    }
    out.samples += sweep.size();
  }
  return out;
}

}  // namespace gt::bench
