#pragma once
// The twin's imported-BIM format (docs/bim.md): what the importer process (tools/bim-import,
// greentwin-bim-import) writes and the viewer reads. One import produces two files side by side:
//
//   <name>.osgb       the geometry (OSG native binary), in the MODEL FRAME (see BimPlacement), z up, metres:
//                       Group "bim:<model name>"
//                         MatrixTransform "storey:<storey GUID>"  (identity; the viewer may offset it to explode)
//                           Geode "<element GUID>"                 (one per element with geometry)
//                             Geometry (one per colour; vertices, normals, one overall colour)
//                         MatrixTransform "storey:none"           (elements contained in no storey)
//   <name>.bim.json   this header's BimModel as JSON (schema "greentwin-bim", version kBimFormatVersion)
//
// A pick resolves through the node path: the nearest Geode whose name is an element GUID -> BimModel::elements
// (use BimModel::findElement). No IFC++, OSG or JSON types appear here.
//
// Threads: plain values; readBimModel/writeBimModel touch only their files and may run on any thread.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/vec.hpp"

namespace gt::bim {

inline constexpr int kBimFormatVersion = 1;
// Bumped whenever the importer's output for the same input file changes (a reader replaced, an axis or id rule),
// so caches keyed by file hash import again. 2: OBJ/Collada/glTF through assimp, y-up turned to z-up.
inline constexpr int kBimImporterRevision = 2;

// One property or quantity. `text` always holds the value as written (booleans as "true"/"false", enums without
// dots); `number` is set for numeric values (quantities: in SI units, m, m2, m3, kg, s).
struct BimProperty {
  std::string name;
  std::string text;
  std::optional<double> number;
  std::string unit;  // quantities only: "m", "m2", "m3", "kg", "count", "s"; empty for properties
};

// IfcPropertySet (properties) or IfcElementQuantity (quantities) attached to an element (directly or via its type).
struct BimPropertySet {
  std::string name;  // e.g. "Pset_WallCommon", "BaseQuantities"
  bool isQuantitySet = false;
  std::vector<BimProperty> values;
};

// Embodied carbon of one element (docs/bim.md "Embodied carbon").
enum class CarbonStatus {
  Ok,               // kgCO2e computed
  UnknownMaterial,  // no factor matched the material nor the element type: reported, not invented
  NoQuantity,       // a factor matched but the element has no usable volume/area/mass
  CountedInParts,   // an assembly (IfcRelAggregates, e.g. a window of members and plates): its parts carry it
};
const char* toString(CarbonStatus status);

struct BimCarbon {
  CarbonStatus status = CarbonStatus::UnknownMaterial;
  double kgCo2e = 0.0;       // 0 unless Ok
  std::string factorId;      // key of the factor in emission_factors.toml ("" when none matched)
  std::string matchedBy;     // "material" | "type" | ""
  std::string basis;         // "volume" | "mass" | "area" | "": which quantity was multiplied
  double quantity = 0.0;     // that quantity (m3, kg or m2)
};

struct BimElement {
  std::string guid;        // IFC GlobalId (22 chars); also the Geode name in the .osgb
  std::string ifcType;     // upper-case IFC entity name, e.g. "IFCWALLSTANDARDCASE"
  std::string name;        // IfcRoot.Name (decoded to UTF-8), may be empty
  std::string storeyGuid;  // containing IfcBuildingStorey ("" if none)
  std::string spaceGuid;   // containing IfcSpace when the element is contained in a space ("" otherwise)
  std::string buildingGuid;
  std::string material;    // first material name (layer set: the thickest layer); "" if none
  std::vector<std::string> materials;  // every material name associated (layers in order)
  std::vector<BimPropertySet> propertySets;  // properties and quantities (isQuantitySet)
  std::uint32_t triangleCount = 0;  // triangles under the element's Geode (0: no geometry node)
  std::optional<double> volumeM3;   // from IfcQuantityVolume (NetVolume preferred) or the closed mesh
  std::string volumeSource;         // "quantity" | "mesh" | ""
  std::optional<double> areaM2;     // from IfcQuantityArea (NetSideArea/NetArea/... preferred)
  BimCarbon carbon;

  // A property or quantity by set and name; nullptr if absent.
  const BimProperty* find(const std::string& setName, const std::string& propertyName) const;
};

// A node of the spatial structure: project -> site -> building -> storey -> space (IfcRelAggregates), with the
// elements contained in it (IfcRelContainedInSpatialStructure).
struct BimSpatialNode {
  std::string guid;
  std::string ifcType;  // "IFCPROJECT", "IFCSITE", "IFCBUILDING", "IFCBUILDINGSTOREY", "IFCSPACE"
  std::string name;
  std::optional<double> elevationM;       // storeys: IfcBuildingStorey.Elevation (m)
  std::vector<std::size_t> children;      // indices into BimModel::spatialNodes
  std::vector<std::size_t> elements;      // indices into BimModel::elements
};

// What the file says about where it is (before any decision).
struct BimGeoreference {
  std::optional<double> siteLatitude;   // IfcSite.RefLatitude, decimal degrees
  std::optional<double> siteLongitude;  // IfcSite.RefLongitude
  std::optional<double> siteElevation;  // IfcSite.RefElevation (m)
  bool hasMapConversion = false;        // IFC4 IfcMapConversion
  std::string mapCrsName;               // IfcProjectedCRS.Name, e.g. "EPSG:4548"
  double eastings = 0.0, northings = 0.0, orthogonalHeight = 0.0;
  double xAxisAbscissa = 1.0, xAxisOrdinate = 0.0;  // direction of model +x in the map CRS
  double mapScale = 1.0;
  double trueNorthDeg = 0.0;       // angle of true north from model +y, counter-clockwise (IfcGeometricRepresentationContext.TrueNorth)
  double maxAbsCoordinateM = 0.0;  // largest |x|,|y| of any IfcCartesianPoint used by a placement (metres)
};

// How the model frame maps to the scene's local coordinates (core GeoFrame: scene CRS + local origin):
//   scene = origin + scale * Rz(rotationDeg) * modelFramePoint       (Rz counter-clockwise about +z / up)
// The model frame is the IFC world coordinate system in metres minus `modelOffset` (the importer recentres
// large coordinates so the .osgb keeps float precision): ifcWorld = modelFrame + modelOffset.
enum class PlacementMethod {
  AnchorOverride,  // config anchor with override = true (wins over anything in the file)
  MapConversion,   // IFC4 IfcMapConversion into the scene CRS
  SiteReference,   // IfcSite RefLatitude/RefLongitude/RefElevation (+ TrueNorth)
  Anchor,          // config anchor, because the file has no usable georeference
  None,            // nothing usable: the IFC world origin at the scene's local origin (warned)
};
const char* toString(PlacementMethod method);

struct BimPlacement {
  PlacementMethod method = PlacementMethod::None;
  Vec3d origin;              // scene local coordinates of the model frame origin (m)
  double rotationDeg = 0.0;  // counter-clockwise, model +x towards scene east = 0
  double scale = 1.0;
  Vec3d modelOffset;         // see above
  std::string sceneCrs;      // the GeoFrame's CRS used, e.g. "EPSG:4548"
  double sceneOriginLon = 0.0, sceneOriginLat = 0.0;  // the GeoFrame's origin used

  Vec3d toScene(const Vec3d& modelFramePoint) const;
  // Row-major 4x4 (column vectors: scene = M * [p,1]).
  std::array<double, 16> matrixRowMajor() const;
};

struct BimBuildingCarbon {
  std::string buildingGuid;
  std::string name;
  double kgCo2e = 0.0;
  std::size_t elementsOk = 0, elementsUnknownMaterial = 0, elementsNoQuantity = 0;
};

struct BimModel {
  int formatVersion = kBimFormatVersion;
  std::string sourcePath;   // the imported file
  std::string sourceKind;   // "ifc" | "gltf" | "glb" | "obj" | "collada" | "3ds" | "ply" | "lwo" | "stl"
  std::string ifcSchema;    // "IFC2X3" | "IFC4" | "" (non-IFC)
  std::string sceneFile;    // file name of the .osgb, relative to the .bim.json's folder
  std::string name;         // IfcProject name, else the file's stem
  Vec3d boundsMin, boundsMax;  // of the geometry, in the model frame
  BimGeoreference georeference;
  BimPlacement placement;
  std::vector<BimSpatialNode> spatialNodes;  // [0] is the root (IfcProject) when non-empty
  std::vector<BimElement> elements;
  std::vector<BimBuildingCarbon> carbonByBuilding;
  double carbonTotalKgCo2e = 0.0;
  std::vector<std::string> unknownMaterials;  // material names (or "<TYPE> (no material)") with no factor
  std::string emissionFactorsFile;            // the table used
  std::vector<std::string> warnings;          // e.g. double georeferencing, site outside the scene CRS

  const BimElement* findElement(const std::string& guid) const;
  // Storey nodes in file order (indices into spatialNodes).
  std::vector<std::size_t> storeys() const;
};

// The largest sidecar the twin reads (docs/bim.md "Sandbox"): a JSON document costs several times its size once
// parsed, and the sidecar comes from the importer process, which is not trusted.
inline constexpr std::uint64_t kMaxBimSidecarBytes = 256ull << 20;

// JSON sidecar I/O. read: ParseError naming the file and the problem (not JSON, wrong "format", newer version);
// Unsupported for anything but a regular file (a FIFO is refused, never waited on); OutOfRange for a file larger
// than maxBytes (refused before it is read).
Status writeBimModel(const BimModel& model, const std::filesystem::path& jsonPath);
Result<BimModel> readBimModel(const std::filesystem::path& jsonPath, std::uint64_t maxBytes = kMaxBimSidecarBytes);
// The same without the file: the sidecar's text, and reading one from text (`sourceName` names it in errors).
std::string bimModelText(const BimModel& model);
Result<BimModel> parseBimModel(const std::string& text, const std::string& sourceName);

}  // namespace gt::bim
