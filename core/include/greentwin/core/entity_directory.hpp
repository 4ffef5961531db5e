#pragma once
// The id directory live feeds resolve names through (DESIGN.md "Threads": data crosses threads as values or
// immutable snapshots). The EntityStore and AttributeRegistry belong to the update thread and are not thread-safe,
// so ingest threads never touch them: the update thread publishes an immutable DirectorySnapshot (entity id →
// EntityIndex, attribute name → AttributeId) and ingest threads read the current one.
//
// Unknown names are REPORTED, never registered, by the ingest side: an update naming an entity or attribute that
// is not in the snapshot is dropped, counted, and its name goes to a small bounded list of distinct unknown names
// that the update thread can inspect (and, if it wants, register and publish a new snapshot).
// Dynamic entities (dynamic_entities.hpp) are that path: the update thread declares the claimed id prefixes
// (setClaimedPrefixes, e.g. "buses/"); an unknown id under one goes to its own bounded list, so a flood of other
// unknown names cannot crowd it out of the shared one; the update thread takes them (takeClaimedUnknownEntities),
// registers them (bounded per claim) in its EntityStore, and publishes a new snapshot; ingest threads see it on
// their next message (SnapshotCache). Updates that arrived before the publish were dropped and counted as unknown;
// they are not replayed.
//
// Threads:
//   publish(), publishFrom()         the update thread (any one thread at a time; they take a mutex).
//   snapshot(), version()            any thread. version() is one atomic load; snapshot() takes the mutex only to
//                                    copy a shared_ptr. Ingest threads cache the snapshot and re-fetch it only when
//                                    version() changed, so the steady state takes no lock (see SnapshotCache).
//   reportUnknownEntity/Attribute()  any thread (ingest threads); one short mutex section.
//   unknownEntities/Attributes(), takeUnknown...(), stats()  any thread (meant for the update thread / UI).
//   setClaimedPrefixes(), takeClaimedUnknownEntities()       the update thread (one short mutex section).

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

// Immutable once published: lookups from any number of threads.
class DirectorySnapshot {
 public:
  DirectorySnapshot() = default;

  // Every entity id of `store` and every attribute name of its registry.
  static DirectorySnapshot fromStore(const EntityStore& store);

  // Building (before publishing only). A name given twice keeps its first value.
  void addEntity(std::string_view id, EntityIndex index);
  void addAttribute(std::string_view name, AttributeId id);

  std::optional<EntityIndex> findEntity(std::string_view id) const;
  std::optional<AttributeId> findAttribute(std::string_view name) const;
  std::size_t entityCount() const { return entities_.size(); }
  std::size_t attributeCount() const { return attributes_.size(); }

  // (Declared intervals are not kept here: a snapshot is immutable. The ingest hands them to the UpdateChannel and
  // the update thread notes them in its StaleRule, core/stale_rule.hpp.)

 private:
  struct Hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::unordered_map<std::string, EntityIndex, Hash, std::equal_to<>> entities_;
  std::unordered_map<std::string, AttributeId, Hash, std::equal_to<>> attributes_;
};

struct EntityDirectoryStats {
  std::uint64_t version = 0;             // snapshots published
  std::uint64_t unknownEntityUpdates = 0;     // updates dropped for an unknown entity id (the reports' counts)
  std::uint64_t unknownAttributeUpdates = 0;  // ... for an unknown attribute name
  std::uint64_t unknownEntityReports = 0;     // reportUnknownEntity() calls (each looks its name up once)
  std::uint64_t unknownAttributeReports = 0;  // reportUnknownAttribute() calls
  std::uint64_t unknownEntityOverflow = 0;    // reports of a new name that did not fit the bounded list
  std::uint64_t unknownAttributeOverflow = 0;
  std::uint64_t claimedEntityOverflow = 0;    // ...of an id under a claimed prefix (its own list was full)
  std::uint64_t unknownNameTooLong = 0;       // reports of a name over kMaxKeptNameBytes: counted, never kept
};

class EntityDirectory {
 public:
  // Unknown names longer than this are counted but not kept (nothing registers them; 256 kept names of a JSON
  // payload's size would be gigabytes).
  static constexpr std::size_t kMaxKeptNameBytes = 1024;

  // unknownCapacity: the most distinct unknown entity ids (and, separately, attribute names) kept for inspection;
  // further distinct names are only counted (…Overflow).
  explicit EntityDirectory(std::size_t unknownCapacity = 256);

  EntityDirectory(const EntityDirectory&) = delete;
  EntityDirectory& operator=(const EntityDirectory&) = delete;

  // Update thread. Replaces the current snapshot (nullptr publishes an empty one) and bumps version().
  void publish(std::shared_ptr<const DirectorySnapshot> snapshot);
  void publishFrom(const EntityStore& store);

  // Any thread. Never null (an empty snapshot before the first publish).
  std::shared_ptr<const DirectorySnapshot> snapshot() const;
  // Any thread: number of snapshots published so far (0 before the first); acquire load.
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }

  // Ingest threads: `updates` updates named an entity id / attribute name not in the snapshot. Report each distinct
  // name once per message with its count: every call hashes the name (a long name repeated per update is costly).
  void reportUnknownEntity(std::string_view id, std::uint64_t updates = 1);
  void reportUnknownAttribute(std::string_view name, std::uint64_t updates = 1);

  // Any thread: the distinct unknown names kept so far, in first-report order (at most unknownCapacity each).
  std::vector<std::string> unknownEntities() const;
  std::vector<std::string> unknownAttributes() const;
  // Update thread: returns the kept names and clears the lists (counters are kept), e.g. after registering them.
  std::vector<std::string> takeUnknownEntities();
  std::vector<std::string> takeUnknownAttributes();

  // Update thread: unknown entity ids starting with one of `prefixes` (and longer than it) are kept apart from the
  // others, in a list of their own of at most `capacity` distinct ids between takes (the claims' own bound, so a
  // fleet registers in one go); they are still counted in unknownEntityUpdates. Replaces the previous prefixes.
  void setClaimedPrefixes(std::vector<std::string> prefixes, std::size_t capacity);
  // Update thread: the kept unknown ids under a claimed prefix, in first-report order; clears that list.
  std::vector<std::string> takeClaimedUnknownEntities();

  EntityDirectoryStats stats() const;

  // A per-thread cache of the current snapshot: get() is one atomic load while nothing was published, and
  // re-fetches (one mutex section) after a publish. Owned and used by one thread.
  class SnapshotCache {
   public:
    explicit SnapshotCache(const EntityDirectory& directory) : directory_(&directory) {}
    const DirectorySnapshot& get();
    // The directory version of the snapshot get() last returned: equal versions mean the same snapshot.
    std::uint64_t version() const { return cachedVersion_; }

   private:
    const EntityDirectory* directory_;
    std::shared_ptr<const DirectorySnapshot> cached_;
    std::uint64_t cachedVersion_ = ~std::uint64_t{0};
  };

 private:
  struct NameHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct UnknownList {
    std::vector<std::string> names;  // first-report order
    std::unordered_set<std::string, NameHash, std::equal_to<>> seen;
    std::uint64_t reports = 0;  // updates
    std::uint64_t calls = 0;    // report calls
    std::uint64_t overflow = 0;
  };
  void report(UnknownList& list, std::string_view name, std::uint64_t updates);
  void reportLocked(UnknownList& list, std::string_view name, std::uint64_t updates);  // unknownMu_ held

  const std::size_t unknownCapacity_;
  mutable std::mutex snapshotMu_;
  std::shared_ptr<const DirectorySnapshot> snapshot_;
  std::atomic<std::uint64_t> version_{0};

  mutable std::mutex unknownMu_;
  UnknownList unknownEntities_;
  UnknownList unknownAttributes_;
  UnknownList claimedUnknown_;                // ids under claimedPrefixes_ (reports counted in unknownEntities_)
  std::vector<std::string> claimedPrefixes_;  // guarded by unknownMu_
  std::size_t claimedCapacity_ = 0;           // guarded by unknownMu_
  std::uint64_t tooLong_ = 0;                 // guarded by unknownMu_
};

}  // namespace gt
