#pragma once
// One wire-protocol message's updates from a feed: `count` entities from a cursor (round robin), each entity's
// attributes evaluated at a simulated time; values that are not finite are left out (a NaN would get the whole
// message rejected). Shared by the live publisher (publisher.hpp) and the recording writer (sweep_recorder.hpp), so
// both send the same messages. The caller sets the envelope.

#include <cstddef>
#include <optional>
#include <vector>

#include "greentwin/connectors/wire_protocol.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/sim/feeds.hpp"

namespace gt::sim {

// Fills m.updates (resized; reused elements keep their strings' capacity) with entities cursor, cursor + 1, ... of
// `feed` (wrapping; cursor is advanced), each stamped with `sampleTime` (absent: the envelope's source time). The
// feed must have been prepared for simTime. Returns the number of updates.
std::size_t fillUpdates(const Feed& feed, TimePoint simTime, std::size_t& cursor, std::size_t count,
                        std::optional<TimePoint> sampleTime, std::vector<double>& scratch, connectors::Message& m);

// Entities per message so that a message holds at most maxUpdates values (at least one entity).
std::size_t entitiesPerMessage(const Feed& feed, std::size_t maxUpdates);

}  // namespace gt::sim
