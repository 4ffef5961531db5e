#include "greentwin/layers/layer.hpp"

#include <osg/Geode>
#include <osg/StateSet>
#include <osg/Uniform>
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace gt::layers {
namespace {

LayerConfig config(const std::string& id = "probe") {
  LayerConfig c;
  c.id = id;
  c.type = "probe";
  c.nameEn = "Probe";
  c.nameZh = "探针";
  return c;
}

// A layer whose openImpl is whatever the test says; it records its render bin the way real layers do.
class ProbeLayer : public Layer {
 public:
  explicit ProbeLayer(LayerConfig c, std::function<Status(ProbeLayer&)> impl = nullptr)
      : Layer(std::move(c)), impl_(std::move(impl)) {}

  int openCalls = 0;
  int binApplications = 0;
  // Lets openImpl attach children like a real layer.
  void attach(osg::Node* child) { node()->addChild(child); }
  void warn(std::string w) { addWarning(std::move(w)); }
  int binBase() const { return renderBinBase(); }

 protected:
  Status openImpl() override {
    ++openCalls;
    return impl_ ? impl_(*this) : Status::ok();
  }
  void applyRenderBins() override {
    ++binApplications;
    node()->getOrCreateStateSet()->setRenderBinDetails(renderBinBase(), "RenderBin");
  }

 private:
  std::function<Status(ProbeLayer&)> impl_;
};

float opacityUniform(const Layer& layer) {
  const osg::StateSet* ss = layer.node()->getStateSet();
  EXPECT_NE(ss, nullptr);
  const osg::Uniform* u = ss->getUniform("gt_opacity");
  EXPECT_NE(u, nullptr);
  float value = -1.0f;
  if (u != nullptr) {
    EXPECT_TRUE(u->get(value));
  }
  return value;
}

// --- parseColor ---------------------------------------------------------------------------------------------

TEST(ParseColor, RgbHexHasOpaqueAlpha) {
  auto c = parseColor("#ff8000");
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_FLOAT_EQ((*c)[0], 1.0f);
  EXPECT_FLOAT_EQ((*c)[1], 128.0f / 255.0f);
  EXPECT_FLOAT_EQ((*c)[2], 0.0f);
  EXPECT_FLOAT_EQ((*c)[3], 1.0f);
}

TEST(ParseColor, RgbaHexAndMixedCase) {
  auto c = parseColor("#3A7d4480");
  ASSERT_TRUE(c.isOk()) << c.status().toString();
  EXPECT_FLOAT_EQ((*c)[0], 0x3a / 255.0f);
  EXPECT_FLOAT_EQ((*c)[1], 0x7d / 255.0f);
  EXPECT_FLOAT_EQ((*c)[2], 0x44 / 255.0f);
  EXPECT_FLOAT_EQ((*c)[3], 0x80 / 255.0f);
  auto white = parseColor("#FFFFFFFF");
  ASSERT_TRUE(white.isOk());
  for (float v : *white) EXPECT_FLOAT_EQ(v, 1.0f);
}

TEST(ParseColor, InvalidTextIsAnErrorQuotingIt) {
  for (const std::string bad : {"", "#", "ff8000", "#ff800", "#ff80000", "#ff8000aa0", "red", "#gg8000", "#ff 000",
                                "#ff8000a!", " #ff8000"}) {
    auto c = parseColor(bad);
    ASSERT_FALSE(c.isOk()) << "'" << bad << "' parsed";
    EXPECT_EQ(c.status().code(), ErrorCode::InvalidArgument) << bad;
    EXPECT_NE(c.status().message().find("'" + bad + "'"), std::string::npos) << c.status().message();
  }
}

// --- node, visibility, opacity ------------------------------------------------------------------------------

TEST(Layer, NodeIsNamedAndTaggedWithTheLayerId) {
  ProbeLayer layer(config("district"));
  ASSERT_NE(layer.node(), nullptr);
  EXPECT_EQ(layer.node()->getName(), "layer:district");
  std::string id;
  EXPECT_TRUE(layer.node()->getUserValue(kLayerUserValue, id));
  EXPECT_EQ(id, "district");
  EXPECT_EQ(layer.id(), "district");
  EXPECT_EQ(layer.state(), LayerState::Created);
  EXPECT_TRUE(layer.status().isOk());
  EXPECT_TRUE(layer.legend().empty());
  EXPECT_EQ(layer.nodeForEntity(0), nullptr);
  // Ground layers: blended, no lighting, depth test off.
  const osg::StateSet* ss = layer.node()->getStateSet();
  ASSERT_NE(ss, nullptr);
  EXPECT_TRUE(ss->getMode(GL_BLEND) & osg::StateAttribute::ON);
  EXPECT_FALSE(ss->getMode(GL_LIGHTING) & osg::StateAttribute::ON);
  EXPECT_NE(ss->getAttribute(osg::StateAttribute::PROGRAM), nullptr);
  EXPECT_NE(ss->getUniform("gt_highlight"), nullptr);
}

TEST(Layer, VisibilitySetsTheNodeMask) {
  ProbeLayer layer(config());
  EXPECT_TRUE(layer.visible());
  EXPECT_EQ(layer.node()->getNodeMask(), ~0u);
  layer.setVisible(false);
  EXPECT_FALSE(layer.visible());
  EXPECT_FALSE(layer.config().visible);
  EXPECT_EQ(layer.node()->getNodeMask(), 0u);
  layer.setVisible(true);
  EXPECT_EQ(layer.node()->getNodeMask(), ~0u);

  LayerConfig hidden = config();
  hidden.visible = false;
  ProbeLayer startsHidden(hidden);
  EXPECT_EQ(startsHidden.node()->getNodeMask(), 0u);
}

TEST(Layer, OpacityIsClampedAndWrittenToTheUniform) {
  ProbeLayer layer(config());
  EXPECT_DOUBLE_EQ(layer.opacity(), 1.0);
  EXPECT_FLOAT_EQ(opacityUniform(layer), 1.0f);
  layer.setOpacity(0.25);
  EXPECT_DOUBLE_EQ(layer.opacity(), 0.25);
  EXPECT_DOUBLE_EQ(layer.config().opacity, 0.25);
  EXPECT_FLOAT_EQ(opacityUniform(layer), 0.25f);
  layer.setOpacity(3.0);
  EXPECT_DOUBLE_EQ(layer.opacity(), 1.0);
  EXPECT_FLOAT_EQ(opacityUniform(layer), 1.0f);
  layer.setOpacity(-0.5);
  EXPECT_DOUBLE_EQ(layer.opacity(), 0.0);
  EXPECT_FLOAT_EQ(opacityUniform(layer), 0.0f);
  layer.setOpacity(0.6);
  layer.setOpacity(std::numeric_limits<double>::quiet_NaN());  // ignored: keeps the last value
  EXPECT_DOUBLE_EQ(layer.opacity(), 0.6);
  EXPECT_FLOAT_EQ(opacityUniform(layer), 0.6f);
}

TEST(Layer, ConfiguredOpacityIsClampedToo) {
  LayerConfig c = config();
  c.opacity = 0.4;
  ProbeLayer layer(c);
  EXPECT_DOUBLE_EQ(layer.opacity(), 0.4);
  EXPECT_FLOAT_EQ(opacityUniform(layer), 0.4f);

  c.opacity = 7.0;
  ProbeLayer tooHigh(c);
  EXPECT_DOUBLE_EQ(tooHigh.opacity(), 1.0);
  EXPECT_FLOAT_EQ(opacityUniform(tooHigh), 1.0f);

  c.opacity = -1.0;
  ProbeLayer tooLow(c);
  EXPECT_DOUBLE_EQ(tooLow.opacity(), 0.0);
  EXPECT_FLOAT_EQ(opacityUniform(tooLow), 0.0f);

  c.opacity = std::numeric_limits<double>::quiet_NaN();
  ProbeLayer nan(c);
  EXPECT_DOUBLE_EQ(nan.opacity(), 1.0);
  EXPECT_FLOAT_EQ(opacityUniform(nan), 1.0f);
}

// --- open ---------------------------------------------------------------------------------------------------

TEST(Layer, OpenRecordsSuccess) {
  ProbeLayer layer(config(), [](ProbeLayer& self) {
    self.attach(new osg::Geode);
    self.warn("feature 3 skipped");
    return Status::ok();
  });
  Status s = layer.open();
  EXPECT_TRUE(s.isOk()) << s.toString();
  EXPECT_EQ(layer.state(), LayerState::Open);
  EXPECT_TRUE(layer.status().isOk());
  EXPECT_EQ(layer.node()->getNumChildren(), 1u);
  ASSERT_EQ(layer.warnings().size(), 1u);
  EXPECT_EQ(layer.warnings()[0], "feature 3 skipped");
  EXPECT_EQ(layer.binApplications, 1);
  // Opening again does not rebuild.
  EXPECT_TRUE(layer.open().isOk());
  EXPECT_EQ(layer.openCalls, 1);
  EXPECT_EQ(layer.node()->getNumChildren(), 1u);
}

TEST(Layer, OpenRecordsFailureAndLeavesAnEmptyNode) {
  ProbeLayer layer(config("roads"), [](ProbeLayer& self) {
    self.attach(new osg::Geode);  // partly built before failing
    return Status(ErrorCode::ParseError, "roads.geojson: broken");
  });
  Status s = layer.open();
  EXPECT_EQ(s.code(), ErrorCode::ParseError);
  EXPECT_EQ(layer.state(), LayerState::Error);
  EXPECT_EQ(layer.status().code(), ErrorCode::ParseError);
  EXPECT_EQ(layer.status().message(), "roads.geojson: broken");
  EXPECT_EQ(layer.node()->getNumChildren(), 0u);
  EXPECT_EQ(layer.binApplications, 0);
  // A failed layer stays failed: open() returns the recorded status without retrying.
  EXPECT_EQ(layer.open().code(), ErrorCode::ParseError);
  EXPECT_EQ(layer.openCalls, 1);
}

TEST(Layer, ThrowingOpenImplBecomesAnInternalError) {
  ProbeLayer layer(config("flaky"), [](ProbeLayer& self) -> Status {
    self.attach(new osg::Geode);
    throw std::runtime_error("bad_alloc in disguise");
  });
  Status s = layer.open();
  EXPECT_EQ(s.code(), ErrorCode::Internal);
  EXPECT_NE(s.message().find("flaky"), std::string::npos) << s.message();
  EXPECT_NE(s.message().find("bad_alloc in disguise"), std::string::npos) << s.message();
  EXPECT_EQ(layer.state(), LayerState::Error);
  EXPECT_EQ(layer.node()->getNumChildren(), 0u);
}

TEST(Layer, NonStandardThrowBecomesAnInternalError) {
  ProbeLayer layer(config("odd"), [](ProbeLayer&) -> Status { throw 42; });
  Status s = layer.open();
  EXPECT_EQ(s.code(), ErrorCode::Internal);
  EXPECT_NE(s.message().find("odd"), std::string::npos) << s.message();
  EXPECT_EQ(layer.state(), LayerState::Error);
}

// --- order --------------------------------------------------------------------------------------------------

TEST(Layer, OrderSelectsTheRenderBins) {
  ProbeLayer layer(config());
  EXPECT_EQ(layer.order(), 0);
  EXPECT_EQ(layer.binBase(), 100);
  layer.setOrder(2);  // before open: remembered, applied when opened
  EXPECT_EQ(layer.order(), 2);
  EXPECT_EQ(layer.binApplications, 0);
  ASSERT_TRUE(layer.open().isOk());
  EXPECT_EQ(layer.node()->getStateSet()->getBinNumber(), 108);
  layer.setOrder(5);
  EXPECT_EQ(layer.binBase(), 120);
  EXPECT_EQ(layer.node()->getStateSet()->getBinNumber(), 120);
  EXPECT_EQ(layer.node()->getStateSet()->getBinName(), "RenderBin");
  layer.setOrder(1);
  EXPECT_EQ(layer.node()->getStateSet()->getBinNumber(), 104);
}

TEST(Layer, FailedLayerIgnoresOrderForBins) {
  ProbeLayer layer(config(), [](ProbeLayer&) { return Status(ErrorCode::NotFound, "gone"); });
  EXPECT_FALSE(layer.open().isOk());
  layer.setOrder(3);
  EXPECT_EQ(layer.order(), 3);
  EXPECT_EQ(layer.binApplications, 0);
}

// What a layer offers beyond drawing (layer_capabilities.hpp): a plain layer offers none of it.
TEST(Layer, OffersNoCapabilityByDefault) {
  ProbeLayer layer(config());
  ASSERT_TRUE(layer.open().isOk());
  EXPECT_EQ(layer.heightField(), nullptr);
  EXPECT_EQ(layer.entityClaimant(), nullptr);
  EXPECT_EQ(layer.replaceableBoxes(), nullptr);
  EXPECT_EQ(layer.bimModel(), nullptr);
}

}  // namespace
}  // namespace gt::layers
