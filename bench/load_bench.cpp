// gpkg_load_vs_gdal: loading 100k building footprints from a GeoPackage into the scene (readVectorSource +
// BuildingLayer::open) against the floor, GDAL alone reading every feature (geometry, every vertex, every field),
// both measured in this run (best of 3 each). Prints BENCH lines (see bench/run):
//   BENCH gpkg_load_vs_gdal <scene/GDAL> x target <=1.5 PASS|MISS
//   BENCH gpkg_load_100k_s <scene seconds> s target <=10 PASS|MISS
// The 100k GeoPackage is generated once by greentwin-make-demo into the build tree and reused while the tool is
// unchanged. Options: --buildings N (default 100000), --repeat N (default 3).

#include <gdal.h>
#include <ogr_api.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <limits>
#include <memory>
#include <string>

#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/layers/building_layer.hpp"

#include "bench_support.hpp"

namespace {

namespace fs = std::filesystem;

std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// The benchmark's GeoPackage: generated when missing or older than the generator.
bool ensureGeoPackage(const fs::path& gpkg, int buildings) {
  std::error_code ec;
  const fs::path tool = GT_MAKE_DEMO_EXE;
  if (fs::exists(gpkg, ec) && fs::last_write_time(gpkg, ec) >= fs::last_write_time(tool, ec)) return true;
  fs::create_directories(gpkg.parent_path(), ec);
  const fs::path partial = gpkg.string() + ".partial";
  const fs::path dem = gpkg.parent_path() / ("dem_" + std::to_string(buildings) + ".tif");
  fs::remove(partial, ec);
  const std::string assets = std::string(GT_SOURCE_DIR) + "/assets/demo/";
  const std::string command = quoted(tool.string()) + " --buildings " + std::to_string(buildings) +
                              " --district " + quoted(assets + "tongzhou_district.geojson") + " --rivers " +
                              quoted(assets + "tongzhou_rivers_wdb2.geojson") + " --out-gpkg " +
                              quoted(partial.string()) + " --out-dem " + quoted(dem.string()) + " >&2";
  std::fprintf(stderr, "load_bench: generating %s\n", gpkg.c_str());
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "load_bench: greentwin-make-demo failed: %s\n", command.c_str());
    return false;
  }
  fs::rename(partial, gpkg, ec);
  if (ec) std::fprintf(stderr, "load_bench: cannot rename %s: %s\n", partial.c_str(), ec.message().c_str());
  return !ec;
}

// One timed run: wall and process CPU seconds of `run` (NaN when it fails); `teardown`, outside the timing,
// releases what the run built.
struct Timing {
  double wall = std::numeric_limits<double>::infinity();
  double cpu = std::numeric_limits<double>::infinity();
};

double cpuNow() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

bool timeOnce(Timing& best, const std::function<bool()>& run, const std::function<void()>& teardown) {
  const double cpu0 = cpuNow();
  const auto start = std::chrono::steady_clock::now();
  const bool ok = run();
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const double cpu = cpuNow() - cpu0;
  teardown();
  best.wall = std::min(best.wall, wall);
  best.cpu = std::min(best.cpu, cpu);
  return ok;
}

// Every vertex of a geometry, through OGR's C API (what any GDAL client does at the least).
void touchVertices(OGRGeometryH geometry, double& sum, std::size_t& vertices) {
  const int parts = OGR_G_GetGeometryCount(geometry);
  if (parts > 0) {
    for (int i = 0; i < parts; ++i) touchVertices(OGR_G_GetGeometryRef(geometry, i), sum, vertices);
    return;
  }
  const int n = OGR_G_GetPointCount(geometry);
  for (int i = 0; i < n; ++i) sum += OGR_G_GetX(geometry, i) + OGR_G_GetY(geometry, i);
  vertices += static_cast<std::size_t>(n);
}

struct GdalFloor {
  std::size_t features = 0;
  std::size_t vertices = 0;
  double checksum = 0.0;
};

// (a) The floor: open, read every feature of `layer`, its geometry and every vertex, every field as its type.
bool gdalAlone(const std::string& path, const char* layerName, GdalFloor& out) {
  GDALDatasetH ds = GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  if (ds == nullptr) return false;
  OGRLayerH layer = GDALDatasetGetLayerByName(ds, layerName);
  if (layer == nullptr) {
    GDALClose(ds);
    return false;
  }
  GdalFloor floor;
  std::size_t textBytes = 0;
  OGR_L_ResetReading(layer);
  for (OGRFeatureH f = OGR_L_GetNextFeature(layer); f != nullptr; f = OGR_L_GetNextFeature(layer)) {
    ++floor.features;
    if (OGRGeometryH g = OGR_F_GetGeometryRef(f); g != nullptr) touchVertices(g, floor.checksum, floor.vertices);
    const int fields = OGR_F_GetFieldCount(f);
    for (int i = 0; i < fields; ++i) {
      if (!OGR_F_IsFieldSetAndNotNull(f, i)) continue;
      switch (OGR_Fld_GetType(OGR_F_GetFieldDefnRef(f, i))) {
        case OFTInteger: floor.checksum += OGR_F_GetFieldAsInteger(f, i); break;
        case OFTInteger64: floor.checksum += static_cast<double>(OGR_F_GetFieldAsInteger64(f, i)); break;
        case OFTReal: floor.checksum += OGR_F_GetFieldAsDouble(f, i); break;
        default: textBytes += std::string(OGR_F_GetFieldAsString(f, i)).size(); break;
      }
    }
    floor.checksum += static_cast<double>(OGR_F_GetFID(f));
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  floor.checksum += static_cast<double>(textBytes);
  out = floor;
  return true;
}

// (b) Into the scene: the reader (reprojection into the frame, properties, ids) and the batched building layer.
// What it built is handed out so that tearing it down stays outside the timed region (the app keeps it).
struct SceneLoad {
  std::shared_ptr<const gt::FeatureSet> features;
  std::unique_ptr<gt::layers::BuildingLayer> layer;
  double readS = 0.0;
  double openS = 0.0;
};

bool loadIntoScene(const std::string& path, const gt::GeoFrame& frame, SceneLoad& out) {
  const gt::LayerConfig config = gt::bench::demoBuildingsConfig("city-buildings");
  gt::connectors::VectorReadOptions options;
  options.layerName = config.sourceLayer;
  options.idAttribute = config.idAttribute;
  options.idPrefix = config.id;
  const auto start = std::chrono::steady_clock::now();
  auto set = gt::connectors::readVectorSource(path, frame, options);
  if (!set) {
    std::fprintf(stderr, "load_bench: %s\n", set.status().toString().c_str());
    return false;
  }
  out.features = std::make_shared<const gt::FeatureSet>(std::move(set).value());
  const auto read = std::chrono::steady_clock::now();
  out.layer = std::make_unique<gt::layers::BuildingLayer>(config, out.features);
  if (gt::Status s = out.layer->open(); !s) {
    std::fprintf(stderr, "load_bench: %s\n", s.toString().c_str());
    return false;
  }
  out.readS = std::chrono::duration<double>(read - start).count();
  out.openS = std::chrono::duration<double>(std::chrono::steady_clock::now() - read).count();
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int buildings = 100000;
  int repeat = 3;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string arg = argv[i];
    if (arg == "--buildings") buildings = std::atoi(argv[i + 1]);
    else if (arg == "--repeat") repeat = std::max(1, std::atoi(argv[i + 1]));
  }
  const fs::path gpkg = fs::path(GT_BENCH_DATA_DIR) / ("city_" + std::to_string(buildings) + ".gpkg");
  if (!ensureGeoPackage(gpkg, buildings)) return 1;
  GDALAllRegister();
  auto frame = gt::GeoFrame::create(116.72, 39.86);
  if (!frame) {
    std::fprintf(stderr, "load_bench: %s\n", frame.status().toString().c_str());
    return 1;
  }

  // The two measurements alternate, so that a change in machine load (these machines are shared) hits both.
  GdalFloor floor;
  SceneLoad load;
  Timing gdal;
  Timing scene;
  std::size_t features = 0;
  std::size_t batches = 0;
  double bestRead = std::numeric_limits<double>::infinity();
  double bestOpen = std::numeric_limits<double>::infinity();
  for (int r = 0; r < repeat; ++r) {
    if (!timeOnce(gdal, [&] { return gdalAlone(gpkg.string(), "buildings", floor); }, [] {})) {
      std::fprintf(stderr, "load_bench: GDAL cannot read the buildings of %s\n", gpkg.c_str());
      return 1;
    }
    const bool ok = timeOnce(
        scene, [&] { return loadIntoScene(gpkg.string(), *frame, load); },
        [&] {
          if (load.layer) {
            features = load.features->features.size();
            batches = load.layer->batchCount();
            bestRead = std::min(bestRead, load.readS);
            bestOpen = std::min(bestOpen, load.openS);
          }
          load = SceneLoad{};
        });
    if (!ok) return 1;
  }
  if (features != floor.features) {
    std::fprintf(stderr, "load_bench: the scene has %zu buildings, GDAL read %zu features\n", features,
                 floor.features);
    return 1;
  }
  std::fprintf(stderr,
               "load_bench: %zu features, %zu vertices (checksum %.6g); GDAL alone %.3f s (CPU %.3f s); into the "
               "scene %.3f s (CPU %.3f s; readVectorSource %.3f s + BuildingLayer::open %.3f s, %zu batches); "
               "best of %d\n",
               floor.features, floor.vertices, floor.checksum, gdal.wall, gdal.cpu, scene.wall, scene.cpu, bestRead,
               bestOpen, batches, repeat);
  const double ratio = scene.wall / gdal.wall;
  std::printf("BENCH gpkg_load_vs_gdal %.2f x target <=1.5 %s\n", ratio, ratio <= 1.5 ? "PASS" : "MISS");
  const char* name = buildings == 100000 ? "gpkg_load_100k_s" : "gpkg_load_s";
  std::printf("BENCH %s %.2f s target <=10 %s\n", name, scene.wall, scene.wall <= 10.0 ? "PASS" : "MISS");
  return 0;
}
