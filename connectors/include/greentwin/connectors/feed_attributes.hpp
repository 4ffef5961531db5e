#pragma once
// The [feeds] section and the cap on attribute names that live feeds add to the twin (issue 15). Attribute names are
// schema, so a name a publisher uses that the twin does not know is registered by the update thread (its first
// samples are dropped as unknown); without a cap, a publisher could register names without end, each one rebuilding
// the directory and history name tables. FeedAttributeGate registers within the limits and refuses the rest:
// their updates keep being dropped and counted as unknown attributes (the ingest's unknownAttributes), and a warning
// names the refused name once a minute with the number refused since.
//
// Threads: FeedAttributeGate is used by the update thread only (it interns into the EntityStore's registry).

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"

namespace gt::connectors {

inline constexpr std::string_view kFeedsSection = "feeds";

struct FeedsConfig : ConfigSection {
  // The most attribute names the twin holds (those of its layers and data included) for feeds to add to; a feed's new
  // name beyond it is refused.
  int maxAttributeNames = 1024;
  // The longest attribute name a feed may add, in bytes (UTF-8).
  int maxAttributeNameBytes = 64;
};

// Reads [feeds]: checks its keys and ranges (errors name the key and line).
std::shared_ptr<const ConfigSection> parseFeedsSection(const ConfigTable& section);

// The config's [feeds] (the defaults when it has none).
inline const FeedsConfig& feedsConfig(const Config& config) { return configSection<FeedsConfig>(config, kFeedsSection); }

class FeedAttributeGate {
 public:
  using Clock = std::chrono::steady_clock;
  explicit FeedAttributeGate(FeedsConfig limits = {}) : limits_(std::move(limits)) {}

  void setLimits(const FeedsConfig& limits) { limits_ = limits; }
  const FeedsConfig& limits() const { return limits_; }

  // Update thread: registers each of `names` (unknown attribute names a feed used) in `registry` while the registry
  // holds fewer than maxAttributeNames and the name is at most maxAttributeNameBytes; refuses (counts, logs) the
  // others. A name the registry already has is left as it is. Returns how many names were registered.
  std::size_t admit(AttributeRegistry& registry, std::span<const std::string> names, Clock::time_point now = Clock::now());

  std::uint64_t refusedNames() const { return refused_; }  // refusals so far (a name refused again counts again)

 private:
  void refuse(std::string_view name, const std::string& why, Clock::time_point now);

  FeedsConfig limits_;
  std::uint64_t refused_ = 0;
  std::uint64_t suppressed_ = 0;  // refusals not logged since the last line
  bool logged_ = false;
  Clock::time_point lastLog_{};
};

}  // namespace gt::connectors
