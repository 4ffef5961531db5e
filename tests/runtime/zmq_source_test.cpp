// The "zmq" source type (zmq_source.hpp): its [[sources]] keys, read by its own parser (moved from
// tests/core/config_test.cpp with the keys), and the source it starts.
#include "greentwin/runtime/zmq_source.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "greentwin/runtime/config_loading.hpp"

namespace gt::runtime {
namespace {

using ::testing::HasSubstr;

Status parseError(const std::string& text) {
  auto r = parseConfigText(text, "test.toml");
  EXPECT_FALSE(r.isOk()) << "expected an error for:\n" << text;
  return r.status();
}

TEST(ZmqSource, ItsKeysAreReadIntoItsOptions) {
  // The [[sources]] entry of tests/core/config_test.cpp's full example, at the same line.
  const std::string text = std::string(61, '\n') + "[[sources]]\nid = \"air_quality\"\ntype = \"zmq\"\n"
                           "endpoint = \"tcp://127.0.0.1:5556\"\nserver_key = \"keys/twin.key\"\n"
                           "allowed_keys = \"keys/allowed.toml\"\n";
  auto r = parseConfigText(text, "full.toml");
  ASSERT_TRUE(r.isOk()) << r.status().toString();
  const Config& c = *r;
  ASSERT_EQ(c.sources.size(), 1u);
  EXPECT_EQ(c.sources[0].id, "air_quality");
  EXPECT_EQ(c.sources[0].type, "zmq");
  EXPECT_EQ(zmqOptions(c.sources[0]).endpoint, "tcp://127.0.0.1:5556");
  EXPECT_EQ(c.sources[0].line, 62);
  EXPECT_EQ(zmqOptions(c.sources[0]).security, "curve");  // the default
  EXPECT_EQ(zmqOptions(c.sources[0]).serverKey, "keys/twin.key");
  EXPECT_EQ(zmqOptions(c.sources[0]).allowedKeys, "keys/allowed.toml");
  EXPECT_TRUE(c.sources[0].options.empty());  // not a plugin's: no text options
}

TEST(ZmqSource, BindTopicsAndRateLimit) {
  auto r = parseConfigText("[[sources]]\nid = \"a\"\ntype = \"zmq\"\nendpoint = \"tcp://*:5556\"\nbind = true\n"
                           "topics = [\"air/\", \"energy/\"]\nrate_limit = 50\nsecurity = \"none\"\n",
                           "test.toml");
  ASSERT_TRUE(r.isOk()) << r.status().message();
  const ZmqSourceOptions& z = zmqOptions(r->sources.at(0));
  EXPECT_TRUE(z.bind);
  EXPECT_EQ(z.topics, (std::vector<std::string>{"air/", "energy/"}));
  EXPECT_DOUBLE_EQ(z.rateLimit, 50.0);
  EXPECT_THAT(parseError("[[sources]]\nid = \"a\"\ntype = \"zmq\"\nsecurity = \"none\"\nrate_limit = -1\n").message(),
              HasSubstr("test.toml:5: 'sources[0].rate_limit' = -1 is out of range"));
}

// Issue 15: connections, handshake timeout and the per-publisher receive buffer (docs/config.md, docs/security.md).
TEST(ZmqSource, ConnectionAndBufferLimits) {
  const std::string head = "[[sources]]\nid = \"a\"\ntype = \"zmq\"\nsecurity = \"none\"\n";
  auto defaults = parseConfigText(head, "test.toml");
  ASSERT_TRUE(defaults.isOk()) << defaults.status().message();
  const ZmqSourceOptions& d = zmqOptions(defaults->sources.at(0));
  EXPECT_EQ(d.maxConnections, 64);
  EXPECT_DOUBLE_EQ(d.handshakeTimeoutS, 5.0);
  EXPECT_DOUBLE_EQ(d.receiveBufferMb, 256.0);
  auto set = parseConfigText(head + "max_connections = 8\nhandshake_timeout_s = 2.5\nreceive_buffer_mb = 64\n",
                             "test.toml");
  ASSERT_TRUE(set.isOk()) << set.status().message();
  const ZmqSourceOptions& z = zmqOptions(set->sources.at(0));
  EXPECT_EQ(z.maxConnections, 8);
  EXPECT_DOUBLE_EQ(z.handshakeTimeoutS, 2.5);
  EXPECT_DOUBLE_EQ(z.receiveBufferMb, 64.0);
  EXPECT_THAT(parseError(head + "max_connections = 0\n").message(),
              HasSubstr("test.toml:5: 'sources[0].max_connections' = 0 is out of range"));
  EXPECT_THAT(parseError(head + "handshake_timeout_s = 0\n").message(), HasSubstr("handshake_timeout_s"));
  EXPECT_THAT(parseError(head + "receive_buffer_mb = 0.5\n").message(), HasSubstr("receive_buffer_mb"));
}

// docs/security.md: CURVE unless the file says "none"; a CURVE source names its key files; errors name key and line.
TEST(ZmqSource, SourceSecurityDefaultsToCurveAndNeedsItsKeys) {
  const std::string head = "[[sources]]\nid = \"a\"\ntype = \"zmq\"\nendpoint = \"tcp://127.0.0.1:5556\"\n";
  const Status noKeys = parseError(head);
  EXPECT_THAT(noKeys.message(), HasSubstr("test.toml:1: 'sources[0]' uses security = \"curve\" (the default) and needs "
                                          "'server_key'"));
  EXPECT_THAT(noKeys.message(), HasSubstr("needs 'allowed_keys'"));
  EXPECT_THAT(parseError(head + "security = \"curve\"\nserver_key = \"twin.key\"\n").message(),
              HasSubstr("'sources[0]' uses security = \"curve\" and needs 'allowed_keys'"));
  EXPECT_THAT(parseError(head + "security = \"plain\"\n").message(),
              HasSubstr("test.toml:5: 'sources[0].security' = \"plain\" is not allowed; expected one of: curve, none"));
  EXPECT_THAT(parseError(head + "server_key = \"\"\nallowed_keys = \"a.toml\"\n").message(),
              HasSubstr("test.toml:5: 'sources[0]' uses security = \"curve\" (the default) and needs 'server_key'"));
  EXPECT_THAT(parseError(head + "server_key = 3\nallowed_keys = \"a.toml\"\n").message(),
              HasSubstr("test.toml:5: 'sources[0].server_key' must be a string"));

  auto none = parseConfigText(head + "security = \"none\"\n", "test.toml");
  ASSERT_TRUE(none) << none.status().message();
  EXPECT_EQ(zmqOptions(none->sources[0]).security, "none");
  auto curve = parseConfigText(head + "server_key = \"k/twin.key\"\nallowed_keys = \"k/allowed.toml\"\n", "test.toml");
  ASSERT_TRUE(curve) << curve.status().message();
  EXPECT_EQ(zmqOptions(curve->sources[0]).security, "curve");
  EXPECT_EQ(zmqOptions(curve->sources[0]).serverKey, "k/twin.key");
}

TEST(ZmqSource, KeepsItsStrictKeyCheck) {
  // zmq sources keep their strict key check (a plugin type's keys are its options instead).
  EXPECT_THAT(parseError("[[sources]]\nid = \"a\"\ntype = \"zmq\"\nentity = \"x\"\n").message(),
              HasSubstr("unknown key 'sources[0].entity'"));
  EXPECT_THAT(parseError("[[sources]]\nid = \"a\"\ntype = \"zmq\"\nsecurity = \"none\"\nendpiont = \"x\"\n").message(),
              HasSubstr("test.toml:5: unknown key 'sources[0].endpiont' (did you mean 'sources[0].endpoint'?)"));
}

TEST(ZmqSource, StartsAnIngestOnItsEndpointAndReportsItsSecurity) {
  SourceConfig config;
  config.id = "loopback";
  config.type = "zmq";
  editZmqOptions(config).endpoint = "tcp://127.0.0.1:*";
  editZmqOptions(config).bind = true;
  editZmqOptions(config).security = "none";
  UpdateChannel channel(16);
  EntityDirectory directory;
  const FeedHealthConfig health;
  const Config twinConfig;
  auto source = createZmqSource(config, SourceContext{channel, directory, health, twinConfig});
  ASSERT_NE(source, nullptr);
  EXPECT_EQ(source->endpoint(), "tcp://127.0.0.1:*");  // as configured until started
  EXPECT_FALSE(source->ingestStats().has_value());
  EXPECT_FALSE(source->secure());
  ASSERT_TRUE(source->start().isOk());
  EXPECT_THAT(source->endpoint(), ::testing::MatchesRegex("tcp://127\\.0\\.0\\.1:[0-9]+"));  // the bound port
  ASSERT_TRUE(source->ingestStats().has_value());
  EXPECT_EQ(source->ingestStats()->messages, 0u);
  ASSERT_NE(source->health(), nullptr);

  SourceConfig curve = config;
  editZmqOptions(curve).security = "curve";
  editZmqOptions(curve).serverKey = "no-such-dir/twin.key";
  editZmqOptions(curve).allowedKeys = "no-such-dir/allowed.toml";
  auto secure = createZmqSource(curve, SourceContext{channel, directory, health, twinConfig});
  EXPECT_TRUE(secure->secure());
  EXPECT_FALSE(secure->start().isOk());  // the key file is missing: an error, not a crash
  EXPECT_FALSE(secure->ingestStats().has_value());
}

}  // namespace
}  // namespace gt::runtime
