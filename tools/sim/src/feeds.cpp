#include "greentwin/sim/feeds.hpp"

#include <cstdio>

#include "greentwin/sim/grid_model.hpp"
#include "greentwin/sim/mobility_feeds.hpp"
#include "greentwin/sim/water_feeds.hpp"

namespace gt::sim {
namespace {

std::vector<std::string> idsOf(const auto& items) {
  std::vector<std::string> ids;
  ids.reserve(items.size());
  for (const auto& item : items) ids.push_back(item.id);
  return ids;
}

class AirFeed final : public Feed {
 public:
  AirFeed(std::vector<AirStation> stations, std::uint64_t seed)
      : Feed("air", "air.station", idsOf(stations),
             {{"pm25", "ug/m3"}, {"pm10", "ug/m3"}, {"o3", "ug/m3"}, {"no2", "ug/m3"}, {"temperature_c", "C"},
              {"humidity_pct", "%"}, {"wind_ms", "m/s"}, {"wind_dir_deg", "deg"}}),
        model_(std::move(stations), seed) {}
  void prepare(TimePoint t) override { model_.prepare(t); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const AirReading r = model_.at(t, i);
    const Weather& w = model_.weather();
    out[0] = r.pm25, out[1] = r.pm10, out[2] = r.o3, out[3] = r.no2;
    out[4] = w.temperatureC, out[5] = 100.0 * w.relativeHumidity, out[6] = w.windSpeedMs, out[7] = w.windFromDeg;
  }

 private:
  AirModel model_;
};

class BuildingFeed final : public Feed {
 public:
  BuildingFeed(std::vector<std::string> ids, std::shared_ptr<EnergyModel> model)
      : Feed("energy", "energy.building", std::move(ids), {{"load_kw", "kW"}, {"pv_kw", "kW"}, {"net_kw", "kW"}}),
        model_(std::move(model)) {}
  void prepare(TimePoint t) override { model_->prepare(t, false); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const BuildingReading r = model_->building(t, i);
    out[0] = r.loadKw, out[1] = r.pvKw, out[2] = r.netKw();
  }

 private:
  std::shared_ptr<EnergyModel> model_;
};

// Storeys of BIM models (energy.storey): their own small model (no substations), load only.
class StoreyFeed final : public Feed {
 public:
  StoreyFeed(std::vector<Building> storeys, std::uint64_t seed)
      : Feed("energy", "energy.storey", idsOf(storeys), {{"load_kw", "kW"}}), model_(std::move(storeys), {}, seed) {}
  void prepare(TimePoint t) override { model_.prepare(t, false); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    out[0] = model_.building(t, i).loadKw;
  }

 private:
  EnergyModel model_;
};

class SubstationFeed final : public Feed {
 public:
  SubstationFeed(std::vector<std::string> ids, std::shared_ptr<EnergyModel> model)
      : Feed("energy", "energy.substation", std::move(ids),
             {{"load_mw", "MW"}, {"pv_mw", "MW"}, {"net_mw", "MW"}, {"loading_pct", "%"}}),
        model_(std::move(model)) {}
  // The sums pass over every building: redone when simulated time moved at least a second.
  void prepare(TimePoint t) override {
    if (t - aggregatedAt_ >= kMicrosPerSecond || t < aggregatedAt_) {
      model_->prepare(t, true);
      aggregatedAt_ = t;
    }
  }
  void evaluate(TimePoint /*t*/, std::size_t i, std::span<double> out) const override {
    const SubstationReading r = model_->substation(i);
    out[0] = r.loadMw, out[1] = r.pvMw, out[2] = r.netMw, out[3] = r.loadingPct;
  }

 private:
  std::shared_ptr<EnergyModel> model_;
  TimePoint aggregatedAt_ = INT64_MIN / 2;
};

class LinkFeed final : public Feed {
 public:
  LinkFeed(std::vector<std::string> ids, std::shared_ptr<TrafficModel> model)
      : Feed("traffic", "traffic.link", std::move(ids),
             {{"speed_kmh", "km/h"}, {"flow_veh_h", "veh/h"}, {"vc_ratio", ""}, {"free_speed_kmh", "km/h"}}),
        model_(std::move(model)) {}
  void prepare(TimePoint t) override { model_->prepare(t); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const LinkReading r = model_->at(t, i);
    out[0] = r.speedKmh, out[1] = r.flowVehH, out[2] = r.demandRatio, out[3] = r.freeSpeedKmh;
  }

 private:
  std::shared_ptr<TrafficModel> model_;
};

class BusFeed final : public Feed {
 public:
  BusFeed(std::vector<std::string> ids, std::vector<std::pair<std::size_t, std::size_t>> buses,
          std::shared_ptr<TrafficModel> model)
      : Feed("traffic", "traffic.bus", std::move(ids),
             {{"lon", "deg"}, {"lat", "deg"}, {"x", "m"}, {"y", "m"}, {"progress", ""}, {"speed_kmh", "km/h"}}),
        buses_(std::move(buses)), model_(std::move(model)) {}
  void prepare(TimePoint /*t*/) override {}
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const BusReading b = model_->bus(t, buses_[i].first, buses_[i].second);
    out[0] = b.lon, out[1] = b.lat, out[2] = b.x, out[3] = b.y, out[4] = b.progress, out[5] = b.speedKmh;
  }

 private:
  std::vector<std::pair<std::size_t, std::size_t>> buses_;  // (route, bus on route)
  std::shared_ptr<TrafficModel> model_;
};

class ForestFeed final : public Feed {
 public:
  ForestFeed(std::vector<Stand> stands, std::uint64_t seed)
      : Feed("forest", "forest.stand", idsOf(stands),
             {{"lai", "m2/m2"}, {"canopy_cover_pct", "%"}, {"soil_moisture_pct", "%"},
              {"carbon_uptake_kgc_h", "kgC/h"}, {"fire_risk", ""}}),
        model_(std::move(stands), seed) {}
  void prepare(TimePoint t) override { model_.prepare(t); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const StandReading r = model_.at(t, i);
    out[0] = r.lai, out[1] = r.canopyCoverPct, out[2] = r.soilMoisturePct, out[3] = r.carbonUptakeKgCH,
    out[4] = r.fireRisk;
  }

 private:
  ForestModel model_;
};

}  // namespace

std::string busEntityId(const std::string& route, std::size_t n) {
  char suffix[16];
  std::snprintf(suffix, sizeof suffix, "-%02zu", n);
  return "buses/" + route + suffix;
}

std::vector<std::unique_ptr<Feed>> makeFeeds(World world, const std::set<std::string>& domains, std::uint64_t seed) {
  std::vector<std::unique_ptr<Feed>> feeds;
  if (domains.contains("air") && !world.stations.empty()) {
    feeds.push_back(std::make_unique<AirFeed>(std::move(world.stations), seed));
  }
  if (domains.contains("energy") && !world.storeys.empty()) {
    feeds.push_back(std::make_unique<StoreyFeed>(std::move(world.storeys), seed));
  }
  if (domains.contains("energy") && (!world.buildings.empty() || !world.substations.empty())) {
    auto buildingIds = idsOf(world.buildings);
    auto substationIds = idsOf(world.substations);
    auto model = std::make_shared<EnergyModel>(std::move(world.buildings), std::move(world.substations), seed);
    if (!buildingIds.empty()) feeds.push_back(std::make_unique<BuildingFeed>(std::move(buildingIds), model));
    const bool grid = !substationIds.empty() && !world.gridEntity.empty();  // the import is the substations' sum
    if (!substationIds.empty()) feeds.push_back(std::make_unique<SubstationFeed>(std::move(substationIds), model));
    if (grid) feeds.push_back(makeGridFeed(world.gridEntity, model));
  }
  if (domains.contains("traffic") && (!world.links.empty() || !world.busRoutes.empty())) {
    auto linkIds = idsOf(world.links);
    auto model = std::make_shared<TrafficModel>(std::move(world.links), std::move(world.busRoutes), seed);
    if (!linkIds.empty()) feeds.push_back(std::make_unique<LinkFeed>(std::move(linkIds), model));
    std::vector<std::string> busIds;
    std::vector<std::pair<std::size_t, std::size_t>> buses;
    for (std::size_t r = 0; r < model->routeCount(); ++r) {
      for (std::size_t k = 0; k < model->busesOnRoute(r); ++k) {
        busIds.push_back(busEntityId(model->route(r).name, k + 1));
        buses.emplace_back(r, k);
      }
    }
    if (!busIds.empty()) feeds.push_back(std::make_unique<BusFeed>(std::move(busIds), std::move(buses), model));
  }
  addMobilityFeeds(std::move(world.mobility), domains, seed, feeds);
  if (domains.contains("forest") && !world.stands.empty()) {
    feeds.push_back(std::make_unique<ForestFeed>(std::move(world.stands), seed));
  }
  addWaterFeeds(std::move(world.water), domains, seed, feeds);
  return feeds;
}

}  // namespace gt::sim
