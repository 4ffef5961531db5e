#include "greentwin/connectors/vector_reader.hpp"

#include <cpl_vsi.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

const std::string kDistrict = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_district.geojson";
const std::string kRivers = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_rivers_wdb2.geojson";

GeoFrame demoFrame() {
  auto frame = GeoFrame::create(116.72, 39.86);
  EXPECT_TRUE(frame.isOk()) << frame.status().toString();
  return std::move(frame).value();
}

// Each test writes its fixtures into its own folder: ctest may run the tests of this file in parallel.
class VectorReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(GT_TEST_BINARY_DIR) / "vector_reader_fixtures" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  std::string writeText(const std::string& name, const std::string& text) const {
    std::ofstream out(path(name), std::ios::binary);
    out << text;
    return path(name);
  }

  static Result<FeatureSet> read(const std::string& source, const VectorReadOptions& opts = VectorReadOptions()) {
    return readVectorSource(source, frame(), opts);
  }

  // The real files, read once per process (each read of a WGS84 file costs ~0.1 s of PROJ set-up).
  static const FeatureSet& district() {
    static const FeatureSet set = readOrFail(kDistrict, "tongzhou-district");
    return set;
  }
  static const FeatureSet& rivers() {
    static const FeatureSet set = readOrFail(kRivers, "rivers");
    return set;
  }
  static FeatureSet readOrFail(const std::string& source, const std::string& idPrefix) {
    VectorReadOptions o;
    o.idPrefix = idPrefix;
    auto set = readVectorSource(source, frame(), o);
    EXPECT_TRUE(set.isOk()) << set.status().toString();
    return set ? std::move(set).value() : FeatureSet{};
  }

  static const GeoFrame& frame() {
    static const GeoFrame f = demoFrame();
    return f;
  }

  fs::path dir_;
};

std::string featureCollection(const std::string& features, const std::string& extra) {
  return R"({"type": "FeatureCollection", )" + extra + R"("features": [)" + features + "]}";
}

// Small lon/lat fixtures declare CGCS2000 (EPSG:4490, the scene CRS's own datum) through the legacy GeoJSON "crs"
// member: the transform is then a plain projection. Plain GeoJSON (WGS84) makes PROJ search the WGS84 -> CGCS2000
// operations, ~0.1 s per read; the real files below cover that path.
constexpr const char* kCgcs2000 = R"("crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4490"}}, )";
std::string lonLatCollection(const std::string& features) { return featureCollection(features, kCgcs2000); }

// All four fields, in declaration order (GCC's -Wmissing-field-initializers rejects partial designated initialisers).
VectorReadOptions options(std::string layerName, std::string idPrefix, std::string idAttribute, std::string assumeCrs) {
  VectorReadOptions o;
  o.layerName = std::move(layerName);
  o.idPrefix = std::move(idPrefix);
  o.idAttribute = std::move(idAttribute);
  o.assumeCrs = std::move(assumeCrs);
  return o;
}

double distance2d(const Vec3d& a, const Vec3d& b) { return std::hypot(a.x - b.x, a.y - b.y); }

// Copies the first layer of `source` into a new `driver` dataset at `target`, reprojected into EPSG:`epsg`
// (GDAL's own reprojection, independent of GeoFrame).
void writeReprojected(const std::string& source, const std::string& target, const char* driver, int epsg) {
  GDALAllRegister();
  std::unique_ptr<GDALDataset> in(
      GDALDataset::Open(source.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  ASSERT_NE(in, nullptr);
  OGRLayer* inLayer = in->GetLayer(0);
  ASSERT_NE(inLayer, nullptr);
  OGRSpatialReference targetSrs;
  ASSERT_EQ(targetSrs.importFromEPSG(epsg), OGRERR_NONE);
  targetSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(
      OGRCreateCoordinateTransformation(inLayer->GetSpatialRef(), &targetSrs));
  ASSERT_NE(ct, nullptr);

  GDALDriver* drv = GetGDALDriverManager()->GetDriverByName(driver);
  ASSERT_NE(drv, nullptr) << driver;
  std::unique_ptr<GDALDataset> out(drv->Create(target.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_NE(out, nullptr) << target;
  OGRLayer* outLayer = out->CreateLayer("boundary", &targetSrs, wkbUnknown, nullptr);
  ASSERT_NE(outLayer, nullptr);
  OGRFieldDefn code("code", OFTString);
  ASSERT_EQ(outLayer->CreateField(&code), OGRERR_NONE);
  for (auto& feature : *inLayer) {
    std::unique_ptr<OGRGeometry> g(feature->GetGeometryRef()->clone());
    ASSERT_EQ(g->transform(ct.get()), OGRERR_NONE);
    OGRFeature outFeature(outLayer->GetLayerDefn());
    outFeature.SetField("code", feature->GetFieldAsString("id"));
    outFeature.SetGeometryDirectly(g.release());
    ASSERT_EQ(outLayer->CreateFeature(&outFeature), OGRERR_NONE);
  }
}

// The same boundary read from two files: same vertices in the scene frame.
void expectSameBoundary(const FeatureSet& a, const FeatureSet& b, double toleranceM) {
  ASSERT_EQ(a.features.size(), 1u);
  ASSERT_EQ(b.features.size(), 1u);
  const auto& pa = a.features[0].geometry.polygons;
  const auto& pb = b.features[0].geometry.polygons;
  ASSERT_EQ(pa.size(), pb.size());
  ASSERT_FALSE(pa.empty());
  double worst = 0.0;
  for (std::size_t i = 0; i < pa.size(); ++i) {
    ASSERT_EQ(pa[i].rings.size(), pb[i].rings.size());
    for (std::size_t r = 0; r < pa[i].rings.size(); ++r) {
      // Shapefile writers may reverse ring orientation; compare as sets of vertices by nearest neighbour.
      const auto& ra = pa[i].rings[r];
      const auto& rb = pb[i].rings[r];
      ASSERT_EQ(ra.size(), rb.size());
      for (const Vec3d& p : ra) {
        double best = 1e300;
        for (const Vec3d& q : rb) best = std::min(best, distance2d(p, q));
        worst = std::max(worst, best);
      }
    }
  }
  EXPECT_LT(worst, toleranceM);
  EXPECT_NEAR(featureSetArea(a), featureSetArea(b), 1000.0);  // m², on ~9e8 m²
}

// --- real data ----------------------------------------------------------------------------------------------

TEST_F(VectorReaderTest, DistrictBoundaryHasTheKnownArea) {
  const FeatureSet* set = &district();
  ASSERT_EQ(set->features.size(), 1u);
  EXPECT_EQ(set->source, kDistrict);
  EXPECT_EQ(set->sourceCrs, "EPSG:4326");
  EXPECT_EQ(set->skippedFeatures, 0u);
  EXPECT_TRUE(set->warnings.empty());
  // Area on the ellipsoid: 906.17 km² (ogrinfo -dialect sqlite "ST_Area(geometry, 1)"); in the scene's Gauss-Kruger
  // frame (scale 1 on CM 117E, < 3e-5 more within 45 km of it) 906.185 km². PROVENANCE.md's 905.5 km² is the
  // UTM 50N figure (scale 0.9996, so 0.08 % less area); the official figure is 906 km².
  const double km2 = featureSetArea(*set) / 1e6;
  EXPECT_GT(km2, 905.0);
  EXPECT_NEAR(km2, 906.19, 0.05);
  const Feature& district = set->features[0];
  ASSERT_FALSE(district.geometry.polygons.empty());
  EXPECT_TRUE(district.geometry.lines.empty());
  EXPECT_TRUE(district.geometry.points.empty());
  // Rings are stored open: the closing vertex of the GeoJSON ring is not repeated.
  const auto& exterior = district.geometry.polygons[0].rings.at(0);
  ASSERT_GT(exterior.size(), 3u);
  EXPECT_GT(distance2d(exterior.front(), exterior.back()), 0.0);
  // Tongzhou lies around the frame origin (116.72, 39.86): tens of km, not thousands.
  ASSERT_TRUE(set->bounds.valid());
  EXPECT_LT(set->bounds.min.x, 0.0);
  EXPECT_GT(set->bounds.max.x, 0.0);
  EXPECT_LT(set->bounds.min.y, 0.0);
  EXPECT_GT(set->bounds.max.y, 0.0);
  EXPECT_LT(set->bounds.max.x - set->bounds.min.x, 60000.0);
  EXPECT_LT(set->bounds.max.y - set->bounds.min.y, 60000.0);
  // The first vertex of the file, projected by GeoFrame directly.
  auto first = frame().lonLatToLocal(116.595703125, 40.017578125);
  ASSERT_TRUE(first.isOk());
  EXPECT_LT(distance2d(exterior.front(), *first), 0.01);
}

TEST_F(VectorReaderTest, DistrictPropertiesAreRead) {
  ASSERT_EQ(district().features.size(), 1u);
  const PropertyMap& props = district().features.at(0).properties;
  ASSERT_TRUE(props.count("name"));
  EXPECT_EQ(std::get<std::string>(props.at("name")), "通州区");
  ASSERT_TRUE(props.count("childNum"));
  EXPECT_EQ(std::get<std::int64_t>(props.at("childNum")), 1);
  ASSERT_TRUE(props.count("id"));
  EXPECT_EQ(std::get<std::string>(props.at("id")), "110112");
}

TEST_F(VectorReaderTest, FeatureIdsArePrefixedFids) {
  const FeatureSet* set = &rivers();
  ASSERT_EQ(set->features.size(), 5u);
  for (std::size_t i = 0; i < set->features.size(); ++i) {
    EXPECT_EQ(set->features[i].id, "rivers/" + std::to_string(i));
  }
  EXPECT_EQ(district().features.at(0).id, "tongzhou-district/0");
}

TEST_F(VectorReaderTest, IdAttributeReplacesTheFid) {
  auto set = read(kDistrict, options("", "tongzhou-district", "id", ""));
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  EXPECT_EQ(set->features.at(0).id, "tongzhou-district/110112");
}

TEST_F(VectorReaderTest, IdAttributeNullFallsBackToFidWithAWarning) {
  const std::string file = writeText(
      "ids.geojson",
      lonLatCollection(R"({"type": "Feature", "properties": {"code": "A7"}, "geometry": {"type": "Point", "coordinates": [116.7, 39.9]}},
                          {"type": "Feature", "properties": {"code": null}, "geometry": {"type": "Point", "coordinates": [116.8, 39.9]}})"));
  auto set = read(file, options("", "p", "code", ""));
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  ASSERT_EQ(set->features.size(), 2u);
  EXPECT_EQ(set->features[0].id, "p/A7");
  EXPECT_EQ(set->features[1].id, "p/1");
  ASSERT_EQ(set->warnings.size(), 1u);
  EXPECT_NE(set->warnings[0].find("code"), std::string::npos) << set->warnings[0];
}

TEST_F(VectorReaderTest, UnknownIdAttributeIsAnErrorNamingIt) {
  auto set = read(kDistrict, options("", "d", "adcode", ""));
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(set.status().message().find("adcode"), std::string::npos) << set.status().message();
  EXPECT_NE(set.status().message().find(kDistrict), std::string::npos) << set.status().message();
}

TEST_F(VectorReaderTest, RiversLoadAsLines) {
  const FeatureSet* set = &rivers();
  ASSERT_EQ(set->features.size(), 5u);
  std::size_t lines = 0;
  double lengthM = 0.0;
  for (const Feature& f : set->features) {
    EXPECT_TRUE(f.geometry.polygons.empty()) << f.id;
    EXPECT_TRUE(f.geometry.points.empty()) << f.id;
    EXPECT_FALSE(f.geometry.lines.empty()) << f.id;
    for (const auto& line : f.geometry.lines) {
      ++lines;
      ASSERT_GE(line.size(), 2u);
      for (std::size_t i = 1; i < line.size(); ++i) lengthM += distance2d(line[i - 1], line[i]);
    }
    const auto level = std::get<std::int64_t>(f.properties.at("level"));  // WDB II river levels (4 or 8 here)
    EXPECT_TRUE(level == 4 || level == 8) << level;
    EXPECT_NE(std::get<std::string>(f.properties.at("hdr")).find("River Bin"), std::string::npos);
  }
  EXPECT_GE(lines, 5u);  // one feature is a MultiLineString: several parts
  // ~32 km canal + ~35 km river and short pieces (PROVENANCE.md).
  EXPECT_GT(lengthM, 60000.0);
  EXPECT_LT(lengthM, 120000.0);
  EXPECT_EQ(featureSetArea(*set), 0.0);
}

// --- other CRSs ---------------------------------------------------------------------------------------------

TEST_F(VectorReaderTest, GeoPackageInSceneCrsLandsOnTheLonLatOriginal) {
  const std::string gpkg = path("district_4548.gpkg");
  ASSERT_NO_FATAL_FAILURE(writeReprojected(kDistrict, gpkg, "GPKG", 4548));
  auto projected = read(gpkg, options("", "d", "code", ""));
  ASSERT_TRUE(projected.isOk()) << projected.status().toString();
  EXPECT_EQ(projected->sourceCrs, "EPSG:4548");
  EXPECT_EQ(projected->features.at(0).id, "d/110112");
  expectSameBoundary(district(), *projected, 1.0);
}

TEST_F(VectorReaderTest, ShapefileInWebMercatorLandsOnTheLonLatOriginal) {
  const std::string shp = path("district_3857.shp");
  ASSERT_NO_FATAL_FAILURE(writeReprojected(kDistrict, shp, "ESRI Shapefile", 3857));
  ASSERT_TRUE(fs::exists(path("district_3857.prj")));
  auto projected = read(shp);
  ASSERT_TRUE(projected.isOk()) << projected.status().toString();
  EXPECT_EQ(projected->sourceCrs, "EPSG:3857");
  expectSameBoundary(district(), *projected, 1.0);
}

TEST_F(VectorReaderTest, FlatGeobufInSceneCrsLandsOnTheLonLatOriginal) {
  const std::string fgb = path("district_4548.fgb");
  ASSERT_NO_FATAL_FAILURE(writeReprojected(kDistrict, fgb, "FlatGeobuf", 4548));
  auto projected = read(fgb);
  ASSERT_TRUE(projected.isOk()) << projected.status().toString();
  EXPECT_EQ(projected->sourceCrs, "EPSG:4548");
  expectSameBoundary(district(), *projected, 1.0);
}

TEST_F(VectorReaderTest, GeoJsonWithCrsMemberIsReprojected) {
  // Two corners of a square, given in EPSG:4548 easting/northing through the legacy GeoJSON "crs" member.
  const Vec3d origin = frame().originProjected();
  const std::string file = writeText(
      "projected.geojson",
      featureCollection("{\"type\": \"Feature\", \"properties\": {}, \"geometry\": {\"type\": \"MultiPoint\", "
                        "\"coordinates\": [[" + std::to_string(origin.x + 100.0) + ", " +
                            std::to_string(origin.y - 250.0) + "], [" + std::to_string(origin.x) + ", " +
                            std::to_string(origin.y) + "]]}}",
                        R"("crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4548"}}, )"));
  auto set = read(file);
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  EXPECT_EQ(set->sourceCrs, "EPSG:4548");
  EXPECT_EQ(set->features.at(0).id, "0");  // no prefix: the bare FID, no slash
  const auto& pts = set->features.at(0).geometry.points;
  ASSERT_EQ(pts.size(), 2u);
  EXPECT_NEAR(pts[0].x, 100.0, 1e-3);
  EXPECT_NEAR(pts[0].y, -250.0, 1e-3);
  EXPECT_NEAR(pts[1].x, 0.0, 1e-3);
  EXPECT_NEAR(pts[1].y, 0.0, 1e-3);
}

TEST_F(VectorReaderTest, GdalVirtualFileSystemPathsAreSources) {
  const std::string text = featureCollection(
      R"({"type": "Feature", "properties": {}, "geometry": {"type": "Point", "coordinates": [116.72, 39.86]}})", "");
  const std::string vsi = "/vsimem/" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
                          ".geojson";
  GDALAllRegister();
  VSILFILE* f = VSIFileFromMemBuffer(vsi.c_str(), reinterpret_cast<GByte*>(const_cast<char*>(text.data())),
                                     static_cast<vsi_l_offset>(text.size()), FALSE);
  ASSERT_NE(f, nullptr);
  VSIFCloseL(f);
  auto set = read(vsi, options("", "mem", "", ""));
  VSIUnlink(vsi.c_str());
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  ASSERT_EQ(set->features.size(), 1u);
  EXPECT_EQ(set->features[0].id, "mem/0");
  EXPECT_NEAR(set->features[0].geometry.points.at(0).x, 0.0, 1e-6);
}

TEST_F(VectorReaderTest, DriverPrefixedSourcesAreNotTakenForMissingFiles) {
  // "CSV:<file>" makes GDAL read a file with any extension as CSV; the source is not itself a path on disk.
  const std::string txt = writeText("points.txt", "id,WKT\na,\"POINT (116.72 39.86)\"\n");
  auto set = read("CSV:" + txt, options("", "csv", "id", "EPSG:4490"));
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  ASSERT_EQ(set->features.size(), 1u);
  EXPECT_EQ(set->features[0].id, "csv/a");
  // A prefixed source that GDAL cannot open is a parse error naming it, not NotFound.
  const std::string missing = "CSV:" + path("absent.txt");
  auto bad = read(missing);
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), ErrorCode::ParseError);
  EXPECT_NE(bad.status().message().find(missing), std::string::npos) << bad.status().message();
}

// --- errors -------------------------------------------------------------------------------------------------

TEST_F(VectorReaderTest, MissingFileIsNotFoundNamingThePath) {
  const std::string missing = path("no_such_file.geojson");
  auto set = read(missing);
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::NotFound);
  EXPECT_NE(set.status().message().find(missing), std::string::npos) << set.status().message();
  auto vsi = read("/vsimem/no_such_file.geojson");
  ASSERT_FALSE(vsi.isOk());
  EXPECT_EQ(vsi.status().code(), ErrorCode::NotFound);
}

TEST_F(VectorReaderTest, CorruptFileIsParseErrorNamingThePath) {
  // The district file cut in half: broken JSON.
  std::ifstream in(kDistrict, std::ios::binary);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(text.size(), 1000u);
  const std::string truncated = writeText("truncated.geojson", text.substr(0, text.size() / 2));
  auto set = read(truncated);
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::ParseError);
  EXPECT_NE(set.status().message().find(truncated), std::string::npos) << set.status().message();

  const std::string garbage = writeText("garbage.gpkg", std::string(4096, '\x5a'));
  auto set2 = read(garbage);
  ASSERT_FALSE(set2.isOk());
  EXPECT_EQ(set2.status().code(), ErrorCode::ParseError);
  EXPECT_NE(set2.status().message().find(garbage), std::string::npos) << set2.status().message();
}

TEST_F(VectorReaderTest, MissingLayerIsNotFoundNamingIt) {
  auto set = read(kDistrict, options("roads", "", "", ""));
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::NotFound);
  EXPECT_NE(set.status().message().find("roads"), std::string::npos) << set.status().message();
  // A GeoJSON's "name" member names its layer.
  const std::string file = writeText("named.geojson", R"({"type": "FeatureCollection", "name": "trees", )" +
                                                          lonLatCollection(R"({"type": "Feature", "properties": {},
                                                            "geometry": {"type": "Point", "coordinates": [116.7, 39.9]}})").substr(1));
  auto named = read(file, options("trees", "", "", ""));
  EXPECT_TRUE(named.isOk()) << named.status().toString();
}

TEST_F(VectorReaderTest, SourceWithoutCrsNeedsAssumeCrs) {
  // CSV with a WKT column: OGR knows no CRS for it.
  const std::string csv = writeText("nocrs.csv",
                                    "id,WKT\n"
                                    "a,\"POINT (116.72 39.86)\"\n"
                                    "b,\"LINESTRING (116.70 39.85,116.74 39.87)\"\n");
  auto set = read(csv);
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(set.status().message().find(csv), std::string::npos) << set.status().message();
  EXPECT_NE(set.status().message().find("CRS"), std::string::npos) << set.status().message();

  auto assumed = read(csv, options("", "csv", "id", "EPSG:4490"));
  ASSERT_TRUE(assumed.isOk()) << assumed.status().toString();
  EXPECT_EQ(assumed->sourceCrs, "EPSG:4490 (assumed)");
  ASSERT_EQ(assumed->features.size(), 2u);
  EXPECT_EQ(assumed->features[0].id, "csv/a");
  ASSERT_EQ(assumed->features[0].geometry.points.size(), 1u);
  EXPECT_NEAR(assumed->features[0].geometry.points[0].x, 0.0, 1e-6);
  EXPECT_NEAR(assumed->features[0].geometry.points[0].y, 0.0, 1e-6);
  ASSERT_EQ(assumed->features[1].geometry.lines.size(), 1u);
  EXPECT_EQ(assumed->features[1].geometry.lines[0].size(), 2u);
}

TEST_F(VectorReaderTest, UnknownAssumedCrsIsAnErrorNamingIt) {
  const std::string csv = writeText("nocrs.csv", "id,WKT\na,\"POINT (116.72 39.86)\"\n");
  auto set = read(csv, options("", "", "", "EPSG:999999"));
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(set.status().message().find("EPSG:999999"), std::string::npos) << set.status().message();
}

TEST_F(VectorReaderTest, NullAndEmptyGeometriesAreSkippedWithWarnings) {
  const std::string file = writeText(
      "mixed.geojson",
      lonLatCollection(R"(
        {"type": "Feature", "properties": {"n": 0}, "geometry": null},
        {"type": "Feature", "properties": {"n": 1}, "geometry": {"type": "Point", "coordinates": [116.72, 39.86]}},
        {"type": "Feature", "properties": {"n": 2}, "geometry": {"type": "LineString", "coordinates": []}},
        {"type": "Feature", "properties": {"n": 3}, "geometry": {"type": "Polygon", "coordinates": [[[116.7, 39.8], [116.71, 39.81], [116.7, 39.8]]]}},
        {"type": "Feature", "properties": {"n": 4}, "geometry": {"type": "LineString", "coordinates": [[116.7, 39.8], [116.7, 39.8]]}},
        {"type": "Feature", "properties": {"n": 5}, "geometry": {"type": "LineString", "coordinates": [[116.7, 39.8], [116.8, 39.9]]}}
      )"));
  auto set = read(file, options("", "m", "", ""));
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  ASSERT_EQ(set->features.size(), 2u);
  EXPECT_EQ(set->features[0].id, "m/1");
  EXPECT_EQ(set->features[1].id, "m/5");
  EXPECT_EQ(set->skippedFeatures, 4u);
  ASSERT_EQ(set->warnings.size(), 4u);
  // Each warning names its feature.
  EXPECT_NE(set->warnings[0].find("m/0"), std::string::npos) << set->warnings[0];
  EXPECT_NE(set->warnings[1].find("m/2"), std::string::npos) << set->warnings[1];
  EXPECT_NE(set->warnings[2].find("m/3"), std::string::npos) << set->warnings[2];
  EXPECT_NE(set->warnings[3].find("m/4"), std::string::npos) << set->warnings[3];
}

TEST_F(VectorReaderTest, AllFeaturesInvalidIsAnError) {
  const std::string file = writeText(
      "invalid.geojson",
      lonLatCollection(R"(
        {"type": "Feature", "properties": {}, "geometry": null},
        {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [[[116.7, 39.8], [116.71, 39.81], [116.7, 39.8]]]}}
      )"));
  auto set = read(file);
  ASSERT_FALSE(set.isOk());
  EXPECT_EQ(set.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(set.status().message().find(file), std::string::npos) << set.status().message();
  EXPECT_NE(set.status().message().find("2 skipped"), std::string::npos) << set.status().message();

  const std::string empty = writeText("empty.geojson", lonLatCollection(""));
  auto none = read(empty);
  ASSERT_FALSE(none.isOk());
  EXPECT_NE(none.status().message().find(empty), std::string::npos) << none.status().message();
}

TEST_F(VectorReaderTest, NonFiniteCoordinatesAreSkippedNotFatal) {
  // GeoJSON cannot hold NaN/Inf; a GeoPackage can.
  const std::string gpkg = path("nonfinite.gpkg");
  {
    // The GPKG driver complains that it cannot store an infinite extent in gpkg_contents: expected, keep it quiet.
    CPLPushErrorHandler(CPLQuietErrorHandler);
    struct PopHandler {
      ~PopHandler() { CPLPopErrorHandler(); }
    } pop;
    GDALAllRegister();
    GDALDriver* drv = GetGDALDriverManager()->GetDriverByName("GPKG");
    ASSERT_NE(drv, nullptr);
    std::unique_ptr<GDALDataset> ds(drv->Create(gpkg.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    ASSERT_NE(ds, nullptr);
    OGRSpatialReference cgcs2000;
    ASSERT_EQ(cgcs2000.importFromEPSG(4490), OGRERR_NONE);
    cgcs2000.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRLayer* layer = ds->CreateLayer("bad", &cgcs2000, wkbUnknown, nullptr);
    ASSERT_NE(layer, nullptr);
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    auto add = [&](OGRGeometry* g) {
      OGRFeature f(layer->GetLayerDefn());
      f.SetGeometryDirectly(g);
      ASSERT_EQ(layer->CreateFeature(&f), OGRERR_NONE);
    };
    add(new OGRPoint(116.72, 39.86));                      // fid 1: fine
    auto* line = new OGRLineString;
    line->addPoint(116.70, 39.85);
    line->addPoint(nan, 39.86);
    line->addPoint(116.74, 39.87);
    add(line);                                              // fid 2
    add(new OGRPoint(inf, 39.86));                          // fid 3
    auto* ring = new OGRLinearRing;
    ring->addPoint(116.70, 39.85);
    ring->addPoint(116.71, -inf);
    ring->addPoint(116.72, 39.86);
    ring->addPoint(116.70, 39.85);
    auto* polygon = new OGRPolygon;
    polygon->addRingDirectly(ring);
    add(polygon);                                           // fid 4
    add(new OGRPoint(nan, nan));                            // fid 5: NaN point = empty point in WKB
  }
  auto set = read(gpkg, options("", "g", "", ""));
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  ASSERT_EQ(set->features.size(), 1u);
  EXPECT_EQ(set->features[0].id, "g/1");
  EXPECT_EQ(set->skippedFeatures, 4u);
  ASSERT_EQ(set->warnings.size(), 4u);
  // The line, the infinite point and the polygon are rejected for their coordinates; the NaN point reads as empty.
  const auto nonFinite = std::count_if(set->warnings.begin(), set->warnings.end(), [](const std::string& w) {
    return w.find("non-finite") != std::string::npos;
  });
  EXPECT_EQ(nonFinite, 3) << ::testing::PrintToString(set->warnings);
  for (const Feature& f : set->features) {
    for (const Vec3d& p : f.geometry.points) EXPECT_TRUE(std::isfinite(p.x) && std::isfinite(p.y));
  }
  EXPECT_TRUE(std::isfinite(set->bounds.min.x) && std::isfinite(set->bounds.max.y));
}

// --- geometry flattening ------------------------------------------------------------------------------------

TEST_F(VectorReaderTest, MultiPolygonWithHolesFlattensIntoPolygonRings) {
  // Two squares 0.02 degrees wide; the first has a 0.01-degree hole.
  const std::string file = writeText("multi.geojson", lonLatCollection(R"(
    {"type": "Feature", "properties": {"kind": "park"}, "geometry": {"type": "MultiPolygon", "coordinates": [
      [[[116.70, 39.85], [116.72, 39.85], [116.72, 39.87], [116.70, 39.87], [116.70, 39.85]],
       [[116.705, 39.855], [116.705, 39.865], [116.715, 39.865], [116.715, 39.855], [116.705, 39.855]]],
      [[[116.74, 39.85], [116.76, 39.85], [116.76, 39.87], [116.74, 39.87], [116.74, 39.85]]]
    ]}})"));
  auto set = read(file);
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  ASSERT_EQ(set->features.size(), 1u);
  const auto& polygons = set->features[0].geometry.polygons;
  ASSERT_EQ(polygons.size(), 2u);
  ASSERT_EQ(polygons[0].rings.size(), 2u);
  ASSERT_EQ(polygons[1].rings.size(), 1u);
  for (const auto& polygon : polygons) {
    for (const auto& ring : polygon.rings) EXPECT_EQ(ring.size(), 4u);  // open rings: closing vertex dropped
  }
  auto local = [&](double lon, double lat) {
    auto p = frame().lonLatToLocal(lon, lat);
    EXPECT_TRUE(p.isOk());
    return *p;
  };
  EXPECT_LT(distance2d(polygons[0].rings[0][1], local(116.72, 39.85)), 1e-6);
  EXPECT_LT(distance2d(polygons[0].rings[1][2], local(116.715, 39.865)), 1e-6);
  EXPECT_LT(distance2d(polygons[1].rings[0][0], local(116.74, 39.85)), 1e-6);
  // Hole cut out: the first part is 3/4 of the second (same size squares, a quarter-size hole).
  const double a0 = polygonArea(polygons[0]);
  const double a1 = polygonArea(polygons[1]);
  EXPECT_NEAR(a0 / a1, 0.75, 0.002);
  EXPECT_NEAR(a1, 1707.0 * 2222.0, 0.02 * 1707.0 * 2222.0);  // ~0.02° lon x 0.02° lat at 39.86°N
  EXPECT_NEAR(featureSetArea(*set), a0 + a1, 1e-6);
}

TEST_F(VectorReaderTest, GeometryCollectionsAndThreeDPointsAreFlattened) {
  const std::string file = writeText("collection.geojson", lonLatCollection(R"(
    {"type": "Feature", "properties": {"flag": true, "ratio": 0.5}, "geometry": {"type": "GeometryCollection", "geometries": [
      {"type": "Point", "coordinates": [116.72, 39.86, 42.0]},
      {"type": "LineString", "coordinates": [[116.70, 39.85], [116.70, 39.85], [116.71, 39.86]]},
      {"type": "Polygon", "coordinates": [[[116.70, 39.85], [116.72, 39.85], [116.72, 39.87], [116.70, 39.85]]]}
    ]}})"));
  auto set = read(file);
  ASSERT_TRUE(set.isOk()) << set.status().toString();
  const FeatureGeometry& g = set->features.at(0).geometry;
  ASSERT_EQ(g.points.size(), 1u);
  EXPECT_NEAR(g.points[0].z, 42.0, 1e-9);
  ASSERT_EQ(g.lines.size(), 1u);
  EXPECT_EQ(g.lines[0].size(), 2u);  // repeated vertex removed
  ASSERT_EQ(g.polygons.size(), 1u);
  EXPECT_EQ(g.polygons[0].rings.at(0).size(), 3u);
  const PropertyMap& props = set->features[0].properties;
  EXPECT_EQ(std::get<bool>(props.at("flag")), true);
  EXPECT_DOUBLE_EQ(std::get<double>(props.at("ratio")), 0.5);
}

// --- large GeoPackages: the two-thread read -------------------------------------------------------------------

// A GeoPackage of `count` 10 m squares in `epsg` (a 200-column grid near the scene origin), each with an int
// property "n" and a string id "code"; every 5000th feature has no geometry (a warning, in both halves of a split).
void writeSquaresGeoPackage(const std::string& file, int count, int epsg) {
  GDALAllRegister();
  GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
  ASSERT_NE(driver, nullptr);
  std::unique_ptr<GDALDataset> ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  ASSERT_NE(ds, nullptr);
  OGRSpatialReference srs;
  ASSERT_EQ(srs.importFromEPSG(epsg), OGRERR_NONE);
  srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  OGRLayer* layer = ds->CreateLayer("squares", &srs, wkbPolygon, nullptr);
  ASSERT_NE(layer, nullptr);
  OGRFieldDefn n("n", OFTInteger);
  OGRFieldDefn code("code", OFTString);
  ASSERT_EQ(layer->CreateField(&n), OGRERR_NONE);
  ASSERT_EQ(layer->CreateField(&code), OGRERR_NONE);
  // Near the demo origin (116.72 E, 39.86 N): in EPSG:4548 metres, or in degrees for a geographic CRS.
  const bool degrees = srs.IsGeographic() != FALSE;
  const double x0 = degrees ? 116.70 : 562000.0;
  const double y0 = degrees ? 39.84 : 4412000.0;
  const double step = degrees ? 0.0002 : 20.0;
  const double size = degrees ? 0.0001 : 10.0;
  ASSERT_EQ(ds->StartTransaction(), OGRERR_NONE);
  for (int i = 0; i < count; ++i) {
    OGRFeature feature(layer->GetLayerDefn());
    feature.SetField("n", i * 7);
    feature.SetField("code", ("sq-" + std::to_string(i)).c_str());
    if (i % 5000 != 4999) {
      const double x = x0 + (i % 200) * step;
      const double y = y0 + (i / 200) * step;
      OGRLinearRing ring;
      ring.addPoint(x, y);
      ring.addPoint(x + size, y);
      ring.addPoint(x + size, y + size);
      ring.addPoint(x, y + size);
      ring.closeRings();
      OGRPolygon polygon;
      polygon.addRing(&ring);
      feature.SetGeometry(&polygon);
    }
    ASSERT_EQ(layer->CreateFeature(&feature), OGRERR_NONE);
  }
  ASSERT_EQ(ds->CommitTransaction(), OGRERR_NONE);
}

void expectSameFeatureSet(const FeatureSet& a, const FeatureSet& b) {
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.sourceCrs, b.sourceCrs);
  EXPECT_EQ(a.skippedFeatures, b.skippedFeatures);
  EXPECT_EQ(a.warnings, b.warnings);
  EXPECT_EQ(a.bounds.min, b.bounds.min);
  EXPECT_EQ(a.bounds.max, b.bounds.max);
  ASSERT_EQ(a.features.size(), b.features.size());
  for (std::size_t i = 0; i < a.features.size(); ++i) {
    const Feature& fa = a.features[i];
    const Feature& fb = b.features[i];
    ASSERT_EQ(fa.id, fb.id) << "feature " << i;
    ASSERT_TRUE(std::equal(fa.properties.begin(), fa.properties.end(), fb.properties.begin(), fb.properties.end()))
        << "feature " << fa.id;
    ASSERT_EQ(fa.geometry.points, fb.geometry.points) << "feature " << fa.id;
    ASSERT_EQ(fa.geometry.lines, fb.geometry.lines) << "feature " << fa.id;
    ASSERT_EQ(fa.geometry.polygons.size(), fb.geometry.polygons.size()) << "feature " << fa.id;
    for (std::size_t p = 0; p < fa.geometry.polygons.size(); ++p) {
      ASSERT_EQ(fa.geometry.polygons[p].rings, fb.geometry.polygons[p].rings) << "feature " << fa.id;
    }
  }
}

class LargeGeoPackageTest : public VectorReaderTest, public ::testing::WithParamInterface<int> {};

// Above the split threshold: the automatic (two-thread) read equals the serial one, feature for feature, in order.
TEST_P(LargeGeoPackageTest, TwoThreadReadEqualsTheSerialRead) {
  constexpr int kCount = 25000;
  const std::string gpkg = path("squares.gpkg");
  ASSERT_NO_FATAL_FAILURE(writeSquaresGeoPackage(gpkg, kCount, GetParam()));
  VectorReadOptions serialOptions = options("", "sq", "", "");
  serialOptions.readThreads = 1;
  auto serial = read(gpkg, serialOptions);
  ASSERT_TRUE(serial.isOk()) << serial.status().toString();
  ASSERT_EQ(serial->features.size(), static_cast<std::size_t>(kCount - kCount / 5000));
  ASSERT_EQ(serial->skippedFeatures, static_cast<std::size_t>(kCount / 5000));
  EXPECT_EQ(serial->features.front().id, "sq/1");
  EXPECT_EQ(serial->features.back().id, "sq/" + std::to_string(kCount - 1));  // the last one has no geometry

  std::size_t lastProgress = 0;
  std::size_t progressTotal = 0;
  const auto callingThread = std::this_thread::get_id();
  bool otherThread = false;
  VectorReadOptions splitOptions = options("", "sq", "", "");  // readThreads 0: automatic
  splitOptions.progress = [&](std::size_t seen, std::size_t total) {
    otherThread = otherThread || std::this_thread::get_id() != callingThread;
    lastProgress = std::max(lastProgress, seen);
    progressTotal = total;
    return true;
  };
  auto split = read(gpkg, splitOptions);
  ASSERT_TRUE(split.isOk()) << split.status().toString();
  expectSameFeatureSet(*serial, *split);
  EXPECT_FALSE(otherThread) << "progress must be called on the calling thread only";
  EXPECT_EQ(progressTotal, static_cast<std::size_t>(kCount));
  EXPECT_GT(lastProgress, static_cast<std::size_t>(kCount / 2)) << "progress counts both threads' features";

  // With an id attribute, too (the halves' ids come from their own datasets' fields).
  VectorReadOptions byCode = options("", "", "code", "");
  auto split2 = read(gpkg, byCode);
  byCode.readThreads = 1;
  auto serial2 = read(gpkg, byCode);
  ASSERT_TRUE(split2.isOk() && serial2.isOk());
  expectSameFeatureSet(*serial2, *split2);
}

// The scene CRS (an offset per point) and lon/lat (PROJ, one transform per thread).
INSTANTIATE_TEST_SUITE_P(Crs, LargeGeoPackageTest, ::testing::Values(4548, 4490));

TEST_F(VectorReaderTest, TwoThreadReadCanBeCancelled) {
  const std::string gpkg = path("squares.gpkg");
  ASSERT_NO_FATAL_FAILURE(writeSquaresGeoPackage(gpkg, 25000, 4548));
  for (const std::size_t cancelAt : {std::size_t{512}, std::size_t{20000}}) {
    int calls = 0;
    VectorReadOptions o = options("", "sq", "", "");
    o.readThreads = 2;
    o.progress = [&](std::size_t seen, std::size_t) {
      ++calls;
      return seen < cancelAt;
    };
    auto set = read(gpkg, o);
    ASSERT_FALSE(set.isOk()) << "cancel at " << cancelAt;
    EXPECT_EQ(set.status().code(), ErrorCode::Cancelled);
    EXPECT_NE(set.status().message().find(gpkg), std::string::npos) << set.status().toString();
    EXPECT_GT(calls, 0);
  }
}

}  // namespace
}  // namespace gt::connectors
