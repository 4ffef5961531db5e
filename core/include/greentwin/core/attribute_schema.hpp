#pragma once
// What a layer's features carry (docs/workbench.md): every attribute name over all its features, with how many of
// its values read as numbers, as text, or are null. An attribute filter (attribute_filter.hpp) binds its names
// against it (an unknown name is an error with the closest existing name), and 'colour by attribute'
// (attribute_classes.hpp) offers graduated classes only for attributes with numbers.
//
// Built once per layer by one pass over its features (any thread), then only read: safe to share.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/entity.hpp"

namespace gt {

// A property as a number, as every part of the twin reads one (the layers' colour rules too: style.cpp numberOf):
// integers, doubles, bools (1/0) and strings holding a whole number ("35", "-2.5e3"); nullopt for null, other text
// and non-finite numbers.
std::optional<double> propertyNumber(const PropertyValue& value);

struct AttributeStats {
  std::string name;
  std::size_t numbers = 0;  // values that read as numbers (propertyNumber)
  std::size_t texts = 0;    // values that do not: text, or a non-finite number
  std::size_t nulls = 0;    // null values; a feature without the attribute counts nowhere
  std::string exampleText;  // the first text value seen (error hints quote it)
};

class AttributeSchema {
 public:
  // Counts one feature's properties in.
  void add(const PropertyMap& properties);
  std::size_t featureCount() const { return features_; }

  // nullptr when no feature has the attribute (exact, case-sensitive name).
  const AttributeStats* find(std::string_view name) const;
  // The existing name `name` most plausibly meant: one differing only in letter case, else the nearest by edit
  // distance when close enough to be a typo; empty when none is.
  std::string_view closestName(std::string_view name) const;
  // Ascending by name.
  const std::vector<AttributeStats>& attributes() const { return attributes_; }

 private:
  std::vector<AttributeStats> attributes_;  // ascending by name
  std::size_t features_ = 0;
};

}  // namespace gt
