#pragma once
// A small CityGML 2.0 city written for the tests (connectors' reader, the runtime's loading, the render): known
// buildings in EPSG:4548 near the demo's origin (116.72 E, 39.86 N = 476040.944 E, 4414021.891 N), standing at
// 20 m above sea level.
//   L1   LoD1 solid, 20 x 10 m at (476100, 4414100), 12 m tall; name, function, measuredHeight, storeys, generics
//   L2   LoD1 solid, 15 x 15 m at (476140, 4414100), 18 m tall; usage only, an integer generic
//   H3   LoD2 gable house, 10 x 8 m at (476180, 4414100): walls, roofs and ground as boundary surfaces; eaves 6 m,
//        ridge 9 m along x at the middle of its depth
//   P4   a Building of two BuildingParts (P4a 10 x 10 m, 6 m; P4b 10 x 10 m east of it, 15 m), the building's name
//        inherited by both

#include <fstream>
#include <sstream>
#include <string>

namespace gt::testing {

inline constexpr double kCityGmlX = 476100.0;  // where L1 starts (EPSG:4548 easting)
inline constexpr double kCityGmlY = 4414100.0;
inline constexpr double kCityGmlGround = 20.0;

namespace citygml_detail {

struct P {
  double x, y, z;
};

inline std::string polygon(std::initializer_list<P> ring) {
  std::ostringstream out;
  out.precision(12);
  out << "<gml:surfaceMember><gml:Polygon><gml:exterior><gml:LinearRing><gml:posList srsDimension=\"3\">";
  for (const P& p : ring) out << p.x << ' ' << p.y << ' ' << p.z << ' ';
  const P& first = *ring.begin();
  out << first.x << ' ' << first.y << ' ' << first.z;
  out << "</gml:posList></gml:LinearRing></gml:exterior></gml:Polygon></gml:surfaceMember>\n";
  return out.str();
}

// The six faces of a box, each ring counter-clockwise seen from outside.
inline std::string boxFaces(double x, double y, double w, double d, double z0, double z1) {
  return polygon({{x, y, z0}, {x, y + d, z0}, {x + w, y + d, z0}, {x + w, y, z0}}) +  // bottom
         polygon({{x, y, z1}, {x + w, y, z1}, {x + w, y + d, z1}, {x, y + d, z1}}) +  // top
         polygon({{x, y, z0}, {x + w, y, z0}, {x + w, y, z1}, {x, y, z1}}) +          // south
         polygon({{x + w, y, z0}, {x + w, y + d, z0}, {x + w, y + d, z1}, {x + w, y, z1}}) +
         polygon({{x + w, y + d, z0}, {x, y + d, z0}, {x, y + d, z1}, {x + w, y + d, z1}}) +
         polygon({{x, y + d, z0}, {x, y, z0}, {x, y, z1}, {x, y + d, z1}});
}

inline std::string lod1Solid(double x, double y, double w, double d, double z0, double z1) {
  return "<bldg:lod1Solid><gml:Solid><gml:exterior><gml:CompositeSurface>\n" + boxFaces(x, y, w, d, z0, z1) +
         "</gml:CompositeSurface></gml:exterior></gml:Solid></bldg:lod1Solid>\n";
}

inline std::string surface(const std::string& type, const std::string& polygons) {
  return "<bldg:boundedBy><bldg:" + type + "><bldg:lod2MultiSurface><gml:MultiSurface>\n" + polygons +
         "</gml:MultiSurface></bldg:lod2MultiSurface></bldg:" + type + "></bldg:boundedBy>\n";
}

inline std::string gableHouse(double x, double y, double z0) {
  const double w = 10, d = 8, ze = z0 + 6, zr = z0 + 9;
  return surface("GroundSurface", polygon({{x, y, z0}, {x, y + d, z0}, {x + w, y + d, z0}, {x + w, y, z0}})) +
         surface("WallSurface", polygon({{x, y, z0}, {x + w, y, z0}, {x + w, y, ze}, {x, y, ze}}) +
                                    polygon({{x + w, y + d, z0}, {x, y + d, z0}, {x, y + d, ze}, {x + w, y + d, ze}}) +
                                    polygon({{x + w, y, z0}, {x + w, y + d, z0}, {x + w, y + d, ze},
                                             {x + w, y + d / 2, zr}, {x + w, y, ze}}) +
                                    polygon({{x, y + d, z0}, {x, y, z0}, {x, y, ze}, {x, y + d / 2, zr},
                                             {x, y + d, ze}})) +
         surface("RoofSurface", polygon({{x, y, ze}, {x + w, y, ze}, {x + w, y + d / 2, zr}, {x, y + d / 2, zr}}) +
                                    polygon({{x + w, y + d, ze}, {x, y + d, ze}, {x, y + d / 2, zr},
                                             {x + w, y + d / 2, zr}}));
}

}  // namespace citygml_detail

// The city as CityGML 2.0 text; srsName as given (empty: none declared).
inline std::string cityGmlSample(const std::string& srsName = "EPSG:4548") {
  using namespace citygml_detail;
  const double x = kCityGmlX, y = kCityGmlY, g = kCityGmlGround;
  std::string text = R"(<?xml version="1.0" encoding="UTF-8"?>
<core:CityModel xmlns:core="http://www.opengis.net/citygml/2.0" xmlns:bldg="http://www.opengis.net/citygml/building/2.0"
 xmlns:gen="http://www.opengis.net/citygml/generics/2.0" xmlns:gml="http://www.opengis.net/gml">
)";
  if (!srsName.empty()) {
    text += "<gml:boundedBy><gml:Envelope srsName=\"" + srsName +
            "\" srsDimension=\"3\"><gml:lowerCorner>476100 4414100 20</gml:lowerCorner>"
            "<gml:upperCorner>476220 4414150 38</gml:upperCorner></gml:Envelope></gml:boundedBy>\n";
  }
  text += R"(<core:cityObjectMember><bldg:Building gml:id="L1">
<gml:name>Tongzhou Library</gml:name>
<gen:stringAttribute name="owner"><gen:value>district</gen:value></gen:stringAttribute>
<gen:doubleAttribute name="energy_kwh"><gen:value>1250.5</gen:value></gen:doubleAttribute>
<bldg:function>library</bldg:function>
<bldg:usage>public</bldg:usage>
<bldg:measuredHeight uom="m">12.0</bldg:measuredHeight>
<bldg:storeysAboveGround>4</bldg:storeysAboveGround>
)" + lod1Solid(x, y, 20, 10, g, g + 12) +
          R"(</bldg:Building></core:cityObjectMember>
<core:cityObjectMember><bldg:Building gml:id="L2">
<gen:intAttribute name="units"><gen:value>36</gen:value></gen:intAttribute>
<bldg:usage>office</bldg:usage>
)" + lod1Solid(x + 40, y, 15, 15, g, g + 18) +
          R"(</bldg:Building></core:cityObjectMember>
<core:cityObjectMember><bldg:Building gml:id="H3">
<gml:name>Gable House</gml:name>
<bldg:measuredHeight uom="m">9.0</bldg:measuredHeight>
)" + gableHouse(x + 80, y, g) +
          R"(</bldg:Building></core:cityObjectMember>
<core:cityObjectMember><bldg:Building gml:id="P4">
<gml:name>Twin Halls</gml:name>
<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="P4a">
)" + lod1Solid(x, y + 40, 10, 10, g, g + 6) +
          R"(</bldg:BuildingPart></bldg:consistsOfBuildingPart>
<bldg:consistsOfBuildingPart><bldg:BuildingPart gml:id="P4b">
<bldg:measuredHeight uom="m">15.0</bldg:measuredHeight>
)" + lod1Solid(x + 10, y + 40, 10, 10, g, g + 15) +
          R"(</bldg:BuildingPart></bldg:consistsOfBuildingPart>
</bldg:Building></core:cityObjectMember>
</core:CityModel>
)";
  return text;
}

inline void writeTextFile(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

}  // namespace gt::testing
