#include "greentwin/layers/style.hpp"

#include "greentwin/core/attribute_schema.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

namespace gt::layers {
namespace {

std::string formatNumber(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// textOf without the copy when the value already is a string (category values usually are): the view is into
// `properties`, or into `buffer` for other types. Styles evaluate this once per feature of a 100k-building layer.
std::optional<std::string_view> textIn(const PropertyMap& properties, std::string_view key, std::string& buffer) {
  const auto it = properties.find(key);
  if (it == properties.end() || std::holds_alternative<std::monostate>(it->second)) return std::nullopt;
  if (const auto* s = std::get_if<std::string>(&it->second)) return std::string_view(*s);
  buffer = formatPropertyValue(it->second);
  return std::string_view(buffer);
}

}  // namespace

// One reading of a property as a number for every part of the twin (core/attribute_schema.hpp): colour rules,
// heights, the workbench's filters and classes agree on what is a number.
std::optional<double> numberOf(const PropertyMap& properties, std::string_view key) {
  auto it = properties.find(key);
  if (it == properties.end()) return std::nullopt;
  return propertyNumber(it->second);
}

std::optional<std::string> textOf(const PropertyMap& properties, std::string_view key) {
  auto it = properties.find(key);
  if (it == properties.end() || std::holds_alternative<std::monostate>(it->second)) return std::nullopt;
  return formatPropertyValue(it->second);
}

Result<ColorRule> ColorRule::fromConfig(const std::string& layerId, const LayerStyleConfig& style) {
  ColorRule rule;
  auto colour = [&layerId](const std::string& text, const std::string& what) -> Result<Rgba> {
    auto c = parseColor(text);
    if (!c) return Status(ErrorCode::InvalidArgument, "layer '" + layerId + "' " + what + ": " + c.status().message());
    return c;
  };
  rule.attribute_ = style.colorBy;
  rule.classNamesEn_ = style.classNamesEn;
  rule.classNamesZh_ = style.classNamesZh;
  if (style.colorMode == "categorical") {
    rule.mode_ = Mode::Categorical;
    if (style.colorBy.empty() || style.categories.empty()) {
      return Status(ErrorCode::InvalidArgument, "layer '" + layerId + "': categorical colour needs color_by and categories");
    }
    for (const auto& [value, text] : style.categories) {
      auto c = colour(text, "category '" + value + "'");
      if (!c) return c.status();
      rule.categories_.push_back(value);
      rule.palette_.push_back(*c);
      std::string nameZh = value;
      for (const auto& [key, name] : style.categoryNamesZh) {
        if (key == value) nameZh = name;
      }
      rule.categoryNamesZh_.push_back(std::move(nameZh));
    }
    auto other = colour(style.otherColor, "other_color");
    if (!other) return other.status();
    rule.palette_.push_back(*other);
  } else if (style.colorMode == "graduated") {
    rule.mode_ = Mode::Graduated;
    if (style.colorBy.empty() || style.breaks.empty() || style.colors.size() != style.breaks.size() + 1 ||
        !std::is_sorted(style.breaks.begin(), style.breaks.end())) {
      return Status(ErrorCode::InvalidArgument, "layer '" + layerId +
                                                    "': graduated colour needs color_by, ascending breaks and one "
                                                    "more colour than breaks");
    }
    rule.breaks_ = style.breaks;
    for (std::size_t i = 0; i < style.colors.size(); ++i) {
      auto c = colour(style.colors[i], "colors[" + std::to_string(i) + "]");
      if (!c) return c.status();
      rule.palette_.push_back(*c);
    }
  } else {
    auto c = colour(style.fillColor, "fill_color");
    if (!c) return c.status();
    rule.palette_.push_back(*c);
  }
  return rule;
}

int ColorRule::classOfNumber(double value) const {
  // First class whose upper limit is above the value; the last class is open-ended.
  const auto it = std::upper_bound(breaks_.begin(), breaks_.end(), value);
  return static_cast<int>(it - breaks_.begin());
}

int ColorRule::classOfCategory(std::string_view value) const {
  const auto it = std::find(categories_.begin(), categories_.end(), value);
  return static_cast<int>(it - categories_.begin());  // == size(): the "other" class
}

std::optional<int> ColorRule::classOf(const PropertyMap& properties) const {
  switch (mode_) {
    case Mode::Single: return 0;
    case Mode::Categorical: {
      std::string buffer;
      return classOfCategory(textIn(properties, attribute_, buffer).value_or(std::string_view()));
    }
    case Mode::Graduated: {
      auto number = numberOf(properties, attribute_);
      if (!number) return std::nullopt;
      return classOfNumber(*number);
    }
  }
  return std::nullopt;
}

Rgba ColorRule::colorOf(const PropertyMap& properties, const Rgba& noData) const {
  auto c = classOf(properties);
  return c ? palette_[static_cast<std::size_t>(*c)] : noData;
}

std::vector<LegendEntry> ColorRule::legend(const std::string& nameEn, const std::string& nameZh,
                                           LegendEntry::Shape shape) const {
  std::vector<LegendEntry> out;
  switch (mode_) {
    case Mode::Single: out.push_back({palette_[0], nameEn, nameZh, shape}); break;
    case Mode::Categorical:
      for (std::size_t i = 0; i < categories_.size(); ++i) {
        out.push_back({palette_[i], categories_[i], categoryNamesZh_[i], shape});
      }
      out.push_back({palette_.back(), "other", "其他", shape});
      break;
    case Mode::Graduated:
      for (std::size_t i = 0; i < palette_.size(); ++i) {
        std::string label;
        if (i == 0) {
          label = "< " + formatNumber(breaks_.front());
        } else if (i == breaks_.size()) {
          label = ">= " + formatNumber(breaks_.back());
        } else {
          label = formatNumber(breaks_[i - 1]) + " – " + formatNumber(breaks_[i]);
        }
        // A class name (a classifier's label) says what the class means; the interval stays beside it.
        const bool named = classNamesEn_.size() == palette_.size();
        const bool namedZh = classNamesZh_.size() == palette_.size();
        out.push_back({palette_[i], named ? classNamesEn_[i] + " (" + label + ")" : label,
                       namedZh ? classNamesZh_[i] + "（" + label + "）" : (named ? classNamesEn_[i] + " (" + label + ")" : label),
                       shape});
      }
      break;
  }
  return out;
}

HeightRule HeightRule::fromConfig(const LayerStyleConfig& style) {
  HeightRule rule;
  rule.heightAttribute_ = style.heightAttribute;
  rule.floorsAttribute_ = style.floorsAttribute;
  rule.metresPerFloor_ = style.metresPerFloor;
  rule.classAttribute_ = style.classAttribute;
  rule.classHeights_ = style.classHeights;
  rule.defaultHeight_ = style.defaultHeightM;
  return rule;
}

double HeightRule::heightOf(const PropertyMap& properties) const {
  if (!heightAttribute_.empty()) {
    if (auto h = numberOf(properties, heightAttribute_); h && *h > 0) return *h;
  }
  if (!floorsAttribute_.empty()) {
    if (auto f = numberOf(properties, floorsAttribute_); f && *f > 0) return *f * metresPerFloor_;
  }
  if (!classAttribute_.empty()) {
    std::string buffer;
    if (auto c = textIn(properties, classAttribute_, buffer)) {
      for (const auto& [value, height] : classHeights_) {
        if (value == *c) return height;
      }
    }
  }
  return defaultHeight_;
}


Rgba staleColor(const Rgba& live) {
  const float grey = 0.3f * live[0] + 0.59f * live[1] + 0.11f * live[2];
  Rgba out = live;
  for (int i = 0; i < 3; ++i) out[static_cast<std::size_t>(i)] = (grey + (live[static_cast<std::size_t>(i)] - grey) * 0.2f) * 0.75f;
  return out;
}

std::vector<LegendEntry> liveStateLegend(LegendEntry::Shape shape) {
  return {{staleColor({0.55f, 0.55f, 0.58f, 1.0f}), "stale", "过时", shape},
          {kNoDataColor, "no data", "无数据", shape}};
}

}  // namespace gt::layers
