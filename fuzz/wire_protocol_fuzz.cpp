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
// Besides "no crash, no out-of-bounds read, no exception", it checks: a rejection is counted exactly once, and
// an accepted message re-encoded (binary and JSON) decodes to the same message.

#include "greentwin/connectors/wire_protocol.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

using namespace gt::connectors;

namespace {

constexpr gt::TimePoint kNow = 1'764'144'000'000'000;

std::span<const std::byte> sv(const std::uint8_t* p, std::size_t n) {
  return {reinterpret_cast<const std::byte*>(p), n};
}

void check(bool ok) {
  if (!ok) std::abort();
}

void decodeAndCheck(std::span<const std::byte> topic, std::span<const std::byte> envelope,
                    std::span<const std::byte> payload) {
  DecodeLimits limits;
  limits.maxPayloadBytes = 1 << 20;
  limits.maxUpdates = 100'000;
  RejectCounters counters;
  auto r = decodeMessage(topic, envelope, payload, limits, kNow, &counters);
  check(counters.total() == (r.isOk() ? 0u : 1u));
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
