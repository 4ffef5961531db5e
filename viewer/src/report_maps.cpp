#include "report_maps.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include <osg/ComputeBoundsVisitor>
#include <osg/Drawable>

#include "greentwin/layers/field_layer.hpp"
#include "greentwin/runtime/twin.hpp"
#include "greentwin/viewer/app.hpp"

namespace gt::viewer {
namespace {

// A plugin's setting as text, or `fallback` (the bundled demo's value) when the plugin or setting is not there.
std::string pluginSetting(const runtime::Twin& twin, const std::string& plugin, const std::string& key,
                          const std::string& fallback) {
  for (const runtime::PluginSetting& s : twin.plugins().settings(plugin)) {
    if (s.key == key && !s.text.empty()) return s.text;
  }
  return fallback;
}

// The style of `layer` colouring by `colorBy`: its own or one of its [[layers.styles]]; nullptr when none.
const LayerStyleConfig* styleColouringBy(const layers::Layer& layer, const std::string& colorBy) {
  const LayerConfig& config = layer.config();
  if (config.style.colorBy == colorBy) return &config.style;
  for (const LayerStyleConfig& s : config.alternativeStyles) {
    if (s.colorBy == colorBy) return &s;
  }
  return nullptr;
}

// Why `scene` cannot be drawn with the twin's layers ("" when it can).
std::string sceneProblem(const runtime::Twin& twin, const EvidenceScene& scene) {
  if (scene.layers.empty()) return "no layer of the config shows this evidence";
  for (const EvidenceLayer& e : scene.layers) {
    const layers::Layer* layer = twin.findLayer(e.layerId);
    if (layer == nullptr) return "the config has no layer '" + e.layerId + "'";
    if (layer->state() != layers::LayerState::Open) return "layer '" + e.layerId + "' is not loaded: " + layer->status().message();
    if (!e.colorBy.empty() && e.highlighted.empty() && styleColouringBy(*layer, e.colorBy) == nullptr) {
      return "layer '" + e.layerId + "' has no style colouring by '" + e.colorBy + "'";
    }
  }
  return "";
}

// "forest, green_belt" -> {"forest", "green_belt"}.
std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    std::string item = text.substr(start, end - start);
    item.erase(0, item.find_first_not_of(' '));
    item.erase(item.find_last_not_of(' ') + 1);
    if (!item.empty()) out.push_back(item);
    start = end + 1;
  }
  return out;
}

// Whether `e` draws `layer` otherwise than it is drawn now.
bool needsRestyle(const layers::Layer& layer, const EvidenceLayer& e) {
  return !e.highlighted.empty() || e.pointSizePx > 0 || !e.classColors.empty() ||
         (!e.colorBy.empty() && layer.config().style.colorBy != e.colorBy);
}

// The style `e` asks of `layer` (sceneProblem checked that it can be made).
LayerStyleConfig evidenceStyle(const layers::Layer& layer, const EvidenceLayer& e) {
  const LayerStyleConfig* lender = e.colorBy.empty() ? nullptr : styleColouringBy(layer, e.colorBy);
  LayerStyleConfig style = lender != nullptr ? *lender : layer.config().style;
  if (e.pointSizePx > 0) style.pointSizePx = e.pointSizePx;
  if (!e.classColors.empty() && e.classColors.size() == style.colors.size()) style.colors = e.classColors;
  if (e.highlighted.empty()) return style;
  style.colorMode = "categorical";
  style.colorBy = e.colorBy;
  style.classifier.clear();
  style.categories.clear();
  for (const std::string& value : e.highlighted) style.categories.emplace_back(value, e.highlight);
  style.otherColor = e.otherColor;
  return style;
}

// Remembers the twin's layers as they were, and puts them back.
class LayerStateGuard {
 public:
  explicit LayerStateGuard(runtime::Twin& twin) : twin_(twin) {
    for (const auto& layer : twin.layers()) saved_.push_back({layer.get(), layer->visible(), layer->config().style});
  }
  ~LayerStateGuard() {
    for (const Saved& s : saved_) {
      s.layer->setVisible(s.visible);
      if (restyled_.count(s.layer->id()) != 0) (void)twin_.restyleLayer(s.layer->id(), s.style);
    }
  }
  void noteRestyled(const std::string& id) { restyled_.insert(id); }

 private:
  struct Saved {
    layers::Layer* layer;
    bool visible;
    LayerStyleConfig style;
  };
  runtime::Twin& twin_;
  std::vector<Saved> saved_;
  std::set<std::string> restyled_;
};

// Shows `scene` alone over the base layers. Errors: a style that cannot be applied.
Status showScene(runtime::Twin& twin, const EvidenceScene& scene, const std::string& districtLayer,
                 LayerStateGuard& guard) {
  for (const auto& layer : twin.layers()) {
    const bool inScene = std::any_of(scene.layers.begin(), scene.layers.end(),
                                     [&layer](const EvidenceLayer& e) { return e.layerId == layer->id(); });
    layer->setVisible(inScene || layer->id() == districtLayer);  // the district's outline under every scene
  }
  for (const EvidenceLayer& e : scene.layers) {
    layers::Layer* layer = twin.findLayer(e.layerId);
    if (!needsRestyle(*layer, e)) continue;
    guard.noteRestyled(e.layerId);
    if (Status s = twin.restyleLayer(e.layerId, evidenceStyle(*layer, e)); !s) return s;
  }
  return Status::ok();
}

// Straight down on `box` (scene frame), filling a width x height image with a margin; nullopt for an empty box.
std::optional<OrbitPose> viewOfBox(const osg::BoundingBox& box, int width, int height) {
  if (!box.valid() || box.xMax() <= box.xMin() || box.yMax() <= box.yMin()) return std::nullopt;
  constexpr double kHalfFovY = 20.0 * 3.14159265358979323846 / 180.0;  // the views' 40 degree field (app.cpp)
  constexpr double kMargin = 1.06;
  const double aspect = static_cast<double>(width) / std::max(1, height);
  const double halfHeight = 0.5 * std::max(static_cast<double>(box.yMax() - box.yMin()),
                                           static_cast<double>(box.xMax() - box.xMin()) / aspect);
  OrbitPose pose;
  pose.center = box.center();
  pose.headingDeg = 0.0;
  pose.pitchDeg = -89.9;
  pose.range = kMargin * halfHeight / std::tan(kHalfFovY) + (box.zMax() - box.center().z());
  return pose;
}

// The maps' camera: straight down on the area's polygons, or for the district on the district layer's extent;
// nullopt (the config's home view) when neither is there.
std::optional<OrbitPose> mapView(const runtime::Twin& twin, const runtime::IndicatorArea& area,
                                 const std::string& districtLayer, int width, int height) {
  osg::BoundingBox box;
  if (!area.wholeTwin()) {
    for (const Polygon& polygon : area.shape.polygons) {
      for (const auto& ring : polygon.rings) {
        for (const Vec3d& p : ring) box.expandBy(osg::Vec3d(p.x, p.y, p.z));
      }
    }
  } else if (const layers::Layer* layer = twin.findLayer(districtLayer); layer != nullptr && layer->node() != nullptr) {
    osg::ComputeBoundsVisitor bounds;
    layer->node()->accept(bounds);
    box = bounds.getBoundingBox();
  }
  return viewOfBox(box, width, height);
}

EvidenceLayer asConfigured(const std::string& layerId) {
  EvidenceLayer e;
  e.layerId = layerId;
  return e;
}

std::string mapFileName(int number) {
  char name[32];
  std::snprintf(name, sizeof name, "images/map_%02d.png", number);
  return name;
}

}  // namespace

std::vector<EvidenceScene> evidenceScenes(const runtime::Twin& twin) {
  const std::string stations = pluginSetting(twin, "air_quality", "station_layer", "city-aq-stations");
  const std::string green = pluginSetting(twin, "forest", "green_layer", "city-green-spaces");
  const std::string residential = pluginSetting(twin, "forest", "residential_layer", "city-buildings");
  const std::vector<std::string> forestKinds = splitList(pluginSetting(twin, "forest", "forest_kinds", "forest,green_belt"));
  const std::vector<std::string> parkKinds = splitList(pluginSetting(twin, "forest", "park_kinds", "park"));

  std::vector<EvidenceScene> scenes;
  EvidenceScene pm25{14, "空气质量监测站与 PM2.5 插值面", "Air-quality stations over the PM2.5 surface", {}, ""};
  // The surface(s) first: drawn under the stations. A layer of another type has no field options (no provider).
  for (const auto& layer : twin.layers()) {
    if (layers::fieldOptions(layer->config()).provider.rfind("air_quality.", 0) == 0) {
      pm25.layers.push_back(asConfigured(layer->id()));
    }
  }
  EvidenceLayer stationMarkers = asConfigured(stations);
  stationMarkers.pointSizePx = 16;
  pm25.layers.push_back(stationMarkers);
  scenes.push_back(pm25);
  // #17: the kinds counted as forest land, the other green spaces grey.
  scenes.push_back({17, "森林用地", "Forest land", {{green, "kind", forestKinds, "#2e7d32", "#9e9e9e66", 0, {}}}, ""});
  // #18: the parks pale (the covered homes are the classifier's dark green), the other green spaces left out.
  EvidenceLayer homes = asConfigured(residential);
  homes.colorBy = "park_covered";
  homes.classColors = {"#ff7043", "#76ff03"};  // no park within 500 m, a park within 500 m
  scenes.push_back({18, "公园 500 米服务半径覆盖的住宅建筑", "Residential buildings within 500 m of a park",
                    {{green, "kind", parkKinds, "#aed581cc", "#00000000", 0, {}}, homes}, ""});
  for (EvidenceScene& scene : scenes) scene.problem = sceneProblem(twin, scene);
  return scenes;
}

std::vector<ReportMap> renderEvidenceMaps(runtime::Twin& twin, const std::vector<EvidenceScene>& scenes,
                                          const MapRequest& request) {
  std::vector<ReportMap> maps;
  for (const EvidenceScene& scene : scenes) {
    ReportMap map;
    map.number = scene.number;
    map.titleZh = scene.titleZh;
    map.titleEn = scene.titleEn;
    map.problem = scene.problem;
    maps.push_back(std::move(map));
  }
  if (std::all_of(maps.begin(), maps.end(), [](const ReportMap& m) { return !m.problem.empty(); })) return maps;

  const std::string districtLayer = pluginSetting(twin, "forest", "district_layer", "tongzhou-district");
  LayerStateGuard guard(twin);
  RenderRequest render;
  render.width = request.width;
  render.height = request.height;
  render.drawUi = false;
  render.time = request.time;
  render.language = request.language;
  render.view = mapView(twin, request.area, districtLayer, request.width, request.height);
  auto session = OffscreenSession::open(twin, render);
  if (!session) {
    for (ReportMap& map : maps) {
      if (map.problem.empty()) map.problem = session.status().message();
    }
    return maps;
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(request.folder) / "images", ec);
  for (std::size_t i = 0; i < scenes.size(); ++i) {
    ReportMap& map = maps[i];
    if (!map.problem.empty()) continue;
    if (Status s = showScene(twin, scenes[i], districtLayer, guard); !s) {
      map.problem = s.message();
      continue;
    }
    // A restyled layer draws its values again on its next update; a few frames let everything settle.
    for (int frame = 0; frame < 3; ++frame) (*session)->frame();
    auto image = (*session)->capturedFrame();
    if (!image) {
      map.problem = image.status().message();
      continue;
    }
    const std::string file = mapFileName(scenes[i].number);
    if (Status s = writePng(**image, (std::filesystem::path(request.folder) / file).string()); !s) {
      map.problem = s.message();
      continue;
    }
    map.file = file;
    for (const EvidenceLayer& e : scenes[i].layers) {
      const layers::Layer* layer = twin.findLayer(e.layerId);
      ReportMap::Legend legend{layer->config().nameZh, layer->config().nameEn, {}};
      for (const layers::LegendEntry& entry : layer->legend()) {
        if (entry.color[3] > 0) legend.entries.push_back(entry);  // not what the scene left out (transparent)
      }
      map.legends.push_back(std::move(legend));
    }
  }
  return maps;
}

}  // namespace gt::viewer
