#include "wall_overlay.hpp"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cstdio>
#include <string>

#include "greentwin/runtime/twin.hpp"
#include "indicator_style.hpp"

namespace gt::viewer {
namespace {

using Words = IndicatorWords;  // indicator_style.hpp: an English and a Chinese text
constexpr Words kLive{"LIVE", "实时"};
constexpr Words kSomeStale{"STALE FEEDS", "数据流中断"};
constexpr Words kPlayback{"PLAYBACK", "回放"};
constexpr Words kTour{"Tour", "巡游"};
constexpr Words kPaused{"paused", "已暂停"};
constexpr Words kMore{"more alerts", "条其他告警"};
constexpr Words kAcknowledged{"acknowledged", "已确认"};
constexpr Words kLeadLost{"NOT LIVE: the wall's lead is not answering; showing its last frame",
                          "非实时：主控节点无响应，显示其最后一帧"};
constexpr Words kLeadRefused{"NOT LIVE: the wall's lead refused this node's key; showing its last frame",
                             "非实时：主控节点拒绝了本节点的密钥，显示其最后一帧"};
constexpr Words kLoading{"LOADING: the map is incomplete, layers to go", "加载中：地图尚不完整，待加载图层"};
constexpr int kBeijingOffsetMinutes = 8 * 60;
constexpr const Words* kAllWords[]{&kLive,         &kSomeStale, &kPlayback,    &kTour,   &kPaused,
                                   &kMore,         &kAcknowledged, &kLeadLost, &kLeadRefused, &kLoading};

ImU32 severityColour(AlertSeverity severity, float alpha = 1.0f) {
  switch (severity) {
    case AlertSeverity::Critical:
      return ImGui::GetColorU32(ImVec4(0.85f, 0.18f, 0.15f, alpha));
    case AlertSeverity::Warning:
      return ImGui::GetColorU32(ImVec4(0.90f, 0.60f, 0.10f, alpha));
    case AlertSeverity::Info:
      break;
  }
  return ImGui::GetColorU32(ImVec4(0.20f, 0.50f, 0.85f, alpha));
}

// Text at `scale` times the interface font, at `pos` (top-left), clipped to `maxWidth`.
void text(ImDrawList* draw, ImVec2 pos, float scale, ImU32 colour, const std::string& s, float maxWidth) {
  ImFont* font = ImGui::GetFont();
  const float size = ImGui::GetFontSize() * scale;
  const ImVec4 clip(pos.x, pos.y, pos.x + maxWidth, pos.y + size * 1.5f);
  draw->AddText(font, size, pos, colour, s.c_str(), nullptr, 0.0f, &clip);
}

// A notice's line, made smaller (to 0.6 of `scale` at most) so that the whole sentence fits a small tile's width;
// clipped beyond that.
void fittedText(ImDrawList* draw, ImVec2 pos, float scale, ImU32 colour, const std::string& s, float maxWidth) {
  const float width = ImGui::GetFont()->CalcTextSizeA(ImGui::GetFontSize() * scale, FLT_MAX, 0.0f, s.c_str()).x;
  const float fitted = width > maxWidth && width > 0 ? std::max(scale * 0.6f, scale * maxWidth / width) : scale;
  text(draw, pos, fitted, colour, s, maxWidth);
}

// "2026-11-25 09:30:00" in Beijing time.
std::string clockText(TimePoint t) {
  if (t == kNoTime) return "--";
  std::string iso = formatIsoTime(t, kBeijingOffsetMinutes);  // 2026-11-25T09:30:00+08:00
  if (iso.size() >= 19) iso = iso.substr(0, 10) + " " + iso.substr(11, 8);
  return iso;
}

}  // namespace

WallOverlayModel wallOverlayOf(const runtime::Twin& twin, const wall::PixelRect& overlayRect,
                               const wall::PixelRect& ownRect) {
  WallOverlayModel model;
  for (const runtime::Alert& a : twin.alerts().active()) {
    model.alerts.push_back(WallAlert{a.id, a.severity, a.messageEn, a.messageZh, a.acknowledged});
  }
  model.clockTime = twin.frameTime();
  // A feed never heard from is no more live than one gone quiet: each configured source counts its publishers that
  // are not LIVE, or itself once when it has none (not started, or nothing received yet).
  for (const runtime::FeedSource& source : twin.feedSources()) {
    int live = 0;
    for (const PublisherHealth& feed : source.publishers) {
      if (feed.state == FeedState::Live) {
        ++live;
      } else {
        ++model.staleFeeds;
      }
    }
    if (source.publishers.empty() || !source.status.isOk()) model.staleFeeds += live == 0 ? 1 : 0;
  }
  model.data = !twin.clock().isLive()  ? WallDataState::Playback
               : model.staleFeeds > 0 ? WallDataState::SomeStale
                                      : WallDataState::Live;
  if (twin.loading()) model.layersLoading = std::max<std::size_t>(1, twin.loadProgress().size());
  model.overlayRect = overlayRect;
  model.ownRect = ownRect;
  return model;
}

const WallAlert* wallHeadline(const std::vector<WallAlert>& alerts) {
  const WallAlert* best = nullptr;
  for (const WallAlert& a : alerts) {
    if (a.acknowledged) continue;
    if (best == nullptr || a.severity > best->severity) best = &a;
  }
  return best;
}

std::vector<std::string> wallOverlayStrings(const WallOverlayModel& model) {
  std::vector<std::string> out;
  for (const Words* w : kAllWords) {
    out.emplace_back(w->en);
    out.emplace_back(w->zh);
  }
  out.push_back(model.tourNameEn);
  out.push_back(model.tourNameZh);
  for (const WallAlert& a : model.alerts) {
    out.push_back(a.textEn);
    out.push_back(a.textZh);
  }
  return out;
}

void drawWallOverlay(const WallOverlayModel& model, Language language) {
  ImDrawList* draw = ImGui::GetForegroundDrawList();
  const float font = ImGui::GetFontSize();
  const float pad = font * 0.6f;
  const ImVec2 origin(static_cast<float>(model.overlayRect.x), static_cast<float>(model.overlayRect.y));
  const float width = static_cast<float>(model.overlayRect.width);
  const float height = static_cast<float>(model.overlayRect.height);
  const auto inLang = [language](const Words& w) { return std::string(inLanguage(w, language)); };
  const auto other = [language](const Words& w) {
    return std::string(inLanguage(w, language == Language::Chinese ? Language::English : Language::Chinese));
  };

  // The banner: the most severe unacknowledged alert in both languages, over the severity's colour.
  float y = origin.y + pad;
  if (const WallAlert* head = wallHeadline(model.alerts)) {
    const std::string& first = language == Language::Chinese ? head->textZh : head->textEn;
    const std::string& second = language == Language::Chinese ? head->textEn : head->textZh;
    // The headline wraps onto a second line rather than being cut; the other language follows, one line.
    const float wrap = width - pad * 4;
    const ImVec2 firstSize = ImGui::GetFont()->CalcTextSizeA(font * 1.6f, FLT_MAX, wrap, first.c_str());
    const float firstHeight = std::min(firstSize.y, font * 1.6f * 2.2f);
    const float bannerHeight = firstHeight + font * 1.4f + pad * 2;
    draw->AddRectFilled(ImVec2(origin.x + pad, y), ImVec2(origin.x + width - pad, y + bannerHeight),
                        severityColour(head->severity, 0.92f), 6.0f);
    const ImVec4 clip(origin.x + pad, y, origin.x + width - pad, y + pad * 0.6f + firstHeight);
    draw->AddText(ImGui::GetFont(), font * 1.6f, ImVec2(origin.x + pad * 2, y + pad * 0.6f), IM_COL32(255, 255, 255, 255),
                  first.c_str(), nullptr, wrap, &clip);
    text(draw, ImVec2(origin.x + pad * 2, y + pad * 0.8f + firstHeight), 1.1f, IM_COL32(255, 255, 255, 230), second,
         wrap);
    y += bannerHeight + pad * 0.5f;
  }
  // The alert list under it: severity bar, text in the interface language, acknowledged ones dimmed.
  const std::size_t shown = std::min(model.alerts.size(), kWallAlertRows);
  for (std::size_t i = 0; i < shown; ++i) {
    const WallAlert& a = model.alerts[i];
    const float rowHeight = font * 1.5f;
    draw->AddRectFilled(ImVec2(origin.x + pad, y), ImVec2(origin.x + width * 0.6f, y + rowHeight),
                        IM_COL32(10, 20, 30, a.acknowledged ? 140 : 200), 3.0f);
    draw->AddRectFilled(ImVec2(origin.x + pad, y), ImVec2(origin.x + pad + 6, y + rowHeight), severityColour(a.severity));
    std::string line = language == Language::Chinese ? a.textZh : a.textEn;
    if (a.acknowledged) line += "  (" + inLang(kAcknowledged) + ")";
    text(draw, ImVec2(origin.x + pad + 14, y + font * 0.2f), 1.05f,
         a.acknowledged ? IM_COL32(170, 180, 190, 255) : IM_COL32(240, 245, 250, 255), line, width * 0.6f - pad - 20);
    y += rowHeight + 2;
  }
  if (model.alerts.size() > shown) {
    text(draw, ImVec2(origin.x + pad + 14, y), 1.0f, IM_COL32(200, 210, 220, 255),
         "+" + std::to_string(model.alerts.size() - shown) + " " + inLang(kMore), width * 0.6f);
  }

  // The status strip at the tile's bottom: the data's state in words and colour, the clock, the tour.
  const float stripHeight = font * 2.0f;
  const ImVec2 strip(origin.x + pad, origin.y + height - stripHeight - pad);
  draw->AddRectFilled(strip, ImVec2(origin.x + width - pad, strip.y + stripHeight), IM_COL32(10, 20, 30, 210), 4.0f);
  const Words& stateWords = model.data == WallDataState::Live        ? kLive
                            : model.data == WallDataState::SomeStale ? kSomeStale
                                                                     : kPlayback;
  const ImU32 stateColour = model.data == WallDataState::Live        ? IM_COL32(60, 200, 90, 255)
                            : model.data == WallDataState::SomeStale ? IM_COL32(240, 170, 40, 255)
                                                                     : IM_COL32(90, 160, 240, 255);
  std::string status = inLang(stateWords) + " / " + other(stateWords);
  if (model.data == WallDataState::SomeStale) status += " (" + std::to_string(model.staleFeeds) + ")";
  draw->AddRectFilled(ImVec2(strip.x + 4, strip.y + 4), ImVec2(strip.x + 4 + font * 0.9f, strip.y + stripHeight - 4),
                      stateColour, 2.0f);
  text(draw, ImVec2(strip.x + font * 1.3f, strip.y + font * 0.3f), 1.2f, stateColour, status, width * 0.35f);
  std::string right = clockText(model.clockTime);
  if (!model.tourNameEn.empty() || !model.tourNameZh.empty()) {
    const std::string& name = language == Language::Chinese && !model.tourNameZh.empty() ? model.tourNameZh
                                                                                          : model.tourNameEn;
    right += "   " + inLang(kTour) + ": " + name + " " + std::to_string(model.tourStop + 1) + "/" +
             std::to_string(model.tourStops);
    if (model.tourPaused) right += " (" + inLang(kPaused) + ")";
  }
  text(draw, ImVec2(strip.x + width * 0.38f, strip.y + font * 0.3f), 1.2f, IM_COL32(235, 240, 245, 255), right,
       width * 0.6f - pad * 2);

  // A follower that lost its lead says so across its own tile: its picture is the last frame it got, not live.
  if (model.leadLostForS) {
    const ImVec2 o(static_cast<float>(model.ownRect.x), static_cast<float>(model.ownRect.y));
    const float w = static_cast<float>(model.ownRect.width);
    const float h = static_cast<float>(model.ownRect.height);
    const float boxHeight = font * 4.2f;
    const ImVec2 top(o.x + pad, o.y + h * 0.5f - boxHeight * 0.5f);
    draw->AddRectFilled(top, ImVec2(o.x + w - pad, top.y + boxHeight), IM_COL32(150, 20, 20, 225), 6.0f);
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, " (%.0f s)", *model.leadLostForS);
    // Refused: the lead is up but does not admit this node's key (the fix is in the allow-list, see the log).
    const Words& why = model.leadRefusedKey ? kLeadRefused : kLeadLost;
    fittedText(draw, ImVec2(top.x + pad, top.y + pad * 0.5f), 1.3f, IM_COL32(255, 255, 255, 255),
               inLang(why) + seconds, w - pad * 4);
    fittedText(draw, ImVec2(top.x + pad, top.y + pad * 0.5f + font * 1.9f), 1.0f, IM_COL32(255, 230, 230, 255),
               other(why), w - pad * 4);
  }
  // A node whose layers are still loading (just started or restarted) says so on its own tile, below the middle:
  // a tile dark but for labels is not a fault to report.
  if (model.layersLoading > 0) {
    const ImVec2 o(static_cast<float>(model.ownRect.x), static_cast<float>(model.ownRect.y));
    const float w = static_cast<float>(model.ownRect.width);
    const float h = static_cast<float>(model.ownRect.height);
    const ImVec2 top(o.x + pad, o.y + h * 0.5f + font * 2.6f);
    draw->AddRectFilled(top, ImVec2(o.x + w - pad, top.y + font * 3.6f), IM_COL32(20, 60, 120, 225), 6.0f);
    fittedText(draw, ImVec2(top.x + pad, top.y + pad * 0.5f), 1.15f, IM_COL32(255, 255, 255, 255),
               inLang(kLoading) + " (" + std::to_string(model.layersLoading) + ")", w - pad * 4);
    fittedText(draw, ImVec2(top.x + pad, top.y + pad * 0.5f + font * 1.7f), 1.0f, IM_COL32(220, 230, 245, 255),
               other(kLoading), w - pad * 4);
  }
}

}  // namespace gt::viewer
