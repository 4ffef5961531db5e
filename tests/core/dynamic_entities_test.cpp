// Dynamic entities: ids an ingest reports unknown under a claimed prefix become entities on the update thread, the
// republished directory resolves them, and a claim's bound refuses (and counts) the rest.
#include "greentwin/core/dynamic_entities.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/core/entity_directory.hpp"
#include "greentwin/core/stale_rule.hpp"

namespace gt {
namespace {

EntityClaim busClaim(std::size_t max) {
  return EntityClaim{"buses", "buses/", "bus", max, PropertyMap{{"layer", std::string("buses")}}};
}

TEST(DynamicEntities, UnknownIdsUnderAClaimBecomeEntitiesAndTheRepublishedDirectoryResolvesThem) {
  EntityStore store;
  ASSERT_TRUE(store.add("city-roads/road/1", "road").isOk());
  EntityDirectory directory;
  directory.publishFrom(store);
  DynamicEntities dynamic;
  ASSERT_TRUE(dynamic.claim(busClaim(10)).isOk());
  directory.setClaimedPrefixes({"buses/"}, 10);

  // An ingest thread (a real second thread here) reports what it could not resolve.
  std::thread ingest([&directory] {
    for (int round = 0; round < 3; ++round) {  // the same ids again: the list keeps each once
      for (const char* id : {"buses/T51-01", "ghost/1", "buses/T51-02"}) {
        if (!directory.snapshot()->findEntity(id)) directory.reportUnknownEntity(id);
      }
    }
  });
  ingest.join();
  EXPECT_EQ(directory.stats().unknownEntityUpdates, 9u);

  // The update thread: admit what a claim covers, republish. Other unknown ids stay in the directory's own list.
  const std::vector<std::string> unknown = directory.takeClaimedUnknownEntities();
  EXPECT_EQ(unknown, (std::vector<std::string>{"buses/T51-01", "buses/T51-02"}));
  EXPECT_EQ(directory.unknownEntities(), std::vector<std::string>{"ghost/1"});
  const auto admitted = dynamic.admit(store, unknown);
  ASSERT_EQ(admitted.size(), 2u);
  directory.publishFrom(store);

  const Entity* bus = store.get(admitted[0].entity);
  ASSERT_NE(bus, nullptr);
  EXPECT_EQ(bus->id, "buses/T51-01");
  EXPECT_EQ(bus->kind, "bus");
  EXPECT_EQ(std::get<std::string>(bus->properties.at("layer")), "buses");
  EXPECT_EQ(store.get(admitted[1].entity)->id, "buses/T51-02");
  EXPECT_FALSE(store.find("ghost/1")) << "ids outside every claim are never registered";

  // A later message resolves: an ingest thread's cache sees the new snapshot.
  std::atomic<bool> resolved{false};
  std::thread later([&] {
    EntityDirectory::SnapshotCache cache(directory);
    const auto e = cache.get().findEntity("buses/T51-02");
    resolved = e.has_value() && *e == admitted[1].entity;
  });
  later.join();
  EXPECT_TRUE(resolved);
  // The new entities take a declared interval (the stale rule reads the feed's declared interval per entity).
  StaleRule stale;
  stale.noteInterval(admitted[1].entity, 15 * kMicrosPerSecond);
  EXPECT_EQ(stale.declaredInterval(admitted[1].entity), 15 * kMicrosPerSecond);
  EXPECT_EQ(dynamic.stats(0).registered, 2u);
}

TEST(DynamicEntities, AFloodOfOtherUnknownIdsCannotCrowdOutClaimedOnes) {
  EntityDirectory directory(8);
  directory.setClaimedPrefixes({"buses/"}, 12);
  std::thread ingest([&directory] {
    for (int i = 0; i < 100; ++i) directory.reportUnknownEntity("road/" + std::to_string(i));
    directory.reportUnknownEntity("buses/late-01");
    for (int i = 0; i < 20; ++i) directory.reportUnknownEntity("buses/" + std::to_string(i));
  });
  ingest.join();
  EXPECT_EQ(directory.unknownEntities().size(), 8u);  // the shared list is full of roads...
  const auto claimed = directory.takeClaimedUnknownEntities();
  ASSERT_EQ(claimed.size(), 12u);  // ...the claimed ids have their own, bounded by the claims' capacity
  EXPECT_EQ(claimed.front(), "buses/late-01");
  const EntityDirectoryStats s = directory.stats();
  EXPECT_EQ(s.unknownEntityUpdates, 121u);
  EXPECT_EQ(s.unknownEntityOverflow, 92u);
  EXPECT_EQ(s.claimedEntityOverflow, 9u);
  EXPECT_TRUE(directory.takeClaimedUnknownEntities().empty());
}

TEST(DynamicEntities, OverMaxEntitiesIdsAreRefusedAndCountedOncePerId) {
  EntityStore store;
  DynamicEntities dynamic;
  ASSERT_TRUE(dynamic.claim(busClaim(3)).isOk());
  const std::vector<std::string> first{"buses/a", "buses/b", "buses/c", "buses/d", "buses/e"};
  EXPECT_EQ(dynamic.admit(store, first).size(), 3u);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_TRUE(store.find("buses/c"));
  EXPECT_FALSE(store.find("buses/d"));
  ClaimStats s = dynamic.stats(0);
  EXPECT_EQ(s.registered, 3u);
  EXPECT_EQ(s.refusedIds, 2u);
  EXPECT_EQ(s.refusals, 2u);
  // The refused ids are reported again in later frames (each message names them): counted as refusals, not as
  // new refused ids; the directory stays bounded.
  const std::vector<std::string> again{"buses/d", "buses/e", "buses/f"};
  EXPECT_TRUE(dynamic.admit(store, again).empty());
  s = dynamic.stats(0);
  EXPECT_EQ(store.size(), 3u);
  EXPECT_EQ(s.refusedIds, 3u);
  EXPECT_EQ(s.refusals, 5u);
}

TEST(DynamicEntities, AlreadyRegisteredAndBareIdsAreSkipped) {
  EntityStore store;
  ASSERT_TRUE(store.add("buses/x", "bus").isOk());
  DynamicEntities dynamic;
  ASSERT_TRUE(dynamic.claim(busClaim(5)).isOk());
  const std::vector<std::string> ids{"buses/x", "buses/", "buses/y", "buses/y"};
  const auto admitted = dynamic.admit(store, ids);
  ASSERT_EQ(admitted.size(), 1u);
  EXPECT_EQ(store.get(admitted[0].entity)->id, "buses/y");
  EXPECT_FALSE(store.find("buses/"));
  EXPECT_EQ(dynamic.claimOf("buses/"), std::nullopt);
  EXPECT_EQ(dynamic.claimOf("buses/y"), std::optional<std::size_t>(0));
}

TEST(DynamicEntities, BadClaimsAreErrorsNamingTheProblem) {
  DynamicEntities dynamic;
  ASSERT_TRUE(dynamic.claim(busClaim(5)).isOk());
  auto overlap = dynamic.claim(EntityClaim{"trams", "buses/T", "tram", 5, {}});
  ASSERT_FALSE(overlap.isOk());
  EXPECT_NE(overlap.status().message().find("overlaps"), std::string::npos);
  auto wider = dynamic.claim(EntityClaim{"all", "bus", "bus", 5, {}});
  EXPECT_FALSE(wider.isOk());
  auto zero = dynamic.claim(EntityClaim{"trams", "trams/", "tram", 0, {}});
  ASSERT_FALSE(zero.isOk());
  EXPECT_NE(zero.status().message().find("max_entities"), std::string::npos);
  EXPECT_FALSE(dynamic.claim(EntityClaim{"trams", "", "tram", 5, {}}).isOk());
  EXPECT_FALSE(dynamic.claim(EntityClaim{"trams", "trams/", "", 5, {}}).isOk());
  EXPECT_TRUE(dynamic.claim(EntityClaim{"trams", "trams/", "tram", 5, {}}).isOk());
  EXPECT_EQ(dynamic.claims().size(), 2u);
}

}  // namespace
}  // namespace gt
