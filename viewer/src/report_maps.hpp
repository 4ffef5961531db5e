#pragma once
// The map images of an indicators report (docs/indicators.md "Report"): each indicator's evidence drawn headless
// (EGL, no X server) from the config's home view at the report's time, with only that evidence shown over the
// district (the terrain is left out: its green would hide the green spaces):
//   #18 the residential buildings by `park_covered` (within 500 m of a park or not; the forest plugin's
//       residential_layer; orange and bright green, as the legend says) over the parks (its green_layer's
//       `park_kinds`, the other green spaces left out);
//   #17 the forest land: the green spaces of the forest plugin's `forest_kinds` in forest green, the others grey;
//   #14 the air-quality stations (the air_quality plugin's station_layer) over the PM2.5 surface (field layers
//       whose provider is an air_quality one).
// The layers and kinds are the plugins' settings, so another config's names follow; a scene whose layers are
// missing is not drawn and says why. Update thread.

#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicator_area.hpp"
#include "report_model.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

struct EvidenceLayer {
  std::string layerId;
  // Draw it with the layer's style (own or [[layers.styles]]) colouring by `colorBy`; "": as it is.
  std::string colorBy;
  // Or draw it categorical by `colorBy` with these values in `highlight` and every other value in `otherColor`
  // (the layer's categorical style by that attribute lends its other settings and Chinese names). Empty: unused.
  std::vector<std::string> highlighted;
  std::string highlight = "#2e7d32";
  std::string otherColor = "#9e9e9e80";
  double pointSizePx = 0;  // > 0: its points drawn this big (markers over a surface)
  // Non-empty: the colours of a graduated style's classes instead of its own (one per class), where the style's
  // would not stand out on the dark map (the classifier's dark green of a covered home).
  std::vector<std::string> classColors;
};

struct EvidenceScene {
  int number = 0;
  std::string titleZh, titleEn;
  std::vector<EvidenceLayer> layers;  // drawn bottom to top as the config orders them
  std::string problem;                // why it cannot be drawn (a layer the config lacks); "" when it can
};

// The scenes for `twin`'s config, in indicator order 14, 17, 18.
std::vector<EvidenceScene> evidenceScenes(const runtime::Twin& twin);

struct MapRequest {
  TimePoint time = 0;
  int width = 1200;
  int height = 1000;
  Language language = Language::Chinese;
  std::string folder;   // the report's folder being written: images go to folder/images/
  runtime::IndicatorArea area = runtime::districtArea();  // what the maps frame
};

// Draws each scene that can be drawn to images/map_NN.png, looking straight down on the area (the district: the
// forest plugin's district_layer; else the config's home view); every scene gives a ReportMap (file, or problem). The
// twin's layers are left as they were (visibility and style). A render failure (no EGL) is each map's problem.
std::vector<ReportMap> renderEvidenceMaps(runtime::Twin& twin, const std::vector<EvidenceScene>& scenes,
                                          const MapRequest& request);

}  // namespace gt::viewer
