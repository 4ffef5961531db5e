#include "greentwin/sim/world.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <sstream>

#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"

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

}  // namespace

Result<WorldLoad> loadWorld(const Config& config, const std::set<std::string>& domains) {
  auto frame = GeoFrame::create(config.scene.originLon, config.scene.originLat, config.scene.crs);
  if (!frame) return frame.status();
  WorldLoad out;
  World& w = out.world;
  for (const LayerConfig& layer : config.layers) {
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
        const Vec3d p = anchorOf(f);
        b.x = p.x, b.y = p.y;
        w.buildings.push_back(std::move(b));
      }
      added = w.buildings.size() - added;
    } else if (kind == "substations") {
      added = w.substations.size();
      for (const Feature& f : set->features) {
        const Vec3d p = anchorOf(f);
        w.substations.push_back({f.id, number(f.properties, "capacity_mva", 100.0), p.x, p.y});
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
                          ", which the twin has no layer for)");
      continue;
    }
    out.notes.push_back("layer '" + layer.id + "' (" + kind + "): " + std::to_string(added) + " entities");
  }
  for (const std::string& d : domains) {
    const bool empty = (d == "air" && w.stations.empty()) ||
                       (d == "energy" && w.buildings.empty() && w.substations.empty()) ||
                       (d == "traffic" && w.links.empty() && w.busRoutes.empty()) ||
                       (d == "forest" && w.stands.empty());
    if (empty) out.notes.push_back("domain '" + d + "': no layer of the config provides its entities");
  }
  return out;
}

}  // namespace gt::sim
