#include "greentwin/core/entity.hpp"

#include <cstdio>
#include <type_traits>

namespace gt {

std::string formatPropertyValue(const PropertyValue& value) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return {};
        } else if constexpr (std::is_same_v<T, bool>) {
          return v ? "true" : "false";
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return std::to_string(v);
        } else if constexpr (std::is_same_v<T, double>) {
          char buf[32];
          const int n = std::snprintf(buf, sizeof buf, "%.6g", v);
          return std::string(buf, static_cast<std::size_t>(n));
        } else {
          return v;
        }
      },
      value);
}

Result<AttributeId> AttributeRegistry::intern(std::string_view name, std::string_view unit) {
  if (name.empty()) return Status{ErrorCode::InvalidArgument, "attribute name is empty"};
  if (auto it = byName_.find(name); it != byName_.end()) {
    AttributeInfo& info = infos_[it->second];
    if (!unit.empty() && unit != info.unit) {
      if (info.unit.empty()) {
        info.unit = std::string(unit);  // first time a unit is given
      } else {
        return Status{ErrorCode::InvalidArgument, "attribute '" + info.name + "' has unit '" + info.unit +
                                                      "', not '" + std::string(unit) + "'"};
      }
    }
    return it->second;
  }
  const auto id = static_cast<AttributeId>(infos_.size());
  infos_.push_back({std::string(name), std::string(unit)});
  byName_.emplace(std::string(name), id);
  return id;
}

std::optional<AttributeId> AttributeRegistry::find(std::string_view name) const {
  if (auto it = byName_.find(name); it != byName_.end()) return it->second;
  return std::nullopt;
}

const AttributeInfo* AttributeRegistry::info(AttributeId id) const {
  return id < infos_.size() ? &infos_[id] : nullptr;
}

Result<EntityIndex> EntityStore::add(std::string id, std::string kind, PropertyMap properties) {
  if (id.empty()) return Status{ErrorCode::InvalidArgument, "entity id is empty"};
  if (kind.empty()) return Status{ErrorCode::InvalidArgument, "entity '" + id + "' has an empty kind"};
  if (entities_.size() >= kInvalidEntity) return Status{ErrorCode::OutOfRange, "too many entities"};
  if (byId_.find(id) != byId_.end()) {
    return Status{ErrorCode::InvalidArgument, "duplicate entity id '" + id + "'"};
  }
  const auto index = static_cast<EntityIndex>(entities_.size());
  byId_.emplace(id, index);
  entities_.push_back({std::move(id), std::move(kind), std::move(properties)});
  return index;
}

std::optional<EntityIndex> EntityStore::find(std::string_view id) const {
  if (auto it = byId_.find(id); it != byId_.end()) return it->second;
  return std::nullopt;
}

const Entity* EntityStore::get(EntityIndex index) const {
  return index < entities_.size() ? &entities_[index] : nullptr;
}

Status EntityStore::setProperty(EntityIndex index, std::string key, PropertyValue value) {
  if (index >= entities_.size()) {
    return {ErrorCode::NotFound, "no entity with index " + std::to_string(index)};
  }
  entities_[index].properties.insert_or_assign(std::move(key), std::move(value));
  return Status::ok();
}

std::vector<EntityIndex> EntityStore::ofKind(std::string_view kind) const {
  std::vector<EntityIndex> out;
  for (std::size_t i = 0; i < entities_.size(); ++i) {
    if (entities_[i].kind == kind) out.push_back(static_cast<EntityIndex>(i));
  }
  return out;
}

void EntityStore::reserve(std::size_t n) {
  entities_.reserve(n);
  byId_.reserve(n);
}

}  // namespace gt
