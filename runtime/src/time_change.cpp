// Comparing two times on a layer (time_change.hpp).

#include "greentwin/runtime/time_change.hpp"

#include <cmath>
#include <cstdio>
#include <limits>

#include "greentwin/core/colour_ramps.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::runtime {
namespace {

// Puts the clock back as it was when made (update thread).
class ClockRestorer {
 public:
  explicit ClockRestorer(Clock& clock)
      : clock_(clock), mode_(clock.mode()), now_(clock.now()), rate_(clock.rate()), range_(clock.range()),
        followsNow_(clock.rangeFollowsNow()) {}
  ~ClockRestorer() {
    if (mode_ == ClockMode::Live) {
      clock_.goLive();
      return;
    }
    (void)(followsNow_ ? clock_.setRangeFollowingNow(range_.begin) : clock_.setRange(range_.begin, range_.end));
    clock_.pause();
    clock_.seek(now_);
    (void)clock_.setRate(rate_);
    if (mode_ == ClockMode::Playback) clock_.play();
  }
  ClockRestorer(const ClockRestorer&) = delete;
  ClockRestorer& operator=(const ClockRestorer&) = delete;

 private:
  Clock& clock_;
  ClockMode mode_;
  TimePoint now_;
  double rate_;
  TimeRange range_;
  bool followsNow_;
};

// The clock paused at t (the range widened to hold it), and what a frame at t needs loaded.
Status moveClockTo(Twin& twin, TimePoint t, std::chrono::milliseconds timeout) {
  Clock& clock = twin.clock();
  const TimeRange range = clock.range();
  if (!range.contains(t)) {
    if (Status s = clock.setRange(std::min(range.begin, t), std::max(range.end, t)); !s) return s;
  }
  clock.pause();
  clock.seek(t);
  if (Status s = twin.waitForValues(timeout); !s) return s;
  twin.beginFrame();
  return Status::ok();
}

// The LIVE value of each slot's entity at t (NaN: none).
std::vector<double> liveValuesAt(const Twin& twin, const layers::Layer& layer, AttributeId attribute, TimePoint t) {
  std::vector<double> out(layer.slotCount(), std::numeric_limits<double>::quiet_NaN());
  for (std::uint32_t s = 0; s < out.size(); ++s) {
    const EntityIndex e = layer.entityOfSlot(s);
    if (e == kInvalidEntity) continue;
    const JudgedValue v = twin.liveValue(e, attribute, t);
    if (v.state == ValueState::Live) out[s] = v.value;
  }
  return out;
}

std::string number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

std::string timeChangeAttribute(const std::string& attribute) { return "change of " + attribute; }

Result<TimeChange> computeTimeChange(Twin& twin, const TimeChangeRequest& request, std::chrono::milliseconds timeout) {
  layers::Layer* layer = twin.findLayer(request.layerId);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + request.layerId + "'");
  if (layer->state() != layers::LayerState::Open || layer->slotCount() == 0) {
    return Status(ErrorCode::InvalidArgument, "layer '" + request.layerId + "' has no loaded features to compare");
  }
  const auto attribute = twin.entities().attributes().find(request.attribute);
  if (!attribute) {
    return Status(ErrorCode::NotFound, "no live attribute '" + request.attribute + "': nothing has sent values of it");
  }
  if (request.a == kNoTime || request.b == kNoTime || request.a == request.b) {
    return Status(ErrorCode::InvalidArgument, "comparing times needs two different times");
  }
  if (request.classes < 3 || request.classes > 11 || request.classes % 2 == 0) {
    return Status(ErrorCode::InvalidArgument, "the change is shown in an odd number of classes, 3..11, not " +
                                                  std::to_string(request.classes));
  }
  auto ramp = findColourRamp(request.ramp);
  if (!ramp) return ramp.status();

  std::vector<double> atA;
  std::vector<double> atB;
  if (twin.historyStatus().enabled) {  // each time as a frame at that time reads it, from the history
    ClockRestorer restore(twin.clock());
    if (Status s = moveClockTo(twin, request.a, timeout); !s) return s;
    atA = liveValuesAt(twin, *layer, *attribute, request.a);
    if (Status s = moveClockTo(twin, request.b, timeout); !s) return s;
    atB = liveValuesAt(twin, *layer, *attribute, request.b);
  } else {
    atA = liveValuesAt(twin, *layer, *attribute, request.a);
    atB = liveValuesAt(twin, *layer, *attribute, request.b);
  }

  TimeChange out;
  out.request = request;
  out.change.assign(atA.size(), std::numeric_limits<double>::quiet_NaN());
  double sum = 0;
  for (std::size_t s = 0; s < atA.size(); ++s) {
    if (std::isnan(atA[s])) ++out.missingA;
    if (std::isnan(atB[s])) ++out.missingB;
    if (std::isnan(atA[s]) || std::isnan(atB[s])) continue;
    const double d = atB[s] - atA[s];
    out.change[s] = d;
    ++out.compared;
    sum += d;
    const Entity* e = twin.entities().get(layer->entityOfSlot(static_cast<std::uint32_t>(s)));
    if (d > out.largestRise) {
      out.largestRise = d;
      out.largestRiseId = e != nullptr ? e->id : "";
    }
    if (d < out.largestFall) {
      out.largestFall = d;
      out.largestFallId = e != nullptr ? e->id : "";
    }
  }
  if (out.compared == 0) {
    return Status(ErrorCode::NotFound, "no feature of layer '" + request.layerId + "' has a LIVE '" +
                                           request.attribute + "' at both times (" + std::to_string(out.missingA) +
                                           " without one at A, " + std::to_string(out.missingB) + " at B)");
  }
  out.meanChange = sum / static_cast<double>(out.compared);

  // Classes of equal width over [-M, M], M the largest change either way: the middle class straddles zero, so
  // "no change" takes the ramp's light middle whatever the data; rises and falls of equal size get mirrored colours.
  double m = std::max(out.largestRise, -out.largestFall);
  if (m <= 0) m = 1;  // nothing changed: any symmetric classes show it in the middle colour
  const int k = request.classes;
  out.style = layer->config().style;
  out.style.classifier.clear();
  out.style.colorMode = "graduated";
  out.style.colorBy = timeChangeAttribute(request.attribute);
  out.style.categories.clear();
  out.style.categoryNamesZh.clear();
  out.style.breaks.clear();
  for (int i = 1; i < k; ++i) out.style.breaks.push_back(-m + 2 * m * i / k);
  out.style.colors = rampColours(*ramp, static_cast<std::size_t>(k));
  out.style.classNamesEn.clear();
  out.style.classNamesZh.clear();
  for (int i = 0; i < k; ++i) {
    const double lo = -m + 2 * m * i / k;
    const double hi = -m + 2 * m * (i + 1) / k;
    const std::string range = number(lo) + " – " + number(hi);
    out.style.classNamesEn.push_back(i == k / 2 ? "about no change (" + range + ")" : range);
    out.style.classNamesZh.push_back(i == k / 2 ? "基本无变化 (" + range + ")" : range);
  }
  return out;
}

Status showTimeChange(Twin& twin, const TimeChange& change) {
  layers::Layer* layer = twin.findLayer(change.request.layerId);
  if (layer == nullptr) return Status(ErrorCode::NotFound, "no layer '" + change.request.layerId + "'");
  if (layer->slotCount() != change.change.size()) {
    return Status(ErrorCode::InvalidArgument, "layer '" + change.request.layerId + "' changed since it was compared");
  }
  // Each slot's change as the one property its colour rule reads.
  auto values = std::make_shared<std::vector<PropertyMap>>(change.change.size());
  const std::string key = timeChangeAttribute(change.request.attribute);
  for (std::size_t s = 0; s < change.change.size(); ++s) {
    if (!std::isnan(change.change[s])) (*values)[s][key] = change.change[s];
  }
  return layer->restyle(change.style, [values](std::uint32_t slot) -> const PropertyMap* {
    return slot < values->size() ? &(*values)[slot] : nullptr;
  });
}

}  // namespace gt::runtime
