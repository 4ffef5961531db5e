// [display] and [camera] (home view and bookmarks): how the twin is shown. Keys and defaults: docs/config.md.

#include <algorithm>
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

#include "config_sections.hpp"

namespace gt::config_sections {

namespace {

constexpr std::string_view kDisplayKeys[]{"width", "height", "fullscreen", "language", "ui_scale", "vsync",
                                          "title", "title_en", "title_zh", "indicator_wall",
                                          "indicator_wall_at_start", "kiosk", "kiosk_unlock"};
// The programme's indicators are numbered 1..18 (docs/indicators.md).
constexpr int kIndicatorCount = 18;
constexpr std::string_view kLanguages[]{"zh", "en"};
constexpr std::string_view kCameraKeys[]{"home", "bookmarks"};
constexpr std::string_view kPoseKeys[]{"center_lon", "center_lat", "center_height",
                                       "heading_deg", "pitch_deg",  "range_m"};
constexpr std::string_view kBookmarkKeys[]{"id",          "name_en",   "name_zh", "center_lon", "center_lat",
                                           "center_height", "heading_deg", "pitch_deg", "range_m"};

void parsePose(const ConfigTable& t, CameraPose& pose) {
  t.readDouble("center_lon", pose.centerLon, -180.0, 180.0);
  t.readDouble("center_lat", pose.centerLat, -90.0, 90.0);
  t.readDouble("center_height", pose.centerHeight, -1000.0, 100000.0);
  t.readDouble("heading_deg", pose.headingDeg, -360.0, 360.0);
  t.readDouble("pitch_deg", pose.pitchDeg, -90.0, 0.0);
  t.readDouble("range_m", pose.rangeM, 0.0, 1.0e7, ConfigTable::Bound::Exclusive);
}

// `indicator_wall = [5, 6, 14]`: indicator numbers, each once; an empty list would show nothing, so it is refused
// (leave the key out for all 18).
void parseIndicatorWall(const ConfigTable& t, DisplayConfig& d) {
  std::vector<int> numbers;
  if (!t.readIntArray("indicator_wall", numbers, 1, kIndicatorCount)) return;
  if (numbers.empty()) {
    t.errorAt("indicator_wall", ErrorCode::InvalidArgument,
              "'" + t.keyPath("indicator_wall") + "' is empty; list indicator numbers 1.." +
                  std::to_string(kIndicatorCount) + ", or leave the key out for all of them");
    return;
  }
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (std::find(numbers.begin(), numbers.begin() + static_cast<std::ptrdiff_t>(i), numbers[i]) !=
        numbers.begin() + static_cast<std::ptrdiff_t>(i)) {
      t.errorAt("indicator_wall", ErrorCode::InvalidArgument,
                "'" + t.keyPath("indicator_wall") + "' lists indicator " + std::to_string(numbers[i]) + " twice");
      return;
    }
  }
  d.indicatorWall = std::move(numbers);
}

}  // namespace

void parseDisplay(const ConfigTable& t, DisplayConfig& d) {
  t.checkKeys(kDisplayKeys);
  t.readInt("width", d.width, 64, 16384);
  t.readInt("height", d.height, 64, 16384);
  t.readBool("fullscreen", d.fullscreen);
  t.readString("language", d.language, kLanguages);
  t.readDouble("ui_scale", d.uiScale, 0.5, 4.0);
  t.readBool("vsync", d.vsync);
  t.readString("title", d.title);
  t.readString("title_en", d.titleEn);
  t.readString("title_zh", d.titleZh);
  parseIndicatorWall(t, d);
  t.readBool("indicator_wall_at_start", d.indicatorWallAtStart);
  t.readBool("kiosk", d.kiosk);
  std::string chord;
  if (t.readString("kiosk_unlock", chord)) {
    auto parsed = parseKeyChord(chord);
    if (parsed) {
      d.kioskUnlock = *parsed;
    } else {
      t.errorAt("kiosk_unlock", parsed.status().code(), "'" + t.keyPath("kiosk_unlock") + "': " + parsed.status().message());
    }
  }
}

void parseCamera(const ConfigTable& camera, Config& config) {
  camera.checkKeys(kCameraKeys);
  if (const auto home = camera.table("home")) {
    home->checkKeys(kPoseKeys);
    parsePose(*home, config.home);
  }
  UniqueIds ids("bookmark");
  for (const ConfigTable& t : camera.tables("bookmarks")) {
    t.checkKeys(kBookmarkKeys);
    BookmarkConfig b;
    if (t.requireString("id", b.id)) ids.check(t, b.id);
    t.readString("name_en", b.nameEn);
    t.readString("name_zh", b.nameZh);
    t.require("center_lon");
    t.require("center_lat");
    parsePose(t, b.pose);
    config.bookmarks.push_back(std::move(b));
  }
}

}  // namespace gt::config_sections

namespace gt {

Result<KeyChord> parseKeyChord(std::string_view text) {
  const auto bad = [&text](const std::string& why) {
    return Status(ErrorCode::InvalidArgument, "key chord '" + std::string(text) + "' " + why +
                                                  " (write e.g. \"ctrl+alt+u\")");
  };
  KeyChord chord;
  std::string_view rest = text;
  bool anyModifier = false;
  while (true) {
    const std::size_t plus = rest.find('+');
    std::string token(rest.substr(0, plus));
    for (char& c : token) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (plus == std::string_view::npos) {  // the key
      if (token.size() != 1 || !std::isalnum(static_cast<unsigned char>(token[0]))) {
        return bad("must end in one letter or digit");
      }
      chord.key = token[0];
      break;
    }
    bool* flag = token == "ctrl" ? &chord.ctrl : token == "alt" ? &chord.alt : token == "shift" ? &chord.shift : nullptr;
    if (flag == nullptr) return bad("has '" + token + "' where a modifier (ctrl, alt, shift) belongs");
    if (*flag) return bad("names '" + token + "' twice");
    *flag = true;
    anyModifier = true;
    rest = rest.substr(plus + 1);
  }
  if (!anyModifier) return bad("needs a modifier (ctrl, alt or shift)");
  return chord;
}

}  // namespace gt
