#include "greentwin/core/entity_directory.hpp"

#include <algorithm>
#include <utility>

namespace gt {

DirectorySnapshot DirectorySnapshot::fromStore(const EntityStore& store) {
  DirectorySnapshot s;
  s.entities_.reserve(store.size());
  for (std::size_t i = 0; i < store.size(); ++i) {
    const auto index = static_cast<EntityIndex>(i);
    if (const Entity* e = store.get(index)) s.addEntity(e->id, index);
  }
  const AttributeRegistry& attrs = store.attributes();
  s.attributes_.reserve(attrs.size());
  for (std::size_t i = 0; i < attrs.size(); ++i) {
    const auto id = static_cast<AttributeId>(i);
    if (const AttributeInfo* info = attrs.info(id)) s.addAttribute(info->name, id);
  }
  return s;
}

void DirectorySnapshot::addEntity(std::string_view id, EntityIndex index) { entities_.try_emplace(std::string(id), index); }

void DirectorySnapshot::addAttribute(std::string_view name, AttributeId id) {
  attributes_.try_emplace(std::string(name), id);
}

std::optional<EntityIndex> DirectorySnapshot::findEntity(std::string_view id) const {
  const auto it = entities_.find(id);
  if (it == entities_.end()) return std::nullopt;
  return it->second;
}

std::optional<AttributeId> DirectorySnapshot::findAttribute(std::string_view name) const {
  const auto it = attributes_.find(name);
  if (it == attributes_.end()) return std::nullopt;
  return it->second;
}

EntityDirectory::EntityDirectory(std::size_t unknownCapacity)
    : unknownCapacity_(unknownCapacity), snapshot_(std::make_shared<const DirectorySnapshot>()) {}

void EntityDirectory::publish(std::shared_ptr<const DirectorySnapshot> snapshot) {
  if (!snapshot) snapshot = std::make_shared<const DirectorySnapshot>();
  std::shared_ptr<const DirectorySnapshot> old;
  {
    std::lock_guard lock(snapshotMu_);
    old = std::exchange(snapshot_, std::move(snapshot));
    version_.fetch_add(1, std::memory_order_acq_rel);
  }
  // `old` (possibly the last reference) is released outside the lock.
}

void EntityDirectory::publishFrom(const EntityStore& store) {
  publish(std::make_shared<const DirectorySnapshot>(DirectorySnapshot::fromStore(store)));
}

std::shared_ptr<const DirectorySnapshot> EntityDirectory::snapshot() const {
  std::lock_guard lock(snapshotMu_);
  return snapshot_;
}

void EntityDirectory::report(UnknownList& list, std::string_view name, std::uint64_t updates) {
  std::lock_guard lock(unknownMu_);
  reportLocked(list, name, updates);
}

void EntityDirectory::reportLocked(UnknownList& list, std::string_view name, std::uint64_t updates) {
  list.reports += updates;
  ++list.calls;
  if (name.size() > kMaxKeptNameBytes) {
    ++tooLong_;
    return;
  }
  if (list.seen.find(name) != list.seen.end()) return;
  if (list.names.size() >= (&list == &claimedUnknown_ ? claimedCapacity_ : unknownCapacity_)) {
    ++list.overflow;
    return;
  }
  list.names.emplace_back(name);
  list.seen.emplace(name);
}

void EntityDirectory::reportUnknownEntity(std::string_view id, std::uint64_t updates) {
  std::lock_guard lock(unknownMu_);
  for (const std::string& prefix : claimedPrefixes_) {
    if (id.size() > prefix.size() && id.starts_with(prefix)) {
      unknownEntities_.reports += updates;  // every dropped update counts in one place
      ++unknownEntities_.calls;
      reportLocked(claimedUnknown_, id, updates);
      return;
    }
  }
  reportLocked(unknownEntities_, id, updates);
}

void EntityDirectory::setClaimedPrefixes(std::vector<std::string> prefixes, std::size_t capacity) {
  std::lock_guard lock(unknownMu_);
  claimedPrefixes_ = std::move(prefixes);
  claimedCapacity_ = capacity;
}

std::vector<std::string> EntityDirectory::takeClaimedUnknownEntities() {
  std::lock_guard lock(unknownMu_);
  claimedUnknown_.seen.clear();
  return std::exchange(claimedUnknown_.names, {});
}
void EntityDirectory::reportUnknownAttribute(std::string_view name, std::uint64_t updates) {
  report(unknownAttributes_, name, updates);
}

std::vector<std::string> EntityDirectory::unknownEntities() const {
  std::lock_guard lock(unknownMu_);
  return unknownEntities_.names;
}

std::vector<std::string> EntityDirectory::unknownAttributes() const {
  std::lock_guard lock(unknownMu_);
  return unknownAttributes_.names;
}

std::vector<std::string> EntityDirectory::takeUnknownEntities() {
  std::lock_guard lock(unknownMu_);
  unknownEntities_.seen.clear();
  return std::exchange(unknownEntities_.names, {});
}

std::vector<std::string> EntityDirectory::takeUnknownAttributes() {
  std::lock_guard lock(unknownMu_);
  unknownAttributes_.seen.clear();
  return std::exchange(unknownAttributes_.names, {});
}

EntityDirectoryStats EntityDirectory::stats() const {
  EntityDirectoryStats s;
  s.version = version();
  std::lock_guard lock(unknownMu_);
  s.unknownEntityUpdates = unknownEntities_.reports;
  s.unknownAttributeUpdates = unknownAttributes_.reports;
  s.unknownEntityReports = unknownEntities_.calls;
  s.unknownAttributeReports = unknownAttributes_.calls;
  s.unknownEntityOverflow = unknownEntities_.overflow;
  s.unknownAttributeOverflow = unknownAttributes_.overflow;
  s.claimedEntityOverflow = claimedUnknown_.overflow;
  s.unknownNameTooLong = tooLong_;
  return s;
}

const DirectorySnapshot& EntityDirectory::SnapshotCache::get() {
  const std::uint64_t v = directory_->version();
  if (v != cachedVersion_ || !cached_) {
    cached_ = directory_->snapshot();
    // The snapshot may be newer than v (a publish in between); the next get() then re-fetches once more.
    cachedVersion_ = v;
  }
  return *cached_;
}

}  // namespace gt
