// The compressed history block (connectors/src/history_codec.cpp): the bit stream, round trips of random and
// edge-case series, sizes computed by hand from the layout, refused appends, resumed blocks and damaged bytes.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "greentwin/connectors/history_codec.hpp"

namespace gt::connectors {
namespace {

struct Point {
  TimePoint t;
  std::vector<double> v;
};

std::vector<Point> decodeAll(const std::vector<std::uint8_t>& block, Status* status = nullptr) {
  std::vector<Point> out;
  auto d = BlockDecoder::open(block);
  if (!d) {
    if (status != nullptr) *status = d.status();
    return out;
  }
  TimePoint t = 0;
  std::vector<double> v(static_cast<std::size_t>(d->columns()));
  while (d->next(t, v)) out.push_back({t, v});
  if (status != nullptr) *status = d->status();
  return out;
}

// Bit-exact comparison (NaN == NaN only as the same bits).
void expectSameBits(const std::vector<Point>& got, const std::vector<Point>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].t, want[i].t) << i;
    ASSERT_EQ(got[i].v.size(), want[i].v.size());
    for (std::size_t c = 0; c < got[i].v.size(); ++c) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(got[i].v[c]), std::bit_cast<std::uint64_t>(want[i].v[c]))
          << "point " << i << " column " << c << ": " << got[i].v[c] << " vs " << want[i].v[c];
    }
  }
}

std::vector<std::uint8_t> encodeAll(const std::vector<Point>& points, int columns = 1) {
  BlockEncoder e(columns);
  for (const Point& p : points) EXPECT_TRUE(e.append(p.t, p.v)) << p.t;
  return e.bytes();
}

TEST(BitStream, WritesMostSignificantFirstAndReadsBack) {
  BitWriter w;
  w.write(0b101, 3);
  w.write(0xABCD, 16);
  w.writeBit(true);
  EXPECT_EQ(w.bitCount(), 20u);
  // 101 1010 1011 1100 1101 1 -> 1011 0101 | 0111 1001 | 1011 0000
  ASSERT_EQ(w.bytes().size(), 3u);
  EXPECT_EQ(w.bytes()[0], 0b10110101);
  EXPECT_EQ(w.bytes()[1], 0b01111001);
  EXPECT_EQ(w.bytes()[2], 0b10110000);
  BitReader r(w.bytes());
  std::uint64_t x = 0;
  ASSERT_TRUE(r.read(3, x));
  EXPECT_EQ(x, 0b101u);
  ASSERT_TRUE(r.read(16, x));
  EXPECT_EQ(x, 0xABCDu);
  bool b = false;
  ASSERT_TRUE(r.readBit(b));
  EXPECT_TRUE(b);
  ASSERT_TRUE(r.read(4, x));  // the padding
  EXPECT_EQ(x, 0u);
  EXPECT_FALSE(r.read(1, x));  // past the end: refused, value untouched
  EXPECT_EQ(x, 0u);
  EXPECT_FALSE(r.readBit(b));
}

TEST(BitStream, SixtyFourBitsAtAnOddOffset) {
  BitWriter w;
  w.writeBit(true);
  w.write(0x8000'0000'0000'0001ull, 64);
  BitReader r(w.bytes());
  std::uint64_t x = 0;
  bool b = false;
  ASSERT_TRUE(r.readBit(b));
  ASSERT_TRUE(r.read(64, x));
  EXPECT_EQ(x, 0x8000'0000'0000'0001ull);
}

// Regular 1 s times and one repeated value: the header, 128 bits for the first point, the delta of the second
// (1e6 µs: the 32-bit bucket, 5 + 32 bits) and its value (1 bit), then 2 bits per point.
TEST(HistoryBlock, RegularEqualSeriesHasTheSizeTheLayoutGives) {
  BlockEncoder e;
  for (int i = 0; i < 120; ++i) ASSERT_TRUE(e.append(1'700'000'000'000'000 + i * 1'000'000LL, 21.5));
  const std::size_t bits = 128 + 38 + 118 * 2;  // 402 bits -> 51 bytes
  EXPECT_EQ(e.bytes().size(), 5u + (bits + 7) / 8);
  EXPECT_EQ(e.byteSize(), e.bytes().size());
  EXPECT_EQ(e.count(), 120u);
  EXPECT_EQ(e.firstTime(), 1'700'000'000'000'000);
  EXPECT_EQ(e.lastTime(), 1'700'000'000'000'000 + 119'000'000LL);
  const auto points = decodeAll(e.bytes());
  ASSERT_EQ(points.size(), 120u);
  for (int i = 0; i < 120; ++i) {
    EXPECT_EQ(points[static_cast<std::size_t>(i)].t, 1'700'000'000'000'000 + i * 1'000'000LL);
    EXPECT_EQ(points[static_cast<std::size_t>(i)].v[0], 21.5);
  }
}

TEST(HistoryBlock, OnePointBlock) {
  BlockEncoder e;
  ASSERT_TRUE(e.append(-5, -1.25));
  const auto bytes = e.bytes();
  EXPECT_EQ(bytes.size(), 5u + 16u);
  EXPECT_EQ(bytes[0], kHistoryBlockFormat);
  EXPECT_EQ(bytes[1], 1);
  EXPECT_EQ(bytes[2], 0);
  EXPECT_EQ(bytes[3], 1);
  expectSameBits(decodeAll(bytes), {{-5, {-1.25}}});
}

TEST(HistoryBlock, EmptyBlockDecodesToNothing) {
  Status s;
  EXPECT_TRUE(decodeAll(BlockEncoder().bytes(), &s).empty());
  EXPECT_TRUE(s.isOk());
}

TEST(HistoryBlock, SpecialValuesRoundTrip) {
  const double inf = std::numeric_limits<double>::infinity();
  const double denormal = std::numeric_limits<double>::denorm_min();
  std::vector<Point> in = {{0, {1.0}},  {1, {inf}},      {2, {-inf}},     {3, {0.0}},      {4, {-0.0}},
                           {5, {denormal}}, {6, {-denormal}}, {7, {std::numeric_limits<double>::max()}},
                           {8, {std::numeric_limits<double>::lowest()}}, {9, {1.0}}, {10, {1.0}}, {11, {1.0}}};
  expectSameBits(decodeAll(encodeAll(in)), in);
}

TEST(HistoryBlock, EveryNaNReadsBackAsTheQuietNaN) {
  const double signalling = std::numeric_limits<double>::signaling_NaN();
  const double payload = std::bit_cast<double>(0x7ff8'0000'dead'beefull);
  const double negative = -std::numeric_limits<double>::quiet_NaN();
  BlockEncoder e;
  ASSERT_TRUE(e.append(10, signalling));
  ASSERT_TRUE(e.append(20, 3.0));
  ASSERT_TRUE(e.append(30, payload));
  ASSERT_TRUE(e.append(40, negative));
  ASSERT_TRUE(e.append(50, std::nan("")));
  const auto points = decodeAll(e.bytes());
  ASSERT_EQ(points.size(), 5u);
  const auto quiet = std::bit_cast<std::uint64_t>(std::numeric_limits<double>::quiet_NaN());
  for (std::size_t i : {0u, 2u, 3u, 4u}) EXPECT_EQ(std::bit_cast<std::uint64_t>(points[i].v[0]), quiet) << i;
  EXPECT_EQ(points[1].v[0], 3.0);
}

TEST(HistoryBlock, EqualOrEarlierTimesAreRefusedAndNothingIsWritten) {
  BlockEncoder e;
  ASSERT_TRUE(e.append(100, 1.0));
  ASSERT_TRUE(e.append(200, 2.0));
  const auto before = e.bytes();
  const Status same = e.append(200, 3.0);
  EXPECT_EQ(same.code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(e.append(150, 3.0).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(e.append(-1000, 3.0).code(), ErrorCode::InvalidArgument);
  EXPECT_EQ(e.bytes(), before);
  EXPECT_EQ(e.count(), 2u);
  ASSERT_TRUE(e.append(201, 4.0));
  expectSameBits(decodeAll(e.bytes()), {{100, {1.0}}, {200, {2.0}}, {201, {4.0}}});
}

TEST(HistoryBlock, WrongColumnCountIsRefused) {
  BlockEncoder e(4);
  EXPECT_EQ(e.append(1, 1.0).code(), ErrorCode::InvalidArgument);
  const double three[] = {1, 2, 3};
  EXPECT_EQ(e.append(1, three).code(), ErrorCode::InvalidArgument);
  EXPECT_TRUE(e.empty());
}

// Every time bucket at both of its edges, and just past them; large gaps across the whole int64 range.
TEST(HistoryBlock, TimeBucketEdgesAndLargeGaps) {
  // Deltas near 1e12 µs, each the previous one plus a dod at a bucket's edge or just past it.
  std::vector<TimePoint> deltas = {1'000'000'000'000};
  for (int bits : {8, 14, 20, 32}) {
    const std::int64_t half = std::int64_t{1} << (bits - 1);
    for (std::int64_t dod : {-half, half - 1, -half - 1, half}) deltas.push_back(deltas.back() + dod);
  }
  std::vector<Point> in;
  TimePoint t = std::numeric_limits<TimePoint>::min();
  in.push_back({t, {0.0}});
  for (TimePoint d : deltas) {
    t += d;
    in.push_back({t, {static_cast<double>(in.size())}});
  }
  in.push_back({0, {1.0}});  // a gap of almost 2^63
  in.push_back({std::numeric_limits<TimePoint>::max() - 1, {2.0}});
  in.push_back({std::numeric_limits<TimePoint>::max(), {3.0}});
  expectSameBits(decodeAll(encodeAll(in)), in);

  // The largest possible gap in one step.
  const std::vector<Point> extremes = {{std::numeric_limits<TimePoint>::min(), {1.0}},
                                       {std::numeric_limits<TimePoint>::max(), {2.0}}};
  expectSameBits(decodeAll(encodeAll(extremes)), extremes);
}

TEST(HistoryBlock, IrregularAndJitteredTimesRoundTrip) {
  std::mt19937_64 rng(7);
  std::vector<Point> in;
  TimePoint t = 1'780'000'000'000'000;
  for (int i = 0; i < 5000; ++i) {
    // 1 s +- 5 ms jitter, with now and then a pause of minutes or days, or a burst 1 µs apart.
    const auto r = rng() % 100;
    t += r < 90 ? 1'000'000 + static_cast<TimePoint>(rng() % 10'001) - 5'000
         : r < 95 ? 1
         : r < 99 ? static_cast<TimePoint>(rng() % 600'000'000) + 1
                  : static_cast<TimePoint>(rng() % (86'400'000'000LL * 30)) + 1;
    in.push_back({t, {std::sin(i * 0.01) * 100.0}});
  }
  expectSameBits(decodeAll(encodeAll(in)), in);
}

TEST(HistoryBlock, RandomBitsRoundTripInEveryColumnCount) {
  std::mt19937_64 rng(42);
  for (int columns = 1; columns <= kHistoryBlockMaxColumns; ++columns) {
    std::vector<Point> in;
    TimePoint t = static_cast<TimePoint>(rng());
    for (int i = 0; i < 700; ++i) {
      Point p{t, {}};
      for (int c = 0; c < columns; ++c) {
        // Random bit patterns (any exponent, NaNs excepted: those read back as the quiet NaN), repeats and
        // values close to the previous ones.
        double v = 0;
        switch (rng() % 4) {
          case 0: v = std::bit_cast<double>(rng()); break;
          case 1: v = in.empty() ? 1.0 : in.back().v[static_cast<std::size_t>(c)]; break;
          case 2: v = static_cast<double>(rng() % 1000) / 8.0; break;
          default: v = std::nextafter(in.empty() ? 0.0 : in.back().v[static_cast<std::size_t>(c)], 1e300); break;
        }
        if (std::isnan(v)) v = 0.5;
        p.v.push_back(v);
      }
      in.push_back(std::move(p));
      const TimePoint step = static_cast<TimePoint>(rng() % 3'000'000'000ull) + 1;
      if (t > std::numeric_limits<TimePoint>::max() - step) break;
      t += step;
    }
    expectSameBits(decodeAll(encodeAll(in, columns)), in);
  }
}

TEST(HistoryBlock, ResumedEncoderContinuesTheSameStream) {
  std::mt19937_64 rng(3);
  std::vector<Point> in;
  for (int i = 0; i < 300; ++i) {
    in.push_back({i * 15'000'000LL + static_cast<TimePoint>(rng() % 2000), {20.0 + static_cast<double>(rng() % 50) / 4}});
  }
  const auto whole = encodeAll(in);
  // Stop after k points, store, resume from the bytes, append the rest: the same bytes as in one go.
  for (std::size_t k : {1u, 2u, 3u, 17u, 299u}) {
    BlockEncoder first;
    for (std::size_t i = 0; i < k; ++i) ASSERT_TRUE(first.append(in[i].t, in[i].v));
    auto resumed = BlockEncoder::resume(first.bytes());
    ASSERT_TRUE(resumed.isOk()) << resumed.status().toString();
    EXPECT_EQ(resumed->count(), k);
    EXPECT_EQ(resumed->firstTime(), in.front().t);
    EXPECT_EQ(resumed->lastTime(), in[k - 1].t);
    EXPECT_EQ(resumed->append(in[k - 1].t, 1.0).code(), ErrorCode::InvalidArgument);  // knows its last time
    for (std::size_t i = k; i < in.size(); ++i) ASSERT_TRUE(resumed->append(in[i].t, in[i].v));
    EXPECT_EQ(resumed->bytes(), whole) << "resumed after " << k;
  }
}

TEST(HistoryBlock, FourColumnRollupPointsCompressTheirRegularTimes) {
  // Minute buckets: regular times, the count column constant: 1 bit of time and 1 bit of count per point.
  BlockEncoder e(4);
  for (int i = 0; i < 120; ++i) {
    const double values[] = {1.0 + i, 3.0 + i, 2.0 + i, 60.0};
    ASSERT_TRUE(e.append(i * 60'000'000LL, values));
  }
  const auto points = decodeAll(e.bytes());
  ASSERT_EQ(points.size(), 120u);
  EXPECT_EQ(points[119].t, 119 * 60'000'000LL);
  EXPECT_EQ(points[119].v, (std::vector<double>{120.0, 122.0, 121.0, 60.0}));
  EXPECT_LT(e.bytes().size(), 120u * 4 * 3);  // well under 3 bytes per value
}

TEST(HistoryBlock, DamagedBlocksAreParseErrorsNotCrashes) {
  BlockEncoder e;
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(e.append(i * 1'000'000LL + i * i, i * 0.37));
  const auto good = e.bytes();

  for (std::size_t cut : {std::size_t{0}, std::size_t{3}, std::size_t{4}, std::size_t{12}, std::size_t{20}, good.size() - 1}) {
    std::vector<std::uint8_t> truncated(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(cut));
    Status s;
    const auto points = decodeAll(truncated, &s);
    EXPECT_EQ(s.code(), ErrorCode::ParseError) << "cut at " << cut;
    EXPECT_LT(points.size(), 50u);
    EXPECT_FALSE(BlockEncoder::resume(truncated).isOk());
  }
  auto wrongFormat = good;
  wrongFormat[0] = 9;
  EXPECT_EQ(BlockDecoder::open(wrongFormat).status().code(), ErrorCode::ParseError);
  auto noColumns = good;
  noColumns[1] = 0;
  EXPECT_EQ(BlockDecoder::open(noColumns).status().code(), ErrorCode::ParseError);
  auto tooMany = good;
  tooMany[3] = 200;  // claims more points than the stream holds
  Status s;
  // The 50 points, then the zero padding reads as up to 3 repeats (2 bits each), then the stream ends.
  const auto more = decodeAll(tooMany, &s);
  EXPECT_GE(more.size(), 50u);
  EXPECT_LE(more.size(), 53u);
  EXPECT_EQ(s.code(), ErrorCode::ParseError);

  // Random garbage never crashes and never decodes decreasing times.
  std::mt19937_64 rng(11);
  for (int round = 0; round < 2000; ++round) {
    std::vector<std::uint8_t> junk(4 + rng() % 64);
    for (auto& b : junk) b = static_cast<std::uint8_t>(rng());
    junk[0] = kHistoryBlockFormat;
    junk[1] = static_cast<std::uint8_t>(1 + rng() % 8);
    const auto points = decodeAll(junk, &s);
    for (std::size_t i = 1; i < points.size(); ++i) ASSERT_GT(points[i].t, points[i - 1].t);
  }
}

}  // namespace
}  // namespace gt::connectors
