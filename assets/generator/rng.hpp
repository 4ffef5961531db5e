#pragma once
// Deterministic random numbers for the demo generator.
//
// std::mt19937_64 is fully specified by the C++ standard, so its raw output is the same everywhere; the std
// distributions are not (libstdc++, libc++ and MSVC differ), so every distribution used here is written out.
// Seeds are derived by hashing (splitmix64) so that a feature's randomness depends only on its own key
// (zone, block, lot), never on how many numbers were drawn before it.

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <span>

namespace gtgen {

// The one seed of the demo city. Change it and the whole city changes (and the docs/tests expectations may).
inline constexpr std::uint64_t kCitySeed = 20250906ULL;

// splitmix64 finaliser: a good 64-bit mixing function.
constexpr std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27U)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31U);
}

// A seed for a keyed sub-stream: hashSeed(kCitySeed, streamId, i, j, ...).
template <typename... Keys>
constexpr std::uint64_t hashSeed(std::uint64_t seed, Keys... keys) {
  std::uint64_t h = mix64(seed);
  ((h = mix64(h ^ static_cast<std::uint64_t>(keys))), ...);
  return h;
}

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : engine_(seed) {}

  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(engine_() >> 11U) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Uniform integer in [lo, hi] (inclusive). Modulo bias is negligible for the small ranges used here.
  int uniformInt(int lo, int hi) {
    const auto span = static_cast<std::uint64_t>(static_cast<std::int64_t>(hi) - lo + 1);
    return lo + static_cast<int>(engine_() % span);
  }
  bool chance(double p) { return uniform() < p; }
  // Normal(mean, sd) by the Box-Muller transform (one value per call; the second is discarded for simplicity).
  double normal(double mean, double sd) {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
  }
  // Index drawn with probability proportional to weights[i] (weights >= 0, not all zero).
  std::size_t weightedIndex(std::span<const double> weights) {
    double total = 0.0;
    for (double w : weights) total += w;
    double r = uniform() * total;
    for (std::size_t i = 0; i < weights.size(); ++i) {
      if (r < weights[i]) return i;
      r -= weights[i];
    }
    return weights.size() - 1;
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace gtgen
