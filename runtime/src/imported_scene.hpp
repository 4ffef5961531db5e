#pragma once
// Reading the importer's .osgb into the twin (docs/bim.md "Sandbox"). The importer process is not trusted, nor is
// a cache folder's content, so the scene file is read the narrow way:
// - its name must be a plain file name ending in .osgb inside the given folder: no "..", no folder part, no
//   absolute path, and the file itself may not be a symlink (so nothing outside the folder is reached);
// - it must be a regular file (a FIFO would block the loader) of at most kMaxImportedSceneBytes;
// - it is parsed by OSG's .osgb reader alone (not the generic readNodeFile, which picks a reader by name and
//   follows the file's external references): every nested read the file asks for (a ProxyNode's or PagedLOD's
//   file, an external image, a shader file) is refused;
// - the graph read must hold only what the importer writes - Group, MatrixTransform, Geode, Geometry, state with
//   BlendFunc/Material/CullFace/Depth/PolygonOffset - anything else is refused by its class name.
//
// Threads: any thread (the layer loader's worker calls it).

#include <cstdint>
#include <filesystem>
#include <string>

#include <osg/Node>
#include <osg/ref_ptr>

#include "greentwin/core/status.hpp"

namespace gt::runtime {

// The importer's own output limit (BimImportOptions::outputLimitBytes' default).
inline constexpr std::uint64_t kMaxImportedSceneBytes = 2ull << 30;

// Errors: InvalidArgument (a name that leaves the folder), NotFound, Unsupported (not a regular file, a symlink,
// an external reference or a node type the importer never writes: the message names it), ParseError (not .osgb).
Result<osg::ref_ptr<osg::Node>> readImportedScene(const std::filesystem::path& folder, const std::string& fileName);

}  // namespace gt::runtime
