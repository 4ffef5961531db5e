#pragma once
// A chart's series as CSV (issue 16 part 6; docs/workbench.md "Exports"): what the inspector's chart of an entity's
// attribute draws, every sample in its window (time, value), or — past kMaxSeriesRows samples — the chart's buckets
// at a finer width (start, min, mean, max, count), so a file never holds more than that many rows. Times in UTC and
// Beijing time. Update thread for the file; the button and its path field in the ImGui frame (render thread of the
// single-threaded viewer).

#include <string>
#include <vector>

#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/viewer/ui.hpp"

namespace gt::runtime {
class Twin;
}

namespace gt::viewer {

inline constexpr std::size_t kMaxSeriesRows = 200'000;

// The CSV text of `entity`'s `attribute` between t0 and t1 (the values the window reads now: live or recorded), at
// most `maxRows` rows. Errors: an unknown entity or attribute (NotFound), t1 <= t0 (InvalidArgument).
Result<std::string> seriesCsv(const runtime::Twin& twin, EntityIndex entity, AttributeId attribute, TimePoint t0,
                              TimePoint t1, std::size_t maxRows = kMaxSeriesRows);
// ...written to `path` (its folder made; replaced atomically). Errors: seriesCsv's, the file's (naming it).
Status writeSeriesCsv(const runtime::Twin& twin, EntityIndex entity, AttributeId attribute, TimePoint t0, TimePoint t1,
                      const std::string& path);
// The file a chart's export suggests: exports/<entity id>_<attribute>.csv, with characters a file name should not
// have replaced by '_'.
std::string suggestedSeriesFile(const runtime::Twin& twin, EntityIndex entity, AttributeId attribute);

// Every Chinese word drawn here, for the font atlas.
std::vector<std::string> seriesExportStrings();

// Under a chart: a small "CSV" button, and its path field and outcome while open.
void drawSeriesExport(const runtime::Twin& twin, UiState& state, EntityIndex entity, AttributeId attribute, TimePoint t0,
                      TimePoint t1);

}  // namespace gt::viewer
