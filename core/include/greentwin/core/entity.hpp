#pragma once
// The entity and attribute model (DESIGN.md "core"): everything the twin shows — a building, a district, a river,
// an air-quality station — is an entity with a stable string id ("building/123", "station/aq-07"), a kind
// ("building", "air_station"), static properties (name, height, year built) and dynamic attributes ("pm25",
// "power_kw") whose values live in the TimeSeriesStore.
//
// Each entity also gets a dense EntityIndex (0, 1, 2, ... in insertion order, never reused) so per-entity arrays
// (colours, sampled values, picking tables) are plain vectors indexed by it.
//
// Not thread-safe: owned by the update thread; importers build entities on workers and hand them over as values.

#include <cstdint>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <variant>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt {

using EntityIndex = std::uint32_t;
inline constexpr EntityIndex kInvalidEntity = std::numeric_limits<EntityIndex>::max();

using AttributeId = std::uint32_t;
inline constexpr AttributeId kInvalidAttribute = std::numeric_limits<AttributeId>::max();

// A static property value; monostate means "present but unknown/null" (e.g. GeoJSON null).
using PropertyValue = std::variant<std::monostate, bool, std::int64_t, double, std::string>;
using PropertyMap = std::map<std::string, PropertyValue, std::less<>>;  // ordered: stable inspector listing

// Text for the UI inspector: "" for null, "true"/"false", integers as is, doubles with up to 6 significant
// digits without trailing zeros ("12.5", "3", "1.5e+07"), strings unquoted.
std::string formatPropertyValue(const PropertyValue& value);

struct Entity {
  std::string id;    // stable, unique: "building/123"
  std::string kind;  // "building", "district", "river", "air_station", ...
  PropertyMap properties;
};

struct AttributeInfo {
  std::string name;  // "pm25"
  std::string unit;  // "ug/m3"; may be empty (dimensionless)
};

// Interns dynamic attribute names to dense AttributeIds (0, 1, 2, ...), so the time-series store indexes arrays
// instead of hashing strings on the hot path.
class AttributeRegistry {
 public:
  // The id for `name`, adding it with `unit` if new. Re-interning with the same unit (or an empty unit, meaning
  // "whatever it is") returns the same id; a different non-empty unit is InvalidArgument (a "pm25" in ug/m3 and
  // one in mg/m3 must not be mixed). An empty name is InvalidArgument.
  Result<AttributeId> intern(std::string_view name, std::string_view unit = {});
  std::optional<AttributeId> find(std::string_view name) const;
  // nullptr for an unknown id.
  const AttributeInfo* info(AttributeId id) const;
  std::size_t size() const { return infos_.size(); }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<AttributeInfo> infos_;
  std::unordered_map<std::string, AttributeId, Hash, std::equal_to<>> byName_;
};

class EntityStore {
 public:
  // Adds an entity; its index is size() before the call. An empty id or kind is InvalidArgument, an id that
  // already exists is InvalidArgument naming it (ids are stable keys: a duplicate is an importer bug).
  Result<EntityIndex> add(std::string id, std::string kind, PropertyMap properties = {});
  std::optional<EntityIndex> find(std::string_view id) const;
  // nullptr for an index >= size().
  const Entity* get(EntityIndex index) const;
  // Sets (adds or replaces) one static property; NotFound for a bad index.
  Status setProperty(EntityIndex index, std::string key, PropertyValue value);
  // Indices of all entities of `kind`, ascending.
  std::vector<EntityIndex> ofKind(std::string_view kind) const;
  std::size_t size() const { return entities_.size(); }
  void reserve(std::size_t n);

  AttributeRegistry& attributes() { return attributes_; }
  const AttributeRegistry& attributes() const { return attributes_; }

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::vector<Entity> entities_;
  std::unordered_map<std::string, EntityIndex, Hash, std::equal_to<>> byId_;
  AttributeRegistry attributes_;
};

}  // namespace gt
