#include "greentwin/core/selection.hpp"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>

#include "greentwin/core/attribute_schema.hpp"

namespace gt {

bool pointInRing(std::span<const Vec3d> ring, double x, double y) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n == 0 ? 0 : n - 1; i < n; j = i++) {
    const Vec3d& a = ring[i];
    const Vec3d& b = ring[j];
    // The edge crosses the horizontal line through y (half-open in y: a vertex on it counts once).
    if ((a.y > y) != (b.y > y)) {
      const double xAtY = a.x + (y - a.y) * (b.x - a.x) / (b.y - a.y);
      if (x < xAtY) inside = !inside;
    }
  }
  return inside;
}

bool ringTakesIn(std::span<const Vec3d> ring, const FeatureGeometry& feature) {
  if (feature.polygons.empty() && feature.lines.empty() && feature.points.empty()) return false;
  const Vec3d anchor = labelAnchor(feature);
  return pointInRing(ring, anchor.x, anchor.y);
}

SelectionSummary summarizeSelection(std::span<const PropertyMap* const> features) {
  struct Tally {
    AttributeSummary summary;
    std::map<std::string, std::size_t> texts;
  };
  std::map<std::string, Tally, std::less<>> tallies;
  SelectionSummary out;
  out.count = features.size();
  for (const PropertyMap* properties : features) {
    if (properties == nullptr) continue;
    for (const auto& [key, value] : *properties) {
      if (std::holds_alternative<std::monostate>(value)) continue;  // null: counted as missing below
      Tally& t = tallies[key];
      if (const auto number = propertyNumber(value)) {
        AttributeSummary& s = t.summary;
        s.min = s.numbers == 0 ? *number : std::min(s.min, *number);
        s.max = s.numbers == 0 ? *number : std::max(s.max, *number);
        s.sum += *number;
        ++s.numbers;
      } else {
        ++t.summary.texts;
        ++t.texts[formatPropertyValue(value)];
      }
    }
  }
  for (auto& [name, t] : tallies) {
    AttributeSummary s = std::move(t.summary);
    s.name = name;
    s.mean = s.numbers > 0 ? s.sum / static_cast<double>(s.numbers) : 0.0;
    s.missing = out.count - s.numbers - s.texts;
    std::vector<std::pair<std::string, std::size_t>> texts(t.texts.begin(), t.texts.end());
    std::stable_sort(texts.begin(), texts.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (texts.size() > 5) texts.resize(5);
    s.topTexts = std::move(texts);
    out.attributes.push_back(std::move(s));
  }
  return out;
}

namespace {

std::string csvField(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string number(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.10g", v);
  return buffer;
}

}  // namespace

std::string selectionSummaryCsv(const SelectionSummary& summary) {
  std::string out = "attribute,numbers,sum,mean,min,max,texts,most_frequent,missing\r\n";
  for (const AttributeSummary& a : summary.attributes) {
    std::string frequent;
    for (const auto& [text, n] : a.topTexts) {
      if (!frequent.empty()) frequent += "; ";
      frequent += text + ": " + std::to_string(n);
    }
    const bool hasNumbers = a.numbers > 0;
    out += csvField(a.name) + ',' + std::to_string(a.numbers) + ',' + (hasNumbers ? number(a.sum) : "") + ',' +
           (hasNumbers ? number(a.mean) : "") + ',' + (hasNumbers ? number(a.min) : "") + ',' +
           (hasNumbers ? number(a.max) : "") + ',' + std::to_string(a.texts) + ',' + csvField(frequent) + ',' +
           std::to_string(a.missing) + "\r\n";
  }
  return out;
}

}  // namespace gt
