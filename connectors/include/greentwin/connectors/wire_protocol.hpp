#pragma once
// The live-feed wire protocol, version 1 (docs/protocol.md, docs/protocol.schema.json): one ZeroMQ multipart
// message is three frames [topic][envelope][payload]. This is the codec only — no sockets, no per-publisher state.
//
// decodeMessage() never throws, never reads outside the spans it is given and rejects bad input with one
// RejectReason, counted in the caller's RejectCounters. Duplicate or old sequence numbers are NOT decided here:
// that needs per-publisher state, so the ingest side (which keeps the last sequence per publisher) counts them.
// Runs on any thread; the functions share no state.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"
#include "greentwin/core/time_series.hpp"

namespace gt::connectors {

inline constexpr int kWireProtocolVersion = 1;

// Domains a topic's first dotted segment may name. DecodeLimits::extraDomains adds more (a plugin's own domain)
// without touching this list; see docs/protocol.md "Topics".
inline constexpr std::array<std::string_view, 7> kKnownDomains = {"air",    "energy", "traffic", "forest",
                                                                  "water",  "carbon", "sim"};

enum class PayloadEncoding : std::uint8_t { Json, Binary };
const char* toString(PayloadEncoding encoding);  // "json", "binary"

struct Envelope {
  std::string publisherId;       // who sent it; sequence numbers count per publisher
  std::uint64_t sequence = 0;    // +1 per message from this publisher
  TimePoint sourceTime = 0;      // µs since the epoch (UTC), when the publisher produced the message
  std::string schemaId;          // what the payload means, e.g. "air.station"
  std::uint32_t schemaVersion = 1;
  PayloadEncoding encoding = PayloadEncoding::Json;
  Duration declaredInterval = kMicrosPerSecond;  // expected time between messages (STALE after twice this)
  friend bool operator==(const Envelope&, const Envelope&) = default;
};

struct Update {
  std::string entityId;
  std::string attribute;
  double value = 0.0;
  std::string unit;                 // empty: none given
  std::optional<TimePoint> time;    // absent: the envelope's sourceTime
  friend bool operator==(const Update&, const Update&) = default;
};

struct Message {
  std::string topic;  // e.g. "air.station"
  Envelope envelope;
  std::vector<Update> updates;
  friend bool operator==(const Message&, const Message&) = default;
};

// The three frames of one multipart message, ready to send.
struct WireFrames {
  std::vector<std::byte> topic;
  std::vector<std::byte> envelope;
  std::vector<std::byte> payload;
};

// Longitude/latitude box in degrees.
struct GeoBounds {
  double west = 0.0;
  double south = 0.0;
  double east = 0.0;
  double north = 0.0;
};

struct DecodeLimits {
  std::size_t maxTopicBytes = 255;
  std::size_t maxEnvelopeBytes = 4096;
  std::size_t maxPayloadBytes = std::size_t{16} << 20;  // matches the socket's ZMQ_MAXMSGSIZE
  std::size_t maxUpdates = 1'000'000;                   // per message
  Duration maxClockSkew = 5 * kMicrosPerSecond;         // source or update time > now + this is rejected
  // The ingest caps a message's declared interval (envelope interval_s, up to a week by the protocol) at this: a
  // publisher's values read LIVE for 2x the interval, so an uncapped week would keep a forged value live for two.
  // Not a decode check (the message is accepted): MessageIngest applies it. 1 h by default.
  Duration maxDeclaredInterval = 3600 * kMicrosPerSecond;
  // Updates whose attribute is "lon" or "lat" must lie inside this box grown by coordinateMarginDeg.
  // Default: the Tongzhou district (Beijing city sub-center) with room to spare.
  GeoBounds district{116.50, 39.60, 117.10, 40.05};
  double coordinateMarginDeg = 0.05;
  std::vector<std::string> extraDomains;  // domains accepted besides kKnownDomains
};

// Why a message was rejected. One reason per rejected message, the first check that failed.
enum class RejectReason : std::uint8_t {
  Truncated,             // an empty frame, or a payload shorter than its own declared sizes
  Oversize,              // a frame over its limit, or more updates than limits.maxUpdates
  WrongVersion,          // protocol version (envelope "v", binary header) other than kWireProtocolVersion
  UnknownEncoding,       // envelope "encoding" neither "json" nor "binary"
  InvalidUtf8,           // a text frame or string that is not well-formed UTF-8
  NonFiniteValue,        // NaN or ±Inf (JSON: null, "NaN", "Infinity", or a number that overflows)
  CoordinateOutOfRange,  // a lon/lat update outside limits.district + margin
  UnknownTopic,          // topic not "<domain>(.<segment>)*" or its domain unknown
  FutureTimestamp,       // source or update time > now + limits.maxClockSkew
  MalformedJson,         // not JSON, or a field missing / of the wrong type / out of its range
  BadBinaryLayout,       // bad magic, reserved bits set, an index out of range, trailing bytes
};
inline constexpr std::size_t kRejectReasonCount = 11;
const char* toString(RejectReason reason);  // "truncated", "oversize", ...

// Owned by the caller (one per connector); not thread-safe — one decoding thread per instance.
struct RejectCounters {
  std::array<std::uint64_t, kRejectReasonCount> counts{};
  std::optional<RejectReason> last;  // the most recent reason counted

  void add(RejectReason reason);
  std::uint64_t count(RejectReason reason) const { return counts[static_cast<std::size_t>(reason)]; }
  std::uint64_t total() const;
};

// Decodes and validates one message. On rejection returns an error Status whose message starts with
// "<reason>: " (toString(RejectReason)) and, when counters is given, counts the reason there.
// `now` is the receiver's wall clock, for the far-future check.
Result<Message> decodeMessage(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                              std::span<const std::byte> payload, const DecodeLimits& limits, TimePoint now,
                              RejectCounters* counters = nullptr);

// ---- view decoding (the allocation-free hot path for binary payloads) ----
//
// decodeMessageView() runs exactly the checks of decodeMessage() (decodeMessage is decodeMessageView followed by
// materialiseMessage) and accepts / rejects / counts exactly the same inputs. For a BINARY payload it does not copy
// strings: `strings` is the payload's string table as views INTO THE PAYLOAD FRAME, and each record names its
// entity / attribute / unit by index into that table. The views (and `topic`) are valid only while the three
// frames passed in are alive and unchanged. For a JSON payload the updates are materialised into `jsonUpdates`
// (strings, records stay empty). Reuse one MessageView per decoding thread: its vectors keep their capacity, so a
// steady stream of binary messages decodes without allocating (the envelope's JSON parse aside).

inline constexpr std::uint32_t kNoStringIndex = 0xFFFFFFFFu;  // BinaryRecord::unit when no unit is given

struct BinaryRecord {
  std::uint32_t entity = 0;                // index into MessageView::strings (non-empty string)
  std::uint32_t attribute = 0;             // index into MessageView::strings (non-empty string)
  std::uint32_t unit = kNoStringIndex;     // index into MessageView::strings, or kNoStringIndex
  double value = 0.0;
  std::optional<TimePoint> time;           // absent: the envelope's sourceTime
};

struct MessageView {
  std::string_view topic;                  // view into the topic frame
  Envelope envelope;                       // owned (small)
  std::vector<std::string_view> strings;   // binary: the string table, views into the payload frame
  std::vector<BinaryRecord> records;       // binary: one per update, in wire order (empty when deferred)
  std::vector<Update> jsonUpdates;         // JSON: the materialised updates
  // Binary decoded with BinaryRecords::Defer: the N x 28 record bytes, a view into the payload frame, their
  // count checked against the frame and their content not yet (decodeDeferredRecords does that).
  std::span<const std::byte> deferredRecords;
  std::uint32_t deferredCount = 0;
  // Changes whenever `strings` may describe a different table than after the previous decode through this view
  // (a table parsed afresh, a JSON payload, a rejection). Equal values: the same strings, in the same order.
  std::uint64_t tableGeneration = 0;

  // Kept between decodes through this view: the last binary string table as it was on the wire, so a payload
  // that repeats it byte for byte (the usual case: the same entities in every message) is compared, not parsed
  // and validated again. Internal to the decoder.
  struct TableCache {
    std::vector<std::byte> bytes;        // length prefixes and text, as on the wire
    std::vector<std::uint32_t> ends;     // per string: offset in `bytes` just past its text
    std::vector<std::uint8_t> flags;     // per string: what the record checks need to know of it
    bool valid = false;
  } tableCache;

  std::size_t updateCount() const {
    if (envelope.encoding != PayloadEncoding::Binary) return jsonUpdates.size();
    return deferredCount != 0 ? deferredCount : records.size();
  }
};

// Decode: every check, records into MessageView::records. Defer (the ingest's hot path): every check up to the
// records; decodeDeferredRecords() then checks the records and writes them straight into samples.
enum class BinaryRecords : std::uint8_t { Decode, Defer };

// On success fills `out` (every field overwritten; previous contents dropped) and returns ok. On rejection
// returns the same Status decodeMessage would and counts the reason in counters; `out` is then unspecified.
Status decodeMessageView(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                         std::span<const std::byte> payload, const DecodeLimits& limits, TimePoint now,
                         MessageView& out, RejectCounters* counters = nullptr,
                         BinaryRecords binaryRecords = BinaryRecords::Decode);

// ---- decoding binary records straight into samples (the ingest's hot path) ----
//
// A view decoded with BinaryRecords::Defer, then decodeDeferredRecords() with the same limits and `now`, accepts,
// rejects and counts exactly the inputs decodeMessageView() does (the same record checks in the same order, the
// same first failing record and message): the fuzz target compares the two on every input. Instead of records
// it writes one SampleUpdate per record, in wire order, with the caller's ids for the record's strings.

inline constexpr std::uint32_t kUnmapped = 0xFFFFFFFFu;

// Per string-table index, the id a record naming that string as its entity / attribute gets, or kUnmapped.
struct StringIdMap {
  std::span<const std::uint32_t> entity;
  std::span<const std::uint32_t> attribute;
};

// A record left out because its entity (attribute false) or attribute (true) string is unmapped; an unmapped
// entity is reported before the attribute is looked at.
struct UnmappedString {
  std::uint32_t string = 0;  // index into MessageView::strings
  bool attribute = false;
  friend bool operator==(const UnmappedString&, const UnmappedString&) = default;
};

// Returns the number of samples written to the front of `out` (which needs room for view.deferredCount); the
// records left out are listed in `unmapped` (cleared first), one entry per record. The sample time is the
// record's time, or the envelope's sourceTime when it has none. On rejection returns the Status
// decodeMessageView would have returned and counts the reason; `out` and `unmapped` are then unspecified.
// InvalidArgument (not counted) for a map shorter than the string table or too small an `out`.
Result<std::size_t> decodeDeferredRecords(const MessageView& view, const DecodeLimits& limits, TimePoint now,
                                          const StringIdMap& ids, std::span<SampleUpdate> out,
                                          std::vector<UnmappedString>& unmapped, RejectCounters* counters = nullptr);

// The owning Message of a successfully decoded view (moves jsonUpdates out of `view`).
Message materialiseMessage(MessageView&& view);

// Encoders: message.envelope.encoding is ignored and set from the function. They fail (InvalidArgument) on
// text that is not UTF-8, and encodeBinary also on a string longer than 65535 bytes or more than 2^32-1
// strings/records. They do not validate values: a NaN is encoded (JSON: null) and rejected by the decoder.
Result<WireFrames> encodeJson(const Message& message);
Result<WireFrames> encodeBinary(const Message& message);

// Helpers for tests and tools.
std::span<const std::byte> asBytes(std::string_view text);
bool isValidUtf8(std::span<const std::byte> bytes);

}  // namespace gt::connectors
