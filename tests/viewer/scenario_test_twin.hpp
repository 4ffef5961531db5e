#pragma once
// The demo twin with its plugins, shared by one suite per test binary (the Scenario panel's tests and the indicator
// area tool's): made once, with every KPI computed (#18 read in the background included), destroyed after the last
// test. Helpers: a square around the first home of the city layer, a comparison's row.

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "greentwin/runtime/indicator_scenario.hpp"
#include "greentwin/runtime/twin.hpp"
#include "twin_test_setup.hpp"

namespace gt::testing {

class ScenarioTwinSuite : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto twin = runtime::Twin::create(demoPaused());
    ASSERT_TRUE(twin) << twin.status().message();
    twin_ = std::move(*twin).release();
    ASSERT_TRUE(twin_->waitForValues(std::chrono::minutes(2)).isOk());
    // The forest plugin reads its homes and parks in the background after the layers load (waitForValues may return
    // before): frames until #18 has a value.
    const bool ready = runFrames(
        *twin_,
        [] {
          const auto c = runtime::compareScenarios(twin_->plugins(), twin_->indicators(), nullptr, nullptr,
                                                   twin_->frameTime());
          const auto* r = row(c, 18);
          return r != nullptr && r->right.value.has_value();
        },
        std::chrono::seconds(120), std::chrono::milliseconds(200));
    ASSERT_TRUE(ready) << "the forest plugin's #18 had no value after two minutes";
  }
  static void TearDownTestSuite() {
    delete twin_;
    twin_ = nullptr;
  }
  // A square of `half` metres around the first residential building of the city layer.
  static std::vector<Vec3d> squareAtHomes(double half) {
    const layers::Layer* layer = twin_->findLayer("city-buildings");
    for (std::uint32_t slot = 0; slot < layer->slotCount(); ++slot) {
      const Entity* e = twin_->entities().get(layer->entityOfSlot(slot));
      const auto use = e->properties.find("use");
      if (use == e->properties.end() || formatPropertyValue(use->second) != "residential") continue;
      const auto at = twin_->entityPosition(layer->entityOfSlot(slot));
      if (!at) continue;
      return {{at->x - half, at->y - half, 0}, {at->x + half, at->y - half, 0}, {at->x + half, at->y + half, 0},
              {at->x - half, at->y + half, 0}};
    }
    return {};
  }
  // The row of indicator `number`, or of KPI `kpiId` when number is 0.
  static const runtime::ScenarioComparisonRow* row(const runtime::ScenarioComparison& c, int number,
                                                   const std::string& kpiId = {}) {
    for (const auto& r : c.rows) {
      if (number != 0 ? r.number == number : r.kpiId == kpiId) return &r;
    }
    return nullptr;
  }
  inline static runtime::Twin* twin_ = nullptr;
};

}  // namespace gt::testing
