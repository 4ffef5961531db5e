#include "greentwin/connectors/feed_attributes.hpp"

#include <spdlog/spdlog.h>

#include <string>

#include "greentwin/connectors/audit_text.hpp"
#include "greentwin/core/log.hpp"

namespace gt::connectors {

std::shared_ptr<const ConfigSection> parseFeedsSection(const ConfigTable& t) {
  static constexpr std::string_view kKeys[]{"max_attribute_names", "max_attribute_name_bytes"};
  auto feeds = std::make_shared<FeedsConfig>();
  t.checkKeys(kKeys);
  t.readInt("max_attribute_names", feeds->maxAttributeNames, 1, 65'536);
  t.readInt("max_attribute_name_bytes", feeds->maxAttributeNameBytes, 1, 1024);
  return feeds;
}

std::size_t FeedAttributeGate::admit(AttributeRegistry& registry, std::span<const std::string> names,
                                     Clock::time_point now) {
  std::size_t registered = 0;
  for (const std::string& name : names) {
    if (registry.find(name)) continue;
    if (name.size() > static_cast<std::size_t>(limits_.maxAttributeNameBytes)) {
      refuse(name, "longer than " + std::to_string(limits_.maxAttributeNameBytes) +
                       " bytes ([feeds] max_attribute_name_bytes)", now);
      continue;
    }
    if (registry.size() >= static_cast<std::size_t>(limits_.maxAttributeNames)) {
      refuse(name, "the twin already holds " + std::to_string(registry.size()) + " attribute names ([feeds] " +
                       "max_attribute_names = " + std::to_string(limits_.maxAttributeNames) + ")", now);
      continue;
    }
    if (auto id = registry.intern(name); !id) {
      logger()->warn("feed attribute {}: {}", auditValue(name), id.status().message());
      continue;
    }
    ++registered;
  }
  return registered;
}

// One warning a minute at most: a publisher sending new names without end must not flood the log either.
void FeedAttributeGate::refuse(std::string_view name, const std::string& why, Clock::time_point now) {
  ++refused_;
  if (logged_ && now - lastLog_ < std::chrono::minutes(1)) {
    ++suppressed_;
    return;
  }
  logger()->warn("feed attribute {} not registered: {}; its updates are dropped as unknown attributes{}",
                 auditValue(name), why,
                 suppressed_ > 0 ? " (" + std::to_string(suppressed_) + " more refused in the last minute)" : "");
  logged_ = true;
  lastLog_ = now;
  suppressed_ = 0;
}

}  // namespace gt::connectors
