#include "greentwin/connectors/wire_protocol.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;

constexpr TimePoint kNow = 1'764'144'000'000'000;  // 2025-11-26T08:00:00Z

Message sampleMessage(std::size_t count) {
  Message m;
  m.topic = "air.station";
  m.envelope.publisherId = "sim-air-1";
  m.envelope.sequence = 42;
  m.envelope.sourceTime = kNow - 1'000'000;
  m.envelope.schemaId = "air.station";
  m.envelope.schemaVersion = 2;
  m.envelope.declaredInterval = 500'000;
  for (std::size_t i = 0; i < count; ++i) {
    Update u;
    u.entityId = "station-" + std::to_string(i % 997);
    u.attribute = (i % 3 == 0) ? "pm25" : (i % 3 == 1 ? "no2" : "o3");
    u.value = 0.5 * static_cast<double>(i) - 12.25;
    if (i % 2 == 0) u.unit = "ug/m3";
    if (i % 5 != 0) u.time = kNow - static_cast<TimePoint>(i);
    m.updates.push_back(u);
  }
  return m;
}

struct Decoded {
  Result<Message> result;
  RejectCounters counters;
};

Decoded decode(const WireFrames& f, const DecodeLimits& limits = {}) {
  RejectCounters c;
  auto r = decodeMessage(f.topic, f.envelope, f.payload, limits, kNow, &c);
  return {std::move(r), c};
}

Decoded decode(std::string_view topic, std::string_view envelope, std::string_view payload,
               const DecodeLimits& limits = {}) {
  RejectCounters c;
  auto r = decodeMessage(asBytes(topic), asBytes(envelope), asBytes(payload), limits, kNow, &c);
  return {std::move(r), c};
}

// Asserts the message was rejected for exactly `reason`, counted once, and the status names it.
void expectRejected(const Decoded& d, RejectReason reason) {
  ASSERT_FALSE(d.result.isOk()) << "expected rejection: " << toString(reason);
  EXPECT_EQ(d.counters.count(reason), 1u) << d.result.status().toString();
  EXPECT_EQ(d.counters.total(), 1u);
  ASSERT_TRUE(d.counters.last.has_value());
  EXPECT_EQ(*d.counters.last, reason);
  EXPECT_NE(d.result.status().message().find(toString(reason)), std::string::npos)
      << d.result.status().message();
}

std::string envelopeJson(const std::string& encoding = "json", const std::string& extra = "",
                         const std::string& v = "1", TimePoint ts = kNow) {
  return R"({"v":)" + v + R"(,"publisher":"p1","seq":7,"ts_us":)" + std::to_string(ts) +
         R"(,"schema":"air.station","schema_version":1,"encoding":")" + encoding + R"(","interval_s":1.5)" + extra +
         "}";
}

const std::string kGoodPayload = R"([{"entity":"s1","attribute":"pm25","value":35.5,"unit":"ug/m3"}])";

WireFrames binaryFrames(const Message& m) {
  auto r = encodeBinary(m);
  EXPECT_TRUE(r.isOk()) << r.status().toString();
  return std::move(r).value();
}

// ---------------------------------------------------------------- round trips

TEST(WireProtocol, JsonRoundTripOneUpdate) {
  const Message m = sampleMessage(1);
  auto frames = encodeJson(m);
  ASSERT_TRUE(frames.isOk()) << frames.status().toString();
  const auto d = decode(*frames);
  ASSERT_TRUE(d.result.isOk()) << d.result.status().toString();
  Message expected = m;
  expected.envelope.encoding = PayloadEncoding::Json;
  EXPECT_EQ(*d.result, expected);
  EXPECT_EQ(d.counters.total(), 0u);
}

TEST(WireProtocol, JsonRoundTripTenThousandUpdates) {
  const Message m = sampleMessage(10'000);
  auto frames = encodeJson(m);
  ASSERT_TRUE(frames.isOk());
  const auto d = decode(*frames);
  ASSERT_TRUE(d.result.isOk()) << d.result.status().toString();
  ASSERT_EQ(d.result->updates.size(), 10'000u);
  Message expected = m;
  expected.envelope.encoding = PayloadEncoding::Json;
  EXPECT_EQ(*d.result, expected);
}

TEST(WireProtocol, BinaryRoundTripOneUpdate) {
  const Message m = sampleMessage(1);
  const auto frames = binaryFrames(m);
  // header 16 + 3 strings ("station-0","pm25","ug/m3" with 2-byte lengths) + one 28-byte record
  EXPECT_EQ(frames.payload.size(), 16u + (2 + 9) + (2 + 4) + (2 + 5) + 28u);
  const auto d = decode(frames);
  ASSERT_TRUE(d.result.isOk()) << d.result.status().toString();
  Message expected = m;
  expected.envelope.encoding = PayloadEncoding::Binary;
  EXPECT_EQ(*d.result, expected);
}

TEST(WireProtocol, BinaryRoundTripTenThousandUpdates) {
  const Message m = sampleMessage(10'000);
  const auto frames = binaryFrames(m);
  // string table holds each distinct string once: far smaller than the JSON
  EXPECT_LT(frames.payload.size(), 16u + 1000u * 16u + 10'000u * 28u);
  const auto d = decode(frames);
  ASSERT_TRUE(d.result.isOk()) << d.result.status().toString();
  Message expected = m;
  expected.envelope.encoding = PayloadEncoding::Binary;
  EXPECT_EQ(*d.result, expected);
  EXPECT_EQ(d.result->envelope.declaredInterval, 500'000);
}

TEST(WireProtocol, BinaryHeaderBytesAreAsDocumented) {
  Message m = sampleMessage(0);
  m.updates.push_back({"e", "lon", 116.7, "", std::nullopt});
  const auto f = binaryFrames(m);
  ASSERT_EQ(f.payload.size(), 16u + 3u + 5u + 28u);
  const auto at = [&](std::size_t i) { return std::to_integer<unsigned>(f.payload[i]); };
  EXPECT_EQ(at(0), 'G');
  EXPECT_EQ(at(3), '1');
  EXPECT_EQ(at(4), 1u);   // version LE
  EXPECT_EQ(at(5), 0u);
  EXPECT_EQ(at(8), 2u);   // 2 strings
  EXPECT_EQ(at(12), 1u);  // 1 record
  EXPECT_EQ(at(16), 1u);  // len("e")
  EXPECT_EQ(at(18), 'e');
  const std::size_t rec = 16 + 3 + 5;
  EXPECT_EQ(at(rec + 0), 0u);     // entity index 0
  EXPECT_EQ(at(rec + 4), 1u);     // attribute index 1
  EXPECT_EQ(at(rec + 8), 0xFFu);  // no unit
  double v = 0;
  std::memcpy(&v, f.payload.data() + rec + 12, 8);
  EXPECT_EQ(v, 116.7);
  EXPECT_EQ(at(rec + 27), 0x80u);  // time INT64_MIN: absent
}

TEST(WireProtocol, ExtraDomainAccepted) {
  DecodeLimits limits;
  EXPECT_FALSE(decode("noise.sensor", envelopeJson(), kGoodPayload, limits).result.isOk());
  limits.extraDomains.push_back("noise");
  EXPECT_TRUE(decode("noise.sensor", envelopeJson(), kGoodPayload, limits).result.isOk());
}

TEST(WireProtocol, DuplicateSequenceIsNotDecidedHere) {
  const auto a = decode("air.station", envelopeJson(), kGoodPayload);
  const auto b = decode("air.station", envelopeJson(), kGoodPayload);
  EXPECT_TRUE(a.result.isOk());
  EXPECT_TRUE(b.result.isOk());
}

// ---------------------------------------------------------------- one test per reject reason

TEST(WireProtocolReject, Truncated) {
  expectRejected(decode("air.station", envelopeJson(), ""), RejectReason::Truncated);
  expectRejected(decode("", envelopeJson(), kGoodPayload), RejectReason::Truncated);
  expectRejected(decode("air.station", "", kGoodPayload), RejectReason::Truncated);
  // JSON cut short
  expectRejected(decode("air.station", envelopeJson(), kGoodPayload.substr(0, 20)), RejectReason::Truncated);
  // binary payload cut anywhere
  auto f = binaryFrames(sampleMessage(3));
  for (std::size_t cut : {std::size_t{1}, std::size_t{15}, std::size_t{17}, f.payload.size() - 1}) {
    WireFrames g = f;
    g.payload.resize(cut);
    expectRejected(decode(g), RejectReason::Truncated);
  }
}

TEST(WireProtocolReject, Oversize) {
  DecodeLimits limits;
  limits.maxPayloadBytes = 16;
  expectRejected(decode("air.station", envelopeJson(), kGoodPayload, limits), RejectReason::Oversize);
  DecodeLimits few;
  few.maxUpdates = 5;
  expectRejected(decode(binaryFrames(sampleMessage(6)), few), RejectReason::Oversize);
  auto json = encodeJson(sampleMessage(6));
  ASSERT_TRUE(json.isOk());
  expectRejected(decode(*json, few), RejectReason::Oversize);
  expectRejected(decode(std::string(300, 'a'), envelopeJson(), kGoodPayload), RejectReason::Oversize);
  // a binary header claiming 4 billion records is refused before anything is allocated
  auto f = binaryFrames(sampleMessage(1));
  f.payload[12] = f.payload[13] = f.payload[14] = f.payload[15] = std::byte{0xFF};
  expectRejected(decode(f), RejectReason::Oversize);
}

// A JSON payload's updates are counted before the document is built (a 16 MiB array of empty objects would cost
// about half a gigabyte to parse): an array over the cap is refused as Oversize even when what follows the cap is
// not even JSON — the decoder never read it. At or under the cap the usual checks speak.
TEST(WireProtocolReject, AJsonArrayOverTheUpdateCapIsRefusedBeforeItIsParsed) {
  DecodeLimits few;
  few.maxUpdates = 10;
  std::string overCap = "[";
  for (int i = 0; i < 11; ++i) overCap += "{},";
  overCap += "this is not JSON";
  const Decoded over = decode("air.station", envelopeJson(), overCap, few);
  expectRejected(over, RejectReason::Oversize);
  EXPECT_NE(over.result.status().message().find("more than 10 updates, limit 10"), std::string::npos)
      << over.result.status().message();
  std::string atCap = "[";
  for (int i = 0; i < 10; ++i) atCap += "{},";
  atCap += "this is not JSON";
  expectRejected(decode("air.station", envelopeJson(), atCap, few), RejectReason::MalformedJson);
  // Nested arrays and objects count once, as the element they are in.
  const std::string nested = R"([{"a":[1,2,3,4,5,6,7,8,9,10,11,12]},{"b":{"c":[{},{},{},{},{},{},{},{},{},{},{},{}]}}])";
  expectRejected(decode("air.station", envelopeJson(), nested, few), RejectReason::MalformedJson);  // 2 updates
  expectRejected(decode("air.station", envelopeJson(), R"({"not":"an array"})", few), RejectReason::MalformedJson);
}

TEST(WireProtocolReject, WrongVersion) {
  expectRejected(decode("air.station", envelopeJson("json", "", "2"), kGoodPayload), RejectReason::WrongVersion);
  expectRejected(decode("air.station", envelopeJson("json", "", "0"), kGoodPayload), RejectReason::WrongVersion);
  auto f = binaryFrames(sampleMessage(2));
  f.payload[4] = std::byte{2};
  expectRejected(decode(f), RejectReason::WrongVersion);
}

TEST(WireProtocolReject, UnknownEncoding) {
  expectRejected(decode("air.station", envelopeJson("msgpack"), kGoodPayload), RejectReason::UnknownEncoding);
}

TEST(WireProtocolReject, InvalidUtf8) {
  expectRejected(decode("air.station", envelopeJson(),
                        "[{\"entity\":\"s\xC3\x28\",\"attribute\":\"pm25\",\"value\":1}]"),
                 RejectReason::InvalidUtf8);
  expectRejected(decode("air.st\xFF", envelopeJson(), kGoodPayload), RejectReason::InvalidUtf8);
  // overlong encoding of '/', and a UTF-16 surrogate encoded as UTF-8
  expectRejected(decode("air.station", envelopeJson("json", ",\"x\":\"\xC0\xAF\""), kGoodPayload),
                 RejectReason::InvalidUtf8);
  expectRejected(decode("air.station", envelopeJson("json", ",\"x\":\"\xED\xA0\x80\""), kGoodPayload),
                 RejectReason::InvalidUtf8);
  // binary string table entry
  Message m = sampleMessage(0);
  m.updates.push_back({"ab", "pm25", 1.0, "", std::nullopt});
  auto f = binaryFrames(m);
  f.payload[18] = std::byte{0xFE};  // first byte of "ab"
  expectRejected(decode(f), RejectReason::InvalidUtf8);
  EXPECT_TRUE(isValidUtf8(asBytes("\xE5\x8C\x97\xE4\xBA\xAC")));  // 北京
}

TEST(WireProtocolReject, NonFiniteValue) {
  expectRejected(decode("air.station", envelopeJson(), R"([{"entity":"s","attribute":"a","value":null}])"),
                 RejectReason::NonFiniteValue);
  expectRejected(decode("air.station", envelopeJson(), R"([{"entity":"s","attribute":"a","value":"NaN"}])"),
                 RejectReason::NonFiniteValue);
  expectRejected(decode("air.station", envelopeJson(), R"([{"entity":"s","attribute":"a","value":1e999}])"),
                 RejectReason::NonFiniteValue);
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                     -std::numeric_limits<double>::infinity()}) {
    Message m = sampleMessage(3);
    m.updates[1].value = bad;
    expectRejected(decode(binaryFrames(m)), RejectReason::NonFiniteValue);
    auto j = encodeJson(m);
    ASSERT_TRUE(j.isOk());
    expectRejected(decode(*j), RejectReason::NonFiniteValue);
  }
}

TEST(WireProtocolReject, CoordinateOutOfRange) {
  // Inside the district: fine. 16.72 for 116.72 (a typo) and a latitude in the wrong hemisphere: rejected.
  EXPECT_TRUE(decode("traffic.bus", envelopeJson(),
                     R"([{"entity":"bus-1","attribute":"lon","value":116.72},)"
                     R"({"entity":"bus-1","attribute":"lat","value":39.86}])")
                  .result.isOk());
  expectRejected(decode("traffic.bus", envelopeJson(), R"([{"entity":"bus-1","attribute":"lon","value":16.72}])"),
                 RejectReason::CoordinateOutOfRange);
  Message m = sampleMessage(0);
  m.updates.push_back({"bus-1", "lat", -39.86, "deg", std::nullopt});
  expectRejected(decode(binaryFrames(m)), RejectReason::CoordinateOutOfRange);
  // the margin counts: just outside the box but inside the margin is accepted
  DecodeLimits limits;
  m.updates[0].value = limits.district.north + limits.coordinateMarginDeg / 2;
  EXPECT_TRUE(decode(binaryFrames(m), limits).result.isOk());
}

TEST(WireProtocolReject, UnknownTopic) {
  expectRejected(decode("weather.station", envelopeJson(), kGoodPayload), RejectReason::UnknownTopic);
  expectRejected(decode("air..station", envelopeJson(), kGoodPayload), RejectReason::UnknownTopic);
  expectRejected(decode("Air.station", envelopeJson(), kGoodPayload), RejectReason::UnknownTopic);
  expectRejected(decode("air.station.", envelopeJson(), kGoodPayload), RejectReason::UnknownTopic);
  expectRejected(decode(std::string_view("air\0x", 5), envelopeJson(), kGoodPayload), RejectReason::UnknownTopic);
  EXPECT_TRUE(decode("energy.building.pv_1", envelopeJson(), kGoodPayload).result.isOk());
  EXPECT_TRUE(decode("sim", envelopeJson(), kGoodPayload).result.isOk());
}

TEST(WireProtocolReject, FutureTimestamp) {
  const DecodeLimits limits;
  expectRejected(decode("air.station", envelopeJson("json", "", "1", kNow + limits.maxClockSkew + 1), kGoodPayload),
                 RejectReason::FutureTimestamp);
  EXPECT_TRUE(decode("air.station", envelopeJson("json", "", "1", kNow + limits.maxClockSkew), kGoodPayload)
                  .result.isOk());
  Message m = sampleMessage(2);
  m.updates[1].time = kNow + 3600 * kMicrosPerSecond;
  expectRejected(decode(binaryFrames(m)), RejectReason::FutureTimestamp);
  expectRejected(decode("air.station", envelopeJson(),
                        R"([{"entity":"s","attribute":"a","value":1,"time_us":9000000000000000000}])"),
                 RejectReason::FutureTimestamp);
}

TEST(WireProtocolReject, MalformedJson) {
  expectRejected(decode("air.station", envelopeJson(), "[{]"), RejectReason::MalformedJson);
  expectRejected(decode("air.station", "not json", kGoodPayload), RejectReason::MalformedJson);
  expectRejected(decode("air.station", "[1,2]", kGoodPayload), RejectReason::MalformedJson);
  expectRejected(decode("air.station", envelopeJson(), R"({"updates":[]})"), RejectReason::MalformedJson);
  expectRejected(decode("air.station", envelopeJson(), R"([{"entity":"s","value":1}])"),
                 RejectReason::MalformedJson);
  expectRejected(decode("air.station", envelopeJson(), R"([{"entity":"s","attribute":"a","value":"12"}])"),
                 RejectReason::MalformedJson);
  expectRejected(decode("air.station", envelopeJson(), R"([{"entity":"s","attribute":"a","value":1,"time_us":1.5}])"),
                 RejectReason::MalformedJson);
  // envelope fields
  expectRejected(decode("air.station", R"({"v":1,"encoding":"json"})", kGoodPayload), RejectReason::MalformedJson);
  expectRejected(decode("air.station", R"({"publisher":"p","encoding":"json"})", kGoodPayload),
                 RejectReason::MalformedJson);
  const std::string negSeq = R"({"v":1,"publisher":"p","seq":-1,"ts_us":0,"schema":"s","encoding":"json","interval_s":1})";
  expectRejected(decode("air.station", negSeq, kGoodPayload), RejectReason::MalformedJson);
  const std::string zeroInterval = R"({"v":1,"publisher":"p","seq":1,"ts_us":0,"schema":"s","encoding":"json","interval_s":0})";
  expectRejected(decode("air.station", zeroInterval, kGoodPayload), RejectReason::MalformedJson);
  // deep nesting does not crash
  expectRejected(decode("air.station", envelopeJson(), std::string(100'000, '[') + std::string(100'000, ']')),
                 RejectReason::MalformedJson);
}

TEST(WireProtocolReject, BadBinaryLayout) {
  const auto good = binaryFrames(sampleMessage(4));
  {
    auto f = good;
    f.payload[0] = std::byte{'X'};
    expectRejected(decode(f), RejectReason::BadBinaryLayout);
  }
  {
    auto f = good;
    f.payload[6] = std::byte{1};  // reserved flags
    expectRejected(decode(f), RejectReason::BadBinaryLayout);
  }
  {
    auto f = good;
    f.payload.push_back(std::byte{0});  // trailing byte
    expectRejected(decode(f), RejectReason::BadBinaryLayout);
  }
  {
    auto f = good;
    const std::size_t rec = f.payload.size() - 28;
    f.payload[rec + 3] = std::byte{0x7F};  // entity index far out of range
    expectRejected(decode(f), RejectReason::BadBinaryLayout);
  }
  {
    // a JSON payload sent with encoding "binary"
    expectRejected(decode("air.station", envelopeJson("binary"), kGoodPayload + std::string(16, ' ')),
                   RejectReason::BadBinaryLayout);
  }
}

TEST(WireProtocolReject, NoCountersStillReturnsError) {
  const auto r = decodeMessage(asBytes("air.station"), asBytes(""), asBytes(kGoodPayload), {}, kNow);
  ASSERT_FALSE(r.isOk());
  EXPECT_EQ(r.status().code(), ErrorCode::ParseError);
}

TEST(WireProtocolReject, EveryReasonHasAName) {
  for (std::size_t i = 0; i < kRejectReasonCount; ++i)
    EXPECT_STRNE(toString(static_cast<RejectReason>(i)), "unknown");
}

// ---------------------------------------------------------------- view decoding

// decodeMessageView must accept, reject and count exactly what decodeMessage does, with the same status.
void expectSameVerdict(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                       std::span<const std::byte> payload, const DecodeLimits& limits = {},
                       const std::string& what = "") {
  RejectCounters a;
  RejectCounters b;
  const Result<Message> full = decodeMessage(topic, envelope, payload, limits, kNow, &a);
  MessageView view;
  view.strings.push_back("stale");  // a reused view: old contents must not leak into the result
  const Status s = decodeMessageView(topic, envelope, payload, limits, kNow, view, &b);
  ASSERT_EQ(full.isOk(), s.isOk()) << what << " " << s.toString();
  EXPECT_EQ(a.counts, b.counts) << what;
  EXPECT_EQ(a.last, b.last) << what;
  // The ingest's path: a view reused from case to case (so the string-table cache is hit whenever consecutive
  // cases share a table), records deferred, then checked and mapped in one pass.
  static MessageView reused;
  static std::vector<SampleUpdate> samples;
  static std::vector<UnmappedString> unmapped;
  RejectCounters c;
  Status deferred = decodeMessageView(topic, envelope, payload, limits, kNow, reused, &c, BinaryRecords::Defer);
  std::vector<std::uint32_t> entityOf(reused.strings.size(), kUnmapped);
  std::vector<std::uint32_t> attributeOf(reused.strings.size(), kUnmapped);
  std::size_t written = 0;
  if (deferred.isOk() && reused.envelope.encoding == PayloadEncoding::Binary) {
    for (std::size_t i = 0; i < reused.strings.size(); ++i) {  // an arbitrary map with holes
      if (reused.strings[i].size() % 2 == 0) entityOf[i] = static_cast<std::uint32_t>(i);
      if (i % 3 != 0) attributeOf[i] = static_cast<std::uint32_t>(1000 + i);
    }
    samples.resize(reused.deferredCount);
    const Result<std::size_t> n =
        decodeDeferredRecords(reused, limits, kNow, StringIdMap{entityOf, attributeOf}, samples, unmapped, &c);
    deferred = n.isOk() ? Status::ok() : n.status();
    written = n.isOk() ? *n : 0;
  }
  ASSERT_EQ(full.isOk(), deferred.isOk()) << what << " (deferred) " << deferred.toString();
  EXPECT_EQ(a.counts, c.counts) << what << " (deferred)";
  if (full.isOk()) {
    if (reused.envelope.encoding == PayloadEncoding::Binary) {
      EXPECT_EQ(reused.strings, view.strings) << what;
      std::size_t next = 0;
      std::size_t nextUnmapped = 0;
      for (const BinaryRecord& r : view.records) {
        if (entityOf[r.entity] == kUnmapped || attributeOf[r.attribute] == kUnmapped) {
          ASSERT_LT(nextUnmapped, unmapped.size()) << what;
          const UnmappedString expected =
              entityOf[r.entity] == kUnmapped ? UnmappedString{r.entity, false} : UnmappedString{r.attribute, true};
          EXPECT_EQ(unmapped[nextUnmapped++], expected) << what;
          continue;
        }
        ASSERT_LT(next, written) << what;
        const SampleUpdate& sample = samples[next++];
        EXPECT_EQ(sample.entity, entityOf[r.entity]) << what;
        EXPECT_EQ(sample.attribute, attributeOf[r.attribute]) << what;
        EXPECT_EQ(sample.time, r.time.value_or(view.envelope.sourceTime)) << what;
        EXPECT_EQ(sample.value, r.value) << what;
      }
      EXPECT_EQ(next, written) << what;
      EXPECT_EQ(nextUnmapped, unmapped.size()) << what;
    }
    EXPECT_EQ(*full, materialiseMessage(std::move(view))) << what;
  } else {
    EXPECT_EQ(full.status().code(), s.code()) << what;
    EXPECT_EQ(full.status().message(), s.message()) << what;
    EXPECT_EQ(full.status().message(), deferred.message()) << what << " (deferred)";
  }
}
void expectSameVerdict(const WireFrames& f, const DecodeLimits& limits = {}, const std::string& what = "") {
  expectSameVerdict(f.topic, f.envelope, f.payload, limits, what);
}
void expectSameVerdict(std::string_view topic, std::string_view envelope, std::string_view payload,
                       const DecodeLimits& limits = {}, const std::string& what = "") {
  expectSameVerdict(asBytes(topic), asBytes(envelope), asBytes(payload), limits, what);
}

TEST(WireProtocolView, BinaryViewPointsIntoThePayloadFrame) {
  const Message m = sampleMessage(50);
  const WireFrames f = binaryFrames(m);
  MessageView view;
  ASSERT_TRUE(decodeMessageView(f.topic, f.envelope, f.payload, {}, kNow, view).isOk());
  EXPECT_EQ(view.topic, "air.station");
  EXPECT_EQ(view.envelope, [&] { Envelope e = m.envelope; e.encoding = PayloadEncoding::Binary; return e; }());
  ASSERT_EQ(view.records.size(), 50u);
  EXPECT_EQ(view.updateCount(), 50u);
  EXPECT_TRUE(view.jsonUpdates.empty());
  const auto* begin = reinterpret_cast<const char*>(f.payload.data());
  for (const std::string_view s : view.strings) {
    EXPECT_GE(s.data(), begin);
    EXPECT_LE(s.data() + s.size(), begin + f.payload.size());
  }
  for (std::size_t i = 0; i < 50; ++i) {
    const BinaryRecord& r = view.records[i];
    EXPECT_EQ(view.strings[r.entity], m.updates[i].entityId);
    EXPECT_EQ(view.strings[r.attribute], m.updates[i].attribute);
    EXPECT_EQ(r.unit == kNoStringIndex ? std::string_view() : view.strings[r.unit], m.updates[i].unit);
    EXPECT_EQ(r.value, m.updates[i].value);
    EXPECT_EQ(r.time, m.updates[i].time);
  }
  // Reused for a JSON message: the binary fields are emptied, the updates materialised.
  const WireFrames j = *encodeJson(sampleMessage(3));
  ASSERT_TRUE(decodeMessageView(j.topic, j.envelope, j.payload, {}, kNow, view).isOk());
  EXPECT_TRUE(view.strings.empty());
  EXPECT_TRUE(view.records.empty());
  EXPECT_EQ(view.jsonUpdates, sampleMessage(3).updates);
}

TEST(WireProtocolView, SameVerdictAsDecodeMessage) {
  // Accepted.
  expectSameVerdict(binaryFrames(sampleMessage(1)), {}, "binary 1");
  expectSameVerdict(binaryFrames(sampleMessage(1000)), {}, "binary 1000");
  expectSameVerdict(*encodeJson(sampleMessage(100)), {}, "json 100");
  expectSameVerdict(binaryFrames(sampleMessage(0)), {}, "binary empty");
  const auto good = binaryFrames(sampleMessage(4));
  // Every prefix of a binary payload, every single-byte corruption of its header and of its last record.
  for (std::size_t n = 0; n < good.payload.size(); ++n) {
    auto f = good;
    f.payload.resize(n);
    expectSameVerdict(f, {}, "prefix " + std::to_string(n));
  }
  for (std::size_t i = 0; i < good.payload.size(); ++i) {
    if (i >= 24 && i + 28 < good.payload.size()) continue;  // the string table and early records: sampled above
    for (const unsigned v : {0x00u, 0x01u, 0x7Fu, 0xC0u, 0xFFu}) {
      auto f = good;
      f.payload[i] = static_cast<std::byte>(v);
      expectSameVerdict(f, {}, "byte " + std::to_string(i) + "=" + std::to_string(v));
    }
  }
  {
    auto f = good;
    f.payload.push_back(std::byte{0});
    expectSameVerdict(f, {}, "trailing");
  }
  // Values and times the per-update checks reject.
  for (const double v : {std::nan(""), std::numeric_limits<double>::infinity(), 200.0}) {
    Message m = sampleMessage(3);
    m.updates[1].value = v;
    m.updates[1].attribute = "lon";
    expectSameVerdict(binaryFrames(m), {}, "value");
    expectSameVerdict(*encodeJson(m), {}, "json value");
  }
  {
    Message m = sampleMessage(3);
    m.updates[2].attribute = "lat";
    m.updates[2].value = 39.9;
    expectSameVerdict(binaryFrames(m), {}, "lat ok");
    m.updates[2].time = kNow + 3600 * kMicrosPerSecond;
    expectSameVerdict(binaryFrames(m), {}, "future update");
  }
  {
    DecodeLimits small;
    small.maxUpdates = 3;
    expectSameVerdict(good, small, "maxUpdates");
    small.maxPayloadBytes = 10;
    expectSameVerdict(good, small, "maxPayloadBytes");
  }
  // Topic, envelope and JSON cases of the reject tests.
  expectSameVerdict("", envelopeJson(), kGoodPayload, {}, "empty topic");
  expectSameVerdict("nope.x", envelopeJson(), kGoodPayload, {}, "unknown domain");
  expectSameVerdict("air.station", "", kGoodPayload, {}, "empty envelope");
  expectSameVerdict("air.station", envelopeJson("json", "", "2"), kGoodPayload, {}, "version");
  expectSameVerdict("air.station", envelopeJson("xml"), kGoodPayload, {}, "encoding");
  expectSameVerdict("air.station", envelopeJson("json", "", "1", kNow + 3600 * kMicrosPerSecond), kGoodPayload, {},
                    "future envelope");
  expectSameVerdict("air.station", envelopeJson(), "", {}, "empty payload");
  expectSameVerdict("air.station", envelopeJson(), kGoodPayload.substr(0, 20), {}, "json cut");
  expectSameVerdict("air.station", envelopeJson(), R"([{"entity":"s1","attribute":"pm25","value":null}])", {},
                    "json null");
  expectSameVerdict("air.station", envelopeJson("binary"), kGoodPayload + std::string(16, ' '), {}, "json as bin");
  expectSameVerdict("air.station", envelopeJson(), kGoodPayload, {}, "json good");
}

// The ingest reuses one view per thread; a payload repeating the previous string table byte for byte is compared,
// not parsed again, and the views are rebased onto the new frame.
TEST(WireProtocolView, ARepeatedStringTableIsRecognisedAndRebased) {
  MessageView view;
  Message m = sampleMessage(30);
  const WireFrames first = binaryFrames(m);
  ASSERT_TRUE(decodeMessageView(first.topic, first.envelope, first.payload, {}, kNow, view, nullptr,
                                BinaryRecords::Defer).isOk());
  EXPECT_EQ(view.deferredCount, 30u);
  EXPECT_TRUE(view.records.empty());
  const std::vector<std::string> firstStrings(view.strings.begin(), view.strings.end());
  const std::uint64_t generation = view.tableGeneration;

  // Same strings, other values and sequence: a new frame in other memory.
  m.envelope.sequence = 43;
  for (Update& u : m.updates) u.value += 1.0;
  const WireFrames second = binaryFrames(m);
  ASSERT_TRUE(decodeMessageView(second.topic, second.envelope, second.payload, {}, kNow, view, nullptr,
                                BinaryRecords::Defer).isOk());
  EXPECT_EQ(view.tableGeneration, generation);
  ASSERT_EQ(view.strings.size(), firstStrings.size());
  const auto* begin = reinterpret_cast<const char*>(second.payload.data());
  for (std::size_t i = 0; i < view.strings.size(); ++i) {
    EXPECT_EQ(view.strings[i], firstStrings[i]);
    EXPECT_GE(view.strings[i].data(), begin);  // into the second frame, not the first
    EXPECT_LE(view.strings[i].data() + view.strings[i].size(), begin + second.payload.size());
  }
  std::vector<std::uint32_t> ids(view.strings.size());
  for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<std::uint32_t>(i);
  std::vector<SampleUpdate> samples(30);
  std::vector<UnmappedString> unmapped;
  const Result<std::size_t> n = decodeDeferredRecords(view, {}, kNow, StringIdMap{ids, ids}, samples, unmapped);
  ASSERT_TRUE(n.isOk()) << n.status().toString();
  ASSERT_EQ(*n, 30u);
  EXPECT_TRUE(unmapped.empty());
  for (std::size_t i = 0; i < 30; ++i) {
    EXPECT_EQ(view.strings[samples[i].entity], m.updates[i].entityId);
    EXPECT_EQ(view.strings[samples[i].attribute], m.updates[i].attribute);
    EXPECT_EQ(samples[i].value, m.updates[i].value);
    EXPECT_EQ(samples[i].time, m.updates[i].time.value_or(m.envelope.sourceTime));
  }

  // One string changed: parsed afresh, a new generation.
  m.updates[7].entityId = "station-x";
  const WireFrames third = binaryFrames(m);
  ASSERT_TRUE(decodeMessageView(third.topic, third.envelope, third.payload, {}, kNow, view, nullptr,
                                BinaryRecords::Defer).isOk());
  EXPECT_NE(view.tableGeneration, generation);
  const std::uint64_t thirdGeneration = view.tableGeneration;
  EXPECT_NE(std::find(view.strings.begin(), view.strings.end(), "station-x"), view.strings.end());

  // A JSON message in between changes the generation, and the cached table still serves the next binary one.
  const WireFrames json = *encodeJson(sampleMessage(2));
  ASSERT_TRUE(decodeMessageView(json.topic, json.envelope, json.payload, {}, kNow, view, nullptr,
                                BinaryRecords::Defer).isOk());
  EXPECT_TRUE(view.strings.empty());
  EXPECT_NE(view.tableGeneration, thirdGeneration);
  ASSERT_TRUE(decodeMessageView(third.topic, third.envelope, third.payload, {}, kNow, view, nullptr,
                                BinaryRecords::Defer).isOk());
  EXPECT_EQ(view.strings.size(), firstStrings.size());

  // The same table followed by too few record bytes: still rejected as truncated.
  WireFrames cut = third;
  cut.payload.resize(cut.payload.size() - 5);
  RejectCounters counters;
  EXPECT_FALSE(decodeMessageView(cut.topic, cut.envelope, cut.payload, {}, kNow, view, &counters,
                                 BinaryRecords::Defer).isOk());
  EXPECT_EQ(counters.count(RejectReason::Truncated), 1u);

  // Too small a map or output is the caller's error, not a rejection.
  ASSERT_TRUE(decodeMessageView(third.topic, third.envelope, third.payload, {}, kNow, view, nullptr,
                                BinaryRecords::Defer).isOk());
  RejectCounters none;
  std::vector<std::uint32_t> shortMap(1, 0);
  EXPECT_EQ(decodeDeferredRecords(view, {}, kNow, StringIdMap{shortMap, shortMap}, samples, unmapped, &none)
                .status()
                .code(),
            ErrorCode::InvalidArgument);
  std::vector<SampleUpdate> tooSmall(3);
  std::vector<std::uint32_t> all(view.strings.size(), 0);
  EXPECT_EQ(decodeDeferredRecords(view, {}, kNow, StringIdMap{all, all}, tooSmall, unmapped, &none).status().code(),
            ErrorCode::InvalidArgument);
  EXPECT_EQ(none.total(), 0u);
}

TEST(WireProtocolView, SameVerdictOnFuzzRegressions) {
  const fs::path dir = fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/wire_protocol_regressions";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".") ||
        entry.path().extension() == ".md")
      continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    std::size_t topicLen = 0;
    std::size_t envLen = 0;
    if (data.size() >= 4) {
      topicLen = static_cast<unsigned char>(data[0]) | (static_cast<std::size_t>(static_cast<unsigned char>(data[1])) << 8);
      envLen = static_cast<unsigned char>(data[2]) | (static_cast<std::size_t>(static_cast<unsigned char>(data[3])) << 8);
    }
    const std::string_view rest = data.size() >= 4 ? std::string_view(data).substr(4) : std::string_view();
    topicLen = std::min(topicLen, rest.size());
    envLen = std::min(envLen, rest.size() - topicLen);
    expectSameVerdict(rest.substr(0, topicLen), rest.substr(topicLen, envLen), rest.substr(topicLen + envLen), {},
                      entry.path().string());
  }
}

// ---------------------------------------------------------------- fuzz regressions

// Inputs kept from fuzz runs (fuzz/wire_protocol_fuzz.cpp format: u16 topic length, u16 envelope length, topic,
// envelope, payload — all little-endian). Each must decode or be rejected, never crash.
TEST(WireProtocolRegressions, FuzzInputsDecodeWithoutCrashing) {
  const fs::path dir = fs::path(GT_TEST_SOURCE_DIR) / "tests/connectors/data/wire_protocol_regressions";
  ASSERT_TRUE(fs::is_directory(dir)) << dir;
  std::size_t files = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (!entry.is_regular_file() || entry.path().filename().string().starts_with(".") ||
        entry.path().extension() == ".md")
      continue;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++files;
    std::size_t topicLen = 0;
    std::size_t envLen = 0;
    if (data.size() >= 4) {
      topicLen = static_cast<unsigned char>(data[0]) | (static_cast<std::size_t>(static_cast<unsigned char>(data[1])) << 8);
      envLen = static_cast<unsigned char>(data[2]) | (static_cast<std::size_t>(static_cast<unsigned char>(data[3])) << 8);
    }
    const std::string_view rest = data.size() >= 4 ? std::string_view(data).substr(4) : std::string_view();
    topicLen = std::min(topicLen, rest.size());
    envLen = std::min(envLen, rest.size() - topicLen);
    RejectCounters c;
    const auto r = decodeMessage(asBytes(rest.substr(0, topicLen)), asBytes(rest.substr(topicLen, envLen)),
                                 asBytes(rest.substr(topicLen + envLen)), {}, kNow, &c);
    EXPECT_EQ(c.total(), r.isOk() ? 0u : 1u) << entry.path();
  }
  SUCCEED() << files << " regression inputs";
}

}  // namespace
}  // namespace gt::connectors
