#include "greentwin/sim/water_feeds.hpp"

namespace gt::sim {
namespace {

template <class T>
std::vector<std::string> idsOf(const std::vector<T>& items) {
  std::vector<std::string> ids;
  for (const T& item : items) ids.push_back(item.id);
  return ids;
}

class DmaFeed final : public Feed {
 public:
  DmaFeed(std::vector<DmaSpec> dmas, std::uint64_t seed)
      : Feed("water", "water.dma", idsOf(dmas),
             {{"inflow_m3_h", "m3/h"}, {"billed_m3_h", "m3/h"}, {"inflow_24h_m3", "m3"}, {"billed_24h_m3", "m3"},
              {"unbilled_24h_m3", "m3"}, {"night_flow_m3_h", "m3/h"}, {"night_use_m3_h", "m3/h"}}),
        model_(std::move(dmas), seed) {}
  void prepare(TimePoint t) override { model_.prepare(t); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const DmaReading r = model_.at(t, i);
    out[0] = r.inflowM3h, out[1] = r.billedM3h, out[2] = r.inflow24hM3, out[3] = r.billed24hM3;
    out[4] = r.unbilled24hM3, out[5] = r.nightFlowM3h, out[6] = r.nightUseM3h;
  }

 private:
  DmaModel model_;
};

class SectionFeed final : public Feed {
 public:
  SectionFeed(std::vector<SectionSpec> sections, std::uint64_t seed)
      : Feed("water", "water.section", idsOf(sections),
             {{"do_mg_l", "mg/L"}, {"codmn_mg_l", "mg/L"}, {"cod_mg_l", "mg/L"}, {"bod5_mg_l", "mg/L"},
              {"nh3n_mg_l", "mg/L"}, {"tp_mg_l", "mg/L"}, {"water_temp_c", "C"}}),
        model_(std::move(sections), seed) {}
  void prepare(TimePoint t) override { model_.prepare(t); }
  void evaluate(TimePoint t, std::size_t i, std::span<double> out) const override {
    const SectionReading r = model_.at(t, i);
    for (std::size_t k = 0; k < r.mgPerL.size(); ++k) out[k] = r.mgPerL[k];
    out[6] = r.waterTempC;
  }

 private:
  RiverModel model_;
};

}  // namespace

void addWaterFeeds(WaterWorld world, const std::set<std::string>& domains, std::uint64_t seed,
                   std::vector<std::unique_ptr<Feed>>& feeds) {
  if (!domains.contains("water")) return;
  if (!world.dmas.empty()) feeds.push_back(std::make_unique<DmaFeed>(std::move(world.dmas), seed));
  if (!world.sections.empty()) feeds.push_back(std::make_unique<SectionFeed>(std::move(world.sections), seed));
}

}  // namespace gt::sim
