// The indicators for an area of the map (runtime/indicator_area.hpp; docs/indicators.md "Any area, any time").

#include "greentwin/runtime/indicator_area.hpp"

#include <cmath>
#include <utility>

#include "greentwin/runtime/plugin_host.hpp"

namespace gt::runtime {

IndicatorArea districtArea() {
  IndicatorArea area;
  area.id = std::string(kDistrictAreaId);
  area.nameZh = "全区";
  area.nameEn = "district";
  return area;
}

Result<IndicatorArea> drawnArea(int number, std::vector<Vec3d> ring) {
  // Drop repeated vertices (a double click adds the last one twice) and a closing vertex.
  std::vector<Vec3d> clean;
  for (const Vec3d& v : ring) {
    if (!clean.empty() && std::abs(clean.back().x - v.x) < 1e-6 && std::abs(clean.back().y - v.y) < 1e-6) continue;
    clean.push_back(v);
  }
  if (clean.size() > 1 && std::abs(clean.front().x - clean.back().x) < 1e-6 &&
      std::abs(clean.front().y - clean.back().y) < 1e-6) {
    clean.pop_back();
  }
  if (clean.size() < 3) {
    return Status(ErrorCode::InvalidArgument, "a drawn area needs at least three distinct points, got " +
                                                  std::to_string(clean.size()));
  }
  Polygon polygon{{std::move(clean)}};
  const double area = polygonArea(polygon);
  if (!(area > 1e-6)) return Status(ErrorCode::InvalidArgument, "the drawn points enclose no area (all on one line)");
  IndicatorArea out;
  out.id = "drawn/" + std::to_string(number);
  out.nameZh = "绘制区域 " + std::to_string(number);
  out.nameEn = "drawn area " + std::to_string(number);
  out.shape = KpiArea{out.id, {std::move(polygon)}, area};
  return out;
}

AreaKpis::AreaKpis(PluginHost& host, const KpiArea& area, TimePoint t,
                   const std::vector<PluginKpiReading>& district) {
  for (const PluginKpi& kpi : host.kpis()) {
    PluginKpiReading reading{kpi, std::nullopt, {}, t};
    if (!kpi.areas) {
      districtOnly_.insert(kpi.id);
      for (const PluginKpiReading& d : district) {
        if (d.kpi.id == kpi.id) reading = d;
      }
      if (!reading.value && reading.error.empty()) reading.error = "not computed for the district yet";
      readings_.push_back(std::move(reading));
      continue;
    }
    auto value = host.computeKpiInArea(kpi.id, area, t);
    if (value) {
      reading.value = std::move(*value);
    } else {
      reading.error = value.status().message();
    }
    readings_.push_back(std::move(reading));
  }
}

const std::deque<PluginKpiTrendPoint>& AreaKpis::kpiTrend(const std::string&) const {
  static const std::deque<PluginKpiTrendPoint> kNone;  // an area's rows have no running trend
  return kNone;
}

}  // namespace gt::runtime
