#pragma once
// Non-IFC model files (glTF 2.0 .gltf/.glb, OBJ, Collada, 3DS, PLY, LWO, STL) read through assimp into the same
// elements, spatial tree and meshes the IFC path produces (docs/bim.md "glTF, OBJ, Collada and other meshes").
// Untrusted input: importer process only. assimp opens only files inside the model's own folder (a glTF buffer
// or OBJ material library elsewhere is refused and named in the error). No assimp type leaves this header.
//
// Threads: one call at a time per process is the documented use; the call owns its assimp::Importer.

#include <filesystem>
#include <string>
#include <vector>

#include "greentwin/connectors/bim_model.hpp"
#include "greentwin/core/status.hpp"
#include "ifc_geometry.hpp"
#include "ifc_semantics.hpp"
#include "model_format.hpp"

namespace gt::bim {

struct ForeignModel {
  // [0] is the file ("MODEL", guid = the file's stem, name = its file name) and stands for assimp's root node;
  // every other node that groups elements is a "NODE" (guid = its unique id, name = the node's name).
  std::vector<BimSpatialNode> spatialNodes;
  std::vector<BimElement> elements;                  // one per node with triangles, type "MESH"
  std::vector<ElementMesh> meshes;                   // parallel to elements: world metres, z up
  std::vector<std::vector<MaterialShare>> materials;  // parallel to elements: the node's material names
  std::vector<std::string> warnings;
};

// Errors (each naming the file): ParseError with assimp's reason ("cannot read <file>: ..."), or "no triangles in
// <file>" when nothing drawable is left; the reason adds the paths refused outside the model's folder.
Result<ForeignModel> readForeignModel(const std::filesystem::path& file, ModelFormat format);

}  // namespace gt::bim
