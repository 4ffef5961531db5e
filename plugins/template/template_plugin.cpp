// The template plugin: one source type, "template.sine", that publishes a sine wave into one entity attribute,
// one KPI reading it back, and two settings. Copy this folder to start a plugin (docs/plugins.md).
//
// Config that runs it:
//   [plugins]
//   folders = ["<folder with libgreentwin_template.so and its manifest>"]
//   enabled = ["template"]
//   [plugins.template]
//   amplitude = 20.0
//   [[sources]]
//   id = "wave"
//   type = "template.sine"
//   entity = "station/aq-01"   # an entity of the twin
//   attribute = "sine"         # default "sine"
//   period_s = 60              # default 60
#include <greentwin/plugin.hpp>

#include <chrono>
#include <cmath>
#include <memory>
#include <string>

namespace {

using namespace greentwin::plugin;

constexpr double kPi = 3.14159265358979323846;

std::int64_t wallNowUs() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A polled source: poll() runs on the host's update thread once per frame; it publishes at most every
// interval_s seconds, stamped with the wall clock (a live reading).
class SineSource : public Source {
 public:
  SineSource(Host host, const Options& options)
      : host_(host),
        entity_(options.string("entity")),
        attribute_(options.string("attribute", "sine")),
        periodS_(options.number("period_s", 60.0)),
        intervalS_(options.number("interval_s", 1.0)) {
    if (entity_.empty()) throw InvalidArgument("template.sine needs an 'entity' option");
    if (!(periodS_ > 0)) throw InvalidArgument("template.sine: period_s must be > 0");
  }

  void start() override { host_.info("sine source for " + entity_ + "." + attribute_ + " started"); }

  void poll(std::int64_t /*clockNowUs*/) override {
    const std::int64_t now = wallNowUs();
    if (now - lastPushUs_ < static_cast<std::int64_t>(intervalS_ * 1e6)) return;
    const double amplitude = host_.settingDouble("amplitude");
    const double offset = host_.settingDouble("offset");
    const double value = offset + amplitude * std::sin(2.0 * kPi * static_cast<double>(now) / 1e6 / periodS_);
    // false while the host registers a new attribute name (the first frame); then every sample arrives.
    if (host_.push(entity_, attribute_, now, value)) lastPushUs_ = now;
  }

 private:
  Host host_;
  std::string entity_;
  std::string attribute_;
  double periodS_;
  double intervalS_;
  std::int64_t lastPushUs_ = 0;
};

class TemplatePlugin : public Plugin {
 public:
  explicit TemplatePlugin(Host api) : Plugin(api, "template", "Template: sine source", "0.1.0") {
    addSetting({"amplitude", SettingType::Double, "10", 0.0, 1000.0, {}, "振幅", "Amplitude", "正弦波的振幅",
                "Amplitude of the sine wave"});
    addSetting({"offset", SettingType::Double, "50", -1000.0, 1000.0, {}, "偏移", "Offset", "", ""});
    addSourceType({"template.sine", "正弦波", "Sine wave", /*polled=*/true},
                  [this](const std::string& /*sourceId*/, const Options& options) {
                    lastEntity_ = options.string("entity");
                    lastAttribute_ = options.string("attribute", "sine");
                    return std::make_unique<SineSource>(this->host(), options);
                  });
    addKpi({"template.current_value", "当前值", "Current value", ""}, [this](std::int64_t /*timeUs*/) {
      if (lastEntity_.empty()) return KpiValue::noData();
      const auto reading = host().read(lastEntity_, lastAttribute_);
      return reading ? KpiValue{reading->value, GT_KPI_OK} : KpiValue::noData();
    });
  }

 private:
  std::string lastEntity_;     // the KPI reads what the last created source writes
  std::string lastAttribute_;
};

}  // namespace

GREENTWIN_PLUGIN(TemplatePlugin)
