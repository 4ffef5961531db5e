#pragma once
// The indicators' look, shared by the dashboard (indicator_panel.cpp) and the wall view (indicator_wall.cpp) so both
// read alike: the status chip colours (met green, on track blue, off track red, no data grey), the source tags'
// colours, and their words in the UI language. Render thread.

#include <imgui.h>

#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/viewer/i18n.hpp"

namespace gt::viewer {

// A fixed interface word of the indicator views in both languages (their own small tables; the data's names come
// from the indicator files and plugins), and the one for `language`.
struct IndicatorWords {
  const char* en;
  const char* zh;
};
constexpr const char* inLanguage(const IndicatorWords& w, Language language) {
  return language == Language::Chinese ? w.zh : w.en;
}

inline ImVec4 indicatorStatusColour(runtime::IndicatorStatus status) {
  switch (status) {
    case runtime::IndicatorStatus::Met: return {0.18f, 0.58f, 0.28f, 1.0f};
    case runtime::IndicatorStatus::OnTrack: return {0.20f, 0.45f, 0.78f, 1.0f};
    case runtime::IndicatorStatus::OffTrack: return {0.80f, 0.30f, 0.22f, 1.0f};
    case runtime::IndicatorStatus::NoData: break;
  }
  return {0.38f, 0.38f, 0.40f, 1.0f};
}

inline ImVec4 indicatorOriginColour(runtime::IndicatorOrigin origin) {
  switch (origin) {
    case runtime::IndicatorOrigin::Computed: return {0.45f, 0.85f, 0.55f, 1.0f};
    case runtime::IndicatorOrigin::Reported: return {0.75f, 0.80f, 0.90f, 1.0f};
    case runtime::IndicatorOrigin::Synthetic: break;
  }
  return {1.0f, 0.8f, 0.35f, 1.0f};  // the layers panel's [synthetic] colour
}

inline const char* indicatorStatusWord(runtime::IndicatorStatus status, Language language) {
  return language == Language::Chinese ? runtime::indicatorStatusNameZh(status) : runtime::indicatorStatusName(status);
}

inline const char* indicatorOriginWord(runtime::IndicatorOrigin origin, Language language) {
  return language == Language::Chinese ? runtime::indicatorOriginNameZh(origin) : runtime::indicatorOriginName(origin);
}

}  // namespace gt::viewer
