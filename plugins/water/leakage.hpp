#pragma once
// The water balance of a supply network after CJJ 92-2016 (城镇供水管网漏损控制及评定标准) and the leakage rates of
// docs/water.md "Leakage rate". Pure C++17, no SDK; any thread (no state). Volumes in m3 over one period.
//
// CJJ 92's balance (our reconstruction; the clause numbers and the correction formulas could not be checked against
// the text here, see docs/water.md):
//   Q_s  供水总量 system input volume            = Q_a + Q_wl
//   Q_a  注册用户用水量 authorised consumption    = Q_ba 计费用水量 (billed) + Q_ua 免费用水量 (unbilled)
//   Q_wl 漏损水量 water losses                   = real losses (漏失) + apparent losses (计量损失) + other losses
//   R_WL 综合漏损率 = Q_wl / Q_s x 100 = (Q_s - Q_ba - Q_ua) / Q_s x 100
//   R_BL 漏损率    = R_WL - R_n, R_n = R_1 + R_2 + R_3 + R_4 (corrections, below)
#include <optional>
#include <string>
#include <vector>

namespace greentwin::water {

// One period's volumes of a metered area (a DMA) or of several summed.
struct WaterBalance {
  double suppliedM3 = 0;  // Q_s, the inflow meters' volume
  double billedM3 = 0;    // Q_ba, the customer meters' billed volume
  double unbilledM3 = 0;  // Q_ua, authorised but not billed (flushing, fire fighting, municipal use)
};

// A result or why there is none. `problem` names the bad input ("billed_m3 is negative"); it is empty when the value
// is missing for a benign reason (no supply in the period).
struct Rate {
  std::optional<double> pct;
  double lossM3 = 0;  // Q_wl (may be negative: meters that disagree, see `problem`)
  std::string problem;
};

// R_WL = (Q_s - Q_ba - Q_ua) / Q_s x 100. No value when Q_s is 0 (nothing supplied: no rate, no problem); refused
// (no value, a problem) when an input is not finite or negative, or when the authorised consumption exceeds the
// supply (meters that disagree: a rate below 0 would be reported as a perfect network).
Rate comprehensiveLossRate(const WaterBalance& b);

// Sums the areas' volumes. Areas whose inputs are not finite or negative are skipped (counted in `skipped`).
struct BalanceSum {
  WaterBalance total;
  int areas = 0;
  int skipped = 0;
};
BalanceSum sumBalances(const std::vector<WaterBalance>& areas);

// CJJ 92's corrections R_1..R_4 (percentage points), as reconstructed in docs/water.md (NOT checked against the text):
//   R_1 = 0.08 r x 100, r the share of the supply that is residential consumption metered per household (0..1);
//   R_2 = 0.99 (A - 0.0693) x 100, A = mains length (DN75 and above, km) / annual supply (10^4 m3), within +-3;
//   R_3 = 0.5 / 1 / 2 for an annual mean outlet pressure above 0.35 / 0.55 / 0.75 MPa, else 0;
//   R_4 = 1 when the greatest frost depth exceeds 1.4 m, else 0.
struct CorrectionInputs {
  double residentialShare = 0;      // r, 0..1
  double mainsKm = 0;               // L
  double annualSupplyM3 = 0;        // Q_s over a year (the plugin annualises its period)
  double outletPressureMpa = 0;
  double frostDepthM = 0;
};
struct Corrections {
  double r1 = 0, r2 = 0, r3 = 0, r4 = 0;
  double total() const { return r1 + r2 + r3 + r4; }
};
// nullopt when an input is not finite or negative, r > 1, or the annual supply is 0 (A undefined).
std::optional<Corrections> cjj92Corrections(const CorrectionInputs& in);

// CJJ 92's grades of the (corrected) leakage rate: grade 1 at most 10 %, grade 2 at most 12 % (as reconstructed).
inline constexpr double kGrade1Pct = 10.0;
inline constexpr double kGrade2Pct = 12.0;

// The minimum night flow's leakage (m3/h): the night flow less the legitimate night use metered at that hour, at least
// 0. nullopt when either is not finite or negative.
std::optional<double> nightLeakageM3h(double minimumNightFlowM3h, double nightUseM3h);

}  // namespace greentwin::water
