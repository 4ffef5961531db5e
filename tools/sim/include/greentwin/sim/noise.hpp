#pragma once
// Seeded, deterministic randomness for the models. Every random quantity is a pure function of (seed, key, time):
// the same seed gives the same values at the same time whatever order or rate they are asked in, so a model can be
// evaluated at any instant without replaying its history. Any thread.

#include <cstdint>
#include <string_view>

namespace gt::sim {

// SplitMix64's finaliser: a well-mixed 64-bit hash of x.
std::uint64_t mix64(std::uint64_t x);
// FNV-1a of a string, mixed: a per-entity key from its id.
std::uint64_t hashText(std::string_view text);
// Uniform in [0, 1) and in [-1, 1) for (seed, key).
double hashUnit(std::uint64_t seed, std::uint64_t key);
double hashSigned(std::uint64_t seed, std::uint64_t key);

// Smooth random signal of x (x in units of its correlation length): independent uniform values on the integers,
// joined by a quintic smoothstep. Range [-1, 1], mean 0, standard deviation about 0.47.
double smoothNoise(std::uint64_t seed, double x);
// Three octaves (lengths 1, 1/2, 1/4; weights 1, 1/2, 1/4) normalised to the same standard deviation as one
// octave (about 0.47): slow variation with some faster detail, as weather has.
double fractalNoise(std::uint64_t seed, double x);

}  // namespace gt::sim
