// The forest plugin's coverage KPIs over the whole generated demo district (docs/forest.md): #17 forest coverage
// and #18 park green space service coverage, as the plugin computes them (computeCoverage: cascaded unions,
// prepared geometry, an STRtree), against the same computation without them (pairwise unions, a plain
// intersection per residential feature) measured in this run. The layers are read from the demo's generated
// GeoPackage with the connectors' vector reader, with the demo config's layers and settings. Prints:
//   BENCH coverage_kpis_ms <ms> ms target <=500 PASS|MISS        (best of 5, both KPIs, the plugin's method)
//   BENCH coverage_kpis_vs_naive <indexed/naive> x target <=0.5   (the baseline: best of 2)
// and, on stderr, the inputs and the KPI values (which both methods must agree on, or the bench fails).

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "coverage.hpp"
#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/geo_frame.hpp"

namespace {

namespace forest = greentwin::forest;

forest::Shape shapeOf(const gt::Feature& f) {
  forest::Shape s;
  for (const gt::Polygon& p : f.geometry.polygons) {
    forest::PolygonShape out;
    for (const auto& ring : p.rings) {
      forest::Ring r;
      r.reserve(ring.size());
      for (const gt::Vec3d& v : ring) r.push_back({v.x, v.y});
      out.rings.push_back(std::move(r));
    }
    s.push_back(std::move(out));
  }
  return s;
}

std::string text(const gt::PropertyMap& properties, const std::string& key) {
  const auto it = properties.find(key);
  if (it == properties.end()) return {};
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  return {};
}

bool readLayer(const gt::Config& config, const gt::GeoFrame& frame, const std::string& id, gt::FeatureSet& out) {
  for (const gt::LayerConfig& layer : config.layers) {
    if (layer.id != id) continue;
    gt::connectors::VectorReadOptions options;
    options.layerName = layer.sourceLayer;
    options.idPrefix = layer.id;
    options.idAttribute = layer.idAttribute;
    options.assumeCrs = layer.assumeCrs;
    auto set = gt::connectors::readVectorSource(config.resolvePath(layer.source), frame, options);
    if (!set) {
      std::fprintf(stderr, "coverage_kpis_bench: layer '%s': %s\n", id.c_str(), set.status().message().c_str());
      return false;
    }
    out = std::move(*set);
    return true;
  }
  std::fprintf(stderr, "coverage_kpis_bench: no layer '%s' in the demo config\n", id.c_str());
  return false;
}

double millisOf(const forest::CoverageInputs& in, forest::Method method, int runs, forest::CoverageResults& result) {
  double best = std::numeric_limits<double>::infinity();
  for (int i = 0; i < runs; ++i) {
    const auto start = std::chrono::steady_clock::now();
    result = forest::computeCoverage(in, method);
    best = std::min(best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
  }
  return best;
}

}  // namespace

int main() {
  const std::string configPath = std::string(GT_SOURCE_DIR) + "/assets/demo/greentwin.toml";
  auto config = gt::loadConfigFile(configPath, gt::ConfigSchema::commonOnly());
  if (!config) {
    std::fprintf(stderr, "coverage_kpis_bench: %s\n", config.status().message().c_str());
    return 1;
  }
  auto frame = gt::GeoFrame::create(config->scene.originLon, config->scene.originLat, config->scene.crs);
  if (!frame) {
    std::fprintf(stderr, "coverage_kpis_bench: %s\n", frame.status().message().c_str());
    return 1;
  }
  // The demo's layers and the plugin's settings as the demo config sets them ([plugins.forest], docs/forest.md).
  gt::FeatureSet greens, district, buildings;
  if (!readLayer(*config, *frame, "city-green-spaces", greens) || !readLayer(*config, *frame, "tongzhou-district", district) ||
      !readLayer(*config, *frame, "city-buildings", buildings)) {
    return 1;
  }
  forest::CoverageInputs in;
  in.forestKinds = {"forest", "green_belt"};
  in.park.parkKinds = {"park"};
  for (const gt::Feature& f : greens.features) in.greens.push_back({text(f.properties, "kind"), shapeOf(f)});
  for (const gt::Feature& f : district.features) in.district.push_back(shapeOf(f));
  for (const gt::Feature& f : buildings.features) {
    if (text(f.properties, "use") == "residential") in.residential.push_back(shapeOf(f));
  }
  std::fprintf(stderr, "coverage_kpis_bench: %zu green-space parcels, %zu district features, %zu residential of %zu buildings\n",
               in.greens.size(), in.district.size(), in.residential.size(), buildings.features.size());

  forest::CoverageResults indexed, naive;
  const double fast = millisOf(in, forest::Method::Indexed, 5, indexed);
  const double slow = millisOf(in, forest::Method::Naive, 2, naive);
  std::fprintf(stderr,
               "coverage_kpis_bench: #17 %.3f %% (forest land %.0f m2 of %.0f m2), #18 %.3f %% (%.0f of %.0f m2, %zu "
               "parks); indexed %.1f ms, naive %.1f ms\n",
               indexed.forest.sharePct(), indexed.forest.forestAreaM2, indexed.forest.districtAreaM2,
               indexed.park.sharePct(), indexed.park.coveredAreaM2, indexed.park.residentialAreaM2, indexed.park.parks,
               fast, slow);
  if (std::abs(indexed.forest.sharePct() - naive.forest.sharePct()) > 1e-6 ||
      std::abs(indexed.park.sharePct() - naive.park.sharePct()) > 1e-6 || indexed.park.covered != naive.park.covered) {
    std::fprintf(stderr, "coverage_kpis_bench: the methods disagree: #17 %.9f / %.9f, #18 %.9f / %.9f\n",
                 indexed.forest.sharePct(), naive.forest.sharePct(), indexed.park.sharePct(), naive.park.sharePct());
    return 1;
  }
  gt::bench::printBench("coverage_kpis_ms", fast, "ms", true, 500.0, "%.1f");
  gt::bench::printBench("coverage_kpis_vs_naive", fast / slow, "x", true, 0.5, "%.3f");
  return 0;
}
