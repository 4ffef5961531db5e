#include "assimp_model.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>
#include <string_view>
#include <unordered_set>

#include <assimp/DefaultIOSystem.h>
#include <assimp/Importer.hpp>
#include <assimp/config.h>
#include <assimp/material.h>
#include <assimp/postprocess.h>
#include <assimp/scene.h>
#include <nlohmann/json.hpp>

namespace gt::bim {
namespace {

namespace fs = std::filesystem;

// Row-major 4x4, column vectors (as aiMatrix4x4): p' = M * [p, 1].
using Mat4 = std::array<double, 16>;

constexpr Mat4 kIdentity{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};

Mat4 toMat4(const aiMatrix4x4& m) {
  return {m.a1, m.a2, m.a3, m.a4, m.b1, m.b2, m.b3, m.b4, m.c1, m.c2, m.c3, m.c4, m.d1, m.d2, m.d3, m.d4};
}

Mat4 multiply(const Mat4& a, const Mat4& b) {
  Mat4 r{};
  for (int i = 0; i < 4; ++i) {
    for (int j = 0; j < 4; ++j) {
      double s = 0.0;
      for (int k = 0; k < 4; ++k) s += a[static_cast<std::size_t>(i * 4 + k)] * b[static_cast<std::size_t>(k * 4 + j)];
      r[static_cast<std::size_t>(i * 4 + j)] = s;
    }
  }
  return r;
}

double determinant3(const Mat4& m) {
  return m[0] * (m[5] * m[10] - m[6] * m[9]) - m[1] * (m[4] * m[10] - m[6] * m[8]) + m[2] * (m[4] * m[9] - m[5] * m[8]);
}

// y up -> the twin's z up: (x, y, z) -> (x, -z, y), a +90 degree turn about x (right-handed, no mirroring). A
// glTF asset's front (+z) ends up facing -y (south); its right (+x) stays east.
constexpr Mat4 kYUpToZUp{1, 0, 0, 0, 0, 0, -1, 0, 0, 1, 0, 0, 0, 0, 0, 1};

// Lets assimp open only regular files inside `root` (the model's folder, resolved), and only for reading: a glTF
// buffer URI or an OBJ "mtllib" pointing elsewhere ("../../etc/passwd", a device, a FIFO) is refused and noted.
class ConfinedIOSystem : public Assimp::DefaultIOSystem {
 public:
  explicit ConfinedIOSystem(fs::path root) : root_(std::move(root)) {}

  bool Exists(const char* file) const override { return file && allowed(file) && DefaultIOSystem::Exists(file); }

  Assimp::IOStream* Open(const char* file, const char* mode = "rb") override {
    if (!file) return nullptr;
    const std::string m = mode ? mode : "rb";
    if (m.find_first_of("wa+") != std::string::npos || !allowed(file)) return nullptr;
    return DefaultIOSystem::Open(file, mode);
  }

  const std::set<std::string>& refused() const { return refused_; }

 private:
  // Outside the folder, or there but not a regular file: refused (and remembered). Missing: simply absent.
  bool allowed(const char* file) const {
    std::error_code ec;
    const fs::path p = fs::weakly_canonical(fs::path(file), ec);
    if (ec) return false;
    const auto [r, q] = std::mismatch(root_.begin(), root_.end(), p.begin(), p.end());
    const bool inside = r == root_.end() && q != p.end();
    const fs::file_status status = fs::status(p, ec);
    if (inside && fs::is_regular_file(status)) return true;
    if (!inside || fs::exists(status)) refused_.insert(file);
    return false;
  }

  fs::path root_;
  mutable std::set<std::string> refused_;
};

std::string refusedList(const std::set<std::string>& refused) {
  std::string out;
  for (const std::string& r : refused) out += (out.empty() ? "" : ", ") + r;
  return out;
}

// RGBA of a material: diffuse (glTF: base colour factor), alpha from the opacity when given. r < 0: none usable.
std::array<float, 4> materialColour(const aiMaterial* material) {
  std::array<float, 4> rgba{-1.f, -1.f, -1.f, -1.f};
  if (!material) return rgba;
  aiColor4D d;
  if (aiGetMaterialColor(material, AI_MATKEY_COLOR_DIFFUSE, &d) != AI_SUCCESS) return rgba;
  float opacity = 1.f;
  if (aiGetMaterialFloat(material, AI_MATKEY_OPACITY, &opacity) == AI_SUCCESS) d.a = opacity;
  const std::array<float, 4> c{d.r, d.g, d.b, d.a};
  for (float v : c) {
    if (!std::isfinite(v)) return rgba;
  }
  for (std::size_t i = 0; i < 4; ++i) rgba[i] = std::clamp(c[i], 0.f, 1.f);
  return rgba;
}

std::string materialName(const aiMaterial* material) {
  aiString name;
  if (!material || material->Get(AI_MATKEY_NAME, name) != AI_SUCCESS) return {};
  const std::string n = name.C_Str();
  return n == AI_DEFAULT_MATERIAL_NAME ? std::string() : n;  // assimp's stand-in, not the file's
}

// A node's metadata (glTF "extras", Collada/FBX user properties) as the property set "Metadata".
std::optional<BimPropertySet> metadataSet(const aiMetadata* meta) {
  if (!meta || meta->mNumProperties == 0 || !meta->mKeys || !meta->mValues) return std::nullopt;
  BimPropertySet set;
  set.name = "Metadata";
  for (unsigned i = 0; i < meta->mNumProperties; ++i) {
    const aiMetadataEntry& entry = meta->mValues[i];
    if (!entry.mData) continue;
    BimProperty p;
    p.name = meta->mKeys[i].C_Str();
    double number = 0.0;
    bool numeric = true;
    switch (entry.mType) {
      case AI_BOOL: p.text = *static_cast<const bool*>(entry.mData) ? "true" : "false"; numeric = false; break;
      case AI_INT32: number = *static_cast<const std::int32_t*>(entry.mData); break;
      case AI_UINT64: number = static_cast<double>(*static_cast<const std::uint64_t*>(entry.mData)); break;
      case AI_FLOAT: number = static_cast<double>(*static_cast<const float*>(entry.mData)); break;
      case AI_DOUBLE: number = *static_cast<const double*>(entry.mData); break;
      case AI_AISTRING: p.text = static_cast<const aiString*>(entry.mData)->C_Str(); numeric = false; break;
      default: continue;  // vectors and nested metadata are left out
    }
    if (numeric) {
      if (!std::isfinite(number)) continue;
      p.number = number;
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.17g", number);
      p.text = buf;
    }
    set.values.push_back(std::move(p));
  }
  if (set.values.empty()) return std::nullopt;
  return set;
}

struct Visit {
  const aiNode* node = nullptr;
  std::size_t parent = SIZE_MAX;  // index into the visits (pre-order)
  Mat4 world = kIdentity;         // model file -> twin frame (axis turn included)
};

// The triangles of `node`'s meshes in the twin frame, one part per colour; names of its materials in `materials`.
ElementMesh nodeMesh(const aiScene& scene, const aiNode& node, const Mat4& world, std::vector<std::string>& materials) {
  ElementMesh out;
  // A mirroring transform turns the winding: swap two corners so the flat normals still face out.
  const bool mirrored = determinant3(world) < 0.0;
  const auto transform = [&world](const aiVector3D& v) {
    const double x = v.x, y = v.y, z = v.z;
    return std::array<double, 3>{world[0] * x + world[1] * y + world[2] * z + world[3],
                                 world[4] * x + world[5] * y + world[6] * z + world[7],
                                 world[8] * x + world[9] * y + world[10] * z + world[11]};
  };
  for (unsigned k = 0; k < node.mNumMeshes; ++k) {
    if (!node.mMeshes || node.mMeshes[k] >= scene.mNumMeshes) continue;
    const aiMesh* mesh = scene.mMeshes[node.mMeshes[k]];
    if (!mesh || !mesh->mVertices || !mesh->mFaces || !(mesh->mPrimitiveTypes & aiPrimitiveType_TRIANGLE)) continue;
    const aiMaterial* material = mesh->mMaterialIndex < scene.mNumMaterials ? scene.mMaterials[mesh->mMaterialIndex] : nullptr;
    const std::array<float, 4> rgba = materialColour(material);
    MeshPart* part = nullptr;
    for (MeshPart& p : out.parts) {
      if (p.rgba == rgba) part = &p;
    }
    if (!part) part = &out.parts.emplace_back(MeshPart{rgba, {}, {}});
    const std::size_t before = part->normals.size();
    for (unsigned f = 0; f < mesh->mNumFaces; ++f) {
      const aiFace& face = mesh->mFaces[f];
      if (face.mNumIndices != 3 || !face.mIndices) continue;
      std::array<std::array<double, 3>, 3> p;
      bool ok = true;
      for (unsigned c = 0; c < 3 && ok; ++c) {
        const unsigned index = face.mIndices[mirrored && c > 0 ? 3 - c : c];
        if (index >= mesh->mNumVertices) {
          ok = false;
          break;
        }
        p[c] = transform(mesh->mVertices[index]);
        for (double v : p[c]) ok = ok && std::isfinite(v);
      }
      if (!ok) continue;
      const std::array<double, 3> u{p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]};
      const std::array<double, 3> w{p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2]};
      std::array<double, 3> n{u[1] * w[2] - u[2] * w[1], u[2] * w[0] - u[0] * w[2], u[0] * w[1] - u[1] * w[0]};
      const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
      if (!(len > 0.0) || !std::isfinite(len)) continue;  // degenerate
      for (const auto& v : p) part->positions.insert(part->positions.end(), v.begin(), v.end());
      for (double c : n) part->normals.push_back(static_cast<float>(c / len));
      ++out.triangles;
    }
    if (part->normals.size() > before) {
      const std::string name = materialName(material);
      if (!name.empty() && std::find(materials.begin(), materials.end(), name) == materials.end()) {
        materials.push_back(name);
      }
    }
  }
  std::erase_if(out.parts, [](const MeshPart& p) { return p.positions.empty(); });
  return out;
}

std::uint32_t littleEndian32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return static_cast<std::uint32_t>(b[0]) | static_cast<std::uint32_t>(b[1]) << 8 |
         static_cast<std::uint32_t>(b[2]) << 16 | static_cast<std::uint32_t>(b[3]) << 24;
}

// A binary glTF's header (magic, version, length) and first chunk header (length, "JSON"), checked before assimp
// allocates what they announce (a flipped length byte would otherwise ask for gigabytes).
Status checkGlbHeader(const fs::path& file, const std::string& display) {
  const auto damaged = [&display](const std::string& why) {
    return Status(ErrorCode::ParseError, "damaged glTF binary: " + display + ": " + why);
  };
  std::error_code ec;
  const std::uintmax_t size = fs::file_size(file, ec);
  std::ifstream in(file, std::ios::binary);
  char h[20] = {};
  in.read(h, sizeof h);
  if (ec || in.gcount() < static_cast<std::streamsize>(sizeof h)) {
    return damaged("only " + std::to_string(in.gcount()) + " bytes; the header and the JSON chunk header take 20");
  }
  const std::uint32_t version = littleEndian32(h + 4);
  const std::uint32_t length = littleEndian32(h + 8);
  const std::uint32_t jsonLength = littleEndian32(h + 12);
  if (version != 2) return damaged("container version " + std::to_string(version) + " (glTF 2.0 is read)");
  if (length > size) {
    return damaged("the header gives " + std::to_string(length) + " bytes but the file has " + std::to_string(size) +
                   " (truncated?)");
  }
  if (std::string_view(h + 16, 4) != "JSON") return damaged("the first chunk is not the JSON chunk");
  if (jsonLength > length - 20) {
    return damaged("the JSON chunk (" + std::to_string(jsonLength) + " bytes) runs past the end (" +
                   std::to_string(length) + " bytes)");
  }
  return Status::ok();
}

// Why assimp found no reader for a glTF file: its readers accept a file only once its JSON parses and says glTF
// 2.0, and then say nothing more. Empty when the JSON is fine (assimp's own message stands).
std::string gltfJsonProblem(const fs::path& file, ModelFormat format) {
  std::ifstream in(file, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (format == ModelFormat::Glb) {
    if (text.size() < 20) return {};
    text = text.substr(20, littleEndian32(text.data() + 12));
  }
  try {
    const nlohmann::json doc = nlohmann::json::parse(text);
    const auto asset = doc.find("asset");
    const std::string version =
        asset != doc.end() && asset->is_object() && asset->contains("version") && (*asset)["version"].is_string()
            ? (*asset)["version"].get<std::string>()
            : std::string("(none)");
    if (version.rfind("2.", 0) != 0) return "asset.version is " + version + ", not glTF 2.0";
    return {};
  } catch (const nlohmann::json::parse_error& e) {
    std::string what = e.what();  // "[json.exception.parse_error.101] parse error at line 1, column 9: ..."
    if (const std::size_t at = what.find("] "); at != std::string::npos) what = what.substr(at + 2);
    if (const std::size_t at = what.find("; last read:"); at != std::string::npos) what.erase(at);  // the token
    return "invalid JSON: " + what;
  }
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

}  // namespace

Result<ForeignModel> readForeignModel(const fs::path& file, ModelFormat format) {
  const std::string display = file.string();
  std::error_code ec;
  const fs::path resolved = fs::canonical(file, ec);
  if (ec) return Status(ErrorCode::NotFound, "model file not found: " + display);

  Assimp::Importer importer;
  auto* io = new ConfinedIOSystem(resolved.parent_path());
  importer.SetIOHandler(io);  // the importer owns it from here
  // Points and lines have no surface: dropped. Skeletons without skin get no stand-in bone meshes.
  importer.SetPropertyInteger(AI_CONFIG_PP_SBP_REMOVE, aiPrimitiveType_POINT | aiPrimitiveType_LINE);
  importer.SetPropertyBool(AI_CONFIG_IMPORT_NO_SKELETON_MESHES, true);
  // Collada nodes by their name (what the authoring tool showed), not their XML id; ids are made unique below.
  importer.SetPropertyBool(AI_CONFIG_IMPORT_COLLADA_USE_COLLADA_NAMES, true);
  // ValidateDataStructure rejects out-of-range indices and other inconsistencies of a damaged file.
  const unsigned flags = aiProcess_Triangulate | aiProcess_SortByPType | aiProcess_ValidateDataStructure;

  if (format == ModelFormat::Glb) {
    if (Status s = checkGlbHeader(resolved, display); !s) return s;
  }
  const aiScene* scene = nullptr;
  if (format == ModelFormat::Glb && lower(file.extension().string()) != ".glb") {
    // assimp picks its glTF binary reader by extension: a binary glTF named otherwise is read from memory.
    std::ifstream in(resolved, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    scene = importer.ReadFileFromMemory(bytes.data(), bytes.size(), flags, "glb");
  } else {
    scene = importer.ReadFile(resolved.string(), flags);
  }
  const std::string refused = refusedList(io->refused());
  if (!scene || !scene->mRootNode) {
    std::string why = importer.GetErrorString();
    if (why.empty()) why = "the reader returned no scene";
    if ((format == ModelFormat::Gltf || format == ModelFormat::Glb) && why.find("No suitable reader") == 0) {
      if (std::string problem = gltfJsonProblem(resolved, format); !problem.empty()) why = problem;
    }
    if (!refused.empty()) why += " (refused to open, outside the model's folder or not a regular file: " + refused + ")";
    return Status(ErrorCode::ParseError, "cannot read " + display + ": " + why);
  }

  ForeignModel model;
  if (!refused.empty()) {
    model.warnings.push_back("refused to open, outside the model's folder or not a regular file: " + refused);
  }
  const Mat4 axis = assimpYUp(format) ? kYUpToZUp : kIdentity;

  // Pre-order walk without recursion (a file's hierarchy may be deep): a node gets its index when it is taken off
  // the stack, so indices follow the file (parents before children, siblings in order). A node reached twice (a
  // damaged or cyclic hierarchy) is skipped.
  std::vector<Visit> visits;
  std::vector<Visit> stack{Visit{scene->mRootNode, SIZE_MAX, multiply(axis, toMat4(scene->mRootNode->mTransformation))}};
  std::unordered_set<const aiNode*> seen{scene->mRootNode};
  std::size_t repeated = 0;
  while (!stack.empty()) {
    visits.push_back(stack.back());
    stack.pop_back();
    const std::size_t at = visits.size() - 1;
    const aiNode* node = visits[at].node;
    if (!node->mChildren) continue;
    for (unsigned c = node->mNumChildren; c-- > 0;) {  // reversed: the first child is taken first
      const aiNode* child = node->mChildren[c];
      if (!child) continue;
      if (!seen.insert(child).second) {
        ++repeated;
        continue;
      }
      stack.push_back(Visit{child, at, multiply(visits[at].world, toMat4(child->mTransformation))});
    }
  }
  if (repeated > 0) model.warnings.push_back(std::to_string(repeated) + " node references repeated: drawn once");

  // Meshes per node, and which nodes lead to any triangles.
  const std::size_t n = visits.size();
  std::vector<ElementMesh> meshes(n);
  std::vector<std::vector<std::string>> materials(n);
  std::vector<bool> subtree(n, false), groups(n, false);
  for (std::size_t i = 0; i < n; ++i) meshes[i] = nodeMesh(*scene, *visits[i].node, visits[i].world, materials[i]);
  for (std::size_t i = n; i-- > 0;) {
    if (meshes[i].triangles > 0) subtree[i] = true;
    if (subtree[i] && visits[i].parent != SIZE_MAX) {
      subtree[visits[i].parent] = true;
      groups[visits[i].parent] = true;  // has a child with triangles below it
    }
  }
  if (!subtree[0]) return Status(ErrorCode::ParseError, "no triangles in " + display);

  // Ids: the node's name where it is unique (glTF nodes without a name are "nodes[<index>]"), else made unique.
  std::set<std::string> used;
  const auto uniqueId = [&used](const std::string& name, std::size_t index) {
    std::string id = name.empty() ? "node-" + std::to_string(index) : name;
    for (int k = 0; !used.insert(id).second; ++k) {
      id = (name.empty() ? "node" : name) + "#" + std::to_string(index) + (k > 0 ? "." + std::to_string(k) : "");
    }
    return id;
  };

  BimSpatialNode root;
  root.guid = file.stem().string();
  root.ifcType = "MODEL";
  root.name = file.filename().string();
  used.insert(root.guid);
  model.spatialNodes.push_back(std::move(root));
  std::vector<std::size_t> spatialOf(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    if (!subtree[i]) continue;
    const std::string name = visits[i].node->mName.C_Str();
    std::string id;
    if (i != 0) {
      spatialOf[i] = spatialOf[visits[i].parent];
      if (groups[i]) {
        id = uniqueId(name, i);
        BimSpatialNode group;
        group.guid = id;
        group.ifcType = "NODE";
        group.name = name;
        model.spatialNodes[spatialOf[i]].children.push_back(model.spatialNodes.size());
        spatialOf[i] = model.spatialNodes.size();
        model.spatialNodes.push_back(std::move(group));
      }
    }
    if (meshes[i].triangles == 0) continue;
    BimElement e;
    e.guid = id.empty() ? uniqueId(name, i) : id;  // a node that groups and draws keeps one id
    e.ifcType = "MESH";
    e.name = name;
    e.materials = materials[i];
    if (!e.materials.empty()) e.material = e.materials.front();
    if (auto meta = metadataSet(visits[i].node->mMetaData)) e.propertySets.push_back(std::move(*meta));
    std::vector<MaterialShare> shares;
    for (const std::string& m : e.materials) {
      shares.push_back(MaterialShare{m, 1.0 / static_cast<double>(e.materials.size())});
    }
    model.spatialNodes[spatialOf[i]].elements.push_back(model.elements.size());
    model.elements.push_back(std::move(e));
    model.meshes.push_back(std::move(meshes[i]));
    model.materials.push_back(std::move(shares));
  }
  return model;
}

}  // namespace gt::bim
