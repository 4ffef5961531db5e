#include "leakage.hpp"

#include <algorithm>
#include <cmath>

namespace greentwin::water {
namespace {

bool usable(double v) { return std::isfinite(v) && v >= 0; }

// The first bad input of a balance, "" when all are usable.
std::string badInput(const WaterBalance& b) {
  const struct {
    const char* name;
    double value;
  } inputs[] = {{"supplied", b.suppliedM3}, {"billed", b.billedM3}, {"unbilled", b.unbilledM3}};
  for (const auto& in : inputs) {
    if (!std::isfinite(in.value)) return std::string(in.name) + " volume is not a number";
    if (in.value < 0) return std::string(in.name) + " volume is negative";
  }
  return {};
}

}  // namespace

Rate comprehensiveLossRate(const WaterBalance& b) {
  Rate out;
  out.problem = badInput(b);
  if (!out.problem.empty()) return out;
  out.lossM3 = b.suppliedM3 - b.billedM3 - b.unbilledM3;
  if (b.suppliedM3 == 0) {
    if (out.lossM3 < 0) out.problem = "consumption metered without any supply";
    return out;
  }
  if (out.lossM3 < 0) {
    out.problem = "authorised consumption exceeds the supply";
    return out;
  }
  out.pct = out.lossM3 / b.suppliedM3 * 100.0;
  return out;
}

BalanceSum sumBalances(const std::vector<WaterBalance>& areas) {
  BalanceSum s;
  for (const WaterBalance& b : areas) {
    if (!badInput(b).empty()) {
      ++s.skipped;
      continue;
    }
    s.total.suppliedM3 += b.suppliedM3;
    s.total.billedM3 += b.billedM3;
    s.total.unbilledM3 += b.unbilledM3;
    ++s.areas;
  }
  return s;
}

std::optional<Corrections> cjj92Corrections(const CorrectionInputs& in) {
  if (!usable(in.residentialShare) || in.residentialShare > 1 || !usable(in.mainsKm) || !usable(in.annualSupplyM3) ||
      in.annualSupplyM3 == 0 || !usable(in.outletPressureMpa) || !usable(in.frostDepthM)) {
    return std::nullopt;
  }
  Corrections c;
  c.r1 = 0.08 * in.residentialShare * 100.0;
  const double a = in.mainsKm / (in.annualSupplyM3 / 1e4);
  c.r2 = std::clamp(0.99 * (a - 0.0693) * 100.0, -3.0, 3.0);
  c.r3 = in.outletPressureMpa > 0.75 ? 2.0 : in.outletPressureMpa > 0.55 ? 1.0 : in.outletPressureMpa > 0.35 ? 0.5 : 0.0;
  c.r4 = in.frostDepthM > 1.4 ? 1.0 : 0.0;
  return c;
}

std::optional<double> nightLeakageM3h(double minimumNightFlowM3h, double nightUseM3h) {
  if (!usable(minimumNightFlowM3h) || !usable(nightUseM3h)) return std::nullopt;
  return std::max(0.0, minimumNightFlowM3h - nightUseM3h);
}

}  // namespace greentwin::water
