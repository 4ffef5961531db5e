#pragma once
// Comparing two times on a layer (issue 16 part 7; docs/workbench.md "Comparing two times"): for every feature of a
// layer, the change of a live attribute from time A to time B — the value at B minus the value at A, each the value
// a frame at that time shows and only when LIVE there by the stale rule (a feature without a LIVE value at either
// time has no change: never a stale value passed off as a change) — classified on a diverging ramp centred on zero
// and drawn as the layer's colours, with its legend.
//
// Update thread (the twin's). With a [history] the values come from the history: the clock is moved to A and to B in
// turn (the playback window loaded each time, as a render at that time waits for it) and put back; without one,
// from the values the twin holds in memory.

#include <chrono>
#include <string>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::runtime {

class Twin;

struct TimeChangeRequest {
  std::string layerId;
  std::string attribute;  // a live attribute ("load_kw")
  TimePoint a = kNoTime;  // from
  TimePoint b = kNoTime;  // to
  int classes = 7;        // 3..11, odd: the middle class holds "no change"
  std::string ramp = "blue_red";  // a diverging ramp (core/colour_ramps.hpp): falls blue, rises red
};

struct TimeChange {
  TimeChangeRequest request;
  std::vector<double> change;  // per slot of the layer; NaN: no LIVE value at A or at B
  std::size_t compared = 0;    // slots with a change
  std::size_t missingA = 0;    // slots without a LIVE value at A
  std::size_t missingB = 0;    // ...at B
  double largestRise = 0;      // the largest change up (0 when none rose)
  double largestFall = 0;      // the largest change down, negative (0 when none fell)
  double meanChange = 0;
  std::string largestRiseId;   // entity ids of those two ("" when none)
  std::string largestFallId;
  LayerStyleConfig style;      // the layer's style with the change's colour rule (breaks symmetric about zero)
};

// The name the change's colour rule colours by: "change of <attribute>".
std::string timeChangeAttribute(const std::string& attribute);

// Errors: no such layer or attribute (NotFound), a layer without features or not loaded, A == B, a class count or
// ramp out of range (InvalidArgument), no feature with a LIVE value at both times (NotFound, with the counts), the
// history window not loading within `timeout` (the clock is put back in every case).
Result<TimeChange> computeTimeChange(Twin& twin, const TimeChangeRequest& request,
                                     std::chrono::milliseconds timeout = std::chrono::seconds(60));

// Draws a computed change as the layer's colours (the caller keeps the layer's own style to put it back with
// Twin::restyleLayer or Layer::restyle). Errors: the layer is gone or refuses the style.
Status showTimeChange(Twin& twin, const TimeChange& change);

}  // namespace gt::runtime
