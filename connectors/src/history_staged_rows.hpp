#pragma once
// Connectors-private: the bytes of one staged row of the SQLite history (sqlite_history_blocks.hpp "Staged
// samples"): the samples one commit appended to the open blocks of one group of series.
//
//   byte 0     format (1)
//   per sample varint  series - group base (below kStagedGroupSeries)
//              varint  zigzag(t - previous sample's t; the first: t - 0)
//              8 bytes the value's IEEE-754 bits, little-endian (the value as its block reads it back)
//
// A commit's samples of one group are mostly at one time, so a sample takes about 10 bytes.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "greentwin/core/status.hpp"
#include "history_block_table.hpp"

namespace gt::connectors::history_blocks {

// Series ids per staged row: a read of one series decodes its group's rows (about this many samples a commit).
inline constexpr std::int64_t kStagedGroupSeries = 32;
inline std::int64_t stagedGroupOf(std::int64_t series) {
  return series >= 0 ? series / kStagedGroupSeries : -1 - (-1 - series) / kStagedGroupSeries;
}

// Appends the row of `samples` (all of group `group`, in the order they were staged) to `out`.
void encodeStagedRow(std::int64_t group, std::span<const StagedSample> samples, std::vector<std::uint8_t>& out);
// Appends a row's samples to `out`; a damaged row (truncated, another format, a series outside the group) is a
// ParseError naming `where`, and `out` keeps what it had.
Status decodeStagedRow(std::span<const std::uint8_t> row, std::int64_t group, std::vector<StagedSample>& out,
                       const std::string& where);

}  // namespace gt::connectors::history_blocks
