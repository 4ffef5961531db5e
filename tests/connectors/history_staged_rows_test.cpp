// The bytes of a staged row of the SQLite history (connectors/src/history_staged_rows.hpp): every sample reads
// back bit for bit, and a damaged row is refused whole.

#include "history_staged_rows.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <vector>

namespace gt::connectors::history_blocks {
namespace {

bool sameBits(double a, double b) { return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b); }

TEST(HistoryStagedRows, EverySampleReadsBackBitForBit) {
  constexpr TimePoint kMin = std::numeric_limits<TimePoint>::min();
  constexpr TimePoint kMax = std::numeric_limits<TimePoint>::max();
  for (const std::int64_t group : {std::int64_t{0}, std::int64_t{1}, std::int64_t{31'250}}) {
    const std::int64_t base = group * kStagedGroupSeries;
    const std::vector<StagedSample> samples = {
        {base + 3, 1'700'000'000'000'000, 21.5},
        {base + 3, 1'700'000'001'000'000, -0.0},
        {base, 1'700'000'000'000'000, std::numeric_limits<double>::quiet_NaN()},
        {base + kStagedGroupSeries - 1, kMin, std::numeric_limits<double>::infinity()},
        {base + 7, kMax, -1e300},
        {base + 7, -5, 0.1},
    };
    std::vector<std::uint8_t> row;
    encodeStagedRow(group, samples, row);
    std::vector<StagedSample> got = {{99, 1, 1.0}};  // what was there stays
    ASSERT_TRUE(decodeStagedRow(row, group, got, "f.sqlite")) << group;
    ASSERT_EQ(got.size(), samples.size() + 1);
    EXPECT_EQ(got[0].series, 99);
    for (std::size_t i = 0; i < samples.size(); ++i) {
      EXPECT_EQ(got[i + 1].series, samples[i].series) << i;
      EXPECT_EQ(got[i + 1].t, samples[i].t) << i;
      EXPECT_TRUE(sameBits(got[i + 1].v, samples[i].v)) << i;
    }
  }
}

TEST(HistoryStagedRows, SamplesOfOneCommitTakeAboutTenBytes) {
  std::vector<StagedSample> samples;
  for (std::int64_t s = 0; s < kStagedGroupSeries; ++s) samples.push_back({64 + s, 1'765'000'000'000'000, 3.25 * s});
  std::vector<std::uint8_t> row;
  encodeStagedRow(2, samples, row);
  EXPECT_LE(row.size(), 1 + 10 * samples.size() + 8);  // the first time whole, the others a byte
}

TEST(HistoryStagedRows, DamagedRowsAreRefusedWhole) {
  const std::vector<StagedSample> samples = {{40, 1'000'000, 1.5}, {41, 2'000'000, 2.5}};
  std::vector<std::uint8_t> row;
  encodeStagedRow(1, samples, row);
  std::vector<StagedSample> out;
  // Every cut inside a sample is truncated; a cut between samples is a shorter row (two of the cuts).
  int whole = 0;
  for (std::size_t cut = 1; cut < row.size(); ++cut) {
    const std::vector<std::uint8_t> part(row.begin(), row.begin() + static_cast<std::ptrdiff_t>(cut));
    out.clear();
    const Status s = decodeStagedRow(part, 1, out, "f.sqlite");
    if (s) {  // the format byte alone, or the first sample whole
      EXPECT_EQ(out.size(), cut == 1 ? 0u : 1u) << cut;
      ++whole;
      continue;
    }
    EXPECT_EQ(s.code(), ErrorCode::ParseError) << cut;
    EXPECT_NE(s.message().find("f.sqlite: staged history row of group 1 is truncated"), std::string::npos)
        << s.message();
    EXPECT_TRUE(out.empty()) << cut;
  }
  EXPECT_EQ(whole, 2);
  out.clear();
  EXPECT_FALSE(decodeStagedRow({}, 1, out, "f.sqlite"));
  std::vector<std::uint8_t> other = row;
  other[0] = 2;
  const Status format = decodeStagedRow(other, 1, out, "f.sqlite");
  EXPECT_NE(format.message().find("unknown format"), std::string::npos) << format.message();
  // Read as group 0's row it is fine; a series offset of 32 is not.
  std::vector<std::uint8_t> outside = {1, 32, 2};
  outside.insert(outside.end(), 8, 0);
  const Status group = decodeStagedRow(outside, 0, out, "f.sqlite");
  EXPECT_NE(group.message().find("outside its group"), std::string::npos) << group.message();
  // A varint longer than 64 bits.
  std::vector<std::uint8_t> endless = {1, 0};
  endless.insert(endless.end(), 11, 0xff);
  EXPECT_FALSE(decodeStagedRow(endless, 0, out, "f.sqlite"));
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace gt::connectors::history_blocks
