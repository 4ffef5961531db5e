// The raw points of many series in one window, for playback (Blocks::rawWindows, pg_history_blocks.hpp). One
// summary() per series costs PostgreSQL several round trips (3.3 ms a series on the development VM: minutes for a
// city's series); this reads the window of all of them in a few statements and decodes the blocks here.

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_set>

#include "history_buckets.hpp"
#include "pg_history_blocks.hpp"

namespace gt::connectors::pg_history {
namespace {

using pg::Params;

std::int64_t int8At(const PGresult* r, int row, int column) {
  return pg::readBigEndian(PQgetvalue(r, row, column), 8);
}

// A block of rows (series_id, t_first, t_last, count, data) decoded into its series' window.
Status addBlock(const PGresult* r, int row, TimePoint t0, TimePoint t1, Blocks::RawWindow& window,
                const std::string& where) {
  const TimePoint tFirst = int8At(r, row, 1);
  if (tFirst <= t0) {
    window.staysRaw = true;
  } else if (!window.firstBlock) {
    window.firstBlock = tFirst;
  }
  const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r, row, 4));
  const auto size = static_cast<std::size_t>(PQgetlength(r, row, 4));
  return history_blocks::appendPointsIn({data, size}, tFirst, int8At(r, row, 2), t0, t1, 0, window.points, where);
}

}  // namespace

Status Blocks::rawWindows(std::span<const std::int64_t> series, TimePoint t0, TimePoint t1,
                          std::unordered_map<std::int64_t, RawWindow>& out) {
  const std::unordered_set<std::int64_t> wanted(series.begin(), series.end());
  // Blocks starting in (t0 - 6 h, t1] that reach t0: the index on (level, t_first), a partition or two, and the
  // server filters on t_last row by row, so the lookback is short: a raw block of a series sampled at least every
  // 30 s (the demo sweeps every 15 s) spans under 6 h (720 samples at most); a sparser series' block before t0 is
  // found by the probe below.
  constexpr Duration kLookback = 6 * 3600 * kMicrosPerSecond;
  TimePoint from = 0;
  if (__builtin_sub_overflow(t0, kLookback, &from)) from = std::numeric_limits<TimePoint>::min();
  auto r = conn_.run("gt_window_blocks",
                     "SELECT series_id, t_first, t_last, count, data FROM blocks WHERE level = 0 AND t_first > $1::int8"
                     " AND t_first <= $2::int8 AND t_last >= $3::int8 ORDER BY series_id, t_first",
                     Params().int8(from).int8(t1).int8(t0), "cannot read history blocks");
  if (!r) return r.status();
  for (int row = 0; row < PQntuples(r->get()); ++row) {
    const std::int64_t id = int8At(r->get(), row, 0);
    if (!wanted.contains(id)) continue;
    if (Status s = addBlock(r->get(), row, t0, t1, out[id], where()); !s) return s;
  }
  // The others: the raw block starting at or before t0 (a sparse series, one paused before the window) and the
  // first 1 min rollup (summary()'s test for a start that retention took).
  constexpr std::size_t kChunk = 10'000;
  std::vector<std::int64_t> rest;
  for (const std::int64_t id : series) {
    auto it = out.find(id);
    if (it == out.end() || !it->second.staysRaw) rest.push_back(id);
  }
  for (std::size_t first = 0; first < rest.size(); first += kChunk) {
    pg::ArrayBuilder ids(pg::kInt8Oid);
    for (std::size_t i = first; i < std::min(rest.size(), first + kChunk); ++i) ids.integer(rest[i], 8);
    auto before = conn_.run("gt_window_before",
                            "SELECT q.id, b.t_first, b.t_last, b.count, b.data, (SELECT r.t_first FROM blocks r WHERE"
                            " r.series_id = q.id AND r.level = 1 ORDER BY r.t_first LIMIT 1) FROM unnest($1::int8[])"
                            " AS q(id) LEFT JOIN LATERAL (SELECT t_first, t_last, count, data FROM blocks WHERE"
                            " series_id = q.id AND level = 0 AND t_first <= $2::int8 ORDER BY t_first DESC LIMIT 1) b"
                            " ON true",
                            Params().raw(ids.finish()).int8(t0), "cannot read history blocks");
    if (!before) return before.status();
    const PGresult* got = before->get();
    for (int row = 0; row < PQntuples(got); ++row) {
      const std::int64_t id = int8At(got, row, 0);
      if (!PQgetisnull(got, row, 1)) {  // its earliest raw time is at or before t0: the raw level
        RawWindow& window = out[id];
        window.staysRaw = true;
        if (int8At(got, row, 2) < t0) continue;  // it ends before the window
        std::vector<Point> later = std::move(window.points);  // it comes before every block found above
        window.points.clear();
        if (Status s = addBlock(got, row, t0, t1, window, where()); !s) return s;
        window.points.insert(window.points.end(), later.begin(), later.end());
        continue;
      }
      auto window = out.find(id);
      if (window == out.end() || !window->second.firstBlock) continue;  // no raw block in the window: summary()
      const TimePoint firstMinute = buckets::bucketStart(*window->second.firstBlock, kHistoryMinute);
      if (PQgetisnull(got, row, 5) || int8At(got, row, 5) >= firstMinute) window->second.staysRaw = true;
    }
  }
  // Live staged samples in the window: later than every stored block of their series.
  auto staged = conn_.run("gt_window_staged",
                          "SELECT u.s, u.t, u.v FROM staged_groups g CROSS JOIN LATERAL unnest(g.series, g.t, g.v)"
                          " AS u(s, t, v) JOIN series s ON s.id = u.s WHERE u.t > s.staged_after"
                          " AND u.t >= $1::int8 AND u.t <= $2::int8 ORDER BY u.s, u.t",
                          Params().int8(t0).int8(t1), "cannot read staged history samples");
  if (!staged) return staged.status();
  for (int row = 0; row < PQntuples(staged->get()); ++row) {
    const std::int64_t id = int8At(staged->get(), row, 0);
    if (!wanted.contains(id)) continue;
    Point p;
    p.t = int8At(staged->get(), row, 1);
    p.v[0] = std::bit_cast<double>(static_cast<std::uint64_t>(int8At(staged->get(), row, 2)));
    out[id].points.push_back(p);
  }
  return Status::ok();
}

}  // namespace gt::connectors::pg_history
