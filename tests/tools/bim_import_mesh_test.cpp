// greentwin-bim-import on the mesh formats read through assimp (glTF 2.0 .gltf/.glb, Collada, OBJ), run as the
// twin runs it: importModelInProcess, a real child process, real files (Debian's assimp-testmodels and files
// written here). Expected counts, names, colours and extents come from the files themselves (the glTF JSON, the
// Collada XML, the OBJ text), not from assimp.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <numbers>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>
#include <osg/Geode>
#include <osg/Geometry>
#include <osg/NodeVisitor>
#include <osgDB/ReadFile>

#include "greentwin/connectors/bim_import.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "bim_import_test_support.hpp"

namespace fs = std::filesystem;
using json = nlohmann::json;
using namespace gt::bim;

namespace {

using importer_tests::baseOptions;
using importer_tests::kOriginLat;
using importer_tests::kOriginLon;
using importer_tests::readText;
using importer_tests::writeText;

const importer_tests::WorkDirs workDir("bim_import_mesh_test");

const fs::path kModels = "/usr/share/assimp/models";

// A glTF file's JSON and its first buffer's bytes: the .glb's JSON and BIN chunks (12-byte header, then chunks of
// length, type, data), or the .gltf's text and its buffer (a base64 data URI or a file next to it).
struct GltfFile {
  json doc;
  std::string buffer;
};

std::string base64Decode(const std::string& in) {
  std::string out;
  int bits = 0, value = 0;
  for (char c : in) {
    const char* table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    const char* at = std::strchr(table, c);
    if (c == '=' || !at || c == '\0') break;
    value = (value << 6) | static_cast<int>(at - table);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((value >> bits) & 0xFF));
    }
  }
  return out;
}

GltfFile readGltf(const fs::path& file) {
  const std::string bytes = readText(file);
  GltfFile g;
  if (bytes.compare(0, 4, "glTF") == 0) {
    std::uint32_t length = 0, binLength = 0;
    std::memcpy(&length, bytes.data() + 12, 4);
    g.doc = json::parse(bytes.substr(20, length));
    std::memcpy(&binLength, bytes.data() + 20 + length, 4);
    g.buffer = bytes.substr(28 + length, binLength);
    return g;
  }
  g.doc = json::parse(bytes);
  const std::string uri = g.doc["buffers"][0]["uri"].get<std::string>();
  const std::size_t comma = uri.find(";base64,");
  g.buffer = comma != std::string::npos ? base64Decode(uri.substr(comma + 8)) : readText(file.parent_path() / uri);
  return g;
}

// Accessor element i, component k, as a double (floats and unsigned integers only, as in the test files).
double accessorValue(const GltfFile& g, std::size_t accessor, std::size_t i, std::size_t k) {
  const json& a = g.doc["accessors"][accessor];
  const json& view = g.doc["bufferViews"][a["bufferView"].get<std::size_t>()];
  const int type = a["componentType"].get<int>();
  const std::size_t size = type == 5121 ? 1 : type == 5123 ? 2 : 4;
  const std::size_t components = a["type"] == "VEC3" ? 3 : 1;
  const std::size_t stride = view.value("byteStride", size * components);
  const std::size_t at = view.value("byteOffset", std::size_t{0}) + a.value("byteOffset", std::size_t{0}) + i * stride + k * size;
  const char* p = g.buffer.data() + at;
  if (type == 5126) {
    float f;
    std::memcpy(&f, p, 4);
    return f;
  }
  std::uint32_t u = 0;
  std::memcpy(&u, p, size);
  return u;
}

// What the glTF file says the import must hold: assimp names a node without a name "nodes[<index>]"; the single
// scene root is the model itself, several roots hang under it; a node groups elements when a child's subtree
// has a mesh; triangles without area (CAD exports hold many) draw nothing and are not counted.
struct GltfExpectation {
  std::map<std::string, unsigned> trianglesByElement;      // node id -> triangles of its mesh
  std::map<std::string, std::set<std::string>> colours;     // node id -> baseColorFactor of its primitives, "r g b a"
  std::set<std::string> groups;                             // node ids
};

std::string rgbaKey(float r, float g, float b, float a) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.3f %.3f %.3f %.3f", r, g, b, a);
  return buf;
}

GltfExpectation expectationOf(const GltfFile& file) {
  const json& g = file.doc;
  GltfExpectation out;
  const json& nodes = g.at("nodes");
  const auto id = [&](std::size_t i) {
    return nodes[i].contains("name") ? nodes[i]["name"].get<std::string>() : "nodes[" + std::to_string(i) + "]";
  };
  std::function<bool(std::size_t)> hasMesh = [&](std::size_t i) {
    if (nodes[i].contains("mesh")) return true;
    for (const auto& c : nodes[i].value("children", json::array())) {
      if (hasMesh(c.get<std::size_t>())) return true;
    }
    return false;
  };
  const json& roots = g.at("scenes").at(g.value("scene", 0)).at("nodes");
  const std::size_t singleRoot = roots.size() == 1 ? roots[0].get<std::size_t>() : nodes.size();
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    if (nodes[i].contains("mesh")) {
      const json& mesh = g.at("meshes").at(nodes[i]["mesh"].get<std::size_t>());
      unsigned triangles = 0;
      for (const json& p : mesh.at("primitives")) {
        EXPECT_EQ(p.value("mode", 4), 4) << "only triangle lists expected in the test files";
        EXPECT_TRUE(p.contains("indices")) << "indexed primitives expected in the test files";
        if (!p.contains("indices")) continue;
        const std::size_t indices = p["indices"].get<std::size_t>();
        const std::size_t positions = p["attributes"]["POSITION"].get<std::size_t>();
        const std::size_t count = g["accessors"][indices]["count"].get<std::size_t>();
        for (std::size_t t = 0; t + 2 < count; t += 3) {
          std::array<std::array<double, 3>, 3> v;
          for (std::size_t c = 0; c < 3; ++c) {
            const auto index = static_cast<std::size_t>(accessorValue(file, indices, t + c, 0));
            for (std::size_t k = 0; k < 3; ++k) v[c][k] = accessorValue(file, positions, index, k);
          }
          const std::array<double, 3> a{v[1][0] - v[0][0], v[1][1] - v[0][1], v[1][2] - v[0][2]};
          const std::array<double, 3> b{v[2][0] - v[0][0], v[2][1] - v[0][1], v[2][2] - v[0][2]};
          const double cross = std::hypot(a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]);
          triangles += cross > 0.0 ? 1 : 0;
        }
        std::array<float, 4> c{1, 1, 1, 1};
        if (p.contains("material")) {
          const json& m = g["materials"][p["material"].get<std::size_t>()];
          if (m.contains("pbrMetallicRoughness") && m["pbrMetallicRoughness"].contains("baseColorFactor")) {
            c = m["pbrMetallicRoughness"]["baseColorFactor"].get<std::array<float, 4>>();
          }
        }
        out.colours[id(i)].insert(rgbaKey(c[0], c[1], c[2], c[3]));
      }
      out.trianglesByElement[id(i)] = triangles;
    }
    if (i == singleRoot) continue;
    for (const auto& c : nodes[i].value("children", json::array())) {
      if (hasMesh(c.get<std::size_t>())) {
        out.groups.insert(id(i));
        break;
      }
    }
  }
  return out;
}

// The Geodes of a written .osgb: their colours, vertices and per-vertex normals.
struct GeodeData {
  std::set<std::string> colours;
  std::vector<osg::Vec3> vertices, normals;
};

std::map<std::string, GeodeData> readGeodes(const fs::path& osgb) {
  std::map<std::string, GeodeData> out;
  osg::ref_ptr<osg::Node> node = osgDB::readRefNodeFile(osgb.string());
  if (!node) return out;
  struct Visitor : osg::NodeVisitor {
    std::map<std::string, GeodeData>* out;
    explicit Visitor(std::map<std::string, GeodeData>* o) : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN), out(o) {}
    void apply(osg::Geode& g) override {
      GeodeData& d = (*out)[g.getName()];
      for (unsigned i = 0; i < g.getNumDrawables(); ++i) {
        const osg::Geometry* geom = g.getDrawable(i)->asGeometry();
        if (!geom) continue;
        const auto* c = dynamic_cast<const osg::Vec4Array*>(geom->getColorArray());
        if (c && !c->empty()) d.colours.insert(rgbaKey((*c)[0].r(), (*c)[0].g(), (*c)[0].b(), (*c)[0].a()));
        const auto* v = dynamic_cast<const osg::Vec3Array*>(geom->getVertexArray());
        const auto* n = dynamic_cast<const osg::Vec3Array*>(geom->getNormalArray());
        if (v) d.vertices.insert(d.vertices.end(), v->begin(), v->end());
        if (n) d.normals.insert(d.normals.end(), n->begin(), n->end());
      }
    }
  } visitor(&out);
  node->accept(visitor);
  return out;
}

// Every element of the model reached exactly once from the root of the spatial tree.
void expectTreeHoldsEveryElementOnce(const BimModel& m) {
  ASSERT_FALSE(m.spatialNodes.empty());
  EXPECT_EQ(m.spatialNodes[0].ifcType, "MODEL");
  std::vector<int> seen(m.elements.size(), 0);
  std::vector<std::size_t> stack{0};
  std::size_t visited = 0;
  while (!stack.empty() && visited <= m.spatialNodes.size()) {
    const BimSpatialNode& n = m.spatialNodes[stack.back()];
    stack.pop_back();
    ++visited;
    for (std::size_t e : n.elements) ++seen.at(e);
    for (std::size_t c : n.children) stack.push_back(c);
  }
  EXPECT_EQ(visited, m.spatialNodes.size());
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_EQ(seen[i], 1) << m.elements[i].guid;
  EXPECT_TRUE(m.storeys().empty()) << "mesh formats have no storeys; none may be invented";
}

// The text inside the first element that starts with `open` (e.g. `<vcount>`, or `<float_array id="x` to match
// an id prefix) and whose opening tag's text contains `marker` ("" for any). (No std::regex: its recursion
// overflows the stack on the long arrays of a real file.)
std::string elementText(const std::string& text, const std::string& open, const std::string& marker) {
  for (std::size_t at = text.find(open); at != std::string::npos; at = text.find(open, at + 1)) {
    const std::size_t close = text.find('>', at);
    if (close == std::string::npos) return {};
    if (text.substr(at, close - at).find(marker) == std::string::npos) continue;
    const std::size_t end = text.find('<', close);
    return end == std::string::npos ? std::string() : text.substr(close + 1, end - close - 1);
  }
  return {};
}

// Floats of the Collada <float_array> whose id ends with `suffix`.
std::vector<double> colladaArray(const std::string& text, const std::string& suffix) {
  std::istringstream in(elementText(text, "<float_array", suffix + "\""));
  std::vector<double> out;
  for (double v; in >> v;) out.push_back(v);
  return out;
}

// Per-axis minimum and maximum of x,y,z triples.
std::array<std::array<double, 2>, 3> extent(const std::vector<double>& xyz) {
  std::array<std::array<double, 2>, 3> e;
  for (auto& a : e) a = {std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity()};
  for (std::size_t i = 0; i + 2 < xyz.size(); i += 3) {
    for (std::size_t k = 0; k < 3; ++k) {
      e[k][0] = std::min(e[k][0], xyz[i + k]);
      e[k][1] = std::max(e[k][1], xyz[i + k]);
    }
  }
  return e;
}

// A 2 x 10 x 4 m box (glTF: 10 m along +y, up), corners (0,0,-4)..(2,10,0), outward counter-clockwise faces.
std::string boxBuffer() {
  const int corners[8][3] = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {0, 1, 0}, {0, 0, 1}, {1, 0, 1}, {1, 1, 1}, {0, 1, 1}};
  const std::uint16_t indices[36] = {0, 2, 1, 0, 3, 2, 4, 5, 6, 4, 6, 7, 0, 1, 5, 0, 5, 4,
                                     3, 7, 6, 3, 6, 2, 0, 4, 7, 0, 7, 3, 1, 2, 6, 1, 6, 5};
  std::string bytes;
  for (const auto& c : corners) {
    const float p[3] = {2.0f * static_cast<float>(c[0]), 10.0f * static_cast<float>(c[1]),
                        4.0f * static_cast<float>(c[2]) - 4.0f};
    bytes.append(reinterpret_cast<const char*>(p), sizeof p);
  }
  bytes.append(reinterpret_cast<const char*>(indices), sizeof indices);
  return bytes;
}

// A small city block in glTF with an external buffer: Site (moved to (100, 0, -50)) > Block > Tower, Annex (10 m
// east, translucent glass), Mirror (20 m east, mirrored in x); an empty Marker as a second scene root.
json cityGltf(const std::string& bufferUri, std::size_t bufferBytes) {
  return json{
      {"asset", {{"version", "2.0"}}},
      {"scene", 0},
      {"scenes", {{{"nodes", {0, 5}}}}},
      {"nodes",
       {{{"name", "Site"}, {"translation", {100, 0, -50}}, {"children", {1}}},
        {{"name", "Block"}, {"children", {2, 3, 4}}},
        {{"name", "Tower"}, {"mesh", 0}, {"extras", {{"Tag", "T-17"}, {"Storeys", 4}}}},
        {{"name", "Annex"}, {"mesh", 1}, {"translation", {10, 0, 0}}},
        {{"name", "Mirror"}, {"mesh", 0}, {"translation", {20, 0, 0}}, {"scale", {-1, 1, 1}}},
        {{"name", "Marker"}}}},
      {"meshes",
       {{{"primitives", {{{"attributes", {{"POSITION", 0}}}, {"indices", 1}, {"material", 0}}}}},
        {{"primitives", {{{"attributes", {{"POSITION", 0}}}, {"indices", 1}, {"material", 1}}}}}}},
      {"materials",
       {{{"name", "Concrete"}, {"pbrMetallicRoughness", {{"baseColorFactor", {0.2, 0.4, 0.6, 1.0}}}}},
        {{"name", "Glass"}, {"alphaMode", "BLEND"}, {"pbrMetallicRoughness", {{"baseColorFactor", {0.9, 0.1, 0.1, 0.5}}}}}}},
      {"buffers", {{{"byteLength", bufferBytes}, {"uri", bufferUri}}}},
      {"bufferViews",
       {{{"buffer", 0}, {"byteOffset", 0}, {"byteLength", 96}}, {{"buffer", 0}, {"byteOffset", 96}, {"byteLength", 72}}}},
      {"accessors",
       {{{"bufferView", 0}, {"componentType", 5126}, {"count", 8}, {"type", "VEC3"}, {"min", {0, 0, -4}}, {"max", {2, 10, 0}}},
        {{"bufferView", 1}, {"componentType", 5123}, {"count", 36}, {"type", "SCALAR"}}}}};
}

fs::path writeCity(const fs::path& dir) {
  const std::string buffer = boxBuffer();
  writeText(dir / "city.bin", buffer);
  writeText(dir / "city.gltf", cityGltf("city.bin", buffer.size()).dump(1));
  return dir / "city.gltf";
}

}  // namespace

TEST(BimImportGltf, TheBoxImportsAlikeWithExternalBufferBinaryAndDataUri) {
  const fs::path dir = kModels / "glTF2";
  const std::vector<std::pair<fs::path, std::string>> files = {
      {dir / "BoxTextured-glTF/BoxTextured.gltf", "gltf"},           // buffer in BoxTextured0.bin
      {dir / "BoxTextured-glTF-Binary/BoxTextured.glb", "glb"},      // one binary file
      {dir / "BoxTextured-glTF-Embedded/BoxTextured.gltf", "gltf"},  // buffer as a base64 data URI
  };
  int run = 0;
  for (const auto& [file, kind] : files) {
    SCOPED_TRACE(file.string());
    const GltfExpectation expected = expectationOf(readGltf(file));
    ASSERT_EQ(expected.trianglesByElement.size(), 1u);
    auto r = importModelInProcess(file, baseOptions(workDir("box_" + std::to_string(run++))));
    ASSERT_TRUE(r) << r.status().toString();
    const BimModel& m = r->model;
    EXPECT_EQ(m.sourceKind, kind);
    EXPECT_EQ(m.ifcSchema, "");
    ASSERT_EQ(m.elements.size(), 1u);
    const BimElement& e = m.elements[0];
    EXPECT_EQ(e.guid, expected.trianglesByElement.begin()->first);  // "nodes[1]"
    EXPECT_EQ(e.name, e.guid);
    EXPECT_EQ(e.ifcType, "MESH");
    EXPECT_EQ(e.triangleCount, expected.trianglesByElement.begin()->second);  // 36 indices
    EXPECT_EQ(e.material, "Texture");
    expectTreeHoldsEveryElementOnce(m);
    EXPECT_EQ(m.spatialNodes.size(), 1u);  // nodes[0] is the single root: the model itself
    // The cube of side 1 about the origin (min/max of the POSITION accessor; the root's z-up-to-y-up matrix and
    // the importer's y-up-to-z-up turn cancel out).
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR((&m.boundsMin.x)[k], -0.5, 1e-6);
      EXPECT_NEAR((&m.boundsMax.x)[k], 0.5, 1e-6);
    }
    EXPECT_EQ(m.placement.method, PlacementMethod::None);
    const auto geodes = readGeodes(r->sceneFile);
    ASSERT_EQ(geodes.count(e.guid), 1u);
    EXPECT_EQ(geodes.at(e.guid).vertices.size(), 3u * e.triangleCount);
    EXPECT_EQ(geodes.at(e.guid).colours, expected.colours.at(e.guid));  // baseColorFactor: white (textured)
  }
}

TEST(BimImportGltf, EngineHierarchyTrianglesAndColoursMatchTheJson) {
  const fs::path file = kModels / "glTF2/2CylinderEngine-glTF-Binary/2CylinderEngine.glb";
  const GltfExpectation expected = expectationOf(readGltf(file));
  ASSERT_GT(expected.trianglesByElement.size(), 50u);
  auto r = importModelInProcess(file, baseOptions(workDir("engine")));
  ASSERT_TRUE(r) << r.status().toString();
  const BimModel& m = r->model;
  EXPECT_EQ(m.sourceKind, "glb");
  ASSERT_EQ(m.elements.size(), expected.trianglesByElement.size());
  for (const BimElement& e : m.elements) {
    ASSERT_EQ(expected.trianglesByElement.count(e.guid), 1u) << e.guid;
    EXPECT_EQ(e.triangleCount, expected.trianglesByElement.at(e.guid)) << e.guid;
  }
  std::set<std::string> groups;
  for (std::size_t i = 1; i < m.spatialNodes.size(); ++i) {
    EXPECT_EQ(m.spatialNodes[i].ifcType, "NODE");
    groups.insert(m.spatialNodes[i].guid);
  }
  EXPECT_EQ(groups, expected.groups);
  expectTreeHoldsEveryElementOnce(m);
  // Each element's Geode has one geometry per colour: the baseColorFactors of its primitives' materials.
  const auto geodes = readGeodes(r->sceneFile);
  EXPECT_EQ(geodes.size(), m.elements.size());
  for (const BimElement& e : m.elements) {
    ASSERT_EQ(geodes.count(e.guid), 1u) << e.guid;
    EXPECT_EQ(geodes.at(e.guid).colours, expected.colours.at(e.guid)) << e.guid;
  }
}

TEST(BimImportGltf, YUpBecomesZUpThroughTheNodeTransformsWithNamesColoursAndExtras) {
  const fs::path dir = workDir("city");
  const fs::path file = writeCity(dir);
  auto r = importModelInProcess(file, baseOptions(dir / "out"));
  ASSERT_TRUE(r) << r.status().toString();
  const BimModel& m = r->model;
  EXPECT_EQ(m.sourceKind, "gltf");
  // glTF (x, y, z) -> twin (x, -z, y). Tower: x 100..102, glTF y 0..10 (up), glTF z -54..-50; Annex 10 m and
  // Mirror (x mirrored) 18..20 m further east.
  EXPECT_NEAR(m.boundsMin.x, 100.0, 1e-6);
  EXPECT_NEAR(m.boundsMax.x, 120.0, 1e-6);
  EXPECT_NEAR(m.boundsMin.y, 50.0, 1e-6);
  EXPECT_NEAR(m.boundsMax.y, 54.0, 1e-6);
  EXPECT_NEAR(m.boundsMin.z, 0.0, 1e-6);
  EXPECT_NEAR(m.boundsMax.z, 10.0, 1e-6);  // the 10 m edge along glTF +y stands up
  // The hierarchy as written: two groups, three elements named after their nodes; the empty Marker is dropped.
  ASSERT_EQ(m.spatialNodes.size(), 3u);
  EXPECT_EQ(m.spatialNodes[0].name, "city.gltf");
  EXPECT_EQ(m.spatialNodes[0].children, std::vector<std::size_t>{1});
  EXPECT_EQ(m.spatialNodes[1].name, "Site");
  EXPECT_EQ(m.spatialNodes[1].children, std::vector<std::size_t>{2});
  EXPECT_EQ(m.spatialNodes[2].name, "Block");
  ASSERT_EQ(m.spatialNodes[2].elements.size(), 3u);
  std::vector<std::string> names;
  for (std::size_t e : m.spatialNodes[2].elements) names.push_back(m.elements.at(e).name);
  EXPECT_EQ(names, (std::vector<std::string>{"Tower", "Annex", "Mirror"}));
  expectTreeHoldsEveryElementOnce(m);
  const BimElement* tower = m.findElement("Tower");
  ASSERT_NE(tower, nullptr);
  EXPECT_EQ(tower->triangleCount, 12u);
  EXPECT_EQ(tower->material, "Concrete");
  const BimProperty* tag = tower->find("Metadata", "Tag");  // glTF "extras"
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->text, "T-17");
  const BimProperty* storeys = tower->find("Metadata", "Storeys");
  ASSERT_NE(storeys, nullptr);
  ASSERT_TRUE(storeys->number);
  EXPECT_EQ(*storeys->number, 4.0);
  // No volume comes from a mesh format: a matched material is reported without a number, never guessed.
  EXPECT_EQ(tower->carbon.status, CarbonStatus::NoQuantity);

  const auto geodes = readGeodes(r->sceneFile);
  ASSERT_EQ(geodes.size(), 3u);
  EXPECT_EQ(geodes.at("Tower").colours, std::set<std::string>{rgbaKey(0.2f, 0.4f, 0.6f, 1.0f)});
  EXPECT_EQ(geodes.at("Annex").colours, std::set<std::string>{rgbaKey(0.9f, 0.1f, 0.1f, 0.5f)});
  // Flat normals face out of each box, the mirrored one included (its winding is turned back).
  for (const auto& [name, g] : geodes) {
    ASSERT_EQ(g.vertices.size(), 36u) << name;
    ASSERT_EQ(g.normals.size(), 36u) << name;
    osg::Vec3 centre;
    for (const osg::Vec3& v : g.vertices) centre += v;
    centre /= static_cast<float>(g.vertices.size());
    for (std::size_t t = 0; t < 12; ++t) {
      const osg::Vec3 triangleCentre = (g.vertices[3 * t] + g.vertices[3 * t + 1] + g.vertices[3 * t + 2]) / 3.0f;
      EXPECT_GT(g.normals[3 * t] * (triangleCentre - centre), 0.0f) << name << " triangle " << t;
    }
  }
}

TEST(BimImportGltf, TheConfigAnchorPlacesAMeshModel) {
  const fs::path dir = workDir("anchor");
  const fs::path file = writeCity(dir);
  auto frame = gt::GeoFrame::create(kOriginLon, kOriginLat);
  ASSERT_TRUE(frame);
  BimImportOptions o = baseOptions(dir / "out");
  BimAnchor anchor;
  anchor.lon = 116.70;
  anchor.lat = 39.87;
  anchor.sceneZ = 21.0;
  anchor.rotationDeg = 30.0;
  o.anchor = anchor;
  auto r = importModelInProcess(file, o);
  ASSERT_TRUE(r) << r.status().toString();
  const BimPlacement& p = r->model.placement;
  EXPECT_EQ(p.method, PlacementMethod::Anchor);  // the file has no georeference: the anchor is used
  const auto at = frame->lonLatToLocal(116.70, 39.87, 21.0);
  ASSERT_TRUE(at);
  EXPECT_NEAR(p.origin.x, at->x, 1e-6);
  EXPECT_NEAR(p.origin.y, at->y, 1e-6);
  EXPECT_NEAR(p.origin.z, 21.0, 1e-9);
  // The tower's top (z up in the model frame) stays 10 m above the anchor; model +x turns 30 degrees.
  const gt::Vec3d top = p.toScene({100.0, 50.0, 10.0});
  EXPECT_NEAR(top.z, 31.0, 1e-9);
  const gt::Vec3d east = p.toScene({1.0, 0.0, 0.0});
  EXPECT_NEAR(std::atan2(east.y - p.origin.y, east.x - p.origin.x) * 180.0 / std::numbers::pi, 30.0, 1e-9);
  EXPECT_TRUE(std::none_of(r->model.warnings.begin(), r->model.warnings.end(),
                           [](const std::string& w) { return w.find("georeference") != std::string::npos; }));

  // Override: the same result (there is nothing in a glTF file to override), named as such.
  anchor.override = true;
  o.anchor = anchor;
  o.outputDir = dir / "out_override";
  auto overridden = importModelInProcess(file, o);
  ASSERT_TRUE(overridden) << overridden.status().toString();
  EXPECT_EQ(overridden->model.placement.method, PlacementMethod::AnchorOverride);
  EXPECT_NEAR(overridden->model.placement.origin.x, at->x, 1e-6);
}

TEST(BimImportGltf, BinaryGltfUnderAnotherNameIsReadByItsMagic) {
  const fs::path dir = workDir("renamed");
  fs::copy_file(kModels / "glTF2/BoxTextured-glTF-Binary/BoxTextured.glb", dir / "box.gltf");
  auto r = importModelInProcess(dir / "box.gltf", baseOptions(dir / "out"));
  ASSERT_TRUE(r) << r.status().toString();
  EXPECT_EQ(r->model.sourceKind, "glb");
  ASSERT_EQ(r->model.elements.size(), 1u);
  EXPECT_EQ(r->model.elements[0].triangleCount, 12u);
}

TEST(BimImportGltf, FilesOutsideTheModelsFolderAreRefused) {
  // A glTF whose buffer URI climbs out of its folder: the import fails and says why, naming the path.
  const fs::path dir = workDir("confined");
  fs::create_directories(dir / "model");
  const std::string buffer = boxBuffer();
  writeText(dir / "secret.bin", buffer);
  writeText(dir / "model/escape.gltf", cityGltf("../secret.bin", buffer.size()).dump());
  auto r = importModelInProcess(dir / "model/escape.gltf", baseOptions(dir / "out"));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::ParseError) << r.status().toString();
  EXPECT_NE(r.status().message().find("escape.gltf"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("refused to open"), std::string::npos) << r.status().message();
  EXPECT_NE(r.status().message().find("secret.bin"), std::string::npos) << r.status().message();
  // Absolute URIs (a file, a device): assimp joins them to the model's folder, where they do not exist; the
  // import fails naming the file it could not open.
  writeText(dir / "model/absolute.gltf", cityGltf((dir / "secret.bin").string(), buffer.size()).dump());
  auto absolute = importModelInProcess(dir / "model/absolute.gltf", baseOptions(dir / "out"));
  ASSERT_FALSE(absolute);
  EXPECT_EQ(absolute.status().code(), gt::ErrorCode::ParseError);
  EXPECT_NE(absolute.status().message().find("secret.bin"), std::string::npos) << absolute.status().message();
  writeText(dir / "model/device.gltf", cityGltf("/dev/zero", buffer.size()).dump());
  auto device = importModelInProcess(dir / "model/device.gltf", baseOptions(dir / "out"));
  ASSERT_FALSE(device);
  EXPECT_EQ(device.status().code(), gt::ErrorCode::ParseError);
  EXPECT_NE(device.status().message().find("/dev/zero"), std::string::npos) << device.status().message();

  // An OBJ whose material library lies outside: imported without it, and warned.
  writeText(dir / "secret.mtl", "newmtl red\nKd 1 0 0\n");
  writeText(dir / "model/tri.obj", "mtllib ../secret.mtl\no Tri\nv 0 0 0\nv 1 0 0\nv 0 1 0\nusemtl red\nf 1 2 3\n");
  auto obj = importModelInProcess(dir / "model/tri.obj", baseOptions(dir / "out"));
  ASSERT_TRUE(obj) << obj.status().toString();
  EXPECT_TRUE(std::any_of(obj->model.warnings.begin(), obj->model.warnings.end(), [](const std::string& w) {
    return w.find("refused to open") != std::string::npos && w.find("secret.mtl") != std::string::npos;
  }));
}

TEST(BimImportCollada, ZUpInchesAndYUpCentimetresBothEndUpZUpInMetres) {
  // cube_with_2UVs.DAE: <up_axis>Z_UP</up_axis>, <unit meter="0.0254"/>; its positions span x, y -1..1 and
  // z 0..2 (inches): z stays up, scaled to metres.
  {
    const fs::path file = kModels / "Collada/cube_with_2UVs.DAE";
    const std::string text = readText(file);
    ASSERT_NE(text.find("<up_axis>Z_UP</up_axis>"), std::string::npos);
    const auto raw = extent(colladaArray(text, "positions-array"));
    auto r = importModelInProcess(file, baseOptions(workDir("dae_zup")));
    ASSERT_TRUE(r) << r.status().toString();
    const BimModel& m = r->model;
    EXPECT_EQ(m.sourceKind, "collada");
    for (int k = 0; k < 3; ++k) {
      EXPECT_NEAR((&m.boundsMin.x)[k], raw[static_cast<std::size_t>(k)][0] * 0.0254, 1e-6) << k;
      EXPECT_NEAR((&m.boundsMax.x)[k], raw[static_cast<std::size_t>(k)][1] * 0.0254, 1e-6) << k;
    }
    ASSERT_EQ(m.elements.size(), 1u);  // one <instance_geometry>
    EXPECT_EQ(m.elements[0].name, "Quader01");  // <node id="node-Quader01" name="Quader01">
    EXPECT_EQ(m.elements[0].triangleCount, 12u);  // <triangles ... count="12">
    // Its effect: <diffuse><color>0.541176 0.0313725 0.431373 1</color>.
    const auto geodes = readGeodes(r->sceneFile);
    ASSERT_EQ(geodes.count("Quader01"), 1u);
    EXPECT_EQ(geodes.at("Quader01").colours, std::set<std::string>{rgbaKey(0.541176f, 0.0313725f, 0.431373f, 1.0f)});
  }
  // duck.dae: <up_axis>Y_UP</up_axis>, <unit meter="0.01"/>: file (x, y, z) cm -> twin (x, -z, y) / 100.
  {
    const fs::path file = kModels / "Collada/duck.dae";
    const std::string text = readText(file);
    ASSERT_NE(text.find("<up_axis>Y_UP</up_axis>"), std::string::npos);
    const auto raw = extent(colladaArray(text, "positions-array"));
    auto r = importModelInProcess(file, baseOptions(workDir("dae_yup")));
    ASSERT_TRUE(r) << r.status().toString();
    const BimModel& m = r->model;
    EXPECT_NEAR(m.boundsMin.x, raw[0][0] * 0.01, 1e-5);
    EXPECT_NEAR(m.boundsMax.x, raw[0][1] * 0.01, 1e-5);
    EXPECT_NEAR(m.boundsMin.y, -raw[2][1] * 0.01, 1e-5);
    EXPECT_NEAR(m.boundsMax.y, -raw[2][0] * 0.01, 1e-5);
    EXPECT_NEAR(m.boundsMin.z, raw[1][0] * 0.01, 1e-5);
    EXPECT_NEAR(m.boundsMax.z, raw[1][1] * 0.01, 1e-5);
    // One mesh node (the camera and the light have none); triangles from the polylist's vertex counts.
    ASSERT_EQ(m.elements.size(), 1u);
    EXPECT_EQ(m.elements[0].name, "LOD3sp");
    const std::string vcount = elementText(text, "<vcount>", "");
    ASSERT_FALSE(vcount.empty());
    std::istringstream in(vcount);
    unsigned triangles = 0;
    for (unsigned n; in >> n;) triangles += n - 2;
    EXPECT_EQ(m.elements[0].triangleCount, triangles);
    expectTreeHoldsEveryElementOnce(m);
  }
}

TEST(BimImportObj, GroupsBecomeElementsWithTheirMaterialColoursAndYUpTurnsZUp) {
  // assimp's cube_usemtl.obj: one group "cube" whose faces switch materials; triangles from its "f" lines.
  {
    const fs::path file = kModels / "OBJ/cube_usemtl.obj";
    std::istringstream in(readText(file));
    unsigned triangles = 0;
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("f ", 0) != 0) continue;
      std::istringstream f(line.substr(2));
      unsigned corners = 0;
      for (std::string v; f >> v;) ++corners;
      triangles += corners - 2;
    }
    auto r = importModelInProcess(file, baseOptions(workDir("obj_cube")));
    ASSERT_TRUE(r) << r.status().toString();
    EXPECT_EQ(r->model.sourceKind, "obj");
    ASSERT_EQ(r->model.elements.size(), 1u);
    EXPECT_EQ(r->model.elements[0].name, "cube");
    EXPECT_EQ(r->model.elements[0].triangleCount, triangles);
  }
  // Two objects with their own materials, 3 m tall along OBJ's +y (the usual convention of OBJ exporters).
  const fs::path dir = workDir("obj_house");
  writeText(dir / "house.mtl", "newmtl brick\nKd 0.7 0.3 0.2\nnewmtl tile\nKd 0.3 0.3 0.35\nd 0.8\n");
  writeText(dir / "house.obj",
            "mtllib house.mtl\n"
            "o Wall\nv 0 0 0\nv 6 0 0\nv 6 3 0\nv 0 3 0\nusemtl brick\nf 1 2 3 4\n"
            "o Roof\nv 0 3 0\nv 6 3 0\nv 6 4 -2\nv 0 4 -2\nusemtl tile\nf 5 6 7 8\n");
  auto r = importModelInProcess(dir / "house.obj", baseOptions(dir / "out"));
  ASSERT_TRUE(r) << r.status().toString();
  const BimModel& m = r->model;
  ASSERT_EQ(m.elements.size(), 2u);
  EXPECT_EQ(m.elements[0].name, "Wall");
  EXPECT_EQ(m.elements[0].material, "brick");
  EXPECT_EQ(m.elements[1].name, "Roof");
  EXPECT_EQ(m.elements[0].triangleCount, 2u);
  // OBJ (x, y, z) -> (x, -z, y): height 0..4 m, depth 0..2 m to the north.
  EXPECT_NEAR(m.boundsMin.z, 0.0, 1e-9);
  EXPECT_NEAR(m.boundsMax.z, 4.0, 1e-6);
  EXPECT_NEAR(m.boundsMin.y, 0.0, 1e-9);
  EXPECT_NEAR(m.boundsMax.y, 2.0, 1e-6);
  const auto geodes = readGeodes(r->sceneFile);
  EXPECT_EQ(geodes.at("Wall").colours, std::set<std::string>{rgbaKey(0.7f, 0.3f, 0.2f, 1.0f)});
  EXPECT_EQ(geodes.at("Roof").colours, std::set<std::string>{rgbaKey(0.3f, 0.3f, 0.35f, 0.8f)});
}
