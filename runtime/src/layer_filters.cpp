#include "greentwin/runtime/layer_filters.hpp"

#include <vector>

namespace gt::runtime {

const AttributeSchema& LayerFilters::schema(const layers::Layer& layer, const layers::PropertyLookup& properties) {
  Schema& entry = schemas_[layer.id()];
  if (entry.slots != layer.slotCount() || entry.schema.featureCount() == 0) {
    entry = Schema{layer.slotCount(), AttributeSchema{}};
    for (std::uint32_t slot = 0; slot < layer.slotCount(); ++slot) {
      const PropertyMap* p = properties(slot);
      entry.schema.add(p != nullptr ? *p : PropertyMap{});
    }
  }
  return entry.schema;
}

LayerFilterOutcome LayerFilters::apply(layers::Layer& layer, std::string_view text,
                                       const layers::PropertyLookup& properties) {
  if (layer.state() != layers::LayerState::Open) {
    return Status(ErrorCode::Unsupported, "layer '" + layer.id() + "' is not loaded: its features cannot be filtered yet");
  }
  if (layer.slotCount() == 0) {
    return Status(ErrorCode::Unsupported, "layer '" + layer.id() + "' has no features to filter");
  }
  FilterResult parsed = AttributeFilter::parse(text, schema(layer, properties));
  if (!parsed) return parsed.error();
  const AttributeFilter& filter = *parsed;
  std::vector<bool> shown;
  LayerFilterCount count{0, layer.slotCount()};
  if (!filter.passesAll()) {
    shown.resize(layer.slotCount());
    for (std::uint32_t slot = 0; slot < layer.slotCount(); ++slot) {
      const PropertyMap* p = properties(slot);
      shown[slot] = filter.matches(p != nullptr ? *p : PropertyMap{});
      count.shown += shown[slot] ? 1 : 0;
    }
  } else {
    count.shown = count.total;
  }
  if (Status s = layer.setShownSlots(std::move(shown)); !s.isOk()) return s;
  if (filter.passesAll()) {
    active_.erase(layer.id());
  } else {
    active_[layer.id()] = Active{std::string(text), filter.canonical(), count};
  }
  return count;
}

void LayerFilters::clear(layers::Layer& layer) {
  (void)layer.setShownSlots({});
  active_.erase(layer.id());
}

const LayerFilters::Active* LayerFilters::active(const std::string& layerId) const {
  auto it = active_.find(layerId);
  return it == active_.end() ? nullptr : &it->second;
}

}  // namespace gt::runtime
