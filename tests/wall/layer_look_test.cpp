// A layer's look on the wire (layer_look.hpp): every field round-trips, the layout is the documented one, and what a
// follower must refuse — truncation, bounds, bad UTF-8, infinite values, revision 0, another version, trailing
// bytes — is refused naming the problem; the encoder refuses the same.
#include "greentwin/wall/layer_look.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

namespace gt::wall {
namespace {

using Bytes = std::vector<std::uint8_t>;

LayerLook fullLook() {
  LayerLook l;
  l.layerId = "city-buildings";
  l.revision = 0xA1B2C3D4u;
  l.styleText = "name_en = \"Change\"\nfill_color = \"#3a7d44\"\ncolor_mode = \"graduated\"\n"
                "color_by = \"change of load_kw\"\nbreaks = [-1.5, 0.25]\n";
  l.filterText = "use = '办公' AND height_m > 60";
  l.valuesAttribute = "change of load_kw";
  l.values = {-1.0, 0.0, std::numeric_limits<double>::quiet_NaN(), 2.5e6};
  return l;
}

Bytes encode(const LayerLook& l) {
  auto bytes = encodeLayerLook(l);
  EXPECT_TRUE(bytes) << bytes.status().message();
  return bytes ? *bytes : Bytes{};
}

FrameProblem refusal(const Bytes& bytes, const std::string& expectedText) {
  FrameProblem problem = FrameProblem::None;
  auto decoded = decodeLayerLook(bytes, &problem);
  EXPECT_FALSE(decoded) << expectedText;
  if (!decoded) {
    EXPECT_NE(decoded.status().message().find(expectedText), std::string::npos) << decoded.status().message();
  }
  return problem;
}

// Offsets in the encoding of a look with id "a", revision 1, no style, filter or values.
constexpr std::size_t kRevisionAt = 8 + 2 + 1;
constexpr std::size_t kStyleLengthAt = kRevisionAt + 4;
constexpr std::size_t kValueCountAt = kStyleLengthAt + 4 + 2 + 2;
constexpr std::size_t kMinimalSize = kValueCountAt + 4;

LayerLook minimalLook() {
  LayerLook l;
  l.layerId = "a";
  return l;
}

TEST(LayerLook, RoundTripsEveryField) {
  const LayerLook l = fullLook();
  const Bytes bytes = encode(l);
  EXPECT_TRUE(isLayerLookMessage(bytes.data(), bytes.size()));
  FrameProblem problem = FrameProblem::TooLarge;
  auto back = decodeLayerLook(bytes, &problem);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(problem, FrameProblem::None);
  EXPECT_EQ(back->layerId, l.layerId);
  EXPECT_EQ(back->revision, l.revision);
  EXPECT_EQ(back->styleText, l.styleText);
  EXPECT_EQ(back->filterText, l.filterText);
  EXPECT_EQ(back->valuesAttribute, l.valuesAttribute);
  ASSERT_EQ(back->values.size(), 4u);
  EXPECT_EQ(back->values[0], -1.0);
  EXPECT_TRUE(std::isnan(back->values[2]));
  EXPECT_EQ(back->values[3], 2.5e6);
  EXPECT_EQ(encode(*back), bytes);  // one encoding per look
}

TEST(LayerLook, WireLayoutIsTheDocumentedOne) {
  const Bytes bytes = encode(minimalLook());
  ASSERT_EQ(bytes.size(), kMinimalSize);
  EXPECT_EQ(std::string(bytes.begin(), bytes.begin() + 4), "GTWL");
  EXPECT_EQ(bytes[4], kFrameStateVersion);
  EXPECT_EQ(bytes[kRevisionAt], 1);
  LayerLook l = minimalLook();
  l.styleText = "abc";
  l.valuesAttribute = "v";
  l.values = {1.0};
  EXPECT_EQ(encode(l).size(), kMinimalSize + 3 + 1 + 8);
  // A frame is not a look, and a look is not a frame.
  const Bytes frame = *encodeFrameState(WallFrameState{});
  EXPECT_FALSE(isLayerLookMessage(frame.data(), frame.size()));
  EXPECT_EQ(refusal(frame, "no GTWL magic"), FrameProblem::NotAFrame);
  EXPECT_FALSE(decodeFrameState(bytes));
}

TEST(LayerLook, EveryTruncationIsRefused) {
  const Bytes bytes = encode(fullLook());
  for (std::size_t n = 0; n < bytes.size(); ++n) {
    const Bytes prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(n));
    FrameProblem problem = FrameProblem::None;
    auto decoded = decodeLayerLook(prefix, &problem);
    ASSERT_FALSE(decoded) << "a prefix of " << n << " bytes was accepted";
    EXPECT_NE(problem, FrameProblem::None);
  }
}

TEST(LayerLook, BrokenFieldsAreRefusedNamingTheProblem) {
  const Bytes good = encode(minimalLook());
  {
    Bytes b = good;
    std::memset(&b[kRevisionAt], 0, 4);
    EXPECT_EQ(refusal(b, "revision 0"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[4] = 2;  // frames of version 2 had no looks
    EXPECT_EQ(refusal(b, "version 2, this build reads 3"), FrameProblem::WrongVersion);
  }
  {
    Bytes b = good;
    b[kStyleLengthAt + 2] = 0x02;  // 128 KiB of style claimed
    EXPECT_EQ(refusal(b, "style: 131072 bytes, at most 65536"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[kValueCountAt + 2] = 0x10;  // a million values claimed
    EXPECT_EQ(refusal(b, "value count: 1048576, at most 120000"), FrameProblem::BadValue);
  }
  {
    Bytes b = good;
    b[kValueCountAt] = 100;  // within the bound, but not in the bytes left
    EXPECT_EQ(refusal(b, "truncated in the values"), FrameProblem::Truncated);
  }
  {
    Bytes b = good;
    b.push_back(0);
    EXPECT_EQ(refusal(b, "1 bytes after the last field"), FrameProblem::TrailingBytes);
  }
  {
    LayerLook l = minimalLook();
    l.styleText = "ab";
    Bytes b = encode(l);
    b[kStyleLengthAt + 4] = 0xC3;  // a lead byte without its continuation
    EXPECT_EQ(refusal(b, "style: not UTF-8"), FrameProblem::BadValue);
  }
  {
    LayerLook l = minimalLook();
    l.valuesAttribute = "v";
    l.values = {1.0};
    Bytes b = encode(l);
    const double inf = std::numeric_limits<double>::infinity();
    std::memcpy(&b[b.size() - 8], &inf, 8);
    EXPECT_EQ(refusal(b, "value 0: infinite"), FrameProblem::BadValue);
  }
  Bytes huge(kMaxFrameStateBytes + 1, 0);
  EXPECT_EQ(refusal(huge, "at most 1048576"), FrameProblem::TooLarge);
}

TEST(LayerLook, EncodeRefusesWhatDecodeWouldRefuse) {
  auto refused = [](const LayerLook& l, const std::string& text) {
    auto bytes = encodeLayerLook(l);
    ASSERT_FALSE(bytes) << text;
    EXPECT_EQ(bytes.status().code(), ErrorCode::InvalidArgument);
    EXPECT_NE(bytes.status().message().find(text), std::string::npos) << bytes.status().message();
  };
  LayerLook l = minimalLook();
  l.revision = 0;
  refused(l, "revision 0");
  l = minimalLook();
  l.layerId.clear();
  refused(l, "empty layer id");
  l = minimalLook();
  l.styleText.assign(kMaxLookStyleBytes + 1, 'x');
  refused(l, "style: 65537 bytes, at most 65536");
  l = minimalLook();
  l.filterText = std::string("\xFF", 1);
  refused(l, "filter: not UTF-8");
  l = minimalLook();
  l.values = {1.0};
  refused(l, "values without the attribute");
  l.valuesAttribute = "v";
  l.values.assign(kMaxLookValues + 1, 0.0);
  refused(l, "values: 120001, at most 120000");
  l.values = {-std::numeric_limits<double>::infinity()};
  refused(l, "infinite");
  // The largest look allowed fits the sockets' message limit.
  l = minimalLook();
  l.layerId.assign(kMaxFrameIdBytes, 'i');
  l.styleText.assign(kMaxLookStyleBytes, 's');
  l.filterText.assign(kMaxLookFilterBytes, 'f');
  l.valuesAttribute.assign(kMaxFrameIdBytes, 'v');
  l.values.assign(kMaxLookValues, 1.0);
  const Bytes largest = encode(l);
  EXPECT_LE(largest.size(), kMaxFrameStateBytes);
  EXPECT_TRUE(decodeLayerLook(largest));
}

}  // namespace
}  // namespace gt::wall
