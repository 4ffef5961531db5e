#pragma once
// Writing features out of the twin (issue 16 part 6; docs/workbench.md "Exporting a selection"): a selection with
// its attributes as GeoJSON or a GeoPackage, through GDAL.
//
// - GeoJSON (`.geojson`, `.json`): longitude/latitude in degrees (RFC 7946: WGS 84; the scene's CGCS2000 datum
//   differs from it by a few centimetres), 7 decimals (about 1 cm);
// - GeoPackage (`.gpkg`): the scene's projected CRS (EPSG:4548 for Tongzhou), metres, one table named `layerName`.
// Geometry in the scene frame (local metres) is taken back to those frames with the twin's GeoFrame; z is dropped
// (features are 2D on the map). Each attribute becomes a field: Integer64 when every value is an integer or
// true/false, Real when every value reads as a number, else String; null and missing values are null. A feature's
// id goes into an `id` field (first). Any thread (GDAL datasets are not shared).

#include <span>
#include <string>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors {

struct ExportFeature {
  std::string id;
  const FeatureGeometry* geometry = nullptr;  // scene frame; must not be null
  const PropertyMap* properties = nullptr;    // may be null: no attributes
};

struct VectorWriteOptions {
  std::string layerName = "selection";
  bool overwrite = false;  // an existing file is refused unless set
};

// Errors: an extension other than the above (InvalidArgument, naming it), an existing file without overwrite
// (InvalidArgument), no features (InvalidArgument), a feature without geometry, a coordinate the frame cannot
// transform, GDAL refusing to create or write (IoError with GDAL's message and the path). A failed write leaves no
// partial file behind.
Status writeVectorFile(const std::string& path, std::span<const ExportFeature> features, const GeoFrame& frame,
                       const VectorWriteOptions& options = {});

}  // namespace gt::connectors
