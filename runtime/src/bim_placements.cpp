#include "greentwin/runtime/bim_placements.hpp"

#include "greentwin/layers/bim_layer.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string_view>

namespace gt::runtime {
namespace {

namespace fs = std::filesystem;

std::string at(const std::string& path, const toml::node& node) {
  return path + ":" + std::to_string(node.source().begin.line);
}

// One number (integers accepted) within [lo, hi]; `lowOpen`: lo itself is not allowed.
Status readNumber(const std::string& path, const std::string& layer, const toml::table& t, std::string_view key,
                  double& out, double lo, double hi, bool lowOpen = false) {
  const toml::node* node = t.get(key);
  if (node == nullptr) return Status::ok();
  const auto v = node->value<double>();
  const std::string name = "'" + layer + "." + std::string(key) + "'";
  if (!v || !std::isfinite(*v)) return Status(ErrorCode::ParseError, at(path, *node) + ": " + name + " must be a number");
  if (*v < lo || *v > hi || (lowOpen && *v == lo)) {
    char range[96];
    std::snprintf(range, sizeof range, "%s%g..%g", lowOpen ? "> " : "", lo, hi);
    return Status(ErrorCode::ParseError, at(path, *node) + ": " + name + " is out of range (" + range + ")");
  }
  out = *v;
  return Status::ok();
}

}  // namespace

std::string bimPlacementsPath(const Config& config) {
  return (fs::path(config.directory) / kBimPlacementsFile).string();
}

Result<std::vector<BimPlacementOverride>> readBimPlacements(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return std::vector<BimPlacementOverride>{};
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::IoError, "cannot read BIM placements file '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  std::vector<BimPlacementOverride> out;
  try {
    const toml::table root = toml::parse(text.str(), std::string_view(path));
    for (const auto& [key, node] : root) {
      const std::string layer(key.str());
      const toml::table* t = node.as_table();
      if (t == nullptr) return Status(ErrorCode::ParseError, at(path, node) + ": '" + layer + "' must be a table");
      for (const auto& [k, v] : *t) {
        static constexpr std::string_view kKeys[]{"anchor_x", "anchor_y", "anchor_z", "rotation_deg", "scale"};
        if (std::find(std::begin(kKeys), std::end(kKeys), k.str()) == std::end(kKeys)) {
          return Status(ErrorCode::ParseError, at(path, v) + ": unknown key '" + layer + "." + std::string(k.str()) + "'");
        }
      }
      if (t->get("anchor_x") == nullptr || t->get("anchor_y") == nullptr) {
        return Status(ErrorCode::ParseError, at(path, node) + ": '" + layer + "' needs anchor_x and anchor_y");
      }
      double x = 0.0, y = 0.0, z = 0.0, rotationDeg = 0.0, scale = 1.0;
      for (Status s : {readNumber(path, layer, *t, "anchor_x", x, -1e7, 1e7),
                       readNumber(path, layer, *t, "anchor_y", y, -1e7, 1e7),
                       readNumber(path, layer, *t, "anchor_z", z, -1000.0, 10000.0),
                       readNumber(path, layer, *t, "rotation_deg", rotationDeg, -360.0, 360.0),
                       readNumber(path, layer, *t, "scale", scale, 0.0, 1000.0, true)}) {
        if (!s) return s;
      }
      BimPlacementOverride p{layer, BimAnchor::inScene(x, y, z, rotationDeg, scale)};
      out.push_back(std::move(p));
    }
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return Status(ErrorCode::ParseError, path + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                                             ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Status(ErrorCode::Internal, path + ": unexpected error reading BIM placements: " + e.what());
  }
  return out;
}

Status writeBimPlacements(const std::string& path, const std::vector<BimPlacementOverride>& placements) {
  std::vector<BimPlacementOverride> sorted = placements;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) { return a.layerId < b.layerId; });
  toml::table root;
  for (const BimPlacementOverride& p : sorted) {
    const BimAnchor& a = p.anchor;
    root.insert_or_assign(p.layerId, toml::table{{"anchor_x", a.sceneX.value_or(0.0)},
                                                 {"anchor_y", a.sceneY.value_or(0.0)},
                                                 {"anchor_z", a.sceneZ},
                                                 {"rotation_deg", a.rotationDeg},
                                                 {"scale", a.scale}});
  }
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    if (!out) return Status(ErrorCode::IoError, "cannot write BIM placements file '" + tmp + "'");
    out << "# BIM model placements saved by GreenTwin (\"Save placement\" in the model tree). Each table overrides the\n"
           "# [layers.bim] anchor of the layer with that id at the next start (docs/bim.md). Safe to edit or delete.\n"
        << root << "\n";
    if (!out.flush()) return Status(ErrorCode::IoError, "cannot write BIM placements file '" + tmp + "'");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) return Status(ErrorCode::IoError, "cannot replace BIM placements file '" + path + "': " + ec.message());
  return Status::ok();
}

void applyBimPlacement(const BimPlacementOverride& placement, LayerConfig& layer) {
  BimAnchor& anchor = editLayerOptions<layers::BimOptions>(layer).anchor;
  anchor = placement.anchor;
  anchor.lon.reset();
  anchor.lat.reset();
  anchor.override = true;
}

}  // namespace gt::runtime
