#include "greentwin/core/log.hpp"

#include "greentwin/core/audit_rate_sink.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include <algorithm>
#include <array>
#include <exception>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace gt {

namespace {

constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 6> kLevels{{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
    {"off", spdlog::level::off},
}};

constexpr const char* kConsolePattern = "%Y-%m-%d %H:%M:%S.%e %^%-5l%$ [%t] %v";
constexpr const char* kFilePattern = "%Y-%m-%dT%H:%M:%S.%e%z %-5l [%t] %v";

std::mutex& installMutex() {
  static std::mutex m;
  return m;
}

std::shared_ptr<spdlog::sinks::sink> consoleSink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  sink->set_pattern(kConsolePattern);
  return sink;
}

// Replaces the registered "greentwin" logger and makes it spdlog's default. Caller holds installMutex().
void install(const std::shared_ptr<spdlog::logger>& l) {
  spdlog::drop(kLoggerName);
  spdlog::set_default_logger(l);  // also registers it under its name
}

// An "audit" logger on the sinks of `main`: never quieter than info (security decisions are always recorded, unless
// logging is off), flushed line by line, at most `linesPerSecond` lines a second over all (AuditRateSink).
std::shared_ptr<spdlog::logger> makeAuditLogger(const spdlog::logger& main, double linesPerSecond) {
  auto rate = std::make_shared<AuditRateSink>(main.sinks(), linesPerSecond);
  auto audit = std::make_shared<spdlog::logger>(kAuditLoggerName, std::move(rate));
  audit->set_level(main.level() == spdlog::level::off ? spdlog::level::off
                                                      : std::min(main.level(), spdlog::level::info));
  audit->flush_on(spdlog::level::info);
  return audit;
}

void installAudit(const std::shared_ptr<spdlog::logger>& audit) {
  spdlog::drop(kAuditLoggerName);
  spdlog::register_logger(audit);
}

}  // namespace

Result<spdlog::level::level_enum> parseLogLevel(std::string_view name) {
  for (const auto& [text, level] : kLevels) {
    if (text == name) return level;
  }
  return Status(ErrorCode::InvalidArgument,
                "unknown log level '" + std::string(name) + "' (expected trace, debug, info, warn, error or off)");
}

Status configureLogging(const LoggingConfig& config) {
  auto level = parseLogLevel(config.level);
  if (!level) return level.status();
  std::vector<spdlog::sink_ptr> sinks;
  try {
    sinks.push_back(consoleSink());
    if (!config.file.empty()) {
      auto file = std::make_shared<spdlog::sinks::rotating_file_sink_mt>(config.file, kLogFileMaxBytes,
                                                                         kLogFileCount);
      file->set_pattern(kFilePattern);
      sinks.push_back(std::move(file));
    }
  } catch (const std::exception& e) {
    return Status(ErrorCode::IoError, "cannot open log file '" + config.file + "': " + e.what());
  }
  auto l = std::make_shared<spdlog::logger>(kLoggerName, sinks.begin(), sinks.end());
  l->set_level(*level);
  l->flush_on(spdlog::level::warn);
  std::lock_guard lock(installMutex());
  install(l);
  installAudit(makeAuditLogger(*l, config.auditLinesPerSecond));
  return Status::ok();
}

std::shared_ptr<spdlog::logger> logger() {
  if (auto l = spdlog::get(kLoggerName)) return l;
  std::lock_guard lock(installMutex());
  if (auto l = spdlog::get(kLoggerName)) return l;
  auto l = std::make_shared<spdlog::logger>(kLoggerName, consoleSink());
  l->set_level(spdlog::level::info);
  l->flush_on(spdlog::level::warn);
  install(l);
  return l;
}

std::shared_ptr<spdlog::logger> auditLogger() {
  if (auto a = spdlog::get(kAuditLoggerName)) return a;
  auto main = logger();
  std::lock_guard lock(installMutex());
  if (auto a = spdlog::get(kAuditLoggerName)) return a;
  auto a = makeAuditLogger(*main, LoggingConfig{}.auditLinesPerSecond);
  installAudit(a);
  return a;
}

}  // namespace gt
