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

#include <algorithm>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <iterator>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>
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

// Static properties of one entity, ordered by key (the inspector lists them alphabetically) — the std::map
// interface the code base uses, over one sorted vector. An entity has ~10 properties and a layer brings 100k
// entities at once: a std::map allocated a node per property, which made building the properties the biggest
// cost of reading a layer after GDAL itself; here a feature's properties are one allocation (with reserve).
// Lookups take any string-like key (std::string_view), like a std::map with std::less<>. Iterators are
// constant, as std::set's are: a key changed in place would break the order; change values with
// insert_or_assign or operator[]. Inserting or erasing invalidates iterators and references (it is a vector).
class PropertyMap {
 public:
  using key_type = std::string;
  using mapped_type = PropertyValue;
  using value_type = std::pair<std::string, PropertyValue>;
  using size_type = std::size_t;
  using const_iterator = std::vector<value_type>::const_iterator;
  using iterator = const_iterator;

  PropertyMap() = default;
  // As a std::map: a key given twice keeps its first value.
  PropertyMap(std::initializer_list<value_type> items) : items_(items) {
    std::stable_sort(items_.begin(), items_.end(),
                     [](const value_type& a, const value_type& b) { return a.first < b.first; });
    items_.erase(std::unique(items_.begin(), items_.end(),
                             [](const value_type& a, const value_type& b) { return a.first == b.first; }),
                 items_.end());
  }

  const_iterator begin() const { return items_.begin(); }
  const_iterator end() const { return items_.end(); }
  const_iterator cbegin() const { return items_.cbegin(); }
  const_iterator cend() const { return items_.cend(); }
  size_type size() const { return items_.size(); }
  bool empty() const { return items_.empty(); }
  void reserve(size_type n) { items_.reserve(n); }
  void clear() { items_.clear(); }

  const_iterator find(std::string_view key) const {
    const auto it = lowerBound(key);
    return it != items_.end() && it->first == key ? it : items_.end();
  }
  bool contains(std::string_view key) const { return find(key) != end(); }
  size_type count(std::string_view key) const { return contains(key) ? 1 : 0; }
  // std::out_of_range for a missing key.
  const PropertyValue& at(std::string_view key) const { return items_[indexOf(key)].second; }
  PropertyValue& at(std::string_view key) { return items_[indexOf(key)].second; }
  // The value for `key`, inserted as null (monostate) if missing.
  PropertyValue& operator[](std::string_view key) {
    const auto pos = lowerBound(key);
    if (pos != items_.end() && pos->first == key) return items_[static_cast<size_type>(pos - items_.begin())].second;
    return items_.emplace(pos, std::string(key), PropertyValue{})->second;
  }

  // Inserts (key, value) unless the key is present; the bool says whether it was inserted.
  template <class K, class... Args>
  std::pair<iterator, bool> emplace(K&& key, Args&&... args) {
    const auto it = lowerBound(key);
    if (it != items_.end() && it->first == std::string_view(key)) return {it, false};
    return {items_.emplace(it, std::piecewise_construct, std::forward_as_tuple(std::forward<K>(key)),
                           std::forward_as_tuple(std::forward<Args>(args)...)),
            true};
  }
  // As emplace; constant time when the key belongs just before `hint` (end(): keys appended in ascending order).
  template <class K, class... Args>
  iterator emplace_hint(const_iterator hint, K&& key, Args&&... args) {
    const std::string_view k(key);
    // compare(), not <: clang 14 with libstdc++ 12 cannot instantiate the synthesized string <=> here (fuzz build).
    if ((hint == items_.end() || k.compare(hint->first) < 0) &&
        (hint == items_.begin() || std::string_view(std::prev(hint)->first).compare(k) < 0)) {
      return items_.emplace(hint, std::piecewise_construct, std::forward_as_tuple(std::forward<K>(key)),
                            std::forward_as_tuple(std::forward<Args>(args)...));
    }
    return emplace(std::forward<K>(key), std::forward<Args>(args)...).first;
  }
  std::pair<iterator, bool> insert(value_type item) { return emplace(std::move(item.first), std::move(item.second)); }
  // Inserts or replaces; the bool says whether it was inserted.
  template <class K, class V>
  std::pair<iterator, bool> insert_or_assign(K&& key, V&& value) {
    const auto it = lowerBound(key);
    if (it != items_.end() && it->first == std::string_view(key)) {
      items_[static_cast<size_type>(it - items_.begin())].second = std::forward<V>(value);
      return {it, false};
    }
    return {items_.emplace(it, std::forward<K>(key), std::forward<V>(value)), true};
  }
  // The number of elements erased (0 or 1).
  size_type erase(std::string_view key) {
    const auto it = find(key);
    if (it == items_.end()) return 0;
    items_.erase(it);
    return 1;
  }
  iterator erase(const_iterator pos) { return items_.erase(pos); }

  friend bool operator==(const PropertyMap&, const PropertyMap&) = default;

 private:
  const_iterator lowerBound(std::string_view key) const {
    return std::lower_bound(items_.begin(), items_.end(), key,
                            [](const value_type& item, std::string_view k) { return item.first < k; });
  }
  size_type indexOf(std::string_view key) const {
    const auto it = find(key);
    if (it == items_.end()) throw std::out_of_range("no property '" + std::string(key) + "'");
    return static_cast<size_type>(it - items_.begin());
  }

  std::vector<value_type> items_;  // ascending by key, keys unique
};

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
