#include "greentwin/viewer/ui.hpp"

#include <imgui.h>
#include <osg/Viewport>

#include <algorithm>
#include <cmath>

#include "greentwin/core/time.hpp"
#include "greentwin/viewer/camera.hpp"
#include "greentwin/viewer/twin.hpp"

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

Ui::Ui(Twin& twin, UiState& state, CommandQueue& commands, CityManipulator* manipulator, osg::Camera* camera)
    : twin_(twin), state_(state), commands_(commands), manipulator_(manipulator), camera_(camera) {}

const std::string& Ui::pick(const std::string& en, const std::string& zh) const {
  if (state_.language == Language::Chinese && !zh.empty()) return zh;
  return en.empty() ? zh : en;
}

std::vector<std::string> Ui::dataStrings() const {
  std::vector<std::string> out;
  const Config& config = twin_.config();
  for (const auto& layer : config.layers) {
    out.push_back(layer.nameEn);
    out.push_back(layer.nameZh);
  }
  for (const auto& bookmark : config.bookmarks) {
    out.push_back(bookmark.nameEn);
    out.push_back(bookmark.nameZh);
  }
  for (const auto& layer : twin_.layers()) {
    out.push_back(layer->status().message());
    for (const auto& w : layer->warnings()) out.push_back(w);
  }
  // Property values shown in the inspector (names such as 通州区 come from the data).
  for (EntityIndex i = 0; i < twin_.entities().size(); ++i) {
    const Entity* e = twin_.entities().get(i);
    out.push_back(e->id);
    out.push_back(e->kind);
    for (const auto& [key, value] : e->properties) {
      out.push_back(key);
      out.push_back(formatPropertyValue(value));
    }
  }
  return out;
}

void Ui::draw() {
  if (!state_.showUi) return;
  drawPlaceLabels();
  drawMenuBar();
  drawLayersPanel();
  drawInspector();
  drawTimeBar();
  drawStatusBar();
}

void Ui::drawMenuBar() {
  if (!ImGui::BeginMainMenuBar()) return;
  ImGui::TextUnformatted(t(Text::AppTitle));
  ImGui::Separator();
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
    ImGui::EndMenu();
  }
  if (ImGui::MenuItem(t(Text::Language))) {
    state_.language = state_.language == Language::Chinese ? Language::English : Language::Chinese;
  }
  ImGui::EndMainMenuBar();
}

void Ui::drawLayersPanel() {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x + 8, vp->Pos.y + ImGui::GetFrameHeight() + 8), ImGuiCond_FirstUseEver);
  // Fixed width (the name column stretches), height follows the content.
  ImGui::SetNextWindowSizeConstraints(ImVec2(380, 0), ImVec2(380, FLT_MAX));
  if (!ImGui::Begin(t(Text::Layers), nullptr, ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  const auto& layers = twin_.layers();
  if (!ImGui::BeginTable("layers", 2, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::End();
    return;
  }
  ImGui::TableSetupColumn("name", ImGuiTableColumnFlags_WidthStretch);
  ImGui::TableSetupColumn("order", ImGuiTableColumnFlags_WidthFixed);
  // Top of the list = drawn on top: show in reverse draw order.
  for (std::size_t row = 0; row < layers.size(); ++row) {
    const std::size_t index = layers.size() - 1 - row;
    layers::Layer* layer = layers[index].get();
    const LayerConfig& lc = layer->config();
    ImGui::PushID(layer->id().c_str());
    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(0);
    bool visible = layer->visible();
    if (ImGui::Checkbox("##visible", &visible)) commands_.push([layer, visible] { layer->setVisible(visible); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::LayerVisible));
    const auto legend = layer->legend();
    if (!legend.empty()) {
      ImGui::SameLine();
      ImGui::ColorButton("##legend", toImVec4(legend.front().color),
                         ImGuiColorEditFlags_NoTooltip | ImGuiColorEditFlags_NoPicker, ImVec2(12, 12));
      if (ImGui::IsItemHovered()) {
        ImGui::BeginTooltip();
        ImGui::TextDisabled("%s", t(Text::Legend));
        for (const auto& entry : legend) {
          ImGui::ColorButton("##swatch", toImVec4(entry.color), ImGuiColorEditFlags_NoTooltip, ImVec2(12, 12));
          ImGui::SameLine();
          ImGui::TextUnformatted(pick(entry.labelEn, entry.labelZh).c_str());
        }
        ImGui::EndTooltip();
      }
    }
    ImGui::SameLine();
    ImGui::TextWrapped("%s", pick(lc.nameEn, lc.nameZh).c_str());
    if (layer->state() == layers::LayerState::Error) {
      ImGui::TextColored(kErrorColor, "[%s] %s", t(Text::LayerStatusError), layer->status().message().c_str());
    }
    if (lc.synthetic) ImGui::TextColored(kSyntheticColor, "(%s)", t(Text::SyntheticData));
    float opacity = static_cast<float>(layer->opacity());
    ImGui::SetNextItemWidth(-FLT_MIN);
    char opacityFormat[64];
    std::snprintf(opacityFormat, sizeof opacityFormat, "%s %%.2f", t(Text::LayerOpacity));
    if (ImGui::SliderFloat("##opacity", &opacity, 0.0f, 1.0f, opacityFormat)) {
      commands_.push([layer, opacity] { layer->setOpacity(opacity); });
    }
    ImGui::TableSetColumnIndex(1);
    if (ImGui::ArrowButton("##up", ImGuiDir_Up)) commands_.push([this, index] { twin_.moveLayer(index, +1); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::MoveUp));
    if (ImGui::ArrowButton("##down", ImGuiDir_Down)) commands_.push([this, index] { twin_.moveLayer(index, -1); });
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", t(Text::MoveDown));
    ImGui::PopID();
  }
  ImGui::EndTable();
  ImGui::End();
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
  }
  ImGui::End();
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
    ImGui::Text("%s %.1f ms", t(Text::FrameTime), state_.frameTimeMs);
    ImGui::SameLine(0, 24);
    ImGui::Text("%s %s", t(Text::ClockTime), shortTime(twin_.frameTime()).c_str());
    ImGui::SameLine(0, 24);
    const std::size_t feeds = twin_.config().sources.size();
    if (feeds == 0) {
      ImGui::TextDisabled("%s: %s", t(Text::Feeds), t(Text::NoFeeds));
    } else {
      ImGui::TextDisabled("%s: %zu", t(Text::Feeds), feeds);
    }
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

// Place names from the bookmarks, drawn at their map positions (projected with the current camera).
void Ui::drawPlaceLabels() {
  if (camera_ == nullptr || camera_->getViewport() == nullptr) return;
  const osg::Matrixd mvpw = camera_->getViewMatrix() * camera_->getProjectionMatrix() *
                            camera_->getViewport()->computeWindowMatrix();
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const float height = ImGui::GetIO().DisplaySize.y;
  // Greedy decluttering: a label whose box overlaps one already placed keeps its dot but not its text.
  std::vector<ImVec4> placed;
  const auto overlaps = [&placed](const ImVec4& r) {
    return std::any_of(placed.begin(), placed.end(), [&r](const ImVec4& p) {
      return r.x < p.z && p.x < r.z && r.y < p.w && p.y < r.w;
    });
  };
  for (const BookmarkConfig& b : twin_.config().bookmarks) {
    auto center = twin_.poseCenter(b.pose);
    if (!center) continue;
    const osg::Vec3d world(center->x, center->y, center->z);
    const osg::Vec4d clip = osg::Vec4d(world, 1.0) * camera_->getViewMatrix() * camera_->getProjectionMatrix();
    if (clip.w() <= 0) continue;  // behind the camera
    const osg::Vec3d window = world * mvpw;
    const ImVec2 pos(static_cast<float>(window.x()), height - static_cast<float>(window.y()));
    const std::string& name = pick(b.nameEn, b.nameZh);
    const ImVec2 size = ImGui::CalcTextSize(name.c_str());
    draw->AddCircleFilled(pos, 4.0f, IM_COL32(255, 220, 120, 255));
    const ImVec2 textPos(pos.x - size.x / 2, pos.y - size.y - 6);
    const ImVec4 box(textPos.x - 4, textPos.y - 2, textPos.x + size.x + 4, textPos.y + size.y + 2);
    if (overlaps(box)) continue;
    placed.push_back(box);
    draw->AddRectFilled(ImVec2(textPos.x - 4, textPos.y - 2), ImVec2(textPos.x + size.x + 4, textPos.y + size.y + 2),
                        IM_COL32(10, 20, 30, 170), 3.0f);
    draw->AddText(textPos, IM_COL32(255, 255, 255, 255), name.c_str());
  }
}

}  // namespace gt::viewer
