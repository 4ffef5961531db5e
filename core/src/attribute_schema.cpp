#include "greentwin/core/attribute_schema.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include "greentwin/core/config_reader.hpp"

namespace gt {

std::optional<double> propertyNumber(const PropertyValue& value) {
  double out = 0;
  if (const auto* d = std::get_if<double>(&value)) {
    out = *d;
  } else if (const auto* i = std::get_if<std::int64_t>(&value)) {
    out = static_cast<double>(*i);
  } else if (const auto* b = std::get_if<bool>(&value)) {
    out = *b ? 1.0 : 0.0;
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    if (s->empty()) return std::nullopt;
    char* end = nullptr;
    out = std::strtod(s->c_str(), &end);
    if (end == s->c_str() || *end != '\0') return std::nullopt;
  } else {
    return std::nullopt;
  }
  if (!std::isfinite(out)) return std::nullopt;
  return out;
}

void AttributeSchema::add(const PropertyMap& properties) {
  ++features_;
  for (const auto& [key, value] : properties) {
    auto it = std::lower_bound(attributes_.begin(), attributes_.end(), key,
                               [](const AttributeStats& a, const std::string& k) { return a.name < k; });
    if (it == attributes_.end() || it->name != key) it = attributes_.insert(it, AttributeStats{key, 0, 0, 0, {}});
    if (std::holds_alternative<std::monostate>(value)) {
      ++it->nulls;
    } else if (propertyNumber(value)) {
      ++it->numbers;
    } else {
      ++it->texts;
      if (it->exampleText.empty()) it->exampleText = formatPropertyValue(value);
    }
  }
}

const AttributeStats* AttributeSchema::find(std::string_view name) const {
  const auto it = std::lower_bound(attributes_.begin(), attributes_.end(), name,
                                   [](const AttributeStats& a, std::string_view k) { return a.name < k; });
  return it != attributes_.end() && it->name == name ? &*it : nullptr;
}

std::string_view AttributeSchema::closestName(std::string_view name) const {
  const auto lower = [](std::string_view s) {
    std::string out(s);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
  };
  const std::string wanted = lower(name);
  std::vector<std::string_view> names;
  names.reserve(attributes_.size());
  for (const AttributeStats& a : attributes_) {
    if (lower(a.name) == wanted) return a.name;
    names.push_back(a.name);
  }
  return suggestKey(name, names);
}

}  // namespace gt
