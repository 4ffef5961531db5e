// Feed recordings: the file format (recorder, reader, summary). The sockets (capture, replay) are in
// feed_replay.cpp, so the fuzz target builds this file alone.
#include "greentwin/connectors/feed_recording.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace gt::connectors {

namespace {

constexpr std::array<char, 8> kMagic{'G', 'T', 'F', 'E', 'E', 'D', 'R', 'C'};
// Body bytes besides the key and the frames: wall time, offset, (version 2: key length,) frame count.
constexpr std::size_t kBodyFixedBytesV1 = 8 + 8 + 4;
constexpr std::size_t kBodyFixedBytes = 8 + 8 + 1 + 4;
constexpr std::uint32_t kFlagCurve = 1u;

constexpr std::array<std::uint32_t, 256> makeCrcTable() {
  std::array<std::uint32_t, 256> table{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1u) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}
constexpr auto kCrcTable = makeCrcTable();

void putU32(std::vector<std::byte>& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFFu));
}
void putI64(std::vector<std::byte>& out, std::int64_t value) {
  const auto v = static_cast<std::uint64_t>(value);
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFFu));
}
std::uint32_t getU32(const std::byte* p) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<std::uint32_t>(p[i]) << (8 * i);
  return v;
}
std::int64_t getI64(const std::byte* p) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<std::uint64_t>(p[i]) << (8 * i);
  return static_cast<std::int64_t>(v);
}

Status writeAll(int fd, const std::vector<std::byte>& data, const std::string& path) {
  std::size_t done = 0;
  while (done < data.size()) {
    const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Status(ErrorCode::IoError, "cannot write recording '" + path + "': " + std::strerror(errno));
    }
    done += static_cast<std::size_t>(n);
  }
  return Status::ok();
}

}  // namespace

const char* toString(RecordingSecurity security) {
  return security == RecordingSecurity::Curve ? "curve" : "none";
}

std::uint32_t crc32(std::span<const std::byte> data, std::uint32_t crc) {
  crc = ~crc;
  for (std::byte b : data) crc = kCrcTable[(crc ^ static_cast<std::uint32_t>(b)) & 0xFFu] ^ (crc >> 8);
  return ~crc;
}

// ---- FeedRecorder ----

Result<std::unique_ptr<FeedRecorder>> FeedRecorder::create(const std::string& path, TimePoint createdAt,
                                                           RecordingSecurity security) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status(ErrorCode::IoError, "cannot create recording '" + path + "': " + std::strerror(errno));
  std::unique_ptr<FeedRecorder> recorder(new FeedRecorder(path, fd));
  recorder->security_ = security;
  std::vector<std::byte> header;
  for (char c : kMagic) header.push_back(static_cast<std::byte>(c));
  putU32(header, kFeedRecordingVersion);
  putU32(header, security == RecordingSecurity::Curve ? kFlagCurve : 0u);
  putI64(header, createdAt);
  putU32(header, crc32(header));
  if (Status s = writeAll(fd, header, path); !s) return s;
  return recorder;
}

FeedRecorder::~FeedRecorder() {
  if (fd_ >= 0) ::close(fd_);
}

Status FeedRecorder::write(TimePoint receiveTime, Duration receiveOffset,
                           std::span<const std::span<const std::byte>> frames, std::string_view publisherKey) {
  if (frames.size() > kMaxRecordFrames) {
    return Status(ErrorCode::InvalidArgument, "a message of " + std::to_string(frames.size()) +
                                                  " frames cannot be recorded (at most " +
                                                  std::to_string(kMaxRecordFrames) + ")");
  }
  if (publisherKey.size() > kMaxRecordKeyBytes) {
    return Status(ErrorCode::InvalidArgument, "a publisher key of " + std::to_string(publisherKey.size()) +
                                                  " bytes cannot be recorded (at most " +
                                                  std::to_string(kMaxRecordKeyBytes) + ")");
  }
  std::size_t bodyBytes = kBodyFixedBytes + publisherKey.size();
  for (const auto& f : frames) bodyBytes += 4 + f.size();
  if (bodyBytes > kMaxRecordBytes) {
    return Status(ErrorCode::InvalidArgument, "a message of " + std::to_string(bodyBytes) +
                                                  " bytes cannot be recorded (at most " +
                                                  std::to_string(kMaxRecordBytes) + ")");
  }
  buffer_.clear();
  buffer_.reserve(8 + bodyBytes);
  putU32(buffer_, static_cast<std::uint32_t>(bodyBytes));
  putU32(buffer_, 0);  // checksum, filled in below
  putI64(buffer_, receiveTime);
  putI64(buffer_, receiveOffset);
  buffer_.push_back(static_cast<std::byte>(publisherKey.size()));
  for (char c : publisherKey) buffer_.push_back(static_cast<std::byte>(c));
  putU32(buffer_, static_cast<std::uint32_t>(frames.size()));
  for (const auto& f : frames) {
    putU32(buffer_, static_cast<std::uint32_t>(f.size()));
    buffer_.insert(buffer_.end(), f.begin(), f.end());
  }
  // The checksum covers the length too, so a flipped length bit is caught even when the bytes happen to exist.
  std::uint32_t crc = crc32(std::span<const std::byte>(buffer_.data(), 4));
  crc = crc32(std::span<const std::byte>(buffer_.data() + 8, bodyBytes), crc);
  for (int i = 0; i < 4; ++i) buffer_[4 + static_cast<std::size_t>(i)] = static_cast<std::byte>((crc >> (8 * i)) & 0xFFu);
  if (Status s = writeAll(fd_, buffer_, path_); !s) return s;
  ++records_;
  bytes_ += buffer_.size();
  return Status::ok();
}

Status FeedRecorder::write(const RecordedMessage& message) {
  std::vector<std::span<const std::byte>> frames;
  frames.reserve(message.frames.size());
  for (const auto& f : message.frames) frames.emplace_back(f);
  return write(message.receiveTime, message.receiveOffset, frames, message.publisherKey);
}

Status FeedRecorder::sync() {
  if (::fsync(fd_) != 0) {
    return Status(ErrorCode::IoError, "cannot sync recording '" + path_ + "': " + std::strerror(errno));
  }
  return Status::ok();
}

// ---- FeedRecordingReader ----

Result<std::unique_ptr<FeedRecordingReader>> FeedRecordingReader::open(const std::string& path) {
  auto in = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*in) return Status(ErrorCode::IoError, "cannot open recording '" + path + "': " + std::strerror(errno));
  in->seekg(0, std::ios::end);
  const auto size = static_cast<std::uint64_t>(std::max<std::streamoff>(in->tellg(), 0));
  in->seekg(0);
  return start(std::unique_ptr<FeedRecordingReader>(new FeedRecordingReader(std::move(in), size, path)));
}

Result<std::unique_ptr<FeedRecordingReader>> FeedRecordingReader::fromBytes(std::span<const std::byte> bytes,
                                                                            const std::string& name) {
  auto in = std::make_unique<std::istringstream>(
      std::string(reinterpret_cast<const char*>(bytes.data()), bytes.size()), std::ios::binary);
  return start(std::unique_ptr<FeedRecordingReader>(new FeedRecordingReader(std::move(in), bytes.size(), name)));
}

Result<std::unique_ptr<FeedRecordingReader>> FeedRecordingReader::start(std::unique_ptr<FeedRecordingReader> r) {
  std::array<std::byte, kFeedRecordingHeaderBytes> header{};
  if (r->size_ < header.size() || !r->in_->read(reinterpret_cast<char*>(header.data()), header.size())) {
    return Status(ErrorCode::ParseError, "'" + r->name_ + "' is not a GreenTwin feed recording: shorter than its " +
                                             std::to_string(header.size()) + "-byte header");
  }
  if (std::memcmp(header.data(), kMagic.data(), kMagic.size()) != 0) {
    return Status(ErrorCode::ParseError,
                  "'" + r->name_ + "' is not a GreenTwin feed recording (no \"GTFEEDRC\" magic)");
  }
  const std::uint32_t version = getU32(header.data() + 8);
  if (getU32(header.data() + 24) != crc32(std::span<const std::byte>(header.data(), 24))) {
    return Status(ErrorCode::ParseError, "'" + r->name_ + "': the recording header is damaged (checksum mismatch)");
  }
  if (version < kFeedRecordingOldestVersion || version > kFeedRecordingVersion) {
    return Status(ErrorCode::Unsupported, "'" + r->name_ + "': recording format version " + std::to_string(version) +
                                              " (this build reads versions " +
                                              std::to_string(kFeedRecordingOldestVersion) + " to " +
                                              std::to_string(kFeedRecordingVersion) + ")");
  }
  const std::uint32_t flags = getU32(header.data() + 12);
  const std::uint32_t known = version >= 2 ? kFlagCurve : 0u;
  if ((flags & ~known) != 0) {
    return Status(ErrorCode::Unsupported, "'" + r->name_ + "': unknown recording flags (version " +
                                              std::to_string(version) + ", flags " + std::to_string(flags) + ")");
  }
  r->version_ = version;
  r->security_ = (flags & kFlagCurve) != 0 ? RecordingSecurity::Curve : RecordingSecurity::None;
  r->createdAt_ = getI64(header.data() + 16);
  return r;
}

bool FeedRecordingReader::fail(const std::string& what) {
  done_ = true;
  damage_ = Status(ErrorCode::ParseError, name_ + ": record " + std::to_string(records_ + 1) + " at byte " +
                                              std::to_string(offset_) + ": " + what + "; the " +
                                              std::to_string(records_) + " records before it are intact");
  return false;
}

bool FeedRecordingReader::next(RecordedMessage& out) {
  if (done_) return false;
  const std::uint64_t left = size_ - offset_;
  if (left == 0) {
    done_ = true;
    return false;
  }
  std::array<std::byte, 8> prefix{};
  if (left < prefix.size()) {
    return fail("truncated (the file ends " + std::to_string(left) + " bytes into the record header)");
  }
  if (!in_->read(reinterpret_cast<char*>(prefix.data()), prefix.size())) return fail("read error");
  const std::uint32_t length = getU32(prefix.data());
  const std::uint32_t expectedCrc = getU32(prefix.data() + 4);
  const std::size_t fixedBytes = version_ >= 2 ? kBodyFixedBytes : kBodyFixedBytesV1;
  if (length < fixedBytes || length > kMaxRecordBytes) {
    return fail("bad record layout (body length " + std::to_string(length) + ")");
  }
  if (left - prefix.size() < length) {
    return fail("truncated (a " + std::to_string(length) + "-byte record, the file ends after " +
                std::to_string(left - prefix.size()) + " bytes of it)");
  }
  body_.resize(length);
  if (!in_->read(reinterpret_cast<char*>(body_.data()), length)) return fail("read error");
  std::uint32_t crc = crc32(std::span<const std::byte>(prefix.data(), 4));
  crc = crc32(body_, crc);
  if (crc != expectedCrc) return fail("checksum mismatch (damaged record)");
  // The checksum matched, so the layout was written by a recorder; still check it (a crafted file).
  const std::byte* p = body_.data();
  const std::byte* end = p + length;
  out.receiveTime = getI64(p);
  out.receiveOffset = getI64(p + 8);
  p += 16;
  out.publisherKey.clear();
  if (version_ >= 2) {
    const auto keyLength = static_cast<std::size_t>(*p);
    ++p;
    // The 4-byte frame count must follow the key.
    if (static_cast<std::size_t>(end - p) < keyLength + 4) {
      return fail("bad record layout (a " + std::to_string(keyLength) + "-byte key past the record)");
    }
    out.publisherKey.assign(reinterpret_cast<const char*>(p), keyLength);
    p += keyLength;
  }
  const std::uint32_t count = getU32(p);
  p += 4;
  if (count > kMaxRecordFrames) return fail("bad record layout (" + std::to_string(count) + " frames)");
  out.frames.resize(count);
  for (std::uint32_t i = 0; i < count; ++i) {
    if (end - p < 4) return fail("bad record layout (frame " + std::to_string(i) + " past the record)");
    const std::uint32_t frameLength = getU32(p);
    p += 4;
    if (static_cast<std::uint64_t>(end - p) < frameLength) {
      return fail("bad record layout (frame " + std::to_string(i) + " past the record)");
    }
    out.frames[i].assign(p, p + frameLength);
    p += frameLength;
  }
  if (p != end) return fail("bad record layout (" + std::to_string(end - p) + " trailing bytes)");
  offset_ += prefix.size() + length;
  ++records_;
  return true;
}

// ---- summary ----

Result<RecordingSummary> summarizeRecording(const std::string& path) {
  auto reader = FeedRecordingReader::open(path);
  if (!reader) return reader.status();
  RecordingSummary s;
  s.createdAt = (*reader)->createdAt();
  s.version = (*reader)->version();
  s.security = (*reader)->security();
  RecordedMessage m;
  Duration firstOffset = 0;
  while ((*reader)->next(m)) {
    if (s.records == 0) {
      s.firstReceive = m.receiveTime;
      firstOffset = m.receiveOffset;
    }
    s.lastReceive = m.receiveTime;
    s.span = m.receiveOffset - firstOffset;
    ++s.records;
    for (const auto& f : m.frames) s.bytes += f.size();
    if (!m.publisherKey.empty()) ++s.publisherKeys[m.publisherKey];
    if (m.frames.size() != 3) {
      ++s.notThreeFrames;
      continue;
    }
    ++s.topics[std::string(reinterpret_cast<const char*>(m.frames[0].data()), m.frames[0].size())];
    std::string publisher = "?";
    const auto envelope = nlohmann::json::parse(m.frames[1].begin(), m.frames[1].end(), nullptr, false);
    if (envelope.is_object()) {
      const auto it = envelope.find("publisher");
      if (it != envelope.end() && it->is_string()) publisher = it->get<std::string>();
    }
    ++s.publishers[publisher];
  }
  s.damage = (*reader)->damage();
  return s;
}

}  // namespace gt::connectors
