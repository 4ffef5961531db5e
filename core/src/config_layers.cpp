// [[layers]]: the keys every layer has (LayerConfig), then its type's own keys read by the type's parser from the
// ConfigSchema (layers::LayerRegistry gives them). Keys: docs/config.md.

#include <algorithm>
#include <string_view>

#include "config_sections.hpp"

namespace gt::config_sections {

namespace {

constexpr std::string_view kLayerKeys[]{"id",           "type",         "source",  "source_layer", "id_attribute",
                                        "crs",          "resolution_m", "name_en", "name_zh",      "visible",
                                        "opacity",      "synthetic",    "style",   "styles"};

}  // namespace

void parseLayers(const ConfigTable& root, const ConfigSchema& schema, std::vector<LayerConfig>& out) {
  std::vector<std::string_view> known(std::begin(kLayerKeys), std::end(kLayerKeys));
  for (const auto& [type, parser] : schema.layerTypes) {
    for (const std::string& key : parser.keys) {
      if (std::find(known.begin(), known.end(), key) == known.end()) known.push_back(key);
    }
  }
  UniqueIds ids("layer");
  for (const ConfigTable& t : root.tables("layers")) {
    if (!schema.commonPartsOnly) t.checkKeys(known);
    LayerConfig layer;
    layer.line = t.line();
    if (t.requireString("id", layer.id)) ids.check(t, layer.id);
    t.readString("type", layer.type);
    t.readString("source", layer.source);
    t.readString("source_layer", layer.sourceLayer);
    t.readString("id_attribute", layer.idAttribute);
    t.readString("crs", layer.assumeCrs);
    t.readDouble("resolution_m", layer.resolutionM, 0.0, 10000.0);
    t.readString("name_en", layer.nameEn);
    t.readString("name_zh", layer.nameZh);
    t.readBool("visible", layer.visible);
    t.readDouble("opacity", layer.opacity, 0.0, 1.0);
    t.readBool("synthetic", layer.synthetic);
    if (const auto style = t.table("style")) parseStyle(*style, layer.style);
    for (const ConfigTable& alternative : t.tables("styles")) {
      parseAlternativeStyle(alternative, layer.style, layer.alternativeStyles.emplace_back());
    }
    // The type's own keys. Another type's table in this layer is still checked (typos are reported as they always
    // were) but gives this layer nothing.
    for (const auto& [type, parser] : schema.layerTypes) {
      const bool ofThisType = type == layer.type;
      const bool present =
          std::any_of(parser.keys.begin(), parser.keys.end(), [&t](const std::string& k) { return t.has(k); });
      if (!parser.parse || (!ofThisType && !present)) continue;
      auto options = parser.parse(t, ofThisType);
      if (ofThisType) layer.typeOptions = std::move(options);
    }
    out.push_back(std::move(layer));
  }
}

}  // namespace gt::config_sections
