#include "greentwin/sim/mobility_feeds.hpp"

namespace gt::sim {
namespace {

class ChargerFeed final : public Feed {
 public:
  ChargerFeed(std::vector<std::string> ids, std::vector<Charger> chargers, std::uint64_t seed)
      : Feed("traffic", "traffic.charger", std::move(ids), {{"state", ""}, {"power_kw", "kW"}}),
        model_(std::move(chargers), seed) {}
  void prepare(TimePoint t) override { model_.prepare(t); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const ChargerReading r = model_.at(t, i);
    out[0] = r.state, out[1] = r.powerKw;
  }

 private:
  ChargerModel model_;
};

std::vector<AttributeSpec> modalAttributes() {
  std::vector<AttributeSpec> out;
  for (const char* mode : kModeNames) out.push_back({std::string("trips_") + mode, "trips/h"});
  return out;
}

// One or more districts, each with the whole district's split (the demo has one).
class ModalSplitFeed final : public Feed {
 public:
  ModalSplitFeed(std::vector<std::string> ids, std::uint64_t seed)
      : Feed("traffic", "traffic.modal_split", std::move(ids), modalAttributes()), model_(kDistrictDailyTrips, seed) {}
  void prepare(TimePoint t) override { reading_ = model_.at(t); }
  void evaluate(TimePoint /*t*/, std::size_t /*i*/, std::span<double> out) const override {
    for (std::size_t m = 0; m < reading_.tripsPerHour.size(); ++m) out[m] = reading_.tripsPerHour[m];
  }

 private:
  ModalSplitModel model_;
  ModalSplitReading reading_;
};

}  // namespace

void addMobilityFeeds(MobilityWorld world, const std::set<std::string>& domains, std::uint64_t seed,
                      std::vector<std::unique_ptr<Feed>>& feeds) {
  if (!domains.contains("traffic")) return;
  if (!world.chargers.empty()) {
    std::vector<std::string> ids;
    for (const Charger& c : world.chargers) ids.push_back(c.id);
    feeds.push_back(std::make_unique<ChargerFeed>(std::move(ids), std::move(world.chargers), seed));
  }
  if (!world.districts.empty()) feeds.push_back(std::make_unique<ModalSplitFeed>(std::move(world.districts), seed));
}

}  // namespace gt::sim
