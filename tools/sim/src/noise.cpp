#include "greentwin/sim/noise.hpp"

#include <cmath>

namespace gt::sim {

std::uint64_t mix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t hashText(std::string_view text) {
  std::uint64_t h = 0xCBF29CE484222325ULL;
  for (const char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 0x100000001B3ULL;
  }
  return mix64(h);
}

double hashUnit(std::uint64_t seed, std::uint64_t key) {
  return static_cast<double>(mix64(mix64(seed) ^ key) >> 11) * 0x1.0p-53;
}

double hashSigned(std::uint64_t seed, std::uint64_t key) { return 2.0 * hashUnit(seed, key) - 1.0; }

double smoothNoise(std::uint64_t seed, double x) {
  const double cell = std::floor(x);
  const double f = x - cell;
  const auto i = static_cast<std::int64_t>(cell);
  const double a = hashSigned(seed, static_cast<std::uint64_t>(i));
  const double b = hashSigned(seed, static_cast<std::uint64_t>(i + 1));
  const double s = f * f * f * (f * (f * 6.0 - 15.0) + 10.0);  // quintic smoothstep
  return a + (b - a) * s;
}

double fractalNoise(std::uint64_t seed, double x) {
  const double sum = smoothNoise(seed, x) + 0.5 * smoothNoise(seed ^ 0x51ED270B27A1F1C5ULL, 2.0 * x + 0.37) +
                     0.25 * smoothNoise(seed ^ 0xA24BAED4963EE407ULL, 4.0 * x + 0.71);
  return sum / 1.1456;  // sqrt(1 + 1/4 + 1/16): back to one octave's spread
}

}  // namespace gt::sim
