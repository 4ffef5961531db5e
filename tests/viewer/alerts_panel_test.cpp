// The alerts panel (alerts_panel.hpp): rows built from alert entries (Beijing time, the message in the UI
// language, cleared ones), and the strings reported for the glyph set only when alerts changed.
#include "alerts_panel.hpp"

#include <gtest/gtest.h>

#include <algorithm>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/config_loading.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

runtime::Alert alert(std::uint64_t id, AlertSeverity severity, const std::string& zh, const std::string& en) {
  runtime::Alert a;
  a.id = id;
  a.source = "energy";
  a.key = "k" + std::to_string(id);
  a.severity = severity;
  a.entityId = "sub-" + std::to_string(id);
  a.messageZh = zh;
  a.messageEn = en;
  a.raisedUs = *parseIsoTime("2026-12-04T08:05:09Z");  // 16:05:09 in Beijing
  a.updatedUs = a.raisedUs;
  return a;
}

TEST(AlertsPanel, TimesAreBeijingTime) {
  EXPECT_EQ(alertTime(*parseIsoTime("2026-12-04T08:05:09Z")), "12-04 16:05:09");
  EXPECT_EQ(alertTime(*parseIsoTime("2026-12-31T20:00:00Z")), "01-01 04:00:00");  // the next day (and year)
}

TEST(AlertsPanel, RowsCarryTheMessageInTheUiLanguageAndTheClearTime) {
  std::vector<runtime::Alert> alerts = {alert(2, AlertSeverity::Critical, "变电站过载", "Substation overload"),
                                        alert(1, AlertSeverity::Info, "", "English only")};
  alerts[1].clearedUs = *parseIsoTime("2026-12-04T09:00:00Z");
  alerts[1].acknowledged = true;
  alerts[1].occurrences = 3;

  const std::vector<AlertRow> zh = alertRows(alerts, Language::Chinese);
  ASSERT_EQ(zh.size(), 2u);
  EXPECT_EQ(zh[0].id, 2u);  // the order given
  EXPECT_EQ(zh[0].message, "变电站过载");
  EXPECT_STREQ(zh[0].severityText, "严重");
  EXPECT_EQ(zh[0].time, "12-04 16:05:09");
  EXPECT_EQ(zh[0].entityId, "sub-2");
  EXPECT_FALSE(zh[0].cleared);
  EXPECT_EQ(zh[0].clearedTime, "");
  EXPECT_FALSE(zh[0].acknowledged);
  EXPECT_EQ(zh[1].message, "English only");  // no Chinese message: the English one
  EXPECT_STREQ(zh[1].severityText, "提示");
  EXPECT_TRUE(zh[1].cleared);
  EXPECT_EQ(zh[1].clearedTime, "12-04 17:00:00");
  EXPECT_TRUE(zh[1].acknowledged);
  EXPECT_EQ(zh[1].occurrences, 3u);

  const std::vector<AlertRow> en = alertRows(alerts, Language::English);
  EXPECT_EQ(en[0].message, "Substation overload");
  EXPECT_STREQ(en[0].severityText, "Critical");
}

TEST(AlertsPanel, StringsAreReportedForChangedAlertsOnly) {
  auto config = runtime::loadConfig(runtime::demoConfigPath());
  ASSERT_TRUE(config) << config.status().message();
  std::erase_if(config->layers, [](const LayerConfig& l) { return l.id != "city-aq-stations"; });
  config->sources.clear();
  config->plugins = {};
  auto created = runtime::Twin::create(*config);
  ASSERT_TRUE(created) << created.status().message();
  runtime::Twin& twin = **created;

  std::uint64_t reported = 0;
  EXPECT_TRUE(alertsPanelStrings(twin, reported).empty());
  AlertRaise r;
  r.source = "energy";
  r.key = "a";
  r.severity = AlertSeverity::Warning;
  r.messageZh = "负荷过高";
  r.messageEn = "High load";
  ASSERT_TRUE(twin.alerts().raise(r));
  twin.beginFrame();  // applies the raise
  std::vector<std::string> strings = alertsPanelStrings(twin, reported);
  EXPECT_NE(std::find(strings.begin(), strings.end(), "负荷过高"), strings.end());
  EXPECT_EQ(reported, twin.alerts().changes());
  EXPECT_TRUE(alertsPanelStrings(twin, reported).empty());  // nothing changed since

  r.key = "b";
  r.messageZh = "电压越限";
  ASSERT_TRUE(twin.alerts().raise(r));
  twin.beginFrame();
  strings = alertsPanelStrings(twin, reported);
  EXPECT_NE(std::find(strings.begin(), strings.end(), "电压越限"), strings.end());
  EXPECT_EQ(std::find(strings.begin(), strings.end(), "负荷过高"), strings.end());  // "a" was reported before
}

}  // namespace
}  // namespace gt::viewer
