#pragma once
// Internal to connectors: the wire protocol's binary layout constants, shared by the decoder (wire_protocol.cpp)
// and the encoders (wire_protocol_encode.cpp). docs/protocol.md "Binary payload".

#include <array>
#include <cstddef>
#include <cstdint>
#include <limits>

#include "greentwin/connectors/wire_protocol.hpp"

namespace gt::connectors::detail {

constexpr std::array<std::byte, 4> kBinaryMagic = {std::byte{'G'}, std::byte{'T'}, std::byte{'B'}, std::byte{'1'}};
constexpr std::size_t kBinaryHeaderSize = 16;
constexpr std::size_t kBinaryRecordSize = 28;
constexpr std::uint32_t kNoUnit = kNoStringIndex;                               // a record without a unit
constexpr std::int64_t kNoTimeWire = std::numeric_limits<std::int64_t>::min();  // a record without its own time

}  // namespace gt::connectors::detail
