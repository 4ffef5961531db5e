#include "ifc_semantics.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numbers>
#include <set>
#include <unordered_set>

namespace gt::bim {
namespace {

const std::set<std::string_view> kSpatialTypes = {"IFCPROJECT", "IFCSITE", "IFCBUILDING", "IFCBUILDINGSTOREY",
                                                   "IFCSPACE"};
// Never elements: voids, virtual boundaries and drawing annotation.
const std::set<std::string_view> kNotElements = {"IFCOPENINGELEMENT", "IFCOPENINGSTANDARDCASE",
                                                 "IFCVIRTUALELEMENT", "IFCANNOTATION", "IFCGRID"};

double siPrefix(const std::string& prefix) {
  static const std::unordered_map<std::string, double> kPrefixes = {
      {"EXA", 1e18}, {"PETA", 1e15}, {"TERA", 1e12}, {"GIGA", 1e9},   {"MEGA", 1e6},   {"KILO", 1e3},
      {"HECTO", 1e2}, {"DECA", 1e1}, {"DECI", 1e-1}, {"CENTI", 1e-2}, {"MILLI", 1e-3}, {"MICRO", 1e-6},
      {"NANO", 1e-9}, {"PICO", 1e-12}, {"FEMTO", 1e-15}, {"ATTO", 1e-18}};
  const auto it = kPrefixes.find(prefix);
  return it == kPrefixes.end() ? 1.0 : it->second;
}

bool finitePositive(double v) { return std::isfinite(v) && v > 0.0; }

class Reader {
 public:
  explicit Reader(const StepFile& file) : f_(file) {}

  IfcSemantics run() {
    out_.model.ifcSchema = f_.schema().rfind("IFC4", 0) == 0 ? "IFC4" : "IFC2X3";
    out_.model.sourceKind = "ifc";
    readUnits();
    readSpatial();
    readElements();
    readProperties();
    readMaterials();
    readGeoreference();
    if (f_.truncated()) {
      out_.model.warnings.push_back("the file is truncated (no ENDSEC / END-ISO-10303-21): the model may be incomplete");
    }
    if (f_.malformedCount() > 0) {
      out_.model.warnings.push_back(std::to_string(f_.malformedCount()) +
                                    " malformed STEP instances were skipped");
    }
    return std::move(out_);
  }

 private:
  // ---- units -------------------------------------------------------------------------------------------------
  // Factor of an IfcSIUnit / IfcConversionBasedUnit to SI base (m, m2, m3, kg), by unit type.
  std::optional<std::pair<std::string, double>> unitFactor(std::uint64_t id, int depth = 0) {
    const StepInstance* inst = f_.find(id);
    if (!inst || depth > 4) return std::nullopt;
    const auto a = f_.args(*inst);
    const auto type = argEnum(a, 1);
    if (!type) return std::nullopt;
    if (inst->type == "IFCSIUNIT") {
      const double p = siPrefix(argEnum(a, 2).value_or(""));
      const std::string name = argEnum(a, 3).value_or("");
      double factor = p;
      if (name == "SQUARE_METRE") factor = p * p;
      if (name == "CUBIC_METRE") factor = p * p * p;
      if (name == "GRAM") factor = p * 1e-3;
      return std::make_pair(*type, factor);
    }
    if (inst->type == "IFCCONVERSIONBASEDUNIT") {
      // (Dimensions, UnitType, Name, ConversionFactor -> IfcMeasureWithUnit(ValueComponent, UnitComponent))
      const auto measure = argRef(a, 3);
      if (!measure) return std::nullopt;
      const auto m = f_.args(*measure);
      const auto value = argNumber(m, 0);
      const auto unit = argRef(m, 1);
      if (!value || !unit) return std::nullopt;
      const auto base = unitFactor(*unit, depth + 1);
      if (!base) return std::nullopt;
      return std::make_pair(*type, *value * base->second);
    }
    return std::nullopt;
  }

  void readUnits() {
    bool haveArea = false;
    bool haveVolume = false;
    for (std::uint64_t id : f_.ofType("IFCUNITASSIGNMENT")) {
      for (std::uint64_t unit : argRefList(f_.args(id), 0)) {
        const auto u = unitFactor(unit);
        if (!u || !finitePositive(u->second)) continue;
        if (u->first == "LENGTHUNIT") out_.units.lengthToMetre = u->second;
        if (u->first == "AREAUNIT") out_.units.areaToSquareMetre = u->second, haveArea = true;
        if (u->first == "VOLUMEUNIT") out_.units.volumeToCubicMetre = u->second, haveVolume = true;
        if (u->first == "MASSUNIT") out_.units.massToKilogram = u->second;
      }
      break;  // the project's assignment
    }
    const double l = out_.units.lengthToMetre;
    if (!haveArea) out_.units.areaToSquareMetre = l * l;
    if (!haveVolume) out_.units.volumeToCubicMetre = l * l * l;
  }

  // ---- spatial structure --------------------------------------------------------------------------------------
  std::string guidOf(std::uint64_t id, const std::vector<StepValue>& a) {
    std::string guid = argString(a, 0).value_or("");
    if (guid.empty()) guid = "#" + std::to_string(id);
    if (!usedGuids_.insert(guid).second) {
      out_.model.warnings.push_back("duplicate GlobalId " + guid + " (instance #" + std::to_string(id) + ")");
      guid += "#" + std::to_string(id);
      usedGuids_.insert(guid);
    }
    return guid;
  }

  void readSpatial() {
    // Every spatial instance, in file order, the project first.
    std::vector<std::uint64_t> ids;
    for (std::string_view type : kSpatialTypes) {
      const auto& v = f_.ofType(type);
      ids.insert(ids.end(), v.begin(), v.end());
    }
    std::sort(ids.begin(), ids.end());
    std::stable_partition(ids.begin(), ids.end(),
                          [&](std::uint64_t id) { return f_.find(id)->type == "IFCPROJECT"; });
    for (std::uint64_t id : ids) {
      const StepInstance* inst = f_.find(id);
      const auto a = f_.args(*inst);
      BimSpatialNode node;
      node.guid = guidOf(id, a);
      node.ifcType = std::string(inst->type);
      node.name = argString(a, 2).value_or("");
      if (inst->type == "IFCBUILDINGSTOREY") {
        if (const auto e = argNumber(a, 9)) node.elevationM = *e * out_.units.lengthToMetre;
      }
      if (inst->type == "IFCPROJECT" && out_.model.name.empty()) {
        out_.model.name = argString(a, 2).value_or(argString(a, 7).value_or(""));
      }
      spatialIndex_[id] = out_.model.spatialNodes.size();
      out_.model.spatialNodes.push_back(std::move(node));
    }
    // Aggregation among spatial nodes, and element parts (decomposition) for later.
    for (std::uint64_t id : f_.ofType("IFCRELAGGREGATES")) {
      const auto a = f_.args(id);
      const auto relating = argRef(a, 4);
      if (!relating) continue;
      for (std::uint64_t child : argRefList(a, 5)) {
        const auto parentIt = spatialIndex_.find(*relating);
        const auto childIt = spatialIndex_.find(child);
        if (parentIt != spatialIndex_.end() && childIt != spatialIndex_.end()) {
          if (spatialParent_.count(childIt->second) == 0 && childIt->second != parentIt->second) {
            out_.model.spatialNodes[parentIt->second].children.push_back(childIt->second);
            spatialParent_[childIt->second] = parentIt->second;
          }
        } else if (childIt == spatialIndex_.end()) {
          parts_[*relating].push_back(child);
        }
      }
    }
  }

  // The nearest ancestor (or self) of a spatial node of the given type.
  std::optional<std::size_t> spatialAncestor(std::size_t node, std::string_view type) const {
    for (int guard = 0; guard < 64; ++guard) {
      if (out_.model.spatialNodes[node].ifcType == type) return node;
      const auto it = spatialParent_.find(node);
      if (it == spatialParent_.end()) return std::nullopt;
      node = it->second;
    }
    return std::nullopt;
  }

  // ---- elements ---------------------------------------------------------------------------------------------
  void addElement(std::uint64_t id, std::size_t container, int depth) {
    const StepInstance* inst = f_.find(id);
    if (!inst || depth > 16 || out_.elementIndexById.count(id) != 0) return;
    if (kSpatialTypes.count(inst->type) != 0 || kNotElements.count(inst->type) != 0) return;
    const auto a = f_.args(*inst);
    BimElement e;
    e.guid = guidOf(id, a);
    e.ifcType = std::string(inst->type);
    e.name = argString(a, 2).value_or("");
    if (const auto space = spatialAncestor(container, "IFCSPACE")) e.spaceGuid = out_.model.spatialNodes[*space].guid;
    if (const auto storey = spatialAncestor(container, "IFCBUILDINGSTOREY")) {
      e.storeyGuid = out_.model.spatialNodes[*storey].guid;
    }
    if (const auto building = spatialAncestor(container, "IFCBUILDING")) {
      e.buildingGuid = out_.model.spatialNodes[*building].guid;
    }
    // Attributes every IfcElement has, as a pseudo property set (the test files carry few property sets).
    BimPropertySet attributes;
    attributes.name = "Attributes";
    const auto addAttr = [&](const char* name, std::size_t index) {
      if (index >= a.size()) return;
      const StepValue& v = a[index].unwrapped();
      if (v.kind == StepValue::Kind::Null || v.kind == StepValue::Kind::Derived || v.kind == StepValue::Kind::Ref) {
        return;
      }
      BimProperty p;
      p.name = name;
      p.text = valueText(v);
      if (v.isNumber()) p.number = v.number;
      attributes.values.push_back(std::move(p));
    };
    addAttr("Description", 3);
    addAttr("ObjectType", 4);
    addAttr("Tag", 7);
    if (inst->type == "IFCDOOR" || inst->type == "IFCWINDOW") {
      // OverallHeight, OverallWidth (length units) -> an area for the carbon of openings.
      const auto h = argNumber(a, 8);
      const auto w = argNumber(a, 9);
      const double l = out_.units.lengthToMetre;
      if (h) attributes.values.push_back({"OverallHeight", std::to_string(*h * l), *h * l, "m"});
      if (w) attributes.values.push_back({"OverallWidth", std::to_string(*w * l), *w * l, "m"});
      if (h && w && *h > 0 && *w > 0) e.areaM2 = *h * *w * l * l;
    }
    if (!attributes.values.empty()) e.propertySets.push_back(std::move(attributes));

    const std::size_t index = out_.model.elements.size();
    out_.model.spatialNodes[container].elements.push_back(index);
    out_.elementIndexById[id] = index;
    out_.elementIds.push_back(id);
    out_.model.elements.push_back(std::move(e));
    out_.materialShares.emplace_back();
    out_.isAssembly.push_back(false);
    const auto partsIt = parts_.find(id);
    if (partsIt != parts_.end()) {
      const std::size_t before = out_.model.elements.size();
      for (std::uint64_t part : partsIt->second) addElement(part, container, depth + 1);
      out_.isAssembly[index] = out_.model.elements.size() > before;
    }
  }

  void readElements() {
    for (std::uint64_t id : f_.ofType("IFCRELCONTAINEDINSPATIALSTRUCTURE")) {
      const auto a = f_.args(id);
      const auto structure = argRef(a, 5);
      if (!structure) continue;
      const auto it = spatialIndex_.find(*structure);
      if (it == spatialIndex_.end()) continue;
      for (std::uint64_t element : argRefList(a, 4)) addElement(element, it->second, 0);
    }
  }

  // ---- properties and quantities ----------------------------------------------------------------------------
  std::optional<BimProperty> readProperty(std::uint64_t id) {
    const StepInstance* inst = f_.find(id);
    if (!inst) return std::nullopt;
    const auto a = f_.args(*inst);
    BimProperty p;
    p.name = argString(a, 0).value_or("");
    if (p.name.empty()) return std::nullopt;
    const auto scaled = [&](const StepValue& raw) {
      const StepValue& v = raw.unwrapped();
      p.text = valueText(raw);
      if (!v.isNumber()) return;
      double factor = 1.0;
      const std::string& t = raw.kind == StepValue::Kind::Typed ? raw.text : std::string();
      if (t.find("AREAMEASURE") != std::string::npos) {
        factor = out_.units.areaToSquareMetre;
      } else if (t.find("VOLUMEMEASURE") != std::string::npos) {
        factor = out_.units.volumeToCubicMetre;
      } else if (t.find("LENGTHMEASURE") != std::string::npos) {
        factor = out_.units.lengthToMetre;
      }
      p.number = v.number * factor;
      if (factor != 1.0) p.text = valueText(StepValue{StepValue::Kind::Real, *p.number, 0, {}, {}});
    };
    const std::string_view t = inst->type;
    if (t == "IFCPROPERTYSINGLEVALUE") {
      if (a.size() > 2) scaled(a[2]);
    } else if (t == "IFCPROPERTYENUMERATEDVALUE" || t == "IFCPROPERTYLISTVALUE") {
      if (a.size() > 2) p.text = valueText(a[2]);
    } else if (t == "IFCPROPERTYBOUNDEDVALUE") {
      const std::string upper = a.size() > 2 ? valueText(a[2]) : "";
      const std::string lower = a.size() > 3 ? valueText(a[3]) : "";
      p.text = lower + " .. " + upper;
    } else if (t.rfind("IFCQUANTITY", 0) == 0) {
      const auto value = argNumber(a, 3);
      if (!value) return std::nullopt;
      double factor = 1.0;
      if (t == "IFCQUANTITYLENGTH") factor = out_.units.lengthToMetre, p.unit = "m";
      if (t == "IFCQUANTITYAREA") factor = out_.units.areaToSquareMetre, p.unit = "m2";
      if (t == "IFCQUANTITYVOLUME") factor = out_.units.volumeToCubicMetre, p.unit = "m3";
      if (t == "IFCQUANTITYWEIGHT") factor = out_.units.massToKilogram, p.unit = "kg";
      if (t == "IFCQUANTITYCOUNT") p.unit = "count";
      if (t == "IFCQUANTITYTIME") p.unit = "s";
      p.number = *value * factor;
      p.text = valueText(StepValue{StepValue::Kind::Real, *p.number, 0, {}, {}});
    } else {
      p.text = std::string(t);
    }
    return p;
  }

  std::optional<BimPropertySet> readPropertySet(std::uint64_t id) {
    const StepInstance* inst = f_.find(id);
    if (!inst) return std::nullopt;
    const auto a = f_.args(*inst);
    BimPropertySet set;
    set.name = argString(a, 2).value_or("");
    std::vector<std::uint64_t> members;
    if (inst->type == "IFCPROPERTYSET") {
      members = argRefList(a, 4);
    } else if (inst->type == "IFCELEMENTQUANTITY") {
      set.isQuantitySet = true;
      members = argRefList(a, 5);
    } else {
      return std::nullopt;
    }
    for (std::uint64_t m : members) {
      if (auto p = readProperty(m)) set.values.push_back(std::move(*p));
    }
    return set;
  }

  static void mergeSet(std::vector<BimPropertySet>& sets, BimPropertySet set, bool occurrenceWins) {
    for (BimPropertySet& existing : sets) {
      if (existing.name != set.name || existing.isQuantitySet != set.isQuantitySet) continue;
      for (BimProperty& p : set.values) {
        auto it = std::find_if(existing.values.begin(), existing.values.end(),
                               [&](const BimProperty& q) { return q.name == p.name; });
        if (it == existing.values.end()) {
          existing.values.push_back(std::move(p));
        } else if (!occurrenceWins) {
          *it = std::move(p);
        }
      }
      return;
    }
    sets.push_back(std::move(set));
  }

  void readProperties() {
    std::unordered_map<std::uint64_t, std::optional<BimPropertySet>> cache;
    const auto setOf = [&](std::uint64_t id) -> const std::optional<BimPropertySet>& {
      auto it = cache.find(id);
      if (it == cache.end()) it = cache.emplace(id, readPropertySet(id)).first;
      return it->second;
    };
    for (std::uint64_t id : f_.ofType("IFCRELDEFINESBYPROPERTIES")) {
      const auto a = f_.args(id);
      const auto def = argRef(a, 5);
      if (!def) continue;
      const auto& set = setOf(*def);
      if (!set) continue;
      for (std::uint64_t obj : argRefList(a, 4)) {
        const auto it = out_.elementIndexById.find(obj);
        if (it != out_.elementIndexById.end()) mergeSet(out_.model.elements[it->second].propertySets, *set, false);
      }
    }
    // Sets of the element's type object: they apply unless the occurrence overrides a property.
    for (std::uint64_t id : f_.ofType("IFCRELDEFINESBYTYPE")) {
      const auto a = f_.args(id);
      const auto typeRef = argRef(a, 5);
      if (!typeRef) continue;
      const auto typeArgs = f_.args(*typeRef);
      const std::vector<std::uint64_t> typeSets = argRefList(typeArgs, 5);
      const std::string typeName = argString(typeArgs, 2).value_or("");
      for (std::uint64_t obj : argRefList(a, 4)) {
        const auto it = out_.elementIndexById.find(obj);
        if (it == out_.elementIndexById.end()) continue;
        BimElement& e = out_.model.elements[it->second];
        typeOf_[obj] = *typeRef;
        if (!typeName.empty()) {
          mergeSet(e.propertySets, BimPropertySet{"Type", false, {{"Name", typeName, std::nullopt, ""}}}, true);
        }
        for (std::uint64_t s : typeSets) {
          const auto& set = setOf(s);
          if (set) mergeSet(e.propertySets, *set, true);
        }
      }
    }
    // Volume and area for carbon from quantities: net preferred over gross, then any.
    for (BimElement& e : out_.model.elements) {
      const auto pick = [&](const std::string& unit, std::initializer_list<const char*> preferred)
          -> std::optional<double> {
        for (const char* name : preferred) {
          for (const BimPropertySet& s : e.propertySets) {
            if (!s.isQuantitySet) continue;
            for (const BimProperty& p : s.values) {
              if (p.unit == unit && p.name == name && p.number && finitePositive(*p.number)) return p.number;
            }
          }
        }
        for (const BimPropertySet& s : e.propertySets) {
          if (!s.isQuantitySet) continue;
          for (const BimProperty& p : s.values) {
            if (p.unit == unit && p.number && finitePositive(*p.number)) return p.number;
          }
        }
        return std::nullopt;
      };
      if (const auto v = pick("m3", {"NetVolume", "GrossVolume"})) {
        e.volumeM3 = v;
        e.volumeSource = "quantity";
      }
      if (const auto ar = pick("m2", {"NetSideArea", "NetArea", "NetFootprintArea", "GrossSideArea", "GrossArea",
                                      "GrossFootprintArea"})) {
        e.areaM2 = ar;
      }
    }
  }

  // ---- materials --------------------------------------------------------------------------------------------
  std::vector<MaterialShare> readMaterial(std::uint64_t id, int depth = 0) {
    std::vector<MaterialShare> out;
    const StepInstance* inst = f_.find(id);
    if (!inst || depth > 6) return out;
    const auto a = f_.args(*inst);
    const std::string_view t = inst->type;
    if (t == "IFCMATERIAL") {
      out.push_back({argString(a, 0).value_or(""), 1.0});
    } else if (t == "IFCMATERIALLAYERSETUSAGE" || t == "IFCMATERIALPROFILESETUSAGE") {
      if (const auto set = argRef(a, 0)) out = readMaterial(*set, depth + 1);
    } else if (t == "IFCMATERIALLAYERSET") {
      double total = 0.0;
      std::vector<std::pair<std::string, double>> layers;
      for (std::uint64_t layer : argRefList(a, 0)) {
        const auto la = f_.args(layer);
        const auto mat = argRef(la, 0);
        const double thickness = std::max(0.0, argNumber(la, 1).value_or(0.0));
        std::string name = mat ? argString(f_.args(*mat), 0).value_or("") : "";
        layers.emplace_back(std::move(name), thickness);
        total += thickness;
      }
      for (auto& [name, thickness] : layers) {
        out.push_back({std::move(name), total > 0 ? thickness / total : 1.0 / static_cast<double>(layers.size())});
      }
    } else if (t == "IFCMATERIALLIST") {
      const auto mats = argRefList(a, 0);
      for (std::size_t i = 0; i < mats.size(); ++i) {
        out.push_back({argString(f_.args(mats[i]), 0).value_or(""), i == 0 ? 1.0 : 0.0});
      }
    } else if (t == "IFCMATERIALPROFILESET") {
      const auto profiles = argRefList(a, 2);
      for (std::size_t i = 0; i < profiles.size(); ++i) {
        const auto mat = argRef(f_.args(profiles[i]), 2);
        out.push_back({mat ? argString(f_.args(*mat), 0).value_or("") : "", i == 0 ? 1.0 : 0.0});
      }
    } else if (t == "IFCMATERIALCONSTITUENTSET") {
      const auto parts = argRefList(a, 2);
      bool allFractions = true;
      for (std::uint64_t p : parts) {
        const auto pa = f_.args(p);
        const auto mat = argRef(pa, 2);
        const auto fraction = argNumber(pa, 3);
        allFractions = allFractions && fraction.has_value();
        out.push_back({mat ? argString(f_.args(*mat), 0).value_or("") : "", fraction.value_or(0.0)});
      }
      if (!allFractions) {
        for (std::size_t i = 0; i < out.size(); ++i) out[i].fraction = i == 0 ? 1.0 : 0.0;
      }
    }
    return out;
  }

  void readMaterials() {
    std::unordered_map<std::uint64_t, std::vector<MaterialShare>> byObject;  // occurrence or type id
    for (std::uint64_t id : f_.ofType("IFCRELASSOCIATESMATERIAL")) {
      const auto a = f_.args(id);
      const auto mat = argRef(a, 5);
      if (!mat) continue;
      const auto shares = readMaterial(*mat);
      if (shares.empty()) continue;
      for (std::uint64_t obj : argRefList(a, 4)) byObject[obj] = shares;
    }
    for (std::size_t i = 0; i < out_.model.elements.size(); ++i) {
      const std::uint64_t id = out_.elementIds[i];
      auto it = byObject.find(id);
      if (it == byObject.end()) {
        const auto typeIt = typeOf_.find(id);
        if (typeIt != typeOf_.end()) it = byObject.find(typeIt->second);
      }
      if (it == byObject.end()) continue;
      BimElement& e = out_.model.elements[i];
      out_.materialShares[i] = it->second;
      double best = -1.0;
      for (const MaterialShare& s : it->second) {
        e.materials.push_back(s.name);
        if (s.fraction > best) best = s.fraction, e.material = s.name;
      }
    }
  }

  // ---- georeference -----------------------------------------------------------------------------------------
  std::optional<double> compoundAngle(const std::vector<StepValue>& a, std::size_t index) {
    if (index >= a.size() || a[index].kind != StepValue::Kind::List) return std::nullopt;
    std::vector<double> parts;
    for (const StepValue& v : a[index].items) {
      if (!v.isNumber()) return std::nullopt;
      parts.push_back(v.number);
    }
    if (parts.empty()) return std::nullopt;
    return compoundAngleToDegrees(parts);
  }

  void readGeoreference() {
    BimGeoreference& g = out_.model.georeference;
    const double l = out_.units.lengthToMetre;
    const auto& sites = f_.ofType("IFCSITE");
    if (!sites.empty()) {
      const auto a = f_.args(sites.front());
      g.siteLatitude = compoundAngle(a, 9);
      g.siteLongitude = compoundAngle(a, 10);
      if (const auto e = argNumber(a, 11)) g.siteElevation = *e * l;
      if (!g.siteLatitude || !g.siteLongitude) g.siteLatitude.reset(), g.siteLongitude.reset();
    }
    const auto& conversions = f_.ofType("IFCMAPCONVERSION");
    if (!conversions.empty()) {
      const auto a = f_.args(conversions.front());
      g.hasMapConversion = true;
      double mapUnit = l;
      if (const auto target = argRef(a, 1)) {
        const auto crs = f_.args(*target);
        g.mapCrsName = argString(crs, 0).value_or("");
        if (const auto unit = argRef(crs, 6)) {
          if (const auto u = unitFactor(*unit)) mapUnit = u->second;
        }
      }
      g.eastings = argNumber(a, 2).value_or(0.0) * mapUnit;
      g.northings = argNumber(a, 3).value_or(0.0) * mapUnit;
      g.orthogonalHeight = argNumber(a, 4).value_or(0.0) * mapUnit;
      g.xAxisAbscissa = argNumber(a, 5).value_or(1.0);
      g.xAxisOrdinate = argNumber(a, 6).value_or(0.0);
      // Scale converts project length units to map units; coordinates are already metres here.
      if (const auto s = argNumber(a, 7); s && finitePositive(*s)) g.mapScale = *s * mapUnit / l;
    }
    for (std::uint64_t id : f_.ofType("IFCGEOMETRICREPRESENTATIONCONTEXT")) {
      const auto a = f_.args(id);
      const auto north = argRef(a, 5);
      if (!north) continue;
      const auto d = f_.args(*north);
      if (d.empty() || d[0].kind != StepValue::Kind::List || d[0].items.size() < 2) continue;
      const double x = d[0].items[0].number;
      const double y = d[0].items[1].number;
      if (std::hypot(x, y) > 0) g.trueNorthDeg = std::atan2(-x, y) * 180.0 / std::numbers::pi;
      break;
    }
    // How large the placement coordinates are: projected coordinates written into the placements show up here.
    for (std::uint64_t id : f_.ofType("IFCLOCALPLACEMENT")) {
      const auto rel = argRef(f_.args(id), 1);
      if (!rel) continue;
      const auto loc = argRef(f_.args(*rel), 0);
      if (!loc) continue;
      const auto p = f_.args(*loc);
      if (p.empty() || p[0].kind != StepValue::Kind::List) continue;
      for (std::size_t k = 0; k < p[0].items.size() && k < 2; ++k) {
        if (p[0].items[k].isNumber() && std::isfinite(p[0].items[k].number)) {
          g.maxAbsCoordinateM = std::max(g.maxAbsCoordinateM, std::abs(p[0].items[k].number) * l);
        }
      }
    }
  }

  const StepFile& f_;
  IfcSemantics out_;
  std::unordered_map<std::uint64_t, std::size_t> spatialIndex_;
  std::unordered_map<std::size_t, std::size_t> spatialParent_;
  std::unordered_map<std::uint64_t, std::vector<std::uint64_t>> parts_;
  std::unordered_map<std::uint64_t, std::uint64_t> typeOf_;
  std::unordered_set<std::string> usedGuids_;
};

}  // namespace

double compoundAngleToDegrees(const std::vector<double>& parts) {
  static constexpr double kScale[] = {1.0, 1.0 / 60.0, 1.0 / 3600.0, 1.0 / 3600e6};
  double deg = 0.0;
  for (std::size_t i = 0; i < parts.size() && i < 4; ++i) deg += parts[i] * kScale[i];
  return deg;
}

IfcSemantics readIfcSemantics(const StepFile& file) { return Reader(file).run(); }

}  // namespace gt::bim
