// greentwin-make-demo: builds the bundled Tongzhou demo city from the real district boundary and river lines
// plus clearly labelled SYNTHETIC layers (buildings, roads, green spaces, bus stops, EV chargers, substations,
// air-quality stations, traffic links) and a synthetic DEM. Deterministic: a fixed seed, hand-written
// distributions, the same output every run. Runs at build time (assets/CMakeLists.txt); see docs/demo-data.md.
//
//   greentwin-make-demo --district tongzhou_district.geojson --rivers tongzhou_rivers_wdb2.geojson
//                       --out-gpkg tongzhou_city.gpkg --out-dem tongzhou_dem.tif [--buildings 60000]
//                       [--out-water tongzhou_water.gpkg]

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <string>

#include <CLI/CLI.hpp>
#include <gdal_priv.h>

#include "buildings.hpp"
#include "dem.hpp"
#include "facilities.hpp"
#include "gpkg_writer.hpp"
#include "greens.hpp"
#include "inputs.hpp"
#include "places.hpp"
#include "planning.hpp"
#include "rng.hpp"
#include "roads.hpp"
#include "site_rules.hpp"
#include "substation_sizing.hpp"
#include "water_network.hpp"

namespace {

struct Options {
  std::string district, rivers, outGpkg, outDem, outWater;
  int buildings = gtgen::kDefaultBuildings;
};

class Timer {
 public:
  double seconds() const { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count(); }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

void step(const Timer& t, const char* what, std::size_t count) {
  std::printf("[%6.2f s] %s: %zu\n", t.seconds(), what, count);
  std::fflush(stdout);
}

void requireWritableDir(const std::string& path) {
  const std::filesystem::path dir = std::filesystem::absolute(path).parent_path();
  if (!std::filesystem::is_directory(dir))
    throw gtgen::ToolError("output directory does not exist: '" + dir.string() + "' (for '" + path + "')");
}

gtgen::LocalFrame makeFrame() {
  auto frame = gt::GeoFrame::create(gtgen::kFrameLon, gtgen::kFrameLat, gtgen::kSceneCrs);
  if (!frame) throw gtgen::ToolError("cannot create the scene frame: " + frame.status().toString());
  return gtgen::LocalFrame(std::move(frame).value());
}

int run(const Options& opt) {
  using namespace gtgen;
  const Timer timer;
  requireWritableDir(opt.outGpkg);
  requireWritableDir(opt.outDem);
  if (!opt.outWater.empty()) requireWritableDir(opt.outWater);
  const LocalFrame frame = makeFrame();
  const RealInputs inputs = readInputs(opt.district, opt.rivers, frame);
  std::printf("district: %.1f km², %zu river lines\n", inputs.districtAreaM2 / 1e6, inputs.rivers.size());

  const Planning planning = makePlanning(inputs, frame);
  step(timer, "zones", planning.zones.size());
  City city;
  city.roads = makeMajorRoads(inputs, planning, frame);
  step(timer, "major roads", city.roads.size());
  city.greens = makeGreenSpaces(inputs, planning, frame);
  std::printf("[%6.2f s] green_spaces: %zu (coverage %.1f%%)\n", timer.seconds(), city.greens.size(),
              100.0 * greenCoverage(city.greens, inputs));

  const SiteRules rules(inputs, city.greens, city.roads);
  BuildingResult built = makeBuildings(planning, rules, opt.buildings, [](int done, int total) {
    std::printf("buildings: %d/%d\n", done, total);
    std::fflush(stdout);
  });
  if (static_cast<int>(built.buildings.size()) < opt.buildings)
    std::printf("warning: only %zu of %d buildings fit the rules\n", built.buildings.size(), opt.buildings);
  city.buildings = std::move(built.buildings);
  std::printf("[%6.2f s] buildings: %zu (core %d, towns %d, industrial parks %d, villages %d)\n", timer.seconds(),
              city.buildings.size(), built.perGroup[0], built.perGroup[1], built.perGroup[2], built.perGroup[3]);

  const std::size_t majorRoads = city.roads.size();
  for (Road& street : makeStreets(inputs, planning, built.occupied)) city.roads.push_back(std::move(street));
  step(timer, "roads", city.roads.size());
  city.trafficLinks = makeTrafficLinks({city.roads.begin(), city.roads.begin() + static_cast<std::ptrdiff_t>(majorRoads)});
  city.busStops = makeBusStops(city.roads, rules);
  city.evChargers = makeEvChargers(city.buildings, rules);
  city.substations = makeSubstations(city.buildings, planning, rules, frame);
  planSupply(city.substations, city.buildings);
  city.aqStations = makeAqStations(city.buildings, rules, frame);
  std::printf("[%6.2f s] bus_stops %zu, ev_chargers %zu, substations %zu, aq_stations %zu, traffic_links %zu\n",
              timer.seconds(), city.busStops.size(), city.evChargers.size(), city.substations.size(),
              city.aqStations.size(), city.trafficLinks.size());

  writeCityGpkg(city, opt.outGpkg, frame.originProjected(), kCitySeed);
  step(timer, "wrote GeoPackage layers", 8);
  if (!opt.outWater.empty()) {
    const WaterNetwork water = makeWaterNetwork(inputs, planning, city, frame);
    writeWaterGpkg(water, opt.outWater, frame.originProjected(), kCitySeed);
    std::printf("[%6.2f s] wrote water network: %zu DMAs, %zu river sections\n", timer.seconds(), water.dmas.size(),
                water.sections.size());
  }
  const DemGrid dem = makeDem(inputs, frame);
  writeDem(dem, opt.outDem);
  std::printf("[%6.2f s] wrote DEM %d x %d cells of %.0f m\n", timer.seconds(), dem.cols, dem.rows, dem.cell);
  std::printf("done: %s, %s\n", opt.outGpkg.c_str(), opt.outDem.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Builds the Tongzhou demo city: real district boundary and rivers plus SYNTHETIC layers and DEM"};
  Options opt;
  app.add_option("--district", opt.district, "district boundary GeoJSON (lon/lat), feature named 通州区")->required();
  app.add_option("--rivers", opt.rivers, "river/canal lines GeoJSON (lon/lat)")->required();
  app.add_option("--out-gpkg", opt.outGpkg, "output GeoPackage (EPSG:4548)")->required();
  app.add_option("--out-dem", opt.outDem, "output DEM GeoTIFF (EPSG:4548)")->required();
  app.add_option("--out-water", opt.outWater, "output GeoPackage of the water network (DMAs, river sections)");
  app.add_option("--buildings", opt.buildings, "number of buildings")->check(CLI::Range(100, 300000))->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 1;  // --help is a success; every usage error exits with 1
  }
  GDALAllRegister();
  try {
    return run(opt);
  } catch (const gtgen::ToolError& e) {
    std::fprintf(stderr, "greentwin-make-demo: error: %s\n", e.what());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "greentwin-make-demo: internal error: %s\n", e.what());
  }
  return 1;
}
