#include "greentwin/core/attribute_classes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "greentwin/core/attribute_schema.hpp"
#include "greentwin/core/colour_ramps.hpp"

namespace gt {
namespace {

using Kind = ClassificationRequest::Kind;

std::string formatNumber(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

Result<std::vector<std::string>> coloursFor(const ClassificationRequest& request, std::size_t count) {
  const std::string name = !request.ramp.empty() ? request.ramp : request.kind == Kind::Graduated ? "greens" : "categories";
  auto ramp = findColourRamp(name);
  if (!ramp) return ramp.status();
  return rampColours(*ramp, count);
}

Result<AttributeClassification> graduated(std::span<const PropertyMap* const> features,
                                          const ClassificationRequest& request) {
  AttributeClassification out;
  out.kind = Kind::Graduated;
  out.attribute = request.attribute;
  std::vector<double> numbers;
  numbers.reserve(features.size());
  std::string exampleText;
  for (const PropertyMap* properties : features) {
    const auto it = properties->find(request.attribute);
    const auto number = it == properties->end() ? std::nullopt : propertyNumber(it->second);
    if (number) {
      numbers.push_back(*number);
      continue;
    }
    ++out.withoutValue;
    if (exampleText.empty() && it != properties->end()) exampleText = formatPropertyValue(it->second);
  }
  const std::string name = "'" + request.attribute + "'";
  if (numbers.empty()) {
    return Status(ErrorCode::InvalidArgument,
                  exampleText.empty() ? "no feature has a value of " + name
                                      : name + " has no numbers to grade (e.g. '" + exampleText + "'); colour it by category");
  }
  const auto [lowest, highest] = std::minmax_element(numbers.begin(), numbers.end());
  if (*lowest == *highest) {
    return Status(ErrorCode::InvalidArgument, "all " + std::to_string(numbers.size()) + " values of " + name + " are " +
                                                  formatNumber(*lowest) + ": nothing to grade; colour it by category");
  }
  out.breaks = classBreaks(request.method, numbers, request.classes);
  if (out.breaks.empty()) {  // ties swallowed every limit: split off the lowest value from the rest
    double next = *highest;
    for (double v : numbers) {
      if (v > *lowest) next = std::min(next, v);
    }
    out.breaks.push_back(next);
  }
  auto colours = coloursFor(request, out.breaks.size() + 1);
  if (!colours) return colours.status();
  out.colours = std::move(*colours);
  const std::size_t classes = out.breaks.size() + 1;
  std::vector<std::size_t> counts(classes, 0);
  std::vector<double> low(classes, INFINITY), high(classes, -INFINITY);
  for (double v : numbers) {
    const auto c = static_cast<std::size_t>(std::upper_bound(out.breaks.begin(), out.breaks.end(), v) - out.breaks.begin());
    ++counts[c];
    low[c] = std::min(low[c], v);
    high[c] = std::max(high[c], v);
  }
  for (std::size_t c = 0; c < classes; ++c) {
    const double from = c == 0 ? *lowest : out.breaks[c - 1];
    const double to = c + 1 == classes ? *highest : out.breaks[c];
    const std::string label = formatNumber(from) + " – " + formatNumber(to);
    LegendRow row{out.colours[c], label, label, counts[c], counts[c] ? low[c] : from, counts[c] ? high[c] : from};
    out.legend.push_back(std::move(row));
  }
  return out;
}

Result<AttributeClassification> categorical(std::span<const PropertyMap* const> features,
                                            const ClassificationRequest& request) {
  AttributeClassification out;
  out.kind = Kind::Categorical;
  out.attribute = request.attribute;
  out.otherColour = request.otherColour;
  std::unordered_map<std::string, std::size_t> counts;
  for (const PropertyMap* properties : features) {
    const auto it = properties->find(request.attribute);
    if (it == properties->end() || std::holds_alternative<std::monostate>(it->second)) {
      ++out.withoutValue;
    } else if (const auto* s = std::get_if<std::string>(&it->second)) {
      ++counts[*s];
    } else {
      ++counts[formatPropertyValue(it->second)];
    }
  }
  if (counts.empty()) return Status(ErrorCode::InvalidArgument, "no feature has a value of '" + request.attribute + "'");
  std::vector<std::pair<std::string, std::size_t>> ranked(counts.begin(), counts.end());
  std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  const std::size_t listed = std::min(ranked.size(), request.maxCategories);
  auto colours = coloursFor(request, listed);
  if (!colours) return colours.status();
  for (std::size_t i = 0; i < listed; ++i) {
    out.categories.emplace_back(ranked[i].first, (*colours)[i]);
    out.legend.push_back({(*colours)[i], ranked[i].first, ranked[i].first, ranked[i].second, 0, 0});
  }
  // Values past the cap and features without a value are both drawn in the "other" colour.
  std::size_t other = out.withoutValue;
  for (std::size_t i = listed; i < ranked.size(); ++i) other += ranked[i].second;
  if (other > 0) out.legend.push_back({out.otherColour, "other", "其他", other, 0, 0});
  return out;
}

}  // namespace

void AttributeClassification::applyTo(LayerStyleConfig& style) const {
  style.colorBy = attribute;
  style.classifier.clear();
  style.classNamesEn.clear();
  style.classNamesZh.clear();
  style.categoryNamesZh.clear();
  if (kind == Kind::Categorical) {
    style.colorMode = "categorical";
    style.categories = categories;
    style.otherColor = otherColour;
    style.breaks.clear();
    style.colors.clear();
  } else {
    style.colorMode = "graduated";
    style.breaks = breaks;
    style.colors = colours;
    style.categories.clear();
  }
}

Result<AttributeClassification> classifyAttribute(std::span<const PropertyMap* const> features,
                                                  const ClassificationRequest& request) {
  if (request.attribute.empty()) return Status(ErrorCode::InvalidArgument, "no attribute to colour by");
  if (request.kind == Kind::Graduated) {
    if (request.classes < 2 || request.classes > 12) {
      return Status(ErrorCode::OutOfRange, "graduated colours take 2 to 12 classes, not " + std::to_string(request.classes));
    }
    return graduated(features, request);
  }
  if (request.maxCategories < 1 || request.maxCategories > 12) {
    return Status(ErrorCode::OutOfRange,
                  "categorical colours list 1 to 12 values, not " + std::to_string(request.maxCategories));
  }
  return categorical(features, request);
}

}  // namespace gt
