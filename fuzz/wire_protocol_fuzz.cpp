// libFuzzer target for the live-feed wire protocol decoder (connectors/src/wire_protocol.cpp).
//
// Input layout: byte 0 picks a mode, the rest is split as follows.
//   mode % 3 == 0: raw frames. u16 LE topic length, u16 LE envelope length, topic, envelope, payload (lengths are
//                  clamped to what is there). Regression files under tests/connectors/data/
//                  wire_protocol_regressions/ use this layout WITHOUT the mode byte.
//   mode % 3 == 1: a valid topic and a valid "binary" envelope; the rest is the payload.
//   mode % 3 == 2: a valid topic and a valid "json" envelope; the rest is the payload.
// Modes 1 and 2 let the fuzzer reach the payload decoders without first having to invent a valid envelope.
//
// Besides "no crash, no out-of-bounds read, no exception", it checks: a rejection is counted exactly once, an
// accepted message re-encoded (binary and JSON) decodes to the same message, and the ingest's path (a view with
// BinaryRecords::Defer, reused across inputs as the ingest reuses it, then decodeDeferredRecords) accepts and
// rejects exactly what decodeMessage does, with the same message, and writes the samples the records map to.

#include "greentwin/connectors/wire_protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string_view>
#include <vector>

using namespace gt::connectors;

namespace {

constexpr gt::TimePoint kNow = 1'764'144'000'000'000;

std::span<const std::byte> sv(const std::uint8_t* p, std::size_t n) {
  return {reinterpret_cast<const std::byte*>(p), n};
}

void check(bool ok) {
  if (!ok) std::abort();
}

// The ingest's decode of the same frames must agree with decodeMessage (`expected`).
void checkDeferredPath(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                       std::span<const std::byte> payload, const DecodeLimits& limits, const gt::Status& expected) {
  static MessageView deferred;  // reused across inputs, as the ingest thread reuses its view
  static std::vector<gt::SampleUpdate> samples;
  static std::vector<UnmappedString> unmapped;
  RejectCounters counters;
  gt::Status status = decodeMessageView(topic, envelope, payload, limits, kNow, deferred, &counters,
                                        BinaryRecords::Defer);
  if (status.isOk() && deferred.envelope.encoding == PayloadEncoding::Binary) {
    // An arbitrary map: strings of even length are entities, every third string is not an attribute.
    std::vector<std::uint32_t> entityOf(deferred.strings.size(), kUnmapped);
    std::vector<std::uint32_t> attributeOf(deferred.strings.size(), kUnmapped);
    for (std::size_t i = 0; i < deferred.strings.size(); ++i) {
      if (deferred.strings[i].size() % 2 == 0) entityOf[i] = static_cast<std::uint32_t>(i);
      if (i % 3 != 0) attributeOf[i] = static_cast<std::uint32_t>(1000 + i);
    }
    samples.resize(deferred.deferredCount);
    auto written = decodeDeferredRecords(deferred, limits, kNow, StringIdMap{entityOf, attributeOf}, samples,
                                         unmapped, &counters);
    status = written.isOk() ? gt::Status::ok() : written.status();
    if (written.isOk()) {
      // The same records decoded the other way, mapped by hand.
      MessageView plain;
      check(decodeMessageView(topic, envelope, payload, limits, kNow, plain).isOk());
      check(plain.strings == deferred.strings);
      std::size_t next = 0;
      std::size_t nextUnmapped = 0;
      for (const BinaryRecord& r : plain.records) {
        if (entityOf[r.entity] == kUnmapped || attributeOf[r.attribute] == kUnmapped) {
          check(nextUnmapped < unmapped.size());
          const UnmappedString& u = unmapped[nextUnmapped++];
          check(entityOf[r.entity] == kUnmapped ? u == UnmappedString{r.entity, false}
                                                : u == UnmappedString{r.attribute, true});
          continue;
        }
        check(next < *written);
        const gt::SampleUpdate& s = samples[next++];
        check(s.entity == entityOf[r.entity] && s.attribute == attributeOf[r.attribute]);
        check(s.time == r.time.value_or(plain.envelope.sourceTime));
        check(std::memcmp(&s.value, &r.value, sizeof s.value) == 0);
      }
      check(next == *written && nextUnmapped == unmapped.size());
    }
  }
  check(status.isOk() == expected.isOk());
  check(status.message() == expected.message());
  check(counters.total() == (status.isOk() ? 0u : 1u));
}

void decodeAndCheck(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                    std::span<const std::byte> payload) {
  DecodeLimits limits;
  limits.maxPayloadBytes = 1 << 20;
  limits.maxUpdates = 100'000;
  RejectCounters counters;
  auto r = decodeMessage(topic, envelope, payload, limits, kNow, &counters);
  check(counters.total() == (r.isOk() ? 0u : 1u));
  checkDeferredPath(topic, envelope, payload, limits, r.isOk() ? gt::Status::ok() : r.status());
  if (!r.isOk()) return;
  const Message& m = *r;
  for (auto encode : {&encodeBinary, &encodeJson}) {
    auto frames = encode(m);
    if (!frames.isOk()) continue;  // e.g. a string over 65535 bytes cannot go binary
    auto again = decodeMessage(frames->topic, frames->envelope, frames->payload, limits, kNow);
    check(again.isOk());
    Message expected = m;
    expected.envelope.encoding = again->envelope.encoding;
    check(*again == expected);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const unsigned mode = data[0] % 3;
  ++data;
  --size;
  if (mode == 0) {
    if (size < 4) {
      decodeAndCheck(sv(data, size), {}, {});
      return 0;
    }
    std::size_t topicLen = data[0] | (std::size_t{data[1]} << 8);
    std::size_t envLen = data[2] | (std::size_t{data[3]} << 8);
    data += 4;
    size -= 4;
    if (topicLen > size) topicLen = size;
    if (envLen > size - topicLen) envLen = size - topicLen;
    decodeAndCheck(sv(data, topicLen), sv(data + topicLen, envLen), sv(data + topicLen + envLen,
                                                                        size - topicLen - envLen));
    return 0;
  }
  static constexpr std::string_view kTopic = "traffic.link";
  static constexpr std::string_view kBinaryEnvelope =
      R"({"v":1,"publisher":"fuzz","seq":1,"ts_us":1764144000000000,"schema":"traffic.link",)"
      R"("schema_version":1,"encoding":"binary","interval_s":1})";
  static constexpr std::string_view kJsonEnvelope =
      R"({"v":1,"publisher":"fuzz","seq":1,"ts_us":1764144000000000,"schema":"traffic.link",)"
      R"("schema_version":1,"encoding":"json","interval_s":1})";
  decodeAndCheck(asBytes(kTopic), asBytes(mode == 1 ? kBinaryEnvelope : kJsonEnvelope), sv(data, size));
  return 0;
}
