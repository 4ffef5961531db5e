// ifc_import_vs_library: importing the FZK-Haus into the twin's BIM format through the importer PROCESS
// (importModelInProcess: fork/exec, IFC++ geometry, STEP-text semantics, georeference, carbon, .osgb + .bim.json
// written and read back) against IFC++ alone loading the same file and converting its geometry, in the same run.
// Each side runs several times, interleaved; the fastest run of each is compared (these machines are shared and
// noisy: the minimum is the run least disturbed). Also printed: the in-process import (no fork/exec) for context.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <ifcpp/geometry/Carve/GeometryConverter.h>
#include <ifcpp/model/BuildingModel.h>
#include <ifcpp/reader/ReaderSTEP.h>

#include "bench_support.hpp"
#include "greentwin/connectors/bim_import.hpp"
#include "greentwin/bim_importer/importer.hpp"

namespace {

using Clock = std::chrono::steady_clock;
const std::filesystem::path kFzkHaus = "/usr/share/assimp/models/IFC/AC14-FZK-Haus.ifc";

double seconds(Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); }

void ignoreMessages(void*, shared_ptr<StatusCallback::Message>) {}

// IFC++ alone: read the file into memory, parse it, convert every product's geometry (what the library does for
// any viewer of it). Returns the number of products with shape data, so the work cannot be optimised away.
std::size_t libraryOnly(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  auto model = std::make_shared<BuildingModel>();
  auto reader = std::make_shared<ReaderSTEP>();
  reader->setMessageCallBack(nullptr, &ignoreMessages);
  reader->loadModelFromString(text, model);
  GeometryConverter converter(model);
  int sink = 0;
  converter.setMessageCallBack(&sink, &ignoreMessages);
  converter.convertGeometry();
  return converter.getShapeInputData().size();
}

}  // namespace

int main() {
  if (!std::filesystem::exists(kFzkHaus)) {
    std::fprintf(stderr, "bim_bench: %s missing (Debian package assimp-testmodels)\n", kFzkHaus.c_str());
    return 1;
  }
  const std::filesystem::path out = std::filesystem::temp_directory_path() / "greentwin_bim_bench";
  gt::bim::BimImportOptions options;
  options.importerExe = GT_BIM_IMPORTER;
  options.outputDir = out;
  options.emissionFactors = GT_BIM_FACTORS;

  constexpr int kRuns = 7;
  double bestProcess = 1e9, bestLibrary = 1e9, bestHere = 1e9;
  std::size_t products = 0, elements = 0;
  for (int run = 0; run < kRuns; ++run) {
    auto t0 = Clock::now();
    auto imported = gt::bim::importModelInProcess(kFzkHaus, options);
    auto t1 = Clock::now();
    if (!imported) {
      std::fprintf(stderr, "bim_bench: %s\n", imported.status().toString().c_str());
      return 1;
    }
    elements = imported->model.elements.size();
    bestProcess = std::min(bestProcess, seconds(t0, t1));

    t0 = Clock::now();
    products = libraryOnly(kFzkHaus);
    t1 = Clock::now();
    bestLibrary = std::min(bestLibrary, seconds(t0, t1));

    t0 = Clock::now();
    auto here = gt::bim::importModelHere(kFzkHaus, options);
    t1 = Clock::now();
    if (!here) {
      std::fprintf(stderr, "bim_bench: %s\n", here.status().toString().c_str());
      return 1;
    }
    bestHere = std::min(bestHere, seconds(t0, t1));
  }
  std::printf("# FZK-Haus: %zu elements imported, %zu IFC++ shape records; best of %d: process %.3f s, in-process "
              "%.3f s, IFC++ alone %.3f s\n",
              elements, products, kRuns, bestProcess, bestHere, bestLibrary);
  gt::bench::printBench("ifc_import_vs_library", bestProcess / bestLibrary, "x", true, 1.5);
  gt::bench::printBench("ifc_import_in_process_vs_library", bestHere / bestLibrary, "x", true, 1.5);
  return 0;
}
