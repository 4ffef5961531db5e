#pragma once
// Entities that live feeds bring (issue 4, moving entities): a layer CLAIMS an id prefix ("buses/") with an entity
// kind and a bound. Ids with that prefix that an ingest thread reported as unknown (EntityDirectory::
// reportUnknownEntity) are registered in the EntityStore by the update thread, which then publishes a new
// DirectorySnapshot, so that the feed's later messages resolve. An id outside every claim stays unknown: the twin
// registers entities from a feed only where a layer asked for them.
//
// The bound (maxEntities per claim) keeps a publisher from growing the directory without limit: once a claim holds
// maxEntities entities, further new ids under it are refused, counted and logged, and stay unknown (their updates
// keep being dropped and counted by the ingest). The updates an entity's feed sent before it was registered were
// dropped as unknown (the ingest reports; it never queues): the first sample of a new vehicle is lost.
//
// Threads: all of this class runs on the update thread (the one that owns the EntityStore). Ingest threads only
// report through the EntityDirectory; the update thread declares the claimed prefixes to it
// (EntityDirectory::setClaimedPrefixes, so that their ids get a bounded, de-duplicated list of their own) and
// feeds admit() from EntityDirectory::takeClaimedUnknownEntities().

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

struct EntityClaim {
  std::string owner;        // who draws these entities (a layer id), for messages and the caller's bookkeeping
  std::string prefix;       // ids that start with this ("buses/") and have at least one character after it
  std::string kind;         // kind of the registered entities ("bus")
  std::size_t maxEntities = 0;  // at most this many entities registered under the claim (> 0)
  PropertyMap properties;   // static properties every registered entity starts with (e.g. "layer")
};

struct ClaimStats {
  std::size_t registered = 0;     // entities registered under the claim
  std::uint64_t refusedIds = 0;   // distinct ids refused for the bound (exact up to kRefusedIdsTracked, then each
                                  // further report of an untracked id counts again)
  std::uint64_t refusals = 0;     // reports of refused ids (each admit() call that saw one)
};

class DynamicEntities {
 public:
  // Distinct refused ids remembered per claim (so one id refused in many frames is counted once).
  static constexpr std::size_t kRefusedIdsTracked = 4096;

  // Adds a claim; returns its index. InvalidArgument naming the problem: empty owner, prefix or kind, maxEntities
  // 0, or a prefix that overlaps another claim's (one a prefix of the other: an id would belong to both).
  Result<std::size_t> claim(EntityClaim claim);

  struct Admitted {
    EntityIndex entity = kInvalidEntity;
    std::size_t claim = 0;  // index of the claim it was registered under
  };
  // Registers each id of `unknownIds` that a claim covers and that is not in the store yet, in order, while its
  // claim has room; ids outside every claim are ignored. Returns the entities added (the caller tells the owning
  // layers and republishes the directory). Refusals are counted, and logged (the first of each claim, then each
  // time a claim's refused-id count doubles).
  std::vector<Admitted> admit(EntityStore& store, std::span<const std::string> unknownIds);

  // The claim an id belongs to, or nullopt.
  std::optional<std::size_t> claimOf(std::string_view id) const;
  const std::vector<EntityClaim>& claims() const { return claims_; }
  // Stats of claim `index` (zeros for an unknown index).
  ClaimStats stats(std::size_t index) const;
  bool empty() const { return claims_.empty(); }

 private:
  struct State {
    ClaimStats stats;
    std::unordered_set<std::string> refused;  // at most kRefusedIdsTracked
    std::uint64_t nextLogAt = 1;              // log when refusedIds reaches this (then doubled)
  };
  std::vector<EntityClaim> claims_;
  std::vector<State> states_;
};

}  // namespace gt
