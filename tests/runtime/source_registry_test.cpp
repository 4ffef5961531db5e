// Source types the twin starts itself, each with its options parser and factory (source_registry.hpp).
#include "greentwin/runtime/source_registry.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace gt::runtime {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class FakeSource : public LiveSource {
 public:
  Status start() override { return Status::ok(); }
  std::string endpoint() const override { return "fake://"; }
};

SourceRegistry::Type fakeType() {
  SourceRegistry::Type type;
  type.options.keys = {"rate"};
  type.factory = [](const SourceConfig&, const SourceContext&) -> std::unique_ptr<LiveSource> {
    return std::make_unique<FakeSource>();
  };
  return type;
}

TEST(SourceRegistry, BuiltinsAreZmq) {
  SourceRegistry registry;
  EXPECT_TRUE(registry.types().empty());
  EXPECT_EQ(registry.find("zmq"), nullptr);
  registerBuiltinSources(registry);
  EXPECT_THAT(registry.types(), ElementsAre("zmq"));
  ASSERT_NE(registry.find("zmq"), nullptr);
  EXPECT_EQ(registry.find("air_quality.aqi"), nullptr);  // a plugin's: not the registry's
  EXPECT_EQ(registry.optionsParsers().count("zmq"), 1u);
}

TEST(SourceRegistry, RegistrationErrors) {
  SourceRegistry registry;
  ASSERT_TRUE(registry.registerType("fake", fakeType()).isOk());
  const Status twice = registry.registerType("fake", fakeType());
  EXPECT_EQ(twice.code(), ErrorCode::InvalidArgument);
  EXPECT_THAT(twice.message(), HasSubstr("already registered"));
  EXPECT_EQ(registry.registerType("", fakeType()).code(), ErrorCode::InvalidArgument);
  SourceRegistry::Type noFactory = fakeType();
  noFactory.factory = nullptr;
  EXPECT_THAT(registry.registerType("broken", std::move(noFactory)).message(), HasSubstr("'broken' has no factory"));
  EXPECT_THAT(registry.types(), ElementsAre("fake"));
}

// Its keys are the type's: the config loader checks them against the parser's list.
TEST(SourceRegistry, ATypesKeysReachTheConfigLoader) {
  SourceRegistry registry;
  ASSERT_TRUE(registry.registerType("fake", fakeType()).isOk());
  ConfigSchema schema;
  schema.sourceTypes = registry.optionsParsers();
  EXPECT_TRUE(parseConfig("[[sources]]\nid = \"f\"\ntype = \"fake\"\nrate = 3\n", "t.toml", schema).isOk());
  auto typo = parseConfig("[[sources]]\nid = \"f\"\ntype = \"fake\"\nrat = 3\n", "t.toml", schema);
  ASSERT_FALSE(typo.isOk());
  EXPECT_THAT(typo.status().message(),
              HasSubstr("t.toml:4: unknown key 'sources[0].rat' (did you mean 'sources[0].rate'?)"));
}

}  // namespace
}  // namespace gt::runtime
