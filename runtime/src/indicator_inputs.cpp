#include "greentwin/runtime/indicator_inputs.hpp"

#include <algorithm>

#include "greentwin/runtime/plugin_host.hpp"

namespace gt::runtime {

std::string kpiPluginId(const std::string& kpiId) {
  const auto dot = kpiId.find('.');
  return dot == std::string::npos ? std::string() : kpiId.substr(0, dot);
}

std::vector<PublisherHealth> indicatorInputFeeds(const IndicatorRow& row, const std::vector<PublisherHealth>& all) {
  std::vector<PublisherHealth> out;
  if (row.kpiId.empty()) return out;
  for (const std::string& publisher : row.feeds) {
    const auto it = std::find_if(all.begin(), all.end(), [&](const PublisherHealth& h) { return h.publisher == publisher; });
    if (it != all.end()) {
      out.push_back(*it);
    } else {
      PublisherHealth unseen;
      unseen.publisher = publisher;
      out.push_back(unseen);
    }
  }
  const std::string plugin = kpiPluginId(row.kpiId);
  if (plugin.empty()) return out;
  // PluginHost::feedPublisher(plugin, source) = "plugin:<plugin>/<source>".
  const std::string prefix = PluginHost::feedPublisher(plugin, "");
  for (const PublisherHealth& h : all) {
    if (h.publisher.rfind(prefix, 0) == 0) out.push_back(h);
  }
  return out;
}

}  // namespace gt::runtime
