#include "greentwin/connectors/raster_reader.hpp"

#include "gdal_support.hpp"

#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>
#include <gdal_alg.h>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <gdalwarper.h>
#include <ogr_spatialref.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <memory>
#include <mutex>
#include <utility>
#include <vector>

namespace gt::connectors {

using detail::fileExists;
using detail::isConnectionString;
using detail::lastGdalError;
using detail::registerGdalOnce;

namespace {

// The most cells an XYZ text grid may have per byte of its file (checkTextGridDensity).
constexpr double kMaxXyzCellsPerByte = 1.0;

struct DatasetCloser {
  void operator()(GDALDataset* ds) const { GDALClose(GDALDataset::ToHandle(ds)); }
};
using DatasetPtr = std::unique_ptr<GDALDataset, DatasetCloser>;

// GDAL's own stderr printing is quiet for the whole call: errors come back as our Status.
class QuietGdal {
 public:
  QuietGdal() {
    CPLErrorReset();
    CPLPushErrorHandler(CPLQuietErrorHandler);
  }
  ~QuietGdal() { CPLPopErrorHandler(); }
  QuietGdal(const QuietGdal&) = delete;
  QuietGdal& operator=(const QuietGdal&) = delete;
};

std::string toWkt(const OGRSpatialReference& srs) {
  char* wkt = nullptr;
  const char* options[] = {"FORMAT=WKT2_2018", nullptr};
  std::string out;
  if (srs.exportToWkt(&wkt, options) == OGRERR_NONE && wkt != nullptr) out = wkt;
  CPLFree(wkt);
  return out;
}

std::string crsName(const OGRSpatialReference& srs) {
  const char* authority = srs.GetAuthorityName(nullptr);
  const char* code = srs.GetAuthorityCode(nullptr);
  if (authority != nullptr && code != nullptr) return std::string(authority) + ":" + code;
  const char* name = srs.GetName();
  return name != nullptr ? std::string("custom CRS '") + name + "'" : std::string("custom CRS");
}

GDALResampleAlg toGdal(RasterResampling r) {
  switch (r) {
    case RasterResampling::Nearest: return GRA_NearestNeighbour;
    case RasterResampling::Bilinear: return GRA_Bilinear;
    case RasterResampling::Cubic: return GRA_Cubic;
    case RasterResampling::Average: return GRA_Average;
  }
  return GRA_Bilinear;
}

// A band-selected (and possibly decimated) view of the source as an in-memory VRT, through gdal_translate.
Result<DatasetPtr> translateView(GDALDataset& src, const std::vector<std::string>& args, const std::string& source) {
  CPLStringList argv;
  argv.AddString("-of");
  argv.AddString("VRT");
  for (const std::string& a : args) argv.AddString(a.c_str());
  GDALTranslateOptions* options = GDALTranslateOptionsNew(argv.List(), nullptr);
  if (options == nullptr) return Status(ErrorCode::Internal, "'" + source + "': bad translate options: " + lastGdalError());
  int usageError = 0;
  DatasetPtr view(GDALDataset::FromHandle(GDALTranslate("", GDALDataset::ToHandle(&src), options, &usageError)));
  GDALTranslateOptionsFree(options);
  if (!view) return Status(ErrorCode::ParseError, "cannot read '" + source + "': " + lastGdalError());
  return view;
}

enum class Kind { Grid, Imagery };

// What a read produces before it is turned into a RasterGrid or RgbaImage: a MEM dataset in the scene CRS,
// north-up, with its geometry.
struct Warped {
  DatasetPtr mem;
  GridGeometry geometry;  // local, row 0 south
  std::string sourceCrs;
  std::vector<std::string> warnings;
  double scale = 1.0;   // DEM band scale/offset (applied by the caller)
  double offset = 0.0;
  int colorBands = 1;   // imagery: 1 grey or 3 RGB (band 4 of `mem` is alpha)
};

// Whether the source's georeferencing lies where coordinates of its CRS can: degrees within +-720 and +-180
// (generous, for wrapped longitudes), anything else within +-1e9 (metres or feet, false eastings included). A damaged
// file may put its origin at -1.5e230: GDAL then asks PROJ for a transformation over that area, and PROJ 9.1 (Debian
// 12) recurses without end in Extent::intersects (x + 360 == x there), a stack overflow that ends the process.
Status checkFootprint(GDALDataset& src, bool hasTransform, const double* transform, bool geographic,
                      const std::string& source, const std::string& crs) {
  const double limitX = geographic ? 720.0 : 1e9;
  const double limitY = geographic ? 180.0 : 1e9;
  const auto bad = [&](double x, double y) {
    return !std::isfinite(x) || !std::isfinite(y) || std::abs(x) > limitX || std::abs(y) > limitY;
  };
  const auto refuse = [&](double x, double y) {
    char where[96];
    std::snprintf(where, sizeof where, "x = %.6g, y = %.6g", x, y);
    return Status(ErrorCode::InvalidArgument, "'" + source + "': its georeferencing is out of range for " + crs +
                                                  " (a corner or control point at " + where + ")");
  };
  if (hasTransform) {
    // A geotransform whose cells have no area (all zero, say) maps the raster onto a point or a line: GDAL cannot
    // invert it, and the area it then hands PROJ sent PROJ 9.1 into the same endless recursion.
    const double determinant = transform[1] * transform[5] - transform[2] * transform[4];
    if (!std::isfinite(determinant) || determinant == 0.0) {
      return Status(ErrorCode::InvalidArgument,
                    "'" + source + "': its geotransform is degenerate (its cells have no area), so it has no footprint");
    }
    const double w = src.GetRasterXSize(), h = src.GetRasterYSize();
    for (const auto& [px, py] : {std::pair{0.0, 0.0}, std::pair{w, 0.0}, std::pair{0.0, h}, std::pair{w, h}}) {
      const double x = transform[0] + px * transform[1] + py * transform[2];
      const double y = transform[3] + px * transform[4] + py * transform[5];
      if (bad(x, y)) return refuse(x, y);
    }
    return Status::ok();
  }
  const GDAL_GCP* gcps = src.GetGCPs();
  for (int i = 0; i < src.GetGCPCount(); ++i) {
    if (bad(gcps[i].dfGCPX, gcps[i].dfGCPY)) return refuse(gcps[i].dfGCPX, gcps[i].dfGCPY);
  }
  return Status::ok();
}

std::string metres(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g m", v);
  return buf;
}

// GDAL's XYZ driver reads a text grid by scanning the file again for each row it is asked for. A few lines whose
// coordinates span a huge grid (raster_reader_fuzz found 171 bytes taken for millions of rows: about 6 minutes on
// the loader's thread) are refused at open, before any row is read. A regular XYZ grid has a line per cell (at least
// 6 bytes: "x y z\n"), and one with missing cells is not sparser than a cell per byte.
Status checkTextGridDensity(GDALDataset& src, const std::string& source) {
  const GDALDriver* driver = src.GetDriver();
  if (driver == nullptr || !EQUAL(driver->GetDescription(), "XYZ")) return Status::ok();
  VSIStatBufL stat;
  if (VSIStatL(source.c_str(), &stat) != 0) return Status::ok();
  const double cells = static_cast<double>(src.GetRasterXSize()) * src.GetRasterYSize();
  const double bytes = static_cast<double>(std::max<vsi_l_offset>(stat.st_size, 1));
  if (cells <= kMaxXyzCellsPerByte * bytes) return Status::ok();
  return Status(ErrorCode::InvalidArgument,
                "'" + source + "': an XYZ grid of " + std::to_string(src.GetRasterXSize()) + " x " +
                    std::to_string(src.GetRasterYSize()) + " cells from " +
                    std::to_string(static_cast<unsigned long long>(stat.st_size)) +
                    " bytes is too sparse to read (a regular XYZ grid has a line per cell; GDAL would scan the file"
                    " once per row)");
}

Result<Warped> warpToScene(Kind kind, const std::string& source, const GeoFrame& frame,
                           const RasterReadOptions& options) {
  registerGdalOnce();
  if (options.maxCells < 1) return Status(ErrorCode::InvalidArgument, "'" + source + "': max cells must be >= 1");
  if (!(options.resolution >= 0.0) || !std::isfinite(options.resolution)) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "': resolution must be a finite number >= 0");
  }
  if (!isConnectionString(source) && !fileExists(source)) {
    return Status(ErrorCode::NotFound, "raster source '" + source + "' does not exist");
  }
  QuietGdal quiet;
  DatasetPtr src(GDALDataset::Open(source.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (!src) return Status(ErrorCode::ParseError, "cannot open '" + source + "' as a raster: " + lastGdalError());
  const int bandCount = src->GetRasterCount();
  if (bandCount < 1 || src->GetRasterXSize() < 1 || src->GetRasterYSize() < 1) {
    return Status(ErrorCode::ParseError, "'" + source + "' has no raster bands");
  }
  if (Status s = checkTextGridDensity(*src, source); !s) return s;

  // Georeferencing and CRS.
  double srcTransform[6];
  const bool hasTransform = src->GetGeoTransform(srcTransform) == CE_None;
  if (!hasTransform && src->GetGCPCount() == 0) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "' is not georeferenced (no geotransform, no GCPs)");
  }
  OGRSpatialReference srcSrs;
  const OGRSpatialReference* declared = hasTransform ? src->GetSpatialRef() : src->GetGCPSpatialRef();
  Warped out;
  if (declared != nullptr && !declared->IsEmpty()) {
    srcSrs = *declared;
    out.sourceCrs = crsName(srcSrs);
  } else if (!options.assumeCrs.empty()) {
    if (srcSrs.SetFromUserInput(options.assumeCrs.c_str()) != OGRERR_NONE) {
      return Status(ErrorCode::InvalidArgument,
                    "'" + source + "': the assumed CRS '" + options.assumeCrs + "' is not a CRS GDAL knows");
    }
    out.sourceCrs = options.assumeCrs + " (assumed)";
  } else {
    return Status(ErrorCode::InvalidArgument,
                  "'" + source + "' declares no CRS; set the layer's crs in the config to say which it is");
  }
  OGRSpatialReference sceneSrs;
  if (sceneSrs.SetFromUserInput(frame.sceneCrs().c_str()) != OGRERR_NONE) {
    return Status(ErrorCode::InvalidArgument, "scene CRS '" + frame.sceneCrs() + "' is not a CRS GDAL knows");
  }
  // Coordinates are always (x = easting/longitude, y = northing/latitude), as in geotransforms.
  srcSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  sceneSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
  // A geocentric CRS (Earth-centred X, Y, Z) is no map a grid can lie on. raster_reader_fuzz found GeoTIFFs declaring
  // one: PROJ spent seconds searching for operations from it, or recursed without end (see checkFootprint).
  if (srcSrs.IsGeocentric() != 0) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "': its CRS " + out.sourceCrs +
                                                  " is geocentric (Earth-centred X, Y, Z), not a map CRS a raster can lie in");
  }
  if (Status s = checkFootprint(*src, hasTransform, srcTransform, srcSrs.IsGeographic() != 0, source, out.sourceCrs);
      !s) {
    return s;
  }
  const std::string srcWkt = toWkt(srcSrs);
  const std::string sceneWkt = toWkt(sceneSrs);

  // Which bands, as gdal_translate arguments.
  std::vector<std::string> bandArgs;
  int alphaBand = 0;  // in the view's numbering
  if (kind == Kind::Grid) {
    if (options.band < 1 || options.band > bandCount) {
      return Status(ErrorCode::InvalidArgument, "'" + source + "' has no band " + std::to_string(options.band) +
                                                    " (it has " + std::to_string(bandCount) + ")");
    }
    bandArgs = {"-b", std::to_string(options.band)};
  } else {
    GDALRasterBand* first = src->GetRasterBand(1);
    auto isAlpha = [&](int b) { return src->GetRasterBand(b)->GetColorInterpretation() == GCI_AlphaBand; };
    if (bandCount == 1 && first->GetColorTable() != nullptr) {
      bandArgs = {"-expand", "rgba"};
      out.colorBands = 3;
      alphaBand = 4;
    } else if (bandCount < 3) {
      bandArgs = {"-b", "1"};
      out.colorBands = 1;
      if (bandCount == 2 && isAlpha(2)) {
        bandArgs.insert(bandArgs.end(), {"-b", "2"});
        alphaBand = 2;
      }
    } else {
      bandArgs = {"-b", "1", "-b", "2", "-b", "3"};
      out.colorBands = 3;
      if (bandCount >= 4 && isAlpha(4)) {
        bandArgs.insert(bandArgs.end(), {"-b", "4"});
        alphaBand = 4;
      }
    }
    if (first->GetRasterDataType() != GDT_Byte && first->GetColorTable() == nullptr) {
      bandArgs.insert(bandArgs.end(), {"-ot", "Byte", "-scale"});
      out.warnings.push_back("'" + source + "': " + GDALGetDataTypeName(first->GetRasterDataType()) +
                             " imagery scaled from its value range to 8 bits");
    }
  }
  auto view = translateView(*src, bandArgs, source);
  if (!view) return view.status();

  // The output grid at native resolution, as GDAL's warper suggests it.
  CPLStringList transformerOptions;
  transformerOptions.SetNameValue("SRC_SRS", srcWkt.c_str());
  transformerOptions.SetNameValue("DST_SRS", sceneWkt.c_str());
  void* suggestTransformer = GDALCreateGenImgProjTransformer2(GDALDataset::ToHandle(view->get()), nullptr,
                                                             transformerOptions.List());
  if (suggestTransformer == nullptr) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "': cannot transform " + out.sourceCrs +
                                                  " into the scene CRS " + frame.sceneCrs() + ": " + lastGdalError());
  }
  double suggested[6];
  double extent[4];  // minx, miny, maxx, maxy
  int nativeW = 0, nativeH = 0;
  const CPLErr suggestErr = GDALSuggestedWarpOutput2(GDALDataset::ToHandle(view->get()), GDALGenImgProjTransform,
                                                     suggestTransformer, suggested, &nativeW, &nativeH, extent, 0);
  GDALDestroyGenImgProjTransformer(suggestTransformer);
  if (suggestErr != CE_None || nativeW < 1 || nativeH < 1 || !(suggested[1] > 0)) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "': its footprint cannot be warped into the scene CRS " +
                                                  frame.sceneCrs() + " (" + lastGdalError() + ")");
  }
  const double fullArea = (extent[2] - extent[0]) * (extent[3] - extent[1]);
  if (options.clip.valid()) {
    const Vec3d origin = frame.originProjected();
    extent[0] = std::max(extent[0], options.clip.min.x + origin.x);
    extent[1] = std::max(extent[1], options.clip.min.y + origin.y);
    extent[2] = std::min(extent[2], options.clip.max.x + origin.x);
    extent[3] = std::min(extent[3], options.clip.max.y + origin.y);
    if (!(extent[2] > extent[0]) || !(extent[3] > extent[1])) {
      return Status(ErrorCode::InvalidArgument, "'" + source + "' does not overlap the area it is read for");
    }
  }
  // The share of the source the output covers (1 unless clipped): what decides how far to decimate it.
  const double coveredShare = fullArea > 0 ? std::min(1.0, (extent[2] - extent[0]) * (extent[3] - extent[1]) / fullArea)
                                           : 1.0;
  const double nativeRes = suggested[1];
  double res = options.resolution > 0 ? options.resolution : nativeRes;
  const double spanX = extent[2] - extent[0];
  const double spanY = extent[3] - extent[1];
  auto cellsFor = [&](double r, double span) { return std::max(1.0, std::ceil(span / r - 1e-6)); };
  double w = cellsFor(res, spanX), h = cellsFor(res, spanY);
  const double maxCells = static_cast<double>(options.maxCells);
  if (w * h > maxCells) {
    const double wanted = w * h;
    const double wantedW = w, wantedH = h;
    res *= std::sqrt(wanted / maxCells);
    for (int guard = 0; guard < 100; ++guard) {  // ceil() can still overshoot by a row or column
      w = cellsFor(res, spanX);
      h = cellsFor(res, spanY);
      if (w * h <= maxCells) break;
      res *= 1.01;
    }
    out.warnings.push_back("'" + source + "' downsampled: " + metres(options.resolution > 0 ? options.resolution
                                                                                          : nativeRes) +
                           " cells would need " + std::to_string(static_cast<long long>(wantedW)) + " x " +
                           std::to_string(static_cast<long long>(wantedH)) + ", more than max_cells " +
                           std::to_string(options.maxCells) + "; read at " + metres(res) + " (" +
                           std::to_string(static_cast<long long>(w)) + " x " +
                           std::to_string(static_cast<long long>(h)) + ")");
  }
  if (w * h > maxCells || w > std::numeric_limits<int>::max() || h > std::numeric_limits<int>::max()) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "': cannot fit the output under max_cells");
  }
  const int width = static_cast<int>(w);
  const int height = static_cast<int>(h);

  // A source much finer than the output is decimated first (at most 2x the output per axis), so the warper reads
  // about as much as it writes; GDAL uses the file's overviews for this when it has them.
  const double srcCells =
      static_cast<double>(view->get()->GetRasterXSize()) * view->get()->GetRasterYSize() * coveredShare;
  if (srcCells > 4.0 * w * h * 4.0) {
    const double factor = std::sqrt(srcCells / (4.0 * w * h));
    const int decW = std::max(1, static_cast<int>(std::ceil(view->get()->GetRasterXSize() / factor)));
    const int decH = std::max(1, static_cast<int>(std::ceil(view->get()->GetRasterYSize() / factor)));
    const bool overviews = src->GetRasterBand(kind == Kind::Grid ? options.band : 1)->GetOverviewCount() > 0;
    std::vector<std::string> args = bandArgs;
    args.insert(args.end(), {"-outsize", std::to_string(decW), std::to_string(decH), "-r",
                             overviews ? "average" : "nearest"});
    view = DatasetPtr();  // drop the full-size view before making the smaller one
    view = translateView(*src, args, source);
    if (!view) return view.status();
  }

  // The destination: an in-memory dataset in the scene CRS, north-up.
  GDALDriver* memDriver = GetGDALDriverManager()->GetDriverByName("MEM");
  if (memDriver == nullptr) return Status(ErrorCode::Internal, "GDAL's MEM driver is missing");
  const int dstBands = kind == Kind::Grid ? 1 : 4;
  out.mem.reset(memDriver->Create("", width, height, dstBands, kind == Kind::Grid ? GDT_Float32 : GDT_Byte, nullptr));
  if (!out.mem) {
    return Status(ErrorCode::IoError, "'" + source + "': cannot allocate a " + std::to_string(width) + " x " +
                                          std::to_string(height) + " grid: " + lastGdalError());
  }
  const double left = extent[0];
  const double top = extent[3];
  double dstTransform[6] = {left, res, 0.0, top, 0.0, -res};
  out.mem->SetGeoTransform(dstTransform);
  out.mem->SetSpatialRef(&sceneSrs);
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (kind == Kind::Grid) {
    out.mem->GetRasterBand(1)->SetNoDataValue(nan);
    out.mem->GetRasterBand(1)->Fill(nan);
  }

  CPLStringList warpTransformerOptions;
  warpTransformerOptions.SetNameValue("SRC_SRS", srcWkt.c_str());
  void* transformer = GDALCreateGenImgProjTransformer2(GDALDataset::ToHandle(view->get()),
                                                       GDALDataset::ToHandle(out.mem.get()),
                                                       warpTransformerOptions.List());
  if (transformer == nullptr) {
    return Status(ErrorCode::InvalidArgument, "'" + source + "': cannot transform " + out.sourceCrs +
                                                  " into the scene CRS: " + lastGdalError());
  }
  GDALWarpOptions* wo = GDALCreateWarpOptions();
  wo->hSrcDS = GDALDataset::ToHandle(view->get());
  wo->hDstDS = GDALDataset::ToHandle(out.mem.get());
  wo->eResampleAlg = toGdal(options.resampling);
  wo->pfnTransformer = GDALGenImgProjTransform;
  wo->pTransformerArg = transformer;
  const int warpBands = kind == Kind::Grid ? 1 : out.colorBands;
  wo->nBandCount = warpBands;
  wo->panSrcBands = static_cast<int*>(CPLMalloc(sizeof(int) * static_cast<std::size_t>(warpBands)));
  wo->panDstBands = static_cast<int*>(CPLMalloc(sizeof(int) * static_cast<std::size_t>(warpBands)));
  for (int b = 0; b < warpBands; ++b) wo->panSrcBands[b] = wo->panDstBands[b] = b + 1;
  // Source nodata makes those pixels invalid (NaN in a grid, alpha 0 in imagery).
  int hasNoData = 0;
  const double srcNoData = view->get()->GetRasterBand(1)->GetNoDataValue(&hasNoData);
  if (hasNoData != 0) {
    wo->padfSrcNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double) * static_cast<std::size_t>(warpBands)));
    for (int b = 0; b < warpBands; ++b) {
      int has = 0;
      const double v = view->get()->GetRasterBand(b + 1)->GetNoDataValue(&has);
      wo->padfSrcNoDataReal[b] = has != 0 ? v : srcNoData;
    }
  }
  if (kind == Kind::Grid) {
    wo->eWorkingDataType = GDT_Float32;
    wo->padfDstNoDataReal = static_cast<double*>(CPLMalloc(sizeof(double)));
    wo->padfDstNoDataReal[0] = nan;
    wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "NO_DATA");
  } else {
    wo->nSrcAlphaBand = alphaBand;
    wo->nDstAlphaBand = 4;
    wo->papszWarpOptions = CSLSetNameValue(wo->papszWarpOptions, "INIT_DEST", "0");
  }
  CPLErr warpErr = CE_Failure;
  {
    GDALWarpOperation operation;
    if (operation.Initialize(wo) == CE_None) warpErr = operation.ChunkAndWarpImage(0, 0, width, height);
  }
  GDALDestroyGenImgProjTransformer(transformer);
  GDALDestroyWarpOptions(wo);
  if (warpErr != CE_None) {
    return Status(ErrorCode::ParseError, "cannot read and warp '" + source + "': " + lastGdalError());
  }
  if (kind == Kind::Grid) {
    GDALRasterBand* band = src->GetRasterBand(options.band);
    int hasScale = 0, hasOffset = 0;
    const double scale = band->GetScale(&hasScale);
    const double offset = band->GetOffset(&hasOffset);
    if (hasScale != 0) out.scale = scale;
    if (hasOffset != 0) out.offset = offset;
  }

  // North-up projected grid -> local grid with the south-west cell centre as origin.
  const Vec3d origin = frame.originProjected();
  out.geometry.dx = res;
  out.geometry.dy = res;
  out.geometry.width = width;
  out.geometry.height = height;
  out.geometry.x0 = left + res / 2 - origin.x;
  out.geometry.y0 = top - height * res + res / 2 - origin.y;
  return out;
}

}  // namespace

Result<RasterGrid> readRasterToScene(const std::string& source, const GeoFrame& frame,
                                     const RasterReadOptions& options) {
  auto warped = warpToScene(Kind::Grid, source, frame, options);
  if (!warped) return warped.status();
  RasterGrid grid;
  static_cast<GridGeometry&>(grid) = warped->geometry;
  grid.source = source;
  grid.sourceCrs = warped->sourceCrs;
  grid.warnings = std::move(warped->warnings);
  grid.values.resize(grid.cellCount());
  GDALRasterBand* band = warped->mem->GetRasterBand(1);
  const auto w = static_cast<std::size_t>(grid.width);
  for (int row = 0; row < grid.height; ++row) {
    // MEM row 0 is the north edge; grid row 0 is the south edge.
    float* dst = &grid.values[static_cast<std::size_t>(grid.height - 1 - row) * w];
    if (band->RasterIO(GF_Read, 0, row, grid.width, 1, dst, grid.width, 1, GDT_Float32, 0, 0, nullptr) != CE_None) {
      return Status(ErrorCode::Internal, "'" + source + "': reading the warped grid failed: " + lastGdalError());
    }
  }
  if (warped->scale != 1.0 || warped->offset != 0.0) {
    for (float& v : grid.values) {
      if (!std::isnan(v)) v = static_cast<float>(v * warped->scale + warped->offset);
    }
  }
  if (grid.validCount() == 0) {
    return Status(ErrorCode::InvalidArgument,
                  "'" + source + "' has no data: every cell is nodata (band " + std::to_string(options.band) + ")");
  }
  return grid;
}

Result<RgbaImage> readImageryToScene(const std::string& source, const GeoFrame& frame,
                                     const RasterReadOptions& options) {
  auto warped = warpToScene(Kind::Imagery, source, frame, options);
  if (!warped) return warped.status();
  RgbaImage image;
  static_cast<GridGeometry&>(image) = warped->geometry;
  image.source = source;
  image.sourceCrs = warped->sourceCrs;
  image.warnings = std::move(warped->warnings);
  image.pixels.resize(4 * image.cellCount());
  const std::size_t rowBytes = 4 * static_cast<std::size_t>(image.width);
  // Interleaved read: pixel spacing 4 bytes, line spacing one row, band spacing 1 byte; rows flipped to south-up
  // by reading each MEM row into its grid row.
  int bands[4] = {1, 2, 3, 4};
  if (warped->colorBands == 1) bands[1] = bands[2] = 1;  // grey into R, G and B
  for (int row = 0; row < image.height; ++row) {
    std::uint8_t* dst = &image.pixels[static_cast<std::size_t>(image.height - 1 - row) * rowBytes];
    if (warped->mem->RasterIO(GF_Read, 0, row, image.width, 1, dst, image.width, 1, GDT_Byte, 4, bands, 4,
                              static_cast<GSpacing>(rowBytes), 1, nullptr) != CE_None) {
      return Status(ErrorCode::Internal, "'" + source + "': reading the warped image failed: " + lastGdalError());
    }
  }
  bool any = false;
  for (std::size_t i = 3; i < image.pixels.size() && !any; i += 4) any = image.pixels[i] != 0;
  if (!any) return Status(ErrorCode::InvalidArgument, "'" + source + "' has no data: every pixel is transparent");
  return image;
}

}  // namespace gt::connectors
