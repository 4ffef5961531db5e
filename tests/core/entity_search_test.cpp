#include "greentwin/core/entity_search.hpp"

#include <gtest/gtest.h>

#include <string>

namespace gt {
namespace {

class EntitySearch : public ::testing::Test {
 protected:
  void SetUp() override {
    add("city/b-000123", "building", {{"name", std::string("Canal Tower")}, {"name_zh", std::string("运河大厦")}});
    add("city/b-000124", "building", {{"name", std::string("Grand Canal Business Centre")}, {"use", std::string("office")}});
    add("city/b-001230", "building", {{"use", std::string("canal museum")}});
    add("parks/7", "park", {{"名称", std::string("城市绿心森林公园")}});
    add("districts/110112", "district", {{"name", std::string("通州区")}});
    add("roads/canal-road", "road", {});
  }
  void add(std::string id, std::string kind, PropertyMap properties) {
    ASSERT_TRUE(store_.add(std::move(id), std::move(kind), std::move(properties)).isOk());
  }
  std::vector<std::string> ids(std::string_view query) const {
    std::vector<std::string> out;
    for (const EntitySearchHit& h : searchEntities(store_, query)) out.push_back(h.id);
    return out;
  }
  EntityStore store_;
};

TEST_F(EntitySearch, AWholeIdOrItsLastSegmentComesFirst) {
  const auto hits = searchEntities(store_, "b-000123");
  ASSERT_FALSE(hits.empty());
  EXPECT_EQ(hits[0].id, "city/b-000123");
  EXPECT_EQ(hits[0].rank, 0);
  EXPECT_EQ(hits[0].label, "Canal Tower");  // labelled by its name, not its id
  EXPECT_TRUE(hits[0].matchedKey.empty());
  // Trailing segments count as the whole id too.
  EXPECT_EQ(searchEntities(store_, "CITY/b-000123")[0].rank, 0);
  EXPECT_EQ(searchEntities(store_, "/b-000123")[0].rank, 3);  // only contained
  // "b-00123" is inside b-001230 only.
  EXPECT_EQ(ids("b-00123"), std::vector<std::string>{"city/b-001230"});
}

TEST_F(EntitySearch, EnglishNamesMatchInAnyCaseNamesBeforeOtherProperties) {
  // Exact-start names (rank 1) before a name containing it (2), before the id (3), before another property (4).
  const auto hits = searchEntities(store_, "CANAL");
  ASSERT_EQ(hits.size(), 4u);
  EXPECT_EQ(hits[0].id, "city/b-000123");  // "Canal Tower": begins with it
  EXPECT_EQ(hits[0].rank, 1);
  EXPECT_EQ(hits[0].matchedKey, "name");
  EXPECT_EQ(hits[1].id, "roads/canal-road");  // an id segment begins with it
  EXPECT_EQ(hits[1].rank, 1);
  EXPECT_EQ(hits[2].id, "city/b-000124");  // "Grand Canal ...": a word begins with it
  EXPECT_EQ(hits[3].id, "city/b-001230");  // only its use mentions a canal
  EXPECT_EQ(hits[3].rank, 4);
  EXPECT_EQ(hits[3].matchedKey, "use");
}

TEST_F(EntitySearch, ChineseNamesMatchExactly) {
  auto hits = searchEntities(store_, "运河");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, "city/b-000123");
  EXPECT_EQ(hits[0].matchedKey, "name_zh");
  EXPECT_EQ(hits[0].label, "运河大厦");
  hits = searchEntities(store_, "绿心");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, "parks/7");
  EXPECT_EQ(hits[0].matchedKey, "名称");
  EXPECT_EQ(searchEntities(store_, "通州区")[0].rank, 0);
}

TEST_F(EntitySearch, EmptyOrUnknownQueriesFindNothingAndTheCapHolds) {
  EXPECT_TRUE(searchEntities(store_, "").empty());
  EXPECT_TRUE(searchEntities(store_, "   ").empty());
  EXPECT_TRUE(searchEntities(store_, "nowhere").empty());
  EntitySearchOptions options;
  options.maxHits = 2;
  EXPECT_EQ(searchEntities(store_, "city", options).size(), 2u);
  // Spaces around the query are not part of it.
  EXPECT_EQ(ids("  parks/7 "), std::vector<std::string>{"parks/7"});
}

TEST(EntitySearchKeys, NameKeys) {
  EXPECT_TRUE(isNameKey("name"));
  EXPECT_TRUE(isNameKey("NAME_ZH"));
  EXPECT_TRUE(isNameKey("station_name"));
  EXPECT_TRUE(isNameKey("名称"));
  EXPECT_FALSE(isNameKey("use"));
  EXPECT_FALSE(isNameKey("height_m"));
}

}  // namespace
}  // namespace gt
