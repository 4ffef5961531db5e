#include "greentwin/core/selection.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace gt {
namespace {

const std::vector<Vec3d> kSquare{{0, 0, 0}, {100, 0, 0}, {100, 100, 0}, {0, 100, 0}};

TEST(Selection, PointsInsideAndOutsideASquareAndAConcaveRing) {
  EXPECT_TRUE(pointInRing(kSquare, 50, 50));
  EXPECT_FALSE(pointInRing(kSquare, 150, 50));
  EXPECT_FALSE(pointInRing(kSquare, -1, 50));
  // A closed ring (last corner repeated) reads the same.
  std::vector<Vec3d> closed = kSquare;
  closed.push_back(kSquare.front());
  EXPECT_TRUE(pointInRing(closed, 50, 50));
  // A U: the notch (40..60 x 40..100) is outside.
  const std::vector<Vec3d> u{{0, 0, 0}, {100, 0, 0}, {100, 100, 0}, {60, 100, 0},
                             {60, 40, 0}, {40, 40, 0}, {40, 100, 0}, {0, 100, 0}};
  EXPECT_TRUE(pointInRing(u, 20, 80));
  EXPECT_FALSE(pointInRing(u, 50, 80));
  EXPECT_TRUE(pointInRing(u, 50, 20));
  EXPECT_FALSE(pointInRing({}, 0, 0));
}

TEST(Selection, TwoSquaresSharingAnEdgeTakeAPointOnItOnce) {
  const std::vector<Vec3d> right{{100, 0, 0}, {200, 0, 0}, {200, 100, 0}, {100, 100, 0}};
  for (double y : {10.0, 50.0, 99.0}) {
    EXPECT_EQ(int(pointInRing(kSquare, 100, y)) + int(pointInRing(right, 100, y)), 1) << y;
  }
}

TEST(Selection, AFeatureIsTakenInByItsAnchor) {
  FeatureGeometry building;
  building.polygons.push_back(Polygon{{{{90, 40, 0}, {120, 40, 0}, {120, 60, 0}, {90, 60, 0}}}});  // centroid x 105
  EXPECT_FALSE(ringTakesIn(kSquare, building));
  FeatureGeometry stop;
  stop.points = {{10, 10, 0}};
  EXPECT_TRUE(ringTakesIn(kSquare, stop));
  EXPECT_FALSE(ringTakesIn(kSquare, FeatureGeometry{}));
}

TEST(Selection, TheSummarySumsNumbersAndCountsTexts) {
  const PropertyMap a{{"height_m", 30.0}, {"use", std::string("office")}, {"floors", std::int64_t{10}}};
  const PropertyMap b{{"height_m", 12.0}, {"use", std::string("home")}, {"floors", std::string("4")}};
  const PropertyMap c{{"height_m", std::monostate{}}, {"use", std::string("office")}};
  const std::vector<const PropertyMap*> features{&a, &b, &c};
  const SelectionSummary s = summarizeSelection(features);
  EXPECT_EQ(s.count, 3u);
  ASSERT_EQ(s.attributes.size(), 3u);
  const AttributeSummary& floors = s.attributes[0];
  EXPECT_EQ(floors.name, "floors");
  EXPECT_EQ(floors.numbers, 2u);  // "4" reads as a number
  EXPECT_DOUBLE_EQ(floors.sum, 14.0);
  EXPECT_EQ(floors.missing, 1u);
  const AttributeSummary& height = s.attributes[1];
  EXPECT_EQ(height.numbers, 2u);
  EXPECT_DOUBLE_EQ(height.mean, 21.0);
  EXPECT_DOUBLE_EQ(height.min, 12.0);
  EXPECT_DOUBLE_EQ(height.max, 30.0);
  EXPECT_EQ(height.missing, 1u);  // null
  const AttributeSummary& use = s.attributes[2];
  EXPECT_EQ(use.texts, 3u);
  ASSERT_EQ(use.topTexts.size(), 2u);
  EXPECT_EQ(use.topTexts[0], (std::pair<std::string, std::size_t>{"office", 2}));
  EXPECT_EQ(selectionSummaryCsv(s),
            "attribute,numbers,sum,mean,min,max,texts,most_frequent,missing\r\n"
            "floors,2,14,7,4,10,0,,1\r\n"
            "height_m,2,42,21,12,30,0,,1\r\n"
            "use,0,,,,,3,office: 2; home: 1,0\r\n");
}

TEST(Selection, CsvQuotesWhatNeedsIt) {
  const PropertyMap a{{"name, en", std::string("A \"quoted\" name")}};
  const std::vector<const PropertyMap*> features{&a};
  const std::string csv = selectionSummaryCsv(summarizeSelection(features));
  EXPECT_NE(csv.find("\"name, en\",0,,,,,1,\"A \"\"quoted\"\" name: 1\",0"), std::string::npos) << csv;
  EXPECT_EQ(summarizeSelection({}).count, 0u);
}

}  // namespace
}  // namespace gt
