// Each layer's look on a wall (wall_looks.hpp).
#include "wall_looks.hpp"

#include <spdlog/spdlog.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <variant>

#include "greentwin/core/config_text.hpp"
#include "greentwin/runtime/time_change.hpp"
#include "greentwin/runtime/twin.hpp"
#include "time_compare_panel.hpp"

namespace gt::viewer {
namespace {

// The style a layer of the config loads with; nullptr for a layer the config does not have (added at run time).
const LayerStyleConfig* configStyle(const runtime::Twin& twin, const std::string& layerId) {
  for (const LayerConfig& l : twin.config().layers) {
    if (l.id == layerId) return &l.style;
  }
  return nullptr;
}

// A style as every node can read and apply it: one whose classes come from a plugin classifier as the config writes
// it, the classifier alone. Each node resolves it with its own plugins as it did at load — into the classifier's
// classes, or (no plugin provides it) its fill colour, which leaves color_mode "single" beside the classifier: a
// text the style reader refuses.
LayerStyleConfig portable(LayerStyleConfig style) {
  if (!style.classifier.empty()) {
    style.colorMode = "graduated";
    style.breaks.clear();
    style.colors.clear();
    style.classNamesEn.clear();
    style.classNamesZh.clear();
  }
  return style;
}

bool sameValues(const std::vector<double>& a, const std::vector<double>& b) {
  // Bitwise: NaN (no value) equals NaN here.
  return a.size() == b.size() && (a.empty() || std::memcmp(a.data(), b.data(), a.size() * sizeof(double)) == 0);
}

bool sameLook(const wall::LayerLook& a, const wall::LayerLook& b) {
  return a.styleText == b.styleText && a.filterText == b.filterText && a.valuesAttribute == b.valuesAttribute &&
         sameValues(a.values, b.values);
}

}  // namespace

WallLookTracker::WallLookTracker(std::uint32_t firstRevision) : next_(firstRevision) {}

std::uint32_t WallLookTracker::nextRevision() {
  if (next_ == 0) ++next_;  // 0 is the config's look
  return next_++;
}

std::vector<wall::LayerLook> WallLookTracker::update(const runtime::Twin& twin, const UiState& state,
                                                     std::vector<wall::LayerState>& layers, double nowS) {
  std::vector<wall::LayerLook> send;
  const runtime::TimeChange* change = shownTimeChange(state);
  const bool repeat = nowS - lastRepeatS_ >= kLookRepeatS;
  if (repeat) lastRepeatS_ = nowS;
  for (wall::LayerState& shown : layers) {
    const layers::Layer* layer = twin.findLayer(shown.id);
    if (layer == nullptr) continue;
    wall::LayerLook look;
    look.layerId = shown.id;
    look.styleText = styleText(portable(layer->config().style));
    if (const runtime::LayerFilters::Active* filter = twin.layerFilters().active(shown.id)) look.filterText = filter->text;
    if (change != nullptr && change->request.layerId == shown.id) {
      if (change->change.size() <= wall::kMaxLookValues) {
        look.valuesAttribute = runtime::timeChangeAttribute(change->request.attribute);
        look.values = change->change;
      } else if (!loggedTooMany_) {
        loggedTooMany_ = true;
        spdlog::warn("wall: the Compare times change of layer '{}' has {} features, over the {} a look carries: "
                     "followers show its colours without the change",
                     shown.id, change->change.size(), wall::kMaxLookValues);
      }
    }
    auto [it, added] = current_.try_emplace(shown.id);
    wall::LayerLook& kept = it->second;
    if (added || !sameLook(kept, look)) {
      const LayerStyleConfig* loaded = configStyle(twin, shown.id);
      const bool configLook = look.filterText.empty() && look.values.empty() && loaded != nullptr &&
                              styleText(portable(*loaded)) == look.styleText;
      look.revision = configLook ? 0 : nextRevision();
      kept = std::move(look);
      if (kept.revision != 0) send.push_back(kept);
    } else if (repeat && kept.revision != 0) {
      send.push_back(kept);
    }
    shown.look = kept.revision;
  }
  return send;
}

std::uint32_t WallLookApplier::shown(const std::string& layerId) const {
  const auto it = shown_.find(layerId);
  return it != shown_.end() ? it->second : 0;
}

void WallLookApplier::apply(runtime::Twin& twin, const wall::LayerState& state, const wall::LayerLook* look) {
  if (state.look == shown(state.id)) return;
  layers::Layer* layer = twin.findLayer(state.id);
  if (layer == nullptr || layer->state() != layers::LayerState::Open) return;  // a later frame sets it
  if (state.look != 0 && (look == nullptr || look->revision != state.look)) return;  // the lead sends it again
  // Taken, or refused once: either way this revision is not tried again (a refused one is logged once and the layer
  // keeps what it showed).
  shown_[state.id] = state.look;
  const std::string& id = state.id;
  if (state.look == 0) {  // back to the config's look: its style, no filter
    const LayerStyleConfig* loaded = configStyle(twin, id);
    if (loaded == nullptr) return;
    if (Status s = twin.restyleLayer(id, *loaded); !s) spdlog::warn("wall: layer '{}': {}", id, s.message());
    if (twin.layerFilters().active(id) != nullptr) (void)twin.filterLayer(id, "");
    return;
  }
  auto style = parseStyleText(look->styleText, "the lead's style of layer '" + id + "'");
  if (!style) {
    spdlog::warn("wall: layer '{}' keeps its style: {}", id, style.status().message());
  } else if (look->valuesAttribute.empty()) {
    if (Status s = twin.restyleLayer(id, *style); !s) spdlog::warn("wall: layer '{}': {}", id, s.message());
  } else if (look->values.size() != layer->slotCount()) {
    spdlog::warn("wall: layer '{}' keeps its style: the lead's look has values for {} features, this node's layer "
                 "has {}",
                 id, look->values.size(), layer->slotCount());
  } else {
    // As runtime::showTimeChange draws a change: each feature's value as the one property the colour rule reads.
    auto values = std::make_shared<std::vector<PropertyMap>>(look->values.size());
    for (std::size_t s = 0; s < look->values.size(); ++s) {
      if (!std::isnan(look->values[s])) (*values)[s][look->valuesAttribute] = look->values[s];
    }
    const Status s = layer->restyle(*style, [values](std::uint32_t slot) -> const PropertyMap* {
      return slot < values->size() ? &(*values)[slot] : nullptr;
    });
    if (!s) spdlog::warn("wall: layer '{}': {}", id, s.message());
  }
  const runtime::LayerFilters::Active* active = twin.layerFilters().active(id);
  if ((active != nullptr ? active->text : std::string()) == look->filterText) return;
  const runtime::LayerFilterOutcome outcome = twin.filterLayer(id, look->filterText);
  if (const auto* error = std::get_if<FilterError>(&outcome)) {
    spdlog::warn("wall: layer '{}' keeps its filter: the lead's filter '{}': {}", id, look->filterText,
                 error->describe());
  } else if (const auto* status = std::get_if<Status>(&outcome)) {
    spdlog::warn("wall: layer '{}' keeps its filter: {}", id, status->message());
  }
}

}  // namespace gt::viewer
