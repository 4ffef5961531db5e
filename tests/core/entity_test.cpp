#include "greentwin/core/entity.hpp"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace gt {
namespace {

TEST(EntityStore, AddAssignsDenseIndicesAndFindsById) {
  EntityStore store;
  auto a = store.add("building/123", "building", {{"height_m", 42.5}, {"name", std::string("Library")}});
  auto b = store.add("station/aq-07", "air_station");
  ASSERT_TRUE(a.isOk());
  ASSERT_TRUE(b.isOk());
  EXPECT_EQ(*a, 0u);
  EXPECT_EQ(*b, 1u);
  EXPECT_EQ(store.size(), 2u);
  EXPECT_EQ(store.find("station/aq-07"), std::optional<EntityIndex>(1u));
  EXPECT_EQ(store.find("building/123"), std::optional<EntityIndex>(0u));
  EXPECT_EQ(store.find("building/999"), std::nullopt);

  const Entity* e = store.get(0);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->id, "building/123");
  EXPECT_EQ(e->kind, "building");
  ASSERT_EQ(e->properties.size(), 2u);
  EXPECT_EQ(std::get<double>(e->properties.at("height_m")), 42.5);
  // Ordered map: inspector lists properties alphabetically.
  EXPECT_EQ(e->properties.begin()->first, "height_m");
}

TEST(EntityStore, DuplicateIdIsAnErrorAndDoesNotChangeTheStore) {
  EntityStore store;
  ASSERT_TRUE(store.add("building/1", "building").isOk());
  auto dup = store.add("building/1", "district");
  ASSERT_FALSE(dup.isOk());
  EXPECT_EQ(dup.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(dup.status().message().find("building/1"), std::string::npos);
  EXPECT_EQ(store.size(), 1u);
  EXPECT_EQ(store.get(0)->kind, "building");
}

TEST(EntityStore, RejectsEmptyIdOrKind) {
  EntityStore store;
  EXPECT_EQ(store.add("", "building").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(store.add("x/1", "").status().code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(store.size(), 0u);
}

TEST(EntityStore, GetOutOfRangeIsNull) {
  EntityStore store;
  EXPECT_EQ(store.get(0), nullptr);
  EXPECT_EQ(store.get(kInvalidEntity), nullptr);
  ASSERT_TRUE(store.add("river/tonghui", "river").isOk());
  EXPECT_NE(store.get(0), nullptr);
  EXPECT_EQ(store.get(1), nullptr);
}

TEST(EntityStore, SetPropertyAndOfKind) {
  EntityStore store;
  store.reserve(4);
  ASSERT_TRUE(store.add("building/1", "building").isOk());
  ASSERT_TRUE(store.add("district/a", "district").isOk());
  ASSERT_TRUE(store.add("building/2", "building").isOk());
  ASSERT_TRUE(store.setProperty(2, "floors", std::int64_t{12}).isOk());
  ASSERT_TRUE(store.setProperty(2, "floors", std::int64_t{13}).isOk());
  EXPECT_EQ(std::get<std::int64_t>(store.get(2)->properties.at("floors")), 13);
  EXPECT_EQ(store.setProperty(7, "floors", true).code(), ErrorCode::NotFound);
  EXPECT_EQ(store.ofKind("building"), (std::vector<EntityIndex>{0, 2}));
  EXPECT_TRUE(store.ofKind("forest").empty());
}

TEST(AttributeRegistry, InternsNamesToDenseIdsWithUnits) {
  EntityStore store;
  AttributeRegistry& attrs = store.attributes();
  auto pm25 = attrs.intern("pm25", "ug/m3");
  auto power = attrs.intern("power_kw", "kW");
  ASSERT_TRUE(pm25.isOk());
  ASSERT_TRUE(power.isOk());
  EXPECT_EQ(*pm25, 0u);
  EXPECT_EQ(*power, 1u);
  EXPECT_EQ(attrs.size(), 2u);
  // Same name again: same id, with or without unit.
  EXPECT_EQ(*attrs.intern("pm25", "ug/m3"), 0u);
  EXPECT_EQ(*attrs.intern("pm25"), 0u);
  EXPECT_EQ(attrs.find("power_kw"), std::optional<AttributeId>(1u));
  EXPECT_EQ(attrs.find("no2"), std::nullopt);
  ASSERT_NE(attrs.info(0), nullptr);
  EXPECT_EQ(attrs.info(0)->name, "pm25");
  EXPECT_EQ(attrs.info(0)->unit, "ug/m3");
  EXPECT_EQ(attrs.info(2), nullptr);
  EXPECT_EQ(attrs.info(kInvalidAttribute), nullptr);
}

TEST(AttributeRegistry, ConflictingUnitIsAnErrorAndEmptyNameRejected) {
  AttributeRegistry attrs;
  ASSERT_TRUE(attrs.intern("pm25", "ug/m3").isOk());
  auto bad = attrs.intern("pm25", "mg/m3");
  ASSERT_FALSE(bad.isOk());
  EXPECT_EQ(bad.status().code(), ErrorCode::InvalidArgument);
  EXPECT_NE(bad.status().message().find("mg/m3"), std::string::npos);
  EXPECT_EQ(attrs.intern("").status().code(), ErrorCode::InvalidArgument);
  // A unit given later fills in an empty one.
  ASSERT_TRUE(attrs.intern("temp").isOk());
  ASSERT_TRUE(attrs.intern("temp", "degC").isOk());
  EXPECT_EQ(attrs.info(*attrs.find("temp"))->unit, "degC");
}

// The keys of a PropertyMap in iteration order.
std::vector<std::string> keysOf(const PropertyMap& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

TEST(PropertyMap, IteratesInKeyOrderWhateverTheInsertionOrder) {
  PropertyMap map{{"use", std::string("office")}, {"height_m", 42.5}, {"floors", std::int64_t{12}}};
  EXPECT_EQ(keysOf(map), (std::vector<std::string>{"floors", "height_m", "use"}));
  map.emplace("name", std::string("Library"));
  map.insert({"area_m2", 120.0});
  map["year_built"] = std::int64_t{1998};
  map.insert_or_assign(std::string("zone"), std::string("core"));
  EXPECT_EQ(keysOf(map),
            (std::vector<std::string>{"area_m2", "floors", "height_m", "name", "use", "year_built", "zone"}));
  EXPECT_EQ(map.size(), 7u);
  EXPECT_FALSE(map.empty());
  EXPECT_TRUE(PropertyMap{}.empty());
}

TEST(PropertyMap, LooksUpByAnyStringLikeKey) {
  const PropertyMap map{{"height_m", 42.5}, {"name", std::string("Library")}};
  const std::string name = "name";
  EXPECT_EQ(std::get<double>(map.find("height_m")->second), 42.5);
  EXPECT_EQ(std::get<std::string>(map.find(std::string_view("name"))->second), "Library");
  EXPECT_EQ(map.find(name)->first, "name");
  EXPECT_EQ(map.find("height"), map.end());  // a prefix is not a key
  EXPECT_EQ(map.find("zzz"), map.end());
  EXPECT_EQ(map.count("name"), 1u);
  EXPECT_EQ(map.count("floors"), 0u);
  EXPECT_TRUE(map.contains("height_m"));
  EXPECT_FALSE(map.contains(""));
  EXPECT_EQ(std::get<double>(map.at("height_m")), 42.5);
  EXPECT_THROW((void)map.at("floors"), std::out_of_range);
}

TEST(PropertyMap, InsertsLikeAStdMap) {
  PropertyMap map;
  auto [first, inserted] = map.emplace("floors", std::int64_t{3});
  EXPECT_TRUE(inserted);
  EXPECT_EQ(first->first, "floors");
  // emplace and insert keep an existing value and point at it.
  auto [again, insertedAgain] = map.emplace("floors", std::int64_t{4});
  EXPECT_FALSE(insertedAgain);
  EXPECT_EQ(std::get<std::int64_t>(again->second), 3);
  EXPECT_FALSE(map.insert({"floors", std::int64_t{5}}).second);
  EXPECT_EQ(std::get<std::int64_t>(map.at("floors")), 3);
  // insert_or_assign replaces.
  EXPECT_FALSE(map.insert_or_assign("floors", std::int64_t{6}).second);
  EXPECT_EQ(std::get<std::int64_t>(map.at("floors")), 6);
  EXPECT_TRUE(map.insert_or_assign("roof", std::string("flat")).second);
  // operator[] inserts null for a missing key, and gives the stored value to change.
  EXPECT_TRUE(std::holds_alternative<std::monostate>(map["missing"]));
  map["floors"] = true;
  map.at("roof") = 2.5;
  EXPECT_EQ(std::get<bool>(map.at("floors")), true);
  EXPECT_EQ(std::get<double>(map.at("roof")), 2.5);
  EXPECT_EQ(map.size(), 3u);
  // An initializer list naming a key twice keeps the first value, as std::map's does.
  const PropertyMap twice{{"a", std::int64_t{1}}, {"b", std::int64_t{2}}, {"a", std::int64_t{3}}};
  EXPECT_EQ(twice.size(), 2u);
  EXPECT_EQ(std::get<std::int64_t>(twice.at("a")), 1);
}

TEST(PropertyMap, EmplaceHintAppendsInOrderAndToleratesAWrongHint) {
  PropertyMap map;
  map.reserve(3);
  for (const char* key : {"a", "b", "c"}) map.emplace_hint(map.end(), key, std::string(key));
  EXPECT_EQ(keysOf(map), (std::vector<std::string>{"a", "b", "c"}));
  // A hint that is not where the key belongs: inserted where it does belong, or not at all if present.
  map.emplace_hint(map.end(), "0", 0.0);
  map.emplace_hint(map.begin(), "d", 1.0);
  EXPECT_EQ(map.emplace_hint(map.end(), "b", 2.0)->first, "b");
  EXPECT_EQ(keysOf(map), (std::vector<std::string>{"0", "a", "b", "c", "d"}));
  EXPECT_EQ(std::get<std::string>(map.at("b")), "b");
}

TEST(PropertyMap, ErasesAndCompares) {
  PropertyMap a{{"x", 1.0}, {"y", std::string("two")}, {"z", std::monostate{}}};
  PropertyMap b;
  b["z"];
  b["y"] = std::string("two");
  b["x"] = 1.0;
  EXPECT_EQ(a, b);
  b["x"] = std::int64_t{1};  // same number, another type: a different property value
  EXPECT_NE(a, b);
  EXPECT_EQ(a.erase("y"), 1u);
  EXPECT_EQ(a.erase("y"), 0u);
  const auto next = a.erase(a.find("x"));
  EXPECT_EQ(next->first, "z");
  EXPECT_EQ(keysOf(a), (std::vector<std::string>{"z"}));
  a.clear();
  EXPECT_TRUE(a.empty());
}

TEST(PropertyValue, FormatsForTheInspector) {
  EXPECT_EQ(formatPropertyValue(PropertyValue{}), "");
  EXPECT_EQ(formatPropertyValue(true), "true");
  EXPECT_EQ(formatPropertyValue(false), "false");
  EXPECT_EQ(formatPropertyValue(std::int64_t{-42}), "-42");
  EXPECT_EQ(formatPropertyValue(12.5), "12.5");
  EXPECT_EQ(formatPropertyValue(3.0), "3");
  EXPECT_EQ(formatPropertyValue(1.0 / 3.0), "0.333333");
  EXPECT_EQ(formatPropertyValue(1.5e7), "1.5e+07");
  EXPECT_EQ(formatPropertyValue(std::string("Tongzhou Library")), "Tongzhou Library");
}

}  // namespace
}  // namespace gt
