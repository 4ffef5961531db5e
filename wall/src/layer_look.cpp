// A layer's look on the wire (layer_look.hpp). Encoding validates first, so a lead never sends what followers would
// refuse; decoding checks every bound before it allocates.
#include "greentwin/wall/layer_look.hpp"

#include <cmath>
#include <cstring>
#include <string_view>

#include "byte_codec.hpp"

namespace gt::wall {
namespace {

constexpr std::string_view kMagic = "GTWL";

Status invalid(const LayerLook& look, const std::string& message) {
  return Status(ErrorCode::InvalidArgument, "layer look of '" + look.layerId + "': " + message);
}

Status checkText(const LayerLook& look, const std::string& value, const char* field, std::size_t maxBytes) {
  if (value.size() > maxBytes) {
    return invalid(look, std::string(field) + ": " + std::to_string(value.size()) + " bytes, at most " +
                             std::to_string(maxBytes));
  }
  if (!detail::isValidUtf8(value)) return invalid(look, std::string(field) + ": not UTF-8");
  return Status::ok();
}

// The style: a u32-prefixed UTF-8 text of at most kMaxLookStyleBytes (a style can outgrow a u16 string).
std::string readStyle(detail::ByteReader& r) {
  const std::size_t n = r.u32("style length");
  if (!r.ok()) return {};
  if (n > kMaxLookStyleBytes) {
    r.fail(FrameProblem::BadValue,
           "style: " + std::to_string(n) + " bytes, at most " + std::to_string(kMaxLookStyleBytes));
    return {};
  }
  std::string text = r.raw(n, "style");
  if (r.ok() && !detail::isValidUtf8(text)) r.fail(FrameProblem::BadValue, "style: not UTF-8");
  return text;
}

void readBody(detail::ByteReader& r, LayerLook& look) {
  look.layerId = r.str("layer id", kMaxFrameIdBytes);
  if (r.ok() && look.layerId.empty()) r.fail(FrameProblem::BadValue, "layer id: empty");
  look.revision = r.u32("revision");
  if (r.ok() && look.revision == 0) r.fail(FrameProblem::BadValue, "revision 0 (the config's look is never sent)");
  look.styleText = readStyle(r);
  look.filterText = r.str("filter", kMaxLookFilterBytes);
  look.valuesAttribute = r.str("values attribute", kMaxFrameIdBytes);
  const std::size_t count = r.u32("value count");
  if (r.ok() && count > kMaxLookValues) {
    r.fail(FrameProblem::BadValue,
           "value count: " + std::to_string(count) + ", at most " + std::to_string(kMaxLookValues));
  }
  if (r.ok() && count * 8 > r.remaining()) r.fail(FrameProblem::Truncated, "truncated in the values");
  if (r.ok() && count > 0 && look.valuesAttribute.empty()) {
    r.fail(FrameProblem::BadValue, "values without the attribute they are read as");
  }
  if (r.ok()) look.values.reserve(count);
  for (std::size_t i = 0; i < count && r.ok(); ++i) {
    const double v = r.f64("value");
    if (std::isinf(v)) r.fail(FrameProblem::BadValue, "value " + std::to_string(i) + ": infinite");
    look.values.push_back(v);
  }
  if (r.ok() && r.remaining() != 0) {
    r.fail(FrameProblem::TrailingBytes, std::to_string(r.remaining()) + " bytes after the last field");
  }
}

}  // namespace

bool isLayerLookMessage(const std::uint8_t* data, std::size_t size) {
  return data != nullptr && size >= kMagic.size() && std::memcmp(data, kMagic.data(), kMagic.size()) == 0;
}

Status validateLayerLook(const LayerLook& look) {
  if (look.layerId.empty()) return invalid(look, "empty layer id");
  if (Status s = checkText(look, look.layerId, "layer id", kMaxFrameIdBytes); !s) return s;
  if (look.revision == 0) return invalid(look, "revision 0 (the config's look is never sent)");
  if (Status s = checkText(look, look.styleText, "style", kMaxLookStyleBytes); !s) return s;
  if (Status s = checkText(look, look.filterText, "filter", kMaxLookFilterBytes); !s) return s;
  if (Status s = checkText(look, look.valuesAttribute, "values attribute", kMaxFrameIdBytes); !s) return s;
  if (look.values.size() > kMaxLookValues) {
    return invalid(look, "values: " + std::to_string(look.values.size()) + ", at most " +
                             std::to_string(kMaxLookValues));
  }
  if (!look.values.empty() && look.valuesAttribute.empty()) {
    return invalid(look, "values without the attribute they are read as");
  }
  for (const double v : look.values) {
    if (std::isinf(v)) return invalid(look, "an infinite value");
  }
  return Status::ok();
}

Result<std::vector<std::uint8_t>> encodeLayerLook(const LayerLook& look) {
  if (Status s = validateLayerLook(look); !s) return s;
  detail::ByteWriter w;
  w.raw(kMagic);
  w.u16(kFrameStateVersion);
  w.u16(0);
  w.str(look.layerId);
  w.u32(look.revision);
  w.u32(static_cast<std::uint32_t>(look.styleText.size()));
  w.raw(look.styleText);
  w.str(look.filterText);
  w.str(look.valuesAttribute);
  w.u32(static_cast<std::uint32_t>(look.values.size()));
  for (const double v : look.values) w.f64(v);
  return w.take();
}

Result<LayerLook> decodeLayerLook(const std::uint8_t* data, std::size_t size, FrameProblem* problem) {
  FrameProblem dummy = FrameProblem::None;
  FrameProblem& out = problem != nullptr ? *problem : dummy;
  if (Status refused = detail::checkMessageBytes(data, size, "wall layer look", out); !refused.isOk()) return refused;
  detail::ByteReader r(data, size);
  LayerLook look;
  detail::readMessageHead(r, kMagic, "not a layer look");
  if (r.ok()) readBody(r, look);
  if (!r.ok()) {
    out = r.problem();
    const std::string layer = look.layerId.empty() ? "" : " of '" + look.layerId + "'";
    return Status(detail::codeOf(r.problem()), "wall layer look" + layer + ": " + r.error());
  }
  return look;
}

}  // namespace gt::wall
