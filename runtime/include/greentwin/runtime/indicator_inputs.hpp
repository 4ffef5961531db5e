#pragma once
// The live feeds an indicator's value comes from, with their health (issue 13: "clicking an indicator shows its
// method, its inputs and their feed health"): the publishers the catalog names for it (`feeds`, the raw feeds its
// plugin reads) and the sources of the plugin that computes its KPI (publishers "plugin:<plugin id>/<source id>",
// what the plugin derives from them). A reported indicator has none. Plain values: any thread.

#include <vector>

#include "greentwin/core/feed_health.hpp"
#include "greentwin/runtime/indicator_board.hpp"

namespace gt::runtime {

// The KPI's plugin: the part of its id before the first '.' ("energy.co2_per_person" -> "energy"); "" for none.
std::string kpiPluginId(const std::string& kpiId);

// From `all` (Twin::feedHealth()): the catalog's feeds in their order (one never heard of reads NEVER_SEEN), then the
// plugin's sources by publisher id. Empty for a reported indicator.
std::vector<PublisherHealth> indicatorInputFeeds(const IndicatorRow& row, const std::vector<PublisherHealth>& all);

}  // namespace gt::runtime
