// The demo's generated water network (assets/generator/water_network.cpp; docs/demo-data.md "Water"): the half-plane
// clip on hand-made input, and the generated tongzhou_water.gpkg — five DMAs tiling the core octagon without overlap,
// seven sections on the real river lines, everything labelled synthetic.
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <set>
#include <string>

#include "places.hpp"
#include "water_network.hpp"

namespace {

const std::string kWaterGpkg = GT_TEST_SOURCE_DIR "/assets/demo/generated/tongzhou_water.gpkg";
const std::string kRivers = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_rivers_wdb2.geojson";
const std::string kDistrict = GT_TEST_SOURCE_DIR "/assets/demo/tongzhou_district.geojson";

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(ds); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;
using GeomPtr = std::unique_ptr<OGRGeometry, decltype(&OGRGeometryFactory::destroyGeometry)>;
GeomPtr wrap(OGRGeometry* g) { return {g, &OGRGeometryFactory::destroyGeometry}; }

DatasetPtr open(const std::string& path) {
  GDALAllRegister();
  return DatasetPtr(
      static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr)));
}

// Every geometry of a lon/lat file in EPSG:4548, as one collection.
GeomPtr projected(const std::string& path) {
  DatasetPtr ds = open(path);
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
  }
  return wrap(all);
}

TEST(WaterNetwork, ClipHalfPlaneKeepsThePartBelowTheLine) {
  // The unit square 0..2 cut by x <= 1: a 1 x 2 rectangle; cut by x + y <= 1: a triangle of area 0.5.
  const gtgen::Ring square{{0, 0}, {2, 0}, {2, 2}, {0, 2}};
  const gtgen::Ring half = gtgen::clipHalfPlane(square, {1, 0}, 1.0);
  EXPECT_DOUBLE_EQ(gtgen::signedArea(half), 2.0);
  const gtgen::Ring corner = gtgen::clipHalfPlane(square, {1, 1}, 1.0);
  EXPECT_DOUBLE_EQ(gtgen::signedArea(corner), 0.5);
  EXPECT_TRUE(gtgen::clipHalfPlane(square, {1, 0}, -1.0).empty());
  EXPECT_EQ(gtgen::clipHalfPlane(square, {1, 0}, 5.0), square);
}

class GeneratedWater : public ::testing::Test {
 protected:
  void SetUp() override {
    ds_ = open(kWaterGpkg);
    ASSERT_TRUE(ds_) << kWaterGpkg << " (built by greentwin_demo_data)";
  }
  DatasetPtr ds_;
};

TEST_F(GeneratedWater, FiveDmasTileTheCoreWithoutOverlap) {
  OGRLayer* layer = ds_->GetLayerByName("water_dmas");
  ASSERT_NE(layer, nullptr);
  ASSERT_EQ(layer->GetFeatureCount(), 5);
  EXPECT_STREQ(layer->GetSpatialRef()->GetAuthorityCode(nullptr), "4548");
  std::vector<GeomPtr> cells;
  double area = 0, population = 0;
  std::set<int> years;
  for (auto& f : *layer) {
    cells.push_back(wrap(f->GetGeometryRef()->clone()));
    area += OGR_G_Area(OGRGeometry::ToHandle(cells.back().get()));
    EXPECT_GT(f->GetFieldAsInteger("connections"), 1000) << f->GetFieldAsString("id");
    EXPECT_GT(f->GetFieldAsDouble("mains_km"), 50.0) << f->GetFieldAsString("id");
    EXPECT_NE(std::string(f->GetFieldAsString("name_en")).find("(synthetic)"), std::string::npos);
    population += f->GetFieldAsInteger("population");
    years.insert(f->GetFieldAsInteger("mains_year"));
  }
  // The core octagon's 154.96 km2 less the 2.59 km2 of it outside the district, shared out; about a million residents
  // (rounding per DMA).
  EXPECT_NEAR(area / 1e6, 152.37, 0.01);
  GeomPtr district = projected(kDistrict);
  GeomPtr margin = wrap(district->toGeometryCollection()->getGeometryRef(0)->Buffer(1.0));
  for (const GeomPtr& cell : cells) EXPECT_TRUE(margin->Contains(cell.get()));
  EXPECT_NEAR(population, 1.0e6, 3);
  for (std::size_t i = 0; i < cells.size(); ++i) {
    for (std::size_t j = i + 1; j < cells.size(); ++j) {
      GeomPtr overlap = wrap(cells[i]->Intersection(cells[j].get()));
      EXPECT_LT(overlap ? OGR_G_Area(OGRGeometry::ToHandle(overlap.get())) : 0.0, 1.0) << i << " " << j;
    }
  }
  EXPECT_EQ(*years.begin(), 1990);  // the old town's mains: the leaky DMA
  EXPECT_STREQ(layer->GetMetadataItem("SYNTHETIC"), "YES");
}

TEST_F(GeneratedWater, SectionsLieOnTheRealRivers) {
  OGRLayer* layer = ds_->GetLayerByName("river_sections");
  ASSERT_NE(layer, nullptr);
  ASSERT_EQ(layer->GetFeatureCount(), 7);
  EXPECT_STREQ(layer->GetMetadataItem("SYNTHETIC"), "YES");
  GeomPtr lines = projected(kRivers);
  double maxLoad = 0;
  for (auto& f : *layer) {
    EXPECT_LT(f->GetGeometryRef()->Distance(lines.get()), 1.0) << f->GetFieldAsString("name_en");
    const double load = f->GetFieldAsDouble("load_index");
    EXPECT_GE(load, 0.0);
    EXPECT_LE(load, 1.0);
    maxLoad = std::max(maxLoad, load);
  }
  EXPECT_DOUBLE_EQ(maxLoad, 0.8);  // the North Canal's exit, at the class IV/V boundary in the simulator
}

}  // namespace
