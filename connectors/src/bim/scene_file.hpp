#pragma once
// The .osgb half of the BIM format (bim_model.hpp, docs/bim.md): writing the scene graph of an import, and
// reading non-IFC model files (OBJ, 3DS, PLY, LWO, Collada, STL) through OSG's readers into the same meshes.
// OSG's readers for some of these formats crash on damaged files: this code runs in the importer process only.

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

struct ForeignMesh {
  std::string name;  // the node's name, or "mesh-<n>"
  ElementMesh mesh;
};

// Reads a non-IFC model through osgDB: one ForeignMesh per Geode, transforms applied, z up as in the file.
// Errors: Unsupported (no reader for the extension), ParseError (the reader returned nothing / no triangles).
Result<std::vector<ForeignMesh>> readForeignMeshes(const std::filesystem::path& file);

// Loads osgDB's .osgb writer plugin ahead of writeBimScene (may run on another thread meanwhile).
void preloadSceneWriter();

// The extensions readForeignMeshes is used for (lower case, with the dot).
bool isForeignModelExtension(const std::string& extension);

}  // namespace gt::bim
