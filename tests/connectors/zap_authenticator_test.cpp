// The ZAP handler over real CURVE handshakes on tcp loopback: a raw PULL server socket (CURVE server, ZAP domain)
// and PUSH clients with their own key pairs. Admission, refusal, NULL, revocation without restart, the allow-list
// reload rules, one handler per context, and the audit lines.

#include "greentwin/connectors/zap_authenticator.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zmq.h>

#include <fstream>

#include "security_test_support.hpp"

namespace gt::connectors {
namespace {

using ::testing::HasSubstr;
using testing::CaptureSink;
using testing::newKeys;
using testing::waitFor;

void setLinger(void* s) {
  const int linger = 0;
  zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
}

class ZapAuthenticatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = testing::testFolder("zap");
    allowList = (dir / "allowed.toml").string();
    ctx = zmq_ctx_new();
    sink = std::make_shared<CaptureSink>();
    ZapAuthenticatorOptions options;
    options.audit = std::make_shared<spdlog::logger>("audit-test", sink);
    options.reloadIntervalMs = 50;
    auth = std::make_unique<ZapAuthenticator>(ctx, options);
    ASSERT_TRUE(auth->start());
  }
  void TearDown() override {
    for (void* s : sockets) zmq_close(s);
    auth.reset();  // before the context is terminated
    for (void* c : clientContexts) zmq_ctx_term(c);
    zmq_ctx_term(ctx);
  }

  // A PULL server in `ctx`: CURVE with the twin's keys unless `curve` is false; ZAP domain `domain`.
  std::string startServer(const std::string& domain, bool curve = true) {
    server = zmq_socket(ctx, ZMQ_PULL);
    sockets.push_back(server);
    setLinger(server);
    if (curve) {
      const int on = 1;
      EXPECT_EQ(zmq_setsockopt(server, ZMQ_CURVE_SERVER, &on, sizeof on), 0);
      EXPECT_EQ(zmq_setsockopt(server, ZMQ_CURVE_SECRETKEY, twin.secretKey.c_str(), 41), 0);
    }
    EXPECT_EQ(zmq_setsockopt(server, ZMQ_ZAP_DOMAIN, domain.data(), domain.size()), 0);
    EXPECT_EQ(zmq_bind(server, "tcp://127.0.0.1:*"), 0);
    char buf[256] = {};
    std::size_t size = sizeof buf;
    zmq_getsockopt(server, ZMQ_LAST_ENDPOINT, buf, &size);
    return buf;
  }

  // A PUSH client in its own context (as a separate publisher process would be); nullptr keys: NULL mechanism.
  void* client(const std::string& endpoint, const KeyPair* keys) {
    void* c = zmq_ctx_new();
    clientContexts.push_back(c);
    void* s = zmq_socket(c, ZMQ_PUSH);
    sockets.push_back(s);
    setLinger(s);
    if (keys != nullptr) {
      zmq_setsockopt(s, ZMQ_CURVE_SERVERKEY, twin.publicKey.c_str(), 41);
      zmq_setsockopt(s, ZMQ_CURVE_PUBLICKEY, keys->publicKey.c_str(), 41);
      zmq_setsockopt(s, ZMQ_CURVE_SECRETKEY, keys->secretKey.c_str(), 41);
    }
    EXPECT_EQ(zmq_connect(s, endpoint.c_str()), 0);
    return s;
  }

  // Receives one message within `ms`; returns {text, User-Id} or nullopt.
  std::optional<std::pair<std::string, std::string>> receive(int ms) {
    zmq_pollitem_t item{server, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, ms) <= 0) return std::nullopt;
    zmq_msg_t m;
    zmq_msg_init(&m);
    if (zmq_msg_recv(&m, server, 0) < 0) return std::nullopt;
    std::pair<std::string, std::string> out{std::string(static_cast<const char*>(zmq_msg_data(&m)), zmq_msg_size(&m)),
                                            ""};
    if (const char* uid = zmq_msg_gets(&m, "User-Id")) out.second = uid;
    zmq_msg_close(&m);
    return out;
  }

  std::filesystem::path dir;
  std::string allowList;
  void* ctx = nullptr;
  void* server = nullptr;
  std::vector<void*> sockets;
  std::vector<void*> clientContexts;
  std::shared_ptr<CaptureSink> sink;
  std::unique_ptr<ZapAuthenticator> auth;
  KeyPair twin = newKeys("twin");
};

TEST_F(ZapAuthenticatorTest, TheCurveAllowListAdmitsTheListedKeyAndRefusesOthers) {
  const KeyPair listed = newKeys("listed-feed");
  const KeyPair stranger = newKeys("stranger");
  testing::writeAllowList(allowList, {listed});
  ASSERT_TRUE(auth->addDomain("air", ZapPolicy{allowList, false}));
  const std::string ep = startServer("air");

  void* bad = client(ep, &stranger);
  ASSERT_TRUE(waitFor([&] { return auth->stats("air").refused >= 1; }));
  zmq_send(bad, "from-stranger", 13, ZMQ_DONTWAIT);
  void* good = client(ep, &listed);
  ASSERT_EQ(zmq_send(good, "from-listed", 11, 0), 11);
  auto got = receive(5000);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->first, "from-listed");
  EXPECT_EQ(got->second, listed.publicKey);  // the ZAP user id: the sender's key
  EXPECT_FALSE(receive(300)) << "the unlisted publisher got a message in";
  EXPECT_EQ(auth->stats("air").admitted, 1u);
  EXPECT_GE(auth->stats("air").refused, 1u);
  EXPECT_TRUE(auth->admits("air", listed.publicKey));
  EXPECT_FALSE(auth->admits("air", stranger.publicKey));

  EXPECT_EQ(sink->count({"AUDIT admit", "source=air", "peer=127.0.0.1", "mechanism=CURVE",
                         "key=" + listed.publicKey, "name=listed-feed", "key in allow-list"}),
            1u);
  EXPECT_EQ(sink->count({"AUDIT refuse", "source=air", "peer=127.0.0.1", "mechanism=CURVE",
                         "key=" + stranger.publicKey, "name=-", "key not in allow-list"}),
            1u);
}

TEST_F(ZapAuthenticatorTest, RepeatedRefusalsAreCountedButWrittenOnce) {
  testing::writeAllowList(allowList, {});
  ASSERT_TRUE(auth->addDomain("air", ZapPolicy{allowList, false}));
  const std::string ep = startServer("air");
  const KeyPair stranger = newKeys("stranger");
  // A publisher that keeps trying (libzmq 4.3 does not retry after a 400 itself; a restarted script does).
  for (int i = 0; i < 4; ++i) client(ep, &stranger);
  ASSERT_TRUE(waitFor([&] { return auth->stats("air").refused >= 4; }));
  EXPECT_EQ(sink->count({"AUDIT refuse", "key=" + stranger.publicKey}), 1u);
}

TEST_F(ZapAuthenticatorTest, NullMechanismIsRefusedUnlessTheDomainAllowsIt) {
  ASSERT_TRUE(auth->addDomain("strict", ZapPolicy{{}, false}));
  ASSERT_TRUE(auth->addDomain("demo", ZapPolicy{{}, true}));
  {
    const std::string ep = startServer("strict", false);
    void* c = client(ep, nullptr);
    zmq_send(c, "null", 4, ZMQ_DONTWAIT);
    ASSERT_TRUE(waitFor([&] { return auth->stats("strict").refused >= 1; }));
    EXPECT_FALSE(receive(200));
    EXPECT_GE(sink->count({"AUDIT refuse", "source=strict", "mechanism=NULL", "this source requires CURVE"}), 1u);
  }
  {
    const std::string ep = startServer("demo", false);
    void* c = client(ep, nullptr);
    ASSERT_EQ(zmq_send(c, "null", 4, 0), 4);
    auto got = receive(5000);
    ASSERT_TRUE(got);
    EXPECT_EQ(got->first, "null");
    EXPECT_EQ(auth->stats("demo").admitted, 1u);
    EXPECT_EQ(sink->count({"AUDIT admit", "source=demo", "mechanism=NULL", "unauthenticated source"}), 1u);
  }
}

TEST_F(ZapAuthenticatorTest, RevocationAppliesToNewHandshakesWithoutRestart) {
  const KeyPair feed = newKeys("feed");
  testing::writeAllowList(allowList, {feed});
  ASSERT_TRUE(auth->addDomain("air", ZapPolicy{allowList, false}));
  const std::string ep = startServer("air");
  void* first = client(ep, &feed);
  ASSERT_EQ(zmq_send(first, "before", 6, 0), 6);
  ASSERT_TRUE(receive(5000));
  const std::uint64_t generation = auth->generation();

  testing::revokeInFile(allowList, "feed");
  // The handler notices the changed file by itself (reloadIntervalMs), and the generation moves on.
  ASSERT_TRUE(waitFor([&] { return !auth->admits("air", feed.publicKey); }));
  EXPECT_GT(auth->generation(), generation);
  EXPECT_EQ(auth->nameOf("air", feed.publicKey), "feed");
  EXPECT_GE(auth->stats("air").reloads, 1u);

  void* second = client(ep, &feed);
  zmq_send(second, "after", 5, ZMQ_DONTWAIT);
  ASSERT_TRUE(waitFor([&] { return auth->stats("air").refused >= 1; }));
  EXPECT_GE(sink->count({"AUDIT refuse", "key=" + feed.publicKey, "name=feed", "key revoked at"}), 1u);
  EXPECT_EQ(sink->count({"AUDIT allow-list", "source=air", "reloaded: 0 admitted, 1 revoked"}), 1u);

  // Admitted again under a new name: the same key gets in on its next handshake.
  auto list = AllowList::load(allowList);
  ASSERT_TRUE(list);
  ASSERT_TRUE(list->add("feed-again", feed.publicKey, wallNow()));
  ASSERT_TRUE(list->save(allowList));
  auth->reloadNow();
  EXPECT_TRUE(auth->admits("air", feed.publicKey));
}

TEST_F(ZapAuthenticatorTest, BrokenListKeepsThePreviousOneAndAMissingListAdmitsNobody) {
  const KeyPair feed = newKeys("feed");
  testing::writeAllowList(allowList, {feed});
  ASSERT_TRUE(auth->addDomain("air", ZapPolicy{allowList, false}));
  std::ofstream(allowList) << "[[publisher]\nthis is broken\n";
  auth->reloadNow();
  EXPECT_TRUE(auth->admits("air", feed.publicKey));
  EXPECT_GE(sink->count({"AUDIT allow-list", "not reloaded, keeping the previous list", allowList}), 1u);

  std::filesystem::remove(allowList);
  auth->reloadNow();
  EXPECT_FALSE(auth->admits("air", feed.publicKey));
  EXPECT_GE(sink->count({"is missing: no CURVE publisher is admitted"}), 1u);
}

TEST_F(ZapAuthenticatorTest, OneHandlerPerContextAndDistinctDomains) {
  ZapAuthenticator second(ctx);
  const Status s = second.start();
  EXPECT_FALSE(s);
  EXPECT_THAT(s.message(), HasSubstr("already has a ZAP handler"));

  testing::writeAllowList(allowList, {});
  ASSERT_TRUE(auth->addDomain("air", ZapPolicy{allowList, false}));
  EXPECT_THAT(auth->addDomain("air", ZapPolicy{allowList, false}).message(), HasSubstr("already in use"));
  const Status missing = auth->addDomain("other", ZapPolicy{(dir / "nope.toml").string(), false});
  EXPECT_EQ(missing.code(), ErrorCode::NotFound);
  EXPECT_THAT(missing.message(), HasSubstr("nope.toml"));
  auth->removeDomain("air");
  EXPECT_TRUE(auth->addDomain("air", ZapPolicy{allowList, false}));
}

TEST_F(ZapAuthenticatorTest, AnUnknownDomainIsRefused) {
  const KeyPair feed = newKeys("feed");
  const std::string ep = startServer("nobody-registered-this");
  client(ep, &feed);
  ASSERT_TRUE(waitFor([&] { return sink->count({"AUDIT refuse", "no source uses this ZAP domain"}) >= 1; }));
  EXPECT_FALSE(receive(100));
}

}  // namespace
}  // namespace gt::connectors
