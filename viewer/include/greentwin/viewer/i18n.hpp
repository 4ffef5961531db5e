#pragma once
// Bilingual UI text (Chinese and English, switchable at run time) and the glyph set the font atlas needs.
// Every UI string lives in one table, so the glyph set can be built from the strings actually in use
// (ImGui's "Chinese simplified common" range misses characters such as 孪 and 潞).

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"

namespace gt::viewer {

enum class Language { Chinese, English };

Language languageFromCode(std::string_view code);  // "zh" -> Chinese, anything else -> English
const char* languageCode(Language language);

enum class Text : int {
  AppName,  // the neutral name, for a config that does not name its twin (appTitle)
  Layers,
  LayerVisible,
  LayerOpacity,
  MoveUp,
  MoveDown,
  LayerStatusOk,
  LayerStatusError,
  SyntheticData,
  SyntheticShort,
  RealData,
  Legend,
  ColourBy,
  Inspector,
  NothingSelected,
  EntityId,
  EntityKind,
  EntityLayer,
  Properties,
  TimeBar,
  Play,
  Pause,
  Live,
  Rate,
  Playback,
  Paused,
  FrameTime,
  ClockTime,
  Feeds,
  NoFeeds,
  Camera,
  HomeView,
  Bookmarks,
  Language,
  ShowUi,
  Loading,
  AddLayer,
  LayerId,
  LayerName,
  LayerSource,
  LayerSourceHint,
  LayerSourceLayer,
  LayerType,
  Add,
  Cancel,
  Features,
  Warnings,
  Style,
  FillColor,
  OutlineColor,
  LineWidth,
  PointSize,
  Source,
  FeedLive,
  FeedStale,
  FeedNeverSeen,
  Publisher,
  UpdatesPerSecond,
  Gaps,
  LastSeen,
  SecondsAgo,
  History,
  HistoryWritten,
  HistoryDropped,
  HistoryPlayback,
  LiveValues,
  ValueStale,
  ValueLive,
  ValueNoData,
  Chart,
  ChartHours,
  ChartNoSamples,
  FeedHealthPanel,
  FeedPanelHint,
  Panels,
  FeedState,
  FeedStateLive,
  FeedStateStale,
  FeedStateNeverSeen,
  MessagesPerSecond,
  FeedDuplicatesOld,
  FeedRestarts,
  FeedInterval,
  FeedNever,
  MinutesAgo,
  HoursAgo,
  FeedNoPublishers,
  FeedSources,
  FeedSecurity,
  FeedUnauthenticated,
  FeedRefused,
  FeedHandshakeFailures,
  FeedRevoked,
  FeedRateLimited,
  FeedRejected,
  FeedUnknownEntities,
  FeedUnclaimed,
  // The BIM model-tree panel (bim_panel.cpp).
  BimModelTree,
  BimIsolate,
  BimShowAllStoreys,
  BimExplodeStoreys,
  BimElementTypes,
  BimColourBy,
  BimNoStorey,
  BimStorey,
  BimPlacement,
  BimPlaceModel,
  BimRotation,
  BimScale,
  BimSavePlacement,
  // The Plugins panel (plugin_panel.cpp); the four states in PluginState's order.
  Plugins,
  PluginSettings,
  PluginIndicators,
  PluginNoData,
  PluginDisable,
  PluginAvailable,
  PluginRefused,
  PluginActive,
  PluginDisabled,
  // The alerts panel (alerts_panel.cpp); AlertInfo..AlertCritical in AlertSeverity's order.
  Alerts,
  AlertsNone,
  AlertAcknowledge,
  AlertAcknowledged,
  AlertUnacknowledged,
  AlertShowCleared,
  AlertCleared,
  AlertInfo,
  AlertWarning,
  AlertCritical,
  AlertTime,
  AlertEntity,
  AlertMessage,
  AlertSource,
  AlertHistoryError,
  Count_  // keep last
};

// The text for `id` in `language` (UTF-8; never null).
const char* tr(Text id, Language language);

// Of a bilingual pair from data (names in the config, a plugin's labels): the one in `language`, else the other.
const std::string& byLanguage(const std::string& en, const std::string& zh, Language language);

// The twin's name in `language`, for the window title and the menu bar: display.title_en / title_zh, else
// display.title, else the other language's title, else the neutral Text::AppName (docs/config.md "[display]").
std::string appTitle(const DisplayConfig& display, Language language);

// Unicode code points of a UTF-8 string; malformed bytes are skipped.
std::vector<char32_t> decodeUtf8(std::string_view text);

// Collects the code points of every string that will be drawn, for building a font atlas with no missing glyph.
class GlyphSet {
 public:
  GlyphSet();  // starts with printable ASCII, Latin-1 punctuation used by the UI and every table string
  void add(std::string_view utf8);
  bool contains(char32_t c) const { return codePoints_.count(c) != 0; }
  // Ranges in ImGui's format: pairs [first,last] of 16-bit code points, zero-terminated.
  std::vector<std::uint16_t> imguiRanges() const;
  std::size_t size() const { return codePoints_.size(); }
  const std::set<char32_t>& codePoints() const { return codePoints_; }

 private:
  std::set<char32_t> codePoints_;
};

}  // namespace gt::viewer
