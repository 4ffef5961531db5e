// The search field (search_box.hpp; docs/workbench.md "Search") on the demo twin: places by their Chinese or English
// names, a building by its id, and where the camera goes to show a result.
#include "search_box.hpp"

#include <gtest/gtest.h>

#include <string>

#include "greentwin/runtime/twin.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

class SearchBoxTest : public testing::DemoTwinSuite {};

TEST_F(SearchBoxTest, PlacesByTheirChineseOrEnglishNames) {
  SearchResults r = runSearch(*twin_, "运河");
  ASSERT_FALSE(r.places.empty());
  EXPECT_EQ(r.places[0]->nameZh, "运河商务区");
  r = runSearch(*twin_, "canal BUSINESS");
  ASSERT_EQ(r.places.size(), 1u);
  EXPECT_EQ(r.places[0]->nameEn, "Canal business district");
  EXPECT_TRUE(runSearch(*twin_, "").places.empty());
}

TEST_F(SearchBoxTest, ABuildingByItsIdComesFirstAndTheCameraGoesToIt) {
  // The 1000th building of the city layer, found by its id without the layer's prefix (its last part alone, the
  // feature number, is also a road's).
  const layers::Layer* buildings = twin_->findLayer("city-buildings");
  ASSERT_NE(buildings, nullptr);
  ASSERT_GT(buildings->slotCount(), 1000u);
  const EntityIndex entity = buildings->entityOfSlot(1000);
  const std::string id = twin_->entities().get(entity)->id;
  const std::string lastPart = id.substr(id.find('/') + 1);
  const SearchResults r = runSearch(*twin_, lastPart);
  ASSERT_FALSE(r.entities.empty()) << lastPart;
  EXPECT_EQ(r.entities[0].entity, entity) << r.entities[0].id << " for " << id;
  EXPECT_EQ(r.entities[0].rank, 0);

  const OrbitPose current{osg::Vec3d(0, 0, 0), 30.0, -60.0, 5000.0};
  const auto pose = poseForEntity(*twin_, entity, current);
  ASSERT_TRUE(pose);
  const Vec3d at = *twin_->entityPosition(entity);
  EXPECT_DOUBLE_EQ(pose->center.x(), at.x);
  EXPECT_DOUBLE_EQ(pose->center.y(), at.y);
  EXPECT_DOUBLE_EQ(pose->headingDeg, 30.0);  // the planner's heading kept
  EXPECT_DOUBLE_EQ(pose->pitchDeg, -45.0);
  EXPECT_GE(pose->range, 250.0);
  EXPECT_LE(pose->range, 20000.0);
  // The district is large: the camera stands back to see it whole.
  const SearchResults district = runSearch(*twin_, "通州区");
  ASSERT_FALSE(district.entities.empty());
  const auto wide = poseForEntity(*twin_, district.entities[0].entity, current);
  ASSERT_TRUE(wide);
  EXPECT_GT(wide->range, 10000.0);

  UiState state;
  showSearchResult(*twin_, state, entity, nullptr);
  EXPECT_EQ(state.selected, std::optional<EntityIndex>(entity));
}

}  // namespace
}  // namespace gt::viewer
