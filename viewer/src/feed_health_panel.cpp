#include "feed_health_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <tuple>

namespace gt::viewer {
namespace {

const ImVec4 kLiveColor(0.4f, 0.9f, 0.5f, 1.0f);
const ImVec4 kStaleColor(1.0f, 0.45f, 0.4f, 1.0f);

// STALE first (the rows that need attention), then NEVER_SEEN, then LIVE.
int stateRank(FeedState s) {
  switch (s) {
    case FeedState::Stale: return 0;
    case FeedState::NeverSeen: return 1;
    case FeedState::Live: return 2;
  }
  return 3;
}

ImVec4 stateColor(FeedState s) {
  switch (s) {
    case FeedState::Live: return kLiveColor;
    case FeedState::Stale: return kStaleColor;
    case FeedState::NeverSeen: break;
  }
  return ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled);
}

std::string formatRate(double rate) {
  char text[32];
  std::snprintf(text, sizeof text, rate < 10.0 ? "%.1f" : "%.0f", rate);
  return text;
}

std::string count(std::uint64_t n) { return std::to_string(n); }

// A counter cell: a dash where the counter does not apply, the number (red when not zero) where it does.
void counterCell(bool applies, std::uint64_t n) {
  if (!applies) {
    ImGui::TextDisabled("-");
  } else if (n == 0) {
    ImGui::TextUnformatted("0");
  } else {
    ImGui::TextColored(kStaleColor, "%" PRIu64, n);
  }
}

}  // namespace

const char* feedStateText(FeedState state, Language language) {
  switch (state) {
    case FeedState::Live: return tr(Text::FeedStateLive, language);
    case FeedState::Stale: return tr(Text::FeedStateStale, language);
    case FeedState::NeverSeen: break;
  }
  return tr(Text::FeedStateNeverSeen, language);
}

FeedHealthView buildFeedHealthView(const std::vector<runtime::Twin::FeedSource>& sources) {
  FeedHealthView view;
  for (const runtime::Twin::FeedSource& s : sources) {
    FeedSourceRow src;
    src.id = s.id;
    src.type = s.type;
    src.plugin = s.plugin;
    src.endpoint = s.endpoint;
    src.status = s.status;
    src.curve = s.curve;
    src.publishers = s.publishers.size();
    if (s.ingest) {
      const connectors::ZmqIngestStats& st = *s.ingest;
      src.hasIngest = true;
      src.authRefused = st.authRefused;
      src.handshakeFailures = st.handshakeFailures;
      src.revokedMessages = st.revokedMessages;
      src.rateLimitedMessages = st.rateLimitedMessages;
      src.rejects = st.rejects;
      src.wrongFrameCount = st.wrongFrameCount;
      src.rejected = st.rejectTotal();  // decode rejects and wrong frame counts
      src.unknownEntities = st.unknownEntities;
    }
    view.sources.push_back(std::move(src));
    for (const PublisherHealth& p : s.publishers) {
      FeedHealthRow row;
      row.source = s.id;
      row.publisher = p.publisher;
      row.state = p.state;
      row.messageRate = p.messageRate;
      row.updateRate = p.updateRate;
      row.messages = p.messages;
      row.gaps = p.gaps;
      row.duplicates = p.duplicates;
      row.old = p.old;
      row.restarts = p.restarts;
      row.seen = p.lastSeen != kNoTime;
      row.age = row.seen ? p.sinceLastSeen : 0;
      row.interval = p.declaredInterval;
      view.live += p.state == FeedState::Live ? 1 : 0;
      view.stale += p.state == FeedState::Stale ? 1 : 0;
      view.neverSeen += p.state == FeedState::NeverSeen ? 1 : 0;
      view.rows.push_back(std::move(row));
    }
  }
  std::stable_sort(view.rows.begin(), view.rows.end(), [](const FeedHealthRow& a, const FeedHealthRow& b) {
    return std::forward_as_tuple(stateRank(a.state), a.source, a.publisher) <
           std::forward_as_tuple(stateRank(b.state), b.source, b.publisher);
  });
  return view;
}

std::string formatFeedAge(const FeedHealthRow& row, Language language) {
  if (!row.seen) return tr(Text::FeedNever, language);
  const Duration age = std::max<Duration>(row.age, 0);
  const std::int64_t seconds = age / kMicrosPerSecond;
  if (seconds < 10) {  // tenths: a publisher can be STALE well within a second
    char text[16];
    std::snprintf(text, sizeof text, "%lld.%lld ", static_cast<long long>(seconds),
                  static_cast<long long>(age % kMicrosPerSecond / 100'000));
    return text + std::string(tr(Text::SecondsAgo, language));
  }
  if (seconds < 120) return std::to_string(seconds) + " " + tr(Text::SecondsAgo, language);
  if (seconds < 120 * 60) return std::to_string(seconds / 60) + " " + tr(Text::MinutesAgo, language);
  return std::to_string(seconds / 3600) + " " + tr(Text::HoursAgo, language);
}

std::string formatFeedInterval(Duration interval) {
  char text[32];
  if (interval < kMicrosPerSecond) {
    std::snprintf(text, sizeof text, "%lld ms", static_cast<long long>(interval / 1000));
  } else if (interval < 120 * kMicrosPerSecond) {
    std::snprintf(text, sizeof text, "%g s", static_cast<double>(interval / 1000) / 1000.0);
  } else {
    std::snprintf(text, sizeof text, "%g min", static_cast<double>(interval / kMicrosPerSecond) / 60.0);
  }
  return text;
}

void drawFeedHealthPanel(const runtime::Twin& twin, UiState& state) {
  if (!state.showFeedHealth) return;
  const Language language = state.language;
  const auto t = [language](Text id) { return tr(id, language); };
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  // First use: centred, above the time bar. Fixed width (the tables scroll), height follows the content.
  const float width = std::max(200.0f, std::min(820.0f, vp->WorkSize.x - 20));
  ImGui::SetNextWindowSizeConstraints(ImVec2(width, 0), ImVec2(width, std::max(120.0f, vp->WorkSize.y - 140)));
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + vp->WorkSize.y - 100),
                          ImGuiCond_FirstUseEver, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowBgAlpha(0.98f);  // a table of small numbers: keep what is behind from showing through
  const std::string title = std::string(t(Text::FeedHealthPanel)) + "###feed-health";  // stable id over languages
  if (!ImGui::Begin(title.c_str(), &state.showFeedHealth, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  const FeedHealthView view = buildFeedHealthView(twin.feedSources());

  // Summary: n live / n stale / n never seen, each in its colour and with its word.
  ImGui::TextColored(kLiveColor, "%zu %s", view.live, t(Text::FeedLive));
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted("/");
  ImGui::SameLine(0, 4);
  if (view.stale > 0) {
    ImGui::TextColored(kStaleColor, "%zu %s", view.stale, t(Text::FeedStale));
  } else {
    ImGui::Text("%zu %s", view.stale, t(Text::FeedStale));
  }
  ImGui::SameLine(0, 4);
  ImGui::TextUnformatted("/");
  ImGui::SameLine(0, 4);
  ImGui::TextDisabled("%zu %s", view.neverSeen, t(Text::FeedNeverSeen));

  // Publishers.
  if (view.rows.empty()) {
    ImGui::TextDisabled("%s", twin.config().sources.empty() ? t(Text::NoFeeds) : t(Text::FeedNoPublishers));
  } else {
    const float rowHeight = ImGui::GetTextLineHeightWithSpacing();
    const float height = std::min(rowHeight * (static_cast<float>(view.rows.size()) + 1.5f), rowHeight * 9.5f);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuterH |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_Resizable;
    if (ImGui::BeginTable("publishers", 10, flags, ImVec2(0, height))) {
      ImGui::TableSetupScrollFreeze(0, 1);
      ImGui::TableSetupColumn(t(Text::FeedState));
      ImGui::TableSetupColumn(t(Text::Source));
      ImGui::TableSetupColumn(t(Text::Publisher));
      ImGui::TableSetupColumn(t(Text::MessagesPerSecond));
      ImGui::TableSetupColumn(t(Text::UpdatesPerSecond));
      ImGui::TableSetupColumn(t(Text::Gaps));
      ImGui::TableSetupColumn(t(Text::FeedDuplicatesOld));
      ImGui::TableSetupColumn(t(Text::FeedRestarts));
      ImGui::TableSetupColumn(t(Text::LastSeen));
      ImGui::TableSetupColumn(t(Text::FeedInterval));
      ImGui::TableHeadersRow();
      for (const FeedHealthRow& row : view.rows) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextColored(stateColor(row.state), "%s", feedStateText(row.state, language));
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(row.source.empty() ? t(Text::FeedUnclaimed) : row.source.c_str());
        ImGui::TableSetColumnIndex(2);
        ImGui::TextUnformatted(row.publisher.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%" PRIu64 " messages", row.messages);
        ImGui::TableSetColumnIndex(3);
        ImGui::TextUnformatted(formatRate(row.messageRate).c_str());
        ImGui::TableSetColumnIndex(4);
        ImGui::TextUnformatted(formatRate(row.updateRate).c_str());
        ImGui::TableSetColumnIndex(5);
        counterCell(true, row.gaps);
        ImGui::TableSetColumnIndex(6);
        ImGui::Text("%s / %s", count(row.duplicates).c_str(), count(row.old).c_str());
        ImGui::TableSetColumnIndex(7);
        ImGui::Text("%" PRIu64, row.restarts);
        ImGui::TableSetColumnIndex(8);
        const std::string age = formatFeedAge(row, language);
        if (row.state == FeedState::Stale) {
          ImGui::TextColored(kStaleColor, "%s", age.c_str());
        } else {
          ImGui::TextUnformatted(age.c_str());
        }
        ImGui::TableSetColumnIndex(9);
        ImGui::TextUnformatted(formatFeedInterval(row.interval).c_str());
      }
      ImGui::EndTable();
    }
  }

  // Sources: status and what the ingest refused (CURVE counters only for CURVE sources).
  if (!view.sources.empty()) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", t(Text::FeedSources));
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_BordersOuterH | ImGuiTableFlags_SizingFixedFit;
    if (ImGui::BeginTable("sources", 9, flags)) {
      ImGui::TableSetupColumn(t(Text::Source));
      ImGui::TableSetupColumn(t(Text::FeedSecurity));
      ImGui::TableSetupColumn(t(Text::FeedRefused));
      ImGui::TableSetupColumn(t(Text::FeedHandshakeFailures));
      ImGui::TableSetupColumn(t(Text::FeedRevoked));
      ImGui::TableSetupColumn(t(Text::FeedRateLimited));
      ImGui::TableSetupColumn(t(Text::FeedRejected));
      ImGui::TableSetupColumn(t(Text::FeedUnknownEntities));
      ImGui::TableSetupColumn("");
      ImGui::TableHeadersRow();
      for (const FeedSourceRow& s : view.sources) {
        ImGui::PushID(&s);
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(s.id.empty() ? t(Text::FeedUnclaimed) : s.id.c_str());
        if (ImGui::IsItemHovered() && !s.endpoint.empty()) ImGui::SetTooltip("%s", s.endpoint.c_str());
        ImGui::TableSetColumnIndex(1);
        if (s.plugin) {
          ImGui::TextDisabled("%s", s.type.c_str());
        } else if (s.curve) {
          ImGui::TextUnformatted("CURVE");
        } else {
          ImGui::TextColored(ImVec4(1.0f, 0.8f, 0.35f, 1.0f), "%s", t(Text::FeedUnauthenticated));
        }
        ImGui::TableSetColumnIndex(2);
        counterCell(s.hasIngest && s.curve, s.authRefused);
        ImGui::TableSetColumnIndex(3);
        counterCell(s.hasIngest && s.curve, s.handshakeFailures);
        ImGui::TableSetColumnIndex(4);
        counterCell(s.hasIngest && s.curve, s.revokedMessages);
        ImGui::TableSetColumnIndex(5);
        counterCell(s.hasIngest, s.rateLimitedMessages);
        ImGui::TableSetColumnIndex(6);
        counterCell(s.hasIngest, s.rejected);
        if (s.rejected > 0 && ImGui::IsItemHovered()) {  // by reason
          ImGui::BeginTooltip();
          for (std::size_t r = 0; r < s.rejects.size(); ++r) {
            if (s.rejects[r] == 0) continue;
            ImGui::Text("%s: %" PRIu64, connectors::toString(static_cast<connectors::RejectReason>(r)), s.rejects[r]);
          }
          if (s.wrongFrameCount > 0) ImGui::Text("wrong frame count: %" PRIu64, s.wrongFrameCount);
          ImGui::EndTooltip();
        }
        ImGui::TableSetColumnIndex(7);
        counterCell(s.hasIngest, s.unknownEntities);
        ImGui::TableSetColumnIndex(8);
        if (!s.status.isOk()) ImGui::TextColored(kStaleColor, "%s", s.status.message().c_str());
        ImGui::PopID();
      }
      ImGui::EndTable();
    }
  }
  ImGui::End();
}

std::vector<std::string> feedHealthPanelStrings(const runtime::Twin& twin) {
  std::vector<std::string> out;
  for (const SourceConfig& s : twin.config().sources) {
    out.push_back(s.id);
    out.push_back(s.type);
  }
  for (const runtime::Twin::SourceState& s : twin.sources()) out.push_back(s.status.message());
  for (const PublisherHealth& p : twin.feedHealth()) out.push_back(p.publisher);
  return out;
}

}  // namespace gt::viewer
