// Live-feed wire protocol v1 decoder (the encoders: wire_protocol_encode.cpp). Layout and rules: docs/protocol.md. Every length is checked before it is
// used; nlohmann::json throws, so every call into it sits inside a try block and nothing escapes.

#include "greentwin/connectors/wire_protocol.hpp"

#include "json_array_count.hpp"
#include "wire_format.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>
#include <utility>

namespace gt::connectors {

namespace {

using json = nlohmann::json;
using detail::kBinaryHeaderSize;
using detail::kBinaryMagic;
using detail::kBinaryRecordSize;
using detail::kNoTimeWire;
using detail::kNoUnit;

constexpr std::size_t kPrefetchAhead = 1024;  // bytes of records read ahead of the check (bench/ingest_bench)
// Per string of a binary table (MessageView::TableCache::flags): an empty string may be neither entity nor
// attribute; an attribute of three bytes may be "lon"/"lat", whose values are range-checked.
constexpr std::uint8_t kStringEmpty = 1;
constexpr std::uint8_t kStringOfThree = 2;
constexpr double kMaxIntervalSeconds = 7.0 * 24 * 3600;

// A rejection: reason + detail, turned into a Status (and counted) at the single exit of decodeMessage.
struct Reject {
  RejectReason reason;
  std::string detail;
};

// ---- little-endian readers/writers over byte spans (no alignment assumed) ----

std::uint16_t readU16(const std::byte* p) {
  return static_cast<std::uint16_t>(std::to_integer<unsigned>(p[0]) | (std::to_integer<unsigned>(p[1]) << 8));
}
// Length of the leading run of whole 8-byte words with no high bit set (ASCII), eight bytes at a time.
std::size_t asciiPrefixWords(std::span<const std::byte> bytes) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = 0;
  while (bytes.size() - i >= 8) {
    std::uint64_t word;
    std::memcpy(&word, bytes.data() + i, sizeof word);
    if ((word & kHighBits) != 0) break;
    i += 8;
  }
  return i;
}

bool isAscii(std::span<const std::byte> bytes) {
  for (std::size_t i = asciiPrefixWords(bytes); i < bytes.size(); ++i) {
    if (std::to_integer<unsigned>(bytes[i]) >= 0x80) return false;
  }
  return true;
}

// Whole-word loads (one instruction on the little-endian machines we run on; byte assembly elsewhere). The
// byte-at-a-time loops this replaces were a third of the ingest thread's time in bench/ingest_bench.
template <typename T>
T readLittleEndian(const std::byte* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  if constexpr (std::endian::native == std::endian::big) {
    T swapped = 0;
    for (std::size_t i = 0; i < sizeof v; ++i) swapped = static_cast<T>((swapped << 8) | ((v >> (8 * i)) & 0xFF));
    v = swapped;
  }
  return v;
}
std::uint32_t readU32(const std::byte* p) { return readLittleEndian<std::uint32_t>(p); }
std::uint64_t readU64(const std::byte* p) { return readLittleEndian<std::uint64_t>(p); }
bool isDomainChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

std::optional<Reject> checkTopic(std::span<const std::byte> topic, const DecodeLimits& limits) {
  if (topic.empty()) return Reject{RejectReason::Truncated, "empty topic frame"};
  if (topic.size() > limits.maxTopicBytes)
    return Reject{RejectReason::Oversize, "topic of " + std::to_string(topic.size()) + " bytes"};
  if (!isValidUtf8(topic)) return Reject{RejectReason::InvalidUtf8, "topic"};
  const std::string_view text(reinterpret_cast<const char*>(topic.data()), topic.size());
  // Grammar: segment ('.' segment)*, segment = [a-z0-9_-]+
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = text.find('.', start);
    const std::string_view seg = text.substr(start, dot == std::string_view::npos ? text.npos : dot - start);
    if (seg.empty() || !std::all_of(seg.begin(), seg.end(), isDomainChar))
      return Reject{RejectReason::UnknownTopic, "topic '" + std::string(text) + "' is not <domain>(.<segment>)*"};
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  const std::string_view domain = text.substr(0, text.find('.'));
  const bool known = std::find(kKnownDomains.begin(), kKnownDomains.end(), domain) != kKnownDomains.end() ||
                     std::find(limits.extraDomains.begin(), limits.extraDomains.end(), domain) !=
                         limits.extraDomains.end();
  if (!known) return Reject{RejectReason::UnknownTopic, "unknown domain '" + std::string(domain) + "'"};
  return std::nullopt;
}

// Parses a UTF-8-checked JSON frame. Input that ends inside a value was cut short (Truncated).
std::optional<Reject> parseJson(std::span<const std::byte> frame, const char* what, json& out) {
  const char* begin = reinterpret_cast<const char*>(frame.data());
  try {
    out = json::parse(begin, begin + frame.size());
  } catch (const json::parse_error& e) {
    // nlohmann reports the position after the last character read: past the end when the input ran out
    if (e.byte > frame.size() || std::string_view(e.what()).find("end of input") != std::string_view::npos)
      return Reject{RejectReason::Truncated, std::string(what) + " JSON ends early"};
    return Reject{RejectReason::MalformedJson, std::string(what) + ": " + e.what()};
  } catch (const json::out_of_range& e) {
    if (e.id == 406)  // a number literal too large for a double (1e999): would be ±Inf
      return Reject{RejectReason::NonFiniteValue, std::string(what) + ": " + e.what()};
    return Reject{RejectReason::MalformedJson, std::string(what) + ": " + e.what()};
  } catch (const std::exception& e) {
    return Reject{RejectReason::MalformedJson, std::string(what) + ": " + e.what()};
  }
  return std::nullopt;
}

bool isFutureTime(TimePoint t, const DecodeLimits& limits, TimePoint now) {
  // now + skew without overflow
  const Duration skew = std::max<Duration>(limits.maxClockSkew, 0);
  if (now > std::numeric_limits<TimePoint>::max() - skew) return false;
  return t > now + skew;
}

// A JSON integer as int64 (µs times). Floats are refused: times are exact integers on the wire.
std::optional<std::int64_t> jsonInt64(const json& j) {
  if (j.is_number_unsigned()) {
    const auto u = j.get<std::uint64_t>();
    if (u > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return std::nullopt;
    return static_cast<std::int64_t>(u);
  }
  if (j.is_number_integer()) return j.get<std::int64_t>();
  return std::nullopt;
}

std::optional<Reject> decodeEnvelope(std::span<const std::byte> frame, const DecodeLimits& limits, TimePoint now,
                                     Envelope& env) {
  if (frame.empty()) return Reject{RejectReason::Truncated, "empty envelope frame"};
  if (frame.size() > limits.maxEnvelopeBytes)
    return Reject{RejectReason::Oversize, "envelope of " + std::to_string(frame.size()) + " bytes"};
  if (!isValidUtf8(frame)) return Reject{RejectReason::InvalidUtf8, "envelope"};
  json j;
  if (auto r = parseJson(frame, "envelope", j)) return r;
  if (!j.is_object()) return Reject{RejectReason::MalformedJson, "envelope is not a JSON object"};

  // The version first: a later version may change every other field.
  const auto v = j.find("v");
  if (v == j.end() || !v->is_number_integer())
    return Reject{RejectReason::MalformedJson, "envelope: 'v' missing or not an integer"};
  if (!v->is_number_unsigned() || v->get<std::uint64_t>() != static_cast<std::uint64_t>(kWireProtocolVersion))
    return Reject{RejectReason::WrongVersion, "envelope version " + v->dump() + ", expected " +
                                                  std::to_string(kWireProtocolVersion)};

  const auto enc = j.find("encoding");
  if (enc == j.end() || !enc->is_string())
    return Reject{RejectReason::MalformedJson, "envelope: 'encoding' missing or not a string"};
  const auto& encText = enc->get_ref<const std::string&>();
  if (encText == "json") {
    env.encoding = PayloadEncoding::Json;
  } else if (encText == "binary") {
    env.encoding = PayloadEncoding::Binary;
  } else {
    return Reject{RejectReason::UnknownEncoding, "encoding '" + encText + "'"};
  }

  const auto pub = j.find("publisher");
  if (pub == j.end() || !pub->is_string() || pub->get_ref<const std::string&>().empty())
    return Reject{RejectReason::MalformedJson, "envelope: 'publisher' missing, empty or not a string"};
  env.publisherId = pub->get<std::string>();

  const auto seq = j.find("seq");
  if (seq == j.end() || !seq->is_number_unsigned())
    return Reject{RejectReason::MalformedJson, "envelope: 'seq' missing or not a non-negative integer"};
  env.sequence = seq->get<std::uint64_t>();

  const auto ts = j.find("ts_us");
  const auto tsValue = ts == j.end() ? std::nullopt : jsonInt64(*ts);
  if (!tsValue) return Reject{RejectReason::MalformedJson, "envelope: 'ts_us' missing or not an int64"};
  env.sourceTime = *tsValue;

  const auto schema = j.find("schema");
  if (schema == j.end() || !schema->is_string() || schema->get_ref<const std::string&>().empty())
    return Reject{RejectReason::MalformedJson, "envelope: 'schema' missing, empty or not a string"};
  env.schemaId = schema->get<std::string>();

  env.schemaVersion = 1;
  if (const auto sv = j.find("schema_version"); sv != j.end()) {
    if (!sv->is_number_unsigned() || sv->get<std::uint64_t>() < 1 ||
        sv->get<std::uint64_t>() > std::numeric_limits<std::uint32_t>::max())
      return Reject{RejectReason::MalformedJson, "envelope: 'schema_version' not an integer in 1..2^32-1"};
    env.schemaVersion = static_cast<std::uint32_t>(sv->get<std::uint64_t>());
  }

  const auto interval = j.find("interval_s");
  if (interval == j.end() || !interval->is_number())
    return Reject{RejectReason::MalformedJson, "envelope: 'interval_s' missing or not a number"};
  const double intervalS = interval->get<double>();
  if (!std::isfinite(intervalS))
    return Reject{RejectReason::NonFiniteValue, "envelope: 'interval_s' not finite"};
  if (intervalS <= 0.0 || intervalS > kMaxIntervalSeconds)
    return Reject{RejectReason::MalformedJson, "envelope: 'interval_s' outside (0, 604800]"};
  env.declaredInterval = std::max<Duration>(1, static_cast<Duration>(std::llround(intervalS * 1e6)));

  if (isFutureTime(env.sourceTime, limits, now))
    return Reject{RejectReason::FutureTimestamp, "source time " + std::to_string(env.sourceTime) + " µs is after now + skew"};
  return std::nullopt;
}

// Checks applied to every update whatever its encoding.
// (Binary and JSON share it: the view decoder passes the string-table view of the attribute.)
std::optional<Reject> checkUpdate(std::string_view attribute, double value, const std::optional<TimePoint>& time,
                                  const DecodeLimits& limits, TimePoint now, std::size_t index) {
  if (!std::isfinite(value))
    return Reject{RejectReason::NonFiniteValue, "update " + std::to_string(index) + " value is NaN or infinite"};
  if (time && isFutureTime(*time, limits, now))
    return Reject{RejectReason::FutureTimestamp, "update " + std::to_string(index) + " time is after now + skew"};
  const double m = limits.coordinateMarginDeg;
  if (attribute == "lon" && (value < limits.district.west - m || value > limits.district.east + m))
    return Reject{RejectReason::CoordinateOutOfRange, "update " + std::to_string(index) + " lon outside district"};
  if (attribute == "lat" && (value < limits.district.south - m || value > limits.district.north + m))
    return Reject{RejectReason::CoordinateOutOfRange, "update " + std::to_string(index) + " lat outside district"};
  return std::nullopt;
}

std::optional<Reject> jsonString(const json& obj, const char* key, bool required, std::size_t index,
                                 std::string& out) {
  const auto it = obj.find(key);
  if (it == obj.end()) {
    if (!required) return std::nullopt;
    return Reject{RejectReason::MalformedJson, "update " + std::to_string(index) + ": '" + key + "' missing"};
  }
  if (!it->is_string() || (required && it->get_ref<const std::string&>().empty()))
    return Reject{RejectReason::MalformedJson,
                  "update " + std::to_string(index) + ": '" + key + "' not a (non-empty) string"};
  out = it->get<std::string>();
  return std::nullopt;
}

std::optional<Reject> decodeJsonPayload(std::span<const std::byte> frame, const DecodeLimits& limits,
                                        TimePoint now, std::vector<Update>& updates) {
  if (!isValidUtf8(frame)) return Reject{RejectReason::InvalidUtf8, "payload"};
  // Counted before the document is built: a huge array of empty objects would cost gigabytes to parse first.
  if (detail::jsonArrayExceeds({reinterpret_cast<const char*>(frame.data()), frame.size()}, limits.maxUpdates))
    return Reject{RejectReason::Oversize, "more than " + std::to_string(limits.maxUpdates) + " updates, limit " +
                                              std::to_string(limits.maxUpdates)};
  json j;
  if (auto r = parseJson(frame, "payload", j)) return r;
  if (!j.is_array()) return Reject{RejectReason::MalformedJson, "payload is not a JSON array of updates"};
  if (j.size() > limits.maxUpdates)
    return Reject{RejectReason::Oversize, std::to_string(j.size()) + " updates, limit " +
                                              std::to_string(limits.maxUpdates)};
  updates.clear();
  updates.reserve(j.size());
  std::size_t index = 0;
  for (const json& item : j) {
    if (!item.is_object())
      return Reject{RejectReason::MalformedJson, "update " + std::to_string(index) + " is not an object"};
    Update u;
    if (auto r = jsonString(item, "entity", true, index, u.entityId)) return r;
    if (auto r = jsonString(item, "attribute", true, index, u.attribute)) return r;
    if (auto r = jsonString(item, "unit", false, index, u.unit)) return r;
    const auto value = item.find("value");
    if (value == item.end())
      return Reject{RejectReason::MalformedJson, "update " + std::to_string(index) + ": 'value' missing"};
    if (value->is_number()) {
      u.value = value->get<double>();
    } else if (value->is_null()) {  // how JSON.stringify and nlohmann write NaN/Inf
      return Reject{RejectReason::NonFiniteValue, "update " + std::to_string(index) + " value is null"};
    } else if (value->is_string()) {
      const auto& s = value->get_ref<const std::string&>();
      if (s == "NaN" || s == "nan" || s == "Infinity" || s == "-Infinity" || s == "inf" || s == "-inf")
        return Reject{RejectReason::NonFiniteValue, "update " + std::to_string(index) + " value is '" + s + "'"};
      return Reject{RejectReason::MalformedJson, "update " + std::to_string(index) + ": 'value' not a number"};
    } else {
      return Reject{RejectReason::MalformedJson, "update " + std::to_string(index) + ": 'value' not a number"};
    }
    if (const auto t = item.find("time_us"); t != item.end()) {
      const auto tv = jsonInt64(*t);
      if (!tv || *tv == kNoTimeWire)
        return Reject{RejectReason::MalformedJson, "update " + std::to_string(index) + ": 'time_us' not an int64"};
      u.time = *tv;
    }
    if (auto r = checkUpdate(u.attribute, u.value, u.time, limits, now, index)) return r;
    updates.push_back(std::move(u));
    ++index;
  }
  return std::nullopt;
}

// Header and string table of a binary payload, without copying a string: `strings` gets views into `frame`.
// On success `records` is the N x 28 record bytes (their count checked against the frame, their content not yet).
std::optional<Reject> decodeBinaryHead(std::span<const std::byte> frame, const DecodeLimits& limits,
                                       std::vector<std::string_view>& strings, std::span<const std::byte>& records,
                                       std::uint32_t& recordCount, MessageView::TableCache& cache,
                                       std::uint64_t& generation) {
  if (frame.size() < kBinaryHeaderSize)
    return Reject{RejectReason::Truncated, "binary payload of " + std::to_string(frame.size()) +
                                               " bytes, header needs 16"};
  const std::byte* p = frame.data();
  if (!std::equal(kBinaryMagic.begin(), kBinaryMagic.end(), p))
    return Reject{RejectReason::BadBinaryLayout, "binary payload does not start with 'GTB1'"};
  const std::uint16_t version = readU16(p + 4);
  if (version != kWireProtocolVersion)
    return Reject{RejectReason::WrongVersion, "binary payload version " + std::to_string(version)};
  if (readU16(p + 6) != 0) return Reject{RejectReason::BadBinaryLayout, "binary header flags not zero"};
  const std::uint32_t stringCount = readU32(p + 8);
  recordCount = readU32(p + 12);
  if (recordCount > limits.maxUpdates)
    return Reject{RejectReason::Oversize, std::to_string(recordCount) + " updates, limit " +
                                              std::to_string(limits.maxUpdates)};

  std::size_t pos = kBinaryHeaderSize;
  const std::size_t size = frame.size();
  const std::size_t cachedBytes = cache.bytes.size();
  if (cache.valid && cache.ends.size() == stringCount && size - pos >= cachedBytes &&
      std::memcmp(p + pos, cache.bytes.data(), cachedBytes) == 0) {
    // The previous table, byte for byte: the same strings, already found well-formed. Only the views move to
    // this frame. (`generation` stays: the strings are equal.)
    strings.resize(stringCount);
    const char* const base = reinterpret_cast<const char*>(p + pos);
    std::size_t begin = 0;
    for (std::uint32_t i = 0; i < stringCount; ++i) {
      const std::size_t end = cache.ends[i];
      strings[i] = std::string_view(base + begin + 2, end - begin - 2);
      begin = end;
    }
    pos += cachedBytes;
  } else {
    cache.valid = false;
    ++generation;
    // Each string needs at least its 2-byte length: refuse a count the frame cannot hold before allocating.
    if (stringCount > (size - pos) / 2)
      return Reject{RejectReason::Truncated, "string table of " + std::to_string(stringCount) +
                                                 " strings does not fit the payload"};
    strings.clear();
    strings.reserve(stringCount);
    cache.ends.clear();
    cache.flags.clear();
    for (std::uint32_t i = 0; i < stringCount; ++i) {
      if (size - pos < 2) return Reject{RejectReason::Truncated, "string table cut short"};
      const std::size_t len = readU16(p + pos);
      pos += 2;
      if (size - pos < len) return Reject{RejectReason::Truncated, "string " + std::to_string(i) + " cut short"};
      strings.emplace_back(reinterpret_cast<const char*>(p + pos), len);
      pos += len;
      cache.ends.push_back(static_cast<std::uint32_t>(pos - kBinaryHeaderSize));
      cache.flags.push_back(len == 0 ? kStringEmpty : (len == 3 ? kStringOfThree : 0));
    }
    // UTF-8: when no byte of the whole table (strings and their length prefixes) has its high bit set, every
    // string is ASCII; only otherwise is each string validated on its own.
    if (!isAscii(frame.subspan(kBinaryHeaderSize, pos - kBinaryHeaderSize))) {
      for (std::size_t i = 0; i < strings.size(); ++i) {
        if (!isValidUtf8(asBytes(strings[i])))
          return Reject{RejectReason::InvalidUtf8, "string table entry " + std::to_string(i)};
      }
    }
    cache.bytes.assign(p + kBinaryHeaderSize, p + pos);
    cache.valid = true;
  }
  const std::size_t remaining = size - pos;
  const std::size_t needed = std::size_t{recordCount} * kBinaryRecordSize;  // recordCount <= 2^32: no overflow
  if (remaining < needed)
    return Reject{RejectReason::Truncated, std::to_string(recordCount) + " records need " +
                                               std::to_string(needed) + " bytes, " + std::to_string(remaining) +
                                               " left"};
  if (remaining > needed)
    return Reject{RejectReason::BadBinaryLayout, std::to_string(remaining - needed) + " trailing bytes"};
  records = frame.subspan(pos);
  return std::nullopt;
}

// The record checks of a binary payload, in record order, stopping at the first failing record; each record that
// passes goes to emit(entity, attribute, unit, value, time) (time kNoTimeWire: none). Shared by the decode into
// BinaryRecords and the decode straight into samples, so both accept and reject exactly the same records.
// The full checks of one record, in the documented order, for a record the fast test in checkRecords did not
// pass. Out of line, so the loop over the records keeps its values in registers.
[[gnu::noinline]] std::optional<Reject> checkRecordSlowly(std::uint32_t index, std::uint32_t entity,
                                                          std::uint32_t attribute, std::uint32_t unit, double value,
                                                          std::int64_t time, std::span<const std::string_view> table,
                                                          const DecodeLimits& limits, TimePoint now) {
  const auto stringCount = static_cast<std::uint32_t>(table.size());
  if (entity >= stringCount || attribute >= stringCount || (unit != kNoUnit && unit >= stringCount))
    return Reject{RejectReason::BadBinaryLayout, "record " + std::to_string(index) + " string index out of range"};
  if (table[entity].empty() || table[attribute].empty())
    return Reject{RejectReason::BadBinaryLayout, "record " + std::to_string(index) + " empty entity or attribute"};
  const std::optional<TimePoint> t = time != kNoTimeWire ? std::optional<TimePoint>(time) : std::nullopt;
  return checkUpdate(table[attribute], value, t, limits, now, index);
}

template <typename Emit>
std::optional<Reject> checkRecords(std::span<const std::byte> records, std::uint32_t recordCount,
                                   std::span<const std::string_view> strings, std::span<const std::uint8_t> flags,
                                   const DecodeLimits& limits, TimePoint now, Emit&& emit) {
  const auto stringCount = static_cast<std::uint32_t>(strings.size());
  const std::uint8_t* const flagOf = flags.data();  // one per string (decodeBinaryHead)
  const Duration skew = std::max<Duration>(limits.maxClockSkew, 0);  // as isFutureTime(), hoisted out of the loop
  const TimePoint latestAllowed =
      now > std::numeric_limits<TimePoint>::max() - skew ? std::numeric_limits<TimePoint>::max() : now + skew;
  const std::byte* r = records.data();
  for (std::uint32_t i = 0; i < recordCount; ++i, r += kBinaryRecordSize) {
    // The payload was just written by ZeroMQ's I/O thread, usually on the other core: ask for it well ahead.
    // (A prefetch past the end of the frame is harmless: it never faults.)
    __builtin_prefetch(r + kPrefetchAhead);
    const std::uint32_t entity = readU32(r);
    const std::uint32_t attribute = readU32(r + 4);
    const std::uint32_t unit = readU32(r + 8);
    const double value = std::bit_cast<double>(readU64(r + 12));
    const auto time = static_cast<std::int64_t>(readU64(r + 20));
    // The common case in one test: indices in range, non-empty entity and attribute, a finite value, no future
    // time and an attribute that cannot be "lon"/"lat" (those are range-checked). Anything else is checked fully,
    // out of line, in the documented order (index, empty string, value, time, coordinate).
    // (unit + 1 wraps kNoUnit to 0, which is always in range.)
    const bool indicesInRange = std::max(entity, attribute) < stringCount && unit + 1u <= stringCount;
    if (!indicesInRange) [[unlikely]] {
      return checkRecordSlowly(i, entity, attribute, unit, value, time, strings, limits, now);
    }
    const bool plain = ((flagOf[entity] & kStringEmpty) | (flagOf[attribute] & (kStringEmpty | kStringOfThree))) == 0 &&
                       std::isfinite(value) && time <= latestAllowed;
    if (!plain) [[unlikely]] {
      if (auto rej = checkRecordSlowly(i, entity, attribute, unit, value, time, strings, limits, now)) return rej;
    }
    emit(entity, attribute, unit, value, time);
  }
  return std::nullopt;
}

// Validates a binary payload without copying a string: `strings` gets views into `frame`, `records` the indices.
std::optional<Reject> decodeBinaryPayload(std::span<const std::byte> frame, const DecodeLimits& limits,
                                          TimePoint now, std::vector<std::string_view>& strings,
                                          std::vector<BinaryRecord>& records, MessageView::TableCache& cache,
                                          std::uint64_t& generation) {
  std::span<const std::byte> recordBytes;
  std::uint32_t recordCount = 0;
  if (auto r = decodeBinaryHead(frame, limits, strings, recordBytes, recordCount, cache, generation)) return r;
  // Filled through a pointer; resize() initialises only elements the reused vector did not have yet.
  records.resize(recordCount);
  BinaryRecord* out = records.data();
  return checkRecords(recordBytes, recordCount, strings, cache.flags, limits, now,
                      [&](std::uint32_t entity, std::uint32_t attribute, std::uint32_t unit, double value,
                          std::int64_t time) {
                        BinaryRecord& rec = *out++;
                        rec.entity = entity;
                        rec.attribute = attribute;
                        rec.unit = unit;  // kNoUnit == kNoStringIndex
                        rec.value = value;
                        if (time != kNoTimeWire) {
                          rec.time = time;
                        } else {
                          rec.time.reset();
                        }
                      });
}

std::optional<Reject> decodeAll(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                                std::span<const std::byte> payload, const DecodeLimits& limits, TimePoint now,
                                MessageView& msg, BinaryRecords binaryRecords) {
  msg.deferredRecords = {};
  msg.deferredCount = 0;
  if (auto r = checkTopic(topic, limits)) return r;
  msg.topic = std::string_view(reinterpret_cast<const char*>(topic.data()), topic.size());
  if (auto r = decodeEnvelope(envelope, limits, now, msg.envelope)) return r;
  if (payload.empty()) return Reject{RejectReason::Truncated, "empty payload frame"};
  if (payload.size() > limits.maxPayloadBytes)
    return Reject{RejectReason::Oversize, "payload of " + std::to_string(payload.size()) + " bytes, limit " +
                                              std::to_string(limits.maxPayloadBytes)};
  msg.jsonUpdates.clear();
  if (msg.envelope.encoding == PayloadEncoding::Json) {
    msg.strings.clear();
    ++msg.tableGeneration;
    msg.records.clear();
    return decodeJsonPayload(payload, limits, now, msg.jsonUpdates);
  }
  if (binaryRecords == BinaryRecords::Defer) {
    msg.records.clear();
    return decodeBinaryHead(payload, limits, msg.strings, msg.deferredRecords, msg.deferredCount, msg.tableCache,
                            msg.tableGeneration);
  }
  // (records is resized, not cleared: a reused view keeps its elements, so no pass initialises them again.)
  return decodeBinaryPayload(payload, limits, now, msg.strings, msg.records, msg.tableCache, msg.tableGeneration);
}

}  // namespace

const char* toString(PayloadEncoding encoding) {
  return encoding == PayloadEncoding::Binary ? "binary" : "json";
}

const char* toString(RejectReason reason) {
  switch (reason) {
    case RejectReason::Truncated: return "truncated";
    case RejectReason::Oversize: return "oversize";
    case RejectReason::WrongVersion: return "wrong_version";
    case RejectReason::UnknownEncoding: return "unknown_encoding";
    case RejectReason::InvalidUtf8: return "invalid_utf8";
    case RejectReason::NonFiniteValue: return "non_finite_value";
    case RejectReason::CoordinateOutOfRange: return "coordinate_out_of_range";
    case RejectReason::UnknownTopic: return "unknown_topic";
    case RejectReason::FutureTimestamp: return "future_timestamp";
    case RejectReason::MalformedJson: return "malformed_json";
    case RejectReason::BadBinaryLayout: return "bad_binary_layout";
  }
  return "unknown";
}

void RejectCounters::add(RejectReason reason) {
  const auto i = static_cast<std::size_t>(reason);
  if (i < counts.size()) ++counts[i];
  last = reason;
}

std::uint64_t RejectCounters::total() const {
  std::uint64_t sum = 0;
  for (const auto c : counts) sum += c;
  return sum;
}

std::span<const std::byte> asBytes(std::string_view text) {
  return std::as_bytes(std::span<const char>(text.data(), text.size()));
}

bool isValidUtf8(std::span<const std::byte> bytes) {
  const std::size_t n = bytes.size();
  std::size_t i = asciiPrefixWords(bytes);
  while (i < n) {
    const unsigned c = std::to_integer<unsigned>(bytes[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    unsigned lo = 0x80;
    unsigned hi = 0xBF;  // allowed range of the second byte
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;        // no overlongs
      else if (c == 0xED) hi = 0x9F;   // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;        // no overlongs
      else if (c == 0xF4) hi = 0x8F;   // <= U+10FFFF
    } else {
      return false;
    }
    if (n - i < len) return false;
    const unsigned c1 = std::to_integer<unsigned>(bytes[i + 1]);
    if (c1 < lo || c1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const unsigned ck = std::to_integer<unsigned>(bytes[i + k]);
      if (ck < 0x80 || ck > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

namespace {

// The single exit of a rejection: counted, turned into a Status.
Status rejectStatus(const Reject& reject, RejectCounters* counters) {
  if (counters) counters->add(reject.reason);
  const ErrorCode code = reject.reason == RejectReason::Oversize ? ErrorCode::OutOfRange : ErrorCode::ParseError;
  return Status(code, std::string(toString(reject.reason)) + ": " + reject.detail);
}

Reject outOfMemory() { return Reject{RejectReason::Oversize, "out of memory while decoding"}; }

}  // namespace

Status decodeMessageView(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                         std::span<const std::byte> payload, const DecodeLimits& limits, TimePoint now,
                         MessageView& out, RejectCounters* counters, BinaryRecords binaryRecords) {
  std::optional<Reject> reject;
  try {
    reject = decodeAll(topic, envelope, payload, limits, now, out, binaryRecords);
  } catch (const std::bad_alloc&) {
    reject = outOfMemory();
  } catch (const std::exception& e) {  // a bug if reached: every parser call has its own handler
    reject = Reject{RejectReason::MalformedJson, std::string("unexpected: ") + e.what()};
  }
  if (!reject) return Status::ok();
  return rejectStatus(*reject, counters);
}

namespace {
// Out of line: keeps the vector's growth path out of the record loop.
[[gnu::noinline]] void noteUnmapped(std::vector<UnmappedString>& unmapped, UnmappedString entry) {
  unmapped.push_back(entry);
}
}  // namespace

Result<std::size_t> decodeDeferredRecords(const MessageView& view, const DecodeLimits& limits, TimePoint now,
                                          const StringIdMap& ids, std::span<SampleUpdate> out,
                                          std::vector<UnmappedString>& unmapped, RejectCounters* counters) {
  unmapped.clear();
  const std::size_t stringCount = view.strings.size();
  if (ids.entity.size() < stringCount || ids.attribute.size() < stringCount || out.size() < view.deferredCount ||
      view.tableCache.flags.size() != stringCount ||
      view.deferredRecords.size() != std::size_t{view.deferredCount} * kBinaryRecordSize) {
    return Status(ErrorCode::InvalidArgument,
                  "decodeDeferredRecords: a map shorter than the string table, too little room for the samples, "
                  "or a view not decoded with BinaryRecords::Defer");
  }
  SampleUpdate* next = out.data();
  const std::uint32_t* const entityOf = ids.entity.data();
  const std::uint32_t* const attributeOf = ids.attribute.data();
  const TimePoint sourceTime = view.envelope.sourceTime;
  std::optional<Reject> reject;
  try {
    reject = checkRecords(view.deferredRecords, view.deferredCount, view.strings, view.tableCache.flags, limits, now,
                          [&](std::uint32_t entity, std::uint32_t attribute, std::uint32_t, double value,
                              std::int64_t time) {
                            const std::uint32_t entityId = entityOf[entity];
                            const std::uint32_t attributeId = attributeOf[attribute];
                            if (entityId == kUnmapped || attributeId == kUnmapped) [[unlikely]] {
                              noteUnmapped(unmapped, entityId == kUnmapped ? UnmappedString{entity, false}
                                                                           : UnmappedString{attribute, true});
                              return;
                            }
                            *next++ = SampleUpdate{entityId, attributeId, time != kNoTimeWire ? time : sourceTime,
                                                   value};
                          });
  } catch (const std::bad_alloc&) {  // the unmapped list
    reject = outOfMemory();
  }
  if (reject) return rejectStatus(*reject, counters);
  return static_cast<std::size_t>(next - out.data());
}

Message materialiseMessage(MessageView&& view) {
  Message msg;
  msg.topic.assign(view.topic);
  msg.envelope = std::move(view.envelope);
  if (msg.envelope.encoding == PayloadEncoding::Json) {
    msg.updates = std::move(view.jsonUpdates);
    return msg;
  }
  msg.updates.reserve(view.records.size());
  for (const BinaryRecord& rec : view.records) {
    Update& u = msg.updates.emplace_back();
    u.entityId.assign(view.strings[rec.entity]);
    u.attribute.assign(view.strings[rec.attribute]);
    if (rec.unit != kNoStringIndex) u.unit.assign(view.strings[rec.unit]);
    u.value = rec.value;
    u.time = rec.time;
  }
  return msg;
}

Result<Message> decodeMessage(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                              std::span<const std::byte> payload, const DecodeLimits& limits, TimePoint now,
                              RejectCounters* counters) {
  MessageView view;
  if (Status s = decodeMessageView(topic, envelope, payload, limits, now, view, counters); !s.isOk()) return s;
  try {
    return materialiseMessage(std::move(view));
  } catch (const std::bad_alloc&) {
    return rejectStatus(outOfMemory(), counters);
  }
}

}  // namespace gt::connectors
