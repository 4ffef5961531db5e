#include "bim_loading.hpp"

#include <osg/ComputeBoundsVisitor>
#include <osg/Geode>
#include <osg/NodeVisitor>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>

#include "greentwin/core/regular_file.hpp"
#include "imported_scene.hpp"

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

// FNV-1a, 64 bit: the cache key only has to tell files apart, not resist an attacker (a forged collision would
// only load another valid import of ours).
struct Fnv1a {
  std::uint64_t h = 1469598103934665603ull;
  void add(const char* data, std::size_t n) {
    for (std::size_t i = 0; i < n; ++i) {
      h ^= static_cast<unsigned char>(data[i]);
      h *= 1099511628211ull;
    }
  }
  void add(const std::string& s) { add(s.data(), s.size() + 1); }
};

// A FIFO or device named as the model would block here for good: only a regular file is opened and read.
Result<std::uint64_t> hashFile(const fs::path& path, Fnv1a hash) {
  auto file = openRegularFile(path);
  if (!file) {
    if (file.status().code() == ErrorCode::NotFound) {
      return Status(ErrorCode::NotFound, "cannot read model file '" + path.string() + "'");
    }
    return Status(file.status().code(), "model file refused: " + file.status().message());
  }
  std::vector<char> buffer(1 << 16);
  for (;;) {
    const ssize_t n = ::read(file->fd(), buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Status(ErrorCode::IoError, "cannot read model file '" + path.string() + "': " + std::strerror(errno));
    }
    if (n == 0) break;
    hash.add(buffer.data(), static_cast<std::size_t>(n));
  }
  return hash.h;
}

std::string optionsKey(const bim::BimImportOptions& o) {
  std::string key = "greentwin-bim v" + std::to_string(bim::kBimFormatVersion) + " r" +
                    std::to_string(bim::kBimImporterRevision) + "|" + o.sceneCrs + "|" +
                    std::to_string(o.sceneOriginLon) + "|" + std::to_string(o.sceneOriginLat) + "|" +
                    o.emissionFactors.string();
  if (o.anchor) {
    const BimAnchor& a = *o.anchor;
    const auto opt = [](const std::optional<double>& v) { return v ? std::to_string(*v) : std::string("-"); };
    key += "|anchor " + opt(a.lon) + " " + opt(a.lat) + " " + opt(a.sceneX) + " " + opt(a.sceneY) + " " +
           std::to_string(a.sceneZ) + " " + std::to_string(a.rotationDeg) + " " + std::to_string(a.scale) +
           (a.override ? " override" : "");
  }
  return key;
}

// Element Geodes by name (= GUID), for the elements' positions.
class GeodesByName : public osg::NodeVisitor {
 public:
  GeodesByName() : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN) {}
  void apply(osg::Geode& geode) override {
    if (!geode.getName().empty()) geodes.emplace(geode.getName(), &geode);
  }
  std::unordered_map<std::string, osg::Geode*> geodes;
};

void putNumber(PropertyMap& props, const std::string& key, const std::optional<double>& v) {
  if (v) props.insert_or_assign(key, *v);
}

}  // namespace

fs::path bimCacheDirectory() {
  if (const char* env = std::getenv("GREENTWIN_BIM_CACHE"); env != nullptr && *env != '\0') return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg != nullptr && *xdg != '\0') {
    return fs::path(xdg) / "greentwin" / "bim";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return fs::path(home) / ".cache" / "greentwin" / "bim";
  }
  return fs::temp_directory_path() / "greentwin-bim";
}

bim::BimImportOptions bimImportOptions(const LayerConfig& config, const GeoFrame& frame) {
  bim::BimImportOptions options;
  options.outputDir = bimCacheDirectory();
  options.sceneCrs = frame.sceneCrs();
  options.sceneOriginLon = frame.originLon();
  options.sceneOriginLat = frame.originLat();
  const BimAnchor& anchor = layers::bimOptions(config).anchor;
  if (anchor.hasPosition() || anchor.override) {
    options.anchor = anchor;
    // lon/lat win over scene x/y (docs/bim.md): the importer is given only the position it uses.
    if (anchor.lon) options.anchor->sceneX = options.anchor->sceneY = std::nullopt;
  }
  return options;
}

BimLoadResult makeBimInputs(const bim::BimModel& model, osg::ref_ptr<osg::Node> sceneNode,
                            const std::string& entityPrefix) {
  BimLoadResult out;
  out.elements = std::make_shared<FeatureSet>();
  auto scene = std::make_shared<layers::BimScene>();
  scene->modelName = model.name;
  scene->model = sceneNode;
  // The sidecar's matrix is row-major with column vectors (scene = M * [p, 1]); OSG multiplies row vectors
  // (p * M), so its matrix is the transpose.
  const std::array<double, 16> m = model.placement.matrixRowMajor();
  for (int r = 0; r < 4; ++r) {
    for (int c = 0; c < 4; ++c) scene->placement(r, c) = m[static_cast<std::size_t>(c * 4 + r)];
  }
  scene->warnings = model.warnings;

  std::unordered_map<std::string, const bim::BimSpatialNode*> byGuid;
  for (const auto& n : model.spatialNodes) byGuid.emplace(n.guid, &n);
  // Indices out of range (a damaged sidecar) are dropped here, so the layer and the panel can index freely.
  for (const auto& n : model.spatialNodes) {
    layers::BimTreeNode node{n.guid, n.ifcType, n.name, {}, {}};
    for (std::size_t c : n.children) {
      if (c < model.spatialNodes.size()) node.children.push_back(c);
    }
    for (std::size_t e : n.elements) {
      if (e < model.elements.size()) node.elements.push_back(static_cast<std::uint32_t>(e));
    }
    scene->tree.push_back(std::move(node));
  }

  GeodesByName geodes;
  if (sceneNode) sceneNode->accept(geodes);
  FeatureSet& set = *out.elements;
  set.source = model.sourcePath;
  set.features.reserve(model.elements.size());
  const auto toScene = [&scene](const osg::Vec3d& p) {
    const osg::Vec3d q = p * scene->placement;
    return Vec3d{q.x(), q.y(), q.z()};
  };
  for (const bim::BimElement& e : model.elements) {
    Feature f;
    f.id = entityPrefix + "/" + e.guid;
    PropertyMap& p = f.properties;
    p.insert_or_assign("name", e.name);
    p.insert_or_assign("guid", e.guid);
    p.insert_or_assign("type", e.ifcType);
    p.insert_or_assign("model", model.name);
    if (auto it = byGuid.find(e.storeyGuid); it != byGuid.end()) p.insert_or_assign("storey", it->second->name);
    if (auto it = byGuid.find(e.spaceGuid); it != byGuid.end()) p.insert_or_assign("space", it->second->name);
    if (!e.material.empty()) p.insert_or_assign("material", e.material);
    if (e.materials.size() > 1) {
      std::string all;
      for (const auto& name : e.materials) all += (all.empty() ? "" : "; ") + name;
      p.insert_or_assign("materials", all);
    }
    putNumber(p, "volume_m3", e.volumeM3);
    putNumber(p, "area_m2", e.areaM2);
    p.insert_or_assign("carbon_status", std::string(bim::toString(e.carbon.status)));
    if (e.carbon.status == bim::CarbonStatus::Ok) {
      p.insert_or_assign("carbon_kgco2e", e.carbon.kgCo2e);
      p.insert_or_assign("carbon_factor", e.carbon.factorId);
    }
    // Property sets flattened: "Pset_WallCommon.IsExternal" -> its value (a number where it is one).
    for (const bim::BimPropertySet& ps : e.propertySets) {
      for (const bim::BimProperty& v : ps.values) {
        const std::string key = ps.name + "." + v.name;
        if (v.number) {
          p.insert_or_assign(key, *v.number);
        } else if (v.text == "true" || v.text == "false") {
          p.insert_or_assign(key, v.text == "true");
        } else {
          p.insert_or_assign(key, v.text);
        }
      }
    }
    // Where the element is (its label anchor, what plugins see): the centre of its geometry, placed.
    Vec3d where = toScene(osg::Vec3d());
    if (auto it = geodes.geodes.find(e.guid); it != geodes.geodes.end()) {
      osg::ComputeBoundsVisitor bounds;
      it->second->accept(bounds);
      if (bounds.getBoundingBox().valid()) where = toScene(osg::Vec3d(bounds.getBoundingBox().center()));
    }
    f.geometry.points.push_back(where);
    set.bounds.extend(where);
    set.features.push_back(std::move(f));
    scene->elementGuids.push_back(e.guid);
    scene->elementTypes.push_back(e.ifcType);
    scene->elementStoreys.push_back(e.storeyGuid);
  }
  // The model's extent (all eight corners of its bounds, placed) for the scene bounds.
  for (int corner = 0; corner < 8; ++corner) {
    set.bounds.extend(toScene(osg::Vec3d(corner & 1 ? model.boundsMax.x : model.boundsMin.x,
                                         corner & 2 ? model.boundsMax.y : model.boundsMin.y,
                                         corner & 4 ? model.boundsMax.z : model.boundsMin.z)));
  }
  out.scene = std::move(scene);
  return out;
}

Result<BimLoadResult> loadBimModel(const LayerConfig& config, const GeoFrame& frame) {
  const std::string where = "bim layer '" + config.id + "'";
  if (config.source.empty()) return Status(ErrorCode::InvalidArgument, where + ": no source (model file) given");
  const fs::path input = config.source;
  bim::BimImportOptions options = bimImportOptions(config, frame);
  // An overriding anchor decides the placement alone (docs/bim.md precedence 1), so the import does not depend on
  // it: import (and cache) without it and place here. One import then serves every copy of a model, and moving a
  // model in the config does not import it again.
  std::optional<BimAnchor> overrideAnchor;
  if (options.anchor && options.anchor->override && options.anchor->hasPosition()) {
    overrideAnchor = options.anchor;
    options.anchor.reset();
  }
  Fnv1a seed;
  seed.add(optionsKey(options));
  auto hash = hashFile(input, seed);
  if (!hash) return Status(hash.status().code(), where + ": " + hash.status().message());
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(*hash));
  options.outputStem = input.stem().string() + "-" + hex;
  const fs::path json = options.outputDir / (options.outputStem + ".bim.json");

  BimLoadResult out;
  std::optional<bim::BimModel> model;
  osg::ref_ptr<osg::Node> node;
  std::error_code ec;
  // The cached pair is used only when both read the narrow way: the sidecar capped, the scene by name inside the
  // cache folder, through the .osgb reader alone (imported_scene.hpp). Anything else is imported again.
  if (fs::exists(json, ec) || fs::is_symlink(json, ec)) {
    auto cached = bim::readBimModel(json);
    Result<osg::ref_ptr<osg::Node>> scene = cached ? readImportedScene(options.outputDir, cached->sceneFile)
                                                   : Result<osg::ref_ptr<osg::Node>>(cached.status());
    if (scene) {
      model = std::move(*cached);
      node = *scene;
      out.fromCache = true;
    } else {
      spdlog::warn("{}: cached import {} unusable ({}), importing again", where, json.string(),
                   scene.status().message());
    }
  }
  if (!model) {
    auto imported = bim::importModelInProcess(input, options);
    if (!imported) return Status(imported.status().code(), where + ": " + imported.status().message());
    // Only the twin's own scene format is read in this process (docs/bim.md: untrusted files never are).
    auto scene = readImportedScene(imported->sceneFile.parent_path(), imported->sceneFile.filename().string());
    if (!scene) return Status(scene.status().code(), where + ": imported scene refused: " + scene.status().message());
    model = std::move(imported->model);
    node = *scene;
    out.importSeconds = imported->wallSeconds;
  }
  if (overrideAnchor) {
    bim::BimPlacement& p = model->placement;
    p.method = bim::PlacementMethod::AnchorOverride;
    if (overrideAnchor->hasLonLat()) {
      auto local = frame.lonLatToLocal(*overrideAnchor->lon, *overrideAnchor->lat, overrideAnchor->sceneZ);
      if (!local) return Status(local.status().code(), where + ": anchor: " + local.status().message());
      p.origin = *local;
    } else {
      p.origin = {*overrideAnchor->sceneX, *overrideAnchor->sceneY, overrideAnchor->sceneZ};
    }
    p.rotationDeg = overrideAnchor->rotationDeg;
    p.scale = overrideAnchor->scale;
  }
  BimLoadResult inputs = makeBimInputs(*model, node, "bim/" + config.id);
  inputs.fromCache = out.fromCache;
  inputs.importSeconds = out.importSeconds;
  return inputs;
}

}  // namespace gt::runtime
