#pragma once
// Class limits for graduated colours (docs/workbench.md "Classification"): equal intervals, quantiles and natural
// breaks (Jenks). Every function returns the inner limits as the layers' colour rules read them (LayerStyleConfig
// breaks, layers/style.hpp ColorRule): ascending, k-1 of them for k classes, each the lowest value of the class
// above it (a value equal to a limit falls in the upper class). Fewer limits come back when the values cannot
// fill k classes (fewer distinct values than classes, ties). Non-finite values are ignored; no values, or one
// distinct value, give no limits (one class).
//
// Pure functions on the calling thread.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt {

enum class ClassMethod { EqualInterval, Quantile, NaturalBreaks };

// "equal_interval", "quantile", "natural_breaks" (also "jenks"); an error lists the names.
Result<ClassMethod> classMethodFromName(std::string_view name);
const char* toString(ClassMethod method);

// Limits min + i (max - min) / k, i = 1..k-1.
// The finite values, sorted (NaN and infinities left out): what every method starts from.
std::vector<double> finiteSorted(std::span<const double> values);

std::vector<double> equalIntervalBreaks(std::span<const double> values, int classes);

// Class i (1..k-1) starts at the value of rank floor(i n / k) in ascending order, so classes hold about n/k values
// each. Equal values always share a class: a limit that falls on a run of equal values starts its class at that
// value, and limits that coincide (or equal the minimum) are dropped, so ties can leave fewer classes.
std::vector<double> quantileBreaks(std::span<const double> values, int classes);

// Natural breaks: the k classes of contiguous values with the least total squared deviation from their class
// means (Jenks' and Fisher's optimal classification). Exact: the Fisher-Jenks dynamic program over the distinct
// values (weighted by how often each occurs), with its rows computed by divide and conquer — valid because the
// best last-class start never moves left as the prefix grows (the squared-deviation cost has the quadrangle
// property) — so O(k m log m) time and O(k m) memory for m distinct values instead of O(k n^2); 100k values in
// tens of milliseconds. At most 256 classes (more are taken as 256).
std::vector<double> naturalBreaks(std::span<const double> values, int classes);

// The textbook Fisher-Jenks dynamic program, O(k n^2) time and O(k n) memory, over the raw sorted values: the
// reference the tests hold naturalBreaks to. Only for small inputs.
std::vector<double> naturalBreaksReference(std::span<const double> values, int classes);

// The total squared deviation of the values from their class means, classes by `breaks` as the colour rules
// assign them; and the goodness of variance fit 1 - that / the squared deviation from the overall mean (1: every
// class is one value; 0 for no values or all equal).
double withinClassSquares(std::span<const double> values, std::span<const double> breaks);
double varianceFit(std::span<const double> values, std::span<const double> breaks);

// Dispatch by method.
std::vector<double> classBreaks(ClassMethod method, std::span<const double> values, int classes);

}  // namespace gt
