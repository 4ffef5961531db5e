#pragma once
// Shared by the GDAL reader fuzz targets (vector_reader_fuzz.cpp, raster_reader_fuzz.cpp): the fuzzer's bytes as a
// file in GDAL's in-memory file system (/vsimem/), so the readers open them by name as they open a layer's source,
// without touching the disk. Everything GDAL made under the folder (sidecars, temporary files) goes with it.

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_vsi.h>
#include <gdal.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <utility>

#include "greentwin/core/geo_frame.hpp"

namespace gt::fuzz {

class MemFile {
 public:
  // `name` e.g. "in.geojson": GDAL picks some drivers by the extension.
  MemFile(const std::string& name, const std::uint8_t* data, std::size_t size) : path_("/vsimem/fuzz/" + name) {
    // GDAL reads the buffer in place (no copy, not owned).
    VSILFILE* f = VSIFileFromMemBuffer(path_.c_str(), const_cast<GByte*>(data), static_cast<vsi_l_offset>(size), FALSE);
    if (f != nullptr) VSIFCloseL(f);
  }
  ~MemFile() { VSIRmdirRecursive("/vsimem/fuzz"); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The demo scene's frame (EPSG:4548 around Tongzhou), made once.
inline const GeoFrame& sceneFrame() {
  static const GeoFrame frame = [] {
    auto created = GeoFrame::create(116.72, 39.86);
    if (!created) std::abort();
    return std::move(created).value();
  }();
  return frame;
}

// GDAL settings that keep one input's cost bounded and the run reproducible: no network, no stderr noise, no
// caches between inputs that would make one input's result depend on the previous one.
inline void configureGdalForFuzzing() {
  CPLSetConfigOption("GDAL_HTTP_TIMEOUT", "1");
  CPLSetConfigOption("CPL_VSIL_CURL_ALLOWED_EXTENSIONS", "none");
  CPLSetConfigOption("GDAL_DISABLE_READDIR_ON_OPEN", "EMPTY_DIR");
  CPLSetConfigOption("GDAL_PAM_ENABLED", "NO");
  CPLSetConfigOption("CPL_DEBUG", "OFF");
  CPLSetConfigOption("GDAL_NUM_THREADS", "1");
  CPLSetConfigOption("OGR_SQLITE_JOURNAL", "OFF");
  // A VRT the fuzzer writes must not read raw local files (devices included) as a band.
  CPLSetConfigOption("GDAL_VRT_ENABLE_RAWRASTERBAND", "NO");
  // The readers quiet GDAL while they open a source, not while they read features (a damaged FlatGeobuf prints a
  // line per bad feature): quiet it for the whole run. The last error is still kept for the readers' messages.
  CPLSetErrorHandler(CPLQuietErrorHandler);
}

}  // namespace gt::fuzz
