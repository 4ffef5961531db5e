// Test plugin "hang" (C++ wrapper) for the host's watchdog: its source's poll never returns after `hang_after`
// polls (it sleeps for an hour), its KPI never returns at all. The test process ends with the sleeping thread.
#include <greentwin/plugin.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

namespace {

using namespace greentwin::plugin;

void hang() { std::this_thread::sleep_for(std::chrono::hours(1)); }

class HangingSource : public Source {
 public:
  HangingSource(Host host, const Options& options)
      : host_(host), entity_(options.string("entity")), hangAfter_(options.number("hang_after", 2)) {}
  void poll(std::int64_t /*clockNowUs*/) override {
    if (++polls_ > hangAfter_) hang();
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    host_.push(entity_, "hang_value", now, polls_);
  }

 private:
  Host host_;
  std::string entity_;
  double hangAfter_;
  double polls_ = 0;
};

class HangingPlugin : public Plugin {
 public:
  explicit HangingPlugin(Host api) : Plugin(api, "hang", "Hanging test plugin", "0.0.1") {
    addSourceType({"hang.poll", "", "Hanging source", true},
                  [this](const std::string&, const Options& o) { return std::make_unique<HangingSource>(host(), o); });
    addKpi({"hang.kpi", "", "Hanging KPI", ""}, [](std::int64_t) -> KpiValue {
      hang();
      return KpiValue::noData();
    });
  }
};

}  // namespace

GREENTWIN_PLUGIN(HangingPlugin)
