#include "greentwin/wall/frame_state.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

namespace gt::wall {
namespace {

using Bytes = std::vector<std::uint8_t>;

// Every field away from its default.
WallFrameState fullState() {
  WallFrameState s;
  s.frame = 0x0102030405060708ULL;
  s.clockTime = 1'795'000'000'123'456;
  s.paused = true;
  s.rate = -60.5;
  s.camera = CameraPose{1234.5, -987.25, 42.0, 271.5, -33.0, 2500.0};
  s.selectedEntity = "building/b-0042";
  s.language = "en";
  s.layers = {{"city-buildings", true, 0.75F, 2}, {"air-quality", false, 0.0F, 0}, {"terrain", true, 1.0F, 1}};
  s.showIndicatorWall = true;
  s.tour = TourState{"morning-briefing", 3, true};
  s.alerts = {{"aq/pm25/station-7", AlertSeverity::Critical, "PM2.5 above 150", "PM2.5 超过 150", false},
              {"energy/peak", AlertSeverity::Warning, "Peak load", "峰值负荷", true}};
  s.sentSteadyNs = 123'456'789'012;
  s.sentSystemNs = 1'795'000'000'123'456'789;
  return s;
}

Bytes encode(const WallFrameState& s) {
  auto bytes = encodeFrameState(s);
  EXPECT_TRUE(bytes) << bytes.status().message();
  return bytes ? *bytes : Bytes{};
}

// The decode's problem kind, expecting a failure.
FrameProblem refusal(const Bytes& bytes, ErrorCode expectedCode, const std::string& expectedText) {
  FrameProblem problem = FrameProblem::None;
  auto decoded = decodeFrameState(bytes.data(), bytes.size(), &problem);
  EXPECT_FALSE(decoded);
  if (!decoded) {
    EXPECT_EQ(decoded.status().code(), expectedCode) << decoded.status().message();
    EXPECT_NE(decoded.status().message().find(expectedText), std::string::npos) << decoded.status().message();
  }
  return problem;
}

// Offsets of the minimal frame (hand-counted from the layout in frame_state.hpp).
constexpr std::size_t kVersionAt = 4;
constexpr std::size_t kFlagsAt = 6;
constexpr std::size_t kFrameAt = 8;
constexpr std::size_t kPausedAt = 24;    // 8 header + 8 frame + 8 clock
constexpr std::size_t kRateAt = 25;
constexpr std::size_t kCameraAt = 33;
constexpr std::size_t kLanguageAt = 82;  // 33 + 48 camera + 1 selected flag
constexpr std::size_t kLayerCountAt = 87;  // 82 + 2 + 2 "zh" + 1 indicator wall
constexpr std::size_t kMinimalSize = 108;  // 87 + 2 + 1 tour flag + 2 alert count + 16 send times

TEST(FrameState, RoundTripsEveryField) {
  const WallFrameState s = fullState();
  const Bytes bytes = encode(s);
  FrameProblem problem = FrameProblem::TooLarge;
  auto decoded = decodeFrameState(bytes, &problem);
  ASSERT_TRUE(decoded) << decoded.status().message();
  EXPECT_EQ(problem, FrameProblem::None);
  EXPECT_EQ(*decoded, s);
  // Field by field as well, so a failure says which.
  EXPECT_EQ(decoded->frame, 0x0102030405060708ULL);
  EXPECT_EQ(decoded->clockTime, 1'795'000'000'123'456);
  EXPECT_TRUE(decoded->paused);
  EXPECT_EQ(decoded->rate, -60.5);
  EXPECT_EQ(decoded->camera, (CameraPose{1234.5, -987.25, 42.0, 271.5, -33.0, 2500.0}));
  EXPECT_EQ(decoded->selectedEntity, std::optional<std::string>("building/b-0042"));
  EXPECT_EQ(decoded->language, "en");
  ASSERT_EQ(decoded->layers.size(), 3u);
  EXPECT_EQ(decoded->layers[0], (LayerState{"city-buildings", true, 0.75F, 2}));
  EXPECT_EQ(decoded->layers[1], (LayerState{"air-quality", false, 0.0F}));
  EXPECT_TRUE(decoded->showIndicatorWall);
  EXPECT_EQ(decoded->tour, (std::optional<TourState>(TourState{"morning-briefing", 3, true})));
  ASSERT_EQ(decoded->alerts.size(), 2u);
  EXPECT_EQ(decoded->alerts[0].severity, AlertSeverity::Critical);
  EXPECT_EQ(decoded->alerts[0].textZh, "PM2.5 超过 150");
  EXPECT_TRUE(decoded->alerts[1].acknowledged);
  EXPECT_EQ(decoded->sentSteadyNs, 123'456'789'012);
  EXPECT_EQ(decoded->sentSystemNs, 1'795'000'000'123'456'789);
}

TEST(FrameState, DefaultStateRoundTripsWithNoOptionals) {
  const WallFrameState s;
  auto decoded = decodeFrameState(encode(s));
  ASSERT_TRUE(decoded) << decoded.status().message();
  EXPECT_EQ(*decoded, s);
  EXPECT_FALSE(decoded->selectedEntity.has_value());
  EXPECT_FALSE(decoded->tour.has_value());
  EXPECT_EQ(decoded->language, "zh");
}

TEST(FrameState, WireLayoutIsTheDocumentedOne) {
  WallFrameState s;
  s.frame = 0x1122334455667788ULL;
  const Bytes bytes = encode(s);
  ASSERT_EQ(bytes.size(), kMinimalSize);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "GTWF");
  EXPECT_EQ(bytes[kVersionAt], 3);
  EXPECT_EQ(bytes[kVersionAt + 1], 0);
  EXPECT_EQ(bytes[kFrameAt], 0x88);  // little-endian
  EXPECT_EQ(bytes[kFrameAt + 7], 0x11);
  EXPECT_EQ(bytes[kLanguageAt], 2);  // "zh": u16 length 2, then the bytes
  EXPECT_EQ(bytes[kLanguageAt + 2], 'z');
  // A selected id of 3 bytes adds its flag's payload: u16 length + 3 bytes.
  s.selectedEntity = "b/1";
  EXPECT_EQ(encode(s).size(), kMinimalSize + 5);
  // A layer: u16 length + id + visible byte + f32 opacity + u32 look revision.
  s.layers.push_back({"ab", true, 0.5F, 3});
  EXPECT_EQ(encode(s).size(), kMinimalSize + 5 + 2 + 2 + 1 + 4 + 4);
}

TEST(FrameState, EveryTruncationIsRefusedAsTruncated) {
  const Bytes bytes = encode(fullState());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    FrameProblem problem = FrameProblem::None;
    auto decoded = decodeFrameState(prefix, &problem);
    ASSERT_FALSE(decoded) << "a prefix of " << n << " bytes was accepted";
    EXPECT_EQ(problem, FrameProblem::Truncated) << n << ": " << decoded.status().message();
    EXPECT_EQ(decoded.status().code(), ErrorCode::ParseError);
  }
}

TEST(FrameState, TrailingBytesAreRefused) {
  Bytes bytes = encode(fullState());
  bytes.push_back(0);
  EXPECT_EQ(refusal(bytes, ErrorCode::ParseError, "1 bytes after the last field"), FrameProblem::TrailingBytes);
}

TEST(FrameState, OversizedMessageIsRefusedUnread) {
  Bytes bytes = encode(fullState());
  bytes.resize(kMaxFrameStateBytes + 1, 0);
  EXPECT_EQ(refusal(bytes, ErrorCode::OutOfRange, "1048577 bytes, at most 1048576"), FrameProblem::TooLarge);
}

TEST(FrameState, WrongVersionAndMagicAreRefused) {
  Bytes bytes = encode(fullState());
  bytes[kVersionAt] = 1;  // the format before the layers' styles
  EXPECT_EQ(refusal(bytes, ErrorCode::Unsupported, "version 1, this build reads 3"), FrameProblem::WrongVersion);
  bytes[kVersionAt] = 2;  // a style number per layer, before the looks
  EXPECT_EQ(refusal(bytes, ErrorCode::Unsupported, "version 2, this build reads 3"), FrameProblem::WrongVersion);
  bytes[kVersionAt] = 4;
  EXPECT_EQ(refusal(bytes, ErrorCode::Unsupported, "version 4, this build reads 3"), FrameProblem::WrongVersion);
  const std::string text = "GTWB-not-a-frame-at-all";
  EXPECT_EQ(refusal(Bytes(text.begin(), text.end()), ErrorCode::ParseError, "not a wall frame"),
            FrameProblem::NotAFrame);
  Bytes flagged = encode(fullState());
  flagged[kFlagsAt] = 1;
  EXPECT_EQ(refusal(flagged, ErrorCode::ParseError, "flags: 1"), FrameProblem::BadValue);
}

TEST(FrameState, BadValuesAreRefusedNamingTheField) {
  const Bytes good = encode(WallFrameState{});
  {
    Bytes b = good;
    b[kPausedAt] = 2;
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "paused: a flag byte is 2"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    std::memcpy(&b[kRateAt], &nan, sizeof nan);
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "rate"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    const double inf = std::numeric_limits<double>::infinity();
    std::memcpy(&b[kCameraAt + 40], &inf, sizeof inf);  // rangeM, the sixth double
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "camera"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[kLanguageAt + 2] = 'f';
    b[kLanguageAt + 3] = 'r';
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "language: 'fr'"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[kLanguageAt + 2] = 0xC3;  // a lead byte without its continuation
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "language: not UTF-8"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[kLayerCountAt] = 0x58;  // 600 layers
    b[kLayerCountAt + 1] = 0x02;
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "layer count: 600, at most 512"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[kLayerCountAt] = 200;  // within the bound, but 200 layers cannot fit in the 19 bytes left
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "truncated in the layers"), FrameProblem::Truncated);
  }
}

TEST(FrameState, BadLayerOpacityAndSeverityAreRefused) {
  WallFrameState s;
  s.layers = {{"a", true, 0.5F}};
  s.alerts = {{"x", AlertSeverity::Info, "e", "z", false}};
  const Bytes good = encode(s);
  // Layer "a": count at kLayerCountAt, then u16 1, 'a', visible, f32 opacity.
  const std::size_t opacityAt = kLayerCountAt + 2 + 2 + 1 + 1;
  {
    Bytes b = good;
    const float over = 1.5F;
    std::memcpy(&b[opacityAt], &over, sizeof over);
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "layer 'a': opacity outside 0..1"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    // After the opacity: look (4), tour flag (1), alert count (2), id "x" (2 + 1), then the severity byte.
    b[opacityAt + 4 + 4 + 1 + 2 + 3] = 3;
    EXPECT_EQ(refusal(b, ErrorCode::ParseError, "alert severity: 3"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[opacityAt + 4] = 0xFF;  // any look revision is a value: 0xFFFFFFFF reads back as such
    b[opacityAt + 5] = 0xFF;
    b[opacityAt + 6] = 0xFF;
    b[opacityAt + 7] = 0xFF;
    auto decoded = decodeFrameState(b);
    ASSERT_TRUE(decoded) << decoded.status().message();
    EXPECT_EQ(decoded->layers[0].look, 0xFFFFFFFFu);
  }
}

TEST(FrameState, EncodeRefusesWhatDecodeWouldRefuse) {
  auto refused = [](WallFrameState s, const std::string& text) {
    auto bytes = encodeFrameState(s);
    ASSERT_FALSE(bytes) << text;
    EXPECT_EQ(bytes.status().code(), ErrorCode::InvalidArgument);
    EXPECT_NE(bytes.status().message().find(text), std::string::npos) << bytes.status().message();
  };
  WallFrameState s;
  s.language = "fr";
  refused(s, "language: 'fr'");
  s = {};
  s.alerts.resize(kMaxFrameAlerts + 1);
  refused(s, "alerts: 65, at most 64");
  s = {};
  s.layers = {{"x", true, 2.0F}};
  refused(s, "opacity outside 0..1");
  s = {};
  s.camera.headingDeg = std::nan("");
  refused(s, "camera");
  s = {};
  s.selectedEntity = std::string(kMaxFrameIdBytes + 1, 'a');
  refused(s, "257 bytes, at most 256");
  s = {};
  s.selectedEntity = std::string("\xFF\xFE", 2);
  refused(s, "not UTF-8");
  s = {};
  s.selectedEntity = "";
  refused(s, "empty id");
  s = {};
  s.alerts = {{"a", AlertSeverity::Info, std::string(kMaxFrameTextBytes + 1, 'x'), "", false}};
  refused(s, "text_en");
}

TEST(FrameState, LargestValidFrameFitsTheCap) {
  WallFrameState s;
  s.selectedEntity = std::string(kMaxFrameIdBytes, 'e');
  for (std::size_t i = 0; i < kMaxFrameLayers; ++i) s.layers.push_back({std::string(kMaxFrameIdBytes, 'l'), true, 1});
  for (std::size_t i = 0; i < kMaxFrameAlerts; ++i) {
    s.alerts.push_back({std::string(kMaxFrameIdBytes, 'a'), AlertSeverity::Warning,
                        std::string(kMaxFrameTextBytes, 'x'), std::string(kMaxFrameTextBytes, 'y'), false});
  }
  s.tour = TourState{std::string(kMaxFrameIdBytes, 't'), 7, false};
  const Bytes bytes = encode(s);
  EXPECT_LE(bytes.size(), kMaxFrameStateBytes);
  auto decoded = decodeFrameState(bytes);
  ASSERT_TRUE(decoded) << decoded.status().message();
  EXPECT_EQ(*decoded, s);
}

// A fuzz loop in the test: random byte flips, insertions and cuts of a valid frame never crash; and whatever the
// decoder accepts is canonical (it re-encodes to the same bytes), so accepting means "a frame the lead could send".
TEST(FrameState, MutatedInputsNeverCrashAndAcceptedOnesAreCanonical) {
  const Bytes seed = encode(fullState());
  std::mt19937 rng(14);
  int accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    Bytes b = seed;
    const int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !b.empty(); ++e) {
      const std::size_t at = rng() % b.size();
      switch (rng() % 4) {
        case 0:
          b[at] = static_cast<std::uint8_t>(rng());
          break;
        case 1:
          b[at] ^= static_cast<std::uint8_t>(1u << (rng() % 8));
          break;
        case 2:
          b.insert(b.begin() + static_cast<std::ptrdiff_t>(at), static_cast<std::uint8_t>(rng()));
          break;
        default:
          b.resize(at);
          break;
      }
    }
    auto decoded = decodeFrameState(b);
    if (!decoded) {
      EXPECT_FALSE(decoded.status().message().empty());
      continue;
    }
    ++accepted;
    auto again = encodeFrameState(*decoded);
    ASSERT_TRUE(again) << again.status().message();
    ASSERT_EQ(*again, b) << "iteration " << i;
  }
  // Flips inside numbers (frame, times, coordinates) keep a frame valid: some inputs must have been accepted.
  EXPECT_GT(accepted, 100);
}

}  // namespace
}  // namespace gt::wall
