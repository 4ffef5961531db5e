// Test plugin "good" (C++ wrapper): one of every contribution, used by plugin_host_test and plugin_twin_test.
#include <greentwin/plugin.hpp>

#include <atomic>
#include <chrono>
#include <cmath>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace {

using namespace greentwin::plugin;

std::int64_t wallNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Polled: pushes gain * (number of polls) each frame.
class CounterSource : public Source {
 public:
  CounterSource(Host host, const Options& options)
      : host_(host), entity_(options.string("entity")), attribute_(options.string("attribute", "good_value")) {
    if (entity_.empty()) throw InvalidArgument("good.counter needs an 'entity' option");
  }
  void poll(std::int64_t /*clockNowUs*/) override {
    ++polls_;
    host_.push(entity_, attribute_, wallNowUs(), host_.settingDouble("gain") * static_cast<double>(polls_));
  }

 private:
  Host host_;
  std::string entity_, attribute_;
  std::int64_t polls_ = 0;
};

// Own thread: pushes 1, 2, 3, ... every 2 ms until stopped.
class ThreadedSource : public Source {
 public:
  ThreadedSource(Host host, const Options& options) : host_(host), entity_(options.string("entity")) {}
  ~ThreadedSource() override { stop(); }
  void start() override {
    thread_ = std::thread([this] {
      double n = 0;
      while (!stop_.load()) {
        host_.push(entity_, "good_threaded", wallNowUs(), ++n);
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  void stop() override {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

 private:
  Host host_;
  std::string entity_;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

class GoodPlugin : public Plugin {
 public:
  explicit GoodPlugin(Host api) : Plugin(api, "good", "Good test plugin", "1.2.3") {
    addSetting({"gain", SettingType::Double, "1", 0.0, 100.0, {}, "增益", "Gain", "", "multiplies the counter"});
    addSetting({"count", SettingType::Int, "3", 0.0, 10.0, {}, "数量", "Count", "", ""});
    addSetting({"flag", SettingType::Bool, "true", 1.0, 0.0, {}, "开关", "Flag", "", ""});
    addSetting({"label", SettingType::String, "abc", 1.0, 0.0, {}, "标签", "Label", "", ""});
    addSetting({"mode", SettingType::Enum, "a", 1.0, 0.0, {{"a", "甲", "A"}, {"b", "乙", "B"}}, "模式", "Mode", "", ""});
    addSetting({"limit", SettingType::Double, "5", 1.0, 0.0, {}, "上限", "Limit", "", "the plugin refuses > 50"});
    addSetting({"explode", SettingType::Bool, "false", 1.0, 0.0, {}, "", "Explode", "", "true: the change throws"});

    addSourceType({"good.counter", "计数", "Counter", true}, [this](const std::string&, const Options& o) {
      entity_ = o.string("entity");
      attribute_ = o.string("attribute", "good_value");
      return std::make_unique<CounterSource>(host(), o);
    });
    addSourceType({"good.threaded", "线程", "Threaded", false}, [this](const std::string&, const Options& o) {
      return std::make_unique<ThreadedSource>(host(), o);
    });
    addKpi({"good.value", "当前值", "Current value", "u"}, [this](std::int64_t) {
      const auto r = host().read(entity_, attribute_);
      return r ? KpiValue{r->value, r->value > 100 ? GT_KPI_ALERT : GT_KPI_OK} : KpiValue::noData();
    });
    addKpi(
        {"good.districts", "区数", "Districts with a position", ""},
        [this](std::int64_t) {
          double n = 0;
          for (const EntityInfo& e : host().entities("district")) {
            if (std::isfinite(e.x) && std::isfinite(e.lon)) n += 1;
          }
          return KpiValue{n, GT_KPI_OK};
        },
        // Over an area: the districts whose position lies inside it, with a note of how many there are in all.
        [this](std::int64_t, const Area& area) {
          double inside = 0, all = 0;
          for (const EntityInfo& e : host().entities("district")) {
            all += 1;
            if (area.contains(XY{e.x, e.y})) inside += 1;
          }
          if (inside == 0) return KpiValue::noData("no district in " + area.id);
          return KpiValue{inside, GT_KPI_OK, std::to_string(static_cast<int>(inside)) + " of " +
                                                 std::to_string(static_cast<int>(all)) + " districts"};
        });
    addKpi({"good.settings", "", "Settings echo", ""}, [this](std::int64_t) {
      // count + (flag ? 100 : 0) + (label == "abc" ? 1000 : 0) + (mode == "b" ? 10000 : 0)
      return KpiValue{static_cast<double>(host().settingInt("count")) + (host().settingBool("flag") ? 100 : 0) +
                          (host().settingString("label") == "abc" ? 1000 : 0) +
                          (host().settingString("mode") == "b" ? 10000 : 0),
                      GT_KPI_OK};
    });
    addClassifier({"good.bounds", "分级", "Bounds", "u",
                   {{{0, 228, 0, 255}, "优", "Good"}, {{255, 255, 0, 255}, "良", "Moderate"},
                    {{255, 0, 0, 255}, "差", "Bad"}},
                   {10.0, 20.0},
                   {}});
    addClassifier({"good.sign", "", "Sign", "",
                   {{{0, 0, 255, 255}, "", "non-negative"}},
                   {},
                   [](double v) { return v >= 0 ? 0 : -1; }});
    addFieldLayerType({"good.field", "场", "Field", "u", "good.bounds"}, [](const FieldGrid& g) {
      for (std::uint32_t row = 0; row < g.rows; ++row) {
        for (std::uint32_t col = 0; col < g.columns; ++col) g.at(col, row) = static_cast<float>(g.centerX(col));
      }
    });
  }

  void onSettingChanged(const std::string& key) override {
    if (key == "limit" && host().settingDouble("limit") > 50) throw InvalidArgument("limit must be <= 50");
    if (key == "explode" && host().settingBool("explode")) throw std::runtime_error("boom on setting change");
  }

 private:
  std::string entity_, attribute_ = "good_value";
};

}  // namespace

GREENTWIN_PLUGIN(GoodPlugin)
