// libFuzzer target for a staged row of the SQLite history (connectors/src/history_staged_rows.cpp): a reader
// decodes whatever the file holds, and a damaged file must give an error, never a crash or a read past the row.
//
// Besides "no crash, no out-of-bounds read", it checks: a refused row leaves the output as it was, and an accepted
// row re-encoded reads back as the same samples, bit for bit.

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <span>
#include <vector>

#include "history_staged_rows.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace gt::connectors::history_blocks;
  if (size < 1) return 0;
  const std::int64_t group = data[0];  // the row's group, as the table's key gives it
  const std::span<const std::uint8_t> row(data + 1, size - 1);
  std::vector<StagedSample> out = {{7, 7, 7.0}};
  const gt::Status s = decodeStagedRow(row, group, out, "fuzz.sqlite");
  if (!s) {
    if (out.size() != 1 || s.message().empty()) std::abort();
    return 0;
  }
  std::vector<std::uint8_t> again;
  encodeStagedRow(group, std::span(out).subspan(1), again);
  // Compared as samples, not bytes: a varint written longer than needed reads the same and re-encodes shorter.
  std::vector<StagedSample> back;
  if (!decodeStagedRow(again, group, back, "again") || back.size() + 1 != out.size()) std::abort();
  for (std::size_t i = 0; i < back.size(); ++i) {
    const StagedSample& x = out[i + 1];
    if (back[i].series != x.series || back[i].t != x.t) std::abort();
    if (std::memcmp(&back[i].v, &x.v, sizeof x.v) != 0) std::abort();
  }
  return 0;
}
