#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <future>
#include <optional>
#include <limits>
#include <sstream>
#include <system_error>
#include <unistd.h>

#include "assimp_model.hpp"
#include "carbon.hpp"
#include "deterministic_heap.hpp"
#include "greentwin/bim_importer/importer.hpp"
#include "ifc_geometry.hpp"
#include "ifc_semantics.hpp"
#include "model_format.hpp"
#include "placement.hpp"
#include "scene_file.hpp"
#include "step_file.hpp"

namespace gt::bim {
namespace {

// GREENTWIN_BIM_TIMING=1: phase times (CPU and wall) on stderr, to see where an import spends its time.
class PhaseTimer {
 public:
  PhaseTimer() : enabled_(std::getenv("GREENTWIN_BIM_TIMING") != nullptr) {}
  void mark(const char* phase) {
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const std::clock_t cpu = std::clock();
    std::fprintf(stderr, "timing: %-10s wall %7.1f ms cpu %7.1f ms\n", phase,
                 std::chrono::duration<double, std::milli>(now - wall_).count(),
                 1000.0 * static_cast<double>(cpu - cpu_) / CLOCKS_PER_SEC);
    wall_ = now;
    cpu_ = cpu;
  }

 private:
  bool enabled_;
  std::chrono::steady_clock::time_point wall_ = std::chrono::steady_clock::now();
  std::clock_t cpu_ = std::clock();
};

// Recentre when the geometry lies this far from the IFC origin (float vertices keep ~1 mm up to ~10 km).
constexpr double kRecentreM = 5000.0;

Result<std::string> readAll(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::NotFound, "model file not found or unreadable: " + path.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Bounds {
  Vec3d min{std::numeric_limits<double>::infinity(), std::numeric_limits<double>::infinity(),
            std::numeric_limits<double>::infinity()};
  Vec3d max{-std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(),
            -std::numeric_limits<double>::infinity()};
  void add(const ElementMesh& mesh) {
    for (const MeshPart& part : mesh.parts) {
      for (std::size_t i = 0; i + 2 < part.positions.size(); i += 3) {
        min = {std::min(min.x, part.positions[i]), std::min(min.y, part.positions[i + 1]),
               std::min(min.z, part.positions[i + 2])};
        max = {std::max(max.x, part.positions[i]), std::max(max.y, part.positions[i + 1]),
               std::max(max.z, part.positions[i + 2])};
      }
    }
  }
  bool valid() const { return min.x <= max.x; }
};

// Files are written under temporary names and renamed, so a reader never sees half a pair.
Status commit(const std::filesystem::path& tmp, const std::filesystem::path& final) {
  std::error_code ec;
  std::filesystem::rename(tmp, final, ec);
  if (ec) return Status(ErrorCode::IoError, "cannot rename " + tmp.string() + " to " + final.string() + ": " + ec.message());
  return Status::ok();
}

}  // namespace

std::filesystem::path defaultEmissionFactorsPath() {
  if (const char* env = std::getenv("GREENTWIN_BIM_FACTORS"); env && *env) return env;
#ifdef GT_BIM_FACTORS_SOURCE
  if (std::filesystem::exists(GT_BIM_FACTORS_SOURCE)) return GT_BIM_FACTORS_SOURCE;
#endif
#ifdef GT_BIM_FACTORS_INSTALLED
  return GT_BIM_FACTORS_INSTALLED;
#else
  return "emission_factors.toml";
#endif
}


Result<ImportedModelFiles> importModelHere(const std::filesystem::path& input, const BimImportOptions& options,
                                           std::vector<std::shared_ptr<void>>* parkParserState) {
  const auto start = std::chrono::steady_clock::now();
  PhaseTimer timer;
  const std::string display = input.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(input, ec)) {
    return Status(ErrorCode::NotFound, "model file not found: " + display);
  }
  // The format from the extension and the first bytes (model_format.hpp): a contradiction is a ParseError here.
  const auto format = detectModelFormat(input);
  if (!format) return format.status();
  const bool isIfc = *format == ModelFormat::Ifc;
  // Work that does not need the geometry runs beside IFC++ (single-threaded) on a second thread: the STEP-text
  // index and semantics, the emission factor table, the scene's geo frame (PROJ start-up) and the .osgb writer.
  std::optional<Result<std::string>> text;
  if (isIfc) {
    text = readAll(input);
    if (!*text) return text->status();
    timer.mark("read");
  }
  struct SideWork {
    std::optional<Result<EmissionFactorTable>> table;
    std::optional<Result<GeoFrame>> frame;
    std::optional<Result<StepFile>> step;
    std::optional<IfcSemantics> semantics;
  };
  // The STEP index gets its own copy: IFC++ edits the text it is given (and this thread moves it there).
  std::optional<std::string> stepText;
  if (text) stepText = **text;
  auto side = std::async(std::launch::async, [&]() {
    SideWork w;
    if (stepText) {
      w.step.emplace(StepFile::parse(std::move(*stepText), display));
      if (*w.step) w.semantics.emplace(readIfcSemantics(**w.step));
    }
    w.table.emplace(loadEmissionFactors(options.emissionFactors.empty() ? defaultEmissionFactorsPath()
                                                                        : options.emissionFactors));
    w.frame.emplace(GeoFrame::create(options.sceneOriginLon, options.sceneOriginLat, options.sceneCrs));
    preloadSceneWriter();
    return w;
  });
  // The parsers run on this thread with addresses that do not change from run to run (deterministic_heap.hpp):
  // Carve's boolean operations depend on them, and an import must give the same output every time.
  std::optional<Result<IfcGeometry>> geometry;
  if (isIfc) {
    DeterministicHeapScope sameAddressesEveryRun;
    geometry.emplace(convertIfcGeometry(std::move(**text), display, parkParserState));
    timer.mark("geometry");
  }
  std::optional<Result<ForeignModel>> foreign;
  if (!isIfc) {
    DeterministicHeapScope sameAddressesEveryRun;
    foreign.emplace(readForeignModel(input, *format));
    timer.mark("assimp");
  }
  SideWork work = side.get();
  timer.mark("side work");
  if (work.step && !*work.step) return work.step->status();
  if (geometry && !*geometry) return geometry->status();
  if (foreign && !*foreign) return foreign->status();
  if (!*work.table) return work.table->status();
  if (!*work.frame) return work.frame->status();
  const EmissionFactorTable& table = **work.table;

  BimModel model;
  std::vector<std::vector<MaterialShare>> shares;
  std::vector<ElementMesh> meshes;  // parallel to model.elements (empty mesh: no geometry)
  std::vector<std::string> storeyOrder;
  std::vector<bool> assemblies;

  if (isIfc) {
    IfcSemantics& sem = *work.semantics;
    IfcGeometry& geo = **geometry;
    model = std::move(sem.model);
    if (geo.errorMessages > 0) {
      model.warnings.push_back(std::to_string(geo.errorMessages) +
                               " geometry conversion errors reported by IFC++ (first: " + geo.firstError + ")");
    }
    shares = std::move(sem.materialShares);
    assemblies = std::move(sem.isAssembly);
    meshes.resize(model.elements.size());
    for (std::size_t i = 0; i < model.elements.size(); ++i) {
      auto it = geo.byId.find(sem.elementIds[i]);
      if (it != geo.byId.end()) meshes[i] = std::move(it->second);
    }
    for (std::size_t s : model.storeys()) storeyOrder.push_back(model.spatialNodes[s].guid);
  } else {
    ForeignModel& f = **foreign;
    model.sourceKind = sourceKind(*format);
    model.spatialNodes = std::move(f.spatialNodes);
    model.elements = std::move(f.elements);
    model.warnings = std::move(f.warnings);
    meshes = std::move(f.meshes);
    shares = std::move(f.materials);
  }
  if (!deterministicHeapUsable()) {
    model.warnings.push_back("the importer's fixed-address heap was unavailable: this import may not be reproducible");
  }
  model.sourcePath = std::filesystem::absolute(input, ec).string();
  if (model.name.empty()) model.name = input.stem().string();

  // Geometry-derived fields.
  Bounds bounds;
  for (std::size_t i = 0; i < model.elements.size(); ++i) {
    BimElement& e = model.elements[i];
    const ElementMesh& mesh = meshes[i];
    e.triangleCount = mesh.triangles;
    bounds.add(mesh);
    if (!e.volumeM3 && mesh.hasClosedMesh && mesh.closedVolumeM3 > 0 && std::isfinite(mesh.closedVolumeM3)) {
      e.volumeM3 = mesh.closedVolumeM3;
      e.volumeSource = "mesh";
    }
  }
  if (!bounds.valid()) {
    model.warnings.push_back("the model has no geometry");
    bounds.min = bounds.max = Vec3d{};
  }
  Vec3d offset;
  const Vec3d centre{(bounds.min.x + bounds.max.x) / 2, (bounds.min.y + bounds.max.y) / 2, bounds.min.z};
  if (std::hypot(centre.x, centre.y) > kRecentreM || std::abs(centre.z) > kRecentreM) {
    offset = {std::round(centre.x), std::round(centre.y), std::round(centre.z)};
  }
  model.boundsMin = bounds.min - offset;
  model.boundsMax = bounds.max - offset;

  timer.mark("attach");
  auto placement = decidePlacement(model.georeference, offset, **work.frame, options, model.warnings);
  if (!placement) return placement.status();
  model.placement = std::move(*placement);

  timer.mark("placement");
  computeCarbon(model, shares, assemblies, table);
  timer.mark("carbon");

  // Outputs.
  const std::filesystem::path dir = options.outputDir.empty() ? std::filesystem::path(".") : options.outputDir;
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status(ErrorCode::IoError, "cannot create " + dir.string() + ": " + ec.message());
  const std::string stem = options.outputStem.empty() ? input.stem().string() : options.outputStem;
  ImportedModelFiles files;
  files.sceneFile = dir / (stem + ".osgb");
  files.modelFile = dir / (stem + ".bim.json");
  const std::string tmpTag = ".tmp" + std::to_string(::getpid());
  // osgDB picks the writer by extension: the temporary name keeps ".osgb" last.
  const std::filesystem::path sceneTmp = dir / (stem + tmpTag + ".osgb");
  const std::filesystem::path modelTmp = dir / (stem + ".bim.json" + tmpTag);
  model.sceneFile = files.sceneFile.filename().string();

  std::vector<SceneItem> items;
  items.reserve(model.elements.size());
  for (std::size_t i = 0; i < model.elements.size(); ++i) {
    const BimElement& e = model.elements[i];
    if (meshes[i].parts.empty()) continue;
    items.push_back(SceneItem{e.guid, e.storeyGuid, e.ifcType, &meshes[i]});
  }
  if (Status s = writeBimScene(model.name, storeyOrder, items, offset, sceneTmp); !s) return s;
  timer.mark("osgb");
  if (Status s = writeBimModel(model, modelTmp); !s) return s;
  timer.mark("json");
  if (Status s = commit(sceneTmp, files.sceneFile); !s) return s;
  if (Status s = commit(modelTmp, files.modelFile); !s) return s;
  files.model = std::move(model);
  files.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return files;
}

}  // namespace gt::bim
