#pragma once
// Alert values shared by the twin's alert log (runtime/alert_log.hpp) and its history table
// (connectors/alert_store.hpp); docs/alerts.md. Plain values, no behaviour.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "greentwin/core/time.hpp"

namespace gt {

// Ordered: a higher value is more severe. The numbers are persisted (alerts.severity) and match the SDK's
// GT_ALERT_INFO / WARNING / CRITICAL; never renumber.
enum class AlertSeverity : int { Info = 0, Warning = 1, Critical = 2 };
inline constexpr int kAlertSeverityCount = 3;

// The severity with this number, or nullopt (an unknown severity is refused, not guessed).
inline std::optional<AlertSeverity> alertSeverityFromInt(int value) {
  if (value < 0 || value >= kAlertSeverityCount) return std::nullopt;
  return static_cast<AlertSeverity>(value);
}

inline const char* toString(AlertSeverity severity) {
  switch (severity) {
    case AlertSeverity::Info:
      return "info";
    case AlertSeverity::Warning:
      return "warning";
    case AlertSeverity::Critical:
      return "critical";
  }
  return "unknown";
}

// What happened to an alert. The names are persisted (alerts.kind); never rename.
enum class AlertEventKind : int {
  Raise = 0,        // a new occurrence of (source, key) began
  Update = 1,       // an active one changed severity or messages (an escalation is an update to a higher severity)
  Clear = 2,        // the condition ended
  Acknowledge = 3,  // an operator acknowledged it
};

inline const char* toString(AlertEventKind kind) {
  switch (kind) {
    case AlertEventKind::Raise:
      return "raise";
    case AlertEventKind::Update:
      return "update";
    case AlertEventKind::Clear:
      return "clear";
    case AlertEventKind::Acknowledge:
      return "ack";
  }
  return "unknown";
}

inline std::optional<AlertEventKind> alertEventKindFromString(std::string_view text) {
  for (AlertEventKind k : {AlertEventKind::Raise, AlertEventKind::Update, AlertEventKind::Clear,
                           AlertEventKind::Acknowledge}) {
    if (text == toString(k)) return k;
  }
  return std::nullopt;
}

// A source's report of a condition (a plugin through the SDK's raise_alert): what the alert log applies.
struct AlertRaise {
  std::string source;     // plugin id
  std::string key;        // unique within the source, e.g. "overload/sub-12"
  AlertSeverity severity = AlertSeverity::Warning;
  std::string entityId;   // "" none
  std::string messageZh;
  std::string messageEn;
  TimePoint timeUs = 0;   // when the condition began (clock time)
};

// One event of the alert log, as kept in history: self-contained (the alert's state after the event), so a
// range of events can be replayed without the log. An occurrence is identified across restarts by
// (source, key, raisedUs); the log's entry ids are per process and not persisted.
struct AlertEvent {
  TimePoint timeUs = 0;  // clock time of the event: raise/update: the raise's time; clear: the clear's; ack: the ack's
  AlertEventKind kind = AlertEventKind::Raise;
  std::string source;    // plugin id
  std::string key;       // unique within the source
  AlertSeverity severity = AlertSeverity::Warning;
  std::string entityId;  // "" none
  std::string messageZh;
  std::string messageEn;
  TimePoint raisedUs = 0;     // when the occurrence began
  TimePoint loggedUs = 0;     // wall time the log applied the event
  friend bool operator==(const AlertEvent&, const AlertEvent&) = default;
};

}  // namespace gt
