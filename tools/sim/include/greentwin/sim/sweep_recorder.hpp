#pragma once
// Sweeps of the simulator written straight to a feed recording (docs/record-replay.md) instead of a socket: every
// entity of every feed at start, start + interval, ... (`sweeps` times), each message stamped with its simulated
// time and received 0.1 s later, one publisher id and sequence per domain as live. What `greentwin-sim --record`
// writes: a reproducible scene of the whole city at a chosen moment, for `greentwin render --replay` and goldens.
// Calling thread only.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/sim/feeds.hpp"

namespace gt::sim {

struct SweepRecordOptions {
  std::string path;                  // the recording to create (truncated)
  TimePoint start = 0;               // simulated time of the first sweep
  int sweeps = 2;                    // >= 1
  double intervalS = 15.0;           // simulated seconds between sweeps, also the declared interval
  bool binary = true;                // payload encoding
  std::string publisherId = "greentwin-sim";
  std::size_t maxUpdatesPerMessage = 4000;
};

struct SweepRecordStats {
  std::uint64_t updates = 0;
  std::uint64_t messages = 0;
  std::uint64_t bytes = 0;  // of the recording file
};

// Errors: bad options (InvalidArgument), a file that cannot be written (IoError naming it), an encoding failure.
Result<SweepRecordStats> recordSweeps(const std::vector<std::unique_ptr<Feed>>& feeds, const SweepRecordOptions& options);

}  // namespace gt::sim
