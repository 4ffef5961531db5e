#pragma once
// 'Colour by attribute' (docs/workbench.md "Classification"): from a layer's features and a request (attribute,
// categorical or graduated, method, class count, ramp) to the colour rule a layer draws with (LayerStyleConfig's
// color_mode, color_by, categories or breaks and colors) and the legend rows with each class's range and count.
//
// Values are read as the layers' colour rules read them (layers/style.hpp): categories by the value's text
// (formatPropertyValue), classes by its number (propertyNumber). Pure functions on the calling thread.

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/class_breaks.hpp"
#include "greentwin/core/config.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

struct ClassificationRequest {
  enum class Kind { Categorical, Graduated };
  std::string attribute;
  Kind kind = Kind::Graduated;
  ClassMethod method = ClassMethod::NaturalBreaks;  // graduated
  int classes = 5;                                  // graduated: 2..12
  std::size_t maxCategories = 10;                   // categorical: 1..12 most frequent values; the rest are "other"
  std::string ramp;                                 // empty: "greens" for graduated, "categories" for categorical
  std::string otherColour = "#9e9e9e";              // categorical: values past the cap
};

struct LegendRow {
  std::string colour;   // "#rrggbb"
  std::string labelEn;  // the category, or the class's range "12.5 – 30"
  std::string labelZh;  // the same in Chinese ("其他" for other)
  std::size_t count = 0;  // features in the class
  double low = 0, high = 0;  // graduated: the lowest and highest value in the class (equal for a one-value class)
};

struct AttributeClassification {
  ClassificationRequest::Kind kind = ClassificationRequest::Kind::Graduated;
  std::string attribute;
  std::vector<double> breaks;                                    // graduated: as LayerStyleConfig::breaks
  std::vector<std::string> colours;                              // graduated: breaks.size() + 1
  std::vector<std::pair<std::string, std::string>> categories;  // categorical: value -> colour, most frequent first
  std::string otherColour;
  std::vector<LegendRow> legend;  // one row per class; categorical: then "other" when any value is not listed
  std::size_t withoutValue = 0;   // features with no value (null, missing; graduated: or not a number)

  // Replaces `style`'s colour rule with this one (and clears a plugin classifier and class names, which would
  // otherwise override or mislabel it); everything else in the style stays.
  void applyTo(LayerStyleConfig& style) const;
};

// Classifies the attribute over `features`. Errors (InvalidArgument, naming the attribute): no feature has a value;
// graduated over an attribute with no numbers (with an example of its text), or whose numbers are all equal; a
// class count or category cap out of range; an unknown ramp (NotFound, listing the ramps).
Result<AttributeClassification> classifyAttribute(std::span<const PropertyMap* const> features,
                                                  const ClassificationRequest& request);

}  // namespace gt
