// A layer's [layers.style]: colours, colour rules, extrusion and labels (LayerStyleConfig), with the cross-checks
// that a rule is complete. Keys: docs/config.md.

#include <algorithm>
#include <string_view>

#include "config_sections.hpp"

namespace gt::config_sections {

namespace {

constexpr std::string_view kStyleKeys[]{
    "fill_color",       "outline_color",    "line_width_px",   "line_width_m",  "point_size_px",
    "color_mode",       "color_by",         "categories",      "category_names_zh", "other_color",
    "breaks",           "colors",           "height_attribute", "floors_attribute", "metres_per_floor",
    "class_attribute",  "class_heights",    "default_height_m", "vertical_scale", "label_zh",
    "label_en",         "label_priority",   "classifier",       "name_en",          "name_zh",
    "class_names_en",   "class_names_zh"};
// The keys that make up a colour rule: an alternative style that sets any of them starts its rule afresh.
constexpr std::string_view kColourRuleKeys[]{"color_mode", "color_by", "categories", "category_names_zh", "breaks",
                                             "colors",     "classifier", "class_names_en", "class_names_zh"};
constexpr std::string_view kColorModes[]{"single", "categorical", "graduated"};

void parseColourRule(const ConfigTable& style, LayerStyleConfig& out) {
  const std::string& path = style.path();
  style.readString("color_mode", out.colorMode, kColorModes);
  style.readString("color_by", out.colorBy);
  // A plugin classifier gives a graduated rule's breaks and colours (resolved by the twin once plugins load).
  style.readString("classifier", out.classifier);
  if (!out.classifier.empty() && !style.has("color_mode")) out.colorMode = "graduated";
  style.readColour("other_color", out.otherColor);
  if (const auto categories = style.table("categories")) {
    for (const std::string& key : categories->keys()) {
      const auto colour = categories->stringValue(key);
      if (!colour || !isColourText(*colour)) {
        categories->errorAt(key, ErrorCode::InvalidArgument,
                            "'" + categories->keyPath(key) + "' must be a colour \"#rrggbb\"");
        continue;
      }
      out.categories.emplace_back(key, *colour);
    }
  }
  if (const auto names = style.table("category_names_zh")) {
    for (const std::string& key : names->keys()) {
      std::string text;
      if (names->readString(key, text)) out.categoryNamesZh.emplace_back(key, text);
    }
  }
  style.readDoubleArray("breaks", out.breaks);
  style.readStringArray("class_names_en", out.classNamesEn);
  style.readStringArray("class_names_zh", out.classNamesZh);
  if (style.readStringArray("colors", out.colors)) {
    for (const std::string& c : out.colors) {
      if (!isColourText(c)) {
        style.errorAt("colors", ErrorCode::InvalidArgument, "'" + path + ".colors' has \"" + c + "\", not a colour");
      }
    }
  }
  if (out.colorMode != "single" && out.colorBy.empty()) {
    style.error(ErrorCode::InvalidArgument, "'" + path + ".color_by' is required when color_mode is " + out.colorMode);
  }
  if (out.colorMode == "categorical" && out.categories.empty()) {
    style.error(ErrorCode::InvalidArgument, "'" + path + ".categories' is required when color_mode is categorical");
  }
  if (!out.classifier.empty() && (out.colorMode != "graduated" || !out.breaks.empty() || !out.colors.empty())) {
    style.error(ErrorCode::InvalidArgument,
                "'" + path + ".classifier' gives the classes: color_mode must be graduated (or absent), without breaks "
                "and colors");
  } else if (out.colorMode == "graduated" && out.classifier.empty()) {
    if (!std::is_sorted(out.breaks.begin(), out.breaks.end()) || out.breaks.empty()) {
      style.error(ErrorCode::InvalidArgument, "'" + path + ".breaks' must be a non-empty ascending list");
    } else if (out.colors.size() != out.breaks.size() + 1) {
      style.error(ErrorCode::InvalidArgument, "'" + path + ".colors' must have one more entry than breaks (" +
                                                  std::to_string(out.breaks.size() + 1) + "), got " +
                                                  std::to_string(out.colors.size()));
    }
  }
}

}  // namespace

void parseStyle(const ConfigTable& style, LayerStyleConfig& out) {
  style.checkKeys(kStyleKeys);
  style.readString("name_en", out.nameEn);
  style.readString("name_zh", out.nameZh);
  style.readColour("fill_color", out.fillColor);
  style.readColour("outline_color", out.outlineColor);
  style.readDouble("line_width_px", out.lineWidthPx, 0.0, 64.0);
  style.readDouble("line_width_m", out.lineWidthM, 0.0, 1000.0);
  style.readDouble("point_size_px", out.pointSizePx, 1.0, 128.0);
  parseColourRule(style, out);
  // Extrusion.
  style.readString("height_attribute", out.heightAttribute);
  style.readString("floors_attribute", out.floorsAttribute);
  style.readDouble("metres_per_floor", out.metresPerFloor, 0.5, 20.0);
  style.readString("class_attribute", out.classAttribute);
  if (const auto heights = style.table("class_heights")) {
    for (const std::string& key : heights->keys()) {
      double v = 0;
      if (heights->readDouble(key, v, 0.0, 1000.0)) out.classHeights.emplace_back(key, v);
    }
  }
  style.readDouble("default_height_m", out.defaultHeightM, 0.0, 1000.0);
  style.readDouble("vertical_scale", out.verticalScale, 0.0, 100.0, ConfigTable::Bound::Exclusive);
  // Labels.
  style.readString("label_zh", out.labelZh);
  style.readString("label_en", out.labelEn);
  style.readInt("label_priority", out.labelPriority, -1000, 1000);
}

void parseAlternativeStyle(const ConfigTable& style, const LayerStyleConfig& base, LayerStyleConfig& out) {
  out = base;
  out.nameEn.clear();
  out.nameZh.clear();
  const bool ownRule =
      std::any_of(std::begin(kColourRuleKeys), std::end(kColourRuleKeys), [&](std::string_view k) { return style.has(k); });
  if (ownRule) {  // not a mix of the base rule's breaks with this one's classifier
    const LayerStyleConfig defaults;
    out.colorMode = defaults.colorMode;
    out.colorBy.clear();
    out.categories.clear();
    out.categoryNamesZh.clear();
    out.breaks.clear();
    out.colors.clear();
    out.classifier.clear();
    out.classNamesEn.clear();
    out.classNamesZh.clear();
  }
  parseStyle(style, out);
  if (out.nameEn.empty() && out.nameZh.empty()) {
    style.error(ErrorCode::InvalidArgument, "'" + style.path() + "' needs name_en or name_zh (the layer panel lists it)");
  }
}

}  // namespace gt::config_sections
