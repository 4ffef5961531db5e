// `greentwin ctl ...` as an operator runs it (the real binary, no window) against a ControlServer in this process
// whose "frame loop" thread answers as the lead's will: the request the CLI built is echoed back in the reply.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"
#include "greentwin/wall/control_server.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

struct CliRun {
  int exitCode = -1;
  std::string output;  // stdout and stderr
};

CliRun greentwin(const std::string& args) {
  const std::string command =
      "env -u DISPLAY -u WAYLAND_DISPLAY -u GREENTWIN_CTL_KEY " + std::string(GT_GREENTWIN) + " " + args + " 2>&1";
  CliRun r;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.output += buf;
  const int status = pclose(p);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string writeKey(const fs::path& dir, const std::string& name) {
  const std::string path = (dir / (name + ".key")).string();
  auto pair = connectors::generateKeyPair(name);
  EXPECT_TRUE(pair.isOk());
  EXPECT_TRUE(connectors::writeKeyFile(path, *pair).isOk());
  return path;
}

class CtlCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::path(GT_TEST_BINARY_DIR) /
          ("ctl_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    writeKey(dir, "lead");
    ops = writeKey(dir, "ops");
    stranger = writeKey(dir, "stranger");
    connectors::AllowList list;
    ASSERT_TRUE(list.add("ops", connectors::readKeyFile(ops)->publicKey, 0).isOk());
    ASSERT_TRUE(list.save((dir / "allowed.toml").string()).isOk());

    wall::ControlServerOptions o;
    o.endpoint = "tcp://127.0.0.1:*";
    o.leadKeyFile = (dir / "lead.key").string();
    o.allowListFile = (dir / "allowed.toml").string();
    server = std::make_unique<wall::ControlServer>(o);
    ASSERT_TRUE(server->start().isOk());
    // The wall file names the key files relative to itself, as a deployed wall does.
    wallFile = (dir / "wall.toml").string();
    std::ofstream(wallFile) << "[wall]\ncontrol = \"" << server->boundEndpoint()
                            << "\"\nlead_key = \"lead.key\"\nallowed_keys = \"allowed.toml\"\n"
                               "[[wall.nodes]]\nid = \"a\"\ntile = [0, 0]\nlead = true\n";
    loop = std::thread([this] {
      while (!stopping) {
        for (wall::PendingCommand& c : server->takePending()) {
          const auto* go = std::get_if<wall::GotoCommand>(&c.command);
          server->reply(c.id, go != nullptr && go->bookmark == "moon"
                                  ? wall::errorReply("no bookmark 'moon' in the config")
                                  : wall::okReply(nlohmann::json{
                                        {"request", nlohmann::json::parse(wall::encodeControlCommand(c.command))},
                                        {"from", c.from}}));
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
      }
    });
  }
  void TearDown() override {
    stopping = true;
    if (loop.joinable()) loop.join();
    server.reset();
  }
  // `greentwin ctl --wall W --key ops.key ARGS`
  CliRun ctl(const std::string& args, const std::string& key = {}) {
    return greentwin("ctl --wall " + wallFile + " --key " + (key.empty() ? ops : key) + " " + args);
  }

  fs::path dir;
  std::string ops, stranger, wallFile;
  std::unique_ptr<wall::ControlServer> server;
  std::thread loop;
  std::atomic<bool> stopping{false};
};

TEST_F(CtlCli, EachCommandLineSendsItsRequestAndPrintsTheReply) {
  const CliRun go = ctl("goto canal");
  ASSERT_EQ(go.exitCode, 0) << go.output;
  // The reply, pretty-printed; the lead knew the operator by its allow-list name.
  EXPECT_THAT(go.output, HasSubstr("\"ok\": true"));
  EXPECT_THAT(go.output, HasSubstr("\"from\": \"ops\""));
  EXPECT_THAT(go.output, HasSubstr("\"bookmark\": \"canal\""));
  const std::pair<std::string, std::string> cases[]{
      {"tour start morning", R"("cmd": "tour_start")"},
      {"tour next", R"("delta": 1)"},
      {"tour prev", R"("delta": -1)"},
      {"tour pause", R"("cmd": "tour_pause")"},
      {"time 2026-11-26T08:00:00+08:00", R"("time": "2026-11-26T00:00:00Z")"},
      {"rate -0.5", R"("rate": -0.5)"},
      {"play", R"("cmd": "play")"},
      {"layer hide aq-stations", R"("layer": "aq-stations")"},
      {"layer show aq-stations", R"("cmd": "show_layer")"},
      {"ack alert-17", R"("alert": "alert-17")"},
      {"screenshot --size 1920x540", R"("width": 1920)"},
      {"status", R"("cmd": "status")"},
      {R"(send '{"cmd":"hide_layer","layer":"bim"}')", R"("cmd": "hide_layer")"},
  };
  for (const auto& [args, expected] : cases) {
    const CliRun r = ctl(args);
    EXPECT_EQ(r.exitCode, 0) << args << ": " << r.output;
    EXPECT_THAT(r.output, HasSubstr(expected)) << args;
  }
  // --wall and --key may follow the command.
  const CliRun after = greentwin("ctl pause --wall " + wallFile + " --key " + ops);
  EXPECT_EQ(after.exitCode, 0) << after.output;
}

TEST_F(CtlCli, RefusalsExitOneWithTheLeadsError) {
  const CliRun moon = ctl("goto moon");
  EXPECT_EQ(moon.exitCode, 1);
  EXPECT_THAT(moon.output, HasSubstr("greentwin ctl: the lead refused it: no bookmark 'moon' in the config"));
  // A raw request is not checked locally: the lead's own errors come back.
  const CliRun unknown = ctl(R"(send '{"cmd":"fly"}')");
  EXPECT_EQ(unknown.exitCode, 1);
  EXPECT_THAT(unknown.output, HasSubstr("unknown command 'fly' (known: goto, tour_start, "));
  const CliRun malformed = ctl(R"(send '{"cmd":')");
  EXPECT_EQ(malformed.exitCode, 1);
  EXPECT_THAT(malformed.output, HasSubstr("malformed JSON: parse error at line 1, column 8"));
  const CliRun extra = ctl(R"(send '{"cmd":"status","all":true}')");
  EXPECT_EQ(extra.exitCode, 1);
  EXPECT_THAT(extra.output, HasSubstr("'status' takes no argument 'all'"));
}

TEST_F(CtlCli, MistakesFoundBeforeSendingExitTwo) {
  const CliRun time = ctl("time yesterday");
  EXPECT_EQ(time.exitCode, 2);
  EXPECT_THAT(time.output, HasSubstr("'set_time': 'time' is not an ISO 8601 time"));
  const CliRun rate = ctl("rate 0");
  EXPECT_EQ(rate.exitCode, 2);
  EXPECT_THAT(rate.output, HasSubstr("'rate' must be non-zero"));
  const CliRun size = ctl("screenshot --size big");
  EXPECT_EQ(size.exitCode, 2);
  EXPECT_THAT(size.output, HasSubstr("--size must be WIDTHxHEIGHT, got 'big'"));
  const CliRun noKey = greentwin("ctl --wall " + wallFile + " status");
  EXPECT_EQ(noKey.exitCode, 2);
  EXPECT_THAT(noKey.output, HasSubstr("the wall uses CURVE: an operator key file is needed"));
  const CliRun noWall = greentwin("ctl --wall " + (dir / "none.toml").string() + " status");
  EXPECT_EQ(noWall.exitCode, 2);
  EXPECT_THAT(noWall.output, HasSubstr("cannot read wall file"));
  const CliRun usage = greentwin("ctl --wall " + wallFile);
  EXPECT_EQ(usage.exitCode, 2);
  EXPECT_THAT(usage.output, HasSubstr("A subcommand is required"));
  // A missing or unknown command is told which ones there are.
  EXPECT_THAT(usage.output, HasSubstr("greentwin ctl: the commands are goto, tour, time, rate, play, pause, live,"));
  const CliRun unknown = ctl("fly canal");
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_THAT(unknown.output, HasSubstr("the commands are goto, tour,"));
}

TEST_F(CtlCli, UnknownKeyGetsNoAnswer) {
  const CliRun r = ctl("--timeout 400 status", stranger);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_THAT(r.output, HasSubstr("greentwin ctl: no answer from the lead at " + server->boundEndpoint() +
                                  " within 400 ms: is the lead running, is this operator key in its allowed_keys"));
  EXPECT_THAT(r.output, Not(HasSubstr("\"ok\"")));
  EXPECT_EQ(server->stats().requests, 0u);
}

}  // namespace
}  // namespace gt::viewer
