// The compressed history block (connectors/src/history_codec.cpp): the bit stream, round trips of random and
// edge-case series, sizes computed by hand from the layout, refused appends, resumed blocks and damaged bytes.

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <random>
#include <utility>
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
  const std::vector<std::uint8_t> bytes = w.bytes();
  ASSERT_EQ(bytes.size(), 3u);
  EXPECT_EQ(bytes[0], 0b10110101);
  EXPECT_EQ(bytes[1], 0b01111001);
  EXPECT_EQ(bytes[2], 0b10110000);
  BitReader r(bytes);
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
  const std::vector<std::uint8_t> bytes = w.bytes();
  BitReader r(bytes);
  std::uint64_t x = 0;
  bool b = false;
  ASSERT_TRUE(r.readBit(b));
  ASSERT_TRUE(r.read(64, x));
  EXPECT_EQ(x, 0x8000'0000'0000'0001ull);
}

// A long stream of fields of every width reads back, from a copy too, and one resumed from a cut inside a byte goes
// on as if never cut.
TEST(BitStream, LongStreamReadsBackAndResumesFromACutInsideAByte) {
  BitWriter w;
  std::vector<std::pair<std::uint64_t, int>> written;
  std::uint64_t x = 0x9e3779b97f4a7c15ULL;
  for (int i = 0; i < 600; ++i) {
    x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    const int n = 1 + static_cast<int>((x >> 58) % 64);
    const std::uint64_t bits = n == 64 ? x : x & ((1ULL << n) - 1);
    w.write(bits, n);
    written.emplace_back(bits, n);
  }
  const std::vector<std::uint8_t> bytes = w.bytes();
  ASSERT_EQ(bytes.size(), w.byteCount());
  EXPECT_EQ(w.lastByte(), bytes.back());
  const BitWriter copy = w;
  BitReader r(copy.bytes());
  for (const auto& [bits, n] : written) {
    std::uint64_t got = 0;
    ASSERT_TRUE(r.read(n, got));
    ASSERT_EQ(got, bits);
  }
  std::size_t cutBits = 0;
  for (std::size_t i = 0; i < 500; ++i) cutBits += static_cast<std::size_t>(written[i].second);
  ASSERT_NE(cutBits % 8, 0u);  // inside a byte
  BitWriter resumed;
  resumed.resume(bytes, cutBits);
  EXPECT_EQ(resumed.bitCount(), cutBits);
  for (std::size_t i = 500; i < written.size(); ++i) resumed.write(written[i].first, written[i].second);
  EXPECT_EQ(resumed.bytes(), bytes);
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

// A writer stores the block, detaches what it wrote and keeps appending: the header, the stored stream's detached
// bytes and the tail make the same block as one encoder that kept everything, at any cut (inside a byte or on its
// edge), and attach() of the stored block gives that block back whole. A block that is not the stored one is refused.
TEST(HistoryBlock, DetachedBytesAndTheTailMakeTheWholeBlock) {
  std::mt19937_64 rng(5);
  std::vector<Point> in;
  for (int i = 0; i < 200; ++i) {
    const double value = 5.0 + static_cast<double>(rng() % 400) / 8;
    in.push_back({i * 23'000'000LL + static_cast<TimePoint>(rng() % 3000), {value}});
  }
  const double step = 0.01;
  for (const double* steps : {static_cast<const double*>(nullptr), &step}) {
    const std::span<const double> stepSpan = steps ? std::span<const double>(steps, 1) : std::span<const double>();
    BlockEncoder whole(1, stepSpan);
    BlockEncoder writer(1, stepSpan);
    std::vector<std::uint8_t> stored;
    for (std::size_t i = 0; i < in.size(); ++i) {
      ASSERT_TRUE(whole.append(in[i].t, in[i].v));
      ASSERT_TRUE(writer.append(in[i].t, in[i].v));
      if (i % 7 != 3) continue;
      // Store (as the SQLite table does: header + stored detached bytes + tail), then detach.
      std::vector<std::uint8_t> next = writer.header();
      const auto at = [&stored](std::size_t n) {
        return stored.begin() + static_cast<std::ptrdiff_t>(std::min(stored.size(), n));
      };
      next.insert(next.end(), at(writer.headerSize()), at(writer.headerSize() + writer.detachedBytes()));
      const std::vector<std::uint8_t> tail = writer.tailBytes();
      next.insert(next.end(), tail.begin(), tail.end());
      ASSERT_EQ(next, whole.bytes()) << "point " << i;
      stored = next;
      writer.detachWritten();
      EXPECT_EQ(writer.byteSize(), whole.byteSize());
      EXPECT_LE(writer.tailBytes().size(), 1u);  // at most the byte that later points still write into
      EXPECT_EQ(writer.detachedBytes() + writer.tailBytes().size(), whole.bytes().size() - whole.headerSize());
    }
    ASSERT_GT(writer.detachedBytes(), 0u);
    EXPECT_EQ(writer.attach(BlockEncoder().bytes()).code(), ErrorCode::ParseError);  // another block: refused
    EXPECT_EQ(writer.attach(std::span<const std::uint8_t>(stored).first(writer.headerSize() + 1)).code(),
              ErrorCode::ParseError);  // too short
    ASSERT_GT(writer.detachedBytes(), 0u);  // unchanged
    ASSERT_TRUE(writer.attach(stored));
    EXPECT_EQ(writer.detachedBytes(), 0u);
    EXPECT_EQ(writer.bytes(), whole.bytes());
    ASSERT_TRUE(writer.append(in.back().t + 1'000'000, 1.0));  // and it goes on
    ASSERT_TRUE(whole.append(in.back().t + 1'000'000, 1.0));
    EXPECT_EQ(writer.bytes(), whole.bytes());
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
    junk[0] = round % 2 == 0 ? kHistoryBlockFormat : kHistoryBlockFormatLossless;
    junk[1] = static_cast<std::uint8_t>(1 + rng() % 8);
    if (round % 4 == 0 && junk.size() > 4) junk[4] = static_cast<std::uint8_t>(rng() % (1u << junk[1]));  // quantised columns
    if (round % 4 == 0 && junk.size() > 5) junk[5] = static_cast<std::uint8_t>(116 + rng() % 25);  // a valid step
    const auto points = decodeAll(junk, &s);
    for (std::size_t i = 1; i < points.size(); ++i) ASSERT_GT(points[i].t, points[i - 1].t);
  }
}


// ---- format 1 (blocks written before resolutions): still read ----------------------------------------------------

// Bytes written by the format 1 encoder (the last build before format 2), kept as an old file holds them.
const std::vector<std::uint8_t> kFormat1Raw = {
      0x01, 0x01, 0x00, 0x08, 0x00, 0x06, 0x56, 0x9c, 0xae, 0x55, 0xa8, 0x00, 0x40, 0x35, 0x80, 0x00,
      0x00, 0x00, 0x00, 0x00, 0xf0, 0x00, 0x7a, 0x12, 0x02, 0x73, 0xe2, 0x0e, 0x83, 0xc4, 0x87, 0xf9,
      0xbe, 0x1f, 0x6b, 0x01, 0xbf, 0xff, 0xdc, 0x18, 0x5f, 0xfe, 0xf0, 0x1c, 0x22, 0x26, 0x06, 0x04,
      0x2f, 0xfe, 0x7d, 0xf8, 0xd8, 0xf2, 0x03, 0x83, 0xeb, 0xe3, 0xee, 0x43, 0xc8, 0x80, 0x07, 0x59,
      0xc0,
};
const std::vector<std::uint8_t> kFormat1Rollup = {
      0x01, 0x04, 0x00, 0x03, 0x00, 0x06, 0x56, 0x9c, 0xae, 0x55, 0xa8, 0x00, 0x3f, 0xf0, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x40, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x3f, 0xfc, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x40, 0x4e, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xf0, 0x1c, 0x9c, 0x38,
      0x06, 0x12, 0xff, 0xfe, 0xc0, 0x78, 0x4e, 0xff, 0xff, 0x70, 0x7d, 0xb0, 0x1e, 0xb1, 0x3e, 0x00,
      0x0a, 0x20,
};
std::vector<Point> format1RawPoints() {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  return {{1784080800000000, {21.5}},  {1784080801000000, {21.5}}, {1784080802000115, {21.75}},
          {1784080803000105, {nan}},   {1784080804002105, {-0.0}}, {1784080805002105, {inf}},
          {1784080865002105, {-3.125}}, {1784080865002106, {1.0000000000000001e+300}}};
}

TEST(HistoryBlockFormat1, OldBlocksStillDecode) {
  auto d = BlockDecoder::open(kFormat1Raw);
  ASSERT_TRUE(d.isOk()) << d.status().toString();
  EXPECT_EQ(d->format(), 1);
  EXPECT_EQ(d->step(0), 0.0);
  Status s;
  expectSameBits(decodeAll(kFormat1Raw, &s), format1RawPoints());
  EXPECT_TRUE(s) << s.toString();
  const std::vector<Point> minutes = {{1784080800000000, {1.0, 2.5, 1.75, 60.0}},
                                      {1784080860000000, {2.0, 3.5, 2.25, 59.0}},
                                      {1784080920000000, {3.0, 4.5, 2.75, 58.0}}};
  expectSameBits(decodeAll(kFormat1Rollup, &s), minutes);
  EXPECT_TRUE(s) << s.toString();
}

TEST(HistoryBlockFormat1, ResumedOldBlockContinuesAsFormat2Lossless) {
  auto resumed = BlockEncoder::resume(kFormat1Raw);
  ASSERT_TRUE(resumed.isOk()) << resumed.status().toString();
  EXPECT_EQ(resumed->count(), 8u);
  EXPECT_EQ(resumed->step(0), 0.0);
  std::vector<Point> want = format1RawPoints();
  want.push_back({want.back().t + 1'000'000, {0.1 + 0.2}});
  ASSERT_TRUE(resumed->append(want.back().t, want.back().v));
  const auto bytes = resumed->bytes();
  EXPECT_EQ(bytes[0], kHistoryBlockFormat);
  expectSameBits(decodeAll(bytes), want);  // the old points exactly as they were, -0.0 and the NaN included
}

// ---- format 2: declared resolutions ---------------------------------------------------------------------------

std::vector<std::uint8_t> encodeAt(const std::vector<Point>& points, std::vector<double> steps) {
  BlockEncoder e(static_cast<int>(steps.size()), steps);
  for (const Point& p : points) EXPECT_TRUE(e.append(p.t, p.v)) << p.t;
  return e.bytes();
}

// Every value read back within half a step, and exactly q * step for its nearest integer q.
void expectWithinHalfAStep(const std::vector<Point>& got, const std::vector<Point>& want, double step) {
  ASSERT_EQ(got.size(), want.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].t, want[i].t) << i;
    const double v = want[i].v[0];
    const double r = got[i].v[0];
    EXPECT_LE(std::abs(r - v), step / 2 * (1 + 1e-12) + std::abs(v) * 1e-15) << "point " << i << ": " << r << " for " << v;
    EXPECT_EQ(r, static_cast<double>(std::llround(v / step)) * step) << i;
  }
}

TEST(HistoryBlockResolution, RandomWalksJumpsAndNegativeValuesWithinHalfAStep) {
  std::mt19937_64 rng(5);
  std::normal_distribution<double> noise(0.0, 1.0);
  for (double step : {0.001, 0.01, 0.1, 0.25, 1.0, 7.0, 1e6}) {
    std::vector<Point> in;
    double v = -50.0 * step;
    for (int i = 0; i < 3000; ++i) {
      const auto r = rng() % 100;
      // A walk of a few steps, now and then still, now and then a jump of millions of steps either way.
      v += r < 80 ? noise(rng) * 3 * step : r < 95 ? 0.0 : (r % 2 == 0 ? 1 : -1) * 1e7 * step * (1 + noise(rng));
      in.push_back({1'780'000'000'000'000 + i * 1'000'000LL + static_cast<TimePoint>(rng() % 200), {v}});
    }
    const auto bytes = encodeAt(in, {step});
    auto d = BlockDecoder::open(bytes);
    ASSERT_TRUE(d.isOk());
    EXPECT_EQ(d->step(0), step);
    Status s;
    expectWithinHalfAStep(decodeAll(bytes, &s), in, step);
    EXPECT_TRUE(s) << s.toString();
    EXPECT_LT(bytes.size(), encodeAll(in).size()) << step;  // smaller than the exact block
  }
}

TEST(HistoryBlockResolution, NaNInfinitiesAndValuesBeyondTheIntegersAreStoredExactly) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  const double big = 0x1p48 * 0.01;  // the largest value 0.01 quantises: 2^48 steps
  const std::vector<double> values = {12.34,    nan,  nan,       nan,  12.35, inf,   -inf, -inf, 1e300, -1e300,
                                      big,      -big, big * 2.0, -12.3, 0.0,  -0.004, 1e-300,
                                      std::numeric_limits<double>::max(), std::numeric_limits<double>::lowest(),
                                      std::numeric_limits<double>::denorm_min(), 42.0};
  std::vector<Point> in;
  for (std::size_t i = 0; i < values.size(); ++i) in.push_back({static_cast<TimePoint>(i) * 1000, {values[i]}});
  Status s;
  const auto got = decodeAll(encodeAt(in, {0.01}), &s);
  ASSERT_TRUE(s) << s.toString();
  ASSERT_EQ(got.size(), in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    const double v = values[i];
    const double r = got[i].v[0];
    if (std::isnan(v)) {
      EXPECT_TRUE(std::isnan(r)) << i;
    } else if (!std::isfinite(v) || std::abs(v / 0.01) > 0x1p48) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(r), std::bit_cast<std::uint64_t>(v)) << i << ": stored exactly";
    } else {
      EXPECT_LE(std::abs(r - v), 0.005 * (1 + 1e-12)) << i << ": " << r << " for " << v;
    }
  }
  // A step so small that value / step overflows: every value stored exactly, none lost.
  const std::vector<Point> tiny = {{0, {1.0}}, {1, {-2.5}}, {2, {1e300}}};
  expectSameBits(decodeAll(encodeAt(tiny, {1e-310})), tiny);
  // Huge steps: everything rounds to 0 (within half a step), nothing overflows.
  const std::vector<Point> coarse = {{0, {1.0}}, {1, {-2.5e300}}, {2, {1e300}}};
  const auto rounded = decodeAll(encodeAt(coarse, {1e300}));
  ASSERT_EQ(rounded.size(), 3u);
  EXPECT_EQ(rounded[0].v[0], 0.0);
  EXPECT_EQ(rounded[1].v[0], -3e300);  // -2.5 steps: halves round away from zero
  EXPECT_EQ(rounded[2].v[0], 1e300);
}

TEST(HistoryBlockResolution, ARunOfNaNCostsABitAPoint) {
  std::vector<Point> in;
  for (int i = 0; i < 800; ++i) in.push_back({i * 1'000'000LL, {std::numeric_limits<double>::quiet_NaN()}});
  // 64 bits of time and '1' + 64 bits of the exact NaN; point 1: its delta (5 + 32 bits) and '1' (the same exact
  // value again); then per point one bit of time and that one bit.
  const std::size_t bits = 64 + 65 + (5 + 32 + 1) + 798 * 2;
  EXPECT_EQ(encodeAt(in, {1.0}).size(), 5u + 1u + (bits + 7) / 8);  // the header and the step's tag
}

TEST(HistoryBlockResolution, StepsInTheHeader) {
  const std::vector<Point> in = {{0, {1.0, 2.0, 3.0, 60.0}}, {60, {1.5, 2.5, 3.5, 57.0}}};
  struct Case {
    std::vector<double> steps;
    std::size_t headerBytes;
  };
  // Powers of ten in one byte, a repeated step in one, any other in nine; lossless columns in none.
  for (const Case& c : {Case{{0.01, 0.01, 0.01, 1.0}, 5 + 4}, Case{{0.25, 0.25, 0, 1}, 5 + 9 + 1 + 1},
                        Case{{0, 0, 0, 0}, 5}, Case{{1e-12, 1e12, 0, 3.0}, 5 + 1 + 1 + 9}}) {
    const auto bytes = encodeAt(in, c.steps);
    auto d = BlockDecoder::open(bytes);
    ASSERT_TRUE(d.isOk()) << d.status().toString();
    for (int col = 0; col < 4; ++col) EXPECT_EQ(d->step(col), c.steps[static_cast<std::size_t>(col)]) << col;
    BlockEncoder e(4, c.steps);
    EXPECT_EQ(e.byteSize(), c.headerBytes);
    const auto got = decodeAll(bytes);
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[1].v[3], 57.0);
  }
  // Steps that do not quantise (0, negative, NaN, inf) leave their column lossless.
  BlockEncoder e(4, std::vector<double>{0.0, -1.0, std::numeric_limits<double>::quiet_NaN(),
                                        std::numeric_limits<double>::infinity()});
  for (int col = 0; col < 4; ++col) EXPECT_EQ(e.step(col), 0.0);
}

TEST(HistoryBlockResolution, DamagedHeadersAreParseErrors) {
  const auto good = encodeAt({{0, {1.0}}, {5, {2.0}}}, {0.1});
  ASSERT_EQ(good[4], 1);    // column 0 quantised
  ASSERT_EQ(good[5], 127);  // 1e-1
  for (std::uint8_t tag : {std::uint8_t{1}, std::uint8_t{2}, std::uint8_t{115}, std::uint8_t{141}}) {
    auto bad = good;
    bad[5] = tag;  // "the previous step" with none before it, or no such tag
    EXPECT_EQ(BlockDecoder::open(bad).status().code(), ErrorCode::ParseError) << int(tag);
  }
  auto extraColumn = good;
  extraColumn[4] = 0b11;  // a step for column 1 of a 1-column block
  EXPECT_EQ(BlockDecoder::open(extraColumn).status().code(), ErrorCode::ParseError);
  std::vector<std::uint8_t> negative(good.begin(), good.begin() + 5);
  negative.push_back(0);
  for (int i = 0; i < 8; ++i) negative.push_back(static_cast<std::uint8_t>(std::bit_cast<std::uint64_t>(-0.5) >> (56 - 8 * i)));
  EXPECT_EQ(BlockDecoder::open(negative).status().code(), ErrorCode::ParseError);
  EXPECT_EQ(BlockDecoder::open(std::vector<std::uint8_t>(good.begin(), good.begin() + 5)).status().code(),
            ErrorCode::ParseError);  // the step is missing
}

TEST(HistoryBlockResolution, ResumedQuantisedBlockContinuesTheSameStream) {
  std::mt19937_64 rng(9);
  std::vector<Point> in;
  double v = 230.0;
  for (int i = 0; i < 400; ++i) {
    v += static_cast<double>(static_cast<int>(rng() % 7) - 3) * 0.0137;
    if (i == 100) v = std::numeric_limits<double>::quiet_NaN();
    if (i == 103) v = 230.0;
    in.push_back({i * 1'000'000LL + static_cast<TimePoint>(rng() % 3000), {v}});
  }
  const auto whole = encodeAt(in, {0.01});
  for (std::size_t k : {1u, 2u, 3u, 101u, 102u, 250u}) {
    BlockEncoder first(1, std::vector<double>{0.01});
    for (std::size_t i = 0; i < k; ++i) ASSERT_TRUE(first.append(in[i].t, in[i].v));
    auto resumed = BlockEncoder::resume(first.bytes());
    ASSERT_TRUE(resumed.isOk()) << resumed.status().toString();
    EXPECT_EQ(resumed->step(0), 0.01);
    for (std::size_t i = k; i < in.size(); ++i) ASSERT_TRUE(resumed->append(in[i].t, in[i].v));
    EXPECT_EQ(resumed->bytes(), whole) << "resumed after " << k;
  }
}

// The wake-up jitter of a wall-clock stamp (100-130 µs late 4 times in 5, up to 2.1 ms in the fifth) against the
// interval estimate: under 11 bits of time a point (the delta of delta of format 1 took about 12.6).
TEST(HistoryBlockTime, WallClockJitterCostsLessThanTheDeltaOfDelta) {
  std::mt19937_64 rng(13);
  std::vector<Point> in;
  for (int i = 0; i < 4000; ++i) {
    const TimePoint delay = 100 + static_cast<TimePoint>(rng() % 5 == 0 ? rng() % 2001 : rng() % 31);
    in.push_back({1'780'000'000'000'000 + i * 1'000'000LL + delay, {5.0}});
  }
  const auto bytes = encodeAll(in);
  expectSameBits(decodeAll(bytes), in);
  const double bitsPerPoint = 8.0 * static_cast<double>(bytes.size()) / 4000.0 - 1.0;  // less the value's bit
  EXPECT_LT(bitsPerPoint, 11.0);
  // An interval that changes (15 s, then 60 s) costs a few points of wide residuals, then one bit again.
  std::vector<Point> changed;
  TimePoint t = 0;
  for (int i = 0; i < 300; ++i) changed.push_back({t += i < 150 ? 15'000'000 : 60'000'000, {1.0}});
  expectSameBits(decodeAll(encodeAll(changed)), changed);
}

}  // namespace
}  // namespace gt::connectors
