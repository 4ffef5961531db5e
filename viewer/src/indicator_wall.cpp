#include "indicator_wall.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cfloat>
#include <cstdio>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/runtime/twin.hpp"
#include "indicator_panel.hpp"
#include "indicator_style.hpp"
#include "indicator_wall_layout.hpp"

namespace gt::viewer {
namespace {

using runtime::IndicatorOrigin;
using runtime::IndicatorRow;
using runtime::IndicatorStatus;

constexpr int kBeijingUtcOffsetMinutes = 8 * 60;
constexpr IndicatorStatus kStatuses[]{IndicatorStatus::Met, IndicatorStatus::OnTrack, IndicatorStatus::OffTrack,
                                      IndicatorStatus::NoData};
constexpr IndicatorOrigin kOrigins[]{IndicatorOrigin::Computed, IndicatorOrigin::Reported, IndicatorOrigin::Synthetic};

enum Label : int { Title, Target, BeijingTime, Back, NotLoaded, FigureOf, LabelCount };
constexpr std::array<IndicatorWords, LabelCount> kLabels{{
    {"Indicator wall", "指标大屏"},
    {"2025 target", "2025 年目标"},
    {"Beijing time", "北京时间"},
    {"Esc or double click: back to the map", "Esc 或双击：返回地图"},
    {"Not loaded", "未能加载"},
    {"figure of", "年度数据"},
}};

const char* label(Label id, Language language) { return inLanguage(kLabels[id], language); }





// The dashboard's colours and words (indicator_style.hpp), so the wall and the dashboard read alike.
ImU32 statusColour(IndicatorStatus status) { return ImGui::ColorConvertFloat4ToU32(indicatorStatusColour(status)); }
ImU32 originColour(IndicatorOrigin origin) { return ImGui::ColorConvertFloat4ToU32(indicatorOriginColour(origin)); }

const ImU32 kText = IM_COL32(235, 238, 242, 255);
const ImU32 kDim = IM_COL32(150, 160, 172, 255);
const ImU32 kGroup = IM_COL32(140, 217, 166, 255);  // the dashboard's group headings
const ImU32 kCard = IM_COL32(24, 31, 41, 255);
const ImU32 kCardEdge = IM_COL32(60, 72, 88, 255);
const ImU32 kBackground = IM_COL32(10, 14, 20, 255);

// The font of exactly `size` pixels when the atlas has one (ImGuiOverlay::requireSizedFonts), else the interface's,
// scaled (until the next frame brings the sized one).
ImFont* fontOfSize(float size) {
  ImFontAtlas* atlas = ImGui::GetIO().Fonts;
  for (int i = 1; i < atlas->Fonts.Size; ++i) {
    if (atlas->Fonts[i]->FontSize == size) return atlas->Fonts[i];
  }
  return atlas->Fonts[0];
}

// Text drawn in one type size, recording the size and the characters it needs for the next frame's atlas.
class Type {
 public:
  using Needs = std::map<float, std::set<char32_t>>;
  Type(ImDrawList* draw, Needs& needs) : draw_(draw), needs_(needs) {}

  ImVec2 measure(float size, const std::string& text, float wrap = 0) const {
    return fontOfSize(size)->CalcTextSizeA(size, FLT_MAX, wrap, text.c_str());
  }
  // Whether `text` fits `lines` lines of `width` in `size` (measured with the interface's font scaled, so that the
  // answer does not change when the sized font arrives, with a margin for their differences).
  static bool fits(float size, const std::string& text, float width, int lines) {
    const ImVec2 s = ImGui::GetIO().Fonts->Fonts[0]->CalcTextSizeA(size, FLT_MAX, width * 0.96f, text.c_str());
    return s.y <= size * static_cast<float>(lines) + 0.5f && s.x <= width * 0.96f;
  }
  // Each character once: the atlas is rebuilt when a font's set changes, which the fixed sets (needFixedGlyphs)
  // keep from happening when only a figure or the time does.
  void need(float size, const std::string& text) {
    std::set<char32_t>& set = needs_[size];
    for (char32_t c : decodeUtf8(text)) {
      if (c >= 0x20) set.insert(c);
    }
  }
  // At `pos` (top left), wrapped to `wrap` (0: none), clipped to `clip` when given.
  void text(float size, ImVec2 pos, ImU32 colour, const std::string& text, float wrap = 0,
            const ImVec4* clip = nullptr) {
    need(size, text);
    draw_->AddText(fontOfSize(size), size, pos, colour, text.c_str(), nullptr, wrap, clip);
  }

 private:
  ImDrawList* draw_;
  Needs& needs_;
};

// The largest size from `start` down the font ladder to `floor` at which every text fits `lines` lines of `width`.
float fittedSize(float start, float floor, const std::vector<std::string>& texts, float width, int lines) {
  float size = start;
  while (size > floor) {
    const bool all = std::all_of(texts.begin(), texts.end(),
                                 [&](const std::string& t) { return Type::fits(size, t, width, lines); });
    if (all) return size;
    size = wallFontSize(size - 1);
  }
  return floor;
}

std::string utf8Of(const std::set<char32_t>& codePoints) {
  std::string out;
  for (char32_t c : codePoints) {
    if (c < 0x80) {
      out += static_cast<char>(c);
      continue;
    }
    if (c < 0x800) {
      out += static_cast<char>(0xC0 | (c >> 6));
    } else if (c < 0x10000) {
      out += static_cast<char>(0xE0 | (c >> 12));
      out += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    } else {
      continue;  // ImGui 1.86 is built with 16-bit ImWchar
    }
    out += static_cast<char>(0x80 | (c & 0x3F));
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4g", v);
  return buf;
}

std::string beijingMinute(TimePoint t) {
  std::string iso = formatIsoTime(t, kBeijingUtcOffsetMinutes);  // 2026-11-25T09:30:00+08:00
  return iso.size() >= 16 ? iso.substr(0, 10) + " " + iso.substr(11, 5) : iso;
}

std::string targetText(const IndicatorRow& row, Language language) {
  std::string text = byLanguage(row.targetEn, row.targetZh, language);
  if (!row.beijing) return text;
  const std::string unit = row.unit == "%" ? "%" : " " + byLanguage(row.unit, row.unitZh, language);
  const std::string figure = number(*row.beijing) + unit;
  return language == Language::Chinese ? text + "（" + figure + "）" : text + ": " + figure;
}

const std::string& rowName(const IndicatorRow& row, Language language) {
  static const std::string notLoadedEn = kLabels[NotLoaded].en;
  static const std::string notLoadedZh = kLabels[NotLoaded].zh;
  const std::string& name = byLanguage(row.nameEn, row.nameZh, language);
  if (!name.empty()) return name;
  return language == Language::Chinese ? notLoadedZh : notLoadedEn;
}

// A rounded chip of `colour` with `word` in white, its right edge at `right`; returns its left edge.
float chip(ImDrawList* draw, Type& type, float size, float right, float top, ImU32 colour, const char* word) {
  const float pad = size * 0.45f;
  const float w = type.measure(size, word).x + 2 * pad;
  const float h = size * 1.3f;
  draw->AddRectFilled(ImVec2(right - w, top), ImVec2(right, top + h), colour, size * 0.3f);
  type.text(size, ImVec2(right - w + pad, top + size * 0.15f), IM_COL32(255, 255, 255, 255), word);
  return right - w;
}

// The trend as a line in `box`, scaled to its range, its last value marked; nothing with fewer than two values.
void sparkline(ImDrawList* draw, const IndicatorRow& row, ImVec2 p0, ImVec2 p1, float thickness) {
  if (row.trend.size() < 2 || p1.x - p0.x < 8) return;
  double lo = row.trend.front().value;
  double hi = lo;
  for (const runtime::IndicatorTrendPoint& p : row.trend) {
    lo = std::min(lo, p.value);
    hi = std::max(hi, p.value);
  }
  if (hi - lo < 1e-12) {
    lo -= 1;
    hi += 1;
  }
  std::vector<ImVec2> line;
  const float n = static_cast<float>(row.trend.size() - 1);
  for (std::size_t i = 0; i < row.trend.size(); ++i) {
    const float x = p0.x + (p1.x - p0.x) * static_cast<float>(i) / n;
    const float y = p1.y - static_cast<float>((row.trend[i].value - lo) / (hi - lo)) * (p1.y - p0.y);
    line.emplace_back(x, y);
  }
  draw->AddLine(ImVec2(p0.x, p1.y), p1, IM_COL32(70, 82, 98, 255), 1.0f);  // the range's floor
  draw->AddPolyline(line.data(), static_cast<int>(line.size()), IM_COL32(215, 220, 232, 255), 0, thickness);
  draw->AddCircleFilled(line.back(), thickness * 1.8f, IM_COL32(215, 220, 232, 255));
}

// One card: the status bar down its left edge; number, source tag and status chip; the name; the value with its unit
// and the sparkline; the target (and a reported figure's year).
void drawCard(ImDrawList* draw, Type& type, const IndicatorRow& row, const WallRect& r, const WallFonts& fonts,
              float nameSize, Language language) {
  const float pad = std::max(6.0f, r.h * 0.055f);
  const IndicatorStatus status = row.status();
  draw->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), kCard, pad * 0.5f);
  draw->AddRect(ImVec2(r.x, r.y), ImVec2(r.right(), r.bottom()), kCardEdge, pad * 0.5f);
  const float bar = std::max(4.0f, r.w * 0.018f);
  draw->AddRectFilled(ImVec2(r.x, r.y), ImVec2(r.x + bar, r.bottom()), statusColour(status), pad * 0.5f,
                      ImDrawFlags_RoundCornersLeft);
  const float left = r.x + bar + pad;
  const float right = r.right() - pad;
  const float width = right - left;
  float y = r.y + pad;

  // Top line: "#5", then the source tag and the status chip at the right.
  const float small = fonts.small;
  type.text(small, ImVec2(left, y + small * 0.15f), kDim, "#" + std::to_string(row.number));
  const float chipLeft = chip(draw, type, small, right, y, statusColour(status), indicatorStatusWord(status, language));
  if (!row.group.empty()) {
    const char* origin = indicatorOriginWord(row.origin, language);
    const float w = type.measure(small, origin).x;
    type.text(small, ImVec2(chipLeft - small * 0.6f - w, y + small * 0.15f), originColour(row.origin), origin);
  }
  y += small * 1.3f + pad * 0.5f;

  // The name, up to two lines, clipped to them.
  const ImVec4 nameClip(left, y, right, y + nameSize * 2.05f);
  const std::string& name = rowName(row, language);
  type.text(nameSize, ImVec2(left, y), kText, name, width, &nameClip);
  const float nameLines = type.measure(nameSize, name, width).y > nameSize * 1.5f ? 2.0f : 1.0f;
  y += nameSize * nameLines;

  // At the bottom: the target, on two lines when one is too short for it, and the year of a reported figure.
  std::string year;
  if (row.value && row.time == 0 && row.year != 0) year = std::to_string(row.year);
  const float yearW = year.empty() ? 0.0f : type.measure(small, year).x + small;
  if (!year.empty()) type.text(small, ImVec2(right - yearW + small, r.bottom() - pad - small), kDim, year);
  const std::string target = std::string(label(Target, language)) + "  " + targetText(row, language);
  const float targetW = width - yearW;
  const float targetLines = type.measure(small, target).x > targetW ? 2.0f : 1.0f;
  const float bottomY = r.bottom() - pad - small * targetLines;
  const ImVec4 targetClip(left, bottomY, right - yearW, r.bottom() - pad * 0.5f);
  type.text(small, ImVec2(left, bottomY), kDim, target, targetLines > 1 ? targetW : 0.0f, &targetClip);

  // The value between the name and the target line, centred there; the unit after it in the small type.
  const float valueSize = fonts.value;
  const float valueY = y + std::max(0.0f, (bottomY - y - valueSize) * 0.5f);
  std::string figure = "—";
  std::string unit;
  if (row.value) {
    if (row.unit == "class") {
      figure = indicatorValueText(row, language);  // "Ⅲ类", "class III"
    } else {
      figure = number(*row.value);
      unit = byLanguage(row.unit, row.unitZh, language);
    }
  }
  type.text(valueSize, ImVec2(left, valueY), row.value ? kText : kDim, figure);
  float x = left + type.measure(valueSize, figure).x;
  if (!unit.empty()) {
    x += unit == "%" ? small * 0.1f : small * 0.35f;
    type.text(small, ImVec2(x, valueY + valueSize * 0.78f - small), kDim, unit);
    x += type.measure(small, unit).x;
  }
  // The sparkline in what the value leaves of the line: at most a third of the card, at least a seventh.
  const float sparkW = std::min(width * 0.34f, right - x - pad);
  if (sparkW >= width / 7) {
    sparkline(draw, row, ImVec2(right - sparkW, valueY + valueSize * 0.2f), ImVec2(right, valueY + valueSize * 0.85f),
              std::max(1.5f, valueSize * 0.05f));
  }
}

// The characters the fonts need whatever the values are (figures change every second; the atlas should not).
// The figure font holds what figures are written with only (it is the largest: 200 pixels on a 4K wall of five);
// every other font all of printable ASCII.
void needFixedGlyphs(Type& type, const WallFonts& fonts, float nameSize, float titleSize) {
  type.need(fonts.value, "0123456789.,-+e —ⅠⅡⅢⅣⅤ劣类 class IV worse than");
  std::string ascii;
  for (char c = 0x20; c < 0x7F; ++c) ascii += c;
  for (float size : {fonts.title, fonts.group, fonts.small, fonts.footer, nameSize, titleSize}) {
    if (size != fonts.value) type.need(size, ascii);
  }
  std::string small;
  for (IndicatorStatus s : kStatuses) small += std::string(runtime::indicatorStatusNameZh(s));
  for (IndicatorOrigin o : kOrigins) small += std::string(runtime::indicatorOriginNameZh(o));
  for (const IndicatorWords& l : kLabels) small += l.zh;
  small += "（）：·—#";
  type.need(fonts.small, small);
  type.need(fonts.footer, small);
  type.need(nameSize, std::string(kLabels[NotLoaded].zh));
}

}  // namespace

const char* indicatorWallTitle(Language language) { return label(Title, language); }

std::vector<IndicatorRow> indicatorWallRows(const std::vector<IndicatorRow>& rows, const std::vector<int>& numbers) {
  std::vector<IndicatorRow> out;
  for (const IndicatorRow& r : rows) {
    if (numbers.empty() || std::find(numbers.begin(), numbers.end(), r.number) != numbers.end()) out.push_back(r);
  }
  return out;
}

const std::vector<ImGuiOverlay::SizedFont>& indicatorWallFonts(const UiState& state) {
  static const std::vector<ImGuiOverlay::SizedFont> kNone;
  return state.indicatorWall ? state.indicatorWall->fonts : kNone;
}

void drawIndicatorWall(runtime::Twin& twin, UiState& state) {
  if (!state.showIndicatorWall) return;
  if (!state.indicatorWall) state.indicatorWall = std::make_shared<IndicatorWallState>();
  const Language language = state.language;
  const runtime::IndicatorBoard& board = twin.indicators();
  const std::vector<IndicatorRow> rows = indicatorWallRows(board.rows(), twin.config().display.indicatorWall);

  // The groups that have cards, in the catalog's order, then the entries the catalog could not load.
  std::vector<runtime::IndicatorGroup> groups = board.groups();
  groups.push_back({"", kLabels[NotLoaded].zh, kLabels[NotLoaded].en});
  std::vector<int> sizes;
  std::vector<const IndicatorRow*> ordered;
  for (const runtime::IndicatorGroup& g : groups) {
    int n = 0;
    for (const IndicatorRow& r : rows) {
      if (r.group != g.id) continue;
      ordered.push_back(&r);
      ++n;
    }
    sizes.push_back(n);
  }

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(vp->Size);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  ImGui::PushStyleVar(ImGuiStyleVar_WindowBorderSize, 0.0f);
  ImGui::PushStyleVar(ImGuiStyleVar_WindowRounding, 0.0f);
  ImGui::PushStyleColor(ImGuiCol_WindowBg, ImGui::ColorConvertU32ToFloat4(kBackground));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoBringToFrontOnFocus |
                                 ImGuiWindowFlags_NoScrollWithMouse;
  const bool open = ImGui::Begin("##indicator_wall", nullptr, flags);
  ImGui::PopStyleColor();
  ImGui::PopStyleVar(3);
  if (!open) {
    ImGui::End();
    return;
  }
  const WallLayout layout = layoutIndicatorWall(vp->Size.x, vp->Size.y, sizes);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  Type::Needs needs;
  Type type(draw, needs);
  const ImVec2 origin = vp->Pos;
  const auto at = [&](float x, float y) { return ImVec2(origin.x + x, origin.y + y); };

  // The title band: the programme's title (as large as fits beside the time) and the clock's time.
  const float margin = layout.gap * 2;
  const std::string time = beijingMinute(twin.frameTime()) + "  " + label(BeijingTime, language);
  const float timeW = type.measure(layout.fonts.group, time).x;
  std::string title = byLanguage(board.titleEn(), board.titleZh(), language);
  if (title.empty()) title = label(Title, language);
  const float titleW = layout.title.w - 3 * margin - timeW;
  const float titleSize = fittedSize(layout.fonts.title, layout.fonts.group, {title}, titleW, 1);
  const ImVec4 titleClip(origin.x, origin.y, origin.x + margin + titleW, origin.y + layout.title.h);
  type.text(titleSize, at(margin, (layout.title.h - titleSize) * 0.5f), kText, title, 0, &titleClip);
  type.text(layout.fonts.group, at(layout.title.w - margin - timeW, (layout.title.h - layout.fonts.group) * 0.5f),
            kDim, time);
  type.need(titleSize, board.titleZh());

  // Group headings and their cards; the names in one type size, the largest at which all fit two lines.
  std::vector<std::string> names;
  for (const IndicatorRow* r : ordered) names.push_back(rowName(*r, language));
  const float nameWidth = layout.cardWidth * (1 - 0.018f) - 2 * std::max(6.0f, layout.cardHeight * 0.055f);
  const float nameSize = fittedSize(layout.fonts.label, layout.fonts.small, names, nameWidth, 2);
  std::size_t card = 0;
  for (std::size_t g = 0; g < groups.size() && g < layout.groupHeadings.size(); ++g) {
    const WallRect& h = layout.groupHeadings[g];
    if (sizes[g] == 0 || h.h <= 0) continue;
    const float size = layout.fonts.group;
    type.text(size, at(h.x, h.y + (h.h - size) * 0.45f), kGroup, byLanguage(groups[g].nameEn, groups[g].nameZh, language));
    type.need(size, groups[g].nameZh);
    draw->AddLine(at(h.x, h.bottom() - layout.gap * 0.5f), at(h.right(), h.bottom() - layout.gap * 0.5f),
                  IM_COL32(60, 90, 72, 255), 1.0f);
    for (int i = 0; i < sizes[g] && card < ordered.size() && card < layout.cards.size(); ++i, ++card) {
      WallRect r = layout.cards[card];
      r.x += origin.x;
      r.y += origin.y;
      const IndicatorRow& row = *ordered[card];
      drawCard(draw, type, row, r, layout.fonts, nameSize, language);
      // Both languages' texts of the card, so that switching language does not rebuild the atlas.
      type.need(nameSize, row.nameZh);
      type.need(layout.fonts.small, row.targetZh + row.unitZh);
    }
  }

  // The footer: the count of cards per status, and how to leave while the mouse is moved.
  const float small = layout.fonts.footer;
  const float footY = layout.footer.y + (layout.footer.h - small * 1.3f) * 0.5f;
  float x = margin;
  for (IndicatorStatus s : kStatuses) {
    const auto n = std::count_if(ordered.begin(), ordered.end(), [s](const IndicatorRow* r) { return r->status() == s; });
    const char* word = indicatorStatusWord(s, language);
    const float w = type.measure(small, word).x + small * 0.9f;
    x = chip(draw, type, small, origin.x + x + w, origin.y + footY, statusColour(s), word) - origin.x + w;
    const std::string count = std::to_string(n);
    type.text(small, at(x + small * 0.4f, footY + small * 0.15f), kText, count);
    x += small * 0.4f + type.measure(small, count).x + small * 1.5f;
  }
  IndicatorWallState& wall = *state.indicatorWall;
  const ImGuiIO& io = ImGui::GetIO();
  if (io.MouseDelta.x != 0 || io.MouseDelta.y != 0) wall.mouseMovedAt = ImGui::GetTime();
  if (wall.mouseMovedAt >= 0 && ImGui::GetTime() - wall.mouseMovedAt < 3.0) {
    const char* hint = label(Back, language);
    type.text(small, at(layout.footer.w - margin - type.measure(small, hint).x, footY + small * 0.15f), kDim, hint);
  }
  needFixedGlyphs(type, layout.fonts, nameSize, titleSize);

  if (ImGui::IsWindowHovered() && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) state.showIndicatorWall = false;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false)) state.showIndicatorWall = false;
  ImGui::End();

  wall.fonts.clear();
  for (const auto& [size, glyphs] : needs) wall.fonts.push_back({size, utf8Of(glyphs)});
}

}  // namespace gt::viewer
