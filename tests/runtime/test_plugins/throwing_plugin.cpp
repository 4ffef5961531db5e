// Test plugin "thrower" (C++ wrapper): its source's poll throws after `throw_after` frames, its KPI always throws.
// Destroyed, it writes "destroyed" to the file $GT_TEST_THROWER_DESTROYED names (when set): a disabled plugin is
// still destroyed when its host stops.
#include <greentwin/plugin.hpp>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <string>

namespace {

using namespace greentwin::plugin;

class ThrowingSource : public Source {
 public:
  ThrowingSource(Host host, const Options& options)
      : host_(host), entity_(options.string("entity")), throwAfter_(options.number("throw_after", 3)) {}
  void poll(std::int64_t /*clockNowUs*/) override {
    if (++polls_ > throwAfter_) throw std::runtime_error("sensor exploded");
    const auto now = std::chrono::duration_cast<std::chrono::microseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    host_.push(entity_, "thrower_value", now, polls_);
  }

 private:
  Host host_;
  std::string entity_;
  double throwAfter_;
  double polls_ = 0;
};

class ThrowingPlugin : public Plugin {
 public:
  explicit ThrowingPlugin(Host api) : Plugin(api, "thrower", "Throwing test plugin", "0.0.1") {
    addSourceType({"thrower.source", "", "Throwing source", true},
                  [this](const std::string&, const Options& o) { return std::make_unique<ThrowingSource>(host(), o); });
    addKpi({"thrower.kpi", "", "Throwing KPI", ""}, [](std::int64_t) -> KpiValue { throw std::runtime_error("kpi exploded"); });
  }
  ~ThrowingPlugin() override {
    if (const char* marker = std::getenv("GT_TEST_THROWER_DESTROYED")) std::ofstream(marker) << "destroyed";
  }
};

}  // namespace

GREENTWIN_PLUGIN(ThrowingPlugin)
