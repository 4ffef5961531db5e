// PluginHost::computeKpiInScenario (plugin_host.hpp): a what-if scenario laid out as gt_scenario and handed to a
// KPI's compute_in_scenario under the watchdog (docs/plugins.md "KPIs in a scenario").
//
// Threads: update thread; the plugin call runs on the plugin's call thread (detail::watchedCall) and owns its inputs.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugin_host_internal.hpp"

namespace gt::runtime {
namespace {

// A Scenario as gt_scenario: every string, polygon and pointer array owned here, alive for one call.
class AbiScenario {
 public:
  explicit AbiScenario(const Scenario& s) : scenario_(s) {
    const std::size_t n = scenario_.edits.size();
    shapes_.resize(n);
    ids_.resize(n);
    edits_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const ScenarioEdit& e = scenario_.edits[i];
      for (const std::string& b : e.buildings) ids_[i].push_back(b.c_str());
      gt_scenario_edit& c = edits_[i];
      c.struct_size = sizeof c;
      c.kind = static_cast<std::int32_t>(e.kind);
      c.building_ids = ids_[i].data();
      c.building_count = static_cast<std::uint32_t>(ids_[i].size());
      c.coverage = e.coverage;
      c.module_efficiency = e.moduleEfficiency.value_or(0.0);
      c.use = e.use.c_str();
      c.stars = e.stars;
      c.id = e.id.c_str();
      c.height_m = e.heightM;
      c.floors = e.floors;
      c.parcel_kind = e.parcelKind.c_str();
      c.shape = nullptr;
      if (!e.polygon.rings.empty()) {
        Shape& sh = shapes_[i];
        for (const auto& ring : e.polygon.rings) {
          sh.ringStarts.push_back(static_cast<std::uint32_t>(sh.xy.size() / 2));
          for (const Vec3d& v : ring) {
            sh.xy.push_back(v.x);
            sh.xy.push_back(v.y);
          }
        }
        sh.ringStarts.push_back(static_cast<std::uint32_t>(sh.xy.size() / 2));
        sh.polygonStarts = {0, static_cast<std::uint32_t>(e.polygon.rings.size())};
        sh.area.struct_size = sizeof sh.area;
        sh.area.id = e.id.c_str();
        sh.area.ring_xy = sh.xy.data();
        sh.area.ring_starts = sh.ringStarts.data();
        sh.area.ring_count = static_cast<std::uint32_t>(e.polygon.rings.size());
        sh.area.polygon_starts = sh.polygonStarts.data();
        sh.area.polygon_count = 1;
        sh.area.area_m2 = polygonArea(e.polygon);
        c.shape = &sh.area;
      }
    }
    for (const gt_scenario_edit& c : edits_) editPtrs_.push_back(&c);
    abi_.struct_size = sizeof abi_;
    abi_.name = scenario_.name.c_str();
    abi_.edits = editPtrs_.data();
    abi_.edit_count = static_cast<std::uint32_t>(editPtrs_.size());
  }
  AbiScenario(const AbiScenario&) = delete;
  AbiScenario& operator=(const AbiScenario&) = delete;
  const gt_scenario* get() const { return &abi_; }

 private:
  struct Shape {
    std::vector<double> xy;
    std::vector<std::uint32_t> ringStarts, polygonStarts;
    gt_area area{};
  };
  Scenario scenario_;  // own copy: the strings the C view points at
  std::vector<Shape> shapes_;
  std::vector<std::vector<const char*>> ids_;
  std::vector<gt_scenario_edit> edits_;
  std::vector<const gt_scenario_edit*> editPtrs_;
  gt_scenario abi_{};
};

}  // namespace

Result<PluginKpiValue> PluginHost::computeKpiInScenario(const std::string& kpiId, const Scenario& scenario,
                                                        TimePoint t) {
  for (const auto& r : records_) {
    if (r->info.state != PluginState::Active) continue;
    for (const gt_kpi* k : r->kpis) {
      if (kpiId != k->id) continue;
      if (!detail::hasScenarioFunction(*k)) {
        return Status(ErrorCode::Unsupported, "KPI '" + kpiId + "' does not depend on the scenario's edits");
      }
      // Under the watchdog: the call owns the scenario's C view and the result (an abandoned call may outlive us).
      auto result = std::make_shared<gt_kpi_result>();
      result->struct_size = sizeof *result;
      result->status = GT_KPI_NO_DATA;
      result->note = nullptr;
      auto abi = std::make_shared<const AbiScenario>(scenario);
      std::string failure;
      const gt_status st = detail::watchedCall(
          *r, "KPI '" + kpiId + "' in a scenario",
          [k, t, result, abi] { return k->compute_in_scenario(k->user, t, abi->get(), result.get()); },
          [&](const std::string& m) { failure = m; });
      if (st != GT_OK) {
        disableRecord(*r, failure);
        return Status(ErrorCode::Internal, "plugin '" + r->info.id + "' disabled: " + failure);
      }
      const bool known = result->status >= GT_KPI_OK && result->status <= GT_KPI_PENDING;
      return PluginKpiValue{result->value,
                            known ? static_cast<PluginKpiStatus>(result->status) : PluginKpiStatus::NoData,
                            detail::str(result->note)};
    }
  }
  return Status(ErrorCode::NotFound, "no active plugin provides KPI '" + kpiId + "'");
}

}  // namespace gt::runtime
