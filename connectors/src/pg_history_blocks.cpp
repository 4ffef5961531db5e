// The blocks table of the PostgreSQL history. See pg_history_blocks.hpp.

#include "pg_history_blocks.hpp"

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstdio>
#include <limits>
#include <map>
#include <tuple>

namespace gt::connectors::pg_history {
namespace {

using pg::Params;
constexpr TimePoint kMin = std::numeric_limits<TimePoint>::min();
constexpr TimePoint kMax = std::numeric_limits<TimePoint>::max();
constexpr std::size_t kRowsPerStatement = 4096;  // blocks in one upsert (a few MB of parameters at most)

// Raw blocks are rewritten in place every commit while open: room in their pages keeps those updates HOT (no new
// index entries). Rollup blocks are rewritten once per closed raw block.
constexpr int kFillFactor[history_blocks::kLevels] = {70, 90, 90};

std::int64_t int8At(const PGresult* r, int row, int column) {
  return pg::readBigEndian(PQgetvalue(r, row, column), 8);
}

// A block from columns t_first, t_last, count, data starting at `column`.
StoredBlock blockAt(const PGresult* r, int row, int column = 0) {
  StoredBlock b;
  b.tFirst = int8At(r, row, column);
  b.tLast = int8At(r, row, column + 1);
  b.count = pg::readBigEndian(PQgetvalue(r, row, column + 2), 4);
  const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r, row, column + 3));
  b.data.assign(data, data + PQgetlength(r, row, column + 3));
  return b;
}

std::string quoted(const std::string& name) { return "\"" + name + "\""; }

// The lowest t_first of a block that can reach into [$3, ...]: blocks of a series do not overlap, so only the last
// block starting at or before $3 can.
constexpr const char* kLowerBound =
    "coalesce((SELECT CASE WHEN t_last >= $3::int8 THEN t_first ELSE $3::int8 END FROM blocks"
    " WHERE series_id=$1::int8 AND level=$2::int2 AND t_first<=$3::int8 ORDER BY t_first DESC LIMIT 1), $3::int8)";

// The live staged samples of series $1 as rows u(t, v): in each row of its group, the positions of its own samples
// (array_positions: a scan in C; unnesting the three arrays of the row and filtering took twice as long, most of a
// window read), those after its staged_after kept (pg_history_blocks.hpp). Callers add their conditions with AND.
const std::string kLiveStaged = "FROM staged_groups g CROSS JOIN LATERAL unnest(array_positions(g.series, $1::int8))"
                                " AS p(i) CROSS JOIN LATERAL (SELECT g.t[p.i] AS t, g.v[p.i] AS v) AS u"
                                " WHERE g.group_id = $1::int8 / " + std::to_string(kStagedGroupSeries) +
                                " AND u.t > (SELECT staged_after FROM series WHERE id=$1::int8)";

}  // namespace

Partition partitionFor(int level, TimePoint t) {
  const Duration w = kPartitionWidth[level];
  TimePoint index = t / w;
  if (t % w != 0 && t < 0) --index;
  Partition p;
  p.level = level;
  // Saturating: the partitions at either end of time reach MINVALUE / MAXVALUE.
  // (Only a negative index can overflow `from`, only a positive one `to`: t lies in between.)
  TimePoint from = 0;
  TimePoint to = 0;
  if (__builtin_mul_overflow(index, w, &from)) from = kMin;
  if (__builtin_mul_overflow(index + 1, w, &to)) to = kMax;
  p.from = from;
  p.to = to;
  const std::chrono::year_month_day date{
      std::chrono::sys_days{std::chrono::days{static_cast<int>(std::clamp<TimePoint>(from / kDay, -1'000'000'000,
                                                                                     1'000'000'000))}}};
  char name[64];
  if (date.ok() && date.year() >= std::chrono::year{1} && date.year() <= std::chrono::year{9999} && p.from != kMin &&
      p.to != kMax) {
    std::snprintf(name, sizeof name, "blocks_l%d_%04d%02u%02u", level, static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  } else {  // times beyond the calendar: the partition's index
    std::snprintf(name, sizeof name, "blocks_l%d_i%s%lld", level, index < 0 ? "m" : "",
                  static_cast<long long>(index < 0 ? -(index + 1) : index));
  }
  p.name = name;
  return p;
}

Status Blocks::put(std::int64_t series, int level, const BlockEncoder& block) {
  dropReadAhead(series);
  Pending& p = pending_[Key{series, level, block.firstTime()}];
  p.tLast = block.lastTime();
  p.count = static_cast<std::int64_t>(block.count());
  p.data = block.bytes();
  pendingLevels_.insert(levelKey(series, level));
  if (level == 0) {
    // Staged samples of the series can only lie in the range of its open block: a block written whole deletes
    // those in its range unless this connection knows there are none.
    auto it = open_.find(series);
    if (it == open_.end() || it->second.staged > 0) p.unstage = true;
    if (it == open_.end() || block.firstTime() >= it->second.tFirst) {
      open_[series] = OpenBlock{block.firstTime(), block.count(), 0};
    }
  }
  return Status::ok();
}

Status Blocks::putOpen(std::int64_t series, const BlockEncoder& block,
                       std::span<const history_blocks::TimedValue> added) {
  dropReadAhead(series);
  auto it = open_.find(series);
  // Only the new samples when the database holds (or this flush sends) the block's version before them, else the
  // whole block; and the whole block again once kMaxStagedPerSeries are staged, so reads stay short.
  const bool extends = !added.empty() && it != open_.end() && it->second.tFirst == block.firstTime() &&
                       it->second.count + added.size() == block.count() &&
                       it->second.staged + added.size() <= kMaxStagedPerSeries &&
                       !pending_.contains(Key{series, 0, block.firstTime()});
  if (!extends) return put(series, 0, block);
  for (const history_blocks::TimedValue& a : added) staging_.push_back({series, a.t, a.v});
  it->second.count += added.size();
  it->second.staged += added.size();
  pendingLevels_.insert(levelKey(series, 0));
  return Status::ok();
}

Status Blocks::flushFor(std::int64_t series, int level) {
  return pendingLevels_.contains(levelKey(series, level)) ? flush() : Status::ok();
}

Status Blocks::addStaged(std::int64_t series, StoredBlock& b) {
  static const std::string sql = "SELECT u.t, u.v " + kLiveStaged +
                                 " AND u.t>$2::int8 AND NOT EXISTS(SELECT 1 FROM blocks WHERE series_id=$1::int8"
                                 " AND level=0 AND t_first>$3::int8) ORDER BY u.t";
  auto r = conn_.run("gt_staged_after", sql.c_str(), Params().int8(series).int8(b.tLast).int8(b.tFirst),
                     "cannot read staged history samples");
  if (!r) return r.status();
  return appendStaged(b, r->get(), 0);
}

// Rows [first, end): (t, the value's 8 bytes) in columns 0 and the last one, ascending.
Status Blocks::appendStaged(StoredBlock& b, const PGresult* r, int first, int end) {
  const int rows = end < 0 ? PQntuples(r) : end;
  if (rows <= first) return Status::ok();
  auto block = BlockEncoder::resume(b.data);
  if (!block) return Status(block.status().code(), where() + ": " + block.status().message());
  const int valueColumn = PQnfields(r) - 1;
  for (int i = first; i < rows; ++i) {
    const double v = std::bit_cast<double>(static_cast<std::uint64_t>(int8At(r, i, valueColumn)));
    if (Status s = block->append(int8At(r, i, 0), v); !s) return {s.code(), where() + ": " + s.message()};
  }
  b.data = block->bytes();
  b.tLast = block->lastTime();
  b.count = static_cast<std::int64_t>(block->count());
  return Status::ok();
}

Status Blocks::foldStaged() {
  if (Status s = flush(); !s) return s;
  auto r = conn_.query("SELECT DISTINCT u.s FROM staged_groups g CROSS JOIN LATERAL unnest(g.series, g.t) AS u(s, t)"
                       " JOIN series ON series.id = u.s WHERE u.t > series.staged_after",
                       "cannot list staged history samples");
  if (!r) return r.status();
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    const std::int64_t series = std::stoll(PQgetvalue(r->get(), i, 0));
    auto newest = last(series, 0);  // with its staged samples
    if (!newest) return newest.status();
    if (!*newest) continue;
    auto block = BlockEncoder::resume((*newest)->data);
    if (!block) return Status(block.status().code(), where() + ": " + block.status().message());
    open_.erase(series);  // written whole: its staged samples die
    if (Status s = put(series, 0, *block); !s) return s;
  }
  if (Status s = flush(); !s) return s;
  if (Status s = conn_.exec("DELETE FROM staged_groups", "cannot delete staged history samples"); !s) return s;
  readAhead_.clear();
  liveInRow_.clear();
  stagedIn_.clear();
  return Status::ok();
}

Status Blocks::remove(std::int64_t series, int level, TimePoint tFirst) {
  dropReadAhead(series);
  pending_.erase(Key{series, level, tFirst});
  if (auto it = open_.find(series); level == 0 && it != open_.end() && it->second.tFirst == tFirst) open_.erase(it);
  auto r = conn_.run("gt_remove", "DELETE FROM blocks WHERE series_id=$1::int8 AND level=$2::int2 AND t_first=$3::int8",
                     Params().int8(series).int2(static_cast<std::int16_t>(level)).int8(tFirst),
                     "cannot delete a history block");
  return r.status();
}

Status Blocks::prefetch(std::span<const std::int64_t> series) {
  // The series' rolled_until and newest raw block; a series not stored has no row (its reads go the usual way).
  static const char* const kStates =
      "SELECT q.id, s.rolled_until, b.t_first, b.t_last, b.count, b.data FROM unnest($1::int8[]) AS q(id)"
      " JOIN series s ON s.id = q.id LEFT JOIN LATERAL (SELECT t_first, t_last, count, data FROM blocks"
      " WHERE series_id = q.id AND level = 0 ORDER BY t_first DESC LIMIT 1) b ON true";
  // Their live staged samples (after their newest block, by the invariant), by series and time.
  static const std::string kStaged =
      "WITH q AS (SELECT DISTINCT id FROM unnest($1::int8[]) AS q(id)) SELECT u.t, u.s, u.v FROM staged_groups g"
      " CROSS JOIN LATERAL unnest(g.series, g.t, g.v) AS u(s, t, v) JOIN q ON q.id = u.s JOIN series s ON s.id = u.s"
      " WHERE g.group_id IN (SELECT id / " + std::to_string(kStagedGroupSeries) + " FROM q)"
      " AND u.t > s.staged_after ORDER BY u.s, u.t";
  constexpr std::size_t kChunk = 10'000;
  std::vector<std::int64_t> ids;
  for (std::size_t first = 0; first < series.size(); first += kChunk) {
    ids.clear();
    pg::ArrayBuilder array(pg::kInt8Oid);
    for (std::size_t i = first; i < std::min(series.size(), first + kChunk); ++i) {
      // (One with writes pending is read the usual way, after they are flushed.)
      if (pendingLevels_.contains(levelKey(series[i], 0))) continue;
      array.integer(series[i], 8);
      ids.push_back(series[i]);
    }
    if (ids.empty()) continue;
    const std::string idArray = array.finish();
    auto r = conn_.run("gt_prefetch", kStates, Params().raw(idArray), "cannot read history series");
    if (!r) return r.status();
    pg::ArrayBuilder withBlocks(pg::kInt8Oid);
    for (int row = 0; row < PQntuples(r->get()); ++row) {
      ReadAhead& ahead = readAhead_[int8At(r->get(), row, 0)];
      ahead.rolledUntil = int8At(r->get(), row, 1);
      ahead.lastRead = true;
      ahead.last.reset();
      if (PQgetisnull(r->get(), row, 2)) continue;
      ahead.last = blockAt(r->get(), row, 2);
      withBlocks.integer(int8At(r->get(), row, 0), 8);
    }
    if (withBlocks.size() == 0) continue;
    auto staged = conn_.run("gt_prefetch_staged", kStaged.c_str(), Params().raw(withBlocks.finish()),
                            "cannot read staged history samples");
    if (!staged) return staged.status();
    const int rows = PQntuples(staged->get());
    for (int row = 0; row < rows;) {
      const std::int64_t id = int8At(staged->get(), row, 1);
      int end = row;
      while (end < rows && int8At(staged->get(), end, 1) == id) ++end;
      auto ahead = readAhead_.find(id);
      if (ahead != readAhead_.end() && ahead->second.last) {
        if (Status s = appendStaged(*ahead->second.last, staged->get(), row, end); !s) return s;
      }
      row = end;
    }
  }
  return Status::ok();
}

Status Blocks::ensurePartition(int level, TimePoint tFirst) {
  const Partition p = partitionFor(level, tFirst);
  if (known_.contains(p.name)) return Status::ok();
  const std::string from = p.from == kMin ? "MINVALUE" : std::to_string(p.from);
  const std::string to = p.to == kMax ? "MAXVALUE" : std::to_string(p.to);
  // Writers are serialised by the epoch row (pg_history.cpp), so two connections never create one at once.
  const std::string sql = "CREATE TABLE IF NOT EXISTS " + quoted(p.name) + " PARTITION OF blocks_l" +
                          std::to_string(level) + " FOR VALUES FROM (" + from + ") TO (" + to +
                          ") WITH (fillfactor=" + std::to_string(kFillFactor[level]) + ");" +
                          "INSERT INTO history_partitions(name, level, t_from, t_to) VALUES('" + p.name + "', " +
                          std::to_string(level) + ", " + std::to_string(p.from) + ", " + std::to_string(p.to) +
                          ") ON CONFLICT (name) DO NOTHING";
  if (Status s = conn_.exec(sql, "cannot create a history partition"); !s) return s;
  known_.insert(p.name);
  return Status::ok();
}

void Blocks::beginCommit(std::int64_t epoch) {
  readAhead_.clear();
  seqBase_ = epoch << 20;
  flushes_ = 0;
}

Status Blocks::flush() {
  if (pending_.empty() && staging_.empty()) return Status::ok();
  for (const auto& [key, p] : pending_) {
    if (Status s = ensurePartition(key.level, key.tFirst); !s) return s;
  }
  if (Status s = sendStaged(); !s) return s;
  pg::ArrayBuilder series(pg::kInt8Oid), level(pg::kInt2Oid), first(pg::kInt8Oid), last(pg::kInt8Oid),
      count(pg::kInt4Oid), data(pg::kByteaOid);
  std::size_t rows = 0;
  const auto send = [&]() -> Status {
    if (rows == 0) return Status::ok();
    Params params;
    params.raw(series.finish()).raw(level.finish()).raw(first.finish()).raw(last.finish()).raw(count.finish());
    params.raw(data.finish());
    auto r = conn_.run("gt_put",
                       "INSERT INTO blocks(series_id, level, t_first, t_last, count, data)"
                       " SELECT * FROM unnest($1::int8[], $2::int2[], $3::int8[], $4::int8[], $5::int4[], $6::bytea[])"
                       " ON CONFLICT (series_id, level, t_first) DO UPDATE SET t_last=excluded.t_last,"
                       " count=excluded.count, data=excluded.data",
                       params, "cannot write history blocks");
    for (pg::ArrayBuilder* a : {&series, &level, &first, &last, &count, &data}) a->clear();
    rows = 0;
    return r.status();
  };
  for (const auto& [key, p] : pending_) {
    series.integer(key.series, 8);
    level.integer(key.level, 2);
    first.integer(key.tFirst, 8);
    last.integer(p.tLast, 8);
    count.integer(p.count, 4);
    data.bytes(p.data);
    if (++rows == kRowsPerStatement) {
      if (Status s = send(); !s) return s;
    }
  }
  if (Status s = send(); !s) return s;
  if (Status s = releaseStaged(); !s) return s;
  pending_.clear();
  pendingLevels_.clear();
  return Status::ok();
}

Status Blocks::sendStaged() {
  if (staging_.empty()) return Status::ok();
  if (!seqBase_) return Status(ErrorCode::Internal, where() + ": history samples staged outside a write transaction");
  const std::int64_t seq = *seqBase_ + flushes_++;
  // By group, then series, then time: a row's samples of one series are one run, in time order.
  std::stable_sort(staging_.begin(), staging_.end(), [](const StagedSample& x, const StagedSample& y) {
    return std::tuple(x.series / kStagedGroupSeries, x.series) < std::tuple(y.series / kStagedGroupSeries, y.series);
  });
  pg::CopyRows rows;
  pg::ArrayBuilder ids(pg::kInt8Oid), times(pg::kInt8Oid), values(pg::kFloat8Oid);
  for (std::size_t i = 0; i < staging_.size();) {
    const std::int64_t group = staging_[i].series / kStagedGroupSeries;
    const RowKey row{group, seq};
    for (; i < staging_.size() && staging_[i].series / kStagedGroupSeries == group; ++i) {
      const StagedSample& a = staging_[i];
      ids.integer(a.series, 8);
      times.integer(a.t, 8);
      values.float8(a.v);
      std::vector<StagedRun>& runs = stagedIn_[a.series];
      if (runs.empty() || runs.back().row != row) runs.push_back({row, 0, a.t});
      ++runs.back().count;
      runs.back().tMax = std::max(runs.back().tMax, a.t);
      ++liveInRow_[row];
    }
    rows.row(5);
    rows.int8(group);
    rows.int8(seq);
    rows.raw(ids.finish());
    rows.raw(times.finish());
    rows.raw(values.finish());
    for (pg::ArrayBuilder* a : {&ids, &times, &values}) a->clear();
  }
  staging_.clear();
  return conn_.copyIn("COPY staged_groups(group_id, seq, series, t, v) FROM STDIN (FORMAT binary)", rows.finish(),
                      "cannot stage history samples");
}

Status Blocks::releaseStaged() {
  // The newest t_last written whole per series: staged samples up to it are in a stored block now (this flush's
  // own, sent above, included).
  std::map<std::int64_t, TimePoint> raised;
  for (const auto& [key, p] : pending_) {
    if (key.level != 0 || !p.unstage) continue;
    auto [it, added] = raised.emplace(key.series, p.tLast);
    if (!added) it->second = std::max(it->second, p.tLast);
  }
  if (raised.empty()) return Status::ok();
  pg::ArrayBuilder ids(pg::kInt8Oid), until(pg::kInt8Oid), deadGroup(pg::kInt8Oid), deadSeq(pg::kInt8Oid);
  for (const auto& [series, tLast] : raised) {
    ids.integer(series, 8);
    until.integer(tLast, 8);
    auto runs = stagedIn_.find(series);
    if (runs == stagedIn_.end()) continue;
    // Runs of a later block (a late sample merged into an older block leaves the open block's samples live).
    std::erase_if(runs->second, [&](const StagedRun& run) {
      if (run.tMax > tLast) return false;
      auto live = liveInRow_.find(run.row);
      if (live != liveInRow_.end() && (live->second -= std::min(live->second, run.count)) == 0) {
        deadGroup.integer(run.row.first, 8);
        deadSeq.integer(run.row.second, 8);
        liveInRow_.erase(live);
      }
      return true;
    });
    if (runs->second.empty()) stagedIn_.erase(runs);
  }
  auto r = conn_.run("gt_raise_staged_after",
                     "UPDATE series SET staged_after = greatest(staged_after, u.t) FROM unnest($1::int8[], $2::int8[])"
                     " AS u(id, t) WHERE series.id = u.id",
                     Params().raw(ids.finish()).raw(until.finish()), "cannot mark staged history samples written");
  if (!r) return r.status();
  if (deadGroup.size() == 0) return Status::ok();
  auto d = conn_.run("gt_delete_staged",
                     "DELETE FROM staged_groups g USING unnest($1::int8[], $2::int8[]) AS u(group_id, seq)"
                     " WHERE g.group_id = u.group_id AND g.seq = u.seq",
                     Params().raw(deadGroup.finish()).raw(deadSeq.finish()), "cannot delete staged history samples");
  return d.status();
}

void Blocks::forget() {
  pending_.clear();
  known_.clear();
  pendingLevels_.clear();
  staging_.clear();
  seqBase_.reset();
  open_.clear();
  liveInRow_.clear();
  stagedIn_.clear();
  readAhead_.clear();
}

Result<std::optional<StoredBlock>> Blocks::one(const char* name, const char* sql, std::int64_t series, int level,
                                               std::optional<TimePoint> t, bool stagedInResult) {
  if (Status s = flushFor(series, level); !s) return s;
  Params params;
  params.int8(series).int2(static_cast<std::int16_t>(level));
  if (t) params.int8(*t);
  auto r = conn_.run(name, sql, params, "cannot read a history block");
  if (!r) return r.status();
  // (last() of the raw level: the block, then its staged samples as rows of count -1, in one result.)
  if (PQntuples(r->get()) == 0 || pg::readBigEndian(PQgetvalue(r->get(), 0, 2), 4) < 0) {
    return std::optional<StoredBlock>{};
  }
  StoredBlock b = blockAt(r->get(), 0);
  if (level == 0) {
    if (Status s = stagedInResult ? appendStaged(b, r->get(), 1) : addStaged(series, b); !s) return s;
  }
  return std::optional<StoredBlock>{std::move(b)};
}

#define GT_BLOCK_COLUMNS "SELECT t_first, t_last, count, data FROM blocks WHERE series_id=$1::int8 AND level=$2::int2"

Result<std::optional<StoredBlock>> Blocks::last(std::int64_t series, int level) {
  if (auto ahead = readAhead_.find(series); level == 0 && ahead != readAhead_.end() && ahead->second.lastRead) {
    Result<std::optional<StoredBlock>> block(std::move(ahead->second.last));
    ahead->second.lastRead = false;
    if (!ahead->second.rolledUntil) readAhead_.erase(ahead);
    return block;
  }
  // The newest block and, at the raw level, the staged samples after it: one round trip (a writer resumes every
  // series it has not cached this way).
  static const std::string sql = "(" GT_BLOCK_COLUMNS " ORDER BY t_first DESC LIMIT 1) UNION ALL (SELECT u.t, u.t,"
                                 " -1, float8send(u.v) " + kLiveStaged + " AND $2::int2=0) ORDER BY 1";
  return one("gt_last", sql.c_str(), series, level, std::nullopt, true);
}
Result<std::optional<StoredBlock>> Blocks::atOrBefore(std::int64_t series, int level, TimePoint t) {
  return one("gt_at_or_before", GT_BLOCK_COLUMNS " AND t_first<=$3::int8 ORDER BY t_first DESC LIMIT 1", series,
             level, t);
}
Result<std::optional<StoredBlock>> Blocks::firstAfter(std::int64_t series, int level, TimePoint t) {
  return one("gt_first_after", GT_BLOCK_COLUMNS " AND t_first>$3::int8 ORDER BY t_first LIMIT 1", series, level, t);
}
Result<std::optional<StoredBlock>> Blocks::get(std::int64_t series, int level, TimePoint tFirst) {
  return one("gt_get", GT_BLOCK_COLUMNS " AND t_first=$3::int8", series, level, tFirst);
}

Result<std::optional<TimePoint>> Blocks::earliest(std::int64_t series, int level) {
  if (Status s = flushFor(series, level); !s) return s;
  auto r = conn_.run("gt_earliest",
                     "SELECT t_first FROM blocks WHERE series_id=$1::int8 AND level=$2::int2 ORDER BY t_first LIMIT 1",
                     Params().int8(series).int2(static_cast<std::int16_t>(level)), "cannot read a history block");
  if (!r) return r.status();
  if (PQntuples(r->get()) == 0) return std::optional<TimePoint>{};
  return std::optional<TimePoint>{int8At(r->get(), 0, 0)};
}

Status Blocks::points(std::int64_t series, int level, TimePoint t0, TimePoint t1, std::vector<Point>& out,
                      std::size_t limit) {
  if (Status s = flushFor(series, level); !s) return s;
  // The blocks, then (raw level) the staged samples as rows of count -1 whose data is the value (float8send).
  static const std::string sql = "(" + std::string(GT_BLOCK_COLUMNS " AND t_first>=") + kLowerBound +
                                 " AND t_first<=$4::int8) UNION ALL (SELECT u.t, u.t, -1, float8send(u.v) " +
                                 kLiveStaged + " AND $2::int2=0 AND u.t>=$3::int8 AND u.t<=$4::int8) ORDER BY 1";
  auto r = conn_.run("gt_points", sql.c_str(),
                     Params().int8(series).int2(static_cast<std::int16_t>(level)).int8(t0).int8(t1),
                     "cannot read history blocks");
  if (!r) return r.status();
  const int rows = PQntuples(r->get());
  for (int i = 0; i < rows && out.size() < limit; ++i) {
    if (pg::readBigEndian(PQgetvalue(r->get(), i, 2), 4) < 0) {
      Point p;
      p.t = int8At(r->get(), i, 0);
      p.v[0] = std::bit_cast<double>(static_cast<std::uint64_t>(int8At(r->get(), i, 3)));
      out.push_back(p);
      continue;
    }
    const auto* data = reinterpret_cast<const std::uint8_t*>(PQgetvalue(r->get(), i, 3));
    const auto size = static_cast<std::size_t>(PQgetlength(r->get(), i, 3));
    if (Status s = history_blocks::appendPointsIn({data, size}, int8At(r->get(), i, 0), int8At(r->get(), i, 1), t0,
                                                  t1, level, out, where());
        !s) {
      return s;
    }
  }
  return Status::ok();
}

#undef GT_BLOCK_COLUMNS

// The whole sum in one statement (no early stop at `limit`: the rows never leave the server).
Result<std::int64_t> Blocks::countIn(std::int64_t series, int level, TimePoint t0, TimePoint t1, std::int64_t) {
  if (Status s = flushFor(series, level); !s) return s;
  static const std::string sql =
      "SELECT coalesce(sum(count), 0)::int8 + (SELECT count(*) " + kLiveStaged +
      " AND $2::int2=0 AND u.t>=$3::int8 AND u.t<=$4::int8) FROM blocks WHERE series_id=$1::int8 AND level=$2::int2"
      " AND t_first>=" + std::string(kLowerBound) + " AND t_first<=$4::int8";
  auto r = conn_.run("gt_count", sql.c_str(),
                     Params().int8(series).int2(static_cast<std::int16_t>(level)).int8(t0).int8(t1),
                     "cannot count history blocks");
  if (!r) return r.status();
  return int8At(r->get(), 0, 0);
}

Status Blocks::startingBefore(int level, TimePoint cutoff, int limit, std::vector<history_blocks::BlockKey>& out) {
  if (Status s = flush(); !s) return s;
  auto r = conn_.run("gt_starting_before",
                     "SELECT series_id, t_first, t_last FROM blocks WHERE level=$1::int2 AND t_first<$2::int8"
                     " ORDER BY t_first LIMIT $3::int4",
                     Params().int2(static_cast<std::int16_t>(level)).int8(cutoff).int4(limit),
                     "cannot list old history blocks");
  if (!r) return r.status();
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    out.push_back({int8At(r->get(), i, 0), int8At(r->get(), i, 1), int8At(r->get(), i, 2)});
  }
  return Status::ok();
}

Result<TimePoint> Blocks::rolledUntil(std::int64_t series) {
  if (auto ahead = readAhead_.find(series); ahead != readAhead_.end() && ahead->second.rolledUntil) {
    const TimePoint t = *ahead->second.rolledUntil;
    ahead->second.rolledUntil.reset();
    if (!ahead->second.lastRead) readAhead_.erase(ahead);
    return t;
  }
  auto r = conn_.run("gt_rolled_until", "SELECT rolled_until FROM series WHERE id=$1::int8", Params().int8(series),
                     "cannot read a series");
  if (!r) return r.status();
  if (PQntuples(r->get()) != 1) return Status(ErrorCode::Internal, where() + ": series " + std::to_string(series) +
                                                                      " is not stored");
  return int8At(r->get(), 0, 0);
}

Status Blocks::setRolledUntil(std::int64_t series, TimePoint t) {
  dropReadAhead(series);
  auto r = conn_.run("gt_set_rolled_until", "UPDATE series SET rolled_until=$1::int8 WHERE id=$2::int8",
                     Params().int8(t).int8(series), "cannot update a series");
  return r.status();
}

Result<std::vector<Partition>> Blocks::partitionsBefore(int level, TimePoint cutoff) {
  auto r = conn_.run("gt_partitions_before",
                     "SELECT name, t_from, t_to FROM history_partitions WHERE level=$1::int2 AND t_to<=$2::int8"
                     " ORDER BY t_from",
                     Params().int2(static_cast<std::int16_t>(level)).int8(cutoff), "cannot list history partitions");
  if (!r) return r.status();
  std::vector<Partition> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    out.push_back({std::string(PQgetvalue(r->get(), i, 0), static_cast<std::size_t>(PQgetlength(r->get(), i, 0))),
                   level, int8At(r->get(), i, 1), int8At(r->get(), i, 2)});
  }
  return out;
}

Result<std::vector<history_blocks::BlockKey>> Blocks::openBlocksIn(const Partition& p) {
  if (Status s = flush(); !s) return s;
  auto r = conn_.query("SELECT b.series_id, b.t_first, b.t_last FROM " + quoted(p.name) +
                           " b JOIN series s ON s.id = b.series_id WHERE b.t_first >= s.rolled_until",
                       "cannot list open history blocks");
  if (!r) return r.status();
  std::vector<history_blocks::BlockKey> out;
  for (int i = 0; i < PQntuples(r->get()); ++i) {
    out.push_back({std::stoll(PQgetvalue(r->get(), i, 0)), std::stoll(PQgetvalue(r->get(), i, 1)),
                   std::stoll(PQgetvalue(r->get(), i, 2))});
  }
  return out;
}

Result<std::int64_t> Blocks::drop(const Partition& p) {
  if (Status s = flush(); !s) return s;
  auto count = conn_.query("SELECT count(*) FROM " + quoted(p.name), "cannot count a history partition");
  if (!count) return count.status();
  const std::int64_t blocks = std::stoll(PQgetvalue(count->get(), 0, 0));
  if (Status s = conn_.exec("DROP TABLE " + quoted(p.name) + ";DELETE FROM history_partitions WHERE name='" + p.name +
                                "'",
                            "cannot drop a history partition");
      !s) {
    return s;
  }
  known_.erase(p.name);
  readAhead_.clear();
  return blocks;
}

}  // namespace gt::connectors::pg_history
