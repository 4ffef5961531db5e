#pragma once
// Attribute-driven styling: which colour class a feature falls in, and how tall a footprint is extruded.
// Evaluated from static properties when a layer is built, and from live values (per entity) each frame —
// the class index is what shaders read, so a recolour never rebuilds geometry.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
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

// A property as a number (ints, doubles, numeric strings, bools); nullopt for missing/non-numeric/non-finite.
std::optional<double> numberOf(const PropertyMap& properties, std::string_view key);
// A property as text (for categories and labels); nullopt when missing or null.
std::optional<std::string> textOf(const PropertyMap& properties, std::string_view key);

}  // namespace gt::layers
