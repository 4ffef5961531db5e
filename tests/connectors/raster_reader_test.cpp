#include "greentwin/connectors/raster_reader.hpp"

#include <cpl_string.h>
#include <gdal_priv.h>
#include <ogr_spatialref.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <functional>
#include <limits>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

// A 0.04 x 0.04 degree WGS84/CGCS2000 tile around the demo origin, 0.0005 degree pixels (about 43 x 56 m).
constexpr double kLonWest = 116.70;
constexpr double kLatNorth = 39.88;
constexpr double kDeg = 0.0005;
constexpr int kDegPixels = 80;

const GeoFrame& frame() {
  static const GeoFrame f = [] {
    auto created = GeoFrame::create(116.72, 39.86);
    EXPECT_TRUE(created.isOk()) << created.status().toString();
    return std::move(created).value();
  }();
  return f;
}

// Each test writes its fixtures into its own folder: ctest may run the tests of this file in parallel.
class RasterReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    GDALAllRegister();
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::path(GT_TEST_BINARY_DIR) / "raster_reader_fixtures" / info->name();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }

  std::string path(const std::string& name) const { return (dir_ / name).string(); }

  // A GeoTIFF with `bands` bands of `type`; value(band, col, row) with row 0 at the north (file order).
  // crs empty = no CRS written. createOptions: extra GTiff creation options.
  std::string writeTiff(const std::string& name, int width, int height, int bands, GDALDataType type,
                        const std::vector<double>& geoTransform, const std::string& crs,
                        const std::function<double(int, int, int)>& value, std::optional<double> nodata = {},
                        std::vector<std::string> createOptions = {}) const {
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GTiff");
    CPLStringList opts;
    for (const auto& o : createOptions) opts.AddString(o.c_str());
    GDALDataset* ds = driver->Create(path(name).c_str(), width, height, bands, type, opts.List());
    EXPECT_NE(ds, nullptr) << name;
    if (ds == nullptr) return path(name);
    double gt[6];
    for (int i = 0; i < 6; ++i) gt[i] = geoTransform[static_cast<std::size_t>(i)];
    ds->SetGeoTransform(gt);
    if (!crs.empty()) {
      OGRSpatialReference srs;
      srs.SetFromUserInput(crs.c_str());
      ds->SetSpatialRef(&srs);
    }
    for (int b = 1; b <= bands; ++b) {
      GDALRasterBand* band = ds->GetRasterBand(b);
      if (nodata) band->SetNoDataValue(*nodata);
      if (!value) continue;
      std::vector<double> row(static_cast<std::size_t>(width));
      for (int r = 0; r < height; ++r) {
        for (int c = 0; c < width; ++c) row[static_cast<std::size_t>(c)] = value(b, c, r);
        EXPECT_EQ(band->RasterIO(GF_Write, 0, r, width, 1, row.data(), width, 1, GDT_Float64, 0, 0, nullptr), CE_None);
      }
    }
    GDALClose(ds);
    return path(name);
  }

  static std::vector<double> lonLatTransform() { return {kLonWest, kDeg, 0, kLatNorth, 0, -kDeg}; }

  fs::path dir_;
};

double cellDistance(const RasterGrid& g) { return std::hypot(g.dx, g.dy); }

TEST_F(RasterReaderTest, LonLatGridLandsAtTheRightLocalCoordinates) {
  // A plane in lon/lat: warped bilinearly into EPSG:4548 it must still read back as the same function of lon/lat.
  auto plane = [](double lon, double lat) { return 1000.0 * (lon - kLonWest) + 500.0 * (lat - 39.84); };
  const std::string file = writeTiff("plane4326.tif", kDegPixels, kDegPixels, 1, GDT_Float32, lonLatTransform(),
                                     "EPSG:4326", [&](int, int c, int r) {
                                       return plane(kLonWest + (c + 0.5) * kDeg, kLatNorth - (r + 0.5) * kDeg);
                                     });
  auto grid = readRasterToScene(file, frame());
  ASSERT_TRUE(grid.isOk()) << grid.status().toString();
  EXPECT_EQ(grid->sourceCrs, "EPSG:4326");
  EXPECT_TRUE(grid->warnings.empty());
  // Native resolution: about the source pixel size in metres (43 m east, 56 m north -> GDAL picks one square size).
  EXPECT_GT(grid->dx, 30);
  EXPECT_LT(grid->dx, 60);
  EXPECT_DOUBLE_EQ(grid->dx, grid->dy);
  for (double lon : {116.705, 116.713, 116.72, 116.731, 116.735}) {
    for (double lat : {39.845, 39.852, 39.86, 39.874}) {
      auto local = frame().lonLatToLocal(lon, lat);
      ASSERT_TRUE(local.isOk());
      auto v = grid->sample(local->x, local->y);
      ASSERT_TRUE(v.has_value()) << lon << "," << lat;
      EXPECT_NEAR(*v, plane(lon, lat), 0.05) << lon << "," << lat;
    }
  }
  // Outside the tile: no data (NaN cells, or outside the grid).
  auto far = frame().lonLatToLocal(116.80, 39.95);
  EXPECT_FALSE(grid->sample(far->x, far->y).has_value());
}

TEST_F(RasterReaderTest, AKnownHeightPixelComesBackWithinACellOfItsLonLat) {
  constexpr int kCol = 30, kRow = 50;
  const std::string file =
      writeTiff("spike4326.tif", kDegPixels, kDegPixels, 1, GDT_Float32, lonLatTransform(), "EPSG:4326",
                [](int, int c, int r) { return c == kCol && r == kRow ? 100.0 : 0.0; });
  RasterReadOptions options;
  options.resampling = RasterResampling::Nearest;
  auto grid = readRasterToScene(file, frame(), options);
  ASSERT_TRUE(grid.isOk()) << grid.status().toString();
  int bestCol = -1, bestRow = -1;
  float best = -1;
  for (int r = 0; r < grid->height; ++r)
    for (int c = 0; c < grid->width; ++c)
      if (!std::isnan(grid->at(c, r)) && grid->at(c, r) > best) {
        best = grid->at(c, r);
        bestCol = c;
        bestRow = r;
      }
  EXPECT_FLOAT_EQ(best, 100.0f);
  auto expected = frame().lonLatToLocal(kLonWest + (kCol + 0.5) * kDeg, kLatNorth - (kRow + 0.5) * kDeg);
  ASSERT_TRUE(expected.isOk());
  EXPECT_LT(std::hypot(grid->cellX(bestCol) - expected->x, grid->cellY(bestRow) - expected->y), cellDistance(*grid));
  // Rows run north in the grid: the spike, in the south half of the file (row 50 of 80 from the top), is in the
  // lower half of the grid.
  EXPECT_LT(bestRow, grid->height / 2);
}

TEST_F(RasterReaderTest, SceneCrsGridKeepsItsCellsAndIsOffsetByTheOrigin) {
  const Vec3d o = frame().originProjected();
  const double left = std::round(o.x) - 1000, top = std::round(o.y) + 1000;
  const std::string file = writeTiff("scene4548.tif", 200, 200, 1, GDT_Float32, {left, 10, 0, top, 0, -10},
                                     "EPSG:4548", [](int, int c, int r) { return c + 1000.0 * r; });
  RasterReadOptions options;
  options.resampling = RasterResampling::Nearest;
  auto grid = readRasterToScene(file, frame(), options);
  ASSERT_TRUE(grid.isOk()) << grid.status().toString();
  EXPECT_EQ(grid->width, 200);
  EXPECT_EQ(grid->height, 200);
  EXPECT_NEAR(grid->dx, 10, 1e-9);
  EXPECT_NEAR(grid->x0, left + 5 - o.x, 1e-6);
  EXPECT_NEAR(grid->y0, top - 2000 + 5 - o.y, 1e-6);
  // File row r (from the north) is grid row 199 - r.
  for (auto [c, r] : {std::pair{0, 0}, {17, 3}, {199, 199}, {120, 64}}) {
    EXPECT_FLOAT_EQ(grid->at(c, 199 - r), static_cast<float>(c + 1000.0 * r)) << c << "," << r;
    auto v = grid->sample(left + 10 * c + 5 - o.x, top - 10 * r - 5 - o.y);
    ASSERT_TRUE(v.has_value());
    EXPECT_NEAR(*v, c + 1000.0 * r, 1e-3);
  }
  // A requested resolution.
  options.resolution = 20;
  auto coarse = readRasterToScene(file, frame(), options);
  ASSERT_TRUE(coarse.isOk()) << coarse.status().toString();
  EXPECT_EQ(coarse->width, 100);
  EXPECT_NEAR(coarse->dx, 20, 1e-9);
  // The cell cap: downsampled, and said so.
  options.resolution = 0;
  options.maxCells = 100;
  auto capped = readRasterToScene(file, frame(), options);
  ASSERT_TRUE(capped.isOk()) << capped.status().toString();
  EXPECT_LE(capped->cellCount(), 100u);
  EXPECT_GE(capped->cellCount(), 64u);
  ASSERT_EQ(capped->warnings.size(), 1u);
  EXPECT_NE(capped->warnings[0].find("downsampled"), std::string::npos) << capped->warnings[0];
  EXPECT_NE(capped->warnings[0].find("scene4548.tif"), std::string::npos) << capped->warnings[0];
}

TEST_F(RasterReaderTest, HugeDeclaredRasterIsReadUnderTheCellCapQuickly) {
  // 30000 x 30000 float cells declared (3.6 GB), stored sparse: a few KB on disk.
  const Vec3d o = frame().originProjected();
  const std::string file = writeTiff("huge.tif", 30000, 30000, 1, GDT_Float32,
                                     {std::round(o.x) - 15000, 1, 0, std::round(o.y) + 15000, 0, -1}, "EPSG:4548",
                                     nullptr, {}, {"SPARSE_OK=TRUE"});
  EXPECT_LT(fs::file_size(file), 1u << 20);
  RasterReadOptions options;
  options.maxCells = 250 * 250;
  const auto start = std::chrono::steady_clock::now();
  auto grid = readRasterToScene(file, frame(), options);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(grid.isOk()) << grid.status().toString();
  EXPECT_LE(grid->cellCount(), options.maxCells);
  EXPECT_GE(grid->width, 240);
  EXPECT_NEAR(grid->dx, 30000.0 / grid->width, 1.0);
  ASSERT_FALSE(grid->warnings.empty());
  EXPECT_NE(grid->warnings[0].find("downsampled"), std::string::npos);
  EXPECT_FLOAT_EQ(grid->at(grid->width / 2, grid->height / 2), 0.0f);  // sparse blocks read as zero
  EXPECT_LT(seconds, 20.0);  // decimated, not read in full (which takes minutes)
}

TEST_F(RasterReaderTest, RasterWithoutCrsIsAnErrorUnlessACrsIsAssumed) {
  const Vec3d o = frame().originProjected();
  const std::string file = writeTiff("nocrs.tif", 20, 20, 1, GDT_Float32,
                                     {std::round(o.x), 10, 0, std::round(o.y), 0, -10}, "",
                                     [](int, int, int) { return 5.0; });
  auto grid = readRasterToScene(file, frame());
  ASSERT_FALSE(grid.isOk());
  EXPECT_EQ(grid.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(grid.status().message().find("nocrs.tif"), std::string::npos) << grid.status().message();
  EXPECT_NE(grid.status().message().find("no CRS"), std::string::npos) << grid.status().message();
  RasterReadOptions options;
  options.assumeCrs = "EPSG:4548";
  auto assumed = readRasterToScene(file, frame(), options);
  ASSERT_TRUE(assumed.isOk()) << assumed.status().toString();
  EXPECT_EQ(assumed->sourceCrs, "EPSG:4548 (assumed)");
  EXPECT_NEAR(assumed->x0, std::round(o.x) + 5 - o.x, 1e-6);
  EXPECT_FLOAT_EQ(assumed->at(3, 3), 5.0f);
  options.assumeCrs = "EPSG:999999";
  auto bad = readRasterToScene(file, frame(), options);
  ASSERT_FALSE(bad.isOk());
  EXPECT_NE(bad.status().message().find("EPSG:999999"), std::string::npos) << bad.status().message();
}

// Georeferencing no CRS can hold (an origin at -1.5e230 degrees), a geotransform whose cells have no area or a
// geocentric CRS is refused before GDAL asks PROJ for a transformation: PROJ 9.1 recursed without end on the first
// two (a stack overflow that ended the process) and spent seconds on the third. The kept files are
// raster_reader_fuzz's inputs (fuzz/raster_reader_fuzz.cpp; the target's two header bytes come off).
TEST_F(RasterReaderTest, UnusableGeoreferencingIsRefusedBeforeReprojection) {
  const std::vector<std::pair<std::string, std::string>> kept{
      {"regression_absurd_origin_tif.bin", "is geocentric"},
      {"regression_zero_geotransform_tif.bin", "is geocentric"},
      {"regression_geocentric_crs_tif.bin", "is geocentric"}};
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& [input, expected] : kept) {
    std::ifstream in(fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/raster_reader_seeds" / input,
                     std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ASSERT_GT(bytes.size(), 2u) << input;
    std::ofstream(path(input + ".tif"), std::ios::binary) << bytes.substr(2);
    files.emplace_back(path(input + ".tif"), expected);
  }
  files.emplace_back(writeTiff("far.tif", 8, 8, 1, GDT_Float32, {-1.5e230, kDeg, 0, kLatNorth, 0, -kDeg}, "EPSG:4326",
                               [](int, int c, int r) { return c + r; }),
                     "georeferencing is out of range");
  files.emplace_back(writeTiff("flat.tif", 8, 8, 1, GDT_Float32, {475900, 0, 0, 4414060, 0, 0}, "EPSG:4548",
                               [](int, int c, int r) { return c + r; }),
                     "geotransform is degenerate");
  for (const auto& [file, expected] : files) {
    auto grid = readRasterToScene(file, frame());
    ASSERT_FALSE(grid.isOk()) << file;
    EXPECT_EQ(grid.status().code(), ErrorCode::InvalidArgument) << grid.status().message();
    EXPECT_NE(grid.status().message().find(expected), std::string::npos) << grid.status().message();
    EXPECT_NE(grid.status().message().find(file), std::string::npos) << grid.status().message();
  }
}

// GDAL's XYZ driver scans a text grid once for each row it reads. raster_reader_fuzz's 171 bytes of points (kept in
// raster_reader_slow_inputs/), one of them with a far-off northing, made a grid of millions of rows that took about
// 6 minutes to read; it is refused at open, naming the file (before the fix this test ran into ctest's timeout). A
// regular XYZ grid still reads.
TEST_F(RasterReaderTest, ASparseXyzGridIsRefusedBeforeItsRowsAreRead) {
  std::ifstream in(fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/raster_reader_slow_inputs/xyz_far_row.bin",
                   std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ASSERT_GT(bytes.size(), 2u);
  std::ofstream(path("far_row.xyz"), std::ios::binary) << bytes.substr(2);  // the fuzz target's header bytes off
  RasterReadOptions options;
  options.assumeCrs = "EPSG:4548";
  auto sparse = readRasterToScene(path("far_row.xyz"), frame(), options);
  ASSERT_FALSE(sparse.isOk());
  EXPECT_EQ(sparse.status().code(), ErrorCode::InvalidArgument) << sparse.status().message();
  EXPECT_NE(sparse.status().message().find("too sparse"), std::string::npos) << sparse.status().message();
  EXPECT_NE(sparse.status().message().find("far_row.xyz"), std::string::npos) << sparse.status().message();

  {
    std::ofstream out(path("regular.xyz"));
    for (int row = 0; row < 3; ++row) {
      for (int col = 0; col < 4; ++col) out << 475900 + 20 * col << " " << 4413940 - 20 * row << " " << 10 + col << "\n";
    }
  }
  auto regular = readRasterToScene(path("regular.xyz"), frame(), options);
  ASSERT_TRUE(regular.isOk()) << regular.status().message();
  EXPECT_GE(regular->width, 3);
  EXPECT_GE(regular->height, 2);
  float highest = -1;
  for (const float v : regular->values) {
    if (!std::isnan(v)) highest = std::max(highest, v);
  }
  EXPECT_NEAR(highest, 13.0f, 0.5f);
}

TEST_F(RasterReaderTest, MissingAndCorruptFilesAreErrorsNamingTheFile) {
  auto missing = readRasterToScene(path("nope.tif"), frame());
  ASSERT_FALSE(missing.isOk());
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
  EXPECT_NE(missing.status().message().find("nope.tif"), std::string::npos);

  {
    std::ofstream out(path("corrupt.tif"), std::ios::binary);
    out << "II*\0 this is not really a TIFF file at all, just some bytes";
  }
  auto corrupt = readRasterToScene(path("corrupt.tif"), frame());
  ASSERT_FALSE(corrupt.isOk());
  EXPECT_EQ(corrupt.status().code(), ErrorCode::ParseError);
  EXPECT_NE(corrupt.status().message().find("corrupt.tif"), std::string::npos) << corrupt.status().message();

  // A truncated real GeoTIFF: the header opens, the pixel data is cut off.
  const Vec3d o = frame().originProjected();
  const std::string whole = writeTiff("whole.tif", 64, 64, 1, GDT_Float32,
                                      {std::round(o.x), 10, 0, std::round(o.y), 0, -10}, "EPSG:4548",
                                      [](int, int c, int r) { return c * r; }, {}, {"COMPRESS=DEFLATE", "TILED=YES"});
  // GDAL writes the IFD first (offset 8) and the one compressed tile behind it: cut the file in the tile.
  std::vector<char> bytes(fs::file_size(whole));
  std::ifstream(whole, std::ios::binary).read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  std::ofstream(path("truncated.tif"), std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  auto truncated = readRasterToScene(path("truncated.tif"), frame());
  ASSERT_FALSE(truncated.isOk());
  EXPECT_EQ(truncated.status().code(), ErrorCode::ParseError);
  EXPECT_NE(truncated.status().message().find("truncated.tif"), std::string::npos) << truncated.status().message();

  // A vector file is not a raster.
  { std::ofstream(path("points.geojson")) << R"({"type":"FeatureCollection","features":[]})"; }
  auto vector = readRasterToScene(path("points.geojson"), frame());
  ASSERT_FALSE(vector.isOk());
  EXPECT_EQ(vector.status().code(), ErrorCode::ParseError);
  EXPECT_NE(vector.status().message().find("points.geojson"), std::string::npos);
}

TEST_F(RasterReaderTest, AllNodataIsAnError) {
  const Vec3d o = frame().originProjected();
  const std::string file = writeTiff("empty.tif", 16, 16, 1, GDT_Float32,
                                     {std::round(o.x), 10, 0, std::round(o.y), 0, -10}, "EPSG:4548",
                                     [](int, int, int) { return -9999.0; }, -9999.0);
  auto grid = readRasterToScene(file, frame());
  ASSERT_FALSE(grid.isOk());
  EXPECT_EQ(grid.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(grid.status().message().find("empty.tif"), std::string::npos);
  EXPECT_NE(grid.status().message().find("nodata"), std::string::npos) << grid.status().message();
}

TEST_F(RasterReaderTest, NodataCellsBecomeNaNAndBandsAreSelectable) {
  const Vec3d o = frame().originProjected();
  const std::string file = writeTiff("bands.tif", 10, 10, 2, GDT_Int16,
                                     {std::round(o.x), 10, 0, std::round(o.y), 0, -10}, "EPSG:4548",
                                     [](int b, int c, int) { return c == 0 ? -32768.0 : b * 7.0; }, -32768.0);
  RasterReadOptions options;
  options.resampling = RasterResampling::Nearest;
  options.band = 2;
  auto grid = readRasterToScene(file, frame(), options);
  ASSERT_TRUE(grid.isOk()) << grid.status().toString();
  EXPECT_FLOAT_EQ(grid->at(5, 5), 14.0f);
  EXPECT_TRUE(std::isnan(grid->at(0, 5)));  // the nodata column
  EXPECT_EQ(grid->validCount(), 90u);
  options.band = 3;
  auto noBand = readRasterToScene(file, frame(), options);
  ASSERT_FALSE(noBand.isOk());
  EXPECT_EQ(noBand.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(noBand.status().message().find("band 3"), std::string::npos) << noBand.status().message();
}

TEST_F(RasterReaderTest, ImageryIsWarpedToRgbaWithTransparencyOutsideItsFootprint) {
  // The western quarter is nodata (0 in every band).
  const std::string file = writeTiff("rgb4326.tif", kDegPixels, kDegPixels, 3, GDT_Byte, lonLatTransform(),
                                     "EPSG:4326",
                                     [](int b, int c, int) { return c < 20 ? 0 : b == 1 ? 200 : b == 2 ? 100 : 50; },
                                     0.0);
  RasterReadOptions options;
  options.resampling = RasterResampling::Nearest;
  auto image = readImageryToScene(file, frame(), options);
  ASSERT_TRUE(image.isOk()) << image.status().toString();
  ASSERT_TRUE(image->valid());
  EXPECT_EQ(image->sourceCrs, "EPSG:4326");
  auto pixelAt = [&](double lon, double lat) {
    auto local = frame().lonLatToLocal(lon, lat);
    EXPECT_TRUE(local.isOk());
    const int c = static_cast<int>(std::lround((local->x - image->x0) / image->dx));
    const int r = static_cast<int>(std::lround((local->y - image->y0) / image->dy));
    EXPECT_TRUE(c >= 0 && c < image->width && r >= 0 && r < image->height) << lon << "," << lat;
    return image->pixel(c, r);
  };
  // The middle of the tile (the frame origin, 116.72 39.86): the file's colour, opaque.
  const std::uint8_t* p = pixelAt(116.72, 39.86);
  EXPECT_EQ(p[0], 200);
  EXPECT_EQ(p[1], 100);
  EXPECT_EQ(p[2], 50);
  EXPECT_EQ(p[3], 255);
  // In the nodata quarter: transparent.
  EXPECT_EQ(pixelAt(116.704, 39.86)[3], 0);

  // Grey imagery fills R, G and B.
  const std::string grey = writeTiff("grey4326.tif", 20, 20, 1, GDT_Byte, lonLatTransform(), "EPSG:4326",
                                     [](int, int, int) { return 77; });
  auto greyImage = readImageryToScene(grey, frame(), options);
  ASSERT_TRUE(greyImage.isOk()) << greyImage.status().toString();
  const std::uint8_t* g = greyImage->pixel(greyImage->width / 2, greyImage->height / 2);
  EXPECT_EQ(g[0], 77);
  EXPECT_EQ(g[1], 77);
  EXPECT_EQ(g[2], 77);
  EXPECT_EQ(g[3], 255);

  auto missing = readImageryToScene(path("nope.tif"), frame(), options);
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
}

// Base-map tiles: an MBTiles file (GDAL's MBTiles driver, PNG tiles in Web Mercator) drapes like a GeoTIFF. Written
// here from a GeoTIFF whose west half is red and east half blue (the boundary at 116.72 E, the frame's origin).
TEST_F(RasterReaderTest, MbTilesImageryLandsWhereItsColoursAre) {
  const std::string tiff = writeTiff("halves.tif", kDegPixels, kDegPixels, 3, GDT_Byte, lonLatTransform(), "EPSG:4326",
                                     [](int b, int c, int) { return c < kDegPixels / 2 ? (b == 1 ? 220 : 20) : (b == 3 ? 220 : 20); });
  GDALDataset* src = GDALDataset::Open(tiff.c_str(), GDAL_OF_RASTER);
  ASSERT_NE(src, nullptr);
  CPLStringList create;
  create.AddString("TILE_FORMAT=PNG");
  create.AddString("ZOOM_LEVEL_STRATEGY=UPPER");
  GDALDataset* mb = GetGDALDriverManager()->GetDriverByName("MBTiles")->CreateCopy(path("halves.mbtiles").c_str(), src,
                                                                                   FALSE, create.List(), nullptr, nullptr);
  GDALClose(src);
  ASSERT_NE(mb, nullptr) << CPLGetLastErrorMsg();
  GDALClose(mb);

  RasterReadOptions options;
  options.resampling = RasterResampling::Nearest;
  auto image = readImageryToScene(path("halves.mbtiles"), frame(), options);
  ASSERT_TRUE(image.isOk()) << image.status().toString();
  EXPECT_EQ(image->sourceCrs, "EPSG:3857");
  auto pixelAt = [&](double lon, double lat) {
    auto local = frame().lonLatToLocal(lon, lat);
    EXPECT_TRUE(local.isOk());
    const int c = static_cast<int>(std::lround((local->x - image->x0) / image->dx));
    const int r = static_cast<int>(std::lround((local->y - image->y0) / image->dy));
    EXPECT_TRUE(c >= 0 && c < image->width && r >= 0 && r < image->height) << lon << "," << lat;
    const std::uint8_t* p = image->pixel(c, r);
    return std::vector<int>{p[0], p[1], p[2], p[3]};
  };
  EXPECT_EQ(pixelAt(116.71, 39.86), (std::vector<int>{220, 20, 20, 255}));  // a kilometre west of the boundary
  EXPECT_EQ(pixelAt(116.73, 39.86), (std::vector<int>{20, 20, 220, 255}));  // a kilometre east
  EXPECT_EQ(pixelAt(116.71, 39.87), (std::vector<int>{220, 20, 20, 255}));
  // Outside the tiles' data: transparent (the tiles cover more than the file; their margin has no data).
  const auto outside = frame().lonLatToLocal(116.69, 39.86);
  ASSERT_TRUE(outside.isOk());
  if (outside->x >= image->minX()) {
    EXPECT_EQ(pixelAt(116.69, 39.86)[3], 0);
  }

  // Read over a smaller area only (a terrain's): the same colours, fewer pixels.
  RasterReadOptions clipped = options;
  const auto west = frame().lonLatToLocal(116.71, 39.85);
  const auto east = frame().lonLatToLocal(116.73, 39.87);
  ASSERT_TRUE(west.isOk() && east.isOk());
  clipped.clip.extend(*west);
  clipped.clip.extend(*east);
  auto part = readImageryToScene(path("halves.mbtiles"), frame(), clipped);
  ASSERT_TRUE(part.isOk()) << part.status().toString();
  EXPECT_LT(part->cellCount(), image->cellCount());
  EXPECT_LE(part->minX(), west->x + part->dx);
  EXPECT_GE(part->maxX(), east->x - part->dx);
  EXPECT_LE(part->maxX(), east->x + 2 * part->dx);
  // A clip the file does not reach is an error naming it.
  RasterReadOptions away = options;
  away.clip.extend({1e6, 1e6, 0});
  away.clip.extend({1.1e6, 1.1e6, 0});
  auto none = readImageryToScene(path("halves.mbtiles"), frame(), away);
  ASSERT_FALSE(none.isOk());
  EXPECT_NE(none.status().message().find("halves.mbtiles"), std::string::npos);
  EXPECT_NE(none.status().message().find("does not overlap"), std::string::npos);

  // Not imagery at all: an error naming the file.
  std::ofstream(path("fake.mbtiles")) << "SQLite? no";
  auto fake = readImageryToScene(path("fake.mbtiles"), frame(), options);
  ASSERT_FALSE(fake.isOk());
  EXPECT_EQ(fake.status().code(), ErrorCode::ParseError);
  EXPECT_NE(fake.status().message().find("fake.mbtiles"), std::string::npos);
}

}  // namespace
}  // namespace gt::connectors
