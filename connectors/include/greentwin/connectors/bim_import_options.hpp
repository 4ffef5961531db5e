#pragma once
// What an import of a model file is asked (BimImportOptions, with the core's BimAnchor) and what it produces (ImportedModelFiles):
// the contract shared by the twin's side, which runs the importer process (bim_import.hpp), and the importer
// itself (bim_importer/, greentwin-bim-import). Library: GreenTwin::greentwin_bim_format, with the sidecar format
// (bim_model.hpp) - plain values and JSON only, so the importer links neither GDAL, ZeroMQ nor SQLite.
//
// Threads: plain values.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "greentwin/connectors/bim_model.hpp"
#include "greentwin/core/bim_anchor.hpp"

namespace gt::bim {

// Where to put a model that the file does not georeference (or, with override, regardless of the file): the core's
// anchor value (core/bim_anchor.hpp), the same one [layers.bim] and the saved placements hold.
using gt::BimAnchor;

struct BimImportOptions {
  std::filesystem::path importerExe;   // greentwin-bim-import; empty: $GREENTWIN_BIM_IMPORTER, then next to
                                       // the running executable, then ../tools/bim-import/ and
                                       // ../../tools/bim-import/ of it (a build tree's viewer and tests)
  std::filesystem::path outputDir;     // where <stem>.osgb and <stem>.bim.json go (created if missing)
  std::string outputStem;              // empty: the input file's stem
  std::filesystem::path emissionFactors;  // emission_factors.toml; empty: the importer's built-in default path
  // The scene's geo frame (config [scene]); the importer converts georeferences into it.
  std::string sceneCrs = "EPSG:4548";
  double sceneOriginLon = 116.72;
  double sceneOriginLat = 39.86;
  std::optional<BimAnchor> anchor;
  // Limits on the child. memory: RLIMIT_AS in bytes; cpu: RLIMIT_CPU in seconds; wall: the parent kills it.
  std::uint64_t memoryLimitBytes = 4ull << 30;
  int cpuLimitS = 120;
  double wallTimeoutS = 180.0;
  // output: RLIMIT_FSIZE, the largest file the child may write (SIGXFSZ beyond it); open files: RLIMIT_NOFILE.
  std::uint64_t outputLimitBytes = 2ull << 30;
  int openFileLimit = 64;
};

struct ImportedModelFiles {
  std::filesystem::path sceneFile;  // .osgb
  std::filesystem::path modelFile;  // .bim.json
  BimModel model;                   // the sidecar, already read back
  double wallSeconds = 0.0;         // the child's run time
};

}  // namespace gt::bim
