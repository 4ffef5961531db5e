// Selecting inside a measured polygon (selection_panel.hpp; docs/workbench.md "Selecting inside a polygon") on the demo
// twin: the buildings a square takes in, their summary against sums made here, a filter narrowing the selection,
// the exports read back, and the Selection window drawn.
#include "selection_panel.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "greentwin/connectors/vector_reader.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"
#include "twin_test_setup.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

class SelectionPanelTest : public testing::DemoTwinSuite {
 protected:
  void TearDown() override { (void)twin_->filterLayer("city-buildings", ""); }
  // A square around the canal business district's bookmark (dense with buildings).
  static std::vector<Vec3d> square(double half = 300) {
    const BookmarkConfig* cbd = twin_->config().findBookmark("canal-cbd");
    const Vec3d c = *twin_->poseCenter(cbd->pose);
    const double cx = c.x, cy = c.y;
    return {{cx - half, cy - half, 0}, {cx + half, cy - half, 0}, {cx + half, cy + half, 0}, {cx - half, cy + half, 0}};
  }
  // The city's buildings whose label anchor lies in the axis-aligned square, and the sum of their heights.
  static std::pair<std::size_t, double> expected(const std::vector<Vec3d>& sq, double minHeight = -1) {
    const layers::Layer* layer = twin_->findLayer("city-buildings");
    std::size_t n = 0;
    double sum = 0;
    for (std::uint32_t slot = 0; slot < layer->slotCount(); ++slot) {
      const Vec3d a = labelAnchor(layer->features()->features[slot].geometry);
      if (a.x <= sq[0].x || a.x >= sq[2].x || a.y <= sq[0].y || a.y >= sq[2].y) continue;
      const Entity* e = twin_->entities().get(layer->entityOfSlot(slot));
      const double h = std::get<double>(e->properties.at("height_m"));
      if (h <= minHeight) continue;
      ++n;
      sum += h;
    }
    return {n, sum};
  }
};

const AttributeSummary* find(const SelectionSummary& s, const std::string& name) {
  for (const AttributeSummary& a : s.attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

TEST_F(SelectionPanelTest, TheBuildingsInsideASquareAndTheirSums) {
  UiState state;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = square();
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  const HeldSelection* held = heldSelection(state);
  ASSERT_NE(held, nullptr);
  const auto [count, heightSum] = expected(state.measurePoints);
  ASSERT_GT(count, 5u) << "the test square should hold buildings";
  EXPECT_EQ(held->entities.size(), count);
  EXPECT_EQ(held->summary.count, count);
  const AttributeSummary* height = find(held->summary, "height_m");
  ASSERT_NE(height, nullptr);
  EXPECT_NEAR(height->sum, heightSum, 1e-6 * heightSum);
  EXPECT_NEAR(height->mean, heightSum / static_cast<double>(count), 1e-9 * heightSum);
  const AttributeSummary* use = find(held->summary, "use");
  ASSERT_NE(use, nullptr);
  EXPECT_FALSE(use->topTexts.empty());

  // A filter narrows what can be selected.
  ASSERT_TRUE(std::holds_alternative<runtime::LayerFilterCount>(twin_->filterLayer("city-buildings", "height_m > 20")));
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  EXPECT_EQ(heldSelection(state)->entities.size(), expected(state.measurePoints, 20).first);
  EXPECT_LT(heldSelection(state)->entities.size(), count);

  // Too few corners, or no such layer: an error, the held selection stays.
  state.measurePoints.resize(2);
  EXPECT_FALSE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  state.measurePoints = square();
  const Status none = selectInsideMeasuredArea(*twin_, state, "no-layer");
  EXPECT_NE(none.message().find("no layer 'no-layer'"), std::string::npos);
  EXPECT_NE(heldSelection(state), nullptr);
}

TEST_F(SelectionPanelTest, TheSelectionWrittenAsGeoJsonAndTheSummaryAsCsv) {
  UiState state;
  state.measureMode = MeasureMode::Area;
  state.measurePoints = square(200);
  ASSERT_TRUE(selectInsideMeasuredArea(*twin_, state, "city-buildings").isOk());
  const HeldSelection& held = *heldSelection(state);
  ASSERT_FALSE(held.entities.empty());
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "selection_export";
  fs::remove_all(dir);
  const std::string geojson = (dir / "nested" / "selection.geojson").string();  // the folder is made
  ASSERT_TRUE(exportHeldSelection(*twin_, state, geojson, false).isOk());
  connectors::VectorReadOptions options;
  options.idAttribute = "id";
  auto back = connectors::readVectorSource(geojson, twin_->geoFrame(), options);
  ASSERT_TRUE(back.isOk()) << back.status().toString();
  ASSERT_EQ(back->features.size(), held.entities.size());
  EXPECT_EQ(back->features[0].id, twin_->entities().get(held.entities[0])->id);
  EXPECT_TRUE(back->features[0].properties.contains("height_m"));
  // Written again: refused, the file exists.
  EXPECT_NE(exportHeldSelection(*twin_, state, geojson, false).message().find("the file exists"), std::string::npos);
  const std::string csv = (dir / "summary.csv").string();
  ASSERT_TRUE(exportHeldSelection(*twin_, state, csv, false).isOk());
  std::ifstream in(csv);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), selectionSummaryCsv(held.summary));
  EXPECT_EQ(text.str().rfind("attribute,numbers,sum,mean,min,max", 0), 0u);
  EXPECT_FALSE(exportHeldSelection(*twin_, state, (dir / "x.txt").string(), false).isOk());
}

TEST_F(SelectionPanelTest, TheSelectionWindowIsDrawn) {
  const std::vector<Vec3d> sq = square(250);
  const Vec3d centre{(sq[0].x + sq[2].x) / 2, (sq[0].y + sq[2].y) / 2, 0};
  RenderRequest request;
  request.width = 1100;
  request.height = 700;
  request.language = Language::English;
  request.view = OrbitPose{osg::Vec3d(centre.x, centre.y, 0), 0.0, -89.0, 1500.0};
  request.measureMode = MeasureMode::Area;
  request.measureClicks = {{450.0f, 250.0f}, {750.0f, 250.0f}, {750.0f, 450.0f}, {450.0f, 450.0f}};
  request.selectInLayer = "city-buildings";
  auto image = renderOffscreen(*twin_, request);
  ASSERT_TRUE(image) << image.status().message();
  ASSERT_TRUE(writePng(**image, (fs::path(GT_TEST_BINARY_DIR) / "selection_window.png").string()));
  request.selectInLayer = "no-such-layer";
  auto refused = renderOffscreen(*twin_, request);
  EXPECT_FALSE(refused);
}

}  // namespace
}  // namespace gt::viewer
