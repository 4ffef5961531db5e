#pragma once
// What an IFC file says, read from its STEP text (step_file.hpp) independently of the geometry library: units,
// the spatial structure (project -> site -> building -> storey -> space), the elements contained in it, their
// names, GUIDs, property sets, quantities and materials, and the georeference (IfcSite, IfcMapConversion,
// TrueNorth, how large the placement coordinates are). Runs in the importer process only.

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/connectors/bim_model.hpp"
#include "step_file.hpp"

namespace gt::bim {

// One material of an element with its share of the element's volume (layer thickness / total; 1 for a single
// material). A material list without fractions counts as its first material only.
struct MaterialShare {
  std::string name;
  double fraction = 1.0;
};

struct IfcUnits {
  double lengthToMetre = 1.0;
  double areaToSquareMetre = 1.0;
  double volumeToCubicMetre = 1.0;
  double massToKilogram = 1.0;
};

struct IfcSemantics {
  // name, ifcSchema, spatialNodes, elements (no geometry-derived fields yet), georeference.
  BimModel model;
  std::vector<std::uint64_t> elementIds;        // STEP id of each element, parallel to model.elements
  std::vector<std::vector<MaterialShare>> materialShares;  // parallel to model.elements
  std::vector<bool> isAssembly;  // parallel to model.elements: decomposed into parts that are elements
  std::unordered_map<std::uint64_t, std::size_t> elementIndexById;
  IfcUnits units;
};

// Never fails on content: what cannot be read is left empty (and counted in warnings when it matters).
IfcSemantics readIfcSemantics(const StepFile& file);

// Decimal degrees of an IfcCompoundPlaneAngleMeasure (degrees, minutes, seconds[, millionths of a second]).
double compoundAngleToDegrees(const std::vector<double>& parts);

}  // namespace gt::bim
