// The demo city live, as a user sees it with the simulator running, drawn headless at a fixed moment: the
// simulator's sweep of every entity at T (greentwin-sim --record, its models are pure functions of seed and time)
// replayed into the bundled demo with its four plugins (`greentwin render --replay`), which derive their values
// before the frame is drawn. One golden per domain, each from the bookmark that shows it:
//   energy  the canal business district: buildings by load intensity (W/m2, energy plugin), substations by loading;
//   traffic the station hub: roads by DB11/T 785 congestion level, EV chargers by state (traffic plugin);
//   forest  the city green heart: green spaces by canopy cover (forest plugin).
#include <gtest/gtest.h>
#include <osgDB/ReadFile>

#include <cstdio>
#include <filesystem>
#include <string>

#include "golden_image.hpp"
#include "run_command.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

constexpr int kTolerance = 24;  // per channel, as the other render goldens
// A summer weekday's evening rush: loads near their peak, PV falling, roads slowing, forests in leaf.
const char* kStart = "2026-07-15T17:30:00+08:00";
const char* kT = "2026-07-15T17:30:10+08:00";


class DemoLiveRender : public ::testing::Test {
 protected:
  static fs::path dir() { return fs::path(GT_TEST_BINARY_DIR) / "demo_live_render"; }
  static std::string recording() { return (dir() / "sweep.gtrec").string(); }

  // One sweep of the whole demo at kStart, written once for the suite.
  static void SetUpTestSuite() {
    fs::create_directories(dir());
    std::string output;
    const int status = testing::runCommand(
        std::string(GT_SIM) + " --record " + recording() + " --start " + kStart + " --sweeps 1", output);
    ASSERT_EQ(status, 0) << output;
    ASSERT_NE(output.find("recorded"), std::string::npos) << output;
  }

  // The demo at kT from the bookmark, compared with its golden.
  static void renderAndCompare(const std::string& bookmark, const std::string& golden) {
    const std::string png = (dir() / (golden + ".png")).string();
    fs::remove(png);
    std::string output;
    const int status = testing::runCommand(std::string(GT_GREENTWIN) + " render --replay " + recording() +
                                               " --time " + kT + " --camera " + bookmark +
                                               " --size 960x540 --lang en --out " + png,
                                           output);
    ASSERT_EQ(status, 0) << output;
    EXPECT_NE(output.find("replayed "), std::string::npos) << output;
    osg::ref_ptr<osg::Image> image = osgDB::readImageFile(png);
    ASSERT_TRUE(image.valid()) << png;
    EXPECT_GT(testing::luminanceStdDev(*image), 10.0);
    const std::string failure = testing::checkAgainstGolden(*image, golden, kTolerance, 0.01);
    EXPECT_TRUE(failure.empty()) << failure;
  }
};

TEST_F(DemoLiveRender, EnergyBuildingsByLoadIntensityAtTheCanalDistrict) {
  renderAndCompare("canal-cbd", "demo_live_energy_canal_cbd");
}

TEST_F(DemoLiveRender, TrafficRoadsByCongestionAtTheStationHub) {
  renderAndCompare("station-hub", "demo_live_traffic_station_hub");
}

TEST_F(DemoLiveRender, ForestGreenSpacesByCanopyAtTheGreenHeart) {
  renderAndCompare("green-heart", "demo_live_forest_green_heart");
}

}  // namespace
}  // namespace gt::viewer
