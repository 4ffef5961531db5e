// statistics.toml: the annual figures a statistics office reports per indicator (runtime/indicators.hpp; the format:
// docs/indicators.md). A bad figure makes its indicator "no data"; the others load.

#include <algorithm>

#include "greentwin/runtime/indicators.hpp"
#include "indicator_toml.hpp"

namespace gt::runtime {
namespace {

using indicator_toml::Entry;

IndicatorSeries& seriesFor(IndicatorStatistics& statistics, int number) {
  for (IndicatorSeries& s : statistics.series) {
    if (s.number == number) return s;
  }
  statistics.series.push_back(IndicatorSeries{number, {}, {}});
  return statistics.series.back();
}

// One figure { year, value, unit, source [, beijing] [, note] } of indicator `d`; appended when it is sound.
void readFigure(const Entry& f, const IndicatorDefinition& d, IndicatorSeries& series) {
  const std::size_t before = f.problemCount();
  const bool relative = d.direction == TargetDirection::DeclineGreaterThanBeijing;
  IndicatorFigure figure;
  figure.line = f.line();
  f.checkKeys({"year", "value", "beijing", "unit", "source", "note"});
  f.readInt("year", figure.year, 1990, 2100);
  f.readNumber("value", figure.value);
  if (f.readString("unit", figure.unit) && figure.unit != d.unit) {
    f.problem("unit", "= \"" + figure.unit + "\" is not the unit of indicator " + std::to_string(d.number) + " (\"" +
                          d.unit + "\")");
  }
  f.readString("source", figure.source);
  if (relative) {
    double beijing = 0.0;
    if (f.get("beijing") == nullptr) {
      f.problem("beijing", "is missing: indicator " + std::to_string(d.number) +
                               " is compared with Beijing's figure for the same year");
    } else if (f.readNumber("beijing", beijing)) {
      figure.beijing = beijing;
    }
  } else if (f.get("beijing") != nullptr) {
    f.problem("beijing", "is only for indicators compared with Beijing (decline_greater_than_beijing)");
  }
  if (figure.year != 0) {
    for (const IndicatorFigure& other : series.figures) {
      if (other.year == figure.year) {
        f.problem("year", "= " + std::to_string(figure.year) + " is given twice (first at line " +
                              std::to_string(other.line) + ")");
      }
    }
  }
  if (f.problemCount() == before) series.figures.push_back(std::move(figure));
}

}  // namespace

const IndicatorFigure* IndicatorSeries::at(int year) const {
  for (const IndicatorFigure& f : figures) {
    if (f.year == year) return &f;
  }
  return nullptr;
}

const IndicatorSeries* IndicatorStatistics::find(int number) const {
  for (const IndicatorSeries& s : series) {
    if (s.number == number) return &s;
  }
  return nullptr;
}

Result<IndicatorStatistics> readIndicatorStatistics(const std::string& path, const IndicatorCatalog& catalog) {
  auto parsed = indicator_toml::parseFile(path, "indicator statistics");
  if (!parsed) return parsed.status();
  IndicatorStatistics statistics;
  statistics.path = path;
  std::vector<IndicatorProblem> fileProblems;  // those that belong to no indicator
  const Entry root(path, *parsed, "", 0, fileProblems);
  root.checkKeys({"indicator"});
  std::vector<std::pair<int, int>> entryLines;  // number, line of its [[indicator]]
  for (const auto& [table, tablePath] : root.tables("indicator")) {
    const Entry e = root.sub(*table, tablePath);
    int number = 0;
    if (!e.readInt("number", number, 1, 999)) continue;
    const IndicatorDefinition* d = catalog.find(number);
    if (d == nullptr) {
      e.problem("number", "= " + std::to_string(number) + " is not an indicator of the catalog (" + catalog.path + ")");
      continue;
    }
    IndicatorSeries& series = seriesFor(statistics, number);
    // From here on the problems make this indicator "no data": they are its series'.
    const Entry entry(path, *table, tablePath, number, series.problems);
    entry.checkKeys({"number", "figures", "note"});
    for (const auto& [first, line] : entryLines) {
      if (first == number) {
        entry.problem("number", "= " + std::to_string(number) + " is given twice (first at line " +
                                    std::to_string(line) + ")");
      }
    }
    entryLines.emplace_back(number, entry.line());
    std::string note;
    entry.readString("note", note, false);
    for (const auto& [figure, figurePath] : entry.tables("figures")) readFigure(entry.sub(*figure, figurePath), *d, series);
  }
  std::sort(statistics.series.begin(), statistics.series.end(),
            [](const IndicatorSeries& a, const IndicatorSeries& b) { return a.number < b.number; });
  statistics.problems = std::move(fileProblems);
  for (IndicatorSeries& s : statistics.series) {
    std::sort(s.figures.begin(), s.figures.end(),
              [](const IndicatorFigure& a, const IndicatorFigure& b) { return a.year < b.year; });
    if (!s.problems.empty()) s.figures.clear();  // no partial data: a bad entry makes the indicator "no data"
    statistics.problems.insert(statistics.problems.end(), s.problems.begin(), s.problems.end());
  }
  std::stable_sort(statistics.problems.begin(), statistics.problems.end(),
                   [](const IndicatorProblem& a, const IndicatorProblem& b) { return a.line < b.line; });
  return statistics;
}

}  // namespace gt::runtime
