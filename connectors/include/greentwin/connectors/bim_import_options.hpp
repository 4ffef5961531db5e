#pragma once
// What an import of a model file is asked (BimImportOptions, BimAnchor) and what it produces (ImportedModelFiles):
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

namespace gt::bim {

// Where to put a model that the file does not georeference (or, with override, regardless of the file).
// Give either lon/lat (degrees, on the scene CRS's datum) or scene-local x/y of the IFC world origin (0,0,0);
// z is its scene height. Precedence (docs/bim.md): override anchor > IfcMapConversion > IfcSite reference >
// anchor > none.
struct BimAnchor {
  std::optional<double> lon, lat;        // geographic position of the IFC world origin
  std::optional<double> sceneX, sceneY;  // or scene local position (used when lon/lat are absent)
  double sceneZ = 0.0;
  double rotationDeg = 0.0;  // counter-clockwise from scene east to model +x
  double scale = 1.0;
  bool override = false;     // true: ignore the file's georeference
};

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
};

struct ImportedModelFiles {
  std::filesystem::path sceneFile;  // .osgb
  std::filesystem::path modelFile;  // .bim.json
  BimModel model;                   // the sidecar, already read back
  double wallSeconds = 0.0;         // the child's run time
};

}  // namespace gt::bim
