#include "link_levels.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::traffic {
namespace {

using namespace greentwin::plugin;

double polylineLength(const std::vector<std::vector<XY>>& lines) {
  double length = 0;
  for (const auto& line : lines) {
    for (std::size_t i = 1; i < line.size(); ++i) length += std::hypot(line[i].x - line[i - 1].x, line[i].y - line[i - 1].y);
  }
  return length;
}

// Layers load in the background: a layer without features is only reported missing after this long.
constexpr auto kLayerGrace = std::chrono::seconds(10);
// A link whose level the host refused this many times (an unknown entity) is given up, with a warning.
constexpr int kMaxRefusals = 5;

}  // namespace

void LinkLevels::configure(const LinkSettings& settings) {
  const bool layerChanged = settings.layer != settings_.layer;
  settings_ = settings;
  settings_.linksPerFrame = std::max<std::size_t>(1, settings_.linksPerFrame);
  if (layerChanged) {
    links_.clear();
    refreshedAt_ = {};
    firstTry_ = {};
    cursor_ = 0;
  }
  for (Link& l : links_) l.pending = true;
}

std::vector<LinkLevels::Link>& LinkLevels::links() {
  if (!links_.empty()) return links_;
  const auto now = std::chrono::steady_clock::now();
  if (refreshedAt_ != std::chrono::steady_clock::time_point{} && now - refreshedAt_ < std::chrono::seconds(2)) {
    return links_;
  }
  refreshedAt_ = now;
  if (firstTry_ == std::chrono::steady_clock::time_point{}) firstTry_ = now;
  if (host_.hasFeatures()) {
    for (const Feature& f : host_.features(settings_.layer)) {
      Link l;
      l.id = f.id;
      l.entity = f.entity;
      l.lengthM = polylineLength(f.lines);
      if (const auto c = f.text("class")) l.roadClass = roadClassOf(*c);
      l.staticFreeKmh = f.number(kSpeedAttribute).value_or(0.0);
      links_.push_back(std::move(l));
    }
  } else {
    // An older host: entities only (no lengths, no classes, and no bulk reads either: poll says so).
    warnings_.warn("no_features", "this host gives no layer features: links weigh equally in the network index and "
                                  "are graded by speed / free-flow speed only");
    for (const EntityInfo& e : host_.entities("", settings_.layer)) {
      Link l;
      l.id = e.id;
      l.entity = e.entity;
      l.lengthM = 1.0;
      links_.push_back(std::move(l));
    }
  }
  if (links_.empty()) {
    if (now - firstTry_ >= kLayerGrace) {
      warnings_.warn("missing_layer/" + settings_.layer,
                     "road layer '" + settings_.layer + "' has no features (missing from the config, or empty): no "
                     "congestion levels and no network index");
    }
    return links_;
  }
  warnings_.forget("missing_layer/");
  host_.info("traffic: " + std::to_string(links_.size()) + " road links in layer '" + settings_.layer + "'");
  if (settings_.grading == Grading::ClassSpeed) {
    const auto noClass = std::count_if(links_.begin(), links_.end(), [](const Link& l) { return !l.roadClass; });
    if (noClass > 0) {
      warnings_.warn("no_class", std::to_string(noClass) + " road links have no known `class` (expressway, arterial, "
                                                          "secondary, local): graded by speed / free-flow speed");
    }
  }
  return links_;
}

std::optional<int> LinkLevels::level(const Link& link, double speed, double freeSpeed) {
  if (!std::isfinite(speed) || speed < 0) {
    warnings_.warn("bad_speed", "road link '" + link.id + "' has a speed that is not a number >= 0 (" +
                                    std::to_string(speed) + "): no level (further such links are not reported)");
    return std::nullopt;
  }
  if (settings_.grading == Grading::ClassSpeed && link.roadClass) return levelBySpeedLimits(*link.roadClass, speed);
  const double free = freeSpeedOf(link, freeSpeed);
  if (std::isnan(free)) {
    warnings_.warn("no_free_speed", "road link '" + link.id + "' has no free-flow speed (no `" +
                                        std::string(kFreeSpeedAttribute) + "` reading and no `speed_kmh` attribute): "
                                        "no level (further such links are not reported)");
    return std::nullopt;
  }
  return levelByRatio(speed, free);
}

void LinkLevels::poll(std::int64_t /*nowUs*/) {
  std::vector<Link>& all = links();
  if (all.empty()) return;
  const std::size_t n = std::min(settings_.linksPerFrame, all.size());
  handles_.resize(n);
  for (std::size_t k = 0; k < n; ++k) handles_[k] = all[(cursor_ + k) % all.size()].entity;
  if (!host_.readValues(kSpeedAttribute, handles_, speed_, speedUs_) ||
      !host_.readValues(kFreeSpeedAttribute, handles_, free_, freeUs_)) {
    warnings_.warn("no_bulk_reads", "this host refuses bulk reads (read_values): no congestion levels");
    return;
  }
  for (std::size_t k = 0; k < n; ++k) {
    Link& l = all[(cursor_ + k) % all.size()];
    if (speedUs_[k] == 0) continue;  // no speed sample yet (the feed has not started)
    if (!l.pending && speedUs_[k] == l.speedUs && freeUs_[k] == l.freeUs) continue;  // inputs unchanged
    l.speedUs = speedUs_[k];
    l.freeUs = freeUs_[k];
    l.pending = false;
    const auto lv = level(l, speed_[k], free_[k]);
    if (!lv) continue;
    // Stamped with the newest input, so the level ages (and goes stale) with its inputs. A push refused while the
    // host registers the new attribute name (the first frames) is retried on the link's next turn.
    if (host_.push(l.id, kLevelAttribute, std::max(speedUs_[k], freeUs_[k]), *lv)) {
      ++pushes_;
      l.refusedPushes = 0;
    } else if (++l.refusedPushes < kMaxRefusals) {
      l.pending = true;
    } else {
      warnings_.warn("unknown_entity", "the host refuses `" + std::string(kLevelAttribute) + "` for road link '" +
                                           l.id + "' (unknown entity?): given up for it (further links not reported)");
    }
  }
  cursor_ = (cursor_ + n) % all.size();
}

std::vector<LinkState> LinkLevels::states(std::int64_t nowUs) {
  std::vector<Link>& all = links();
  std::vector<LinkState> out;
  if (all.empty()) return out;
  handles_.resize(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) handles_[i] = all[i].entity;
  if (!host_.readValues(kSpeedAttribute, handles_, speed_, speedUs_) ||
      !host_.readValues(kFreeSpeedAttribute, handles_, free_, freeUs_) ||
      !host_.readValues(kFlowAttribute, handles_, flow_, flowUs_)) {
    return out;
  }
  const auto staleUs = static_cast<std::int64_t>(settings_.staleAfterS * 1e6);
  const auto live = [&](std::int64_t sampleUs) { return sampleUs != 0 && nowUs - sampleUs <= staleUs; };
  out.reserve(all.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    const Link& l = all[i];
    if (!live(speedUs_[i])) continue;
    const auto lv = level(l, speed_[i], live(freeUs_[i]) ? free_[i] : std::nan(""));
    if (!lv) continue;
    LinkState s;
    s.level = *lv;
    if (settings_.weighting == Weighting::Length) {
      s.weight = l.lengthM;
    } else if (live(flowUs_[i]) && std::isfinite(flow_[i]) && flow_[i] >= 0) {
      s.weight = l.lengthM * flow_[i];  // vehicle-km per hour (x 1000)
    } else {
      warnings_.warn("no_flow", "road link '" + l.id + "' has no `" + std::string(kFlowAttribute) + "` reading: left "
                                    "out of the VKT-weighted network index (further links not reported)");
      continue;
    }
    out.push_back(s);
  }
  return out;
}

}  // namespace greentwin::traffic
