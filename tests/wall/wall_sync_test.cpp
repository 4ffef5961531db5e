#include "greentwin/wall/wall_sync.hpp"

#include <gtest/gtest.h>
#include <unistd.h>
#include <zmq.h>

#include <atomic>
#include <cmath>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"

namespace gt::wall {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using connectors::KeyPair;
using Clock = std::chrono::steady_clock;

// A lead key, node keys "b" and "c" admitted by the allow-list, and "stranger" not admitted, in a per-test folder.
struct WallKeys {
  fs::path dir;
  std::string leadKey, leadPublic, allowList;
  std::string nodeKey(const std::string& node) const { return (dir / (node + ".key")).string(); }
  std::shared_ptr<int> removeDir;  // removes `dir` when the last copy goes
};

KeyPair newKeys(const std::string& name) {
  auto k = connectors::generateKeyPair(name);
  EXPECT_TRUE(k) << k.status().message();
  return *k;
}

WallKeys makeKeys() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  WallKeys keys;
  // The process id too: two runs of the suite at once (ctest -j, --gtest_repeat in two shells) must not share keys.
  keys.dir = fs::path(GT_TEST_BINARY_DIR) /
             (std::string("wall_sync_") + info->name() + "_" + std::to_string(::getpid()));
  fs::remove_all(keys.dir);
  fs::create_directories(keys.dir);
  keys.removeDir = std::shared_ptr<int>(new int(0), [dir = keys.dir](int* p) {
    delete p;
    std::error_code ec;
    fs::remove_all(dir, ec);
  });
  const KeyPair lead = newKeys("wall-lead");
  keys.leadKey = (keys.dir / "lead.key").string();
  EXPECT_TRUE(connectors::writeKeyFile(keys.leadKey, lead));
  KeyPair leadPublic = lead;
  leadPublic.secretKey.clear();
  keys.leadPublic = (keys.dir / "lead.pub").string();
  EXPECT_TRUE(connectors::writeKeyFile(keys.leadPublic, leadPublic));
  // As `greentwin keys generate NODE --allow-list ...` does: the pair to its file, the public key admitted.
  connectors::AllowList list;
  for (const char* node : {"b", "c", "stranger"}) {
    const KeyPair k = newKeys(node);
    EXPECT_TRUE(connectors::writeKeyFile(keys.nodeKey(node), k));
    if (std::string(node) != "stranger") {
      EXPECT_TRUE(list.add(node, k.publicKey, wallNow()));
    }
  }
  keys.allowList = (keys.dir / "wall-allowed.toml").string();
  EXPECT_TRUE(list.save(keys.allowList));
  return keys;
}

WallSyncSettings leadSettings(const WallKeys& keys, bool barrier = false) {
  WallSyncSettings s;
  s.syncEndpoint = "tcp://127.0.0.1:*";  // a free port; the lead reports it
  if (barrier) s.barrierEndpoint = "tcp://127.0.0.1:*";
  s.leadKeyFile = keys.leadKey;
  s.allowListFile = keys.allowList;
  return s;
}

WallSyncSettings followerSettings(const WallKeys& keys, const WallLead& lead, const std::string& node) {
  WallSyncSettings s;
  s.syncEndpoint = lead.syncEndpoint();
  s.barrierEndpoint = lead.barrierEndpoint();
  s.leadKeyFile = keys.leadPublic;  // a follower needs only the lead's public key
  s.nodeKeyFile = keys.nodeKey(node);
  s.nodeId = node;
  return s;
}

std::unique_ptr<WallLead> makeLead(const WallSyncSettings& s) {
  auto lead = WallLead::create(s);
  EXPECT_TRUE(lead) << lead.status().message();
  return lead ? std::move(*lead) : nullptr;
}

std::unique_ptr<WallFollower> makeFollower(const WallSyncSettings& s) {
  auto f = WallFollower::create(s);
  EXPECT_TRUE(f) << f.status().message();
  return f ? std::move(*f) : nullptr;
}

WallFrameState frameNo(std::uint64_t n) {
  WallFrameState s;
  s.frame = n;
  s.clockTime = 1'795'000'000'000'000 + static_cast<TimePoint>(n) * 16'667;
  s.camera = CameraPose{double(n), 2.0, 3.0, 90.0, -30.0, 800.0};
  s.language = "en";
  s.layers = {{"city-buildings", true, 0.5F}};
  return s;
}

// Publishes a frame every 5 ms until every follower has one (ZeroMQ connects and CURVE handshakes in the
// background: the first frames go nowhere). False after `timeout`.
bool warmUp(WallLead& lead, const std::vector<WallFollower*>& followers, std::chrono::milliseconds timeout = 3s) {
  const auto deadline = Clock::now() + timeout;
  std::vector<bool> got(followers.size(), false);
  for (std::uint64_t n = 1; Clock::now() < deadline; ++n) {
    EXPECT_TRUE(lead.publish(frameNo(n)));
    bool all = true;
    for (std::size_t i = 0; i < followers.size(); ++i) {
      got[i] = got[i] || followers[i]->poll(5).has_value();
      all = all && got[i];
    }
    if (all) break;
  }
  // A marker frame last: once every follower has it, nothing from the warm-up is left in flight.
  const std::uint64_t marker = 999'999;
  EXPECT_TRUE(lead.publish(frameNo(marker)));
  for (WallFollower* f : followers) {
    std::optional<WallFrameState> last;
    while ((!last || last->frame != marker) && Clock::now() < deadline + 2s) last = f->poll(50);
    if (!last || last->frame != marker) return false;
  }
  return true;
}

// A lead and follower "b" (lead_lost_after_s as given), connected and warmed up; empty pointers on failure.
struct ConnectedPair {
  WallKeys keys;
  std::unique_ptr<WallLead> lead;
  std::unique_ptr<WallFollower> b;
};

ConnectedPair connectedPair(double leadLostAfterS) {
  ConnectedPair p;
  p.keys = makeKeys();
  p.lead = makeLead(leadSettings(p.keys));
  if (!p.lead) return p;
  WallSyncSettings fset = followerSettings(p.keys, *p.lead, "b");
  fset.leadLostAfterS = leadLostAfterS;
  p.b = makeFollower(fset);
  if (p.b && !warmUp(*p.lead, {p.b.get()})) p.b.reset();
  return p;
}

TEST(WallSync, LeadAndTwoCurveFollowersSeeTheSameFrames) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys));
  ASSERT_TRUE(lead);
  EXPECT_NE(lead->syncEndpoint().find("tcp://127.0.0.1:"), std::string::npos);
  auto b = makeFollower(followerSettings(keys, *lead, "b"));
  auto c = makeFollower(followerSettings(keys, *lead, "c"));
  ASSERT_TRUE(b && c);
  ASSERT_TRUE(warmUp(*lead, {b.get(), c.get()}));
  for (std::uint64_t n = 1000; n < 1030; ++n) {
    ASSERT_TRUE(lead->publish(frameNo(n)));
    auto fb = b->poll(2000);
    auto fc = c->poll(2000);
    ASSERT_TRUE(fb && fc) << "frame " << n;
    EXPECT_EQ(fb->frame, n);
    EXPECT_EQ(fc->frame, n);
    EXPECT_EQ(*fb, *fc);  // the same bytes, send times included
    EXPECT_EQ(fb->camera.x, double(n));
    EXPECT_GT(fb->sentSteadyNs, 0);  // stamped by publish()
  }
  EXPECT_EQ(b->stats().lastFrame, std::optional<std::uint64_t>(1029));
  EXPECT_EQ(b->stats().malformed, 0u);
  EXPECT_FALSE(b->leadLost());
}

TEST(WallSync, PollReturnsOnlyTheNewestOfQueuedFrames) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys));
  auto b = makeFollower(followerSettings(keys, *lead, "b"));
  ASSERT_TRUE(lead && b);
  ASSERT_TRUE(warmUp(*lead, {b.get()}));
  const auto before = b->stats().framesReceived;
  for (std::uint64_t n = 500; n < 510; ++n) ASSERT_TRUE(lead->publish(frameNo(n)));
  // Let all ten arrive, then one poll drains them.
  ASSERT_TRUE([&] {
    for (int i = 0; i < 200; ++i) {
      std::this_thread::sleep_for(10ms);
      if (auto f = b->poll(0)) {
        if (f->frame == 509) return true;
      }
    }
    return false;
  }());
  EXPECT_EQ(b->stats().framesReceived - before, 10u);
  EXPECT_FALSE(b->poll(0).has_value());  // nothing newer
}

TEST(WallSync, FollowerWhoseKeyIsNotAdmittedGetsNothing) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys));
  auto b = makeFollower(followerSettings(keys, *lead, "b"));
  auto stranger = makeFollower(followerSettings(keys, *lead, "stranger"));
  ASSERT_TRUE(lead && b && stranger);
  ASSERT_TRUE(warmUp(*lead, {b.get()}));  // the lead publishes and an admitted follower receives...
  for (std::uint64_t n = 0; n < 60; ++n) {
    ASSERT_TRUE(lead->publish(frameNo(n)));
    EXPECT_FALSE(stranger->poll(5).has_value());  // ...but the stranger never completes its handshake
  }
  EXPECT_TRUE(b->poll(100).has_value());
  EXPECT_EQ(stranger->stats().framesReceived, 0u);
  EXPECT_FALSE(stranger->stats().lastFrame.has_value());
  // The stranger knows why: the lead refused its key (not "no lead"); the admitted node's link is up.
  const auto asked = Clock::now();
  while (stranger->link() != LeadLink::Refused && Clock::now() - asked < 3s) (void)stranger->poll(20);
  EXPECT_EQ(stranger->link(), LeadLink::Refused) << toString(stranger->link());
  EXPECT_GE(stranger->stats().refusals, 1u);
  EXPECT_EQ(b->link(), LeadLink::Up) << toString(b->link());
}

TEST(WallSync, FollowerWithAnotherLeadKeyGetsNothing) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys));
  ASSERT_TRUE(lead);
  WallSyncSettings s = followerSettings(keys, *lead, "b");
  s.leadKeyFile = keys.nodeKey("c");  // an impostor's idea of the lead
  auto b = makeFollower(s);
  ASSERT_TRUE(b);
  for (std::uint64_t n = 0; n < 60; ++n) {
    ASSERT_TRUE(lead->publish(frameNo(n)));
    EXPECT_FALSE(b->poll(5).has_value());
  }
  EXPECT_EQ(b->stats().framesReceived, 0u);
  EXPECT_NE(b->link(), LeadLink::Up);  // never up, so never "down" either: this follower waits, it lost nothing
  EXPECT_NE(b->link(), LeadLink::Down);
}

TEST(WallSync, SecurityNoneWorksWithoutKeys) {
  WallSyncSettings s;
  s.syncEndpoint = "tcp://127.0.0.1:*";
  s.curve = false;
  auto lead = makeLead(s);
  ASSERT_TRUE(lead);
  WallSyncSettings f;
  f.syncEndpoint = lead->syncEndpoint();
  f.curve = false;
  auto b = makeFollower(f);
  ASSERT_TRUE(b);
  ASSERT_TRUE(warmUp(*lead, {b.get()}));
  ASSERT_TRUE(lead->publish(frameNo(77)));
  auto got = b->poll(2000);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->frame, 77u);
}

// A lead that is alive but sends nothing (its render loop hung) is lost after lead_lost_after_s of silence; its
// connection is still up.
TEST(WallSync, ASilentLeadIsLostAfterItsTime) {
  auto [keys, lead, b] = connectedPair(0.3);
  ASSERT_TRUE(lead && b);
  EXPECT_FALSE(b->leadLost());
  EXPECT_EQ(b->link(), LeadLink::Up);
  const auto quiet = Clock::now();
  while (!b->leadLost() && Clock::now() - quiet < 3s) (void)b->poll(10);
  ASSERT_TRUE(b->leadLost());
  EXPECT_GE(b->sinceLastFrameS(), 0.3);
  EXPECT_LT(b->sinceLastFrameS(), 1.0);
  EXPECT_EQ(b->link(), LeadLink::Up);
}

// A lead whose process ends closes its connection: the follower reports it lost at its next poll, long before its
// silence would (lead_lost_after_s 30 s here), and follows a restarted lead on the same endpoint within 2 s. Before
// the link monitor it was reported only after lead_lost_after_s.
TEST(WallSync, ALeadThatEndsIsLostAtOnceAndRegainedAfterARestart) {
  auto [keys, lead, b] = connectedPair(30);
  ASSERT_TRUE(lead && b);
  EXPECT_FALSE(b->leadLost());
  EXPECT_EQ(b->link(), LeadLink::Up);
  const std::string endpoint = lead->syncEndpoint();
  lead.reset();
  const auto gone = Clock::now();
  while (!b->leadLost() && Clock::now() - gone < 5s) (void)b->poll(10);
  ASSERT_TRUE(b->leadLost());
  EXPECT_LT(Clock::now() - gone, 1s);
  EXPECT_EQ(b->link(), LeadLink::Down);
  EXPECT_EQ(b->stats().disconnects, 1u);

  // A new lead on the same endpoint: ZeroMQ reconnects, the follower receives again within 2 s.
  WallSyncSettings again = leadSettings(keys);
  again.syncEndpoint = endpoint;
  lead = makeLead(again);
  ASSERT_TRUE(lead);
  const auto back = Clock::now();
  std::optional<WallFrameState> got;
  for (std::uint64_t n = 1; !got && Clock::now() - back < 2s; ++n) {
    ASSERT_TRUE(lead->publish(frameNo(n)));
    got = b->poll(16);
  }
  ASSERT_TRUE(got) << "no frame within 2 s of the lead's restart";
  EXPECT_FALSE(b->leadLost());
  EXPECT_EQ(b->link(), LeadLink::Up);
  EXPECT_LT(b->sinceLastFrameS(), 0.1);
}

// A lead that announced a long hold (a screenshot) and then ends is not waited for: the closed connection ends the
// hold. Before, the follower kept the frame as current for the whole hold.
TEST(WallSync, ALeadThatEndsDuringItsHoldIsLostAtOnce) {
  auto [keys, lead, b] = connectedPair(0.5);
  ASSERT_TRUE(lead && b);
  ASSERT_TRUE(lead->announceHold(30).isOk());
  const auto held = Clock::now();
  while (b->holdRemainingS() == 0 && Clock::now() - held < 2s) (void)b->poll(10);
  ASSERT_GT(b->holdRemainingS(), 0.0) << "the hold did not arrive";
  EXPECT_FALSE(b->leadLost());
  lead.reset();
  const auto gone = Clock::now();
  while (!b->leadLost() && Clock::now() - gone < 5s) (void)b->poll(10);
  ASSERT_TRUE(b->leadLost()) << "still held after 5 s";
  EXPECT_LT(Clock::now() - gone, 1s);
  EXPECT_EQ(b->holdRemainingS(), 0.0);
}

// A lead busy with a screenshot announces a hold: its followers do not report it lost during the hold, then count
// their silence from the hold's end; a frame ends the hold at once.
TEST(WallSync, AnAnnouncedHoldKeepsTheLeadFromBeingReportedLost) {
  auto [keys, lead, b] = connectedPair(0.2);
  ASSERT_TRUE(lead && b);
  EXPECT_FALSE(lead->announceHold(kMaxLeadHoldS + 1).isOk());
  EXPECT_FALSE(lead->announceHold(-1).isOk());
  ASSERT_TRUE(lead->announceHold(0.8).isOk());
  const auto held = Clock::now();
  while (b->holdRemainingS() == 0 && Clock::now() - held < 2s) (void)b->poll(10);
  ASSERT_GT(b->holdRemainingS(), 0.0) << "the hold did not arrive";
  while (Clock::now() - held < 600ms) {
    (void)b->poll(10);
    ASSERT_FALSE(b->leadLost()) << "lost during the hold, after " << (Clock::now() - held) / 1ms << " ms";
  }
  // The hold runs out and no frame came: lost leadLostAfterS later.
  while (!b->leadLost() && Clock::now() - held < 3s) (void)b->poll(10);
  ASSERT_TRUE(b->leadLost());
  EXPECT_GE(Clock::now() - held, 0.8s + 0.2s - 50ms);
  // A hold, then a frame: the frame ends it.
  ASSERT_TRUE(lead->announceHold(30).isOk());
  ASSERT_TRUE(lead->publish(frameNo(2'000'000)));
  std::optional<WallFrameState> got;
  while (!got && Clock::now() - held < 5s) got = b->poll(10);
  ASSERT_TRUE(got);
  EXPECT_EQ(b->holdRemainingS(), 0.0);
}

TEST(WallSync, RestartedFollowerGetsAFrameQuickly) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys));
  ASSERT_TRUE(lead);
  // The lead publishes at 60 Hz on its own thread (it belongs to that thread while it runs).
  std::atomic<bool> stop{false};
  std::thread publisher([&] {
    for (std::uint64_t n = 1; !stop; ++n) {
      (void)lead->publish(frameNo(n));
      std::this_thread::sleep_for(16ms);
    }
  });
  const WallSyncSettings fset = followerSettings(keys, *lead, "b");
  for (int restart = 0; restart < 3; ++restart) {
    const auto start = Clock::now();
    auto b = makeFollower(fset);
    ASSERT_TRUE(b);
    const auto got = b->poll(2000);
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    EXPECT_TRUE(got.has_value()) << "restart " << restart;
    EXPECT_LT(seconds, 1.0) << "restart " << restart;
  }
  stop = true;
  publisher.join();
}

TEST(WallSync, SwapBarrierWaitsForLiveNodesAndDropsADeadOne) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys, /*barrier=*/true));
  ASSERT_TRUE(lead);
  ASSERT_FALSE(lead->barrierEndpoint().empty());
  auto b = makeFollower(followerSettings(keys, *lead, "b"));
  auto c = makeFollower(followerSettings(keys, *lead, "c"));
  ASSERT_TRUE(b && c);
  ASSERT_TRUE(warmUp(*lead, {b.get(), c.get()}));

  // One wall frame: publish, every follower draws and says ready, the lead waits, releases, all swap.
  auto wallFrame = [&](std::uint64_t n, std::vector<WallFollower*> alive, int timeoutMs) {
    EXPECT_TRUE(lead->publish(frameNo(n)));
    for (WallFollower* f : alive) {
      // Warm-up frames may still be queued ahead of frame n: poll until n itself is the newest.
      std::optional<WallFrameState> got;
      const auto deadline = Clock::now() + 1s;
      while ((!got || got->frame != n) && Clock::now() < deadline) got = f->poll(100);
      EXPECT_TRUE(got && got->frame == n);
      f->sendReady(n);
    }
    BarrierOutcome out = lead->waitForBarrier(n, timeoutMs);
    for (WallFollower* f : alive) EXPECT_TRUE(f->waitForRelease(n, 1000)) << "frame " << n;
    return out;
  };
  // The nodes join with their first ready (DEALER connect + handshake may take a few frames). Bounded in time, not
  // frames: a frame without joined nodes takes about a millisecond, and the CURVE handshakes more under load.
  std::uint64_t n = 100;
  const auto joinDeadline = Clock::now() + 10s;
  for (; Clock::now() < joinDeadline && lead->barrierNodes().size() < 2; ++n) {
    (void)wallFrame(n, {b.get(), c.get()}, 50);
  }
  ASSERT_EQ(lead->barrierNodes(), (std::vector<std::string>{"b", "c"}));

  BarrierOutcome all = wallFrame(++n, {b.get(), c.get()}, 2000);
  EXPECT_TRUE(all.complete);
  EXPECT_EQ(all.ready, (std::vector<std::string>{"b", "c"}));
  EXPECT_LT(all.waitedMs, 1000.0);

  c.reset();  // a follower dies
  BarrierOutcome missed = wallFrame(++n, {b.get()}, 300);
  EXPECT_FALSE(missed.complete);
  EXPECT_EQ(missed.dropped, (std::vector<std::string>{"c"}));
  EXPECT_EQ(missed.ready, (std::vector<std::string>{"b"}));
  EXPECT_GE(missed.waitedMs, 290.0);
  EXPECT_LT(missed.waitedMs, 1000.0);
  EXPECT_EQ(lead->barrierNodes(), (std::vector<std::string>{"b"}));

  // The dead node no longer stalls anything: the next frames complete as soon as b is ready.
  for (int i = 0; i < 5; ++i) {
    BarrierOutcome next = wallFrame(++n, {b.get()}, 300);
    EXPECT_TRUE(next.complete) << "ready sent " << b->stats().readySent << " dropped " << b->stats().readyDropped;
    EXPECT_LT(next.waitedMs, 250.0);
  }
  EXPECT_EQ(lead->stats().barrierTimeouts, 1u);
}

TEST(WallSync, ReleasesOfARestartedLeadStartAgain) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys, /*barrier=*/true));
  ASSERT_TRUE(lead);
  auto b = makeFollower(followerSettings(keys, *lead, "b"));
  ASSERT_TRUE(b);
  ASSERT_TRUE(warmUp(*lead, {b.get()}));
  (void)lead->waitForBarrier(999'999, 50);  // releases the marker frame, the last warm-up frame
  EXPECT_TRUE(b->waitForRelease(999'999, 1000));

  // The lead restarts on the same endpoints and counts frames from 1 again.
  WallSyncSettings again = leadSettings(keys, true);
  again.syncEndpoint = lead->syncEndpoint();
  again.barrierEndpoint = lead->barrierEndpoint();
  lead.reset();
  lead = makeLead(again);
  ASSERT_TRUE(lead);
  ASSERT_TRUE(warmUp(*lead, {b.get()}));
  ASSERT_TRUE(lead->publish(frameNo(2)));
  std::optional<WallFrameState> got;
  for (int i = 0; i < 100 && (!got || got->frame != 2); ++i) got = b->poll(10);
  ASSERT_TRUE(got && got->frame == 2);
  // The old lead's release of frame 999999 must not count: nothing is released until the new lead releases.
  EXPECT_FALSE(b->waitForRelease(2, 150));
  (void)lead->waitForBarrier(2, 10);
  EXPECT_TRUE(b->waitForRelease(2, 1000));
}

TEST(WallSync, MalformedMessagesAreCountedNotFatal) {
  // A raw PUB stands in for a broken lead (security none).
  void* ctx = zmq_ctx_new();
  void* pub = zmq_socket(ctx, ZMQ_PUB);
  ASSERT_EQ(zmq_bind(pub, "tcp://127.0.0.1:*"), 0);
  char endpoint[256];
  std::size_t size = sizeof endpoint;
  ASSERT_EQ(zmq_getsockopt(pub, ZMQ_LAST_ENDPOINT, endpoint, &size), 0);
  WallSyncSettings f;
  f.syncEndpoint = endpoint;
  f.curve = false;
  auto b = makeFollower(f);
  ASSERT_TRUE(b);
  const auto good = *encodeFrameState(frameNo(5));
  // Until connected, send valid frames; then garbage of three kinds and one good frame.
  std::optional<WallFrameState> got;
  for (int i = 0; i < 300 && !got; ++i) {
    zmq_send(pub, good.data(), good.size(), 0);
    got = b->poll(10);
  }
  ASSERT_TRUE(got);
  const auto before = b->stats();
  const std::string junk = "hello";
  std::vector<std::uint8_t> wrongVersion = good;
  wrongVersion[4] = 9;
  std::vector<std::uint8_t> cut(good.begin(), good.begin() + 40);
  zmq_send(pub, junk.data(), junk.size(), 0);
  zmq_send(pub, wrongVersion.data(), wrongVersion.size(), 0);
  zmq_send(pub, cut.data(), cut.size(), 0);
  zmq_send(pub, good.data(), good.size(), 0);
  got.reset();
  for (int i = 0; i < 100 && !got; ++i) got = b->poll(10);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->frame, 5u);
  EXPECT_EQ(b->stats().malformed - before.malformed, 3u);
  EXPECT_EQ(b->stats().framesReceived - before.framesReceived, 1u);
  b.reset();
  zmq_close(pub);
  zmq_ctx_term(ctx);
}

TEST(WallSync, ALayersLookReachesTheFollowerAndABrokenOneLeavesTheLastKept) {
  const WallKeys keys = makeKeys();
  auto lead = makeLead(leadSettings(keys));
  ASSERT_TRUE(lead);
  auto b = makeFollower(followerSettings(keys, *lead, "b"));
  ASSERT_TRUE(b);
  ASSERT_TRUE(warmUp(*lead, {b.get()}));
  EXPECT_EQ(b->look("city-buildings"), nullptr);
  LayerLook look;
  look.layerId = "city-buildings";
  look.revision = 7;
  look.styleText = "fill_color = \"#ff0000\"\ncolor_mode = \"single\"\n";
  look.filterText = "height_m > 60";
  look.valuesAttribute = "change of load_kw";
  look.values = {1.5, std::nan(""), -2.0};
  ASSERT_TRUE(lead->publishLook(look));
  WallFrameState frame = frameNo(2000);
  frame.layers[0].look = 7;
  ASSERT_TRUE(lead->publish(frame));
  auto got = b->poll(2000);
  ASSERT_TRUE(got);
  EXPECT_EQ(got->layers[0].look, 7u);
  const LayerLook* kept = b->look("city-buildings");
  ASSERT_NE(kept, nullptr);  // sent before the frame on the same socket: here with it
  EXPECT_EQ(kept->revision, 7u);
  EXPECT_EQ(kept->styleText, look.styleText);
  EXPECT_EQ(kept->filterText, "height_m > 60");
  ASSERT_EQ(kept->values.size(), 3u);
  EXPECT_TRUE(std::isnan(kept->values[1]));
  EXPECT_EQ(lead->stats().looksPublished, 1u);
  EXPECT_EQ(b->stats().looksReceived, 1u);

  // The lead refuses to send what a follower would refuse; bytes that are broken on the way are counted, and the
  // follower keeps the look it had.
  LayerLook bad = look;
  bad.revision = 0;
  EXPECT_EQ(lead->publishLook(bad).code(), ErrorCode::InvalidArgument);
  const auto before = b->stats();
  std::vector<std::uint8_t> cut = *encodeLayerLook(look);
  cut.resize(cut.size() - 3);
  (void)lead->publishEncoded(cut);
  ASSERT_TRUE(lead->publish(frameNo(2001)));
  got = b->poll(2000);
  ASSERT_TRUE(got);
  EXPECT_EQ(b->stats().malformed - before.malformed, 1u);
  ASSERT_NE(b->look("city-buildings"), nullptr);
  EXPECT_EQ(b->look("city-buildings")->revision, 7u);
}

TEST(WallSync, CreationErrorsNameTheProblem) {
  const WallKeys keys = makeKeys();
  auto expectError = [](const Status& s, ErrorCode code, const std::string& text) {
    EXPECT_EQ(s.code(), code) << s.message();
    EXPECT_NE(s.message().find(text), std::string::npos) << s.message();
  };
  WallSyncSettings s = leadSettings(keys);
  s.syncEndpoint = "nonsense://here";
  expectError(WallLead::create(s).status(), ErrorCode::InvalidArgument, "'nonsense://here'");

  s = leadSettings(keys);
  s.leadKeyFile = keys.leadPublic;
  expectError(WallLead::create(s).status(), ErrorCode::InvalidArgument, "holds no secret key");

  s = leadSettings(keys);
  s.leadKeyFile = (keys.dir / "missing.key").string();
  EXPECT_NE(WallLead::create(s).status().message().find("missing.key"), std::string::npos);

  s = leadSettings(keys);
  s.allowListFile = (keys.dir / "missing.toml").string();
  EXPECT_NE(WallLead::create(s).status().message().find("missing.toml"), std::string::npos);

  auto lead = makeLead(leadSettings(keys));
  ASSERT_TRUE(lead);
  s = leadSettings(keys);
  s.syncEndpoint = lead->syncEndpoint();  // busy
  expectError(WallLead::create(s).status(), ErrorCode::IoError, lead->syncEndpoint());

  WallSyncSettings f = followerSettings(keys, *lead, "b");
  f.nodeKeyFile = keys.leadPublic;
  expectError(WallFollower::create(f).status(), ErrorCode::InvalidArgument, "holds no secret key");
  f = followerSettings(keys, *lead, "b");
  f.syncEndpoint = "tcp://";
  expectError(WallFollower::create(f).status(), ErrorCode::InvalidArgument, "'tcp://'");
}

TEST(WallSync, SettingsFromTheWallFile) {
  const std::string text = R"(
[wall]
columns = 2
sync = "tcp://10.0.0.1:7710"
barrier = "tcp://10.0.0.1:7712"
lead_key = "keys/lead.key"
allowed_keys = "keys/wall-allowed.toml"
swap_barrier = true
lead_lost_after_s = 2.5

[[wall.nodes]]
id = "a"
tile = [0, 0]
lead = true

[[wall.nodes]]
id = "b"
tile = [1, 0]
key = "keys/b.key"
)";
  auto config = parseWallConfig(text, "/srv/wall/wall.toml");
  ASSERT_TRUE(config) << config.status().message();
  const WallSyncSettings lead = leadSyncSettings(*config);
  EXPECT_EQ(lead.syncEndpoint, "tcp://10.0.0.1:7710");
  EXPECT_EQ(lead.barrierEndpoint, "tcp://10.0.0.1:7712");
  EXPECT_EQ(lead.leadKeyFile, "/srv/wall/keys/lead.key");
  EXPECT_EQ(lead.allowListFile, "/srv/wall/keys/wall-allowed.toml");
  EXPECT_TRUE(lead.curve);
  auto b = followerSyncSettings(*config, "b");
  ASSERT_TRUE(b) << b.status().message();
  EXPECT_EQ(b->nodeKeyFile, "/srv/wall/keys/b.key");
  EXPECT_EQ(b->nodeId, "b");
  EXPECT_EQ(b->leadLostAfterS, 2.5);
  EXPECT_TRUE(b->allowListFile.empty());
  EXPECT_EQ(followerSyncSettings(*config, "zz").status().code(), ErrorCode::NotFound);
  EXPECT_EQ(followerSyncSettings(*config, "a").status().code(), ErrorCode::InvalidArgument);
}

}  // namespace
}  // namespace gt::wall
