#include "greentwin/sim/world.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <sstream>

#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/bim_anchor.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/sim/mobility_world.hpp"
#include "greentwin/sim/water_world.hpp"

namespace gt::sim {
namespace {

double number(const PropertyMap& p, std::string_view key, double fallback = 0.0) {
  const auto it = p.find(key);
  if (it == p.end()) return fallback;
  if (const auto* d = std::get_if<double>(&it->second)) return *d;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return static_cast<double>(*i);
  if (const auto* s = std::get_if<std::string>(&it->second)) {
    try {
      return std::stod(*s);
    } catch (...) {
      return fallback;
    }
  }
  return fallback;
}

std::string text(const PropertyMap& p, std::string_view key) {
  const auto it = p.find(key);
  if (it == p.end()) return {};
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  if (const auto* i = std::get_if<std::int64_t>(&it->second)) return std::to_string(*i);
  return {};
}

Vec3d anchorOf(const Feature& f) { return labelAnchor(f.geometry); }

double areaOf(const Feature& f) {
  double area = 0.0;
  for (const Polygon& polygon : f.geometry.polygons) area += polygonArea(polygon);
  return area;
}

// Stops of one route in travel order: a nearest-neighbour chain from the stop farthest from the route's centre.
std::vector<std::size_t> chainStops(const std::vector<Vec3d>& p) {
  std::vector<std::size_t> order;
  if (p.empty()) return order;
  double cx = 0, cy = 0;
  for (const Vec3d& v : p) cx += v.x / static_cast<double>(p.size()), cy += v.y / static_cast<double>(p.size());
  std::size_t current = 0;
  double far = -1;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double d = std::hypot(p[i].x - cx, p[i].y - cy);
    if (d > far) far = d, current = i;
  }
  std::vector<bool> used(p.size(), false);
  for (std::size_t n = 0; n < p.size(); ++n) {
    order.push_back(current);
    used[current] = true;
    double best = std::numeric_limits<double>::infinity();
    std::size_t next = current;
    for (std::size_t i = 0; i < p.size(); ++i) {
      if (used[i]) continue;
      const double d = std::hypot(p[i].x - p[current].x, p[i].y - p[current].y);
      if (d < best) best = d, next = i;
    }
    current = next;
  }
  return order;
}

// Which domain needs which source_layer of the demo GeoPackage.
const std::map<std::string, std::string>& layerDomains() {
  static const std::map<std::string, std::string> kMap = {
      {"aq_stations", "air"}, {"buildings", "energy"},   {"substations", "energy"},
      {"roads", "traffic"},   {"bus_stops", "traffic"},  {"green_spaces", "forest"}};
  return kMap;
}

bool isGuidChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$'; }

// FNV-1a of a text: a stable per-storey factor.
std::uint64_t hashOf(std::string_view text) {
  std::uint64_t h = 1469598103934665603ull;
  for (char c : text) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  return h;
}

// Storeys of a "bim" layer's IFC file. Assumptions (docs/simulator.md "Storeys"): a residential floor of 120 m2 and
// 35 kWh/m2/yr x a per-storey factor 0.6..1.4 (a hash of its GUID), so storeys differ visibly.
void addStoreys(const Config& config, const LayerConfig& layer, World& w, std::vector<std::string>& notes) {
  namespace fs = std::filesystem;
  const fs::path path = config.resolvePath(layer.source);
  std::string ext = path.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (ext != ".ifc") {
    notes.push_back("layer '" + layer.id + "': not an IFC file, no storeys");
    return;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    notes.push_back("layer '" + layer.id + "': cannot read " + path.string() + ", its storeys are left out");
    return;
  }
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const auto storeys = scanIfcStoreys(text);
  for (const IfcStorey& s : storeys) {
    Building b;
    b.id = "bim/" + layer.id + "/storey/" + s.guid;
    b.use = "residential";
    b.floorAreaM2 = 120.0;
    b.intensityKwhM2 = 35.0 * (0.6 + 0.8 * static_cast<double>(hashOf(s.guid) % 1000) / 999.0);
    w.storeys.push_back(std::move(b));
  }
  notes.push_back("layer '" + layer.id + "' (bim): " + std::to_string(storeys.size()) + " storeys");
}

// The district boundary layer of the config: its single feature is the entity the grid import is published for
// (energy.grid, docs/simulator.md "Grid"), with the id the twin gives it ("tongzhou-district/0").
constexpr std::string_view kGridLayerId = "tongzhou-district";

Status addGridEntity(const Config& config, const LayerConfig& layer, const GeoFrame& frame, World& w,
                     std::vector<std::string>& notes) {
  connectors::VectorReadOptions options;
  options.layerName = layer.sourceLayer;
  options.idPrefix = layer.id;  // as the twin does
  options.idAttribute = layer.idAttribute;
  options.assumeCrs = layer.assumeCrs;
  auto set = connectors::readVectorSource(config.resolvePath(layer.source), frame, options);
  if (!set) return Status(set.status().code(), "layer '" + layer.id + "': " + set.status().message());
  if (set->features.empty()) {
    notes.push_back("layer '" + layer.id + "': no feature, no grid import (energy.grid)");
    return Status::ok();
  }
  w.gridEntity = set->features.front().id;
  notes.push_back("layer '" + layer.id + "': grid import (energy.grid) for '" + w.gridEntity + "'" +
                  (set->features.size() > 1 ? " (the first of " + std::to_string(set->features.size()) + " features)"
                                            : std::string()));
  return Status::ok();
}

}  // namespace

std::vector<IfcStorey> scanIfcStoreys(std::string_view text) {
  static constexpr std::string_view kEntity = "IFCBUILDINGSTOREY";
  std::vector<IfcStorey> out;
  std::size_t at = 0;
  while ((at = text.find(kEntity, at)) != std::string_view::npos) {
    std::size_t i = at + kEntity.size();
    at = i;
    // "#596= IFCBUILDINGSTOREY('0yBEy76WYo3DwzauJBQBOE',#13,'0. Erdgeschoss',...": an instance, not a mention
    // inside a string or another type's name (IFCBUILDINGSTOREYTYPE...).
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size() || text[i] != '(') continue;
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size() || text[i] != '\'') continue;
    const std::size_t g = i + 1;
    std::size_t e = g;
    while (e < text.size() && e - g <= 22 && isGuidChar(text[e])) ++e;
    if (e - g != 22 || e >= text.size() || text[e] != '\'') continue;
    IfcStorey storey{std::string(text.substr(g, 22)), {}};
    // The name: the third attribute, after the owner history ("#13" or "$").
    std::size_t n = text.find(',', e);
    if (n != std::string_view::npos) n = text.find(',', n + 1);
    if (n != std::string_view::npos && n + 1 < text.size() && text[n + 1] == '\'') {
      for (std::size_t k = n + 2; k < text.size() && k < n + 2 + 512; ++k) {
        if (text[k] == '\'') {
          if (k + 1 < text.size() && text[k + 1] == '\'') {  // '' is an escaped quote
            storey.name += '\'';
            ++k;
            continue;
          }
          break;
        }
        storey.name += text[k];
      }
    }
    out.push_back(std::move(storey));
  }
  return out;
}

Result<WorldLoad> loadWorld(const Config& config, const std::set<std::string>& domains) {
  auto frame = GeoFrame::create(config.scene.originLon, config.scene.originLat, config.scene.crs);
  if (!frame) return frame.status();
  WorldLoad out;
  World& w = out.world;
  for (const LayerConfig& layer : config.layers) {
    if (isBimLayerType(layer.type)) {  // core/bim_anchor.hpp: the simulator has no layer registry
      if (domains.contains("energy")) addStoreys(config, layer, w, out.notes);
      continue;
    }
    // The district layer feeds both the grid import (energy) and the modal split (traffic).
    bool districtGrid = false;
    if (layer.id == kGridLayerId) {
      districtGrid = true;
      if (domains.contains("energy")) {
        if (Status st = addGridEntity(config, layer, *frame, w, out.notes); !st.isOk()) return st;
      }
    }
    auto mobility = addMobilityLayer(config, layer, *frame, domains, w.mobility, out.notes);
    if (!mobility) return mobility.status();
    auto water = addWaterLayer(config, layer, *frame, domains, w.water, out.notes);
    if (!water) return water.status();
    if (districtGrid || *mobility || *water) continue;
    const auto known = layerDomains().find(layer.sourceLayer);
    if (known == layerDomains().end() || !domains.contains(known->second)) continue;
    connectors::VectorReadOptions options;
    options.layerName = layer.sourceLayer;
    options.idPrefix = layer.id;  // as the twin does (viewer/src/layer_loader.cpp)
    options.idAttribute = layer.idAttribute;
    options.assumeCrs = layer.assumeCrs;
    auto set = connectors::readVectorSource(config.resolvePath(layer.source), *frame, options);
    if (!set) {
      return Status(set.status().code(), "layer '" + layer.id + "': " + set.status().message());
    }
    const std::string& kind = layer.sourceLayer;
    std::size_t added = 0;
    if (kind == "aq_stations") {
      added = w.stations.size();
      for (const Feature& f : set->features) {
        const Vec3d p = anchorOf(f);
        w.stations.push_back({f.id, p.x, p.y, text(f.properties, "site_type")});
      }
      added = w.stations.size() - added;
    } else if (kind == "buildings") {
      added = w.buildings.size();
      for (const Feature& f : set->features) {
        Building b;
        b.id = f.id;
        b.use = text(f.properties, "use");
        double floors = number(f.properties, "floors");
        if (floors <= 0) floors = std::max(1.0, std::round(number(f.properties, "height_m", 3.2) / 3.2));
        b.floorAreaM2 = areaOf(f) * floors;
        b.roofPvKw = number(f.properties, "roof_pv_kw");
        b.intensityKwhM2 = number(f.properties, "energy_kwh_m2_yr");
        b.substation = text(f.properties, "substation");
        const Vec3d p = anchorOf(f);
        b.x = p.x, b.y = p.y;
        w.buildings.push_back(std::move(b));
      }
      added = w.buildings.size() - added;
    } else if (kind == "substations") {
      added = w.substations.size();
      for (const Feature& f : set->features) {
        const Vec3d p = anchorOf(f);
        w.substations.push_back({f.id, number(f.properties, "capacity_mva", 100.0), p.x, p.y,
                                 static_cast<int>(number(f.properties, "voltage_kv", 0.0)),
                                 text(f.properties, "fed_from")});
      }
      added = w.substations.size() - added;
    } else if (kind == "roads") {
      added = w.links.size();
      for (const Feature& f : set->features) {
        RoadLink l;
        l.id = f.id;
        l.roadClass = text(f.properties, "class");
        l.lanes = static_cast<int>(number(f.properties, "lanes", 2));
        l.freeSpeedKmh = number(f.properties, "speed_kmh");
        w.links.push_back(std::move(l));
      }
      added = w.links.size() - added;
    } else if (kind == "green_spaces") {
      added = w.stands.size();
      for (const Feature& f : set->features) {
        w.stands.push_back({f.id, text(f.properties, "kind"), areaOf(f)});
      }
      added = w.stands.size() - added;
    } else if (kind == "bus_stops") {
      // Routes from the stops' "routes" attribute ("335;T74;T41"), stops chained into a path per route.
      std::map<std::string, std::vector<Vec3d>> stops;
      for (const Feature& f : set->features) {
        std::stringstream routes(text(f.properties, "routes"));
        std::string route;
        while (std::getline(routes, route, ';')) {
          if (!route.empty()) stops[route].push_back(anchorOf(f));
        }
      }
      for (auto& [name, points] : stops) {
        if (points.size() < 2) continue;
        BusRoute r;
        r.name = name;
        for (const std::size_t i : chainStops(points)) {
          auto lonLat = frame->localToLonLat(points[i]);
          if (!lonLat) return lonLat.status();
          r.x.push_back(points[i].x), r.y.push_back(points[i].y);
          r.lon.push_back(lonLat->x), r.lat.push_back(lonLat->y);
        }
        w.busRoutes.push_back(std::move(r));
      }
      out.notes.push_back("layer '" + layer.id + "': " + std::to_string(w.busRoutes.size()) + " bus routes from " +
                          std::to_string(set->features.size()) + " stops (buses are published as 'buses/<route>-<n>'"
                          ", drawn by a twin layer of type \"vehicles\" with prefix \"buses/\")");
      continue;
    }
    out.notes.push_back("layer '" + layer.id + "' (" + kind + "): " + std::to_string(added) + " entities");
  }
  for (const std::string& d : domains) {
    const bool empty = (d == "air" && w.stations.empty()) ||
                       (d == "energy" && w.buildings.empty() && w.substations.empty() && w.storeys.empty()) ||
                       (d == "traffic" && w.links.empty() && w.busRoutes.empty() && w.mobility.chargers.empty()) ||
                       (d == "forest" && w.stands.empty()) ||
                       (d == "water" && w.water.dmas.empty() && w.water.sections.empty());
    if (empty) out.notes.push_back("domain '" + d + "': no layer of the config provides its entities");
  }
  return out;
}

}  // namespace gt::sim
