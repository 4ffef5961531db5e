#pragma once
// Reads vector features from any OGR source (GeoJSON, GeoPackage, Shapefile, FlatGeobuf, PostGIS "PG:..."),
// reprojected into the scene frame. Runs on any thread, but one call per thread at a time: it opens its own
// GDAL dataset and its own CRS transform (neither is thread-safe).

#include <functional>
#include <string>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors {

struct VectorReadOptions {
  std::string layerName;       // OGR layer inside the source; empty = the first layer
  std::string idPrefix;        // feature ids become "<idPrefix>/<fid or id attribute>"
  std::string idAttribute;     // attribute holding a stable id; empty = OGR's FID
  std::string assumeCrs;       // CRS to use when the source declares none (empty = that is an error)
  // Called every few hundred features with (features read, total or 0 if unknown), on the reading thread;
  // returning false cancels the read (ErrorCode::Cancelled).
  std::function<bool(std::size_t, std::size_t)> progress;
  // Threads reading the source: 0 = automatic (a GeoPackage of more than ~20,000 features is read on two threads,
  // each with its own GDAL dataset, with the same result as a serial read), 1 = serial, 2 = two threads whenever the
  // source is a GeoPackage. The progress callback is always called on the calling thread.
  int readThreads = 0;
};

// Errors name the source and the problem: missing file, unreadable/corrupt source, missing layer, unknown CRS.
// Invalid single features are skipped and reported in FeatureSet::warnings, never fatal.
// PostgreSQL sources: a password in the connection string is shown as "***" in errors and FeatureSet::source;
// a keyword connection string without connect_timeout (and no PGCONNECT_TIMEOUT in the environment) gets
// connect_timeout=10, so an unreachable or silent server is an error after seconds, not a hang.
Result<FeatureSet> readVectorSource(const std::string& source, const GeoFrame& frame,
                                    const VectorReadOptions& options);

}  // namespace gt::connectors
