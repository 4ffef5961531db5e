// Config parts back to TOML (config_text.hpp). The keys are those config_style.cpp, config_layers.cpp and
// config_display.cpp read.

#include "greentwin/core/config_text.hpp"

#include <utility>
#include <vector>

#include "config_sections.hpp"
#include "greentwin/core/config_reader.hpp"
#include "toml_text.hpp"

namespace gt {
namespace {

using toml_text::key;
using toml_text::number;
using toml_text::numberArray;
using toml_text::quoted;
using toml_text::stringArray;

std::string line(const std::string& k, const std::string& value) { return k + " = " + value + "\n"; }

template <class V, class F>
std::string inlineTable(const std::vector<std::pair<std::string, V>>& entries, F valueText) {
  std::string out = "{";
  for (std::size_t i = 0; i < entries.size(); ++i) {
    out += (i > 0 ? ", " : " ") + key(entries[i].first) + " = " + valueText(entries[i].second);
  }
  return out + (entries.empty() ? "}" : " }");
}

}  // namespace

std::string styleText(const LayerStyleConfig& s) {
  const LayerStyleConfig d;  // defaults are left out, so a file says what differs
  std::string out;
  if (!s.nameEn.empty()) out += line("name_en", quoted(s.nameEn));
  if (!s.nameZh.empty()) out += line("name_zh", quoted(s.nameZh));
  out += line("fill_color", quoted(s.fillColor));
  out += line("outline_color", quoted(s.outlineColor));
  if (s.lineWidthPx != d.lineWidthPx) out += line("line_width_px", number(s.lineWidthPx));
  if (s.lineWidthM != d.lineWidthM) out += line("line_width_m", number(s.lineWidthM));
  if (s.pointSizePx != d.pointSizePx) out += line("point_size_px", number(s.pointSizePx));
  // A classifier's rule is graduated: a twin without the classifier's plugin holds the style with its fill colour
  // ("single" beside the classifier), which the style reader refuses; the classifier alone reads back everywhere.
  out += line("color_mode", quoted(s.classifier.empty() ? s.colorMode : std::string("graduated")));
  if (!s.colorBy.empty()) out += line("color_by", quoted(s.colorBy));
  if (!s.categories.empty()) {
    out += line("categories", inlineTable(s.categories, [](const std::string& v) { return quoted(v); }));
  }
  if (!s.categoryNamesZh.empty()) {
    out += line("category_names_zh", inlineTable(s.categoryNamesZh, [](const std::string& v) { return quoted(v); }));
  }
  if (s.otherColor != d.otherColor) out += line("other_color", quoted(s.otherColor));
  if (!s.classifier.empty()) {
    out += line("classifier", quoted(s.classifier));  // breaks, colours and class names are the classifier's
  } else {
    if (!s.breaks.empty()) out += line("breaks", numberArray(s.breaks));
    if (!s.colors.empty()) out += line("colors", stringArray(s.colors));
    if (!s.classNamesEn.empty()) out += line("class_names_en", stringArray(s.classNamesEn));
    if (!s.classNamesZh.empty()) out += line("class_names_zh", stringArray(s.classNamesZh));
  }
  if (!s.heightAttribute.empty()) out += line("height_attribute", quoted(s.heightAttribute));
  if (!s.floorsAttribute.empty()) out += line("floors_attribute", quoted(s.floorsAttribute));
  if (s.metresPerFloor != d.metresPerFloor) out += line("metres_per_floor", number(s.metresPerFloor));
  if (!s.classAttribute.empty()) out += line("class_attribute", quoted(s.classAttribute));
  if (!s.classHeights.empty()) {
    out += line("class_heights", inlineTable(s.classHeights, [](double v) { return number(v); }));
  }
  if (s.defaultHeightM != d.defaultHeightM) out += line("default_height_m", number(s.defaultHeightM));
  if (s.verticalScale != d.verticalScale) out += line("vertical_scale", number(s.verticalScale));
  if (!s.labelZh.empty()) out += line("label_zh", quoted(s.labelZh));
  if (!s.labelEn.empty()) out += line("label_en", quoted(s.labelEn));
  if (s.labelPriority != d.labelPriority) out += line("label_priority", std::to_string(s.labelPriority));
  return out;
}

Result<LayerStyleConfig> parseStyleText(const std::string& text, const std::string& sourceName) {
  auto document = ConfigDocument::parse(text, sourceName);
  if (!document) return document.status();
  LayerStyleConfig style;  // styleText leaves defaults out: they are read over the defaults
  config_sections::parseStyle(document->root(), style);
  if (Status s = document->errors().result(); !s) return s;
  return style;
}

bool sameStyle(const LayerStyleConfig& a, const LayerStyleConfig& b) { return styleText(a) == styleText(b); }

std::string layerText(const LayerConfig& l) {
  std::string out = line("id", quoted(l.id)) + line("type", quoted(l.type)) + line("source", quoted(l.source));
  if (!l.sourceLayer.empty()) out += line("source_layer", quoted(l.sourceLayer));
  if (!l.idAttribute.empty()) out += line("id_attribute", quoted(l.idAttribute));
  if (!l.assumeCrs.empty()) out += line("crs", quoted(l.assumeCrs));
  if (l.resolutionM != 0) out += line("resolution_m", number(l.resolutionM));
  if (!l.nameEn.empty()) out += line("name_en", quoted(l.nameEn));
  if (!l.nameZh.empty()) out += line("name_zh", quoted(l.nameZh));
  if (l.synthetic) out += line("synthetic", "true");
  return out;
}

std::string poseText(const CameraPose& p) {
  return line("center_lon", number(p.centerLon)) + line("center_lat", number(p.centerLat)) +
         line("center_height", number(p.centerHeight)) + line("heading_deg", number(p.headingDeg)) +
         line("pitch_deg", number(p.pitchDeg)) + line("range_m", number(p.rangeM));
}

std::string bookmarkText(const BookmarkConfig& b) {
  std::string out = line("id", quoted(b.id));
  if (!b.nameEn.empty()) out += line("name_en", quoted(b.nameEn));
  if (!b.nameZh.empty()) out += line("name_zh", quoted(b.nameZh));
  return out + poseText(b.pose);
}

}  // namespace gt
