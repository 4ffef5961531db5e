// Live-feed wire protocol v1 encoders (the decoder: wire_protocol.cpp): what publishers, the simulator, the tests
// and the benchmarks send. Layout and rules: docs/protocol.md. nlohmann::json throws, so every call into it sits
// inside a try block and nothing escapes.

#include <nlohmann/json.hpp>

#include <bit>
#include <cstring>
#include <string>
#include <unordered_map>
#include <vector>

#include "greentwin/connectors/wire_protocol.hpp"
#include "wire_format.hpp"

namespace gt::connectors {
namespace {

using json = nlohmann::json;
using detail::kBinaryHeaderSize;
using detail::kBinaryMagic;
using detail::kBinaryRecordSize;
using detail::kNoTimeWire;
using detail::kNoUnit;

void putU16(std::vector<std::byte>& out, std::uint16_t v) {
  out.push_back(static_cast<std::byte>(v & 0xFF));
  out.push_back(static_cast<std::byte>(v >> 8));
}
template <typename T>
void putLittleEndian(std::vector<std::byte>& out, T v) {
  if constexpr (std::endian::native == std::endian::big) {
    for (std::size_t i = 0; i < sizeof v; ++i) out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xFF));
  } else {
    const std::size_t at = out.size();
    out.resize(at + sizeof v);
    std::memcpy(out.data() + at, &v, sizeof v);
  }
}
void putU32(std::vector<std::byte>& out, std::uint32_t v) { putLittleEndian(out, v); }
void putU64(std::vector<std::byte>& out, std::uint64_t v) { putLittleEndian(out, v); }

std::vector<std::byte> toBytes(std::string_view s) {
  const auto b = asBytes(s);
  return {b.begin(), b.end()};
}


std::vector<std::byte> encodeEnvelope(const Envelope& env, PayloadEncoding encoding) {
  json j = json::object();
  j["v"] = kWireProtocolVersion;
  j["publisher"] = env.publisherId;
  j["seq"] = env.sequence;
  j["ts_us"] = env.sourceTime;
  j["schema"] = env.schemaId;
  j["schema_version"] = env.schemaVersion;
  j["encoding"] = toString(encoding);
  j["interval_s"] = toSeconds(env.declaredInterval);
  return toBytes(j.dump());
}

bool messageTextIsUtf8(const Message& m) {
  return isValidUtf8(asBytes(m.topic)) && isValidUtf8(asBytes(m.envelope.publisherId)) &&
         isValidUtf8(asBytes(m.envelope.schemaId));
}


}  // namespace

Result<WireFrames> encodeJson(const Message& message) {
  try {
    if (!messageTextIsUtf8(message)) return Status(ErrorCode::InvalidArgument, "encodeJson: text is not UTF-8");
    WireFrames f;
    f.topic = toBytes(message.topic);
    f.envelope = encodeEnvelope(message.envelope, PayloadEncoding::Json);
    json arr = json::array();
    arr.get_ref<json::array_t&>().reserve(message.updates.size());
    for (const Update& u : message.updates) {
      json o = json::object();
      o["entity"] = u.entityId;
      o["attribute"] = u.attribute;
      o["value"] = u.value;  // NaN/Inf are written as null (and rejected by the decoder)
      if (!u.unit.empty()) o["unit"] = u.unit;
      if (u.time) o["time_us"] = *u.time;
      arr.push_back(std::move(o));
    }
    f.payload = toBytes(arr.dump());  // throws type_error 316 on invalid UTF-8
    return f;
  } catch (const std::exception& e) {
    return Status(ErrorCode::InvalidArgument, std::string("encodeJson: ") + e.what());
  }
}

Result<WireFrames> encodeBinary(const Message& message) {
  try {
    if (!messageTextIsUtf8(message)) return Status(ErrorCode::InvalidArgument, "encodeBinary: text is not UTF-8");
    if (message.updates.size() > std::numeric_limits<std::uint32_t>::max())
      return Status(ErrorCode::InvalidArgument, "encodeBinary: more than 2^32-1 updates");
    WireFrames f;
    f.topic = toBytes(message.topic);
    f.envelope = encodeEnvelope(message.envelope, PayloadEncoding::Binary);

    // String table: each distinct entity id / attribute / unit once, in order of first use.
    std::unordered_map<std::string_view, std::uint32_t> index;
    std::vector<std::string_view> table;
    std::vector<std::array<std::uint32_t, 3>> refs;
    refs.reserve(message.updates.size());
    std::size_t tableBytes = 0;
    std::optional<Status> error;
    auto intern = [&](std::string_view s) -> std::uint32_t {
      const auto [it, inserted] = index.try_emplace(s, static_cast<std::uint32_t>(table.size()));
      if (inserted) {
        if (s.size() > 0xFFFF) error = Status(ErrorCode::InvalidArgument, "encodeBinary: string over 65535 bytes");
        else if (!isValidUtf8(asBytes(s))) error = Status(ErrorCode::InvalidArgument, "encodeBinary: not UTF-8");
        table.push_back(s);
        tableBytes += 2 + s.size();
      }
      return it->second;
    };
    for (const Update& u : message.updates) {
      refs.push_back({intern(u.entityId), intern(u.attribute), u.unit.empty() ? kNoUnit : intern(u.unit)});
      if (error) return *error;
    }
    if (table.size() >= kNoUnit) return Status(ErrorCode::InvalidArgument, "encodeBinary: too many strings");

    std::vector<std::byte>& out = f.payload;
    out.reserve(kBinaryHeaderSize + tableBytes + message.updates.size() * kBinaryRecordSize);
    out.insert(out.end(), kBinaryMagic.begin(), kBinaryMagic.end());
    putU16(out, static_cast<std::uint16_t>(kWireProtocolVersion));
    putU16(out, 0);
    putU32(out, static_cast<std::uint32_t>(table.size()));
    putU32(out, static_cast<std::uint32_t>(message.updates.size()));
    for (const std::string_view s : table) {
      putU16(out, static_cast<std::uint16_t>(s.size()));
      const auto b = asBytes(s);
      out.insert(out.end(), b.begin(), b.end());
    }
    for (std::size_t i = 0; i < message.updates.size(); ++i) {
      const Update& u = message.updates[i];
      putU32(out, refs[i][0]);
      putU32(out, refs[i][1]);
      putU32(out, refs[i][2]);
      std::uint64_t bits = 0;
      std::memcpy(&bits, &u.value, sizeof bits);
      putU64(out, bits);
      putU64(out, static_cast<std::uint64_t>(u.time.value_or(kNoTimeWire)));
    }
    return f;
  } catch (const std::exception& e) {
    return Status(ErrorCode::InvalidArgument, std::string("encodeBinary: ") + e.what());
  }
}


}  // namespace gt::connectors
