#pragma once
// Reading the real inputs (district boundary, river lines) and the lon/lat <-> local mapping.

#include <stdexcept>
#include <string>

#include "city.hpp"
#include "greentwin/core/geo_frame.hpp"

namespace gtgen {

// An error the tool reports to the user and exits with 1 (bad input, write failure).
class ToolError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// lon/lat (degrees) -> local metres in the twin's scene frame. Not thread-safe (PROJ), like GeoFrame.
class LocalFrame {
 public:
  explicit LocalFrame(gt::GeoFrame frame) : frame_(std::move(frame)) {}
  P2 local(double lon, double lat) const;
  // Local -> scene CRS (EPSG:4548 easting/northing) offset: projected = local + originProjected().
  P2 originProjected() const;
  const gt::GeoFrame& geoFrame() const { return frame_; }

 private:
  gt::GeoFrame frame_;
};

// Reads the district polygon (the feature named 通州区, or the only feature) and all river lines; throws
// ToolError naming the file on any problem.
RealInputs readInputs(const std::string& districtPath, const std::string& riversPath, const LocalFrame& frame);

}  // namespace gtgen
