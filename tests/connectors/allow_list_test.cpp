// The allow-list file (docs/security.md): add, revoke by name or key, the revoked entry kept as a record, the file
// round trip, and errors naming the file and line.

#include "greentwin/connectors/allow_list.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "greentwin/connectors/curve_keys.hpp"

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

const TimePoint kAdded = *parseIsoTime("2026-11-26T10:00:00Z");
const TimePoint kRevoked = *parseIsoTime("2026-11-26T11:30:00Z");

std::string key() { return generateKeyPair("k")->publicKey; }

// The error of a list whose one entry, with this key, has `line` (its fourth line) added.
std::string entryError(const std::string& publicKey, const std::string& line) {
  return AllowList::parse("[[publisher]]\nname = \"z\"\npublic = \"" + publicKey + "\"\n" + line + "\n", "e.toml")
      .status()
      .message();
}

TEST(AllowList, AddRevokeAndFind) {
  AllowList list;
  const std::string a = key(), b = key();
  ASSERT_TRUE(list.add("feed-a", a, kAdded));
  ASSERT_TRUE(list.add("feed-b", b, kAdded));
  EXPECT_NE(list.findAdmitted(a), nullptr);
  EXPECT_THAT(list.add("feed-a", key(), kAdded).message(), HasSubstr("'feed-a' is already admitted"));
  EXPECT_THAT(list.add("feed-c", a, kAdded).message(), HasSubstr("already admitted as 'feed-a'"));
  EXPECT_FALSE(list.add("feed-c", "too-short", kAdded));
  EXPECT_FALSE(list.add("bad name", key(), kAdded));

  auto byName = list.revoke("feed-a", kRevoked);
  ASSERT_TRUE(byName) << byName.status().message();
  ASSERT_EQ(byName->size(), 1u);
  EXPECT_EQ(list.findAdmitted(a), nullptr);
  ASSERT_NE(list.findAny(a), nullptr);
  EXPECT_EQ(list.findAny(a)->revoked, kRevoked);
  EXPECT_THAT(list.revoke("feed-a", kRevoked).status().message(), HasSubstr("already revoked"));
  EXPECT_EQ(list.revoke("nobody", kRevoked).status().code(), ErrorCode::NotFound);

  auto byKey = list.revoke(b, kRevoked);
  ASSERT_TRUE(byKey);
  EXPECT_EQ(list.findAdmitted(b), nullptr);
  // A revoked name may be admitted again with a new key; the old entry stays as a record.
  const std::string a2 = key();
  ASSERT_TRUE(list.add("feed-a", a2, kRevoked));
  EXPECT_NE(list.findAdmitted(a2), nullptr);
  EXPECT_EQ(list.entries().size(), 3u);
}

TEST(AllowList, FileRoundTrip) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "allow_list_roundtrip";
  fs::remove_all(dir);
  const std::string path = (dir / "allowed.toml").string();
  AllowList list;
  const std::string a = key(), b = key();
  ASSERT_TRUE(list.add("feed-a", a, kAdded));
  ASSERT_TRUE(list.add("feed-b", b, kAdded + 123456));  // sub-second part dropped in the file
  ASSERT_TRUE(list.revoke("feed-b", kRevoked));
  ASSERT_TRUE(list.save(path));
  auto back = AllowList::load(path);
  ASSERT_TRUE(back) << back.status().message();
  ASSERT_EQ(back->entries().size(), 2u);
  EXPECT_EQ(back->entries()[0].name, "feed-a");
  EXPECT_EQ(back->entries()[0].publicKey, a);
  EXPECT_EQ(back->entries()[0].added, kAdded);
  EXPECT_FALSE(back->entries()[0].revoked);
  EXPECT_EQ(back->entries()[1].added, kAdded);
  EXPECT_EQ(back->entries()[1].revoked, kRevoked);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("[[publisher]]\nname = \"feed-b\"\npublic = \"" + b +
                                  "\"\nadded = \"2026-11-26T10:00:00Z\"\nrevoked = \"2026-11-26T11:30:00Z\"\n"));
}

// The publisher ids a key may send as: its name by default, else the listed ids and 'prefix*' patterns; kept
// through the file; a bad pattern is refused with the pattern and the line named.
TEST(AllowList, KeysAreBoundToPublisherIds) {
  AllowList list;
  const std::string a = key(), b = key();
  ASSERT_TRUE(list.add("aq-feed", a, kAdded));
  ASSERT_TRUE(list.add("sim", b, kAdded, {"greentwin-sim-*", "weather"}));
  const AllowListEntry& byName = *list.findAdmitted(a);
  EXPECT_TRUE(byName.mayPublishAs("aq-feed"));
  EXPECT_FALSE(byName.mayPublishAs("aq-feed-2"));
  EXPECT_FALSE(byName.mayPublishAs("sim"));
  const AllowListEntry& sim = *list.findAdmitted(b);
  EXPECT_TRUE(sim.mayPublishAs("greentwin-sim-air"));
  EXPECT_TRUE(sim.mayPublishAs("weather"));
  EXPECT_FALSE(sim.mayPublishAs("weather-2"));
  EXPECT_FALSE(sim.mayPublishAs("sim"));
  EXPECT_FALSE(sim.mayPublishAs("greentwin-si"));

  auto reread = AllowList::parse(list.toText(), "round-trip.toml");
  ASSERT_TRUE(reread) << reread.status().message();
  EXPECT_EQ(reread->findAdmitted(b)->publishers, (std::vector<std::string>{"greentwin-sim-*", "weather"}));
  EXPECT_TRUE(reread->findAdmitted(a)->publishers.empty());

  EXPECT_THAT(list.add("x", key(), kAdded, {"a*b"}).message(), HasSubstr("'*' only at the end"));
  EXPECT_THAT(list.add("y", key(), kAdded, {"has space"}).message(), HasSubstr("publisher id pattern 'has space'"));
  const std::string bad = "[[publisher]]\nname = \"z\"\npublic = \"" + key() + "\"\npublishers = [\"ok\", \"q\\\"uote\"]\n";
  auto parsed = AllowList::parse(bad, "bad.toml");
  ASSERT_FALSE(parsed);
  EXPECT_THAT(parsed.status().message(), HasSubstr("bad.toml:4"));
  auto notArray = AllowList::parse("[[publisher]]\nname = \"z\"\npublic = \"" + key() + "\"\npublishers = \"ok\"\n", "n.toml");
  ASSERT_FALSE(notArray);
  EXPECT_THAT(notArray.status().message(), HasSubstr("must be an array of strings"));
}

// Issue 15: an entry may grant entity ids (exact, or 'prefix*'; without `entities` any entity, as before) and cap
// the interval its messages may declare (max_interval_s); both kept through the file, bad values named.
TEST(AllowList, EntriesGrantEntitiesAndAMaximumInterval) {
  const std::string a = key(), b = key();
  const std::string text = "[[publisher]]\nname = \"energy\"\npublic = \"" + a +
                           "\"\nentities = [\"energy/building/*\", \"substation 1\"]\nmax_interval_s = 60\n"
                           "[[publisher]]\nname = \"open\"\npublic = \"" + b + "\"\nmax_interval_s = 1.5\n";
  auto list = AllowList::parse(text, "grants.toml");
  ASSERT_TRUE(list) << list.status().message();
  const AllowListEntry& energy = *list->findAdmitted(a);
  EXPECT_FALSE(energy.writesAnyEntity());
  EXPECT_TRUE(energy.mayWrite("energy/building/b-000123"));
  EXPECT_TRUE(energy.mayWrite("substation 1"));
  EXPECT_FALSE(energy.mayWrite("substation 12"));
  EXPECT_FALSE(energy.mayWrite("energy/buildings"));
  EXPECT_FALSE(energy.mayWrite("air/station/1"));
  EXPECT_EQ(energy.maxInterval, 60 * kMicrosPerSecond);
  const AllowListEntry& open = *list->findAdmitted(b);
  EXPECT_TRUE(open.writesAnyEntity());
  EXPECT_TRUE(open.mayWrite("anything/at/all"));
  EXPECT_EQ(open.maxInterval, 1'500'000);

  auto reread = AllowList::parse(list->toText(), "round-trip.toml");
  ASSERT_TRUE(reread) << reread.status().message();
  EXPECT_EQ(reread->findAdmitted(a)->entities, (std::vector<std::string>{"energy/building/*", "substation 1"}));
  EXPECT_EQ(reread->findAdmitted(a)->maxInterval, 60 * kMicrosPerSecond);
  EXPECT_THAT(list->toText(), HasSubstr("max_interval_s = 60\n"));
  EXPECT_TRUE(reread->findAdmitted(b)->entities.empty());
  EXPECT_EQ(reread->findAdmitted(b)->maxInterval, 1'500'000);

  AllowList built;
  ASSERT_TRUE(built.add(AllowListEntry{"w", key(), kAdded, std::nullopt, {}, {"*"}, 0, false}));
  EXPECT_TRUE(built.entries()[0].writesAnyEntity());
  EXPECT_THAT(built.add(AllowListEntry{"x", key(), kAdded, std::nullopt, {}, {"a*b"}, 0, false}).message(),
              HasSubstr("entity id pattern 'a*b'"));
  EXPECT_THAT(built.add(AllowListEntry{"y", key(), kAdded, std::nullopt, {}, {}, 8 * 86400 * kMicrosPerSecond, false})
                  .message(),
              HasSubstr("max_interval_s must be from 1 to 604800"));
  auto err = [&](const std::string& line) { return entryError(a, line); };
  EXPECT_THAT(err("entities = \"energy/*\""), HasSubstr("e.toml:4: 'publisher.entities' must be an array of strings"));
  EXPECT_THAT(err("entities = [\"\"]"), HasSubstr("e.toml:4: an entity id pattern is 1 to 256 characters"));
  EXPECT_THAT(err("max_interval_s = 0"), HasSubstr("e.toml:4: 'publisher.max_interval_s' must be a number"));
  EXPECT_THAT(err("max_interval_s = 700000"), HasSubstr("from 1 to 604800"));
  EXPECT_THAT(err("max_interval_s = \"60\""), HasSubstr("must be a number of seconds"));
}

// Issue 15: an entry may bound its grant in time (max_backfill_s: how far before now its updates may lie), kept
// through the file, bad values named.
TEST(AllowList, EntriesBoundHowFarBackTheirUpdatesMayLie) {
  const std::string a = key(), b = key();
  auto list = AllowList::parse("[[publisher]]\nname = \"recent\"\npublic = \"" + a +
                                   "\"\nmax_backfill_s = 3600\n[[publisher]]\nname = \"any\"\npublic = \"" + b + "\"\n",
                               "backfill.toml");
  ASSERT_TRUE(list) << list.status().message();
  EXPECT_EQ(list->findAdmitted(a)->maxBackfill, 3600 * kMicrosPerSecond);
  EXPECT_EQ(list->findAdmitted(b)->maxBackfill, 0);
  EXPECT_THAT(list->toText(), HasSubstr("max_backfill_s = 3600\n"));
  auto reread = AllowList::parse(list->toText(), "round-trip.toml");
  ASSERT_TRUE(reread) << reread.status().message();
  EXPECT_EQ(reread->findAdmitted(a)->maxBackfill, 3600 * kMicrosPerSecond);
  EXPECT_EQ(reread->toText(), list->toText());

  AllowListEntry tooFar{"y", key(), kAdded, std::nullopt, {}, {}, 0, false};
  tooFar.maxBackfill = 400LL * 86400 * kMicrosPerSecond;
  AllowList built;
  EXPECT_THAT(built.add(tooFar).message(), HasSubstr("max_backfill_s must be from 1 to 31622400"));
  auto err = [&](const std::string& line) { return entryError(a, line); };
  EXPECT_THAT(err("max_backfill_s = 0"), HasSubstr("e.toml:4: 'publisher.max_backfill_s' must be a number"));
  EXPECT_THAT(err("max_backfill_s = 40000000"), HasSubstr("from 1 to 31622400"));
  EXPECT_THAT(err("max_backfill_s = \"60\""), HasSubstr("must be a number of seconds"));
  EXPECT_THAT(err("max_backfil_s = 60"), HasSubstr("unknown key 'publisher.max_backfil_s'"));
}

// max_interval_s is kept in microseconds: a value a double does not hold exactly (1.000001 is 1000000.9999999999
// µs) reads as the nearest microsecond, and the list written back reads again to the same interval. Truncating lost
// a microsecond per save; the input is kept in the allow_list_fuzz seeds (fuzz/allow_list_fuzz.cpp).
TEST(AllowList, MaxIntervalKeepsItsMicrosecondsThroughSaves) {
  auto exact = AllowList::parse("[[publisher]]\nname = \"a\"\npublic = \"" + key() + "\"\nmax_interval_s = 1.000001\n",
                                "allowed.toml");
  ASSERT_TRUE(exact) << exact.status().message();
  EXPECT_EQ(exact->entries().front().maxInterval, 1000001);

  const fs::path file = fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/allow_list_seeds" /
                        "regression_max_interval_drift.toml";
  auto list = AllowList::load(file.string());
  ASSERT_TRUE(list) << list.status().message();
  const Duration read = list->entries().front().maxInterval;
  for (int save = 0; save < 3; ++save) {
    auto again = AllowList::parse(list->toText(), "again.toml");
    ASSERT_TRUE(again) << again.status().message();
    EXPECT_EQ(again->entries().front().maxInterval, read) << "after save " << save + 1;
    EXPECT_EQ(again->toText(), list->toText());
    list = std::move(again);
  }
}

TEST(AllowList, ErrorsNameTheFileAndLine) {
  const std::string k = key();
  auto err = [](const std::string& text) { return AllowList::parse(text, "allowed.toml").status().message(); };
  EXPECT_THAT(err("[[publisher]]\nname = \"a\"\n"), HasSubstr("allowed.toml:1: publisher entry without 'public'"));
  EXPECT_THAT(err("[[publisher]]\nname = \"a\"\npublic = \"xyz\"\n"),
              HasSubstr("allowed.toml:3: public key of 'a': a CURVE key is 40 Z85 characters, got 3"));
  EXPECT_THAT(err("[[publisher]]\nname = \"a\"\npublic = \"" + k + "\"\nrevoked = \"yesterday\"\n"),
              HasSubstr("allowed.toml:4: 'publisher.revoked' is not a time"));
  EXPECT_THAT(err("[[publisher]]\nname = \"a\"\npublic = \"" + k + "\"\nrevokd = \"x\"\n"),
              HasSubstr("allowed.toml:4: unknown key 'publisher.revokd'"));
  EXPECT_THAT(err("publishers = 1\n"), HasSubstr("unknown key 'publishers'"));
  EXPECT_THAT(err("[[publisher]\n"), HasSubstr("not a GreenTwin allow-list"));
  auto missing = AllowList::load("/nonexistent/allowed.toml");
  EXPECT_EQ(missing.status().code(), ErrorCode::NotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("/nonexistent/allowed.toml"));
  // An empty list is valid.
  auto empty = AllowList::parse("# nothing admitted yet\n", "allowed.toml");
  ASSERT_TRUE(empty);
  EXPECT_TRUE(empty->entries().empty());
}

}  // namespace
}  // namespace gt::connectors

namespace gt::connectors {
namespace {

TEST(AllowList, AProxyEntryIsMarkedAndRoundTrips) {
  const std::string k = key();
  auto list = AllowList::parse("[[publisher]]\nname = \"feed-proxy\"\npublic = \"" + k + "\"\nproxy = true\n",
                               "proxy.toml");
  ASSERT_TRUE(list) << list.status().message();
  EXPECT_TRUE(list->findAdmitted(k)->proxy);
  EXPECT_THAT(list->toText(), HasSubstr("proxy = true\n"));
  auto reread = AllowList::parse(list->toText(), "again.toml");
  ASSERT_TRUE(reread) << reread.status().message();
  EXPECT_TRUE(reread->findAdmitted(k)->proxy);
  // Without it (or false): an ordinary publisher, and the text says nothing.
  auto plain = AllowList::parse("[[publisher]]\nname = \"p\"\npublic = \"" + k + "\"\nproxy = false\n", "p.toml");
  ASSERT_TRUE(plain) << plain.status().message();
  EXPECT_FALSE(plain->findAdmitted(k)->proxy);
  EXPECT_THAT(plain->toText(), ::testing::Not(HasSubstr("proxy")));
  EXPECT_THAT(AllowList::parse("[[publisher]]\nname = \"p\"\npublic = \"" + k + "\"\nproxy = \"yes\"\n", "b.toml")
                  .status()
                  .message(),
              HasSubstr("b.toml:4: 'publisher.proxy' must be true or false"));
}

}  // namespace
}  // namespace gt::connectors
