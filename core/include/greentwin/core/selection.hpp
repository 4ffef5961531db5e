#pragma once
// Selection by polygon and its summary (issue 16 part 3; docs/workbench.md "Selecting inside a polygon"): which
// features a drawn polygon takes in, and what a planner reads off a selection — how many, and per attribute the
// sum, mean, minimum and maximum of its numbers, or the most frequent values of its text. Pure; calling thread.

#include <cstddef>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/feature.hpp"

namespace gt {

// Whether point (x, y) lies inside the polygon `ring` (its corners in order, closed or not; x, y of each used). A point
// on an edge counts as inside on one side only (even-odd crossing rule), so a grid of polygons takes a point once.
bool pointInRing(std::span<const Vec3d> ring, double x, double y);

// Whether `polygon` takes in the feature: its label anchor (core/feature.hpp labelAnchor: a polygon's centroid, a
// line's middle vertex, a point) lies inside the ring.
bool ringTakesIn(std::span<const Vec3d> ring, const FeatureGeometry& feature);

struct AttributeSummary {
  std::string name;
  std::size_t numbers = 0;  // values that read as numbers (attribute_schema.hpp propertyNumber)
  double sum = 0, mean = 0, min = 0, max = 0;
  std::size_t texts = 0;  // values that do not (text), and the most frequent of them, most first (at most 5)
  std::vector<std::pair<std::string, std::size_t>> topTexts;
  std::size_t missing = 0;  // features of the selection without it (or null)
};

struct SelectionSummary {
  std::size_t count = 0;
  std::vector<AttributeSummary> attributes;  // ascending by name
};

SelectionSummary summarizeSelection(std::span<const PropertyMap* const> features);

// The summary as CSV (RFC 4180, UTF-8, a header line): attribute, count of numbers, sum, mean, min, max, texts,
// most frequent values ("office: 12; home: 3"), missing. Numbers with up to 10 significant digits.
std::string selectionSummaryCsv(const SelectionSummary& summary);

}  // namespace gt
