// The host API table (gt_host_api of plugin_abi.h): the C functions a plugin calls on its host, each with the
// plugin's context (gt_host). None throws; the thread rules of plugin_abi.h are enforced here.
//
// Threads: log, set_error, fail, push_update and push_updates may be called from any thread (plugin threads
// included): they touch the Record only under its errorMu / feedMu or through its atomics, and the services'
// thread-safe calls. clock_now, read_value, enumerate_entities and get_setting are for the update thread only
// (GT_ERR_WRONG_THREAD, or 0 for clock_now, elsewhere), as are enumerate_features and read_values; raise_alert and
// clear_alert may be called from any thread (the services queue them for the update thread).

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "plugin_host_internal.hpp"

namespace gt::runtime {

namespace {

using detail::str;

PluginHost::Record& rec(gt_host* h) { return *h->record; }

void apiLog(gt_host* h, std::int32_t level, const char* message) {
  if (h == nullptr) return;
  try {
    const std::string& id = rec(h).info.id;
    const char* m = message != nullptr ? message : "";
    if (level >= GT_LOG_WARN) {
      std::lock_guard lock(rec(h).errorMu);
      auto& warnings = rec(h).warnings;
      if (!warnings.empty() && warnings.back().message == m && warnings.back().error == (level >= GT_LOG_ERROR)) {
        ++warnings.back().repeats;
      } else {
        warnings.push_back({m, level >= GT_LOG_ERROR, 1});
        if (warnings.size() > PluginHost::Record::kMaxWarnings) warnings.erase(warnings.begin());
      }
    }
    switch (level) {
      case GT_LOG_DEBUG: spdlog::debug("plugin '{}': {}", id, m); break;
      case GT_LOG_INFO: spdlog::info("plugin '{}': {}", id, m); break;
      case GT_LOG_WARN: spdlog::warn("plugin '{}': {}", id, m); break;
      default: spdlog::error("plugin '{}': {}", id, m); break;
    }
  } catch (...) {  // a logging failure must not reach the plugin
  }
}

void apiSetError(gt_host* h, const char* message) {
  if (h == nullptr) return;
  try {
    std::lock_guard lock(rec(h).errorMu);
    rec(h).lastError = str(message);
  } catch (...) {
  }
}

void apiFail(gt_host* h, const char* message) {
  if (h == nullptr) return;
  try {
    {
      std::lock_guard lock(rec(h).errorMu);
      if (rec(h).failMessage.empty()) rec(h).failMessage = message != nullptr && *message ? message : "reported a failure";
    }
    rec(h).failed.store(true, std::memory_order_release);
  } catch (...) {
  }
}

// The feed a push is attributed to, as PluginHost::sourceFeeds() describes. Under r.feedMu.
PluginHost::SourceFeed* pushFeed(PluginHost::Record& r) {
  if (PluginHost::SourceFeed* own = detail::callbackFeed(r)) return own;  // inside one of its sources' callbacks
  if (r.feeds.size() == 1) return r.feeds.front().get();
  if (!r.onUpdateThread() &&
      std::count_if(r.feeds.begin(), r.feeds.end(), [](const auto& f) { return !f->polled; }) == 1) {
    // From a plugin thread: the one source that runs its own thread.
    return std::find_if(r.feeds.begin(), r.feeds.end(), [](const auto& f) { return !f->polled; })->get();
  }
  if (!r.pluginFeed) {
    r.pluginFeed = std::make_shared<PluginHost::SourceFeed>();
    r.pluginFeed->publisher = "plugin:" + r.info.id;
  }
  return r.pluginFeed.get();
}

// One message for feed health. Any thread; never throws.
void recordPush(gt_host* h, std::size_t updates) {
  if (updates == 0) return;
  PluginHost::Record& r = rec(h);
  try {
    std::lock_guard lock(r.feedMu);
    PluginHost::SourceFeed* feed = pushFeed(r);
    h->services->recordFeed(feed->publisher, ++feed->sequence, feed->interval.load(std::memory_order_relaxed),
                            updates);
  } catch (...) {  // feed health must not reach the plugin
  }
}

gt_status pushOne(gt_host* h, const char* entity, const char* attribute, std::int64_t time, double value) {
  if (h == nullptr || entity == nullptr || attribute == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).active.load(std::memory_order_acquire)) return GT_ERR_DISABLED;
  try {
    const Status s = h->services->pushUpdate(entity, attribute, time, value);
    if (s.isOk()) return GT_OK;
    return s.code() == ErrorCode::NotFound ? GT_ERR_NOT_FOUND : GT_ERR_FAILED;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

// A message counts for feed health when it reached the twin's push path (like a wire message that decoded), also
// when its entity is unknown: the source is alive.
bool reachedTwin(gt_status s) { return s == GT_OK || s == GT_ERR_NOT_FOUND || s == GT_ERR_FAILED; }

gt_status apiPushUpdate(gt_host* h, const char* entity, const char* attribute, std::int64_t time, double value) {
  const gt_status s = pushOne(h, entity, attribute, time, value);
  if (reachedTwin(s)) recordPush(h, 1);
  return s;
}

gt_status apiPushUpdates(gt_host* h, const gt_update* const* updates, std::uint32_t count, std::uint32_t* accepted) {
  std::uint32_t ok = 0;
  std::size_t reached = 0;
  gt_status result = GT_OK;
  for (std::uint32_t i = 0; i < count; ++i) {
    const gt_update* u = updates != nullptr ? updates[i] : nullptr;
    if (u == nullptr || u->struct_size < sizeof(gt_update)) {
      result = GT_ERR_INVALID_ARGUMENT;
      continue;
    }
    const gt_status s = pushOne(h, u->entity_id, u->attribute, u->time_us, u->value);
    reached += reachedTwin(s) ? 1 : 0;
    if (s == GT_OK) {
      ++ok;
    } else if (result == GT_OK) {
      result = s;
    }
    if (s == GT_ERR_DISABLED) break;
  }
  if (h != nullptr) recordPush(h, reached);  // one message per call
  if (accepted != nullptr) *accepted = ok;
  return result;
}

std::int64_t apiClockNow(gt_host* h) {
  if (h == nullptr || !rec(h).onUpdateThread()) return 0;
  return h->services->clockNow();
}

gt_status apiReadValue(gt_host* h, const char* entity, const char* attribute, double* value, std::int64_t* sampleTime) {
  if (h == nullptr || entity == nullptr || attribute == nullptr || value == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  try {
    const auto sample = h->services->readValue(entity, attribute);
    if (!sample) return GT_ERR_NO_DATA;
    *value = sample->value;
    if (sampleTime != nullptr) *sampleTime = sample->sampleTime;
    return GT_OK;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

gt_status apiEnumerate(gt_host* h, const char* kind, const char* layer, gt_entity_visitor visit, void* user) {
  if (h == nullptr || visit == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  try {
    h->services->forEachEntity(kind != nullptr ? kind : "", layer != nullptr ? layer : "",
                               [&](const PluginServices::EntityView& e) {
                                 gt_entity_info info{};
                                 info.struct_size = sizeof info;
                                 info.id = e.id->c_str();
                                 info.kind = e.kind->c_str();
                                 info.layer = e.layer->c_str();
                                 info.x = e.position.x;
                                 info.y = e.position.y;
                                 info.z = e.position.z;
                                 info.lon = e.lon;
                                 info.lat = e.lat;
                                 info.entity = e.entity;
                                 return visit(user, &info) == 0;
                               });
    return GT_OK;
  } catch (...) {  // the visitor is plugin code; a C++ plugin without the wrapper might throw
    apiSetError(h, "exception inside enumerate_entities");
    return GT_ERR_EXCEPTION;
  }
}

gt_status apiGetSetting(gt_host* h, const char* key, gt_setting_value* out) {
  if (h == nullptr || key == nullptr || out == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  for (const PluginSetting& s : rec(h).settings) {
    if (s.key != key) continue;
    const std::uint32_t size = out->struct_size;
    gt_setting_value v{};
    v.struct_size = std::min<std::uint32_t>(size, sizeof v);
    v.type = static_cast<std::int32_t>(s.type);
    v.bool_value = s.boolValue ? 1 : 0;
    v.int_value = s.intValue;
    v.double_value = s.doubleValue;
    v.string_value = s.text.c_str();
    std::memcpy(static_cast<void*>(out), &v, v.struct_size);
    return GT_OK;
  }
  return GT_ERR_NOT_FOUND;
}

// A feature as the C ABI hands it to a plugin (gt_feature): its attributes as text and its geometry as flat x, y
// runs. One per enumeration, its buffers reused from feature to feature.
class FeatureMarshal {
 public:
  const gt_feature& operator()(const Feature& f, const PropertyMap& properties, const char* layer) {
    attributeText_.clear();
    for (const auto& [key, value] : properties) {
      if (std::holds_alternative<std::monostate>(value)) continue;
      attributeText_.emplace_back(key, formatPropertyValue(value));
    }
    keyValues_.resize(attributeText_.size());
    attributePointers_.resize(attributeText_.size());
    for (std::size_t i = 0; i < attributeText_.size(); ++i) {
      keyValues_[i] = gt_key_value{sizeof(gt_key_value), attributeText_[i].first.c_str(), attributeText_[i].second.c_str()};
      attributePointers_[i] = &keyValues_[i];
    }
    points_.clear();
    for (const Vec3d& p : f.geometry.points) append(points_, p);
    lineXy_.clear();
    lineStarts_.assign(1, 0);
    for (const auto& line : f.geometry.lines) {
      for (const Vec3d& p : line) append(lineXy_, p);
      lineStarts_.push_back(static_cast<std::uint32_t>(lineXy_.size() / 2));
    }
    ringXy_.clear();
    ringStarts_.assign(1, 0);
    polygonStarts_.assign(1, 0);
    for (const Polygon& polygon : f.geometry.polygons) {
      for (const auto& ring : polygon.rings) {
        for (const Vec3d& p : ring) append(ringXy_, p);
        ringStarts_.push_back(static_cast<std::uint32_t>(ringXy_.size() / 2));
      }
      polygonStarts_.push_back(static_cast<std::uint32_t>(ringStarts_.size() - 1));
    }
    out_ = gt_feature{};
    out_.struct_size = sizeof out_;
    out_.id = f.id.c_str();
    out_.layer = layer;
    out_.entity = f.entity;
    out_.attributes = attributePointers_.data();
    out_.attribute_count = static_cast<std::uint32_t>(attributePointers_.size());
    out_.points_xy = points_.data();
    out_.point_count = static_cast<std::uint32_t>(points_.size() / 2);
    out_.line_xy = lineXy_.data();
    out_.line_starts = lineStarts_.data();
    out_.line_count = static_cast<std::uint32_t>(lineStarts_.size() - 1);
    out_.ring_xy = ringXy_.data();
    out_.ring_starts = ringStarts_.data();
    out_.ring_count = static_cast<std::uint32_t>(ringStarts_.size() - 1);
    out_.polygon_starts = polygonStarts_.data();
    out_.polygon_count = static_cast<std::uint32_t>(polygonStarts_.size() - 1);
    return out_;
  }

 private:
  static void append(std::vector<double>& xy, const Vec3d& p) {
    xy.push_back(p.x);
    xy.push_back(p.y);
  }

  std::vector<std::pair<std::string, std::string>> attributeText_;
  std::vector<gt_key_value> keyValues_;
  std::vector<const gt_key_value*> attributePointers_;
  std::vector<double> points_, lineXy_, ringXy_;
  std::vector<std::uint32_t> lineStarts_, ringStarts_, polygonStarts_;
  gt_feature out_{};
};

gt_status apiEnumerateFeatures(gt_host* h, const char* layer, gt_feature_visitor visit, void* user) {
  if (h == nullptr || layer == nullptr || visit == nullptr) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  try {
    FeatureMarshal marshal;
    const bool found = h->services->forEachFeature(
        layer, [&](const Feature& f, const PropertyMap& properties) { return visit(user, &marshal(f, properties, layer)) == 0; });
    return found ? GT_OK : GT_ERR_NOT_FOUND;
  } catch (...) {  // the visitor is plugin code
    apiSetError(h, "exception inside enumerate_features");
    return GT_ERR_EXCEPTION;
  }
}

gt_status apiReadValues(gt_host* h, const char* attribute, const std::uint32_t* entities, std::uint32_t count,
                        double* values, std::int64_t* sampleTimes) {
  if (h == nullptr || attribute == nullptr || (count > 0 && (entities == nullptr || values == nullptr))) {
    return GT_ERR_INVALID_ARGUMENT;
  }
  if (!rec(h).onUpdateThread()) return GT_ERR_WRONG_THREAD;
  try {
    std::vector<std::int64_t> times;
    std::span<std::int64_t> timeSpan;
    if (sampleTimes != nullptr) {
      timeSpan = std::span<std::int64_t>(sampleTimes, count);
    } else {
      times.resize(count);
      timeSpan = times;
    }
    h->services->readValues(attribute, std::span<const std::uint32_t>(entities, count), std::span<double>(values, count),
                            timeSpan);
    return GT_OK;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

gt_status apiRaiseAlert(gt_host* h, const gt_alert* alert) {
  if (h == nullptr || alert == nullptr || alert->struct_size < sizeof(gt_alert)) return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).active.load(std::memory_order_acquire)) return GT_ERR_DISABLED;
  if (alert->key == nullptr || *alert->key == '\0') {
    apiSetError(h, "raise_alert: an alert needs a key");
    return GT_ERR_INVALID_ARGUMENT;
  }
  const std::optional<AlertSeverity> severity = alertSeverityFromInt(alert->severity);  // GT_ALERT_* numbering
  if (!severity) {
    apiSetError(h, ("raise_alert: unknown severity " + std::to_string(alert->severity)).c_str());
    return GT_ERR_INVALID_ARGUMENT;
  }
  try {
    AlertRaise a;
    a.source = rec(h).info.id;
    a.key = alert->key;
    a.severity = *severity;
    a.entityId = str(alert->entity_id);
    a.messageZh = str(alert->message_zh);
    a.messageEn = str(alert->message_en);
    a.timeUs = alert->time_us;
    const Status s = h->services->raiseAlert(a);
    if (s.isOk()) return GT_OK;
    apiSetError(h, s.message().c_str());
    return s.code() == ErrorCode::InvalidArgument ? GT_ERR_INVALID_ARGUMENT : GT_ERR_FAILED;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

gt_status apiClearAlert(gt_host* h, const char* key, std::int64_t time) {
  if (h == nullptr || key == nullptr || *key == '\0') return GT_ERR_INVALID_ARGUMENT;
  if (!rec(h).active.load(std::memory_order_acquire)) return GT_ERR_DISABLED;
  try {
    const Status s = h->services->clearAlert(rec(h).info.id, key, time);
    return s.isOk() ? GT_OK : GT_ERR_FAILED;
  } catch (...) {
    return GT_ERR_FAILED;
  }
}

}  // namespace

namespace detail {

gt_host_api hostApiTable(gt_host* host) {
  gt_host_api api{};
  api.struct_size = sizeof(gt_host_api);
  api.abi_version = PluginHost::abiVersion();
  api.host = host;
  api.log = apiLog;
  api.set_error = apiSetError;
  api.fail = apiFail;
  api.push_update = apiPushUpdate;
  api.push_updates = apiPushUpdates;
  api.clock_now = apiClockNow;
  api.read_value = apiReadValue;
  api.enumerate_entities = apiEnumerate;
  api.get_setting = apiGetSetting;
  api.enumerate_features = apiEnumerateFeatures;
  api.read_values = apiReadValues;
  api.raise_alert = apiRaiseAlert;
  api.clear_alert = apiClearAlert;
  return api;
}

}  // namespace detail

}  // namespace gt::runtime
