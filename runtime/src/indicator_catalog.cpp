// indicators.toml: the programme's indicators as data (runtime/indicators.hpp; the format: docs/indicators.md).

#include <algorithm>
#include <string_view>

#include "greentwin/runtime/assets.hpp"
#include "greentwin/runtime/indicators.hpp"
#include "indicator_toml.hpp"

namespace gt::runtime {
namespace {

using indicator_toml::Entry;

struct DirectionName {
  TargetDirection direction;
  std::string_view text;
};
constexpr DirectionName kDirections[]{{TargetDirection::AtLeast, ">="},
                                      {TargetDirection::AtMost, "<="},
                                      {TargetDirection::About, "~"},
                                      {TargetDirection::DeclineGreaterThanBeijing, "decline_greater_than_beijing"}};

void readGroups(const Entry& root, IndicatorCatalog& catalog) {
  for (const auto& [table, path] : root.tables("group")) {
    const Entry e = root.sub(*table, path);
    const std::size_t before = e.problemCount();
    IndicatorGroup g;
    e.checkKeys({"id", "name_zh", "name_en"});
    e.readString("id", g.id);
    e.readString("name_zh", g.nameZh);
    e.readString("name_en", g.nameEn);
    const bool duplicate = std::any_of(catalog.groups.begin(), catalog.groups.end(),
                                       [&](const IndicatorGroup& other) { return other.id == g.id; });
    if (duplicate) e.problem("id", "\"" + g.id + "\" is given twice");
    if (e.problemCount() == before) catalog.groups.push_back(std::move(g));
  }
}

void readDirection(const Entry& e, IndicatorDefinition& d) {
  std::string text;
  if (!e.readString("direction", text)) return;
  for (const DirectionName& n : kDirections) {
    if (n.text == text) {
      d.direction = n.direction;
      return;
    }
  }
  e.problem("direction", "= \"" + text + "\" is not one of >=, <=, ~, decline_greater_than_beijing");
}

// target: required except for the relative direction, which has none; tolerance: "~" only, > 0.
void readTarget(const Entry& e, IndicatorDefinition& d) {
  if (d.direction == TargetDirection::DeclineGreaterThanBeijing) {
    if (e.get("target") != nullptr) e.problem("target", "must not be given: the target is Beijing's decline");
  } else {
    e.readNumber("target", d.target);
  }
  if (d.direction == TargetDirection::About) {
    if (e.readNumber("tolerance", d.tolerance) && d.tolerance <= 0.0) {
      e.problem("tolerance", "must be > 0");
    }
  } else if (e.get("tolerance") != nullptr) {
    e.problem("tolerance", "is for direction \"~\" only");
  }
}

void readBaseline(const Entry& e, IndicatorDefinition& d) {
  const toml::node* node = e.get("baseline");
  if (node == nullptr) {
    e.problem("baseline", "is missing (baseline = \"none\" when the programme gives none)");
    return;
  }
  const std::string expected = "must be \"none\" or { year, value, source }, got ";
  if (const auto* s = node->as_string()) {
    if (s->get() != "none") e.problem("baseline", expected + "\"" + s->get() + "\"");
    return;
  }
  const toml::table* t = node->as_table();
  if (t == nullptr) {
    e.problem("baseline", expected + indicator_toml::typeName(*node));
    return;
  }
  const Entry b = e.sub(*t, e.field("baseline"));
  const std::size_t before = b.problemCount();
  IndicatorBaseline baseline;
  std::string source;
  b.checkKeys({"year", "value", "source"});
  b.readInt("year", baseline.year, 1990, d.targetYear - 1);
  b.readNumber("value", baseline.value);
  b.readString("source", source);
  if (b.problemCount() == before) d.baseline = baseline;
}

// Exactly one of kpi = "<id>", computed = "<id>", statistics = true.
void readSource(const Entry& e, IndicatorDefinition& d) {
  int given = 0;
  if (e.get("kpi") != nullptr) {
    ++given;
    d.source = IndicatorSource::Kpi;
    e.readString("kpi", d.sourceId);
  }
  if (e.get("computed") != nullptr) {
    ++given;
    d.source = IndicatorSource::Computed;
    e.readString("computed", d.sourceId);
  }
  if (const toml::node* node = e.get("statistics")) {
    ++given;
    d.source = IndicatorSource::Statistics;
    if (node->value<bool>() != std::optional<bool>(true)) e.problem("statistics", "must be true");
  }
  if (given != 1) {
    e.problem("", "needs exactly one of kpi = \"<kpi id>\", computed = \"<method id>\", statistics = true; has " +
                      std::to_string(given));
  }
}

void readIndicators(const Entry& root, IndicatorCatalog& catalog) {
  for (const auto& [table, path] : root.tables("indicator")) {
    Entry e = root.sub(*table, path);
    const std::size_t before = e.problemCount();
    IndicatorDefinition d;
    d.targetYear = catalog.targetYear;
    if (e.readInt("number", d.number, 1, 999)) e.setNumber(d.number);
    e.checkKeys({"number", "group", "name_zh", "name_en", "unit", "unit_zh", "direction", "target", "tolerance",
                 "target_zh", "baseline", "kpi", "computed", "statistics", "note", "evidence", "feeds"});
    if (e.readString("group", d.group) &&
        std::none_of(catalog.groups.begin(), catalog.groups.end(),
                     [&](const IndicatorGroup& g) { return g.id == d.group; })) {
      e.problem("group", "= \"" + d.group + "\" is not a [[group]] id");
    }
    e.readString("name_zh", d.nameZh);
    e.readString("name_en", d.nameEn);
    e.readString("unit", d.unit);
    e.readString("unit_zh", d.unitZh);
    e.readString("target_zh", d.targetZh);
    readDirection(e, d);
    readTarget(e, d);
    readBaseline(e, d);
    readSource(e, d);
    e.readString("note", d.note, false);
    for (const auto& [evidenceTable, evidencePath] : e.tables("evidence", false)) {
      Entry ev = e.sub(*evidenceTable, evidencePath);
      ev.checkKeys({"layer", "color_by"});
      IndicatorEvidence item;
      if (ev.readString("layer", item.layer)) {
        ev.readString("color_by", item.colorBy, false);
        d.evidence.push_back(std::move(item));
      }
    }
    e.readStrings("feeds", d.feeds, false);
    if (d.number != 0 && catalog.find(d.number) != nullptr) {
      e.problem("number", "= " + std::to_string(d.number) + " is given twice");
    }
    if (e.problemCount() == before) catalog.indicators.push_back(std::move(d));
  }
  std::sort(catalog.indicators.begin(), catalog.indicators.end(),
            [](const IndicatorDefinition& a, const IndicatorDefinition& b) { return a.number < b.number; });
}

}  // namespace

std::string IndicatorProblem::text() const {
  std::string out = file;
  if (line > 0) out += ":" + std::to_string(line);
  out += ": ";
  if (!field.empty()) out += "'" + field + "' ";
  return out + message;
}

const char* targetDirectionText(TargetDirection direction) {
  for (const DirectionName& n : kDirections) {
    if (n.direction == direction) return n.text.data();
  }
  return "?";
}

const IndicatorDefinition* IndicatorCatalog::find(int number) const {
  for (const IndicatorDefinition& d : indicators) {
    if (d.number == number) return &d;
  }
  return nullptr;
}

std::string indicatorCatalogPath() { return assetsDirectory() + "/indicators/indicators.toml"; }
std::string indicatorStatisticsPath() { return assetsDirectory() + "/indicators/statistics.toml"; }

Result<IndicatorCatalog> readIndicatorCatalog(const std::string& path) {
  auto parsed = indicator_toml::parseFile(path, "indicator catalog");
  if (!parsed) return parsed.status();
  const toml::table& t = *parsed;
  IndicatorCatalog catalog;
  catalog.path = path;
  const Entry root(path, t, "", 0, catalog.problems);
  root.checkKeys({"title_zh", "title_en", "target_year", "group", "indicator"});
  root.readString("title_zh", catalog.titleZh);
  root.readString("title_en", catalog.titleEn);
  root.readInt("target_year", catalog.targetYear, 2000, 2100);
  readGroups(root, catalog);
  readIndicators(root, catalog);
  return catalog;
}

}  // namespace gt::runtime
