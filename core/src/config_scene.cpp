// [scene] (the local frame), [clock] (the one clock's mode and range) and [logging]. Keys: docs/config.md.

#include <string_view>

#include "config_sections.hpp"

namespace gt::config_sections {

namespace {

constexpr std::string_view kSceneKeys[]{"origin_lon", "origin_lat", "crs"};
constexpr std::string_view kClockKeys[]{"mode", "start", "end", "rate"};
constexpr std::string_view kClockModes[]{"live", "paused", "playback"};
constexpr std::string_view kLoggingKeys[]{"level", "file", "audit_lines_per_second"};
constexpr std::string_view kLogLevels[]{"trace", "debug", "info", "warn", "error", "off"};

}  // namespace

void parseScene(const ConfigTable& t, SceneConfig& s) {
  t.checkKeys(kSceneKeys);
  t.readDouble("origin_lon", s.originLon, -180.0, 180.0);
  t.readDouble("origin_lat", s.originLat, -85.0, 85.0);
  if (t.readString("crs", s.crs) && s.crs.empty()) {
    t.errorAt("crs", ErrorCode::InvalidArgument, "'scene.crs' must not be empty");
  }
}

void parseClock(const ConfigTable& t, ClockConfig& c) {
  t.checkKeys(kClockKeys);
  t.readString("mode", c.mode, kClockModes);
  t.readTime("start", c.start);
  t.readTime("end", c.end);
  t.readDouble("rate", c.rate, -1.0e6, 1.0e6);
  if (c.start && c.end && *c.start >= *c.end) {
    t.errorAt("end", ErrorCode::OutOfRange, "'clock.end' must be after 'clock.start'");
  }
}

void parseLogging(const ConfigTable& t, LoggingConfig& l) {
  t.checkKeys(kLoggingKeys);
  t.readString("level", l.level, kLogLevels);
  t.readString("file", l.file);
  t.readDouble("audit_lines_per_second", l.auditLinesPerSecond, 0.0, 1e6);
}

}  // namespace gt::config_sections
