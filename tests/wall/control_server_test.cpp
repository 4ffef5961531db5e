// The lead's control endpoint over real loopback sockets: CURVE keys and an allow-list written into the test's own
// folder, a "frame loop" thread that drains and answers the queue as the lead's update thread will.
#include "greentwin/wall/control_server.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zmq.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/wall/control_client.hpp"

namespace gt::wall {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class ControlServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::path(GT_TEST_BINARY_DIR) /
          ("control_server_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    lead = writeKey("lead");
    ops = writeKey("ops-1");
    stranger = writeKey("stranger");
    connectors::AllowList list;
    ASSERT_TRUE(list.add("ops-1", connectors::readKeyFile(ops)->publicKey, 0).isOk());
    allowed = (dir / "allowed.toml").string();
    ASSERT_TRUE(list.save(allowed).isOk());
  }
  void TearDown() override { stopLoop(); }

  std::string writeKey(const std::string& name) {
    const std::string path = (dir / (name + ".key")).string();
    auto pair = connectors::generateKeyPair(name);
    EXPECT_TRUE(pair.isOk());
    EXPECT_TRUE(connectors::writeKeyFile(path, *pair).isOk());
    return path;
  }

  ControlServerOptions curveOptions() const {
    ControlServerOptions o;
    o.endpoint = "tcp://127.0.0.1:*";
    o.leadKeyFile = lead;
    o.allowListFile = allowed;
    return o;
  }

  std::unique_ptr<ControlClient> client(const ControlServer& server, const std::string& key,
                                        const std::string& leadKey = {}) const {
    auto c = ControlClient::connect(
        ControlClientOptions{server.boundEndpoint(), "curve", key, leadKey.empty() ? lead : leadKey});
    EXPECT_TRUE(c.isOk()) << c.status().message();
    return c.isOk() ? std::move(*c) : nullptr;
  }

  // The lead's frame loop: applies goto (known bookmark "canal" only) and answers status; records what it took.
  void startLoop(ControlServer& server) {
    loop = std::thread([this, &server] {
      while (!stopping) {
        for (PendingCommand& c : server.takePending()) {
          taken.fetch_add(1);
          lastFrom = c.from;
          std::string reply;
          if (const auto* g = std::get_if<GotoCommand>(&c.command)) {
            reply = g->bookmark == "canal" ? okReply(nlohmann::json{{"bookmark", g->bookmark}})
                                           : errorReply("no bookmark '" + g->bookmark + "' in the config");
          } else {
            reply = okReply(nlohmann::json{{"command", commandName(c.command)}});
          }
          server.reply(c.id, reply);
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  void stopLoop() {
    stopping = true;
    if (loop.joinable()) loop.join();
  }

  fs::path dir;
  std::string lead, ops, stranger, allowed;
  std::thread loop;
  std::atomic<bool> stopping{false};
  std::atomic<int> taken{0};
  std::string lastFrom;  // written by the loop thread, read after stopLoop()
};

TEST_F(ControlServerTest, AdmittedOperatorsCommandIsAppliedThenAnswered) {
  ControlServer server(curveOptions());
  ASSERT_TRUE(server.start().isOk());
  EXPECT_THAT(server.boundEndpoint(), HasSubstr("tcp://127.0.0.1:"));
  startLoop(server);
  auto c = client(server, ops);
  auto reply = c->send(GotoCommand{"canal"}, 5000);
  ASSERT_TRUE(reply.isOk()) << reply.status().message();
  EXPECT_TRUE(reply->ok);
  EXPECT_EQ(reply->text, R"({"bookmark":"canal","ok":true})");
  // The loop's own refusal comes back as an error reply.
  auto unknown = c->send(GotoCommand{"moon"}, 5000);
  ASSERT_TRUE(unknown.isOk()) << unknown.status().message();
  EXPECT_FALSE(unknown->ok);
  EXPECT_EQ(unknown->error, "no bookmark 'moon' in the config");
  stopLoop();
  EXPECT_EQ(taken.load(), 2);
  EXPECT_EQ(lastFrom, "ops-1");  // the allow-list's name of the operator's key
  EXPECT_EQ(server.stats().requests, 2u);
}

TEST_F(ControlServerTest, InvalidRequestsAreAnsweredAtOnceAndNeverQueued) {
  ControlServer server(curveOptions());
  ASSERT_TRUE(server.start().isOk());
  auto c = client(server, ops);
  auto bad = c->send(R"({"cmd":"fly"})", 5000);
  ASSERT_TRUE(bad.isOk()) << bad.status().message();
  EXPECT_FALSE(bad->ok);
  EXPECT_THAT(bad->error, HasSubstr("unknown command 'fly' (known: goto, "));
  auto malformed = c->send("{\"cmd\":", 5000);
  ASSERT_TRUE(malformed.isOk());
  EXPECT_THAT(malformed->error, HasSubstr("malformed JSON: parse error at line 1, column 8: "));
  auto extra = c->send(R"({"cmd":"play","speed":2})", 5000);
  ASSERT_TRUE(extra.isOk());
  EXPECT_EQ(extra->error, "'play' takes no argument 'speed' (its arguments: none)");
  const std::string big(kMaxControlRequestBytes + 1, ' ');
  auto oversize = c->send(big, 5000);
  ASSERT_TRUE(oversize.isOk());
  EXPECT_EQ(oversize->error, "request of 16385 bytes is over the limit of 16384 bytes");
  EXPECT_TRUE(server.takePending().empty());
  EXPECT_EQ(server.stats().refused, 4u);
}

TEST_F(ControlServerTest, UnknownKeyOrWrongLeadKeyGetsNoAnswer) {
  ControlServer server(curveOptions());
  ASSERT_TRUE(server.start().isOk());
  startLoop(server);
  auto refused = client(server, stranger)->send(StatusCommand{}, 500);
  ASSERT_FALSE(refused.isOk());
  EXPECT_EQ(refused.status().code(), ErrorCode::IoError);
  EXPECT_EQ(refused.status().message(),
            "no answer from the lead at " + server.boundEndpoint() +
                " within 500 ms: is the lead running, is this operator key in its allowed_keys and is the lead key "
                "right?");
  // An admitted key talking to another "lead" key: the handshake fails too.
  auto wrongLead = client(server, ops, stranger)->send(StatusCommand{}, 500);
  EXPECT_FALSE(wrongLead.isOk());
  stopLoop();
  EXPECT_EQ(taken.load(), 0);
  EXPECT_EQ(server.stats().requests, 0u);
}

TEST_F(ControlServerTest, RevokedKeyIsRefusedOnItsNextConnection) {
  ControlServer server(curveOptions());
  ASSERT_TRUE(server.start().isOk());
  startLoop(server);
  ASSERT_TRUE(client(server, ops)->send(StatusCommand{}, 5000).isOk());
  auto list = connectors::AllowList::load(allowed);
  ASSERT_TRUE(list.isOk());
  ASSERT_TRUE(list->revoke("ops-1", 1).isOk());
  ASSERT_TRUE(list->save(allowed).isOk());
  std::this_thread::sleep_for(
      std::chrono::milliseconds(50));  // a new file: the handler re-reads it on the next request
  EXPECT_FALSE(client(server, ops)->send(StatusCommand{}, 700).isOk());
}

TEST_F(ControlServerTest, UnansweredCommandsExpireWithAnHonestError) {
  ControlServerOptions o = curveOptions();
  o.answerTimeoutMs = 300;
  ControlServer server(o);
  ASSERT_TRUE(server.start().isOk());
  auto c = client(server, ops);
  // Never taken: withdrawn, so the loop can never apply it late.
  auto notTaken = c->send(GotoCommand{"canal"}, 5000);
  ASSERT_TRUE(notTaken.isOk()) << notTaken.status().message();
  EXPECT_FALSE(notTaken->ok);
  EXPECT_EQ(notTaken->error, "the lead's frame loop did not take 'goto' within 0.3 s; it was not applied");
  EXPECT_TRUE(server.takePending().empty());

  // Taken but not answered: it may have been applied; a late answer is refused.
  std::uint64_t takenId = 0;
  std::thread taker([&server, &takenId] {
    for (int i = 0; i < 200 && takenId == 0; ++i) {
      for (const PendingCommand& p : server.takePending()) takenId = p.id;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  });
  auto lost = c->send(PlayCommand{}, 5000);
  taker.join();
  ASSERT_TRUE(lost.isOk()) << lost.status().message();
  EXPECT_EQ(lost->error, "the lead took 'play' but did not answer within 0.3 s; it may have been applied");
  ASSERT_NE(takenId, 0u);
  EXPECT_FALSE(server.reply(takenId, okReply()));
  EXPECT_EQ(server.stats().expired, 2u);
}

// Without CURVE (a local trial): any REQ socket is a client; more requests than maxInFlight are answered "busy".
TEST_F(ControlServerTest, PlainSocketsAndABoundedQueue) {
  ControlServerOptions o;
  o.endpoint = "tcp://127.0.0.1:*";
  o.security = "none";
  o.maxInFlight = 2;
  o.answerTimeoutMs = 2000;
  ControlServer server(o);
  ASSERT_TRUE(server.start().isOk());
  void* ctx = zmq_ctx_new();
  std::vector<void*> sockets;
  for (int i = 0; i < 3; ++i) {
    void* s = zmq_socket(ctx, ZMQ_REQ);
    const int linger = 0;
    zmq_setsockopt(s, ZMQ_LINGER, &linger, sizeof linger);
    ASSERT_EQ(zmq_connect(s, server.boundEndpoint().c_str()), 0);
    const std::string request = R"({"cmd":"set_rate","rate":)" + std::to_string(i + 1) + "}";
    ASSERT_GE(zmq_send(s, request.data(), request.size(), 0), 0);
    sockets.push_back(s);
    // One at a time, so that the third is the one over the bound.
    for (int wait = 0; wait < 200 && server.stats().requests < static_cast<std::uint64_t>(i + 1); ++wait) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  auto receive = [](void* s) {
    char buf[512];
    zmq_pollitem_t item{s, 0, ZMQ_POLLIN, 0};
    if (zmq_poll(&item, 1, 3000) <= 0) return std::string("(no reply)");
    const int n = zmq_recv(s, buf, sizeof buf, 0);
    return n < 0 ? std::string("(error)") : std::string(buf, static_cast<std::size_t>(std::min(n, 512)));
  };
  EXPECT_EQ(receive(sockets[2]), R"({"error":"busy: 2 commands are waiting for the lead; try again","ok":false})");
  const std::vector<PendingCommand> pending = server.takePending();
  ASSERT_EQ(pending.size(), 2u);
  EXPECT_EQ(pending[0].command, ControlCommand(SetRateCommand{1}));
  EXPECT_EQ(pending[1].command, ControlCommand(SetRateCommand{2}));
  EXPECT_EQ(pending[0].from, "-");
  EXPECT_TRUE(server.reply(pending[1].id, okReply(nlohmann::json{{"rate", 2}})));
  EXPECT_TRUE(server.reply(pending[0].id, okReply(nlohmann::json{{"rate", 1}})));
  EXPECT_FALSE(server.reply(pending[0].id, okReply()));  // answered once only
  EXPECT_EQ(receive(sockets[0]), R"({"ok":true,"rate":1})");
  EXPECT_EQ(receive(sockets[1]), R"({"ok":true,"rate":2})");
  for (void* s : sockets) zmq_close(s);
  zmq_ctx_term(ctx);
}

TEST_F(ControlServerTest, StartErrorsNameTheFileOrEndpoint) {
  ControlServerOptions noKey = curveOptions();
  noKey.leadKeyFile = (dir / "missing.key").string();
  const Status missing = ControlServer(noKey).start();
  EXPECT_THAT(missing.message(), HasSubstr("wall control: lead key: "));
  EXPECT_THAT(missing.message(), HasSubstr("missing.key"));

  ControlServerOptions noList = curveOptions();
  noList.allowListFile = (dir / "nobody.toml").string();
  EXPECT_THAT(ControlServer(noList).start().message(), HasSubstr("nobody.toml"));

  ControlServerOptions noFiles = curveOptions();
  noFiles.allowListFile.clear();
  EXPECT_THAT(ControlServer(noFiles).start().message(),
              HasSubstr("CURVE needs the lead's key file (wall.lead_key) and"));

  ControlServer first(curveOptions());
  ASSERT_TRUE(first.start().isOk());
  ControlServerOptions same = curveOptions();
  same.endpoint = first.boundEndpoint();
  const Status inUse = ControlServer(same).start();
  EXPECT_EQ(inUse.code(), ErrorCode::IoError);
  EXPECT_THAT(inUse.message(), HasSubstr("cannot bind '" + first.boundEndpoint() + "'"));
}

}  // namespace
}  // namespace gt::wall
