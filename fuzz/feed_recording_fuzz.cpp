// libFuzzer target for the feed recording reader (connectors/src/feed_recording.cpp, docs/record-replay.md).
//
// Input layout: byte 0 picks a mode (byte 0 % 3) and, for modes 1 and 2, the header (byte 0 / 3 % 3: version 2
// NULL, version 2 CURVE, version 1); the rest is used as follows.
//   mode 0: the whole file (header included).
//   mode 1: a valid header, then the rest as the records (checksums rarely match: the damage paths).
//   mode 2: a valid header, then the rest cut into records whose length and checksum are right, each body
//           taken as is (u16 LE body length, body, ...): the body layout checks of that version.
// Seeds: tests/connectors/data/feed_recordings (whole files, mode 0 after a leading byte 0).
//
// Besides "no crash, no out-of-bounds read, no huge allocation", it checks: the reader stops at the first damage
// and never past the end; a clean end consumed the whole input; and the records read, written again by the
// recorder, read back identically.

#include "greentwin/connectors/feed_recording.hpp"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "recording_fuzz_support.hpp"

using namespace gt::connectors;
using gt::fuzz::check;

namespace {

void readAndCheck(std::span<const std::byte> file) {
  auto reader = FeedRecordingReader::fromBytes(file, "fuzz");
  if (!reader) return;
  std::vector<RecordedMessage> all;
  RecordedMessage m;
  while ((*reader)->next(m)) {
    all.push_back(m);
    check((*reader)->offset() <= file.size());
  }
  check(!(*reader)->next(m));  // stays done
  check((*reader)->recordsRead() == all.size());
  if ((*reader)->damage().isOk()) check((*reader)->offset() == file.size());
  if (all.empty()) return;
  // Re-written, the records read back identically.
  static const std::string path = "/tmp/gt_feed_fuzz_" + std::to_string(::getpid());
  {
    auto rec = FeedRecorder::create(path, (*reader)->createdAt(), (*reader)->security());
    check(rec.isOk());
    for (const RecordedMessage& r : all) check((*rec)->write(r).isOk());
  }
  auto again = FeedRecordingReader::open(path);
  check(again.isOk());
  check((*again)->security() == (*reader)->security());
  for (const RecordedMessage& r : all) {
    check((*again)->next(m));
    check(m == r);
  }
  check(!(*again)->next(m) && (*again)->damage().isOk());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned mode = data[0] % 3;
  const unsigned variant = (data[0] / 3) % 3;
  const auto* bytes = reinterpret_cast<const std::byte*>(data + 1);
  --size;
  if (mode == 0) {
    readAndCheck({bytes, size});
    return 0;
  }
  std::vector<std::byte> file = gt::fuzz::validHeader(variant);
  if (mode == 1) {
    file.insert(file.end(), bytes, bytes + size);
  } else {
    std::size_t i = 0;
    while (i + 2 <= size) {
      std::size_t length = static_cast<std::size_t>(bytes[i]) | (static_cast<std::size_t>(bytes[i + 1]) << 8);
      i += 2;
      if (length > size - i) length = size - i;
      gt::fuzz::appendRecord(file, {bytes + i, length});
      i += length;
    }
  }
  readAndCheck(file);
  return 0;
}
