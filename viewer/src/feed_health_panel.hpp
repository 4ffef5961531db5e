#pragma once
// The feed-health panel (issue 4, "Ingest path"): per publisher of every source its state LIVE / STALE /
// NEVER_SEEN (colour and text), message and update rates, sequence gaps, duplicates / old, restarts, last seen
// as an age and the declared interval, STALE first; a summary line; per source its status and, for zmq sources,
// the ingest's refusals (CURVE refused handshakes, handshake failures, revoked keys, rate limit, rejects by
// reason, unknown entities). Opened from the status bar's feed item or the Panels menu; closed by default.
//
// The rows are built by a pure function from Twin::FeedSource lists (FeedHealth snapshots taken at a given time),
// so they are testable without a clock or a GL context. Drawing: render thread, inside the ImGui frame; it only
// reads the twin (FeedHealth and the ingest counters are thread-safe).

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "greentwin/core/feed_health.hpp"
#include "greentwin/viewer/i18n.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::viewer {

struct FeedHealthRow {
  std::string source;  // [[sources]] id; "" when no single source claims the publisher
  std::string publisher;
  FeedState state = FeedState::NeverSeen;
  double messageRate = 0;  // accepted messages per second over FeedHealth's window
  double updateRate = 0;   // updates per second
  std::uint64_t messages = 0;
  std::uint64_t gaps = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t old = 0;
  std::uint64_t restarts = 0;
  bool seen = false;      // false: never (age is meaningless)
  Duration age = 0;       // now - last seen
  Duration interval = 0;  // the interval STALE is judged by (declared, else FeedHealth's default)
};

struct FeedSourceRow {
  std::string id;
  std::string type;      // a registered source type ("zmq") or a plugin source type
  bool plugin = true;    // a plugin's source: no endpoint or security column of its own
  std::string endpoint;
  Status status;
  bool curve = false;
  bool hasIngest = false;  // a zmq source that started: the counters below are its own
  std::uint64_t authRefused = 0;
  std::uint64_t handshakeFailures = 0;
  std::uint64_t revokedMessages = 0;
  std::uint64_t rateLimitedMessages = 0;
  std::uint64_t rejected = 0;  // ZmqIngestStats::rejectTotal(): decode rejects and wrong frame counts
  std::array<std::uint64_t, connectors::kRejectReasonCount> rejects{};
  std::uint64_t wrongFrameCount = 0;
  std::uint64_t unknownEntities = 0;
  std::size_t publishers = 0;
};

struct FeedHealthView {
  // STALE first, then NEVER_SEEN, then LIVE; within a state by source id, then publisher id.
  std::vector<FeedHealthRow> rows;
  std::vector<FeedSourceRow> sources;  // in the order given (config order)
  std::size_t live = 0;
  std::size_t stale = 0;
  std::size_t neverSeen = 0;
};

FeedHealthView buildFeedHealthView(const std::vector<runtime::Twin::FeedSource>& sources);

// "0.3 s ago" (under 10 s, tenths truncated), "42 s ago" (under two minutes), "5 min ago", "2 h ago"; "never"
// when not seen.
std::string formatFeedAge(const FeedHealthRow& row, Language language);
// "250 ms", "1 s", "1.5 s", "5 min".
std::string formatFeedInterval(Duration interval);
const char* feedStateText(FeedState state, Language language);  // LIVE / STALE / NEVER SEEN (or 在线 ...)

// Draws nothing while state.showFeedHealth is false; the window's close button clears it.
void drawFeedHealthPanel(const runtime::Twin& twin, UiState& state);

// Strings from the feeds (source and publisher ids, status messages) for the UI glyph set; cheap per frame.
std::vector<std::string> feedHealthPanelStrings(const runtime::Twin& twin);

}  // namespace gt::viewer
