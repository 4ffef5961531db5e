#include "loading.hpp"

#include <cmath>

namespace greentwin::energy {

std::optional<LoadingClass> loadingClass(double loadingPct) {
  if (!std::isfinite(loadingPct)) return std::nullopt;
  if (loadingPct >= kOverloadPct) return LoadingClass::Overload;
  if (loadingPct >= kAlarmPct) return LoadingClass::Alarm;
  if (loadingPct >= kHeavyPct) return LoadingClass::Heavy;
  return LoadingClass::Normal;
}

std::optional<N1Check> checkN1(double loadingPct, double capacityMva, int transformers, double emergencyFactor) {
  if (!std::isfinite(loadingPct) || !std::isfinite(capacityMva) || capacityMva <= 0.0 || transformers < 1 ||
      !std::isfinite(emergencyFactor) || emergencyFactor <= 0.0) {
    return std::nullopt;
  }
  N1Check c;
  c.loadMva = loadingPct / 100.0 * capacityMva;
  c.firmCapacityMva = capacityMva * (transformers - 1) / transformers * emergencyFactor;
  c.violated = c.loadMva > c.firmCapacityMva;
  return c;
}

}  // namespace greentwin::energy
