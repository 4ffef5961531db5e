#include "greentwin/core/entity.hpp"

#include <gtest/gtest.h>

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
