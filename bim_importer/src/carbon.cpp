#include "carbon.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <toml++/toml.h>

namespace gt::bim {
namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::toupper(c); });
  return s;
}

}  // namespace

const EmissionFactor* EmissionFactorTable::byId(const std::string& id) const {
  for (const EmissionFactor& f : factors) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

const EmissionFactor* EmissionFactorTable::byMaterial(const std::string& materialName) const {
  const std::string name = lower(materialName);
  if (name.empty()) return nullptr;
  for (const EmissionFactor& f : factors) {
    for (const std::string& m : f.match) {
      if (!m.empty() && name.find(m) != std::string::npos) return &f;
    }
  }
  return nullptr;
}

const EmissionFactor* EmissionFactorTable::byType(const std::string& ifcType) const {
  for (const auto& [type, id] : typeFallback) {
    if (type == ifcType) return byId(id);
  }
  return nullptr;
}

Result<EmissionFactorTable> loadEmissionFactors(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Status(ErrorCode::NotFound, "emission factor table not found: " + file.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  EmissionFactorTable table;
  table.file = file;
  toml::table root;
  try {
    root = toml::parse(buffer.str(), file.string());
  } catch (const toml::parse_error& e) {
    return Status(ErrorCode::ParseError, file.string() + ":" + std::to_string(e.source().begin.line) + ": " +
                                             std::string(e.description()));
  }
  const auto bad = [&](const std::string& what) { return Status(ErrorCode::InvalidArgument, file.string() + ": " + what); };
  const toml::array* factors = root["factor"].as_array();
  if (!factors) return bad("no [[factor]] entries");
  for (const toml::node& node : *factors) {
    const toml::table* t = node.as_table();
    if (!t) return bad("[[factor]] must be a table");
    EmissionFactor f;
    f.id = (*t)["id"].value_or(std::string());
    f.name = (*t)["name"].value_or(f.id);
    if (f.id.empty()) return bad("a [[factor]] without id (line " + std::to_string(t->source().begin.line) + ")");
    if (table.byId(f.id)) return bad("factor '" + f.id + "' is defined twice");
    if (const toml::array* match = (*t)["match"].as_array()) {
      for (const toml::node& m : *match) {
        if (const auto s = m.value<std::string>()) f.match.push_back(lower(*s));
      }
    }
    f.kgPerM3 = (*t)["kgco2e_per_m3"].value_or(0.0);
    f.kgPerKg = (*t)["kgco2e_per_kg"].value_or(0.0);
    f.kgPerM2 = (*t)["kgco2e_per_m2"].value_or(0.0);
    f.densityKgM3 = (*t)["density_kg_m3"].value_or(0.0);
    const int rates = (f.kgPerM3 > 0) + (f.kgPerKg > 0) + (f.kgPerM2 > 0);
    if (rates != 1 || f.kgPerM3 < 0 || f.kgPerKg < 0 || f.kgPerM2 < 0 || f.densityKgM3 < 0) {
      return bad("factor '" + f.id + "' needs exactly one positive kgco2e_per_m3, kgco2e_per_kg or kgco2e_per_m2");
    }
    table.factors.push_back(std::move(f));
  }
  if (const toml::table* types = root["type_fallback"].as_table()) {
    for (const auto& [key, value] : *types) {
      const auto id = value.value<std::string>();
      if (!id || !table.byId(*id)) {
        return bad("type_fallback." + std::string(key.str()) + " names no [[factor]] id");
      }
      table.typeFallback.emplace_back(upper(std::string(key.str())), *id);
    }
  }
  return table;
}

void computeCarbon(BimModel& model, const std::vector<std::vector<MaterialShare>>& shares,
                   const std::vector<bool>& isAssembly, const EmissionFactorTable& table) {
  std::set<std::string> unknown;
  std::map<std::string, std::size_t> buildingIndex;
  model.carbonByBuilding.clear();
  for (const BimSpatialNode& n : model.spatialNodes) {
    if (n.ifcType != "IFCBUILDING") continue;
    buildingIndex[n.guid] = model.carbonByBuilding.size();
    model.carbonByBuilding.push_back(BimBuildingCarbon{n.guid, n.name, 0.0, 0, 0, 0});
  }
  model.carbonTotalKgCo2e = 0.0;

  for (std::size_t i = 0; i < model.elements.size(); ++i) {
    BimElement& e = model.elements[i];
    BimCarbon c;
    if (i < isAssembly.size() && isAssembly[i]) {
      c.status = CarbonStatus::CountedInParts;
      e.carbon = c;
      continue;
    }
    // (factor, fraction of the element) pairs: by material, else by type.
    std::vector<std::pair<const EmissionFactor*, double>> parts;
    std::vector<std::string> unmatched;
    const std::vector<MaterialShare> none;
    const auto& mats = i < shares.size() ? shares[i] : none;
    for (const MaterialShare& m : mats) {
      if (m.fraction <= 0) continue;
      if (const EmissionFactor* f = table.byMaterial(m.name)) {
        parts.emplace_back(f, m.fraction);
      } else {
        unmatched.push_back(m.name.empty() ? "(unnamed material)" : m.name);
      }
    }
    if (!parts.empty()) {
      c.matchedBy = "material";
    } else if (const EmissionFactor* f = table.byType(e.ifcType)) {
      parts.emplace_back(f, 1.0);
      c.matchedBy = "type";
      unmatched.clear();
    }
    if (parts.empty()) {
      c.status = CarbonStatus::UnknownMaterial;
      if (unmatched.empty()) {
        unknown.insert(e.ifcType + " (no material)");
      } else {
        for (const std::string& u : unmatched) unknown.insert(u + " (" + e.ifcType + ")");
      }
    } else {
      // Partially matched layers are reported too; their share is left out, not guessed.
      for (const std::string& u : unmatched) unknown.insert(u + " (" + e.ifcType + ")");
      const auto primary = std::max_element(parts.begin(), parts.end(),
                                            [](const auto& a, const auto& b) { return a.second < b.second; });
      c.factorId = primary->first->id;
      double total = 0.0;
      bool missing = false;
      for (const auto& [f, fraction] : parts) {
        if (f->kgPerM2 > 0) {
          if (!e.areaM2) { missing = true; continue; }
          total += *e.areaM2 * f->kgPerM2;  // an area factor covers the whole element
          if (f == primary->first) c.basis = "area", c.quantity = *e.areaM2;
        } else if (f->kgPerM3 > 0) {
          if (!e.volumeM3) { missing = true; continue; }
          total += *e.volumeM3 * fraction * f->kgPerM3;
          if (f == primary->first) c.basis = "volume", c.quantity = *e.volumeM3;
        } else {
          std::optional<double> mass;
          const BimProperty* weight = nullptr;
          for (const BimPropertySet& s : e.propertySets) {
            for (const BimProperty& p : s.values) {
              if (s.isQuantitySet && p.unit == "kg" && p.number && *p.number > 0) weight = &p;
            }
          }
          if (weight && parts.size() == 1) {
            mass = *weight->number;
          } else if (e.volumeM3 && f->densityKgM3 > 0) {
            mass = *e.volumeM3 * fraction * f->densityKgM3;
          }
          if (!mass) { missing = true; continue; }
          total += *mass * f->kgPerKg;
          if (f == primary->first) c.basis = "mass", c.quantity = *mass;
        }
      }
      if (missing && total <= 0.0) {
        c.status = CarbonStatus::NoQuantity;
      } else {
        c.status = CarbonStatus::Ok;
        c.kgCo2e = total;
      }
    }
    e.carbon = c;
    if (c.status == CarbonStatus::Ok) model.carbonTotalKgCo2e += c.kgCo2e;
    const auto b = buildingIndex.find(e.buildingGuid);
    if (b != buildingIndex.end()) {
      BimBuildingCarbon& bc = model.carbonByBuilding[b->second];
      if (c.status == CarbonStatus::Ok) ++bc.elementsOk, bc.kgCo2e += c.kgCo2e;
      if (c.status == CarbonStatus::UnknownMaterial) ++bc.elementsUnknownMaterial;
      if (c.status == CarbonStatus::NoQuantity) ++bc.elementsNoQuantity;
    }
  }
  model.unknownMaterials.assign(unknown.begin(), unknown.end());
  model.emissionFactorsFile = table.file.string();
}

}  // namespace gt::bim
