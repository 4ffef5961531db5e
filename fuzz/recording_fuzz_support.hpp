#pragma once
// What the two feed-recording fuzz targets (feed_recording_fuzz.cpp, recording_loader_fuzz.cpp) build their inputs
// from: the recorder's own file headers (version 2 NULL, version 2 CURVE, version 1) and records framed with the
// right length and checksum, so the fuzzer reaches the checks behind them without finding CRCs.
//
// Threads: a fuzz target runs one input at a time.

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <span>
#include <string>
#include <vector>

#include "greentwin/connectors/feed_recording.hpp"

namespace gt::fuzz {

// The creation time of every header made here (2025-11-26T08:00:00Z).
inline constexpr TimePoint kRecordingCreated = 1'764'144'000'000'000;

// A fuzz check: abort (the fuzzer reports the input) unless it holds.
inline void check(bool ok) {
  if (!ok) std::abort();
}

inline void putU32(std::vector<std::byte>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFFu));
}

// The header FeedRecorder writes (through a temporary file: the recorder writes files only).
inline std::vector<std::byte> recorderHeader(connectors::RecordingSecurity security) {
  const std::string path = "/tmp/gt_recording_fuzz_header_" + std::to_string(::getpid());
  (void)connectors::FeedRecorder::create(path, kRecordingCreated, security);
  std::ifstream in(path, std::ios::binary);
  std::vector<std::byte> h(connectors::kFeedRecordingHeaderBytes);
  in.read(reinterpret_cast<char*>(h.data()), static_cast<std::streamsize>(h.size()));
  ::unlink(path.c_str());
  return h;
}

// A version 1 header (what recorders before the CURVE option wrote): version 1, flags 0.
inline std::vector<std::byte> version1Header() {
  std::vector<std::byte> h = recorderHeader(connectors::RecordingSecurity::None);
  h[8] = std::byte{1};
  const std::uint32_t crc = connectors::crc32(std::span<const std::byte>(h.data(), 24));
  for (int i = 0; i < 4; ++i) h[24 + static_cast<std::size_t>(i)] = static_cast<std::byte>((crc >> (8 * i)) & 0xFFu);
  return h;
}

// A valid header by variant % 3: version 2 NULL, version 2 CURVE, version 1.
inline const std::vector<std::byte>& validHeader(unsigned variant) {
  static const std::vector<std::byte> headers[3] = {recorderHeader(connectors::RecordingSecurity::None),
                                                    recorderHeader(connectors::RecordingSecurity::Curve),
                                                    version1Header()};
  return headers[variant % 3];
}

// Appends one record around `body`: u32 LE body length, u32 LE CRC-32 of the length and the body, the body.
inline void appendRecord(std::vector<std::byte>& file, std::span<const std::byte> body) {
  std::vector<std::byte> prefix;
  putU32(prefix, static_cast<std::uint32_t>(body.size()));
  std::uint32_t crc = connectors::crc32(prefix);
  crc = connectors::crc32(body, crc);
  putU32(prefix, crc);
  file.insert(file.end(), prefix.begin(), prefix.end());
  file.insert(file.end(), body.begin(), body.end());
}

}  // namespace gt::fuzz
