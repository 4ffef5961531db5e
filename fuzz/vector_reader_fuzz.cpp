// libFuzzer target for the vector layers' reader (connectors/vector_reader.hpp readVectorSource, docs/config.md
// "Layers"): a layer's source file as GDAL opens it, through GreenTwin's own conversion of OGR features into the
// twin's (ids, geometry flattened and reprojected into the scene frame, attributes, bounds, warnings). GDAL itself
// is not instrumented; what is fuzzed is our code on whatever GDAL hands out for damaged or hostile files.
//
// Input: byte 0 picks the file's extension (GDAL picks some drivers by it) and byte 1 the read options; the rest is
// the file. Seeds: tests/connectors/data/vector_reader_seeds (the first two bytes of each file are that header).
//
// Besides "no crash, no out-of-bounds read, no exception", it checks what readVectorSource promises: a refused
// source says why, naming it; an accepted one has features, every one with an id under the prefix, finite
// coordinates, at least one shape, polygons with an exterior ring of three points or more, and inside the bounds.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <iterator>
#include <string>

#include "gdal_fuzz_support.hpp"
#include "greentwin/connectors/vector_reader.hpp"

namespace {

constexpr const char* kExtensions[] = {"geojson", "gpkg", "fgb", "csv", "gml", "kml", "json", "dat"};

bool finite(const gt::Vec3d& p) { return std::isfinite(p.x) && std::isfinite(p.y) && std::isfinite(p.z); }

bool inside(const gt::Bounds& b, const gt::Vec3d& p) {
  return p.x >= b.min.x && p.x <= b.max.x && p.y >= b.min.y && p.y <= b.max.y;
}

void checkFeatures(const gt::FeatureSet& set, const std::string& prefix) {
  if (set.features.empty() || !set.bounds.valid()) std::abort();
  for (const gt::Feature& f : set.features) {
    if (f.id.compare(0, prefix.size() + 1, prefix + "/") != 0 || f.geometry.empty()) std::abort();
    for (const gt::Vec3d& p : f.geometry.points) {
      if (!finite(p) || !inside(set.bounds, p)) std::abort();
    }
    for (const auto& line : f.geometry.lines) {
      if (line.size() < 2) std::abort();
      for (const gt::Vec3d& p : line) {
        if (!finite(p) || !inside(set.bounds, p)) std::abort();
      }
    }
    for (const gt::Polygon& polygon : f.geometry.polygons) {
      if (polygon.rings.empty() || polygon.rings.front().size() < 3) std::abort();
      for (const auto& ring : polygon.rings) {
        for (const gt::Vec3d& p : ring) {
          if (!finite(p)) std::abort();
        }
      }
      for (const gt::Vec3d& p : polygon.rings.front()) {
        if (!inside(set.bounds, p)) std::abort();
      }
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  gt::fuzz::configureGdalForFuzzing();
  (void)gt::fuzz::sceneFrame();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // A layer file of a few hundred kB reads in seconds here; the fuzzer learns nothing more from larger ones.
  if (size < 2 || size > 256 * 1024) return 0;
  const std::string extension = kExtensions[data[0] % std::size(kExtensions)];
  const std::uint8_t flags = data[1];
  gt::fuzz::MemFile file("in." + extension, data + 2, size - 2);

  gt::connectors::VectorReadOptions options;
  options.idPrefix = "fuzz";
  if (flags & 1) options.idAttribute = "id";
  if (flags & 2) options.assumeCrs = "EPSG:4548";  // the scene CRS: another costs a PROJ set-up per input
  if (flags & 4) options.readThreads = 2;  // a GeoPackage is read on two threads
  if (flags & 8) options.progress = [](std::size_t, std::size_t) { return true; };
  if (flags & 16) options.layerName = "layer";
  const auto set = gt::connectors::readVectorSource(file.path(), gt::fuzz::sceneFrame(), options);
  if (!set) {
    if (set.status().message().find(file.path()) == std::string::npos) std::abort();
    return 0;
  }
  checkFeatures(*set, options.idPrefix);
  return 0;
}
