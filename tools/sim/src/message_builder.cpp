#include "greentwin/sim/message_builder.hpp"

#include <algorithm>
#include <cmath>

namespace gt::sim {

std::size_t fillUpdates(const Feed& feed, TimePoint simTime, std::size_t& cursor, std::size_t count,
                        std::optional<TimePoint> sampleTime, std::vector<double>& scratch, connectors::Message& m) {
  const auto& attributes = feed.attributes();
  scratch.resize(attributes.size());
  std::size_t n = 0;
  m.updates.resize(count * attributes.size());
  for (std::size_t k = 0; k < count && feed.size() > 0; ++k) {
    const std::size_t i = cursor;
    cursor = (i + 1) % feed.size();
    feed.evaluate(simTime, i, scratch);
    for (std::size_t a = 0; a < attributes.size(); ++a) {
      if (!std::isfinite(scratch[a])) continue;
      connectors::Update& u = m.updates[n++];
      u.entityId.assign(feed.entityId(i));
      u.attribute.assign(attributes[a].name);
      u.unit.assign(attributes[a].unit);
      u.value = scratch[a];
      u.time = sampleTime;
    }
  }
  m.updates.resize(n);
  return n;
}

std::size_t entitiesPerMessage(const Feed& feed, std::size_t maxUpdates) {
  return std::max<std::size_t>(1, maxUpdates / std::max<std::size_t>(1, feed.attributes().size()));
}

}  // namespace gt::sim
