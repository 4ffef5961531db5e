// The twin's running figures as JSON lines (stats_log.hpp).
#include "stats_log.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "greentwin/core/time.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

double percentile(std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const auto i = static_cast<std::size_t>(std::ceil(p * static_cast<double>(sorted.size()))) - 1;
  return sorted[std::min(i, sorted.size() - 1)];
}

}  // namespace

Result<std::unique_ptr<StatsLog>> StatsLog::open(const std::string& path, double intervalS) {
  if (!(intervalS >= 0.1 && intervalS <= 3600)) {
    return Status(ErrorCode::OutOfRange, "stats interval " + std::to_string(intervalS) + " s is outside 0.1..3600 s");
  }
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) return Status(ErrorCode::IoError, "cannot open the stats file '" + path + "' for writing");
  return std::unique_ptr<StatsLog>(new StatsLog(file, intervalS));
}

StatsLog::StatsLog(std::FILE* file, double intervalS) : file_(file), intervalS_(intervalS) {}

StatsLog::~StatsLog() { std::fclose(file_); }

void StatsLog::frame(runtime::Twin& twin, double frameSeconds) {
  frameMs_.push_back(frameSeconds * 1000.0);
  sinceLineS_ += frameSeconds;
  uptimeS_ += frameSeconds;
  if (sinceLineS_ >= intervalS_) flush(twin);
}

void StatsLog::flush(runtime::Twin& twin) {
  if (frameMs_.empty()) return;
  const std::string text = line(twin, std::move(frameMs_), uptimeS_, residentKb()) + "\n";
  std::fwrite(text.data(), 1, text.size(), file_);
  std::fflush(file_);
  frameMs_.clear();
  sinceLineS_ = 0;
}

long StatsLog::residentKb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return -1;
  return resident * (::sysconf(_SC_PAGESIZE) / 1024);
}

std::string StatsLog::line(runtime::Twin& twin, std::vector<double> frameMs, double uptimeS, long rssKb) {
  std::sort(frameMs.begin(), frameMs.end());
  nlohmann::json j;
  j["time"] = formatIsoTime(wallNow());
  j["uptime_s"] = uptimeS;
  j["frames"] = frameMs.size();
  j["frame_ms_p50"] = percentile(frameMs, 0.50);
  j["frame_ms_p99"] = percentile(frameMs, 0.99);
  j["frame_ms_max"] = frameMs.empty() ? 0.0 : frameMs.back();
  j["rss_kb"] = rssKb;
  // The feeds' publishers (zmq sources: what their messages held, and where the twin counted a drop); the plugins'
  // own pushes apart.
  std::uint64_t messages = 0, updates = 0, gaps = 0, duplicates = 0, old = 0, restarts = 0, pluginUpdates = 0;
  std::size_t publishers = 0;
  std::uint64_t received = 0, rejected = 0, rateLimited = 0, unknownEntities = 0, unknownAttributes = 0,
                ungranted = 0, receiveErrors = 0;
  for (const runtime::FeedSource& source : twin.feedSources()) {
    if (!source.ingest) {
      for (const PublisherHealth& p : source.publishers) pluginUpdates += p.updates;
      continue;
    }
    for (const PublisherHealth& p : source.publishers) {
      ++publishers;
      messages += p.messages;
      updates += p.updates;
      gaps += p.gaps;
      duplicates += p.duplicates;
      old += p.old;
      restarts += p.restarts;
    }
    const connectors::ZmqIngestStats& s = *source.ingest;
    received += s.messages;
    rejected += s.rejectTotal() + s.wrongFrameCount + s.revokedMessages + s.wrongPublisher + s.unattestedMessages;
    rateLimited += s.rateLimitedUpdates;
    unknownEntities += s.unknownEntities;
    unknownAttributes += s.unknownAttributes;
    ungranted += s.ungrantedUpdates;
    receiveErrors += s.receiveErrors;
  }
  j["publishers"] = publishers;
  j["messages"] = messages;
  j["updates"] = updates;
  j["sequence_gaps"] = gaps;
  j["duplicates"] = duplicates;
  j["old"] = old;
  j["restarts"] = restarts;
  j["plugin_updates"] = pluginUpdates;
  j["ingest"] = {{"messages_received", received},      {"messages_rejected", rejected},
                 {"updates_rate_limited", rateLimited}, {"updates_unknown_entity", unknownEntities},
                 {"updates_unknown_attribute", unknownAttributes}, {"updates_ungranted", ungranted},
                 {"receive_errors", receiveErrors}};
  const UpdateChannelStats channel = twin.liveChannel().stats();
  j["channel"] = {{"pushed", channel.pushed},       {"delivered", channel.delivered},
                  {"coalesced", channel.coalesced}, {"dropped", channel.dropped},
                  {"high_water", channel.highWater}};
  j["samples_applied"] = twin.samplesApplied();
  // Series (entity and attribute) with values in the twin's store: bench/soak's warm-up lasts until every series the
  // publishers write exists, since a new series takes memory that is not a leak.
  j["series"] = twin.timeSeries().seriesCount();
  const runtime::Twin::HistoryStatus history = twin.historyStatus();
  if (history.enabled) {
    j["history"] = {{"written", history.writer.writtenSamples}, {"dropped", history.writer.droppedSamples},
                    {"failed", history.writer.failedSamples},   {"not_replaced", history.writer.notReplaced},
                    {"status", history.status.isOk() ? std::string("ok") : history.status.message()}};
  }
  return j.dump();
}

}  // namespace gt::viewer
