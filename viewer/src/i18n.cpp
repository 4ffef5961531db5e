#include "greentwin/viewer/i18n.hpp"

#include <array>

namespace gt::viewer {
namespace {

struct Entry {
  Text id;
  const char* en;
  const char* zh;
};

// One row per UI string. Add new strings here (and to the enum); the glyph set picks them up automatically.
constexpr std::array<Entry, static_cast<std::size_t>(Text::Count_)> kTable{{
    {Text::AppName, "GreenTwin", "绿色孪生"},
    {Text::Layers, "Layers", "图层"},
    {Text::LayerVisible, "Visible", "显示"},
    {Text::LayerOpacity, "Opacity", "不透明度"},
    {Text::MoveUp, "Up", "上移"},
    {Text::MoveDown, "Down", "下移"},
    {Text::LayerStatusOk, "loaded", "已加载"},
    {Text::LayerStatusError, "error", "错误"},
    {Text::SyntheticData, "synthetic data", "合成数据"},
    {Text::SyntheticShort, "[synthetic]", "[合成]"},
    {Text::RealData, "real data", "真实数据"},
    {Text::Legend, "Legend", "图例"},
    {Text::ColourBy, "Colour by", "着色依据"},
    {Text::Inspector, "Inspector", "属性查看"},
    {Text::NothingSelected, "Nothing selected: click a feature on the map.", "未选择对象：请在地图上点击要素。"},
    {Text::EntityId, "ID", "编号"},
    {Text::EntityKind, "Kind", "类型"},
    {Text::EntityLayer, "Layer", "图层"},
    {Text::Properties, "Properties", "属性"},
    {Text::TimeBar, "Time", "时间"},
    {Text::Play, "Play", "播放"},
    {Text::Pause, "Pause", "暂停"},
    {Text::Live, "Live", "实时"},
    {Text::Rate, "Rate", "倍速"},
    {Text::Playback, "Playback", "回放"},
    {Text::Paused, "Paused", "已暂停"},
    {Text::FrameTime, "Frame", "帧耗时"},
    {Text::ClockTime, "Clock", "时钟"},
    {Text::Feeds, "Feeds", "数据流"},
    {Text::NoFeeds, "no live feeds configured", "未配置实时数据流"},
    {Text::Camera, "Camera", "视角"},
    {Text::HomeView, "Home view", "初始视角"},
    {Text::Bookmarks, "Bookmarks", "书签"},
    {Text::Language, "中文 / English", "中文 / English"},
    {Text::ShowUi, "Show interface", "显示界面"},
    {Text::Loading, "loading", "加载中"},
    {Text::AddLayer, "Add layer...", "添加图层…"},
    {Text::LayerId, "Id", "标识"},
    {Text::LayerName, "Name", "名称"},
    {Text::LayerSource, "File or connection", "文件或连接"},
    {Text::LayerSourceHint,
     "a GeoPackage, GeoJSON, Shapefile or FlatGeobuf path, or PG:dbname=... for PostGIS; a CityGML (.gml) file: "
     "draw as citygml",
     "GeoPackage、GeoJSON、Shapefile 或 FlatGeobuf 文件路径，或 PostGIS 连接 PG:dbname=...；CityGML（.gml）文件："
     "显示方式选 citygml"},
    {Text::LayerSourceLayer, "Table / layer in the source", "数据源中的表 / 图层"},
    {Text::LayerType, "Draw as", "显示方式"},
    {Text::Add, "Add", "添加"},
    {Text::Cancel, "Cancel", "取消"},
    {Text::Features, "features", "个要素"},
    {Text::Warnings, "warnings", "条警告"},
    {Text::Style, "Style", "样式"},
    {Text::FillColor, "Fill", "填充色"},
    {Text::OutlineColor, "Outline", "轮廓色"},
    {Text::LineWidth, "Line width", "线宽"},
    {Text::PointSize, "Point size", "点大小"},
    {Text::Source, "Source", "数据源"},
    {Text::FeedLive, "live", "在线"},
    {Text::FeedStale, "STALE", "已过期"},
    {Text::FeedNeverSeen, "never seen", "未收到"},
    {Text::Publisher, "Publisher", "发布者"},
    {Text::UpdatesPerSecond, "updates/s", "更新/秒"},
    {Text::Gaps, "gaps", "丢失"},
    {Text::LastSeen, "last seen", "最近"},
    {Text::SecondsAgo, "s ago", "秒前"},
    {Text::History, "History", "历史"},
    {Text::HistoryWritten, "samples written", "条已写入"},
    {Text::HistoryDropped, "dropped", "条丢弃"},
    {Text::HistoryPlayback, "values from history", "数值来自历史"},
    {Text::LiveValues, "Live values", "实时数值"},
    {Text::ValueStale, "STALE", "过时"},
    {Text::ValueLive, "LIVE", "实时"},
    {Text::ValueNoData, "no data", "无数据"},
    {Text::Chart, "Last hours", "近几小时"},
    {Text::ChartHours, "h", "小时"},
    {Text::ChartNoSamples, "no samples in this window", "此时段无数据"},
    // The feed-health panel (feed_health_panel.cpp).
    {Text::FeedHealthPanel, "Feed health", "数据流健康"},
    {Text::FeedPanelHint, "click: feed-health panel", "点击：数据流健康面板"},
    {Text::Panels, "Panels", "面板"},
    {Text::FeedState, "State", "状态"},
    {Text::FeedStateLive, "LIVE", "在线"},
    {Text::FeedStateStale, "STALE", "已过期"},
    {Text::FeedStateNeverSeen, "NEVER SEEN", "未收到"},
    {Text::MessagesPerSecond, "msg/s", "消息/秒"},
    {Text::FeedDuplicatesOld, "dup / old", "重复 / 过旧"},
    {Text::FeedRestarts, "restarts", "重启"},
    {Text::FeedInterval, "interval", "周期"},
    {Text::FeedNever, "never", "从未"},
    {Text::MinutesAgo, "min ago", "分钟前"},
    {Text::HoursAgo, "h ago", "小时前"},
    {Text::FeedNoPublishers, "No publisher has sent anything yet.", "尚未收到任何发布者的数据。"},
    {Text::FeedSources, "Sources", "数据源"},
    {Text::FeedSecurity, "security", "安全"},
    {Text::FeedUnauthenticated, "none", "无认证"},
    {Text::FeedRefused, "refused", "拒绝"},
    {Text::FeedHandshakeFailures, "handshake failed", "握手失败"},
    {Text::FeedRevoked, "revoked", "已吊销"},
    {Text::FeedRateLimited, "rate-limited", "限流"},
    {Text::FeedRejected, "rejected", "拒收"},
    {Text::FeedUnknownEntities, "unknown entities", "未知实体"},
    {Text::FeedUnclaimed, "(no single source)", "（无法归属数据源）"},
    {Text::BimModelTree, "Model tree", "模型树"},
    {Text::BimIsolate, "Isolate", "单独显示"},
    {Text::BimShowAllStoreys, "Show all storeys", "显示全部楼层"},
    {Text::BimExplodeStoreys, "Explode storeys (m)", "楼层展开 (米)"},
    {Text::BimElementTypes, "Element types", "构件类型"},
    {Text::BimColourBy, "Colour by", "着色依据"},
    {Text::BimNoStorey, "(no storey)", "(无楼层)"},
    {Text::BimStorey, "Storey", "楼层"},
    {Text::BimPlacement, "Placement", "位置"},
    {Text::BimPlaceModel, "Place model (click on the ground)", "放置模型（点击地面）"},
    {Text::BimRotation, "Rotation (deg)", "旋转 (度)"},
    {Text::BimScale, "Scale", "缩放"},
    {Text::BimSavePlacement, "Save placement", "保存位置"},
    {Text::Plugins, "Plugins", "插件"},
    {Text::PluginSettings, "Settings", "设置"},
    {Text::PluginIndicators, "Indicators", "指标"},
    {Text::PluginNoData, "no data", "无数据"},
    {Text::PluginDisable, "Disable", "停用"},
    {Text::PluginAvailable, "available", "可用"},
    {Text::PluginRefused, "refused", "已拒绝"},
    {Text::PluginActive, "active", "运行中"},
    {Text::PluginDisabled, "disabled", "已停用"},
    {Text::Alerts, "Alerts", "告警"},
    {Text::AlertsNone, "No active alerts", "无活动告警"},
    {Text::AlertAcknowledge, "Acknowledge", "确认"},
    {Text::AlertAcknowledged, "acknowledged", "已确认"},
    {Text::AlertUnacknowledged, "unacknowledged", "未确认"},
    {Text::AlertShowCleared, "Show cleared", "显示已解除"},
    {Text::AlertCleared, "cleared", "已解除"},
    {Text::AlertInfo, "Info", "提示"},
    {Text::AlertWarning, "Warning", "警告"},
    {Text::AlertCritical, "Critical", "严重"},
    {Text::AlertTime, "Time", "时间"},
    {Text::AlertEntity, "Entity", "对象"},
    {Text::AlertMessage, "Message", "内容"},
    {Text::AlertSource, "Source", "来源"},
    {Text::AlertHistoryError, "Alert history", "告警历史"},
}};

constexpr bool tableMatchesEnum() {
  for (std::size_t i = 0; i < kTable.size(); ++i) {
    if (static_cast<std::size_t>(kTable[i].id) != i) return false;
  }
  return true;
}
static_assert(tableMatchesEnum(), "kTable rows must follow the order of enum Text");

}  // namespace

Language languageFromCode(std::string_view code) { return code == "zh" ? Language::Chinese : Language::English; }

const char* languageCode(Language language) { return language == Language::Chinese ? "zh" : "en"; }

const char* tr(Text id, Language language) {
  const auto index = static_cast<std::size_t>(id);
  if (index >= kTable.size()) return "?";
  return language == Language::Chinese ? kTable[index].zh : kTable[index].en;
}

const std::string& byLanguage(const std::string& en, const std::string& zh, Language language) {
  if (language == Language::Chinese && !zh.empty()) return zh;
  return en.empty() ? zh : en;
}

std::string appTitle(const DisplayConfig& display, Language language) {
  const std::string& own = language == Language::Chinese ? display.titleZh : display.titleEn;
  if (!own.empty()) return own;
  if (!display.title.empty()) return display.title;
  const std::string& other = language == Language::Chinese ? display.titleEn : display.titleZh;
  if (!other.empty()) return other;
  return tr(Text::AppName, language);
}

std::vector<char32_t> decodeUtf8(std::string_view text) {
  std::vector<char32_t> out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto b0 = static_cast<unsigned char>(text[i]);
    int length = 0;
    char32_t c = 0;
    if (b0 < 0x80) {
      length = 1;
      c = b0;
    } else if ((b0 & 0xE0) == 0xC0) {
      length = 2;
      c = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      length = 3;
      c = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      length = 4;
      c = b0 & 0x07;
    } else {
      ++i;  // stray continuation or invalid lead byte
      continue;
    }
    if (i + static_cast<std::size_t>(length) > text.size()) break;
    bool valid = true;
    for (int k = 1; k < length; ++k) {
      const auto b = static_cast<unsigned char>(text[i + static_cast<std::size_t>(k)]);
      if ((b & 0xC0) != 0x80) {
        valid = false;
        break;
      }
      c = (c << 6) | (b & 0x3F);
    }
    if (!valid) {
      ++i;
      continue;
    }
    out.push_back(c);
    i += static_cast<std::size_t>(length);
  }
  return out;
}

GlyphSet::GlyphSet() {
  for (char32_t c = 0x20; c < 0x7F; ++c) codePoints_.insert(c);
  for (char32_t c : {U'°', U'·', U'µ', U'³', U'²', U'×', U'—', U'…'}) codePoints_.insert(c);
  for (const Entry& e : kTable) {
    add(e.en);
    add(e.zh);
  }
}

void GlyphSet::add(std::string_view utf8) {
  for (char32_t c : decodeUtf8(utf8)) {
    if (c >= 0x20) codePoints_.insert(c);
  }
}

std::vector<std::uint16_t> GlyphSet::imguiRanges() const {
  std::vector<std::uint16_t> ranges;
  for (char32_t c : codePoints_) {
    if (c > 0xFFFF) continue;  // ImGui 1.86 is built with 16-bit ImWchar
    const auto v = static_cast<std::uint16_t>(c);
    if (!ranges.empty() && ranges.back() + 1 == v) {
      ranges.back() = v;
    } else {
      ranges.push_back(v);
      ranges.push_back(v);
    }
  }
  ranges.push_back(0);
  return ranges;
}

}  // namespace gt::viewer
