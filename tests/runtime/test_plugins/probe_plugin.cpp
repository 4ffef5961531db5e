// Test plugin "probe" (C++ wrapper): exercises the SDK's appended host API — a layer's features, bulk reads by
// entity handle and alerts — and pushes what it saw, so a test can compare it with the layer's own data.
//
// Source "probe.features", options: layer (whose features to read), entity (where to push; default: the layer's
// first feature), alert_above (raise alert "high/<entity>" while feature_count_read > this; clear otherwise).
// Each poll pushes to the entity: feature_count, polygon_area_m2 (exterior minus holes, summed), line_vertices,
// attribute_count (of the first feature), and feature_count_read (feature_count as read back by readValues at the
// frame's time: NaN until a first feature_count arrived).
#include <greentwin/plugin.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace greentwin::plugin;

std::int64_t wallNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double ringArea(const std::vector<XY>& ring) {
  double twice = 0;
  for (std::size_t i = 0; i < ring.size(); ++i) {
    const XY& a = ring[i];
    const XY& b = ring[(i + 1) % ring.size()];
    twice += a.x * b.y - b.x * a.y;
  }
  return std::abs(twice) / 2;
}

class FeatureProbe : public Source {
 public:
  FeatureProbe(Host host, const Options& options)
      : host_(host), layer_(options.string("layer")), entity_(options.string("entity")),
        alertAbove_(options.number("alert_above", 1e300)) {
    if (layer_.empty()) throw InvalidArgument("probe.features needs a 'layer' option");
  }

  void poll(std::int64_t clockNowUs) override {
    const std::vector<Feature> features = host_.features(layer_);
    if (features.empty()) {  // not loaded yet, or no such layer: said every poll (the host folds the repeats)
      host_.warn("probe: no features in layer '" + layer_ + "'");
      return;
    }
    if (entity_.empty()) entity_ = features.front().id;
    double area = 0;
    double lineVertices = 0;
    std::uint32_t handle = 0;
    for (const Feature& f : features) {
      for (const FeaturePolygon& p : f.polygons) {
        for (std::size_t r = 0; r < p.rings.size(); ++r) area += (r == 0 ? 1 : -1) * ringArea(p.rings[r]);
      }
      for (const auto& line : f.lines) lineVertices += static_cast<double>(line.size());
      if (f.id == entity_) handle = f.entity;
    }
    const std::int64_t t = wallNowUs();
    host_.push(entity_, "feature_count", t, static_cast<double>(features.size()));
    host_.push(entity_, "polygon_area_m2", t, area);
    host_.push(entity_, "line_vertices", t, lineVertices);
    host_.push(entity_, "attribute_count", t, static_cast<double>(features.front().attributes.size()));

    std::vector<double> values;
    std::vector<std::int64_t> times;
    if (!host_.readValues("feature_count", {handle}, values, times)) return;
    host_.push(entity_, "feature_count_read", t, values[0]);
    const std::string key = "high/" + entity_;
    if (std::isfinite(values[0]) && values[0] > alertAbove_) {
      host_.raiseAlert(Alert{key, AlertSeverity::Critical, entity_, "数量过高", "feature count above the limit", clockNowUs});
    } else {
      host_.clearAlert(key, clockNowUs);
    }
  }

 private:
  Host host_;
  std::string layer_, entity_;
  double alertAbove_;
};

class ProbePlugin : public Plugin {
 public:
  explicit ProbePlugin(Host api) : Plugin(api, "probe", "Test plugin probe", "1.0") {
    addSourceType({"probe.features", "要素探针", "Feature probe", /*polled=*/true},
                  [this](const std::string&, const Options& options) -> std::unique_ptr<Source> {
                    return std::make_unique<FeatureProbe>(host(), options);
                  });
  }
};

}  // namespace

GREENTWIN_PLUGIN(ProbePlugin)
