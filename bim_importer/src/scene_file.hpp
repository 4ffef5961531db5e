#pragma once
// The .osgb half of the BIM format (bim_model.hpp, docs/bim.md): writing the scene graph of an import. Model files
// are read elsewhere (IFC: ifc_geometry, everything else: assimp_model); OSG only writes here.

#include <filesystem>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/vec.hpp"
#include "ifc_geometry.hpp"

namespace gt::bim {

struct SceneItem {
  std::string guid;        // the Geode's name
  std::string storeyGuid;  // "" -> storey:none
  std::string ifcType;     // picks a colour when the mesh has none
  const ElementMesh* mesh = nullptr;
};

// Writes `items` (world metres) minus `offset` into `osgbPath`, grouped by storey in `storeyOrder`.
Status writeBimScene(const std::string& modelName, const std::vector<std::string>& storeyOrder,
                     const std::vector<SceneItem>& items, const Vec3d& offset, const std::filesystem::path& osgbPath);

// Loads osgDB's .osgb writer plugin ahead of writeBimScene (may run on another thread meanwhile).
void preloadSceneWriter();

}  // namespace gt::bim
