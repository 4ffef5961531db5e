#pragma once
// Logging: spdlog (a PUBLIC dependency of greentwin_core, so code may call spdlog::info(...) directly).
// configureLogging installs the "greentwin" logger, which is also spdlog's default logger:
//   - a colour console sink on stderr,
//   - if LoggingConfig::file is set, a rotating file sink (10 MB x 3 files; parent folders are created),
//   - the level from LoggingConfig::level, flushing at once on warn and above;
// and the "audit" logger on the same sinks (see kAuditLoggerName).
// Until configureLogging is called, logger() gives a console-only "greentwin" logger at level info.
// Thread-safe: the sinks are the _mt variants; configureLogging may be called again to reconfigure.

#include <cstddef>
#include <memory>
#include <string_view>

#include <spdlog/spdlog.h>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

inline constexpr const char* kLoggerName = "greentwin";
// Security decisions (docs/security.md "Audit log"): same sinks as "greentwin", always at least at info, flushed at
// once. Installed by configureLogging; a test may register its own "audit" logger to capture the lines.
inline constexpr const char* kAuditLoggerName = "audit";
inline constexpr std::size_t kLogFileMaxBytes = 10 * 1024 * 1024;
inline constexpr std::size_t kLogFileCount = 3;  // rotated files kept besides the current one

// "trace", "debug", "info", "warn", "error", "off" (the config's names) -> spdlog level; anything else is an error.
Result<spdlog::level::level_enum> parseLogLevel(std::string_view name);

// Installs the "greentwin" logger as described above. LoggingConfig::file is used as given: resolve a path from
// the config file first (Config::resolvePath). Errors (the current logger is then left unchanged):
// InvalidArgument for an unknown level, IoError naming the file if it cannot be opened.
Status configureLogging(const LoggingConfig& config);

// The "greentwin" logger (never null).
std::shared_ptr<spdlog::logger> logger();

// The "audit" logger (never null): the registered one, else one sharing the "greentwin" logger's sinks.
std::shared_ptr<spdlog::logger> auditLogger();

}  // namespace gt
