#pragma once
// Attribute-driven styling: which colour class a feature falls in, and how tall a footprint is extruded.
// Evaluated from static properties when a layer is built, and from live values (per entity) each frame —
// the class index is what shaders read, so a recolour never rebuilds geometry.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/stale_rule.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/layers/layer.hpp"

namespace gt::layers {

class ColorRule {
 public:
  enum class Mode { Single, Categorical, Graduated };

  // Checks colours, breaks and categories; errors name the layer and the offending entry.
  static Result<ColorRule> fromConfig(const std::string& layerId, const LayerStyleConfig& style);

  Mode mode() const { return mode_; }
  const std::string& attribute() const { return attribute_; }
  // Palette indexed by class; categorical: categories then "other"; graduated: classes low to high.
  const std::vector<Rgba>& palette() const { return palette_; }
  const std::vector<double>& breaks() const { return breaks_; }

  // The colour class of a feature from its properties (single: 0; missing/unusable value: nullopt).
  std::optional<int> classOf(const PropertyMap& properties) const;
  // The colour class of a numeric value (graduated), or of a category label (categorical).
  int classOfNumber(double value) const;
  int classOfCategory(std::string_view value) const;
  Rgba colorOf(const PropertyMap& properties, const Rgba& noData) const;

  // One legend row per class, labelled with the category or the numeric interval.
  std::vector<LegendEntry> legend(const std::string& nameEn, const std::string& nameZh, LegendEntry::Shape shape) const;

 private:
  Mode mode_ = Mode::Single;
  std::string attribute_;
  std::vector<Rgba> palette_;
  std::vector<std::string> categories_;
  std::vector<std::string> categoryNamesZh_;  // legend names in Chinese, same order (the value when not given)
  std::vector<double> breaks_;
  std::vector<std::string> classNamesEn_, classNamesZh_;  // graduated: legend names per class (empty: intervals)
};

class HeightRule {
 public:
  static HeightRule fromConfig(const LayerStyleConfig& style);
  // Height attribute, else floors x metres per floor, else the class default, else the layer default.
  double heightOf(const PropertyMap& properties) const;

 private:
  std::string heightAttribute_;
  std::string floorsAttribute_;
  double metresPerFloor_ = 3.2;
  std::string classAttribute_;
  std::vector<std::pair<std::string, double>> classHeights_;
  double defaultHeight_ = 10.0;
};

// Per-slot states of a live value (issue 4, "a stale value is never drawn as if it were live"): drawn in its
// class colour, drawn as stale (greyed and marked), or no data — the stale rule's ValueState (core/stale_rule.hpp).
using SlotState = ValueState;

// The colour a stale value is drawn in: its class colour desaturated (80 %) and darkened (x 0.75) — the same
// formula as the building shader's, so both read alike in the legend.
Rgba staleColor(const Rgba& live);
// The legend rows every live-coloured layer adds: "stale / 过时" and "no data / 无数据".
std::vector<LegendEntry> liveStateLegend(LegendEntry::Shape shape);

// A layer that can draw one live value per slot (numbers classified by a graduated rule), replacing its static
// style colours without rebuilding geometry: what the shared live colouring (live_colouring.hpp) drives
// from each frame. Update thread.
class LiveValueTarget {
 public:
  virtual ~LiveValueTarget() = default;
  // values: one per slot (NaN = no data); states: per slot (missing entries read as Live). A NaN value is drawn
  // as no data whatever its state.
  virtual void setLiveValues(const ColorRule& rule, std::span<const float> values,
                             std::span<const SlotState> states = {}) = 0;
  virtual void showStaticStyle() = 0;
  virtual bool showsLiveValues() const = 0;
  // What the layer draws for a slot now (NoData for an unknown slot).
  virtual SlotState slotState(std::uint32_t slot) const = 0;
  // The entity whose live value a slot shows when the slot's own entity has no series of the attribute: its
  // container (a BIM element's storey, docs/bim.md "Storeys as entities"), or kInvalidEntity (the default: none).
  virtual EntityIndex containerEntityOfSlot(std::uint32_t /*slot*/) const { return kInvalidEntity; }
};

// A property as a number (ints, doubles, numeric strings, bools); nullopt for missing/non-numeric/non-finite.
std::optional<double> numberOf(const PropertyMap& properties, std::string_view key);
// A property as text (for categories and labels); nullopt when missing or null.
std::optional<std::string> textOf(const PropertyMap& properties, std::string_view key);

}  // namespace gt::layers
