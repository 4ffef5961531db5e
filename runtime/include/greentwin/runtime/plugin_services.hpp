#pragma once
// What the twin offers to plugins through the plugin host (plugin_host.hpp): pushing samples, the clock, reading
// values, walking entities, and noting feed-health messages. The Twin implements it; a test can give its own.
// Each function says the thread it may be called from.

#include <cmath>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"
#include "greentwin/core/vec.hpp"

namespace gt::runtime {

class PluginServices {
 public:
  virtual ~PluginServices() = default;
  // Any thread: one sample into the twin's live update path. NotFound: unknown entity, or a new attribute name
  // (which the twin registers on its next frame).
  virtual Status pushUpdate(std::string_view entityId, std::string_view attribute, TimePoint t, double value) = 0;
  // Update thread.
  virtual TimePoint clockNow() const = 0;
  virtual std::optional<Sample> readValue(std::string_view entityId, std::string_view attribute) const = 0;
  struct EntityView {
    const std::string* id;
    const std::string* kind;
    const std::string* layer;
    Vec3d position;  // scene frame
    double lon, lat;
    std::uint32_t entity = 0;  // its EntityIndex: the handle plugins pass to readValues
  };
  // Calls visit for each entity of `kind` ("" any) registered by `layer` ("" any) until it returns false.
  virtual void forEachEntity(std::string_view kind, std::string_view layer,
                             const std::function<bool(const EntityView&)>& visit) const = 0;
  // Update thread: calls visit for each feature of layer `layer` (in its order) until it returns false. False: no
  // such layer, or it has no features (yet).
  virtual bool forEachFeature(std::string_view layer, const std::function<bool(const Feature&)>& visit) const {
    (void)layer;
    (void)visit;
    return false;
  }
  // Update thread: one attribute for many entities (handles = EntityIndex) at the frame's time; values[i] NaN and
  // sampleTimes[i] 0 where there is none. The spans have the same length.
  virtual void readValues(std::string_view attribute, std::span<const std::uint32_t> entities, std::span<double> values,
                          std::span<std::int64_t> sampleTimes) const {
    (void)attribute;
    (void)entities;
    for (double& v : values) v = std::nan("");
    for (std::int64_t& t : sampleTimes) t = 0;
  }

  // An alert a plugin raised (plugin_abi.h gt_alert), with the plugin as its source.
  struct AlertRaise {
    std::string source;  // the plugin's id
    std::string key;
    int severity = 1;  // 0 info, 1 warning, 2 critical (GT_ALERT_*)
    std::string entityId;
    std::string messageZh;
    std::string messageEn;
    TimePoint time = 0;
  };
  // Any thread: raise or update / clear an alert (the twin's alert log applies them on its next frame). Default:
  // Unsupported (a test's services).
  virtual Status raiseAlert(const AlertRaise& alert) {
    (void)alert;
    return Status(ErrorCode::Unsupported, "this host keeps no alerts");
  }
  virtual Status clearAlert(std::string_view source, std::string_view key, TimePoint t) {
    (void)source;
    (void)key;
    (void)t;
    return Status(ErrorCode::Unsupported, "this host keeps no alerts");
  }

  // Any thread: one message (a push_update, or one push_updates call of `updates` samples) from a plugin source,
  // for feed health (issue 4). `publisher` is PluginHost::feedPublisher(plugin, source), `sequence` the host's
  // count of that publisher's messages (1, 2, ...), `interval` how often the source is expected to push (0: not
  // known). Called in sequence order per publisher. Default: ignored (a test's services).
  virtual void recordFeed(std::string_view publisher, std::uint64_t sequence, Duration interval,
                          std::size_t updates) {
    (void)publisher;
    (void)sequence;
    (void)interval;
    (void)updates;
  }
};

}  // namespace gt::runtime
