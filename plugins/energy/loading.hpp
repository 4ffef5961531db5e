#pragma once
// Substation loading: the four loading classes, the N-1 check and the overload alert's latch (docs/energy.md
// "Substations"). Pure C++17, no SDK; any thread (no state but the latch, which its owner keeps).
//
// Loading classes by loading_pct (load / rated capacity x 100), lower bound inclusive:
//   normal < 80 <= heavy < 90 <= alarm < 100 <= overload
// 80 % (heavy, 重载) and 100 % (overload, 过载) follow the State Grid distribution practice for transformers
// ("负载率超过 80 % 为重载、超过 100 % 为过载", there with a 2-hour duration condition, which we do not apply: the class
// is of the current value). The 90 % alarm band (告警) is our choice: an early warning before the rating is reached.
//
// N-1: with n transformers of equal rating, losing one leaves (n - 1) / n of the rated capacity (the firm
// capacity), times an emergency factor (1.0: no short-term overload of the remaining units; our default). The
// substation violates N-1 when its load exceeds that. One transformer has no firm capacity: any load violates.
#include <optional>

namespace greentwin::energy {

enum class LoadingClass { Normal = 0, Heavy = 1, Alarm = 2, Overload = 3 };

inline constexpr double kHeavyPct = 80.0;
inline constexpr double kAlarmPct = 90.0;
inline constexpr double kOverloadPct = 100.0;

// nullopt for a value that is not finite.
std::optional<LoadingClass> loadingClass(double loadingPct);

struct N1Check {
  double loadMva = 0;          // loading_pct / 100 x capacity
  double firmCapacityMva = 0;  // capacity x (n - 1) / n x emergency factor
  bool violated = false;       // load > firm capacity
};
// nullopt: loading not finite, capacity not > 0, transformers < 1 or emergency factor not > 0.
std::optional<N1Check> checkN1(double loadingPct, double capacityMva, int transformers, double emergencyFactor = 1.0);

// The overload alert of one substation, with hysteresis so that a loading hovering about 100 % raises it once: it
// becomes active when the loading reaches the overload class and ends only when the loading is back in the
// normal class (below 80 %). update() says what changed.
class OverloadLatch {
 public:
  enum class Change { None, Raised, Cleared };
  Change update(LoadingClass c) {
    if (!active_ && c == LoadingClass::Overload) {
      active_ = true;
      return Change::Raised;
    }
    if (active_ && c == LoadingClass::Normal) {
      active_ = false;
      return Change::Cleared;
    }
    return Change::None;
  }
  bool active() const { return active_; }

 private:
  bool active_ = false;
};

}  // namespace greentwin::energy
