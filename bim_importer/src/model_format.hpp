#pragma once
// Which reader a model file goes to (docs/bim.md "Formats"): the extension names the format, and the first bytes
// must agree where the format has a signature (glTF binary "glTF", IFC "ISO-10303-21;", PLY "ply", LWO "FORM",
// 3DS chunk 0x4D4D, Collada/glTF text: XML / JSON). A binary glTF is recognised by its magic whatever its name.
// Importer process only; plain file reads, any thread.

#include <filesystem>
#include <string_view>

#include "greentwin/core/status.hpp"

namespace gt::bim {

enum class ModelFormat { Ifc, Gltf, Glb, Obj, Collada, ThreeDs, Ply, Lwo, Stl };

// The sidecar's source.kind: "ifc", "gltf", "glb", "obj", "collada", "3ds", "ply", "lwo", "stl".
const char* sourceKind(ModelFormat format);

// Up axis of the coordinates assimp hands over for this format (before the importer turns them z up):
// true for glTF/GLB (the spec), Collada (assimp applies <up_axis> and <unit>, leaving y up), OBJ and LWO (their
// tools' convention); false (z up, kept) for 3DS, PLY, STL. IFC is z up and does not go through assimp.
bool assimpYUp(ModelFormat format);

// Decides from `extension` (any case, with the dot) and `head` (the file's first bytes, up to a few hundred).
// Errors: Unsupported (no reader for the extension), ParseError "not a <format> file: <display>: <why>" when the
// bytes contradict the extension.
Result<ModelFormat> detectModelFormat(std::string_view extension, std::string_view head, const std::string& display);

// Reads the first bytes of `file` and decides. NotFound when it cannot be read.
Result<ModelFormat> detectModelFormat(const std::filesystem::path& file);

}  // namespace gt::bim
