#pragma once
// The programme's indicators for an area of the map (issue 13 deliverable 5; docs/indicators.md "Any area, any
// time"): the district, a feature of any polygon layer, or a polygon the planner draws. Each computed indicator's
// KPI is asked for the area through its plugin's area function (PluginHost::computeKpiInArea); a KPI without one
// (a district-wide feed such as the modal split), and every reported indicator, gives the district's figure,
// marked as such (IndicatorRow::districtFigure).
//
// Update thread: plugins compute on it.

#include <deque>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/feature.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/runtime/indicator_board.hpp"
#include "greentwin/runtime/plugin_types.hpp"

namespace gt::runtime {

class PluginHost;

// The id of the whole twin's area (the board's own rows).
inline constexpr std::string_view kDistrictAreaId = "district";

struct IndicatorArea {
  std::string id;              // kDistrictAreaId, a feature's entity id, or "drawn/<n>"
  std::string nameZh, nameEn;  // for titles: the feature's name, "绘制区域 1" / "drawn area 1", 全区 / "district"
  KpiArea shape;               // the polygons (scene frame) and their area; empty for the district
  bool wholeTwin() const { return id == kDistrictAreaId; }
};

IndicatorArea districtArea();

// The alert log key of indicator `number` off track ("off_track/05"; source "indicators"): the twin raises it when
// the indicator turns off track and clears it when it leaves (twin_indicators.cpp).
std::string indicatorAlertKey(int number);

// A drawn polygon (scene frame; at least 3 vertices, not closed) as an area "drawn/<n>". Errors: fewer than three
// distinct vertices, or no area (collinear).
Result<IndicatorArea> drawnArea(int number, std::vector<Vec3d> ring);

// The KPIs of the active plugins over one area at one time, read by IndicatorBoard::compute(.., forArea = true).
class AreaKpis final : public IndicatorKpiSource {
 public:
  // Computes every KPI of `host` that has an area function over `area` at `t`; the others are `district`'s
  // readings (the host's latest) and districtFigure() says so. A KPI whose call failed keeps its error.
  AreaKpis(PluginHost& host, const KpiArea& area, TimePoint t, const std::vector<PluginKpiReading>& district);

  const std::vector<PluginKpiReading>& kpiReadings() const override { return readings_; }
  const std::deque<PluginKpiTrendPoint>& kpiTrend(const std::string& kpiId) const override;
  bool districtFigure(const std::string& kpiId) const override { return districtOnly_.count(kpiId) != 0; }

 private:
  std::vector<PluginKpiReading> readings_;
  std::set<std::string, std::less<>> districtOnly_;
};

}  // namespace gt::runtime
