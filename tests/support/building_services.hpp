#pragma once
// A stand-in for the twin as plugins see it (PluginServices): layers of hand-made features (entity handle = index
// in `all`), values set by the test, pushes recorded. For the scenario tests, where every input is known.
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "greentwin/runtime/plugin_services.hpp"

namespace gt::runtime::testing_support {

inline Feature polygonFeature(const std::string& id, std::vector<Vec3d> ring, std::map<std::string, std::string> attrs) {
  Feature f;
  f.id = id;
  f.geometry.polygons.push_back(Polygon{{std::move(ring)}});
  for (auto& [k, v] : attrs) f.properties[k] = v;
  return f;
}

inline std::vector<Vec3d> rectangle(double x0, double y0, double w, double h) {
  return {{x0, y0, 0}, {x0 + w, y0, 0}, {x0 + w, y0 + h, 0}, {x0, y0 + h, 0}};
}

class BuildingServices : public PluginServices {
 public:
  void add(const std::string& layer, Feature f) {
    f.entity = static_cast<EntityIndex>(all.size());
    all.push_back(f.id);
    layers[layer].push_back(std::move(f));
  }
  void set(const std::string& id, const std::string& attribute, double value, TimePoint t) {
    values[id + "|" + attribute] = Sample{value, t};
  }
  Status pushUpdate(std::string_view entity, std::string_view attribute, TimePoint t, double value) override {
    pushes.push_back(std::string(entity) + "|" + std::string(attribute) + "|" + std::to_string(t) + "|" +
                     std::to_string(value));
    return Status::ok();
  }
  TimePoint clockNow() const override { return now; }
  std::optional<Sample> readValue(std::string_view entity, std::string_view attribute) const override {
    const auto it = values.find(std::string(entity) + "|" + std::string(attribute));
    if (it == values.end()) return std::nullopt;
    return it->second;
  }
  void forEachEntity(std::string_view, std::string_view, const std::function<bool(const EntityView&)>&) const override {}
  bool forEachFeature(std::string_view layer, const FeatureVisitor& visit) const override {
    const auto it = layers.find(std::string(layer));
    if (it == layers.end()) return false;
    for (const Feature& f : it->second) {
      if (!visit(f, f.properties)) break;
    }
    return true;
  }
  void readValues(std::string_view attribute, std::span<const std::uint32_t> handles, std::span<double> out,
                  std::span<std::int64_t> times) const override {
    for (std::size_t i = 0; i < handles.size(); ++i) {
      const auto r = handles[i] < all.size() ? readValue(all[handles[i]], attribute) : std::nullopt;
      out[i] = r ? r->value : std::numeric_limits<double>::quiet_NaN();
      times[i] = r ? r->sampleTime : 0;
    }
  }

  std::map<std::string, std::vector<Feature>> layers;
  std::vector<std::string> all;
  std::map<std::string, Sample> values;
  std::vector<std::string> pushes;
  TimePoint now = 1'800'000'000'000'000;  // 2027-01-15 (Beijing time)
};

}  // namespace gt::runtime::testing_support
