// `greentwin render --replay REC --time T --select ID` as a user runs it (issue 11, "headless at any time"): a feed
// recording of PM2.5 readings is drawn at T without a window — the stations in their live classes (one stale),
// the IDW surface over the live ones, and the selected station's values and chart in the inspector — and matches a
// golden. The recording is written here with the wire-protocol encoder and fixed times, so the picture is the same
// on every run.
#include <gtest/gtest.h>
#include <osgDB/ReadFile>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "golden_image.hpp"
#include "run_command.hpp"
#include "greentwin/connectors/feed_recording.hpp"
#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/runtime/assets.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;

constexpr int kTolerance = 24;  // per channel, as the other render goldens
const char* kT = "2026-11-25T09:30:00+08:00";


// Twelve stations reporting PM2.5 every minute for half an hour before T (station 12 stops 10 minutes early: stale
// at T), in binary and JSON payloads alternately, declaring a 60 s interval.
void writeRecording(const std::string& path, TimePoint t) {
  auto recorder = connectors::FeedRecorder::create(path, t - 3600 * kMicrosPerSecond, connectors::RecordingSecurity::None);
  ASSERT_TRUE(recorder.isOk()) << recorder.status().toString();
  std::uint64_t sequence = 0;
  for (int minute = 30; minute >= 0; --minute) {
    const TimePoint at = t - minute * 60 * kMicrosPerSecond;
    connectors::Message m;
    m.topic = "air.station";
    m.envelope.publisherId = "replay-test-air";
    m.envelope.sequence = ++sequence;
    m.envelope.sourceTime = at;
    m.envelope.schemaId = "air.station";
    m.envelope.declaredInterval = 60 * kMicrosPerSecond;
    for (int s = 1; s <= 12; ++s) {
      if (s == 12 && minute < 10) continue;
      char id[64];
      std::snprintf(id, sizeof id, "city-aq-stations/aq-%02d", s);
      // Stations spread over the classes, drifting slowly with time.
      const double value = 12.0 + 21.0 * s + 8.0 * std::sin(0.2 * minute + s);
      m.updates.push_back(connectors::Update{id, "pm25", value, "ug/m3", at});
    }
    auto frames = sequence % 2 == 0 ? connectors::encodeBinary(m) : connectors::encodeJson(m);
    ASSERT_TRUE(frames.isOk()) << frames.status().toString();
    connectors::RecordedMessage record{at + 200'000, at + 200'000 - (t - 3600 * kMicrosPerSecond),
                                       {frames->topic, frames->envelope, frames->payload}, {}};
    ASSERT_TRUE((*recorder)->write(record).isOk());
  }
}

// The district, the stations coloured by live PM2.5 (HJ 633 classes) and the IDW surface over them; no sources or
// plugins, so the recording is the only source of values.
void writeConfig(const std::string& path) {
  const std::string demo = runtime::assetsDirectory() + "/demo/";
  std::ofstream out(path);
  out << "[display]\ntitle_en = \"Replay test\"\nlanguage = \"en\"\n"
      << "[scene]\norigin_lon = 116.72\norigin_lat = 39.86\ncrs = \"EPSG:4548\"\n"
      << "[clock]\nmode = \"paused\"\nstart = \"2026-11-25T08:00:00+08:00\"\nend = \"2026-11-25T10:00:00+08:00\"\n"
      << "[camera.home]\ncenter_lon = 116.70\ncenter_lat = 39.80\nheading_deg = 0.0\npitch_deg = -89.0\n"
      << "range_m = 70000.0\n"
      << "[[layers]]\nid = \"tongzhou-district\"\ntype = \"vector\"\nsource = \"" << demo
      << "tongzhou_district.geojson\"\nname_en = \"Tongzhou district\"\n[layers.style]\nfill_color = \"#2f5d3a26\"\noutline_color = \"#e8f5e9\"\n"
      << "[[layers]]\nid = \"pm25-surface\"\ntype = \"field\"\nsource = \"" << demo
      << "tongzhou_district.geojson\"\nname_en = \"PM2.5 surface (IDW)\"\nopacity = 0.6\nresolution_m = 1000.0\n"
      << "[layers.style]\ncolor_mode = \"graduated\"\ncolor_by = \"pm25\"\nbreaks = [35, 75, 115, 150, 250]\n"
      << "colors = [\"#00e400\", \"#ffff00\", \"#ff7e00\", \"#ff0000\", \"#99004c\", \"#7e0023\"]\n"
      << "[layers.field]\npoints = \"city-aq-stations\"\nsearch_radius_m = 15000.0\n"
      << "[[layers]]\nid = \"city-aq-stations\"\ntype = \"vector\"\nsource = \"" << demo
      << "generated/tongzhou_city.gpkg\"\nsource_layer = \"aq_stations\"\nname_en = \"Air-quality stations\"\nid_attribute = \"id\"\nsynthetic = true\n"
      << "[layers.style]\npoint_size_px = 14.0\ncolor_mode = \"graduated\"\ncolor_by = \"pm25\"\n"
      << "breaks = [35, 75, 115, 150, 250]\n"
      << "colors = [\"#00e400\", \"#ffff00\", \"#ff7e00\", \"#ff0000\", \"#99004c\", \"#7e0023\"]\n";
}

TEST(RenderReplay, AMomentOfARecordingIsDrawnWithLiveColoursAndTheInspectorChart) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "replay_render";
  fs::create_directories(dir);
  const TimePoint t = *parseIsoTime(kT);
  writeRecording((dir / "air.gtrec").string(), t);
  writeConfig((dir / "replay.toml").string());
  const std::string png = (dir / "replay.png").string();
  fs::remove(png);
  std::string output;
  const int status = testing::runCommand(
      std::string(GT_GREENTWIN) + " render --config " + (dir / "replay.toml").string() + " --replay " +
          (dir / "air.gtrec").string() + " --time " + kT +
          " --select city-aq-stations/aq-03 --size 960x540 --lang en --out " + png,
      output);
  ASSERT_EQ(status, 0) << output;
  // What the twin had received by T: 30 of the 31 messages (the one timed T arrived 0.2 s after it); 12 stations in
  // 21 of them, 11 in the other 9.
  EXPECT_NE(output.find("replayed 351 samples from 30 messages"), std::string::npos) << output;
  osg::ref_ptr<osg::Image> image = osgDB::readImageFile(png);
  ASSERT_TRUE(image.valid()) << png;
  EXPECT_GT(testing::luminanceStdDev(*image), 10.0);
  const std::string failure = testing::checkAgainstGolden(*image, "replay_stations_at_time", kTolerance, 0.005);
  EXPECT_TRUE(failure.empty()) << failure;
}

// Without --time the render shows the recording's last moment; a recording that does not exist is an error named
// before anything loads.
TEST(RenderReplay, TheTimeDefaultsToTheLastSampleAndAMissingFileIsNamed) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "replay_render_default";
  fs::create_directories(dir);
  const TimePoint t = *parseIsoTime(kT);
  writeRecording((dir / "air.gtrec").string(), t);
  writeConfig((dir / "replay.toml").string());
  std::string output;
  int status = testing::runCommand(
      std::string(GT_GREENTWIN) + " render --config " + (dir / "replay.toml").string() + " --replay " +
          (dir / "air.gtrec").string() + " --no-ui --size 320x180 --out " + (dir / "a.png").string(),
      output);
  ASSERT_EQ(status, 0) << output;
  EXPECT_NE(output.find("replayed 362 samples"), std::string::npos) << output;
  status = testing::runCommand(
      std::string(GT_GREENTWIN) + " render --config " + (dir / "replay.toml").string() + " --replay " +
          (dir / "missing.gtrec").string() + " --out " + (dir / "b.png").string(),
      output);
  EXPECT_NE(status, 0);
  EXPECT_NE(output.find("missing.gtrec"), std::string::npos) << output;
  EXPECT_EQ(output.find("loading"), std::string::npos) << output;
}

}  // namespace
}  // namespace gt::viewer
