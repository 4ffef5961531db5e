#pragma once
// The workbench's attribute filter per layer (docs/workbench.md "Filtering a layer"): a condition such as
// `use = 'office' AND height_m > 60` parsed against the layer's attributes (core/attribute_filter.hpp) and
// evaluated over its features; the layer then draws and picks only those for which it is true
// (Layer::setShownSlots). The twin owns one LayerFilters; the layer panel and a project file set the texts.
//
// Features' static properties live in the EntityStore, not in the layer: the caller passes a lookup by slot (as
// for restyling). A layer's schema (its attribute names and kinds) is built on first use and kept while the layer
// keeps its slot count. Update thread.

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "greentwin/core/attribute_filter.hpp"
#include "greentwin/core/attribute_schema.hpp"
#include "greentwin/layers/layer.hpp"

namespace gt::runtime {

// What a filter shows: `shown` of the layer's `total` features.
struct LayerFilterCount {
  std::size_t shown = 0;
  std::size_t total = 0;
};

// The result of setting a filter: the count, or the mistake in the text (nothing changed then), or a Status for a
// layer that cannot be filtered (not loaded, no features, a layer type that cannot hide single features).
using LayerFilterOutcome = std::variant<LayerFilterCount, FilterError, Status>;

class LayerFilters {
 public:
  // Parses `text` against the layer's attributes and shows only the features it is true for; an empty text (or
  // only spaces) shows every feature again. On any error the layer keeps what it showed.
  LayerFilterOutcome apply(layers::Layer& layer, std::string_view text, const layers::PropertyLookup& properties);
  // Shows every feature of the layer and forgets its filter.
  void clear(layers::Layer& layer);
  // The filter text in force for a layer ("" when none), its canonical form and its count.
  struct Active {
    std::string text;
    std::string canonical;
    LayerFilterCount count;
  };
  const Active* active(const std::string& layerId) const;
  // Every filter in force, by layer id (a project file keeps them).
  const std::map<std::string, Active, std::less<>>& all() const { return active_; }
  // The layer's attributes (for the filter field's hints and "colour by attribute"), built on first use.
  const AttributeSchema& schema(const layers::Layer& layer, const layers::PropertyLookup& properties);

 private:
  struct Schema {
    std::size_t slots = 0;
    AttributeSchema schema;
  };
  std::map<std::string, Schema, std::less<>> schemas_;
  std::map<std::string, Active, std::less<>> active_;
};

}  // namespace gt::runtime
