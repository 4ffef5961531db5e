#pragma once
// IFC geometry through IFC++ and Carve: the file text is handed to ReaderSTEP::loadModelFromString (its
// loadModelFromFile fails on a setlocale call in Debian's build and loads nothing), GeometryConverter builds the
// Carve meshes of every product in world coordinates (metres), and each product's meshes are flattened into
// triangle soups keyed by the product's STEP id. No IFC++ type leaves this header. Importer process only.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt::bim {

// Triangles of one colour: 9 doubles per triangle (world metres), with one flat normal per triangle.
struct MeshPart {
  std::array<float, 4> rgba{-1.f, -1.f, -1.f, -1.f};  // r < 0: no style in the file (the writer picks one)
  std::vector<double> positions;                        // x,y,z per vertex, 3 vertices per triangle
  std::vector<float> normals;                           // per triangle: x,y,z
};

struct ElementMesh {
  std::vector<MeshPart> parts;
  double closedVolumeM3 = 0.0;  // sum of |volume| of the closed meshes (0 if none)
  bool hasClosedMesh = false;
  std::uint32_t triangles = 0;
};

struct IfcGeometry {
  std::unordered_map<std::uint64_t, ElementMesh> byId;  // STEP id of the product -> its mesh
  std::size_t errorMessages = 0;                        // IFC++ conversion errors (products left without shape)
  std::string firstError;
};

// Errors: ParseError when IFC++ throws while reading, or reads no entity at all.
// `park`: if set, IFC++'s model and converter are moved there instead of being freed (see importModelHere).
Result<IfcGeometry> convertIfcGeometry(std::string text, const std::string& displayName,
                                       std::vector<std::shared_ptr<void>>* park = nullptr);

}  // namespace gt::bim
