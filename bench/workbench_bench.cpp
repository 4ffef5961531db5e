// The planner's workbench (docs/workbench.md): attribute filters and natural breaks over 100k buildings with the
// demo city's attributes (the columns of its buildings layer, values drawn the way the generator spreads them).
// Prints:
//   BENCH filter_100k_ms <ms> ms target <=100          parse `use = 'office' AND height_m > 60` + evaluate it on
//                                                      100k buildings (median of 21)
//   BENCH filter_100k_vs_lambda <x> x target <=3       that ÷ a hand-written C++ lambda doing the same test
//   BENCH filter_complex_100k_vs_lambda <x> x target <=3  the same for a filter with IN, BETWEEN, LIKE, IS NOT NULL, OR
//   BENCH jenks_100k_ms <ms> ms target <=200           natural breaks, 5 classes, of 100k heights (median of 7)
//   BENCH jenks_100k_vs_sort <x> x target <=25         that ÷ std::sort of the same 100k values (the floor of any
//                                                      exact method)
// and on stderr the counts (the filter and its lambda must agree, or the bench fails) and the breaks.

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cctype>
#include <functional>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "greentwin/core/attribute_filter.hpp"
#include "greentwin/core/class_breaks.hpp"

namespace {

using gt::PropertyMap;
using gt::PropertyValue;

constexpr std::size_t kBuildings = 100'000;

std::vector<PropertyMap> makeBuildings() {
  std::mt19937 rng(2026);
  const char* uses[]{"residential", "residential", "residential", "office", "commercial", "public", "industrial",
                     "school", "hospital", "village"};
  const char* words[]{"Canal", "Tower", "Garden", "Plaza", "Court", "Centre", "Park", "Heights"};
  std::lognormal_distribution<double> height(3.0, 0.6);
  std::vector<PropertyMap> out;
  out.reserve(kBuildings);
  for (std::size_t i = 0; i < kBuildings; ++i) {
    const double h = std::round(height(rng) * 10) / 10;
    const auto floors = static_cast<std::int64_t>(std::max(1.0, std::round(h / 3.2)));
    PropertyMap p;
    p.reserve(12);
    p.emplace("id", "building/" + std::to_string(i + 1));
    p.emplace("use", std::string(uses[rng() % std::size(uses)]));
    p.emplace("height_m", h);
    p.emplace("floors", floors);
    p.emplace("year_built", static_cast<std::int64_t>(1980 + rng() % 45));
    p.emplace("green_star", rng() % 4 == 0 ? PropertyValue(static_cast<std::int64_t>(1 + rng() % 3)) : PropertyValue());
    p.emplace("green_rating", std::string(rng() % 2 ? "none" : "gb3"));
    p.emplace("roof_pv_kw", static_cast<double>(rng() % 200));
    p.emplace("energy_kwh_m2_yr", 60.0 + static_cast<double>(rng() % 140));
    p.emplace("substation", "substation/" + std::to_string(1 + rng() % 40));
    if (rng() % 3 == 0) {
      p.emplace("name_en", std::string(words[rng() % 8]) + " " + words[rng() % 8] + " " + std::to_string(i % 97));
      p.emplace("name_zh", std::string("通州大厦") + std::to_string(i % 97));
    }
    out.push_back(std::move(p));
  }
  return out;
}

double millis(const std::function<void()>& work) {
  const auto start = std::chrono::steady_clock::now();
  work();
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::string_view textIn(const PropertyMap& p, std::string_view key) {
  const auto it = p.find(key);
  if (it == p.end()) return {};
  const auto* s = std::get_if<std::string>(&it->second);
  return s ? std::string_view(*s) : std::string_view();
}

std::optional<double> numberIn(const PropertyMap& p, std::string_view key) {
  const auto it = p.find(key);
  return it == p.end() ? std::nullopt : gt::propertyNumber(it->second);
}

// Median times of the parsed filter and of the lambda, interleaved; false when they disagree on any building.
bool compareWithLambda(const std::vector<PropertyMap>& buildings, const gt::AttributeSchema& schema,
                       const std::string& text, const std::function<bool(const PropertyMap&)>& lambda, int runs,
                       double& filterMs, double& lambdaMs) {
  std::vector<std::uint8_t> byFilter(buildings.size()), byLambda(buildings.size());
  std::vector<double> filterTimes, lambdaTimes;
  bool parsed = true;
  for (int run = 0; run < runs; ++run) {
    filterTimes.push_back(millis([&] {
      const gt::FilterResult filter = gt::AttributeFilter::parse(text, schema);
      if (!filter) {
        parsed = false;
        return;
      }
      for (std::size_t i = 0; i < buildings.size(); ++i) byFilter[i] = filter->matches(buildings[i]) ? 1 : 0;
    }));
    lambdaTimes.push_back(millis([&] {
      for (std::size_t i = 0; i < buildings.size(); ++i) byLambda[i] = lambda(buildings[i]) ? 1 : 0;
    }));
  }
  if (!parsed) {
    std::fprintf(stderr, "workbench_bench: %s\n", gt::AttributeFilter::parse(text, schema).error().describe().c_str());
    return false;
  }
  filterMs = gt::bench::median(filterTimes);
  lambdaMs = gt::bench::median(lambdaTimes);
  const auto passed = std::count(byFilter.begin(), byFilter.end(), 1);
  std::fprintf(stderr, "workbench_bench: \"%s\": %ld of %zu pass; filter %.2f ms, lambda %.2f ms\n", text.c_str(),
               static_cast<long>(passed), buildings.size(), filterMs, lambdaMs);
  if (byFilter != byLambda) {
    std::fprintf(stderr, "workbench_bench: the filter and its lambda disagree\n");
    return false;
  }
  return true;
}

}  // namespace

int main() {
  const std::vector<PropertyMap> buildings = makeBuildings();
  gt::AttributeSchema schema;
  const double schemaMs = millis([&] {
    for (const PropertyMap& p : buildings) schema.add(p);
  });
  std::fprintf(stderr, "workbench_bench: schema of %zu buildings (%zu attributes) in %.1f ms\n", buildings.size(),
               schema.attributes().size(), schemaMs);

  double filterMs = 0, lambdaMs = 0;
  if (!compareWithLambda(buildings, schema, "use = 'office' AND height_m > 60",
                         [](const PropertyMap& p) {
                           if (textIn(p, "use") != "office") return false;
                           const auto h = numberIn(p, "height_m");
                           return h && *h > 60;
                         },
                         21, filterMs, lambdaMs)) {
    return 1;
  }
  gt::bench::printBench("filter_100k_ms", filterMs, "ms", true, 100);
  gt::bench::printBench("filter_100k_vs_lambda", filterMs / lambdaMs, "x", true, 3);

  const std::string complex =
      "use IN ('office', 'commercial') AND year_built BETWEEN 2000 AND 2020 AND name_en LIKE '%tower%' "
      "OR green_star IS NOT NULL AND height_m >= 40";
  if (!compareWithLambda(buildings, schema, complex,
                         [](const PropertyMap& p) {
                           const std::string_view use = textIn(p, "use");
                           bool first = use == "office" || use == "commercial";
                           if (first) {
                             const auto year = numberIn(p, "year_built");
                             first = year && *year >= 2000 && *year <= 2020;
                           }
                           if (first) {
                             std::string name(textIn(p, "name_en"));
                             std::transform(name.begin(), name.end(), name.begin(), [](char c) {
                               return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
                             });
                             first = name.find("tower") != std::string::npos;
                           }
                           if (first) return true;
                           const auto star = p.find("green_star");
                           if (star == p.end() || std::holds_alternative<std::monostate>(star->second)) return false;
                           const auto h = numberIn(p, "height_m");
                           return h && *h >= 40;
                         },
                         21, filterMs, lambdaMs)) {
    return 1;
  }
  gt::bench::printBench("filter_complex_100k_vs_lambda", filterMs / lambdaMs, "x", true, 3);

  std::vector<double> heights;
  heights.reserve(buildings.size());
  for (const PropertyMap& p : buildings) heights.push_back(std::get<double>(p.at("height_m")) + 1e-6 * static_cast<double>(heights.size() % 1000));
  std::vector<double> jenksTimes, sortTimes;
  std::vector<double> breaks;
  for (int run = 0; run < 7; ++run) {
    jenksTimes.push_back(millis([&] { breaks = gt::naturalBreaks(heights, 5); }));
    std::vector<double> copy = heights;
    sortTimes.push_back(millis([&] { std::sort(copy.begin(), copy.end()); }));
  }
  const double jenksMs = gt::bench::median(jenksTimes), sortMs = gt::bench::median(sortTimes);
  std::fprintf(stderr, "workbench_bench: natural breaks of %zu heights:", heights.size());
  for (double b : breaks) std::fprintf(stderr, " %.2f", b);
  std::fprintf(stderr, " (fit %.4f); %.1f ms, sort %.1f ms\n", gt::varianceFit(heights, breaks), jenksMs, sortMs);
  gt::bench::printBench("jenks_100k_ms", jenksMs, "ms", true, 200);
  gt::bench::printBench("jenks_100k_vs_sort", jenksMs / sortMs, "x", true, 25);
  return 0;
}
