#pragma once
// Embodied carbon of imported elements (docs/bim.md "Embodied carbon"): a table of material emission factors
// (assets/bim/emission_factors.toml) matched by material name, then by element type; kgCO2e = quantity x factor.
// A material or type that matches nothing is reported, never given an invented factor.

#include <filesystem>
#include <string>
#include <vector>

#include "greentwin/connectors/bim_model.hpp"
#include "greentwin/core/status.hpp"
#include "ifc_semantics.hpp"

namespace gt::bim {

struct EmissionFactor {
  std::string id;
  std::string name;
  std::vector<std::string> match;  // lower-case substrings of material names
  double kgPerM3 = 0.0;            // exactly one of: per m3,
  double kgPerKg = 0.0;            //                 per kg (with densityKgM3 for volumes),
  double kgPerM2 = 0.0;            //                 per m2 of area
  double densityKgM3 = 0.0;
};

struct EmissionFactorTable {
  std::vector<EmissionFactor> factors;                              // in file order: first match wins
  std::vector<std::pair<std::string, std::string>> typeFallback;  // IFC type (upper case) -> factor id
  std::filesystem::path file;

  const EmissionFactor* byId(const std::string& id) const;
  const EmissionFactor* byMaterial(const std::string& materialName) const;
  const EmissionFactor* byType(const std::string& ifcType) const;
};

// Errors: NotFound, ParseError (TOML syntax, with line), InvalidArgument (a factor without exactly one rate, a
// negative value, a fallback naming no factor) — each naming the file and the entry.
Result<EmissionFactorTable> loadEmissionFactors(const std::filesystem::path& file);

// Fills every element's carbon, the per-building totals, the total and the unknown materials of `model`.
// `shares` and `isAssembly` are parallel to model.elements (materials with their volume fractions; assemblies,
// whose parts are elements of their own and carry the carbon). Missing entries count as none / false.
void computeCarbon(BimModel& model, const std::vector<std::vector<MaterialShare>>& shares,
                   const std::vector<bool>& isAssembly, const EmissionFactorTable& table);

}  // namespace gt::bim
