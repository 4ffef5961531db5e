#pragma once
// A small city written as files for tests that need a real twin quickly: `count` square buildings in a row near the
// scene origin (building i: id "b<i>", 10 + 5 i m tall, use "office" for even i and "home" for odd), a park, and a
// config with a "city" buildings layer (and the "parks" vector layer below it when asked).

#include <fstream>
#include <string>

#include "test_folder.hpp"

namespace gt::testing {

inline void writeSmallCity(const TestFolder& folder, int count, bool withParks) {
  std::ofstream buildings(folder.file("buildings.geojson"));
  buildings.precision(10);  // the corners are 0.0003 degrees apart
  buildings << R"({"type":"FeatureCollection","features":[)";
  for (int i = 0; i < count; ++i) {
    const double lon = 116.72 + 0.001 * i;
    const double lat = 39.86;
    buildings << (i > 0 ? "," : "") << R"({"type":"Feature","properties":{"id":"b)" << i << R"(","height_m":)"
              << 10 + 5 * i << R"(,"use":")" << (i % 2 == 0 ? "office" : "home")
              << R"("},"geometry":{"type":"Polygon","coordinates":[[[)" << lon << "," << lat << "],[" << lon + 0.0003
              << "," << lat << "],[" << lon + 0.0003 << "," << lat + 0.0003 << "],[" << lon << "," << lat + 0.0003
              << "],[" << lon << "," << lat << "]]]}}";
  }
  buildings << "]}";
  std::ofstream(folder.file("parks.geojson"))
      << R"({"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"p1","kind":"park"},)"
      << R"("geometry":{"type":"Polygon","coordinates":[[[116.70,39.85],[116.71,39.85],[116.71,39.855],[116.70,39.85]]]}}]})";
  std::string config = "[scene]\norigin_lon = 116.72\norigin_lat = 39.86\n";
  if (withParks) config += "\n[[layers]]\nid = \"parks\"\ntype = \"vector\"\nsource = \"parks.geojson\"\nid_attribute = \"id\"\n";
  config += "\n[[layers]]\nid = \"city\"\ntype = \"buildings\"\nsource = \"buildings.geojson\"\nid_attribute = \"id\"\n"
            "[layers.style]\nfill_color = \"#aaaaaa\"\nheight_attribute = \"height_m\"\n";
  std::ofstream(folder.file("greentwin.toml")) << config;
}

}  // namespace gt::testing
