#pragma once
// Reads the buildings of a CityGML file (1.0 or 2.0, LoD1 and LoD2) through libcitygml, in the scene frame, as
// features a buildings layer draws (layers/building_layer.hpp). libcitygml and its XML parser stay private to
// connectors. Runs on any thread, one call per thread at a time (it makes its own CRS transform).
//
// Each Building without parts and each BuildingPart becomes one feature:
//   id          "<idPrefix>/<gml:id>" (the gml:id alone when idPrefix is empty)
//   triangles   the walls and roofs of its highest LoD up to 2 (LoD2 boundary surfaces, else the LoD1 solid or
//               multi-surface), tessellated by libcitygml, every polygon's triangles turned to face the way its
//               exterior ring does (GML: counter-clockwise seen from outside)
//   polygons    its footprint: the polygons whose normal points down (ground surface, bottom of a LoD1 solid),
//               else the convex hull of its vertices
//   properties  the standard attributes under the twin's names: measuredHeight -> height_m, storeysAboveGround ->
//               floors, function (else usage) -> use, gml:name -> name; function and usage also as themselves;
//               citygml_type ("Building" or "BuildingPart"), lod (the LoD drawn), building (a part's building's
//               gml:id); every generic attribute under its own name (double, integer or text); other standard
//               attributes under their names without the namespace (yearofconstruction, rooftype, ...)
// A Building made only of BuildingParts is not a feature itself: its parts inherit the attributes they lack.
//
// The CRS is the file's srsName (the CityModel's envelope, else the first geometry's), read as easting, northing
// (x, y), height; a file that declares none needs options.assumeCrs.

#include <string>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/geo_frame.hpp"
#include "greentwin/core/status.hpp"

namespace gt::connectors {

struct CityGmlReadOptions {
  std::string idPrefix;   // feature ids become "<idPrefix>/<gml:id>"
  std::string assumeCrs;  // CRS when the file declares none (empty = that is an error)
};

// Errors name the file and the problem: missing file (NotFound); XML that is not well formed, with the parser's
// message and line, or no CityModel in it (ParseError); no srsName and no assumeCrs, a CRS PROJ cannot use, no
// Building with LoD1/LoD2 geometry (InvalidArgument). A single building without usable geometry is skipped with a
// warning in FeatureSet::warnings.
Result<FeatureSet> readCityGml(const std::string& path, const GeoFrame& frame, const CityGmlReadOptions& options);

}  // namespace gt::connectors
