#include "greentwin/sim/grid_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace gt::sim {

double importGreenSharePct(const Weather& w) {
  const double wind = 12.0 * std::min(2.5, std::pow(std::max(w.windSpeedMs, 0.0) / 3.0, 1.5));
  const double solar = 15.0 * std::max(w.ghiWm2, 0.0) / 1000.0;
  return std::clamp(10.0 + wind + solar, 0.0, 100.0);
}

double districtImportMw(const EnergyModel& model) { return model.totalNetMw(); }

namespace {

class GridFeed final : public Feed {
 public:
  GridFeed(std::string entityId, std::shared_ptr<EnergyModel> model)
      : Feed("energy", "energy.grid", {std::move(entityId)}, {{"import_mw", "MW"}, {"green_share_pct", "%"}}),
        model_(std::move(model)) {}
  // The sums pass over every building: redone when simulated time moved at least a second (as the substations).
  void prepare(TimePoint t) override {
    if (t - aggregatedAt_ >= kMicrosPerSecond || t < aggregatedAt_) {
      model_->prepare(t, true);
      aggregatedAt_ = t;
      importMw_ = districtImportMw(*model_);
      greenPct_ = importGreenSharePct(model_->weather());
    }
  }
  void evaluate(TimePoint /*t*/, std::size_t /*i*/, std::span<double> out) const override {
    out[0] = importMw_, out[1] = greenPct_;
  }

 private:
  std::shared_ptr<EnergyModel> model_;
  TimePoint aggregatedAt_ = INT64_MIN / 2;
  double importMw_ = 0, greenPct_ = 0;
};

}  // namespace

std::unique_ptr<Feed> makeGridFeed(std::string entityId, std::shared_ptr<EnergyModel> model) {
  return std::make_unique<GridFeed>(std::move(entityId), std::move(model));
}

}  // namespace gt::sim
