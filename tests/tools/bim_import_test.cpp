// greentwin-bim-import through importModelInProcess, as the twin runs it: real IFC files, real child processes,
// real limits. Expected counts come from the IFC text itself (counted here with a regular expression), expected
// coordinates from core's geo frame.
#include <gtest/gtest.h>

#include <gdal.h>
#include <ogr_api.h>
#include <ogr_srs_api.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <numbers>
#include <random>
#include <regex>
#include <set>
#include <sstream>

#include <osg/Geode>
#include <osg/Geometry>
#include <osg/MatrixTransform>
#include <osg/NodeVisitor>
#include <osgDB/ReadFile>

#include "greentwin/connectors/bim_import.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "bim_import_test_support.hpp"

namespace fs = std::filesystem;
using namespace gt::bim;

namespace {

using importer_tests::baseOptions;
using importer_tests::kFzkHaus;
using importer_tests::kOpenHouse;
using importer_tests::kOriginLat;
using importer_tests::kOriginLon;
using importer_tests::readText;
using importer_tests::writeText;

const importer_tests::WorkDirs workDir("bim_import_test");

// Instances of each entity type in the IFC text ("#12= IFCWALL(" -> IFCWALL).
std::map<std::string, int> countTypes(const std::string& text) {
  std::map<std::string, int> counts;
  static const std::regex kInstance(R"(#\d+\s*=\s*(IFC[A-Z0-9]+)\s*\()");
  for (auto it = std::sregex_iterator(text.begin(), text.end(), kInstance); it != std::sregex_iterator(); ++it) {
    ++counts[(*it)[1].str()];
  }
  return counts;
}

std::map<std::string, int> countElements(const BimModel& model) {
  std::map<std::string, int> counts;
  for (const BimElement& e : model.elements) ++counts[e.ifcType];
  return counts;
}

// Element GUID -> triangles, and storey group names, of a written .osgb.
struct SceneSummary {
  std::map<std::string, unsigned> trianglesByGeode;
  std::vector<std::string> storeyGroups;
  std::string rootName;
};

SceneSummary summarise(const fs::path& osgb) {
  SceneSummary s;
  osg::ref_ptr<osg::Node> node = osgDB::readRefNodeFile(osgb.string());
  if (!node) return s;
  s.rootName = node->getName();
  struct Visitor : osg::NodeVisitor {
    SceneSummary* out;
    explicit Visitor(SceneSummary* o) : osg::NodeVisitor(TRAVERSE_ALL_CHILDREN), out(o) {}
    void apply(osg::MatrixTransform& t) override {
      if (t.getName().rfind("storey:", 0) == 0) out->storeyGroups.push_back(t.getName());
      traverse(t);
    }
    void apply(osg::Geode& g) override {
      unsigned tris = 0;
      for (unsigned i = 0; i < g.getNumDrawables(); ++i) {
        const osg::Geometry* geom = g.getDrawable(i)->asGeometry();
        if (geom && geom->getVertexArray()) tris += geom->getVertexArray()->getNumElements() / 3;
      }
      out->trianglesByGeode[g.getName()] += tris;
    }
  } visitor(&s);
  node->accept(visitor);
  return s;
}

void expectCountsMatchText(const BimModel& model, const std::string& text, const std::vector<std::string>& types) {
  const auto inText = countTypes(text);
  const auto imported = countElements(model);
  for (const std::string& type : types) {
    const int expected = inText.count(type) ? inText.at(type) : 0;
    const int got = imported.count(type) ? imported.at(type) : 0;
    EXPECT_GT(expected, 0) << type << " is not in the test file; pick another type";
    EXPECT_EQ(got, expected) << type;
  }
}

}  // namespace

TEST(BimImport, FzkHausImportsStoreysElementsAndScene) {
  const fs::path out = workDir("fzk");
  auto result = importModelInProcess(kFzkHaus, baseOptions(out));
  ASSERT_TRUE(result) << result.status().toString();
  const BimModel& m = result->model;
  const std::string text = readText(kFzkHaus);
  EXPECT_EQ(m.ifcSchema, "IFC2X3");

  // Storeys and spaces: the counts and names written in the file.
  const auto inText = countTypes(text);
  const auto storeys = m.storeys();
  ASSERT_EQ(static_cast<int>(storeys.size()), inText.at("IFCBUILDINGSTOREY"));
  EXPECT_EQ(m.spatialNodes[storeys[0]].name, "0. Erdgeschoss");
  EXPECT_EQ(m.spatialNodes[storeys[1]].name, "1. Dachgeschoss");
  ASSERT_TRUE(m.spatialNodes[storeys[1]].elevationM);
  EXPECT_NEAR(*m.spatialNodes[storeys[1]].elevationM, 2.7, 1e-9);
  int spaces = 0;
  for (const BimSpatialNode& n : m.spatialNodes) spaces += n.ifcType == "IFCSPACE";
  EXPECT_EQ(spaces, inText.at("IFCSPACE"));
  // The tree: project -> site -> building -> storeys.
  ASSERT_FALSE(m.spatialNodes.empty());
  EXPECT_EQ(m.spatialNodes[0].ifcType, "IFCPROJECT");
  ASSERT_EQ(m.spatialNodes[0].children.size(), 1u);
  const BimSpatialNode& site = m.spatialNodes[m.spatialNodes[0].children[0]];
  EXPECT_EQ(site.ifcType, "IFCSITE");
  EXPECT_EQ(site.name, "Gel\xC3\xA4nde");  // 'Gel\S\dnde' decoded to UTF-8

  expectCountsMatchText(m, text,
                        {"IFCWALLSTANDARDCASE", "IFCWINDOW", "IFCDOOR", "IFCSLAB", "IFCBEAM", "IFCFURNISHINGELEMENT",
                         "IFCRAILING", "IFCSTAIR", "IFCCOLUMN"});

  // One wall, checked against its line in the file:
  // #767= IFCWALLSTANDARDCASE('3rPX_Juz59peXXY6wDJl18',#13,'Wand-Ext-ERDG-1',...) with layer set 'Leichtbeton 300'.
  const BimElement* wall = m.findElement("3rPX_Juz59peXXY6wDJl18");
  ASSERT_NE(wall, nullptr);
  EXPECT_EQ(wall->ifcType, "IFCWALLSTANDARDCASE");
  EXPECT_EQ(wall->name, "Wand-Ext-ERDG-1");
  EXPECT_EQ(wall->material, "Leichtbeton");
  EXPECT_EQ(wall->storeyGuid, m.spatialNodes[storeys[0]].guid);
  const BimProperty* tag = wall->find("Attributes", "Tag");
  ASSERT_NE(tag, nullptr);
  EXPECT_EQ(tag->text, "BEF1E630-DE4B-41C5-AD-66-B87F1A8D67A1");
  EXPECT_GT(wall->triangleCount, 0u);
  ASSERT_TRUE(wall->volumeM3);
  EXPECT_EQ(wall->volumeSource, "mesh");
  EXPECT_GT(*wall->volumeM3, 1.0);
  EXPECT_LT(*wall->volumeM3, 20.0);
  EXPECT_EQ(wall->carbon.status, CarbonStatus::Ok);
  EXPECT_EQ(wall->carbon.factorId, "aerated_concrete_block");
  EXPECT_NEAR(wall->carbon.kgCo2e, *wall->volumeM3 * 270.0, 1e-6);
  // A door: OverallHeight x OverallWidth from IFCDOOR(...,2.01,1.01) gives its area.
  const BimElement* door = m.findElement("2jTRqchjf7oB0yhQ6462T0");
  ASSERT_NE(door, nullptr);
  ASSERT_TRUE(door->areaM2);
  EXPECT_NEAR(*door->areaM2, 2.01 * 1.01, 1e-9);

  // Carbon: totals add up, and what has no factor is reported.
  double sum = 0;
  for (const BimElement& e : m.elements) sum += e.carbon.status == CarbonStatus::Ok ? e.carbon.kgCo2e : 0.0;
  EXPECT_NEAR(m.carbonTotalKgCo2e, sum, 1e-6);
  ASSERT_EQ(m.carbonByBuilding.size(), 1u);
  EXPECT_NEAR(m.carbonByBuilding[0].kgCo2e, sum, 1e-6);
  EXPECT_NE(std::find(m.unknownMaterials.begin(), m.unknownMaterials.end(), "Solid (IFCFURNISHINGELEMENT)"),
            m.unknownMaterials.end());

  // The site reference is Berlin: not this scene, so it is ignored with a warning and nothing places the model.
  ASSERT_TRUE(m.georeference.siteLatitude);
  EXPECT_NEAR(*m.georeference.siteLatitude, 52.0 + 31.0 / 60.0, 1e-9);
  EXPECT_EQ(m.placement.method, PlacementMethod::None);
  EXPECT_TRUE(std::any_of(m.warnings.begin(), m.warnings.end(),
                          [](const std::string& w) { return w.find("IfcSite reference") != std::string::npos; }));

  // The scene file: a Geode per element with geometry, named by GUID, under its storey's group.
  const SceneSummary scene = summarise(result->sceneFile);
  EXPECT_EQ(scene.rootName, "bim:" + m.name);
  EXPECT_NE(std::find(scene.storeyGroups.begin(), scene.storeyGroups.end(),
                      "storey:" + m.spatialNodes[storeys[0]].guid),
            scene.storeyGroups.end());
  std::size_t withGeometry = 0;
  for (const BimElement& e : m.elements) {
    if (e.triangleCount == 0) continue;
    ++withGeometry;
    ASSERT_TRUE(scene.trianglesByGeode.count(e.guid)) << e.guid;
    EXPECT_EQ(scene.trianglesByGeode.at(e.guid), e.triangleCount) << e.guid;
  }
  EXPECT_EQ(scene.trianglesByGeode.size(), withGeometry);
  EXPECT_GT(withGeometry, 100u);
}

TEST(BimImport, IfcOpenHouseIfc4ImportsInMetres) {
  const fs::path out = workDir("openhouse");
  auto result = importModelInProcess(kOpenHouse, baseOptions(out));
  ASSERT_TRUE(result) << result.status().toString();
  const BimModel& m = result->model;
  const std::string text = readText(kOpenHouse);
  EXPECT_EQ(m.ifcSchema, "IFC4");
  EXPECT_EQ(m.name, "IfcOpenHouse");
  EXPECT_EQ(static_cast<int>(m.storeys().size()), countTypes(text).at("IFCBUILDINGSTOREY"));
  expectCountsMatchText(m, text,
                        {"IFCWALLSTANDARDCASE", "IFCWINDOW", "IFCDOOR", "IFCSLAB", "IFCROOF", "IFCFOOTING",
                         "IFCSTAIRFLIGHT", "IFCMEMBER", "IFCPLATE"});
  // The file is in millimetres (IFCSIUNIT(*,.LENGTHUNIT.,.MILLI.,.METRE.)); the model comes out in metres: a
  // house of about 10 m, not 10 km.
  const double width = m.boundsMax.x - m.boundsMin.x;
  EXPECT_GT(width, 5.0);
  EXPECT_LT(width, 30.0);
  // IFCWINDOW(...,1600.,1860.,...) in mm -> 2.976 m2.
  const auto window = std::find_if(m.elements.begin(), m.elements.end(),
                                   [](const BimElement& e) { return e.ifcType == "IFCWINDOW"; });
  ASSERT_NE(window, m.elements.end());
  ASSERT_TRUE(window->areaM2);
  EXPECT_NEAR(*window->areaM2, 1.6 * 1.86, 1e-9);
  // Its window is an assembly of members and plates, which carry the carbon (no double count).
  EXPECT_EQ(window->carbon.status, CarbonStatus::CountedInParts);
  const auto wall = std::find_if(m.elements.begin(), m.elements.end(),
                                 [](const BimElement& e) { return e.ifcType == "IFCWALLSTANDARDCASE"; });
  ASSERT_NE(wall, m.elements.end());
  EXPECT_EQ(wall->material, "Brick");
  EXPECT_EQ(wall->carbon.factorId, "brick_clay");
  EXPECT_EQ(wall->carbon.matchedBy, "material");
}

TEST(BimImport, SiteReferencePlacesTheModelAtItsLatitudeAndLongitude) {
  // FZK-Haus moved to Tongzhou: RefLatitude 39 deg 54' 36", RefLongitude 116 deg 39' 25", elevation 21 m, and
  // TrueNorth turned 20 deg counter-clockwise from model +y.
  std::string text = readText(kFzkHaus);
  const std::string siteRef = "(52,31,0),(13,24,0),$";
  const std::string northRef = "#47= IFCDIRECTION((6.1232340E-17,1.));";
  ASSERT_NE(text.find(siteRef), std::string::npos);
  ASSERT_NE(text.find(northRef), std::string::npos);
  text.replace(text.find(siteRef), siteRef.size(), "(39,54,36,0),(116,39,25,0),21.");
  const double tn = 20.0 * std::numbers::pi / 180.0;
  char north[128];
  std::snprintf(north, sizeof north, "#47= IFCDIRECTION((%.12f,%.12f));", -std::sin(tn), std::cos(tn));
  text.replace(text.find(northRef), northRef.size(), north);
  const fs::path dir = workDir("site");
  const fs::path file = dir / "fzk_tongzhou.ifc";
  writeText(file, text);

  auto result = importModelInProcess(file, baseOptions(dir / "out"));
  ASSERT_TRUE(result) << result.status().toString();
  const BimPlacement& p = result->model.placement;
  EXPECT_EQ(p.method, PlacementMethod::SiteReference);

  auto frame = gt::GeoFrame::create(kOriginLon, kOriginLat);
  ASSERT_TRUE(frame);
  const double lat = 39.0 + 54.0 / 60.0 + 36.0 / 3600.0;
  const double lon = 116.0 + 39.0 / 60.0 + 25.0 / 3600.0;
  const auto expected = frame->lonLatToLocal(lon, lat, 21.0);
  ASSERT_TRUE(expected);
  EXPECT_NEAR(p.origin.x, expected->x, 1e-3);
  EXPECT_NEAR(p.origin.y, expected->y, 1e-3);
  EXPECT_NEAR(p.origin.z, 21.0, 1e-6);
  // Model +y, turned back by TrueNorth, points to true north; in the Gauss-Krueger grid true north is turned by
  // the meridian convergence (here about -0.2 deg, west of CM 117E).
  const auto northPoint = frame->lonLatToLocal(lon, lat + 0.001, 21.0);
  ASSERT_TRUE(northPoint);
  const double gridNorthDeg = std::atan2(northPoint->y - expected->y, northPoint->x - expected->x) * 180.0 / std::numbers::pi;
  EXPECT_NEAR(p.rotationDeg, gridNorthDeg - 90.0 - 20.0, 1e-3);
  // A point 10 m along model +y (rotated 20 deg by TrueNorth) lies 10 m towards true north.
  const gt::Vec3d alongNorth = p.toScene({-10.0 * std::sin(tn), 10.0 * std::cos(tn), 0.0});
  const auto back = frame->localToLonLat(alongNorth);
  ASSERT_TRUE(back);
  EXPECT_NEAR(back->x, lon, 2e-6);
  EXPECT_GT(back->y, lat);
}

TEST(BimImport, MapConversionWinsOverTheSiteAndDoubleGeoreferencingIsWarned) {
  // IfcOpenHouse (IFC4, millimetres) with an IfcMapConversion into EPSG:4548, rotated 30 deg.
  auto frame = gt::GeoFrame::create(kOriginLon, kOriginLat);
  ASSERT_TRUE(frame);
  const gt::Vec3d target{1200.0, -800.0, 0.0};  // scene local
  const gt::Vec3d projected = frame->localToProjected(target);
  const double a = std::cos(30.0 * std::numbers::pi / 180.0);
  const double b = std::sin(30.0 * std::numbers::pi / 180.0);
  std::string text = readText(kOpenHouse);
  const std::string endsec = "ENDSEC;\nEND-ISO-10303-21;";
  const std::size_t end = text.rfind("ENDSEC;");
  ASSERT_NE(end, std::string::npos);
  char extra[512];
  // Eastings/northings in the map unit (metres, #90001); Scale 0.001 converts the project's millimetres.
  std::snprintf(extra, sizeof extra,
                "#90001=IFCSIUNIT(*,.LENGTHUNIT.,$,.METRE.);\n"
                "#90002=IFCPROJECTEDCRS('EPSG:4548','CGCS2000 / 3-degree Gauss-Kruger CM 117E','CGCS2000',$,$,$,#90001);\n"
                "#90003=IFCMAPCONVERSION(#11,#90002,%.4f,%.4f,12.5,%.12f,%.12f,0.001);\n",
                projected.x, projected.y, a, b);
  std::string withConversion = text;
  withConversion.insert(end, extra);
  const fs::path dir = workDir("mapconv");
  writeText(dir / "openhouse_mapconv.ifc", withConversion);

  auto result = importModelInProcess(dir / "openhouse_mapconv.ifc", baseOptions(dir / "out"));
  ASSERT_TRUE(result) << result.status().toString();
  const BimPlacement& p = result->model.placement;
  EXPECT_EQ(p.method, PlacementMethod::MapConversion);
  EXPECT_NEAR(p.origin.x, target.x, 1e-3);
  EXPECT_NEAR(p.origin.y, target.y, 1e-3);
  EXPECT_NEAR(p.origin.z, 12.5, 1e-6);
  EXPECT_NEAR(p.rotationDeg, 30.0, 1e-6);
  EXPECT_NEAR(p.scale, 1.0, 1e-9);
  EXPECT_TRUE(result->model.warnings.empty() ||
              std::none_of(result->model.warnings.begin(), result->model.warnings.end(), [](const std::string& w) {
                return w.find("double georeferencing") != std::string::npos;
              }));

  // The same conversion on a file whose placements already hold projected coordinates (the site placed at
  // E/N in mm): warned, and the eastings/northings are not added a second time.
  std::string absolute = withConversion;
  const std::string sitePoint = "#23=IFCLOCALPLACEMENT($,#22);";
  ASSERT_NE(absolute.find(sitePoint), std::string::npos) << "IfcOpenHouse site placement changed";
  char moved[256];
  std::snprintf(moved, sizeof moved,
                "#23=IFCLOCALPLACEMENT($,#90011);\n#90010=IFCCARTESIANPOINT((%.1f,%.1f,0.));\n"
                "#90011=IFCAXIS2PLACEMENT3D(#90010,$,$);",
                projected.x * 1000.0, projected.y * 1000.0);
  absolute.replace(absolute.find(sitePoint), sitePoint.size(), moved);
  writeText(dir / "openhouse_double.ifc", absolute);
  auto doubled = importModelInProcess(dir / "openhouse_double.ifc", baseOptions(dir / "out2"));
  ASSERT_TRUE(doubled) << doubled.status().toString();
  EXPECT_TRUE(std::any_of(doubled->model.warnings.begin(), doubled->model.warnings.end(), [](const std::string& w) {
    return w.find("double georeferencing") != std::string::npos;
  }));
  EXPECT_GT(doubled->model.georeference.maxAbsCoordinateM, 100000.0);
  // The geometry was recentred (float precision) and still lands near the target, not 4000 km away.
  const gt::Vec3d centre = doubled->model.placement.toScene(
      {(doubled->model.boundsMin.x + doubled->model.boundsMax.x) / 2,
       (doubled->model.boundsMin.y + doubled->model.boundsMax.y) / 2, 0.0});
  EXPECT_LT(std::hypot(centre.x - target.x, centre.y - target.y), 200.0);
}

TEST(BimImport, AnchorOverridePlacesTheModelOnADemoBuildingFootprint) {
  const fs::path gpkg = fs::path(GT_TEST_SOURCE_DIR) / "assets/demo/generated/tongzhou_city.gpkg";
  ASSERT_TRUE(fs::exists(gpkg)) << "build greentwin_demo_data first";
  auto frame = gt::GeoFrame::create(kOriginLon, kOriginLat);
  ASSERT_TRUE(frame);

  // The model's own extent, from a plain import.
  auto plain = importModelInProcess(kFzkHaus, baseOptions(workDir("anchor_plain")));
  ASSERT_TRUE(plain) << plain.status().toString();
  const BimModel& m = plain->model;
  const gt::Vec3d centre{(m.boundsMin.x + m.boundsMax.x) / 2, (m.boundsMin.y + m.boundsMax.y) / 2, 0.0};
  const std::vector<gt::Vec3d> corners = {{m.boundsMin.x, m.boundsMin.y, 0}, {m.boundsMax.x, m.boundsMin.y, 0},
                                          {m.boundsMax.x, m.boundsMax.y, 0}, {m.boundsMin.x, m.boundsMax.y, 0}};

  // A demo footprint the house fits in when turned along its longest edge.
  GDALAllRegister();
  GDALDatasetH ds = GDALOpenEx(gpkg.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr);
  ASSERT_NE(ds, nullptr);
  OGRLayerH layer = GDALDatasetGetLayerByName(ds, "buildings");
  ASSERT_NE(layer, nullptr);
  std::vector<gt::Vec3d> ring;
  gt::Vec3d centroid;
  double edgeDeg = 0;
  std::string buildingId;
  const auto inside = [](const std::vector<gt::Vec3d>& poly, const gt::Vec3d& p) {
    bool in = false;
    for (std::size_t i = 0, j = poly.size() - 1; i < poly.size(); j = i++) {
      if ((poly[i].y > p.y) != (poly[j].y > p.y) &&
          p.x < (poly[j].x - poly[i].x) * (p.y - poly[i].y) / (poly[j].y - poly[i].y) + poly[i].x) {
        in = !in;
      }
    }
    return in;
  };
  const auto rotate = [](const gt::Vec3d& v, double deg) {
    const double r = deg * std::numbers::pi / 180.0;
    return gt::Vec3d{std::cos(r) * v.x - std::sin(r) * v.y, std::sin(r) * v.x + std::cos(r) * v.y, v.z};
  };
  double rotationDeg = 0;
  OGR_L_ResetReading(layer);
  for (OGRFeatureH f; (f = OGR_L_GetNextFeature(layer)) != nullptr;) {
    OGRGeometryH g = OGR_F_GetGeometryRef(f);
    if (g && OGR_G_GetGeometryCount(g) == 1) {
      OGRGeometryH r = OGR_G_GetGeometryRef(g, 0);
      std::vector<gt::Vec3d> pts;
      for (int i = 0; i + 1 < OGR_G_GetPointCount(r); ++i) {
        pts.push_back(frame->projectedToLocal({OGR_G_GetX(r, i), OGR_G_GetY(r, i), 0.0}));
      }
      double area = 0, cx = 0, cy = 0, longest = 0, angle = 0;
      for (std::size_t i = 0; i < pts.size(); ++i) {
        const gt::Vec3d& p = pts[i];
        const gt::Vec3d& q = pts[(i + 1) % pts.size()];
        const double cross = p.x * q.y - q.x * p.y;
        area += cross;
        cx += (p.x + q.x) * cross;
        cy += (p.y + q.y) * cross;
        if (std::hypot(q.x - p.x, q.y - p.y) > longest) {
          longest = std::hypot(q.x - p.x, q.y - p.y);
          angle = std::atan2(q.y - p.y, q.x - p.x) * 180.0 / std::numbers::pi;
        }
      }
      area /= 2;
      if (pts.size() >= 4 && std::abs(area) > 200.0) {
        const gt::Vec3d c{cx / (6 * area), cy / (6 * area), 0.0};
        // The house is longer along model y: turn y onto the longest edge.
        const double rot = angle - 90.0;
        const bool fits = std::all_of(corners.begin(), corners.end(), [&](const gt::Vec3d& k) {
          const gt::Vec3d d = rotate({k.x - centre.x, k.y - centre.y, 0}, rot);
          return inside(pts, {c.x + d.x, c.y + d.y, 0});
        });
        if (fits) {
          ring = pts;
          centroid = c;
          edgeDeg = angle;
          rotationDeg = rot;
          buildingId = std::to_string(OGR_F_GetFID(f));
          OGR_F_Destroy(f);
          break;
        }
      }
    }
    OGR_F_Destroy(f);
  }
  GDALClose(ds);
  ASSERT_FALSE(ring.empty()) << "no demo footprint holds the FZK-Haus";

  // Anchor: the IFC origin where the model's centre lands on the footprint's centroid; override the file.
  BimImportOptions options = baseOptions(workDir("anchor"));
  BimAnchor anchor;
  const gt::Vec3d turned = rotate(centre, rotationDeg);
  anchor.sceneX = centroid.x - turned.x;
  anchor.sceneY = centroid.y - turned.y;
  anchor.sceneZ = 3.0;
  anchor.rotationDeg = rotationDeg;
  anchor.override = true;
  options.anchor = anchor;
  auto placed = importModelInProcess(kFzkHaus, options);
  ASSERT_TRUE(placed) << placed.status().toString();
  const BimPlacement& p = placed->model.placement;
  EXPECT_EQ(p.method, PlacementMethod::AnchorOverride);
  const gt::Vec3d c = p.toScene(centre);
  EXPECT_NEAR(c.x, centroid.x, 1e-6) << "building " << buildingId;
  EXPECT_NEAR(c.y, centroid.y, 1e-6);
  EXPECT_NEAR(c.z, 3.0, 1e-9);
  for (const gt::Vec3d& k : corners) {
    EXPECT_TRUE(inside(ring, p.toScene(k))) << "corner off the footprint of building " << buildingId;
  }
  // Model +y runs along the footprint's longest edge.
  const gt::Vec3d y0 = p.toScene({0, 0, 0});
  const gt::Vec3d y1 = p.toScene({0, 1, 0});
  EXPECT_NEAR(std::atan2(y1.y - y0.y, y1.x - y0.x) * 180.0 / std::numbers::pi, edgeDeg, 1e-6);
  // The matrix form (what the viewer applies) agrees.
  const auto mat = p.matrixRowMajor();
  EXPECT_NEAR(mat[0] * centre.x + mat[1] * centre.y + mat[3], centroid.x, 1e-6);
  EXPECT_NEAR(mat[4] * centre.x + mat[5] * centre.y + mat[7], centroid.y, 1e-6);
}

TEST(BimImport, WrongFilesAreRefusedWithTheirReason) {
  const fs::path dir = workDir("wrong");
  writeText(dir / "notes.ifc", "This is a text file, not a model.\n");
  auto notIfc = importModelInProcess(dir / "notes.ifc", baseOptions(dir / "out"));
  ASSERT_FALSE(notIfc);
  EXPECT_EQ(notIfc.status().code(), gt::ErrorCode::ParseError);
  EXPECT_NE(notIfc.status().message().find("not an IFC file: " + (dir / "notes.ifc").string()), std::string::npos)
      << notIfc.status().message();

  writeText(dir / "model.xyz", "1 2 3\n");
  auto unsupported = importModelInProcess(dir / "model.xyz", baseOptions(dir / "out"));
  ASSERT_FALSE(unsupported);
  EXPECT_EQ(unsupported.status().code(), gt::ErrorCode::Unsupported) << unsupported.status().toString();

  auto missing = importModelInProcess(dir / "nowhere.ifc", baseOptions(dir / "out"));
  ASSERT_FALSE(missing);
  EXPECT_EQ(missing.status().code(), gt::ErrorCode::NotFound);

  BimImportOptions badExe = baseOptions(dir / "out");
  badExe.importerExe = dir / "no-such-importer";
  auto noImporter = importModelInProcess(kOpenHouse, badExe);
  ASSERT_FALSE(noImporter);
  EXPECT_EQ(noImporter.status().code(), gt::ErrorCode::NotFound);
  EXPECT_NE(noImporter.status().message().find("importer"), std::string::npos);
}

// How each way of dying is reported: the fault hook of greentwin-bim-import makes it crash, hang, spin or
// allocate without end, deterministically.
class BimImportFault : public ::testing::Test {
 protected:
  void TearDown() override { ::unsetenv("GREENTWIN_BIM_IMPORT_FAULT"); }
  static void fault(const char* kind) { ::setenv("GREENTWIN_BIM_IMPORT_FAULT", kind, 1); }
};

TEST_F(BimImportFault, CrashIsReportedWithTheSignalAndTheFile) {
  fault("segv");
  auto r = importModelInProcess(kOpenHouse, baseOptions(workDir("segv")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::Internal);
  EXPECT_NE(r.status().message().find("importer crashed with SIGSEGV on " + kOpenHouse.string()), std::string::npos)
      << r.status().message();
  fault("abort");
  auto a = importModelInProcess(kOpenHouse, baseOptions(workDir("abort")));
  ASSERT_FALSE(a);
  EXPECT_NE(a.status().message().find("SIGABRT"), std::string::npos) << a.status().message();
}

TEST_F(BimImportFault, HangIsKilledAtTheWallClockTimeout) {
  fault("hang");
  BimImportOptions o = baseOptions(workDir("hang"));
  o.wallTimeoutS = 1.5;
  const auto start = std::chrono::steady_clock::now();
  auto r = importModelInProcess(kOpenHouse, o);
  const double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::Cancelled);
  EXPECT_NE(r.status().message().find("timed out after 1.5 s importing " + kOpenHouse.string()), std::string::npos)
      << r.status().message();
  EXPECT_LT(took, 30.0);
}

TEST_F(BimImportFault, CpuLimitStopsASpinningImporter) {
  fault("spin");
  BimImportOptions o = baseOptions(workDir("spin"));
  o.cpuLimitS = 1;
  o.wallTimeoutS = 60;
  auto r = importModelInProcess(kOpenHouse, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::OutOfRange);
  EXPECT_NE(r.status().message().find("CPU limit (1 s) exceeded"), std::string::npos) << r.status().message();
}

TEST_F(BimImportFault, MemoryLimitMakesACleanFailure) {
#ifdef GREENTWIN_SANITIZE
  GTEST_SKIP() << "sanitizer build: the importer runs without its address-space cap (AddressSanitizer's shadow memory)";
#endif
  fault("oom");
  BimImportOptions o = baseOptions(workDir("oom"));
  o.memoryLimitBytes = 512ull << 20;
  auto r = importModelInProcess(kOpenHouse, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::OutOfRange);
  EXPECT_NE(r.status().message().find("memory limit (512 MiB) exceeded"), std::string::npos) << r.status().message();
}

TEST(BimImportLimits, ATinyMemoryLimitFailsCleanlyOnARealImport) {
#ifdef GREENTWIN_SANITIZE
  GTEST_SKIP() << "sanitizer build: the importer runs without its address-space cap (AddressSanitizer's shadow memory)";
#endif
  // No fault hook: the real FZK-Haus import under an address-space limit too small for it.
  BimImportOptions o = baseOptions(workDir("tiny_memory"));
  o.memoryLimitBytes = 100ull << 20;
  auto r = importModelInProcess(kFzkHaus, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::OutOfRange) << r.status().toString();
  EXPECT_NE(r.status().message().find("memory limit (100 MiB) exceeded importing " + kFzkHaus.string()),
            std::string::npos)
      << r.status().message();
  // And with room to work, the same import succeeds: the limit, not the file, made it fail.
  o.memoryLimitBytes = 4ull << 30;
  auto ok = importModelInProcess(kFzkHaus, o);
  EXPECT_TRUE(ok) << ok.status().toString();
}

TEST(BimImportCorpus, DamagedFilesNeverCrashTheParentAndEveryFailureHasAReason) {
  // Truncated and mutated copies of the IFC test files and of assimp's 3DS/PLY/glTF test models, generated with
  // fixed seeds.
  const fs::path dir = workDir("corpus");
  std::vector<fs::path> corpus;
  const auto add = [&](const std::string& name, const std::string& bytes) {
    writeText(dir / name, bytes);
    corpus.push_back(dir / name);
  };
  const std::string openHouse = readText(kOpenHouse);
  const std::string fzk = readText(kFzkHaus);
  const fs::path models = "/usr/share/assimp/models";
  const std::string threeDs = readText(models / "3DS/fels.3ds");
  const std::string ply = readText(models / "PLY/cube_binary.ply");
  ASSERT_FALSE(threeDs.empty());
  ASSERT_FALSE(ply.empty());

  std::mt19937 rng(20250906);
  const auto mutate = [&](std::string s, int flips) {
    std::uniform_int_distribution<std::size_t> pos(0, s.size() - 1);
    std::uniform_int_distribution<int> byte(0, 255);
    for (int i = 0; i < flips; ++i) s[pos(rng)] = static_cast<char>(byte(rng));
    return s;
  };
  const auto dropLines = [&](const std::string& s, int every) {
    std::istringstream in(s);
    std::string line, out;
    int n = 0;
    while (std::getline(in, line)) {
      if (++n % every != 0) out += line + "\n";
    }
    return out;
  };
  for (double f : {0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 0.999}) {
    add("openhouse_trunc_" + std::to_string(static_cast<int>(f * 1000)) + ".ifc",
        openHouse.substr(0, static_cast<std::size_t>(f * static_cast<double>(openHouse.size()))));
  }
  for (double f : {0.01, 0.3, 0.7}) {
    add("fzk_trunc_" + std::to_string(static_cast<int>(f * 1000)) + ".ifc",
        fzk.substr(0, static_cast<std::size_t>(f * static_cast<double>(fzk.size()))));
  }
  for (int i = 0; i < 10; ++i) add("openhouse_flip_" + std::to_string(i) + ".ifc", mutate(openHouse, 5 + 40 * i));
  for (int every : {3, 7, 17, 50}) add("openhouse_drop_" + std::to_string(every) + ".ifc", dropLines(openHouse, every));
  add("fzk_flip.ifc", mutate(fzk, 300));
  add("empty.ifc", "");
  add("header_only.ifc", "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC4'));\nENDSEC;\nDATA;\nENDSEC;\n");
  add("bad_schema.ifc", "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('CONFIG_CONTROL_DESIGN'));\nENDSEC;\nDATA;\n#1=X();\nENDSEC;\n");
  add("deep_nesting.ifc", "ISO-10303-21;\nHEADER;\nFILE_SCHEMA(('IFC2X3'));\nENDSEC;\nDATA;\n#1=IFCPROPERTYSET('a',$,'n',$," +
                              std::string(5000, '(') + ");\nENDSEC;\n");
  for (double f : {0.1, 0.5, 0.9}) {
    add("fels_trunc_" + std::to_string(static_cast<int>(f * 100)) + ".3ds",
        threeDs.substr(0, static_cast<std::size_t>(f * static_cast<double>(threeDs.size()))));
  }
  for (int i = 0; i < 4; ++i) add("fels_flip_" + std::to_string(i) + ".3ds", mutate(threeDs, 20 + 50 * i));
  for (int i = 0; i < 3; ++i) add("cube_flip_" + std::to_string(i) + ".ply", mutate(ply, 4 + 8 * i));
  add("cube_trunc.ply", ply.substr(0, ply.size() / 2));
  // glTF through assimp: truncated and mutated binary (.glb) and text (.gltf with a data URI) files, a .gltf whose
  // external buffer is cut short, and broken .glb headers.
  const std::string glb = readText(models / "glTF2/BoxTextured-glTF-Binary/BoxTextured.glb");
  const std::string engine = readText(models / "glTF2/2CylinderEngine-glTF-Binary/2CylinderEngine.glb");
  const std::string embedded = readText(models / "glTF2/BoxTextured-glTF-Embedded/BoxTextured.gltf");
  const std::string external = readText(models / "glTF2/BoxTextured-glTF/BoxTextured.gltf");
  const std::string externalBin = readText(models / "glTF2/BoxTextured-glTF/BoxTextured0.bin");
  ASSERT_FALSE(glb.empty());
  ASSERT_FALSE(engine.empty());
  ASSERT_FALSE(embedded.empty());
  ASSERT_FALSE(externalBin.empty());
  for (double f : {0.01, 0.1, 0.5, 0.9}) {
    add("box_trunc_" + std::to_string(static_cast<int>(f * 100)) + ".glb",
        glb.substr(0, static_cast<std::size_t>(f * static_cast<double>(glb.size()))));
  }
  for (int i = 0; i < 5; ++i) add("box_flip_" + std::to_string(i) + ".glb", mutate(glb, 3 + 10 * i));
  for (double f : {0.3, 0.8}) {
    add("engine_trunc_" + std::to_string(static_cast<int>(f * 100)) + ".glb",
        engine.substr(0, static_cast<std::size_t>(f * static_cast<double>(engine.size()))));
  }
  for (int i = 0; i < 2; ++i) add("engine_flip_" + std::to_string(i) + ".glb", mutate(engine, 50 + 200 * i));
  for (double f : {0.2, 0.6, 0.95}) {
    add("embedded_trunc_" + std::to_string(static_cast<int>(f * 100)) + ".gltf",
        embedded.substr(0, static_cast<std::size_t>(f * static_cast<double>(embedded.size()))));
  }
  for (int i = 0; i < 5; ++i) add("embedded_flip_" + std::to_string(i) + ".gltf", mutate(embedded, 2 + 8 * i));
  for (int i = 0; i < 2; ++i) {
    // The buffer's file name is fixed by the JSON: one folder per case.
    const std::string name = "external_bin_" + std::to_string(i);
    fs::create_directories(dir / name);
    writeText(dir / name / "BoxTextured0.bin",
              i == 0 ? externalBin.substr(0, externalBin.size() / 3) : mutate(externalBin, 40));
    add(name + "/" + name + ".gltf", external);
  }
  std::string hugeChunk = glb;
  hugeChunk.replace(12, 4, std::string("\xF0\xFF\xFF\xFF", 4));  // JSON chunk length 4 GiB - 16
  add("huge_chunk.glb", hugeChunk);
  add("bad_magic.glb", "gLTF" + glb.substr(4));
  add("empty.gltf", "");
  ASSERT_GE(corpus.size(), 60u);

  std::map<std::string, int> outcomes;
  for (const fs::path& file : corpus) {
    BimImportOptions o = baseOptions(dir / "out");
    o.wallTimeoutS = 60;
    o.cpuLimitS = 50;
    o.memoryLimitBytes = 3ull << 30;
    auto r = importModelInProcess(file, o);
    if (r) {
      ++outcomes["imported"];
      EXPECT_TRUE(fs::exists(r->sceneFile)) << file;
      // A cut-short IFC file imports what it holds, and says it was cut short.
      if (file.filename().string().find("_trunc_") != std::string::npos && file.extension() == ".ifc") {
        EXPECT_TRUE(std::any_of(r->model.warnings.begin(), r->model.warnings.end(), [](const std::string& w) {
          return w.find("truncated") != std::string::npos;
        })) << file;
      }
      continue;
    }
    const std::string msg = r.status().message();
    EXPECT_FALSE(msg.empty()) << file;
    // Every failure names the file, and says what kind of failure it was.
    EXPECT_NE(msg.find(file.filename().string()), std::string::npos) << file << ": " << msg;
    std::string kind;
    if (msg.find("importer crashed with SIG") != std::string::npos) kind = "crash";
    else if (msg.find("timed out after") != std::string::npos) kind = "timeout";
    else if (msg.find("limit") != std::string::npos) kind = "limit";
    else if (r.status().code() == gt::ErrorCode::ParseError || r.status().code() == gt::ErrorCode::Unsupported) kind = "parse";
    EXPECT_FALSE(kind.empty()) << file << ": unclassified failure " << r.status().toString();
    ++outcomes[kind.empty() ? "other" : kind];
    std::printf("  %-28s %s\n", file.filename().c_str(), msg.c_str());
  }
  for (const auto& [kind, n] : outcomes) std::printf("corpus outcome %-9s %d\n", kind.c_str(), n);
  EXPECT_GT(outcomes["parse"], 0);
  EXPECT_EQ(outcomes["other"], 0);
}
