// Tests of the generated Tongzhou demo city (assets/demo/generated/, built by greentwin-make-demo at build
// time) against the rules in docs/demo-data.md, and of the tool itself (determinism, error reporting).
// Geometry checks use GDAL/GEOS on the real inputs reprojected here, independently of the generator's code;
// only the planning constants (core area, river buffer, storey height) are shared through places.hpp.

#include <cpl_conv.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/core/geo_frame.hpp"
#include "places.hpp"

namespace {

namespace fs = std::filesystem;

const std::string kGenerated = GT_TEST_SOURCE_DIR "/assets/demo/generated";
const std::string kCityGpkg = kGenerated + "/tongzhou_city.gpkg";
const std::string kDemTif = kGenerated + "/tongzhou_dem.tif";
const std::string kDistrict = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_district.geojson";
const std::string kRivers = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_rivers_wdb2.geojson";

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;
using GeomPtr = std::unique_ptr<OGRGeometry, decltype(&OGRGeometryFactory::destroyGeometry)>;
GeomPtr wrap(OGRGeometry* g) { return {g, &OGRGeometryFactory::destroyGeometry}; }

DatasetPtr openVector(const std::string& path) {
  GDALAllRegister();
  return DatasetPtr(static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
}

// A geometry of the first feature / all features of a lon/lat file, reprojected to EPSG:4548 (x east).
GeomPtr readProjected(const std::string& path, bool unionAll) {
  DatasetPtr ds = openVector(path);
  EXPECT_TRUE(ds) << path;
  OGRSpatialReference wgs, cgcs;
  wgs.importFromEPSG(4326);
  wgs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  cgcs.importFromEPSG(4548);
  cgcs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs, &cgcs));
  auto* all = new OGRGeometryCollection();
  for (auto& f : *ds->GetLayer(0)) {
    OGRGeometry* g = f->GetGeometryRef()->clone();
    g->transform(ct.get());
    all->addGeometryDirectly(g);
    if (!unionAll) break;
  }
  GeomPtr coll = wrap(all);
  return wrap(unionAll ? coll->clone() : all->getGeometryRef(0)->clone());
}

struct BuildingRow {
  GIntBig fid = 0;
  std::string id, use, nameZh;
  double height = 0.0;
  int floors = 0, year = 0, star = 0;
  std::string rating;
  double pv = 0.0, energy = 0.0;
  GeomPtr geom{nullptr, &OGRGeometryFactory::destroyGeometry};
  OGREnvelope env;
};

// The generated city, read once per test process.
class GeneratedCity : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    ds_ = openVector(kCityGpkg).release();
    ASSERT_NE(ds_, nullptr) << "missing " << kCityGpkg << " (built by the greentwin_demo_data target)";
    OGRLayer* layer = ds_->GetLayerByName("buildings");
    ASSERT_NE(layer, nullptr);
    buildings_ = new std::vector<BuildingRow>();
    for (auto& f : *layer) {
      BuildingRow b;
      b.fid = f->GetFID();
      b.id = f->GetFieldAsString("id");
      b.use = f->GetFieldAsString("use");
      b.nameZh = f->GetFieldAsString("name_zh");
      b.height = f->GetFieldAsDouble("height_m");
      b.floors = f->GetFieldAsInteger("floors");
      b.year = f->GetFieldAsInteger("year_built");
      b.star = f->GetFieldAsInteger("green_star");
      b.rating = f->GetFieldAsString("green_rating");
      b.pv = f->GetFieldAsDouble("roof_pv_kw");
      b.energy = f->GetFieldAsDouble("energy_kwh_m2_yr");
      b.geom = wrap(f->StealGeometry());
      b.geom->getEnvelope(&b.env);
      buildings_->push_back(std::move(b));
    }
  }
  static void TearDownTestSuite() {
    delete buildings_;
    buildings_ = nullptr;
    GDALClose(ds_);
    ds_ = nullptr;
  }
  void SetUp() override { ASSERT_NE(ds_, nullptr); }

  static GDALDataset* ds_;
  static std::vector<BuildingRow>* buildings_;
};
GDALDataset* GeneratedCity::ds_ = nullptr;
std::vector<BuildingRow>* GeneratedCity::buildings_ = nullptr;

gtgen::P2 toProjected(const gt::GeoFrame& frame, gtgen::P2 local) {
  const gt::Vec3d p = frame.localToProjected({local.x, local.y, 0.0});
  return {p.x, p.y};
}

// The 155 km² core octagon, in EPSG:4548.
GeomPtr corePolygon() {
  auto frame = gt::GeoFrame::create(gtgen::kFrameLon, gtgen::kFrameLat, gtgen::kSceneCrs);
  EXPECT_TRUE(frame.isOk());
  auto centre = frame->lonLatToLocal(gtgen::kCoreCentreLon, gtgen::kCoreCentreLat);
  EXPECT_TRUE(centre.isOk());
  auto* ring = new OGRLinearRing();
  const gtgen::Ring local = gtgen::coreAreaRing({centre->x, centre->y});
  for (gtgen::P2 p : local) {
    const gtgen::P2 q = toProjected(*frame, p);
    ring->addPoint(q.x, q.y);
  }
  ring->closeRings();
  auto* poly = new OGRPolygon();
  poly->addRingDirectly(ring);
  return wrap(poly);
}

double areaOf(const OGRGeometry* g) { return OGR_G_Area(OGRGeometry::ToHandle(const_cast<OGRGeometry*>(g))); }

TEST_F(GeneratedCity, EveryLayerExistsInTheSceneCrsWithItsCountRange) {
  const std::map<std::string, std::pair<GIntBig, GIntBig>> expected{
      {"buildings", {50000, 200000}}, {"roads", {1000, 50000}},     {"green_spaces", {50, 2000}},
      {"bus_stops", {1200, 1800}},    {"ev_chargers", {300, 500}}, {"substations", {30, 100}},
      {"aq_stations", {10, 14}},      {"traffic_links", {50, 2000}}};
  for (const auto& [name, range] : expected) {
    OGRLayer* layer = ds_->GetLayerByName(name.c_str());
    ASSERT_NE(layer, nullptr) << name;
    const GIntBig n = layer->GetFeatureCount();
    EXPECT_GE(n, range.first) << name;
    EXPECT_LE(n, range.second) << name;
    ASSERT_NE(layer->GetSpatialRef(), nullptr) << name;
    EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "4548") << name;
    EXPECT_GE(layer->GetLayerDefn()->GetFieldIndex("id"), 0) << name;
  }
}

TEST_F(GeneratedCity, EveryLayerIsLabelledSynthetic) {
  std::set<std::string> described;
  OGRLayer* contents = ds_->ExecuteSQL("SELECT table_name, description FROM gpkg_contents", nullptr, nullptr);
  ASSERT_NE(contents, nullptr);
  for (auto& f : *contents) {
    const std::string description = f->GetFieldAsString(1);
    EXPECT_EQ(description.rfind("SYNTHETIC: generated by greentwin-make-demo", 0), 0u) << f->GetFieldAsString(0);
    described.insert(f->GetFieldAsString(0));
  }
  ds_->ReleaseResultSet(contents);
  for (int i = 0; i < ds_->GetLayerCount(); ++i) {
    OGRLayer* layer = ds_->GetLayer(i);
    const char* synthetic = layer->GetMetadataItem("SYNTHETIC");
    ASSERT_NE(synthetic, nullptr) << layer->GetName();
    EXPECT_STREQ(synthetic, "YES") << layer->GetName();
    EXPECT_TRUE(described.count(layer->GetName())) << layer->GetName();
  }
  EXPECT_EQ(ds_->GetLayerCount(), 8);
}

TEST_F(GeneratedCity, FeaturesHaveStableFidsAndIds) {
  ASSERT_FALSE(buildings_->empty());
  for (std::size_t i = 0; i < buildings_->size(); ++i) {
    const BuildingRow& b = (*buildings_)[i];
    char expected[32];
    std::snprintf(expected, sizeof expected, "building/%06lld", static_cast<long long>(b.fid));
    ASSERT_EQ(b.id, expected);
    ASSERT_EQ(b.fid, static_cast<GIntBig>(i + 1));
  }
  OGRLayer* aq = ds_->GetLayerByName("aq_stations");
  int n = 0;
  for (auto& f : *aq) {
    char expected[16];
    std::snprintf(expected, sizeof expected, "aq-%02d", ++n);
    EXPECT_STREQ(f->GetFieldAsString("id"), expected);
    EXPECT_STRNE(f->GetFieldAsString("name_zh"), "");
    EXPECT_STRNE(f->GetFieldAsString("name_en"), "");
  }
}

TEST_F(GeneratedCity, BuildingsLieInsideTheDistrictAndAwayFromRivers) {
  GeomPtr district = readProjected(kDistrict, false);
  GeomPtr rivers = readProjected(kRivers, true);
  GeomPtr riverZone = wrap(rivers->Buffer(50.0, 8));
  OGRPreparedGeometryUniquePtr inDistrict(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(district.get())));
  OGRPreparedGeometryUniquePtr nearRiver(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(riverZone.get())));
  int outside = 0, onRiver = 0;
  for (const BuildingRow& b : *buildings_) {
    if (!OGRPreparedGeometryContains(inDistrict.get(), OGRGeometry::ToHandle(b.geom.get()))) ++outside;
    if (OGRPreparedGeometryIntersects(nearRiver.get(), OGRGeometry::ToHandle(b.geom.get()))) ++onRiver;
  }
  EXPECT_EQ(outside, 0);
  EXPECT_EQ(onRiver, 0) << "buildings within 50 m of a river line";
}

TEST_F(GeneratedCity, NoBuildingStandsInAGreenSpace) {
  OGRLayer* greens = ds_->GetLayerByName("green_spaces");
  auto* all = new OGRMultiPolygon();
  for (auto& f : *greens) {
    const OGRGeometry* g = f->GetGeometryRef();
    for (const auto* part : *g->toMultiPolygon()) all->addGeometry(part);
  }
  GeomPtr green = wrap(all);
  OGRPreparedGeometryUniquePtr prepared(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(green.get())));
  int inside = 0;
  for (const BuildingRow& b : *buildings_)
    if (OGRPreparedGeometryIntersects(prepared.get(), OGRGeometry::ToHandle(b.geom.get()))) ++inside;
  EXPECT_EQ(inside, 0);
}

TEST_F(GeneratedCity, BuildingFootprintsDoNotOverlap) {
  constexpr double kCell = 200.0;
  std::unordered_map<long long, std::vector<std::size_t>> grid;
  auto key = [](long long i, long long j) { return i * 1000003LL + j; };
  const auto& all = *buildings_;
  for (std::size_t k = 0; k < all.size(); ++k) {
    const OGREnvelope& e = all[k].env;
    for (auto i = static_cast<long long>(std::floor(e.MinX / kCell)); i <= static_cast<long long>(std::floor(e.MaxX / kCell)); ++i)
      for (auto j = static_cast<long long>(std::floor(e.MinY / kCell)); j <= static_cast<long long>(std::floor(e.MaxY / kCell)); ++j)
        grid[key(i, j)].push_back(k);
  }
  std::mt19937 rng(12345);
  int overlaps = 0, compared = 0;
  for (int s = 0; s < 2000; ++s) {
    const std::size_t k = rng() % all.size();
    const OGREnvelope& e = all[k].env;
    std::set<std::size_t> near;
    for (auto i = static_cast<long long>(std::floor(e.MinX / kCell)); i <= static_cast<long long>(std::floor(e.MaxX / kCell)); ++i)
      for (auto j = static_cast<long long>(std::floor(e.MinY / kCell)); j <= static_cast<long long>(std::floor(e.MaxY / kCell)); ++j)
        for (std::size_t o : grid[key(i, j)]) near.insert(o);
    for (std::size_t o : near) {
      if (o == k || !all[o].env.Intersects(e)) continue;
      ++compared;
      GeomPtr cut = wrap(all[k].geom->Intersection(all[o].geom.get()));
      if (cut && areaOf(cut.get()) > 0.01) ++overlaps;
    }
  }
  EXPECT_EQ(overlaps, 0) << "of " << compared << " neighbouring pairs";
}

TEST_F(GeneratedCity, CoreIsMuchDenserThanTheRestOfTheDistrict) {
  GeomPtr core = corePolygon();
  EXPECT_NEAR(areaOf(core.get()) / 1e6, 155.0, 1.0);
  GeomPtr district = readProjected(kDistrict, false);
  const double coreArea = areaOf(GeomPtr(wrap(core->Intersection(district.get()))).get());
  const double outerArea = areaOf(district.get()) - coreArea;
  OGRPreparedGeometryUniquePtr inCore(OGRCreatePreparedGeometry(OGRGeometry::ToHandle(core.get())));
  int coreCount = 0;
  for (const BuildingRow& b : *buildings_) {
    OGRPoint centre((b.env.MinX + b.env.MaxX) / 2, (b.env.MinY + b.env.MaxY) / 2);
    if (OGRPreparedGeometryContains(inCore.get(), OGRGeometry::ToHandle(&centre))) ++coreCount;
  }
  const double coreDensity = coreCount / (coreArea / 1e6);
  const double outerDensity = static_cast<double>(buildings_->size() - static_cast<std::size_t>(coreCount)) / (outerArea / 1e6);
  EXPECT_GT(coreDensity / outerDensity, 3.0) << coreDensity << " vs " << outerDensity << " buildings/km²";
}

TEST_F(GeneratedCity, HeightsFloorsAndAttributesAreConsistent) {
  const std::set<std::string> uses{"residential", "office", "commercial", "public", "industrial", "school", "hospital", "village"};
  double tallest = 0.0;
  int admin = 0;
  for (const BuildingRow& b : *buildings_) {
    ASSERT_TRUE(uses.count(b.use)) << b.id << " " << b.use;
    ASSERT_GE(b.floors, 1) << b.id;
    ASSERT_LE(b.floors, 50) << b.id;
    ASSERT_GE(b.height, b.floors * gtgen::kStoreyHeight + 0.25) << b.id;
    ASSERT_LE(b.height, b.floors * gtgen::kStoreyHeight + 3.55) << b.id;
    ASSERT_LE(b.height, 160.0) << b.id;
    ASSERT_GE(b.star, 0) << b.id;
    ASSERT_LE(b.star, 3) << b.id;
    ASSERT_GE(b.year, 1950) << b.id;
    ASSERT_LE(b.year, 2025) << b.id;
    ASSERT_GE(b.pv, 0.0) << b.id;
    ASSERT_GT(b.energy, 0.0) << b.id;
    if (b.year >= 2017 && (b.use == "public" || b.use == "school" || b.use == "hospital")) {
      ASSERT_EQ(b.star, 3) << b.id << ": new public buildings are 3-star (programme)";
    }
    if (b.use == "village") {
      ASSERT_LE(b.floors, 3) << b.id;
    }
    // The GB/T 50378-2019 label and the stars agree: a star label is its stars, basic and none are 0 stars, and
    // only buildings of the programme period (2021 on) are labelled basic.
    ASSERT_TRUE(b.rating == "none" || b.rating == "basic" || b.rating == "1-star" || b.rating == "2-star" ||
                b.rating == "3-star")
        << b.id << " " << b.rating;
    ASSERT_EQ(b.star, b.rating == "none" || b.rating == "basic" ? 0 : b.rating[0] - '0') << b.id;
    if (b.rating == "basic") {
      ASSERT_GE(b.year, 2021) << b.id;
    }
    tallest = std::max(tallest, b.height);
    if (b.nameZh.rfind("行政办公区", 0) == 0) ++admin;
  }
  EXPECT_GT(tallest, 120.0) << "the canal business district has towers up to ~150 m";
  EXPECT_GT(admin, 10) << "named administrative office area buildings";
}

// Indicator #9's input: of the floor area completed since 2021 most is star-rated, not all (basic level, none).
TEST_F(GeneratedCity, NewBuildingsAreMostlyStarRated) {
  double all = 0, rated = 0;
  int basic = 0, none = 0;
  for (const BuildingRow& b : *buildings_) {
    if (b.year < 2021) continue;
    const double floorM2 = areaOf(b.geom.get()) * b.floors;
    all += floorM2;
    rated += b.star >= 1 ? floorM2 : 0.0;
    basic += b.rating == "basic" ? 1 : 0;
    none += b.rating == "none" ? 1 : 0;
  }
  ASSERT_GT(all, 0.0);
  EXPECT_GT(rated / all, 0.7);
  EXPECT_LT(rated / all, 0.95);
  EXPECT_GT(basic, 100);
  EXPECT_GT(none, 30);
}

TEST_F(GeneratedCity, GreenHeartParkExistsWithItsArea) {
  OGRLayer* greens = ds_->GetLayerByName("green_spaces");
  auto frame = gt::GeoFrame::create(gtgen::kFrameLon, gtgen::kFrameLat, gtgen::kSceneCrs);
  ASSERT_TRUE(frame.isOk());
  auto centre = frame->lonLatToLocal(116.706, 39.873);
  ASSERT_TRUE(centre.isOk());
  const gt::Vec3d expected = frame->localToProjected(*centre);
  int found = 0;
  for (auto& f : *greens) {
    if (std::string(f->GetFieldAsString("name_zh")) != "城市绿心森林公园") continue;
    ++found;
    EXPECT_STREQ(f->GetFieldAsString("name_en"), "City Green-Heart Forest Park");
    const double km2 = areaOf(f->GetGeometryRef()) / 1e6;
    EXPECT_GE(km2, 9.0);
    EXPECT_LE(km2, 13.0);
    OGRPoint c;
    ASSERT_EQ(f->GetGeometryRef()->Centroid(&c), OGRERR_NONE);
    EXPECT_LT(std::hypot(c.getX() - expected.x, c.getY() - expected.y), 1500.0);
  }
  EXPECT_EQ(found, 1);
}

TEST_F(GeneratedCity, GreenCoverageIsPlausible) {
  OGRLayer* greens = ds_->GetLayerByName("green_spaces");
  auto* all = new OGRMultiPolygon();
  std::set<std::string> kinds;
  for (auto& f : *greens) {
    kinds.insert(f->GetFieldAsString("kind"));
    for (const auto* part : *f->GetGeometryRef()->toMultiPolygon()) all->addGeometry(part);
  }
  GeomPtr merged = wrap(wrap(all)->UnionCascaded());
  ASSERT_TRUE(merged);
  GeomPtr district = readProjected(kDistrict, false);
  GeomPtr inside = wrap(merged->Intersection(district.get()));
  const double share = areaOf(inside.get()) / areaOf(district.get());
  EXPECT_GE(share, 0.25);
  EXPECT_LE(share, 0.35);
  for (const char* kind : {"park", "forest", "wetland", "green_belt"}) EXPECT_TRUE(kinds.count(kind)) << kind;
}

TEST_F(GeneratedCity, SubstationsFollowTheProgramme) {
  std::map<int, int> perVoltage;
  std::map<std::string, int> voltageOf;
  std::map<std::string, std::string> fedFrom;
  for (auto& f : *ds_->GetLayerByName("substations")) {
    ++perVoltage[f->GetFieldAsInteger("voltage_kv")];
    EXPECT_GT(f->GetFieldAsDouble("capacity_mva"), 0.0);
    // The transformers (for the N-1 check, docs/energy.md), planned from the served load: 2-3 x 31.5/50/63 MVA at
    // 110 kV, 2-4 x 180/240 at 220, 2-4 x 750/1000/1200 at 500 (docs/demo-data.md).
    const int n = f->GetFieldAsInteger("transformers");
    const int kv = f->GetFieldAsInteger("voltage_kv");
    EXPECT_GE(n, 2);
    EXPECT_LE(n, kv == 110 ? 3 : 4);
    const double unit = f->GetFieldAsDouble("capacity_mva") / n;
    const std::set<double> units = kv == 500 ? std::set<double>{750, 1000, 1200}
                                   : kv == 220 ? std::set<double>{180, 240}
                                               : std::set<double>{31.5, 50, 63};
    EXPECT_TRUE(units.count(unit)) << kv << " kV, " << unit << " MVA";
    voltageOf[f->GetFieldAsString("id")] = kv;
    const int fedField = f->GetFieldIndex("fed_from");
    fedFrom[f->GetFieldAsString("id")] = f->IsFieldSetAndNotNull(fedField) ? f->GetFieldAsString(fedField) : "";
  }
  EXPECT_EQ(perVoltage[500], 2);
  EXPECT_EQ(perVoltage[220], 22);
  EXPECT_GE(perVoltage[110], 10);
  // The radial supply: 110 kV fed by 220 kV, 220 kV by 500 kV, 500 kV by none; every building served by a 110 or
  // 220 kV substation.
  for (const auto& [id, kv] : voltageOf) {
    const auto up = voltageOf.find(fedFrom[id]);
    if (kv == 500) {
      EXPECT_EQ(fedFrom[id], "") << id;
    } else {
      ASSERT_NE(up, voltageOf.end()) << id;
      EXPECT_EQ(up->second, kv == 110 ? 220 : 500) << id;
    }
  }
  std::map<std::string, int> served;
  for (auto& f : *ds_->GetLayerByName("buildings")) ++served[f->GetFieldAsString("substation")];
  for (const auto& [id, count] : served) {
    ASSERT_TRUE(voltageOf.count(id)) << "building served by '" << id << "'";
    EXPECT_NE(voltageOf[id], 500) << id;
  }
}

TEST(GeneratedDem, CoversTheDistrictWithPlausibleHeights) {
  GDALAllRegister();
  DatasetPtr ds(static_cast<GDALDataset*>(GDALOpenEx(kDemTif.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
  ASSERT_TRUE(ds) << kDemTif;
  ASSERT_NE(ds->GetSpatialRef(), nullptr);
  EXPECT_STREQ(ds->GetSpatialRef()->GetAuthorityCode(nullptr), "4548");
  ASSERT_NE(ds->GetMetadataItem("SYNTHETIC"), nullptr);
  EXPECT_STREQ(ds->GetMetadataItem("SYNTHETIC"), "YES");
  ASSERT_NE(ds->GetMetadataItem("TIFFTAG_IMAGEDESCRIPTION"), nullptr);
  EXPECT_NE(std::string(ds->GetMetadataItem("TIFFTAG_IMAGEDESCRIPTION")).find("SYNTHETIC"), std::string::npos);
  GDALRasterBand* band = ds->GetRasterBand(1);
  EXPECT_EQ(band->GetRasterDataType(), GDT_Float32);
  int hasNoData = 0;
  EXPECT_EQ(band->GetNoDataValue(&hasNoData), -9999.0);
  EXPECT_TRUE(hasNoData);

  double gt[6];
  ASSERT_EQ(ds->GetGeoTransform(gt), CE_None);
  EXPECT_NEAR(gt[1], 30.0, 1e-9);
  EXPECT_NEAR(gt[5], -30.0, 1e-9);
  OGREnvelope district;
  readProjected(kDistrict, false)->getEnvelope(&district);
  const double minX = gt[0], maxY = gt[3];
  const double maxX = minX + gt[1] * ds->GetRasterXSize(), minY = maxY + gt[5] * ds->GetRasterYSize();
  EXPECT_LE(minX, district.MinX - 900.0);
  EXPECT_GE(maxX, district.MaxX + 900.0);
  EXPECT_LE(minY, district.MinY - 900.0);
  EXPECT_GE(maxY, district.MaxY + 900.0);

  const int w = ds->GetRasterXSize(), h = ds->GetRasterYSize();
  std::vector<float> v(static_cast<std::size_t>(w) * static_cast<std::size_t>(h));
  ASSERT_EQ(band->RasterIO(GF_Read, 0, 0, w, h, v.data(), w, h, GDT_Float32, 0, 0), CE_None);
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  EXPECT_GE(*lo, 0.0F);
  EXPECT_LE(*hi, 40.0F);
  // Sloping down from the north-west to the south-east.
  auto meanOf = [&](int x0, int y0) {
    double s = 0.0;
    for (int y = y0; y < y0 + h / 4; ++y)
      for (int x = x0; x < x0 + w / 4; ++x) s += v[static_cast<std::size_t>(y) * static_cast<std::size_t>(w) + static_cast<std::size_t>(x)];
    return s / ((w / 4) * (h / 4));
  };
  EXPECT_GT(meanOf(0, 0), meanOf(w - w / 4, h - h / 4) + 5.0);
}

// --- the tool itself ---

std::string readText(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

int runTool(const std::string& args, const fs::path& log) {
  const std::string cmd = std::string("\"") + GT_MAKE_DEMO_EXE + "\" " + args + " > \"" + log.string() + "\" 2>&1";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Every feature of every layer as text: fid, fields and geometry (WKT with full precision).
std::string dumpGpkg(const fs::path& path) {
  DatasetPtr ds = openVector(path.string());
  EXPECT_TRUE(ds) << path;
  if (!ds) return {};
  std::ostringstream out;
  for (int i = 0; i < ds->GetLayerCount(); ++i) {
    OGRLayer* layer = ds->GetLayer(i);
    out << "layer " << layer->GetName() << " " << layer->GetFeatureCount() << "\n";
    for (auto& f : *layer) {
      out << f->GetFID();
      for (int k = 0; k < f->GetFieldCount(); ++k) out << "|" << f->GetFieldAsString(k);
      char* wkt = nullptr;
      f->GetGeometryRef()->exportToWkt(&wkt, wkbVariantIso);
      out << "|" << wkt << "\n";
      CPLFree(wkt);
    }
  }
  return out.str();
}

TEST(MakeDemoTool, SameOutputOnEveryRun) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "make_demo_determinism";
  fs::remove_all(dir);
  for (const char* run : {"a", "b"}) {
    fs::create_directories(dir / run);
    const std::string args = "--district \"" + kDistrict + "\" --rivers \"" + kRivers + "\" --out-gpkg \"" +
                             (dir / run / "city.gpkg").string() + "\" --out-dem \"" + (dir / run / "dem.tif").string() +
                             "\" --buildings 2000";
    ASSERT_EQ(runTool(args, dir / run / "log.txt"), 0) << readText(dir / run / "log.txt");
    EXPECT_NE(readText(dir / run / "log.txt").find("buildings: 2000/2000"), std::string::npos);
  }
  const std::string a = dumpGpkg(dir / "a" / "city.gpkg");
  const std::string b = dumpGpkg(dir / "b" / "city.gpkg");
  EXPECT_NE(a.find("layer buildings 2000\n"), std::string::npos);
  EXPECT_EQ(a.size(), b.size());
  EXPECT_TRUE(a == b) << "the two runs differ";
  EXPECT_TRUE(readText(dir / "a" / "dem.tif") == readText(dir / "b" / "dem.tif")) << "the DEMs differ";
}

TEST(MakeDemoTool, MissingInputIsAClearError) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "make_demo_errors";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string missing = (dir / "no_such_district.geojson").string();
  const std::string args = "--district \"" + missing + "\" --rivers \"" + kRivers + "\" --out-gpkg \"" +
                           (dir / "city.gpkg").string() + "\" --out-dem \"" + (dir / "dem.tif").string() + "\"";
  EXPECT_EQ(runTool(args, dir / "log.txt"), 1);
  const std::string log = readText(dir / "log.txt");
  EXPECT_NE(log.find(missing), std::string::npos) << log;
  EXPECT_NE(log.find("district"), std::string::npos) << log;
  EXPECT_FALSE(fs::exists(dir / "city.gpkg"));
}

}  // namespace
