#include "inputs.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>

#include <gdal_priv.h>
#include <ogrsf_frmts.h>

#include "gdal_dataset.hpp"
#include "ogr_bridge.hpp"

namespace gtgen {

P2 LocalFrame::local(double lon, double lat) const {
  auto r = frame_.lonLatToLocal(lon, lat);
  if (!r) throw ToolError("cannot project lon/lat (" + std::to_string(lon) + ", " + std::to_string(lat) +
                          "): " + r.status().toString());
  return {r->x, r->y};
}

P2 LocalFrame::originProjected() const {
  const gt::Vec3d o = frame_.originProjected();
  return {o.x, o.y};
}

namespace {

GdalDatasetPtr openVector(const std::string& path, const char* what) {
  if (!std::filesystem::exists(path)) throw ToolError(std::string(what) + " file not found: '" + path + "'");
  CPLErrorReset();
  auto* ds = static_cast<GDALDataset*>(GDALOpenEx(path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY, nullptr, nullptr, nullptr));
  if (ds == nullptr || ds->GetLayerCount() < 1) {
    const std::string why = CPLGetLastErrorMsg();
    throw ToolError(std::string(what) + " file '" + path + "' is not a vector file GDAL can read" + (why.empty() ? "" : ": " + why));
  }
  return GdalDatasetPtr(ds);
}

// The layer must be in geographic lon/lat (or carry no CRS, GeoJSON's default).
void requireLonLat(OGRLayer* layer, const std::string& path) {
  const OGRSpatialReference* srs = layer->GetSpatialRef();
  if (srs != nullptr && !srs->IsGeographic())
    throw ToolError("file '" + path + "' is not in geographic lon/lat coordinates (WGS84 expected)");
}

Ring projectRing(const OGRLinearRing* ring, const LocalFrame& frame) {
  Ring out;
  for (int i = 0; i < ring->getNumPoints(); ++i) out.push_back(frame.local(ring->getX(i), ring->getY(i)));
  if (out.size() > 1 && out.front() == out.back()) out.pop_back();
  return out;
}

// Outer ring + holes of the first polygon of the geometry, projected to local metres.
std::vector<Ring> projectPolygon(const OGRGeometry* g, const LocalFrame& frame, const std::string& path) {
  const OGRPolygon* poly = nullptr;
  if (wkbFlatten(g->getGeometryType()) == wkbPolygon) poly = g->toPolygon();
  if (wkbFlatten(g->getGeometryType()) == wkbMultiPolygon) {
    // The largest part (the district is one polygon; islands, if any, are dropped).
    const auto* multi = g->toMultiPolygon();
    double best = -1.0;
    for (int i = 0; i < multi->getNumGeometries(); ++i) {
      const double a = multi->getGeometryRef(i)->get_Area();
      if (a > best) {
        best = a;
        poly = multi->getGeometryRef(i);
      }
    }
  }
  if (poly == nullptr || poly->getExteriorRing() == nullptr)
    throw ToolError("district file '" + path + "': the district feature is not a polygon");
  std::vector<Ring> rings{projectRing(poly->getExteriorRing(), frame)};
  for (int i = 0; i < poly->getNumInteriorRings(); ++i) rings.push_back(projectRing(poly->getInteriorRing(i), frame));
  if (signedArea(rings.front()) < 0.0) std::reverse(rings.front().begin(), rings.front().end());
  return rings;
}

std::vector<Ring> readDistrict(const std::string& path, const LocalFrame& frame) {
  GdalDatasetPtr ds = openVector(path, "district");
  OGRLayer* layer = ds->GetLayer(0);
  requireLonLat(layer, path);
  std::unique_ptr<OGRFeature> chosen;
  int count = 0;
  for (auto& feature : *layer) {
    ++count;
    const int idx = feature->GetFieldIndex("name");
    const bool named = idx >= 0 && std::string(feature->GetFieldAsString(idx)) == "通州区";
    if (named || !chosen) chosen.reset(feature->Clone());
    if (named) break;
  }
  if (!chosen || chosen->GetGeometryRef() == nullptr) throw ToolError("district file '" + path + "' has no polygon feature");
  if (count > 1) {
    const int idx = chosen->GetFieldIndex("name");
    if (idx < 0 || std::string(chosen->GetFieldAsString(idx)) != "通州区")
      throw ToolError("district file '" + path + "' has several features and none is named 通州区");
  }
  return projectPolygon(chosen->GetGeometryRef(), frame, path);
}

std::vector<Polyline> readRivers(const std::string& path, const LocalFrame& frame) {
  GdalDatasetPtr ds = openVector(path, "rivers");
  OGRLayer* layer = ds->GetLayer(0);
  requireLonLat(layer, path);
  std::vector<Polyline> rivers;
  for (auto& feature : *layer) {
    for (const Polyline& lonLat : linesOf(feature->GetGeometryRef())) {
      Polyline line;
      for (P2 p : lonLat) line.push_back(frame.local(p.x, p.y));
      rivers.push_back(std::move(line));
    }
  }
  if (rivers.empty()) throw ToolError("rivers file '" + path + "' has no line features");
  return rivers;
}

}  // namespace

RealInputs readInputs(const std::string& districtPath, const std::string& riversPath, const LocalFrame& frame) {
  GDALAllRegister();
  RealInputs in;
  in.districtRings = readDistrict(districtPath, frame);
  in.districtAreaM2 = std::abs(signedArea(in.districtRings.front()));
  for (std::size_t i = 1; i < in.districtRings.size(); ++i) in.districtAreaM2 -= std::abs(signedArea(in.districtRings[i]));
  in.district = Shape(in.districtRings);
  in.rivers = readRivers(riversPath, frame);
  return in;
}

}  // namespace gtgen
