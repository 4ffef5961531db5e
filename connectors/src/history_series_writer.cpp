// How a history store writes one series. See history_series_writer.hpp.

#include "history_series_writer.hpp"

#include <algorithm>
#include <limits>
#include <utility>

#include "history_buckets.hpp"

namespace gt::connectors::history_blocks {
namespace {

constexpr TimePoint kForever = std::numeric_limits<TimePoint>::max();

TimePoint after(TimePoint t) { return t == kForever ? kForever : t + 1; }

// The partial buckets of `level` that ascending raw samples make.
std::vector<Point> partials(std::span<const Point> samples, int level) {
  std::vector<Point> out;
  buckets::Aggregate a;
  TimePoint current = 0;
  bool open = false;
  const auto flush = [&] {
    if (open && a.count > 0) out.push_back(fromBucket(a.bucket(current)));
  };
  for (const Point& p : samples) {
    const TimePoint b = buckets::bucketStart(p.t, kLevelWidth[level]);
    if (!open || b != current) {
      flush();
      a = {};
      current = b;
      open = true;
    }
    a.add(p.v[0]);
  }
  flush();
  return out;
}

Point mergeBuckets(const Point& x, const Point& y) {
  buckets::Aggregate a;
  a.merge(toBucket(x, 1));
  a.merge(toBucket(y, 1));
  return fromBucket(a.bucket(x.t));
}

}  // namespace

Result<SeriesWriter::State*> SeriesWriter::state(std::int64_t series) {
  if (auto it = states_.find(series); it != states_.end()) return &it->second;
  State s;
  auto rolledUntil = blocks_.rolledUntil(series);
  if (!rolledUntil) return rolledUntil.status();
  s.rolledUntil = *rolledUntil;
  auto last = blocks_.last(series, 0);
  if (!last) return last.status();
  if (*last) {
    s.newest = (*last)->tLast;
    if ((*last)->tFirst >= s.rolledUntil) {
      auto open = BlockEncoder::resume((*last)->data);
      if (!open) return Status(open.status().code(), blocks_.where() + ": " + open.status().message());
      s.open = std::move(*open);
      s.stored = true;
    }
  }
  return &states_.emplace(series, std::move(s)).first->second;
}

Status SeriesWriter::prepare(std::span<const std::int64_t> series) {
  std::vector<std::int64_t> unknown;
  for (const std::int64_t id : series) {
    if (!states_.contains(id)) unknown.push_back(id);
  }
  return unknown.empty() ? Status::ok() : blocks_.prefetch(unknown);
}

Status SeriesWriter::write(std::int64_t series, std::span<const TimedValue> samples, double step) {
  if (!isQuantisingStep(step)) step = 0;
  auto st = state(series);
  if (!st) return st.status();
  (*st)->step = step;
  std::size_t late = 0;
  if ((*st)->newest) {
    while (late < samples.size() && samples[late].t <= *(*st)->newest) ++late;
  }
  if (late > 0) {
    if (Status s = mergeLate(series, **st, samples.first(late)); !s) return s;
    states_.erase(series);  // read back what the merge wrote
    st = state(series);
    if (!st) return st.status();
    (*st)->step = step;
  }
  State& s = **st;
  if (s.open.empty() && s.open.step(0) != s.step) s.open = newBlock(0, s.step);
  for (const TimedValue& h : samples.subspan(late)) {
    if (Status a = s.open.append(h.t, h.v); !a) return a;
    s.newest = h.t;
    s.dirty = true;
    s.unsaved.push_back({h.t, s.open.lastValue(0)});
    // A block without a resolution closes at rollupPoints_ (120) samples, as before resolutions: larger exact
    // blocks saved a little space but doubled the bytes each commit rewrites (docs/history.md "Space").
    const std::size_t most = s.open.step(0) > 0 ? blockPoints_ : rollupPoints_;
    if (s.open.count() >= most || s.open.byteSize() >= blockBytes_) {
      if (Status c = closeOpen(series, s); !c) return c;
    }
  }
  return s.dirty ? saveOpen(series, s) : Status::ok();
}

Status SeriesWriter::saveOpen(std::int64_t series, State& s) {
  // A block not stored yet is written whole first, so that staged samples always follow a stored block.
  if (!s.stored || folding_ || !blocks_.stagesSamples()) return writeOpen(series, s);
  if (Status p = blocks_.stage(series, s.unsaved); !p) return p;
  if (!s.staged) stagedSeries_.push_back(series);
  s.staged = true;
  s.dirty = false;
  s.unsaved.clear();
  return Status::ok();
}

Status SeriesWriter::writeOpen(std::int64_t series, State& s) {
  if (Status p = blocks_.putOpen(series, s.open, s.unsaved); !p) return p;
  // The stored block holds what was written: keep only its tail (the store puts the two together next time).
  if (blocks_.takesDetachedOpenBlocks()) s.open.detachWritten();
  s.stored = true;
  s.staged = false;  // the block holds them now
  s.dirty = false;
  s.unsaved.clear();
  return Status::ok();
}

Status SeriesWriter::packStaged() {
  for (const std::int64_t series : stagedSeries_) {
    auto it = states_.find(series);
    if (it == states_.end() || !it->second.staged) continue;  // written whole since (closed, merged)
    if (Status w = writeOpen(series, it->second); !w) return w;
  }
  stagedSeries_.clear();
  return Status::ok();
}

Status SeriesWriter::foldStaged(std::span<const StagedSample> staged) {
  // Each series' samples in the order they were staged (ascending: a series is staged only after its newest time).
  std::unordered_map<std::int64_t, std::vector<TimedValue>> bySeries;
  std::vector<std::int64_t> order;
  for (const StagedSample& x : staged) {
    auto [it, added] = bySeries.try_emplace(x.series);
    if (added) order.push_back(x.series);
    it->second.push_back({x.t, x.v});
  }
  folding_ = true;
  Status result = Status::ok();
  for (const std::int64_t series : order) {
    auto st = state(series);
    if (!st) {
      result = st.status();
      break;
    }
    // Only the live samples: after every stored block (the others were written into a block before it was stored).
    std::vector<TimedValue> live;
    for (const TimedValue& x : bySeries[series]) {
      const TimePoint newest = !live.empty() ? live.back().t : (*st)->newest.value_or(x.t - 1);
      if (x.t > newest && x.t >= (*st)->rolledUntil) live.push_back(x);
    }
    if (live.empty()) continue;
    const double step = (*st)->open.empty() ? 0 : (*st)->open.step(0);
    if (Status w = write(series, live, step); !w) {
      result = w;
      break;
    }
  }
  folding_ = false;
  return result;
}

Status SeriesWriter::closeOpen(std::int64_t series, State& s) {
  if (s.open.detachedBytes() > 0) {
    // The whole block, for its final version and its rollups: its detached bytes back from the stored one.
    auto stored = blocks_.get(series, 0, s.open.firstTime());
    if (!stored) return stored.status();
    if (!*stored) {
      return {ErrorCode::ParseError, blocks_.where() + ": the open history block of series " +
                                         std::to_string(series) + " is missing"};
    }
    if (Status a = s.open.attach((*stored)->data); !a) return {a.code(), blocks_.where() + ": " + a.message()};
  }
  if (Status p = blocks_.put(series, 0, s.open); !p) return p;
  std::vector<Point> samples;
  if (Status d = decodePoints(s.open.bytes(), 0, samples); !d) return d;
  if (Status r = rollUp(series, samples, s.open.step(0)); !r) return r;
  s.rolledUntil = after(s.open.lastTime());
  if (Status u = blocks_.setRolledUntil(series, s.rolledUntil); !u) return u;
  s.open = newBlock(0, s.step);
  s.stored = false;
  s.staged = false;  // the closed block holds them
  s.dirty = false;
  s.unsaved.clear();
  return Status::ok();
}

Status SeriesWriter::closeBeforeRetention(std::int64_t series, const StoredBlock& block) {
  if (auto it = states_.find(series); it != states_.end() && it->second.staged) {
    // Its staged samples into the block first, and the block as it is then.
    if (Status w = writeOpen(series, it->second); !w) return w;
    auto whole = blocks_.get(series, 0, block.tFirst);
    if (!whole) return whole.status();
    if (*whole) return closeBeforeRetention(series, **whole);
  }
  states_.erase(series);
  auto st = state(series);
  if (!st) return st.status();
  if (block.tFirst < (*st)->rolledUntil) return Status::ok();  // closed: already in the rollups
  std::vector<Point> samples;
  double step = 0;
  if (Status d = decodePoints(block.data, 0, samples, &step); !d) return {d.code(), blocks_.where() + ": " + d.message()};
  if (Status r = rollUp(series, samples, step); !r) return r;
  if (Status u = blocks_.setRolledUntil(series, after(block.tLast)); !u) return u;
  states_.erase(series);
  return Status::ok();
}

// Merges the closed block's partial buckets into each rollup level's newest block (read, extended, rewritten:
// once per closed raw block, so it is not kept in memory).
Status SeriesWriter::rollUp(std::int64_t series, std::span<const Point> samples, double step) {
  for (int level = 1; level < kLevels; ++level) {
    const std::vector<Point> parts = partials(samples, level);
    if (parts.empty()) continue;
    auto last = blocks_.last(series, level);
    if (!last) return last.status();
    std::vector<Point> tail;
    std::optional<TimePoint> key;
    double tailStep = step;  // the newest block keeps its own step; a new one takes the samples'
    if (*last) {
      key = (*last)->tFirst;
      if (Status d = decodePoints((*last)->data, level, tail, &tailStep); !d) {
        return {d.code(), blocks_.where() + ": " + d.message()};
      }
    }
    for (const Point& p : parts) {
      if (!tail.empty() && p.t == tail.back().t) {
        tail.back() = mergeBuckets(tail.back(), p);
      } else if (tail.empty() || p.t > tail.back().t) {
        if (tail.size() >= rollupPoints_) {  // the newest block is full: it stays, a new one starts
          if (Status w = rewrite(series, level, key, tail, tailStep); !w) return w;
          key.reset();
          tail.clear();
          tailStep = step;
        }
        tail.push_back(p);
      } else {
        // Older than the level's newest point (its raw block was trimmed by retention and written again):
        // merged where it belongs.
        std::vector<Point> existing;
        if (Status e = blocks_.points(series, level, p.t, p.t, existing); !e) return e;
        if (Status r = replacePoint(series, level, existing.empty() ? p : mergeBuckets(existing[0], p), false, step);
            !r) {
          return r;
        }
      }
    }
    if (Status w = rewrite(series, level, key, tail, tailStep); !w) return w;
  }
  return Status::ok();
}

Status SeriesWriter::mergeLate(std::int64_t series, State& s, std::span<const TimedValue> late) {
  if (s.dirty || s.staged) {
    if (Status x = writeOpen(series, s); !x) return x;  // the merge reads the stored blocks: all of them
  }
  TimePoint rolledUntil = s.rolledUntil;
  std::vector<TimePoint> minutes;  // rolled-up minutes that late samples changed
  std::vector<Point> merged, existing;
  std::size_t i = 0;
  while (i < late.size()) {
    const TimePoint t = late[i].t;
    const bool openRegion = t >= rolledUntil;
    std::optional<StoredBlock> target;
    TimePoint upper = kForever;  // the group takes the late samples before this
    if (openRegion) {
      auto last = blocks_.last(series, 0);
      if (!last) return last.status();
      if (*last && (*last)->tFirst >= rolledUntil) target = std::move(*last);
    } else {
      auto before = blocks_.atOrBefore(series, 0, t);
      if (!before) return before.status();
      if (!*before) {
        before = blocks_.firstAfter(series, 0, t);
        if (!before) return before.status();
      }
      if (*before && (*before)->tFirst < rolledUntil) target = std::move(*before);
      auto next = blocks_.firstAfter(series, 0, target ? target->tFirst : t);
      if (!next) return next.status();
      upper = std::min(rolledUntil, *next ? (*next)->tFirst : kForever);
    }
    existing.clear();
    double step = s.step;  // a block there keeps its step (late samples join it at that resolution)
    if (target) {
      if (Status d = decodePoints(target->data, 0, existing, &step); !d) {
        return {d.code(), blocks_.where() + ": " + d.message()};
      }
    }
    // Sorted merge. Recorded history is never rewritten: a late sample with the time of a stored one is left out
    // (counted), whoever sent it, so the first value recorded stays.
    merged.clear();
    std::size_t k = 0;
    std::size_t j = i;
    std::size_t added = 0;
    for (; j < late.size() && (late[j].t < upper || j == i); ++j) {
      for (; k < existing.size() && existing[k].t < late[j].t; ++k) merged.push_back(existing[k]);
      if (k < existing.size() && existing[k].t == late[j].t) {
        ++notReplaced_;
        continue;
      }
      merged.push_back({late[j].t, {late[j].v, 0, 0, 0}});
      ++added;
      if (!openRegion) minutes.push_back(buckets::bucketStart(late[j].t, kHistoryMinute));
    }
    i = j;
    if (added == 0) continue;  // only samples already recorded: the block stays as it is
    merged.insert(merged.end(), existing.begin() + static_cast<std::ptrdiff_t>(k), existing.end());
    const std::optional<TimePoint> oldKey = target ? std::optional<TimePoint>(target->tFirst) : std::nullopt;
    if (Status w = rewrite(series, 0, oldKey, merged, step); !w) return w;
    if (openRegion && merged.size() >= blockPoints_) {
      // The open block filled up: it closes (rolled up) as when samples arrive in order.
      if (Status r = rollUp(series, merged, step); !r) return r;
      rolledUntil = after(merged.back().t);
      if (Status u = blocks_.setRolledUntil(series, rolledUntil); !u) return u;
    }
  }
  return recompute(series, rolledUntil, minutes, s.step);
}

// The rollup points of the given minutes (and their hours) computed again from the level below.
Status SeriesWriter::recompute(std::int64_t series, TimePoint rolledUntil, std::vector<TimePoint>& minutes,
                               double step) {
  std::sort(minutes.begin(), minutes.end());
  minutes.erase(std::unique(minutes.begin(), minutes.end()), minutes.end());
  std::vector<TimePoint> hours;
  std::vector<Point> points;
  for (const TimePoint m : minutes) {
    points.clear();
    const TimePoint end = std::min(m + kHistoryMinute - 1, rolledUntil - 1);
    if (Status p = blocks_.points(series, 0, m, end, points); !p) return p;
    buckets::Aggregate a;
    for (const Point& p : points) a.add(p.v[0]);
    if (Status r = replacePoint(series, 1, fromBucket(a.bucket(m)), a.count == 0, step); !r) return r;
    const TimePoint h = buckets::bucketStart(m, kHistoryHour);
    if (hours.empty() || hours.back() != h) hours.push_back(h);
  }
  for (const TimePoint h : hours) {
    points.clear();
    if (Status p = blocks_.points(series, 1, h, h + kHistoryHour - 1, points); !p) return p;
    buckets::Aggregate a;
    for (const Point& p : points) a.merge(toBucket(p, 1));
    if (Status r = replacePoint(series, 2, fromBucket(a.bucket(h)), a.count == 0, step); !r) return r;
  }
  return Status::ok();
}

Status SeriesWriter::replacePoint(std::int64_t series, int level, const Point& p, bool erase, double step) {
  auto target = blocks_.atOrBefore(series, level, p.t);
  if (!target) return target.status();
  if (!*target) {
    target = blocks_.firstAfter(series, level, p.t);
    if (!target) return target.status();
  }
  std::vector<Point> points;
  std::optional<TimePoint> key;
  if (*target) {
    key = (*target)->tFirst;
    if (Status d = decodePoints((*target)->data, level, points, &step); !d) {
      return {d.code(), blocks_.where() + ": " + d.message()};
    }
  }
  const auto at = std::lower_bound(points.begin(), points.end(), p.t,
                                   [](const Point& x, TimePoint t) { return x.t < t; });
  const bool found = at != points.end() && at->t == p.t;
  if (erase) {
    if (!found) return Status::ok();
    points.erase(at);
  } else if (found) {
    *at = p;
  } else {
    points.insert(at, p);
  }
  return rewrite(series, level, key, points, step);
}

// Writes `points` in place of the block keyed oldKey (none: a new block): one block, or blocks of blockPoints
// when a merge made it more than twice that.
Status SeriesWriter::rewrite(std::int64_t series, int level, std::optional<TimePoint> oldKey,
                             std::span<const Point> points, double step) {
  if (oldKey && (points.empty() || points.front().t != *oldKey)) {
    if (Status r = blocks_.remove(series, level, *oldKey); !r) return r;
  }
  const std::size_t most = level == 0 ? blockPoints_ : rollupPoints_;
  const std::size_t chunk = points.size() > 2 * most ? most : std::max<std::size_t>(points.size(), 1);
  for (std::size_t at = 0; at < points.size(); at += chunk) {
    auto block = encodePoints(points.subspan(at, std::min(chunk, points.size() - at)), level, step);
    if (!block) return block.status();
    if (Status p = blocks_.put(series, level, *block); !p) return p;
  }
  return Status::ok();
}

}  // namespace gt::connectors::history_blocks

namespace gt::connectors::history_blocks {
namespace {

// Rollup reads: the raw samples not rolled up yet (the open block) as partial buckets of the level, merged in.
Status addOpenTail(BlockTable& blocks, std::int64_t series, int level, TimePoint t0, TimePoint t1,
                   std::vector<HistoryBucket>& out) {
  auto rolledUntil = blocks.rolledUntil(series);
  if (!rolledUntil) return rolledUntil.status();
  if (t1 < *rolledUntil) return Status::ok();
  std::vector<Point> raw;
  if (Status s = blocks.points(series, 0, std::max<TimePoint>(t0, *rolledUntil), t1, raw); !s) return s;
  const Duration width = kLevelWidth[level];
  std::size_t i = 0;
  while (i < raw.size()) {
    // One partial bucket (exact sum), merged once into the stored point of its bucket.
    const TimePoint b = buckets::bucketStart(raw[i].t, width);
    buckets::Aggregate partial;
    for (; i < raw.size() && buckets::bucketStart(raw[i].t, width) == b; ++i) partial.add(raw[i].v[0]);
    if (b < t0 || partial.count == 0) continue;  // a bucket counts where it starts, as stored points do
    const auto at = std::lower_bound(out.begin(), out.end(), b,
                                     [](const HistoryBucket& x, TimePoint t) { return x.time < t; });
    if (at != out.end() && at->time == b) {
      partial.merge(*at);
      *at = partial.bucket(b);
    } else {
      out.insert(at, partial.bucket(b));
    }
  }
  return Status::ok();
}

}  // namespace

Result<std::vector<HistorySample>> readRange(BlockTable& blocks, std::int64_t series, const std::string& entityId,
                                             const std::string& attribute, TimePoint t0, TimePoint t1,
                                             std::size_t maxRows, std::vector<Point>& points) {
  points.clear();
  if (Status s = blocks.points(series, 0, t0, t1, points, maxRows); !s) return s;
  const std::size_t n = std::min(points.size(), maxRows);
  std::vector<HistorySample> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back({entityId, attribute, points[i].t, points[i].v[0]});
  return out;
}

Result<HistorySummary> readSummary(BlockTable& blocks, std::int64_t series, TimePoint t0, TimePoint t1,
                                   std::size_t maxPoints) {
  HistorySummary out;
  const auto limit = static_cast<std::int64_t>(
      std::min<std::uint64_t>(maxPoints, static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())));
  auto rawCount = blocks.countIn(series, 0, t0, t1, limit);
  if (!rawCount) return rawCount.status();
  const Duration width = buckets::chartWidth(t0, t1, maxPoints);
  int level = width >= kHistoryHour ? 2 : width >= kHistoryMinute ? 1 : 0;
  if (static_cast<std::uint64_t>(*rawCount) <= maxPoints) level = 0;
  // A level whose retention removed the start of the range gives way to a coarser one that reaches further:
  // one whose first point lies in an earlier bucket than this level's first point. (A series that merely
  // starts after t0 has its first rollup point in the bucket of its first sample: it stays at this level.)
  while (level < 2) {
    auto here = blocks.earliest(series, level);
    if (!here) return here.status();
    if (*here && **here <= t0) break;
    auto coarser = blocks.earliest(series, level + 1);
    if (!coarser) return coarser.status();
    // A rollup point is stamped with its bucket's start, before the first sample in it: the coarser level
    // reaches further only with a point of an earlier bucket than the one holding this level's first point.
    const Duration coarserWidth = kLevelWidth[level + 1];
    if (!*coarser || (*here && **coarser >= buckets::bucketStart(**here, coarserWidth))) break;
    ++level;
  }
  std::vector<Point> points;
  if (Status s = blocks.points(series, level, t0, t1, points); !s) return s;
  out.level = static_cast<HistoryLevel>(level);
  out.buckets.reserve(points.size());
  for (const Point& p : points) out.buckets.push_back(toBucket(p, level));
  if (level > 0) {
    if (Status s = addOpenTail(blocks, series, level, t0, t1, out.buckets); !s) return s;
  }
  if (level == 0) return buckets::rawSummary(std::move(out.buckets), t0, t1, maxPoints);
  out.raw = false;
  if (out.buckets.size() <= maxPoints) {
    out.bucketWidth = kLevelWidth[level];  // the level's own points fit: as stored
    return out;
  }
  out.bucketWidth = width;
  out.buckets = buckets::regroup(out.buckets, t0, width);
  return out;
}

Status retireBlock(BlockTable& blocks, SeriesWriter& writer, int level, const BlockKey& key, TimePoint cutoff,
                   HistoryRetentionReport& report) {
  auto block = blocks.get(key.series, level, key.tFirst);
  if (!block) return block.status();
  if (!*block) return Status::ok();
  if (level == 0) {
    if (Status s = writer.closeBeforeRetention(key.series, **block); !s) return s;
  }
  if (Status s = blocks.remove(key.series, level, key.tFirst); !s) return s;
  if (key.tLast < cutoff) {
    ++report.blocksDeleted;
    return Status::ok();
  }
  std::vector<Point> points;
  double step = 0;  // the trimmed block keeps its resolution
  if (Status s = decodePoints((*block)->data, level, points, &step); !s) {
    return {s.code(), blocks.where() + ": " + s.message()};
  }
  const auto keep = std::find_if(points.begin(), points.end(), [&](const Point& p) { return p.t >= cutoff; });
  auto trimmed = encodePoints(std::span<const Point>(keep, points.end()), level, step);
  if (!trimmed) return trimmed.status();
  ++report.blocksTrimmed;
  return trimmed->empty() ? Status::ok() : blocks.put(key.series, level, *trimmed);
}

}  // namespace gt::connectors::history_blocks
