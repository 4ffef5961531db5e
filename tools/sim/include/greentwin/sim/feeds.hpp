#pragma once
// What the simulator publishes: one Feed per topic (air.station, energy.building, energy.substation, traffic.link,
// traffic.bus, traffic.charger, traffic.modal_split, forest.stand,
// water.dma, water.section), each a table of entities x attributes whose values come from a model at a time.
// The publishing engine knows only this interface; the models know nothing of publishing.
// A feed is used by one thread: prepare(t) once per publishing step, then evaluate(t, i, out) per entity.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/sim/air_model.hpp"
#include "greentwin/sim/energy_model.hpp"
#include "greentwin/sim/forest_model.hpp"
#include "greentwin/sim/mobility_model.hpp"
#include "greentwin/sim/traffic_model.hpp"
#include "greentwin/sim/water_model.hpp"

namespace gt::sim {

struct AttributeSpec {
  std::string name;  // wire attribute, e.g. "pm25"
  std::string unit;  // e.g. "ug/m3"
};

class Feed {
 public:
  Feed(std::string domain, std::string topic, std::vector<std::string> entityIds, std::vector<AttributeSpec> attributes)
      : domain_(std::move(domain)), topic_(std::move(topic)), ids_(std::move(entityIds)),
        attributes_(std::move(attributes)) {}
  virtual ~Feed() = default;
  Feed(const Feed&) = delete;
  Feed& operator=(const Feed&) = delete;

  const std::string& domain() const { return domain_; }  // "air", "energy", "traffic", "forest"
  const std::string& topic() const { return topic_; }    // wire topic and schema id
  std::size_t size() const { return ids_.size(); }
  const std::string& entityId(std::size_t i) const { return ids_[i]; }
  const std::vector<AttributeSpec>& attributes() const { return attributes_; }

  virtual void prepare(TimePoint t) = 0;
  // Writes attributes().size() values for entity i into out.
  virtual void evaluate(TimePoint t, std::size_t i, std::span<double> out) const = 0;

 private:
  std::string domain_, topic_;
  std::vector<std::string> ids_;
  std::vector<AttributeSpec> attributes_;
};

// The entities of the demo, with the ids the twin registers ("<layer id>/<id attribute>"), in scene metres.
struct World {
  std::vector<AirStation> stations;
  std::vector<Building> buildings;
  std::vector<Substation> substations;
  std::vector<RoadLink> links;
  std::vector<BusRoute> busRoutes;
  std::vector<Stand> stands;
  // Storeys of the config's BIM models ("bim" layers), ids "bim/<layer id>/storey/<GUID>" as the twin registers
  // them (docs/bim.md "Storeys as entities"): each a small residential floor (docs/simulator.md "Storeys").
  std::vector<Building> storeys;
  // The district boundary's entity, for the grid import feed (energy.grid, docs/simulator.md "Grid"); "" none.
  std::string gridEntity;
  // EV chargers and the district's modal split (mobility_feeds.hpp): traffic.charger, traffic.modal_split.
  MobilityWorld mobility;
  // District metered areas and river sections (water_feeds.hpp): water.dma, water.section.
  WaterWorld water;
};

inline const std::set<std::string>& allDomains() {
  static const std::set<std::string> kAll = {"air", "energy", "traffic", "forest", "water"};
  return kAll;
}

// Bus entity ids: "buses/<route>-<n>" (n from 1). The demo twin has no bus layer: see docs/simulator.md "Buses".
std::string busEntityId(const std::string& route, std::size_t n);

// The feeds of the requested domains over the world's entities (a feed with no entities is left out).
std::vector<std::unique_ptr<Feed>> makeFeeds(World world, const std::set<std::string>& domains, std::uint64_t seed);

}  // namespace gt::sim
