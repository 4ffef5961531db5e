#include "greentwin/viewer/ui.hpp"
#include "alerts_panel.hpp"
#include "bim_panel.hpp"
#include "feed_health_panel.hpp"
#include "indicator_panel.hpp"
#include "indicator_wall.hpp"
#include "layer_workbench.hpp"
#include "measure_tool.hpp"
#include "search_box.hpp"
#include "project_menu.hpp"
#include "scenario_panel.hpp"
#include "series_export.hpp"
#include "time_compare_panel.hpp"
#include "selection_panel.hpp"
#include "wall_overlay.hpp"
#include "plugin_panel.hpp"

#include <imgui.h>
#include <spdlog/spdlog.h>
#include <osg/Viewport>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "greentwin/core/time.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/runtime/twin.hpp"

namespace gt::viewer {
namespace {

constexpr int kBeijingUtcOffsetMinutes = 8 * 60;
constexpr float kStatusBarHeight = 26.0f;
constexpr float kTimeBarHeight = 64.0f;
const ImVec4 kErrorColor(1.0f, 0.45f, 0.4f, 1.0f);
const ImVec4 kSyntheticColor(1.0f, 0.8f, 0.35f, 1.0f);

ImVec4 toImVec4(const layers::Rgba& c) { return {c[0], c[1], c[2], c[3]}; }

std::string shortTime(TimePoint t) {
  std::string iso = formatIsoTime(t, kBeijingUtcOffsetMinutes);  // 2026-11-26T16:00:00+08:00
  if (iso.size() >= 19) iso = iso.substr(0, 10) + " " + iso.substr(11, 8);
  return iso;
}

}  // namespace

void CommandQueue::applyAll() {
  auto commands = std::move(pending_);
  pending_.clear();
  for (auto& command : commands) command();
}

Ui::Ui(runtime::Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator, osg::Camera* camera)
    : twin_(twin), state_(state), commands_(commands), manipulator_(manipulator), camera_(camera) {}

const std::string& Ui::pick(const std::string& en, const std::string& zh) const {
  return byLanguage(en, zh, state_.language);
}

std::vector<std::string> Ui::newDataStrings() {
  std::vector<std::string> out;
  const Config& config = twin_.config();
  if (!reportedConfigStrings_) {
    out.push_back(config.display.title);  // the twin's name in the menu bar (appTitle)
    out.push_back(config.display.titleEn);
    out.push_back(config.display.titleZh);
    for (const auto& layer : config.layers) {
      out.push_back(layer.nameEn);
      out.push_back(layer.nameZh);
      for (const auto& [value, colour] : layer.style.categories) out.push_back(value);
    }
    for (const auto& bookmark : config.bookmarks) {
      out.push_back(bookmark.nameEn);
      out.push_back(bookmark.nameZh);
    }
    for (std::string& s : bimPanelStrings()) out.push_back(std::move(s));
    for (std::string& s : measureToolStrings()) out.push_back(std::move(s));
    for (std::string& s : layerWorkbenchStrings()) out.push_back(std::move(s));
    for (std::string& s : searchBoxStrings()) out.push_back(std::move(s));
    for (std::string& s : selectionPanelStrings()) out.push_back(std::move(s));
    for (std::string& s : scenarioPanelStrings()) out.push_back(std::move(s));
    for (std::string& s : projectMenuStrings()) out.push_back(std::move(s));
    for (std::string& s : seriesExportStrings()) out.push_back(std::move(s));
    for (std::string& s : timeComparePanelStrings()) out.push_back(std::move(s));
    reportedConfigStrings_ = true;
  }
  // Plugins: names, settings, KPIs and messages (which change at run time); the glyph set ignores repeats.
  for (std::string& s : pluginPanelStrings(twin_)) out.push_back(std::move(s));
  for (std::string& s : feedHealthPanelStrings(twin_)) out.push_back(std::move(s));  // source and publisher ids
  for (std::string& s : alertsPanelStrings(twin_, reportedAlerts_)) out.push_back(std::move(s));  // alert messages
  for (std::string& s : indicatorPanelStrings(twin_, reportedIndicators_)) out.push_back(std::move(s));
  // Layers loaded since the last call: their status, warnings and names.
  for (const auto& layer : twin_.layers()) {
    if (layer->state() == layers::LayerState::Created) continue;
    if (!reportedLayers_.insert(layer.get()).second) continue;
    out.push_back(layer->config().nameEn);
    out.push_back(layer->config().nameZh);
    out.push_back(layer->status().message());
    for (const auto& w : layer->warnings()) out.push_back(w);
    for (const auto& entry : layer->legend()) out.push_back(entry.labelZh);
  }
  // Entities registered since the last call (names such as 通州区 come from the data).
  const EntityStore& entities = twin_.entities();
  for (; reportedEntities_ < entities.size(); ++reportedEntities_) {
    const Entity* e = entities.get(static_cast<EntityIndex>(reportedEntities_));
    out.push_back(e->id);
    out.push_back(e->kind);
    for (const auto& [key, value] : e->properties) {
      out.push_back(key);
      if (const auto* text = std::get_if<std::string>(&value)) out.push_back(*text);
    }
  }
  return out;
}

void Ui::draw() {
  if (!state_.showUi) return;
  if (state_.showIndicatorWall) return drawIndicatorWall(twin_, state_);  // indicator_wall.cpp: the whole window
  if (state_.wallOverlay) {  // wall_overlay.cpp: a wall or kiosk display has no panels
    drawLabels();
    return drawWallOverlay(*state_.wallOverlay, state_.language);
  }
  drawLabels();
  advanceSearchFlight(state_, commands_, manipulator_);  // search_box.cpp: the camera on its way to a result
  drawMenuBar();
  drawLayersPanel();
  drawInspector();
  drawBimPanel(twin_, state_, commands_);  // bim_panel.cpp: only while a BIM model is loaded
  drawPluginPanel(twin_, state_, commands_);  // plugin_panel.cpp: only while plugins are configured
  drawFeedHealthPanel(twin_, state_);  // feed_health_panel.cpp: only while opened (status bar, Panels menu)
  drawAlertsPanel(twin_, state_, commands_);  // alerts_panel.cpp: only while opened (menu bar counter, Panels menu)
  drawIndicatorPanel(twin_, state_, commands_, camera_);  // indicator_panel.cpp: shown by default, folded at first (Panels menu)
  drawMeasureOverlay(twin_, state_, camera_);  // measure_tool.cpp: only while a Measure mode is on
  drawMeasureWindow(twin_, state_);
  drawSelectionPanel(twin_, state_);  // selection_panel.cpp: while features are selected inside a polygon
  drawScenarioOverlay(twin_, state_, camera_);  // scenario_panel.cpp: the scenario's edits over the map
  drawScenarioPanel(twin_, state_);  // while opened (Panels menu, or an edit added)
  drawTimeComparePanel(twin_, state_, commands_);  // while opened (Panels menu)
  drawProjectWindow(twin_, state_, commands_, manipulator_);  // project_menu.cpp: while opened, and quitting
  drawTimeBar();
  drawStatusBar();
}

void Ui::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  ImGui::TextUnformatted(appTitle(twin_.config().display, state_.language).c_str());
  ImGui::Separator();
  drawProjectMenu(twin_, state_, commands_, manipulator_);  // project_menu.cpp: save and open project files
  if (ImGui::BeginMenu(t(Text::Camera))) {
    if (ImGui::MenuItem(t(Text::HomeView)) && manipulator_ != nullptr) {
      commands_.push([m = manipulator_] { m->setPose(m->homePose()); });
    }
    ImGui::Separator();
    ImGui::TextDisabled("%s", t(Text::Bookmarks));
    for (const BookmarkConfig& b : twin_.config().bookmarks) {
      if (ImGui::MenuItem(pick(b.nameEn, b.nameZh).c_str()) && manipulator_ != nullptr) {
        auto center = twin_.poseCenter(b.pose);
        if (center) {
          OrbitPose pose{osg::Vec3d(center->x, center->y, center->z), b.pose.headingDeg, b.pose.pitchDeg, b.pose.rangeM};
          commands_.push([m = manipulator_, pose] { m->setPose(pose); });
        }
      }
    }
    drawProjectBookmarks(twin_, state_, commands_, manipulator_);  // the planner's own (project_menu.cpp)
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem(t(Text::Language))) {
    state_.language = state_.language == Language::Chinese ? Language::English : Language::Chinese;
  }
  drawMeasureMenu(state_);  // measure_tool.cpp
  drawSearchBox(twin_, state_, manipulator_);  // search_box.cpp: ids and names, flies to a result
  if (ImGui::BeginMenu(t(Text::Panels))) {
    ImGui::MenuItem(t(Text::FeedHealthPanel), nullptr, &state_.showFeedHealth);
    ImGui::MenuItem(t(Text::Alerts), nullptr, &state_.showAlerts);
    ImGui::MenuItem(indicatorPanelTitle(state_.language), nullptr, &state_.showIndicators);
    ImGui::MenuItem(indicatorWallTitle(state_.language), nullptr, &state_.showIndicatorWall);
    ImGui::MenuItem(state_.language == Language::Chinese ? "情景" : "Scenario", nullptr, &state_.showScenario);
    drawTimeCompareMenuItem(state_);  // time_compare_panel.cpp
    ImGui::EndMenu();
  }
  drawAlertsMenuCounter(twin_, state_);  // alerts_panel.cpp: while active alerts are unacknowledged
  ImGui::EndMainMenuBar();
}

void Ui::drawLayersPanel() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float top = ImGui::GetFrameHeight() + 8;
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + 8, vp->Pos.y + top), ImGuiCond_FirstUseEver);
  // Fixed width, height follows the content up to the space above the time bar (then it scrolls).
  const float maxHeight = std::max(120.0f, vp->Size.y - top - kTimeBarHeight - kStatusBarHeight - 16);
  ImGui::SetNextWindowSizeConstraints(ImVec2(420, 0), ImVec2(420, maxHeight));
  if (!ImGui::Begin(t(Text::Layers), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  const auto& layers = twin_.layers();
  // Top of the list = drawn on top: show in reverse draw order. One line per layer; details fold out.
  for (std::size_t row = 0; row < layers.size(); ++row) {
    const std::size_t index = layers.size() - 1 - row;
    layers::Layer* layer = layers[index].get();
    const LayerConfig& lc = layer->config();
    ImGui::PushID(layer->id().c_str());
    bool visible = layer->visible();
    if (ImGui::Checkbox("##visible", &visible)) commands_.push([layer, visible] { layer->setVisible(visible); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::LayerVisible));
    ImGui::SameLine();
    const auto legend = layer->legend();
    const ImVec4 swatch = legend.empty() ? ImVec4(0.4f, 0.4f, 0.4f, 1) : toImVec4(legend.front().color);
    ImGui::ColorButton("##swatch", swatch, ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoPicker, ImVec2(12, 12));
    ImGui::SameLine();
    if (state_.unfoldLayer == layer->id()) ImGui::SetNextItemOpen(true, ImGuiCond_Once);
    const bool open = ImGui::TreeNodeEx("##details", 0, "%s", pick(lc.nameEn, lc.nameZh).c_str());
    if (lc.synthetic) {
      ImGui::SameLine();
      ImGui::TextColored(kSyntheticColor, "%s", t(Text::SyntheticShort));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::SyntheticData));
    }
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - 44);
    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) commands_.push([this, index] { twin_.moveLayer(index, +1); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::MoveUp));
    ImGui::SameLine(0, 2);
    if (ImGui::ArrowButton("##down", ImGuiDir_Down)) commands_.push([this, index] { twin_.moveLayer(index, -1); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::MoveDown));
    // Status under the name: loading progress, an error, the synthetic-data tag.
    if (layer->state() == layers::LayerState::Created) drawLoadProgress(*layer);
    if (layer->state() == layers::LayerState::Error) {
      ImGui::TextColored(kErrorColor, "  [%s]", t(Text::LayerStatusError));
      ImGui::SameLine();
      ImGui::PushTextWrapPos(0.0f);
      ImGui::TextColored(kErrorColor, "%s", layer->status().message().c_str());
      ImGui::PopTextWrapPos();
    }
    if (open) {
      drawLayerDetails(*layer);
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  ImGui::Separator();
  if (ImGui::Button(t(Text::AddLayer))) {
    addForm_ = AddLayerForm{};
    ImGui::OpenPopup("add-layer");
  }
  drawAddLayerDialog();
  ImGui::End();
}

void Ui::drawLoadProgress(const layers::Layer& layer) {
  for (const runtime::LoadProgress& p : twin_.loadProgress()) {
    if (p.layerId != layer.id()) continue;
    char overlay[96];
    std::snprintf(overlay, sizeof overlay, "%s: %s %d%%", t(Text::Loading), p.stage.c_str(),
                  static_cast<int>(p.fraction * 100));
    ImGui::ProgressBar(static_cast<float>(p.fraction), ImVec2(-FLT_MIN, 0), overlay);
    return;
  }
  ImGui::TextDisabled("  %s...", t(Text::Loading));
}

void Ui::drawLayerDetails(layers::Layer& layer) {
  const LayerConfig& lc = layer.config();
  float opacity = static_cast<float>(layer.opacity());
  ImGui::SetNextItemWidth(-FLT_MIN);
  char opacityFormat[64];
  std::snprintf(opacityFormat, sizeof opacityFormat, "%s %%.2f", t(Text::LayerOpacity));
  if (ImGui::SliderFloat("##opacity", &opacity, 0.0f, 1.0f, opacityFormat)) {
    commands_.push([&layer, opacity] { layer.setOpacity(opacity); });
  }
  ImGui::TextDisabled("%s: %s", t(Text::Source), lc.source.c_str());
  if (layer.slotCount() > 0) ImGui::TextDisabled("%zu %s", layer.slotCount(), t(Text::Features));
  if (!layer.warnings().empty()) {
    ImGui::TextColored(kSyntheticColor, "%zu %s", layer.warnings().size(), t(Text::Warnings));
    if (ImGui::IsItemHovered()) {
      ImGui::BeginTooltip();
      for (std::size_t i = 0; i < std::min<std::size_t>(layer.warnings().size(), 12); ++i) {
        ImGui::TextUnformatted(layer.warnings()[i].c_str());
      }
      ImGui::EndTooltip();
    }
  }
  drawStyleSwitch(layer);
  // Legend: every class of the layer's colour rule.
  const auto legend = layer.legend();
  if (!legend.empty()) {
    ImGui::TextDisabled("%s", t(Text::Legend));
    for (const auto& entry : legend) {
      ImGui::ColorButton("##legend", toImVec4(entry.color), ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoPicker,
                         ImVec2(12, 12));
      ImGui::SameLine();
      ImGui::TextUnformatted(pick(entry.labelEn, entry.labelZh).c_str());
    }
  }
  if (layer.state() != layers::LayerState::Open) return;
  drawLayerWorkbench(twin_, layer, state_, commands_);  // layer_workbench.cpp: filter, colour by attribute
  // Common style settings, applied in place (no reload): colours, widths, sizes.
  if (!ImGui::TreeNode(t(Text::Style))) return;
  LayerStyleConfig style = lc.style;
  bool changed = false;
  auto colourEdit = [&changed](const char* label, std::string& hex) {
    auto rgba = layers::parseColor(hex);
    if (!rgba) return;
    float c[4] = {(*rgba)[0], (*rgba)[1], (*rgba)[2], (*rgba)[3]};
    if (ImGui::ColorEdit4(label, c, ImGuiColorEditFlags_NoInputs | ImGuiColorEditFlags_AlphaBar)) {
      char text[10];
      std::snprintf(text, sizeof text, "#%02x%02x%02x%02x", static_cast<int>(c[0] * 255 + 0.5f),
                    static_cast<int>(c[1] * 255 + 0.5f), static_cast<int>(c[2] * 255 + 0.5f),
                    static_cast<int>(c[3] * 255 + 0.5f));
      hex = text;
      changed = true;
    }
  };
  if (style.colorMode == "single") colourEdit(t(Text::FillColor), style.fillColor);
  for (auto& [value, colour] : style.categories) colourEdit(value.c_str(), colour);
  for (std::size_t i = 0; i < style.colors.size(); ++i) {
    const std::string label = legend.size() > i ? pick(legend[i].labelEn, legend[i].labelZh) : std::to_string(i);
    colourEdit(label.c_str(), style.colors[i]);
  }
  if (twin_.layerTypes().traits(lc.type).strokeStyle) {  // outline, line width, point size
    colourEdit(t(Text::OutlineColor), style.outlineColor);
    float width = static_cast<float>(style.lineWidthPx);
    if (ImGui::SliderFloat(t(Text::LineWidth), &width, 0.5f, 12.0f, "%.1f px")) {
      style.lineWidthPx = width;
      changed = true;
    }
    float size = static_cast<float>(style.pointSizePx);
    if (ImGui::SliderFloat(t(Text::PointSize), &size, 1.0f, 32.0f, "%.0f px")) {
      style.pointSizePx = size;
      changed = true;
    }
  }
  if (changed) {
    commands_.push([this, id = layer.id(), style] {
      const Status s = twin_.restyleLayer(id, style);
      styleError_ = s.isOk() ? std::string() : s.message();
      styleErrorLayer_ = id;
    });
  }
  if (!styleError_.empty() && styleErrorLayer_ == layer.id()) ImGui::TextColored(kErrorColor, "%s", styleError_.c_str());
  ImGui::TreePop();
}

// "Colour by": the styles a layer offers ([[layers.styles]], its own first), switched in place without a reload.
void Ui::drawStyleSwitch(const layers::Layer& layer) {
  const LayerConfig& lc = layer.config();
  if (lc.alternativeStyles.empty() || layer.state() != layers::LayerState::Open) return;
  const auto label = [this, &lc](std::size_t i) {
    const LayerStyleConfig& s = lc.alternativeStyles[i];
    const std::string name = pick(s.nameEn, s.nameZh);
    return name.empty() ? (s.colorBy.empty() ? std::to_string(i + 1) : s.colorBy) : name;
  };
  const LayerStyleConfig& current = lc.style;
  std::size_t shown = lc.alternativeStyles.size();
  for (std::size_t i = 0; i < lc.alternativeStyles.size(); ++i) {
    const LayerStyleConfig& s = lc.alternativeStyles[i];
    if (s.nameEn == current.nameEn && s.nameZh == current.nameZh && s.colorBy == current.colorBy) {
      shown = i;
      break;
    }
  }
  ImGui::SetNextItemWidth(-FLT_MIN);
  const std::string preview = std::string(t(Text::ColourBy)) + ": " + (shown < lc.alternativeStyles.size() ? label(shown) : "-");
  if (!ImGui::BeginCombo("##colour-by", preview.c_str())) return;
  for (std::size_t i = 0; i < lc.alternativeStyles.size(); ++i) {
    if (ImGui::Selectable(label(i).c_str(), i == shown) && i != shown) {
      commands_.push([this, id = layer.id(), style = lc.alternativeStyles[i]] {
        const Status s = twin_.restyleLayer(id, style);
        styleError_ = s.isOk() ? std::string() : s.message();
        styleErrorLayer_ = id;
      });
    }
  }
  ImGui::EndCombo();
}

void Ui::drawInspector() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + vp->Size.x - 8, vp->Pos.y + ImGui::GetFrameHeight() + 8),
                          ImGuiCond_FirstUseEver, ImVec2(1, 0));
  ImGui::SetNextWindowSize(ImVec2(340, 0), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin(t(Text::Inspector), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  const Entity* entity = state_.selected ? twin_.entities().get(*state_.selected) : nullptr;
  if (entity == nullptr) {
    ImGui::TextWrapped("%s", t(Text::NothingSelected));
  } else {
    ImGui::Text("%s: %s", t(Text::EntityId), entity->id.c_str());
    ImGui::Text("%s: %s", t(Text::EntityKind), entity->kind.c_str());
    if (const layers::Layer* layer = twin_.layerOfEntity(*state_.selected); layer != nullptr) {
      ImGui::Text("%s: %s", t(Text::EntityLayer), pick(layer->config().nameEn, layer->config().nameZh).c_str());
    }
    ImGui::Separator();
    ImGui::TextDisabled("%s", t(Text::Properties));
    if (ImGui::BeginTable("props", 2, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_RowBg)) {
      for (const auto& [key, value] : entity->properties) {
        ImGui::TableNextRow();
        ImGui::TableSetColumnIndex(0);
        ImGui::TextUnformatted(key.c_str());
        ImGui::TableSetColumnIndex(1);
        ImGui::TextUnformatted(formatPropertyValue(value).c_str());
      }
      ImGui::EndTable();
    }
    drawLiveValues(*state_.selected);
    // A BIM element: its storey's live values (a feed publishes per storey; docs/bim.md "Storeys as entities").
    const auto storey = twin_.bimStoreyOf(*state_.selected);
    const Entity* s = storey ? twin_.entities().get(*storey) : nullptr;
    if (s != nullptr && !twin_.seriesAttributes(*storey).empty()) {
      const auto name = layers::textOf(s->properties, "name");
      ImGui::Separator();
      ImGui::Text("%s: %s", t(Text::BimStorey), name && !name->empty() ? name->c_str() : s->id.c_str());
      ImGui::PushID("storey");
      drawLiveValues(*storey);
      ImGui::PopID();
    }
  }
  ImGui::End();
}

// The selected entity's time-series attributes at the clock's time: value, age and a LIVE / STALE badge (the
// twin's stale rule, the same one the layers draw with), then a chart of each over the last chartHours_ hours.
void Ui::drawLiveValues(EntityIndex entity) {
  const std::vector<AttributeId> attributes = twin_.seriesAttributes(entity);
  if (attributes.empty()) return;
  const TimePoint now = twin_.frameTime();
  ImGui::Separator();
  ImGui::TextDisabled("%s", t(Text::LiveValues));
  if (ImGui::BeginTable("live", 3, ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_RowBg)) {
    for (AttributeId a : attributes) {
      const AttributeInfo* info = twin_.entities().attributes().info(a);
      if (info == nullptr) continue;
      const runtime::Twin::LiveValue v = twin_.liveValue(entity, a, now);
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(info->name.c_str());
      ImGui::TableSetColumnIndex(1);
      if (v.state == layers::SlotState::NoData) {
        ImGui::TextDisabled("%s", t(Text::ValueNoData));
        continue;
      }
      ImGui::Text("%.1f  (%.0f %s)", v.value, static_cast<double>(v.age) / 1e6, t(Text::SecondsAgo));
      ImGui::TableSetColumnIndex(2);
      if (v.state == layers::SlotState::Live) {
        ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.5f, 1), "%s", t(Text::ValueLive));
      } else {
        ImGui::TextColored(ImVec4(1.0f, 0.35f, 0.3f, 1), "%s", t(Text::ValueStale));
      }
    }
    ImGui::EndTable();
  }
  ImGui::TextDisabled("%s", t(Text::Chart));
  for (int hours : {1, 6, 24}) {
    ImGui::SameLine();
    const std::string label = std::to_string(hours) + " " + t(Text::ChartHours);
    if (ImGui::RadioButton(label.c_str(), chartHours_ == hours)) chartHours_ = hours;
  }
  for (AttributeId a : attributes) {
    const AttributeInfo* info = twin_.entities().attributes().info(a);
    if (info != nullptr) drawSeriesChart(info->name, entity, a);
  }
}

// A line chart drawn by hand (time on x, so irregular samples sit where they belong): the mean line, the
// min..max band of downsampled buckets, the value range on the left and clock times under the axis.
void Ui::drawSeriesChart(const std::string& attribute, EntityIndex entity, AttributeId id) {
  const TimePoint t1 = twin_.frameTime();
  const TimePoint t0 = t1 - static_cast<Duration>(chartHours_) * 3600 * kMicrosPerSecond;
  const RangeResult r = twin_.sampleRange(entity, id, t0, t1, 240);
  ImGui::TextUnformatted(attribute.c_str());
  ImGui::SameLine();
  drawSeriesExport(twin_, state_, entity, id, t0, t1);  // series_export.cpp: the chart's samples as CSV
  const float width = 300.0f;  // fixed: the inspector auto-resizes to its content
  const ImVec2 size(width, 80.0f);
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p1(p0.x + size.x, p0.y + size.y);
  dl->AddRectFilled(p0, p1, IM_COL32(20, 26, 34, 230));
  dl->AddRect(p0, p1, IM_COL32(90, 100, 115, 255));
  const auto hhmm = [](TimePoint t) { return formatIsoTime(t, 8 * 60).substr(11, 5); };  // Beijing time
  if (r.points.empty()) {
    dl->AddText(ImVec2(p0.x + 8, p0.y + size.y / 2 - 8), IM_COL32(160, 160, 160, 255), t(Text::ChartNoSamples));
  } else {
    double lo = r.points.front().min;
    double hi = r.points.front().max;
    for (const RangeBucket& b : r.points) {
      lo = std::min(lo, b.min);
      hi = std::max(hi, b.max);
    }
    if (hi - lo < 1e-9) {
      lo -= 1;
      hi += 1;
    }
    const double pad = (hi - lo) * 0.08;
    lo -= pad;
    hi += pad;
    const float left = p0.x + 44;
    const auto x = [&](TimePoint t) {
      return left + static_cast<float>(static_cast<double>(t - t0) / static_cast<double>(t1 - t0)) * (p1.x - 4 - left);
    };
    const auto y = [&](double v) { return p1.y - 4 - static_cast<float>((v - lo) / (hi - lo)) * (size.y - 8); };
    std::vector<ImVec2> line;
    line.reserve(r.points.size());
    for (const RangeBucket& b : r.points) {
      const TimePoint tc = r.raw ? b.time : b.time + r.bucketWidth / 2;
      if (!r.raw && b.max > b.min) {
        dl->AddRectFilled(ImVec2(x(b.time), y(b.max)), ImVec2(std::max(x(b.time + r.bucketWidth), x(b.time) + 1), y(b.min)),
                          IM_COL32(79, 195, 247, 60));
      }
      line.emplace_back(x(tc), y(b.mean));
    }
    if (line.size() == 1) {
      dl->AddCircleFilled(line[0], 2.5f, IM_COL32(79, 195, 247, 255));
    } else {
      dl->AddPolyline(line.data(), static_cast<int>(line.size()), IM_COL32(79, 195, 247, 255), 0, 1.5f);
    }
    char text[32];
    std::snprintf(text, sizeof text, "%.0f", hi - pad);
    dl->AddText(ImVec2(p0.x + 4, p0.y + 2), IM_COL32(190, 190, 190, 255), text);
    std::snprintf(text, sizeof text, "%.0f", lo + pad);
    dl->AddText(ImVec2(p0.x + 4, p1.y - ImGui::GetTextLineHeight() - 2), IM_COL32(190, 190, 190, 255), text);
  }
  // Time axis: start, middle, end of the window (Beijing time).
  const std::string a = hhmm(t0);
  const std::string m = hhmm(t0 + (t1 - t0) / 2);
  const std::string b = hhmm(t1);
  ImGui::TextDisabled("%s", a.c_str());
  ImGui::SameLine(size.x / 2 - ImGui::CalcTextSize(m.c_str()).x / 2);
  ImGui::TextDisabled("%s", m.c_str());
  ImGui::SameLine(size.x - ImGui::CalcTextSize(b.c_str()).x);
  ImGui::TextDisabled("%s", b.c_str());
}

// Feed health in the status bar: live and STALE publishers, source errors; the details in a tooltip. A stale
// publisher is shown in red so its values are never read as live. A click opens (or closes) the feed-health panel.
void Ui::drawFeedStatus() {
  if (twin_.config().sources.empty()) {
    ImGui::TextDisabled("%s: %s", t(Text::Feeds), t(Text::NoFeeds));
    if (ImGui::IsItemClicked()) state_.showFeedHealth = !state_.showFeedHealth;
    return;
  }
  const auto health = twin_.feedHealth();
  std::size_t live = 0;
  std::size_t stale = 0;
  for (const PublisherHealth& p : health) {
    live += p.state == FeedState::Live ? 1 : 0;
    stale += p.state == FeedState::Stale ? 1 : 0;
  }
  std::size_t failed = 0;
  for (const auto& s : twin_.sources()) failed += s.status.isOk() ? 0 : 1;
  ImGui::BeginGroup();  // one clickable item
  ImGui::TextUnformatted(t(Text::Feeds));
  ImGui::SameLine();
  ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.5f, 1), "%zu %s", live, t(Text::FeedLive));
  if (stale > 0) {
    ImGui::SameLine();
    ImGui::TextColored(kErrorColor, "%zu %s", stale, t(Text::FeedStale));
  }
  if (failed > 0) {
    ImGui::SameLine();
    ImGui::TextColored(kErrorColor, "%zu %s", failed, t(Text::LayerStatusError));
  }
  ImGui::EndGroup();
  if (ImGui::IsItemClicked()) state_.showFeedHealth = !state_.showFeedHealth;
  if (!ImGui::IsItemHovered() && !ImGui::IsWindowHovered()) return;
  ImGui::BeginTooltip();
  ImGui::TextDisabled("%s", t(Text::FeedPanelHint));
  for (const auto& s : twin_.sources()) {
    ImGui::Text("%s  %s", s.id.c_str(), s.endpoint.c_str());
    if (!s.status.isOk()) ImGui::TextColored(kErrorColor, "  %s", s.status.message().c_str());
  }
  if (!health.empty() && ImGui::BeginTable("feeds", 5, ImGuiTableFlags_BordersInnerV)) {
    ImGui::TableSetupColumn(t(Text::Publisher));
    ImGui::TableSetupColumn("");
    ImGui::TableSetupColumn(t(Text::UpdatesPerSecond));
    ImGui::TableSetupColumn(t(Text::Gaps));
    ImGui::TableSetupColumn(t(Text::LastSeen));
    ImGui::TableHeadersRow();
    for (const PublisherHealth& p : health) {
      ImGui::TableNextRow();
      ImGui::TableSetColumnIndex(0);
      ImGui::TextUnformatted(p.publisher.c_str());
      ImGui::TableSetColumnIndex(1);
      if (p.state == FeedState::Live) {
        ImGui::TextColored(ImVec4(0.4f, 0.9f, 0.5f, 1), "%s", t(Text::FeedLive));
      } else if (p.state == FeedState::Stale) {
        ImGui::TextColored(kErrorColor, "%s", t(Text::FeedStale));
      } else {
        ImGui::TextDisabled("%s", t(Text::FeedNeverSeen));
      }
      ImGui::TableSetColumnIndex(2);
      ImGui::Text("%.0f", p.updateRate);
      ImGui::TableSetColumnIndex(3);
      ImGui::Text("%llu", static_cast<unsigned long long>(p.gaps));
      ImGui::TableSetColumnIndex(4);
      ImGui::Text("%.1f %s", toSeconds(p.sinceLastSeen), t(Text::SecondsAgo));
    }
    ImGui::EndTable();
  }
  if (const runtime::Twin::HistoryStatus h = twin_.historyStatus(); h.enabled) {  // the history writer (twin_history.cpp)
    ImGui::Text("%s: %llu %s, %llu %s%s%s", t(Text::History), static_cast<unsigned long long>(h.writer.writtenSamples),
                t(Text::HistoryWritten), static_cast<unsigned long long>(h.writer.droppedSamples + h.writer.failedSamples),
                t(Text::HistoryDropped), h.playback ? ", " : "", h.playback ? t(Text::HistoryPlayback) : "");
    if (!h.status.isOk()) ImGui::TextColored(kErrorColor, "  %s", h.status.message().c_str());
  }
  ImGui::EndTooltip();
}

void Ui::drawTimeBar() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - kStatusBarHeight - kTimeBarHeight));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, kTimeBarHeight));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
  if (!ImGui::Begin("##timebar", nullptr, flags)) {
    ImGui::End();
    return;
  }
  Clock& clock = twin_.clock();
  const TimePoint now = twin_.frameTime();
  const TimeRange range = clock.range();
  const bool playing = clock.mode() == ClockMode::Playback;
  if (ImGui::Button(playing ? t(Text::Pause) : t(Text::Play))) {
    commands_.push([&clock, playing] { playing ? clock.pause() : clock.play(); });
  }
  ImGui::SameLine();
  const bool live = clock.isLive();
  if (live) ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.1f, 0.55f, 0.25f, 1.0f));
  if (ImGui::Button(t(Text::Live))) commands_.push([&clock] { clock.goLive(); });
  if (live) ImGui::PopStyleColor();
  ImGui::SameLine();
  static constexpr double kRates[] = {-60.0, -10.0, 0.5, 1.0, 10.0, 60.0, 600.0, 3600.0};
  ImGui::SetNextItemWidth(90);
  char rateLabel[32];
  std::snprintf(rateLabel, sizeof rateLabel, "%gx", clock.rate());
  if (ImGui::BeginCombo(t(Text::Rate), rateLabel)) {
    for (double r : kRates) {
      char label[32];
      std::snprintf(label, sizeof label, "%gx", r);
      if (ImGui::Selectable(label, r == clock.rate())) commands_.push([&clock, r] { (void)clock.setRate(r); });
    }
    ImGui::EndCombo();
  }
  ImGui::SameLine();
  const char* modeText = live ? t(Text::Live) : playing ? t(Text::Playback) : t(Text::Paused);
  ImGui::Text("%s  %s", shortTime(now).c_str(), modeText);

  // Seek slider over the clock's range, in seconds from its start.
  const double length = toSeconds(range.length());
  float position = length > 0 ? static_cast<float>(toSeconds(now - range.begin)) : 0.0f;
  ImGui::SetNextItemWidth(-1);
  const std::string begin = shortTime(range.begin);
  const std::string end = shortTime(range.end);
  char overlay[96];
  std::snprintf(overlay, sizeof overlay, "%s  —  %s", begin.c_str(), end.c_str());
  if (ImGui::SliderFloat("##seek", &position, 0.0f, static_cast<float>(std::max(length, 1.0)), overlay)) {
    const TimePoint target = range.begin + seconds(position);
    commands_.push([&clock, target] { clock.seek(target); });
  }
  ImGui::End();
}

void Ui::drawStatusBar() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, vp->WorkPos.y + vp->WorkSize.y - kStatusBarHeight));
  ImGui::SetNextWindowSize(ImVec2(vp->WorkSize.x, kStatusBarHeight));
  const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                 ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_NoFocusOnAppearing;
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(8, 4));
  if (ImGui::Begin("##statusbar", nullptr, flags)) {
    if (!state_.canvas) {  // on a wall each node draws its own frames: their times go to its log, not the canvas
      ImGui::Text("%s %.1f ms", t(Text::FrameTime), state_.frameTimeMs);
      ImGui::SameLine(0, 24);
    }
    ImGui::Text("%s %s", t(Text::ClockTime), shortTime(twin_.frameTime()).c_str());
    ImGui::SameLine(0, 24);
    drawFeedStatus();
    std::size_t failed = 0;
    for (const auto& layer : twin_.layers()) failed += layer->state() == layers::LayerState::Error ? 1 : 0;
    if (failed > 0) {
      ImGui::SameLine(0, 24);
      ImGui::TextColored(kErrorColor, "%s: %zu %s", t(Text::Layers), failed, t(Text::LayerStatusError));
    }
  }
  ImGui::End();
  ImGui::PopStyleVar();
}

}  // namespace gt::viewer
