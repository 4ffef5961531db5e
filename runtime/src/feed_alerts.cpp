// Alerts for live feeds gone quiet (feed_alerts.hpp; docs/alerts.md "Feed alerts"). Update thread.

#include "greentwin/runtime/feed_alerts.hpp"

#include "greentwin/runtime/alert_log.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <utility>

namespace gt::runtime {
namespace {

// The id with control characters (C0, DEL, C1) and bytes that are not UTF-8 as '?', at most maxBytes bytes, cut at a
// character boundary (`cut` says whether it was). The alert log stores text as it is: in SQLite, the log and the UI.
std::string safeText(std::string_view text, std::size_t maxBytes, bool& cut) {
  std::string out;
  out.reserve(std::min(text.size(), maxBytes));
  cut = false;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    std::size_t length = byte < 0x80 ? 1 : (byte >> 5) == 0x6 ? 2 : (byte >> 4) == 0xE ? 3 : (byte >> 3) == 0x1E ? 4 : 0;
    char32_t cp = length == 1 ? byte : length == 2 ? (byte & 0x1Fu) : length == 3 ? (byte & 0x0Fu) : (byte & 0x07u);
    bool valid = length != 0 && i + length <= text.size();
    for (std::size_t k = 1; valid && k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      valid = (next & 0xC0u) == 0x80u;
      cp = (cp << 6) | (next & 0x3Fu);
    }
    // Overlong forms, surrogates and code points past U+10FFFF are not UTF-8 either.
    if (valid) {
      const char32_t least = length == 2 ? 0x80 : length == 3 ? 0x800 : length == 4 ? 0x10000 : 0;
      valid = cp >= least && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    const bool control = valid && (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F));
    const std::size_t take = valid ? length : 1;
    const std::size_t add = valid && !control ? length : 1;
    if (out.size() + add > maxBytes) {
      cut = true;
      break;
    }
    if (valid && !control) {
      out.append(text.substr(i, length));
    } else {
      out.push_back('?');
    }
    i += take;
  }
  return out;
}

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// 4.0 -> "4", 0.5 -> "0.5", 47.3 -> "47".
std::string amount(double value) {
  if (value >= 10) return fmt::format("{:.0f}", value);
  std::string text = fmt::format("{:.1f}", value);
  if (text.ends_with(".0")) text.resize(text.size() - 2);
  return text;
}

std::string duration(Duration d, const char* secondsUnit, const char* minutesUnit, const char* hoursUnit,
                     const char* space) {
  const double s = toSeconds(std::max<Duration>(d, 0));
  if (s < 120) return amount(s) + space + secondsUnit;
  if (s < 2 * 3600) return amount(s / 60) + space + minutesUnit;
  return amount(s / 3600) + space + hoursUnit;
}

// Which of two entries of one id is judged: STALE (its values are drawn stale) before LIVE (it has values) before
// NEVER_SEEN.
int rank(FeedState state) {
  switch (state) {
    case FeedState::Stale:
      return 2;
    case FeedState::Live:
      return 1;
    case FeedState::NeverSeen:
      break;
  }
  return 0;
}

constexpr std::size_t kDisplayBytes = 120;
constexpr std::size_t kHashSuffixBytes = 17;  // "~" and 16 hex digits

}  // namespace

std::string feedAlertKey(std::string_view publisher) {
  if (publisher.empty()) return "(empty)";
  bool cut = false;
  const std::string whole = safeText(publisher, AlertLog::kMaxKeyBytes, cut);
  if (!cut && whole == publisher) return whole;
  std::string key = safeText(publisher, AlertLog::kMaxKeyBytes - kHashSuffixBytes, cut);
  return key + fmt::format("~{:016x}", fnv1a64(publisher));
}

std::string feedAlertDisplayId(std::string_view publisher) {
  if (publisher.empty()) return "(empty)";
  bool cut = false;
  std::string text = safeText(publisher, kDisplayBytes, cut);
  if (cut) text += "...";
  return text;
}

std::string feedAlertDurationEn(Duration d) { return duration(d, "s", "min", "h", " "); }
std::string feedAlertDurationZh(Duration d) { return duration(d, "秒", "分钟", "小时", " "); }

namespace {

// A warning of the "feeds" source about `publisher`, raised at `at`, in both languages.
FeedAlertChange feedRaise(const std::string& publisher, std::string messageEn, std::string messageZh, TimePoint at) {
  FeedAlertChange change;
  change.kind = FeedAlertChange::Kind::Raise;
  AlertRaise& a = change.alert;
  a.source = kFeedAlertSource;
  a.key = feedAlertKey(publisher);
  a.severity = AlertSeverity::Warning;
  a.messageEn = std::move(messageEn);
  a.messageZh = std::move(messageZh);
  a.timeUs = at;
  return change;
}

}  // namespace

FeedAlertChange FeedAlerts::raiseStale(const PublisherHealth& p, TimePoint now) const {
  const Duration interval = p.declaredInterval;
  const std::string id = feedAlertDisplayId(p.publisher);
  // When it turned stale: staleFactor x its interval after its last message (never after now).
  TimePoint at = now;
  if (p.lastSeen != kNoTime) {
    const auto staleAt = p.lastSeen + static_cast<Duration>(options_.staleFactor * static_cast<double>(interval));
    at = std::clamp(staleAt, p.lastSeen, std::max(p.lastSeen, now));
  }
  return feedRaise(p.publisher,
                   fmt::format("Feed {} is stale: nothing for {} (expected every {}); its values are drawn as stale",
                               id, feedAlertDurationEn(p.sinceLastSeen), feedAlertDurationEn(interval)),
                   fmt::format("数据源 {} 已停滞：{}未收到数据（应每 {}一次）；其数值按过期显示", id,
                               feedAlertDurationZh(p.sinceLastSeen), feedAlertDurationZh(interval)),
                   at);
}

FeedAlertChange FeedAlerts::raiseNeverSeen(const PublisherHealth& p, TimePoint since, TimePoint at) const {
  const std::string id = feedAlertDisplayId(p.publisher);
  return feedRaise(p.publisher,
                   fmt::format("Feed {} has sent nothing in the {} since it was started (expected every {}); it has "
                               "no live values",
                               id, feedAlertDurationEn(at - since), feedAlertDurationEn(p.declaredInterval)),
                   fmt::format("数据源 {} 启动 {}以来未发送任何数据（应每 {}一次）；没有实时数值", id,
                               feedAlertDurationZh(at - since), feedAlertDurationZh(p.declaredInterval)),
                   at);
}

std::vector<FeedAlertChange> FeedAlerts::evaluate(std::span<const PublisherHealth> snapshot, TimePoint now) {
  // One entry per id, the worst of its duplicates, in first-seen order.
  std::vector<const PublisherHealth*> publishers;
  std::unordered_map<std::string_view, std::size_t> indexOf;
  publishers.reserve(snapshot.size());
  for (const PublisherHealth& p : snapshot) {
    const auto [it, added] = indexOf.try_emplace(p.publisher, publishers.size());
    if (added) {
      publishers.push_back(&p);
    } else if (rank(p.state) > rank(publishers[it->second]->state)) {
      publishers[it->second] = &p;
    }
  }

  std::vector<FeedAlertChange> changes;
  for (const PublisherHealth* p : publishers) {
    Seen& seen = seen_[p->publisher];
    if (seen.firstObserved == kNoTime) seen.firstObserved = now;
    switch (p->state) {
      case FeedState::Live:
        if (seen.raised) {
          FeedAlertChange clear;
          clear.kind = FeedAlertChange::Kind::Clear;
          clear.alert.source = kFeedAlertSource;
          clear.alert.key = feedAlertKey(p->publisher);
          // Back with the message that made it LIVE.
          clear.alert.timeUs = p->lastSeen != kNoTime ? std::min(p->lastSeen, now) : now;
          changes.push_back(std::move(clear));
          seen.raised = false;
        }
        break;
      case FeedState::Stale:
        if (!seen.raised) {
          changes.push_back(raiseStale(*p, now));
          seen.raised = true;
        }
        break;
      case FeedState::NeverSeen: {
        const Duration grace = std::max(
            options_.neverSeenGrace,
            static_cast<Duration>(options_.staleFactor * static_cast<double>(p->declaredInterval)));
        if (!seen.raised && now - seen.firstObserved > grace) {
          changes.push_back(raiseNeverSeen(*p, seen.firstObserved, now));
          seen.raised = true;
        }
        break;
      }
    }
  }

  // Publishers no longer listed: their alerts clear (in key order, so the log reads the same every run).
  std::vector<std::string> gone;
  for (const auto& [id, seen] : seen_) {
    if (!indexOf.contains(id)) gone.push_back(id);
  }
  std::sort(gone.begin(), gone.end());
  for (const std::string& id : gone) {
    if (seen_[id].raised) {
      FeedAlertChange clear;
      clear.kind = FeedAlertChange::Kind::Clear;
      clear.alert.source = kFeedAlertSource;
      clear.alert.key = feedAlertKey(id);
      clear.alert.timeUs = now;
      changes.push_back(std::move(clear));
    }
    seen_.erase(id);
  }
  return changes;
}

std::size_t FeedAlerts::raisedCount() const {
  return static_cast<std::size_t>(
      std::count_if(seen_.begin(), seen_.end(), [](const auto& entry) { return entry.second.raised; }));
}

}  // namespace gt::runtime
