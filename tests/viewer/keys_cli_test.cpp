// `greentwin keys ...` as a user runs it (the real binary, no window, no DISPLAY): key files written with the right
// modes, the allow-list edited, errors on stderr with a non-zero exit.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"

namespace gt::viewer {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

struct CliRun {
  int exitCode = -1;
  std::string output;  // stdout and stderr
};

CliRun greentwin(const std::string& args) {
  const std::string command = "env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(GT_GREENTWIN) + " " + args + " 2>&1";
  CliRun r;
  FILE* p = popen(command.c_str(), "r");
  if (p == nullptr) return r;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p) != nullptr) r.output += buf;
  const int status = pclose(p);
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

// Z85 keys hold shell characters ($ & ! ...): quote them as a user must (Z85 has no single quote).
std::string q(const std::string& arg) { return "'" + arg + "'"; }

unsigned modeOf(const fs::path& p) {
  struct stat st {};
  return ::stat(p.c_str(), &st) == 0 ? (st.st_mode & 0777) : 0;
}

class KeysCli : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::path(GT_TEST_BINARY_DIR) / ("keys_cli_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    list = (dir / "allowed.toml").string();
  }
  fs::path dir;
  std::string list;
};

TEST_F(KeysCli, ServerWritesTheTwinsPairAndItsPublicHalf) {
  const CliRun r = greentwin("keys server --out " + (dir / "twin.key").string());
  ASSERT_EQ(r.exitCode, 0) << r.output;
  EXPECT_EQ(modeOf(dir / "twin.key"), 0600u);
  EXPECT_EQ(modeOf(dir / "twin.pub"), 0644u);
  auto pair = connectors::readKeyFile((dir / "twin.key").string());
  auto pub = connectors::readKeyFile((dir / "twin.pub").string());
  ASSERT_TRUE(pair) << pair.status().message();
  ASSERT_TRUE(pub) << pub.status().message();
  EXPECT_TRUE(pair->hasSecret());
  EXPECT_FALSE(pub->hasSecret());
  EXPECT_EQ(pub->publicKey, pair->publicKey);
  EXPECT_EQ(pair->name, "twin");
  EXPECT_THAT(r.output, HasSubstr("public key: " + pair->publicKey));

  // Never replaced by accident.
  const CliRun again = greentwin("keys server --out " + (dir / "twin.key").string());
  EXPECT_EQ(again.exitCode, 1);
  EXPECT_THAT(again.output, HasSubstr("twin.key' already exists"));
  EXPECT_EQ(connectors::readKeyFile((dir / "twin.key").string())->secretKey, pair->secretKey);
  EXPECT_EQ(greentwin("keys server --force --out " + (dir / "twin.key").string()).exitCode, 0);
  EXPECT_NE(connectors::readKeyFile((dir / "twin.key").string())->secretKey, pair->secretKey);
}

TEST_F(KeysCli, GenerateAllowListRevoke) {
  const CliRun gen = greentwin("keys generate aq-feed --out " + (dir / "aq.key").string() + " --allow-list " + list);
  ASSERT_EQ(gen.exitCode, 0) << gen.output;
  EXPECT_EQ(modeOf(dir / "aq.key"), 0600u);
  auto aq = connectors::readKeyFile((dir / "aq.key").string());
  ASSERT_TRUE(aq) << aq.status().message();
  auto allowed = connectors::AllowList::load(list);
  ASSERT_TRUE(allowed) << allowed.status().message();
  ASSERT_NE(allowed->findAdmitted(aq->publicKey), nullptr);
  EXPECT_EQ(allowed->findAdmitted(aq->publicKey)->name, "aq-feed");

  // allow: by key text, or by a key file.
  auto other = connectors::generateKeyPair("other");
  ASSERT_TRUE(other);
  // The options first and the key after `--`: a Z85 key may begin with '-' (1 in 85), which would read as an option.
  const CliRun traffic = greentwin("keys allow --publisher traffic-links --publisher 'traffic-bus-*' --allow-list " +
                                   list + " -- traffic " + q(other->publicKey));
  EXPECT_EQ(traffic.exitCode, 0) << traffic.output;
  EXPECT_THAT(traffic.output, HasSubstr("sending as traffic-links, traffic-bus-*"));
  const CliRun badPattern = greentwin("keys allow --publisher 'a*b' --allow-list " + list + " -- pat " +
                                      q(connectors::generateKeyPair("p")->publicKey));
  EXPECT_EQ(badPattern.exitCode, 1);
  EXPECT_THAT(badPattern.output, HasSubstr("'*' only at the end"));
  ASSERT_EQ(greentwin("keys server --out " + (dir / "pubsrc.key").string()).exitCode, 0);
  const CliRun byFile = greentwin("keys allow from-file " + (dir / "pubsrc.pub").string() + " --allow-list " + list);
  EXPECT_EQ(byFile.exitCode, 0) << byFile.output;
  const CliRun bad = greentwin("keys allow bad not-a-key --allow-list " + list);
  EXPECT_EQ(bad.exitCode, 1);
  EXPECT_THAT(bad.output, HasSubstr("'not-a-key' is neither a public key"));
  const CliRun dup = greentwin("keys allow --allow-list " + list + " -- traffic2 " + q(other->publicKey));
  // A key beginning with '-' is admitted when it comes after `--` (docs/security.md).
  const CliRun dash = greentwin("keys allow --allow-list " + list + " -- dash '-bcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMN'");
  EXPECT_EQ(dash.exitCode, 0) << dash.output;
  EXPECT_EQ(dup.exitCode, 1);
  EXPECT_THAT(dup.output, HasSubstr("already admitted as 'traffic'"));

  const CliRun listed = greentwin("keys list --allow-list " + list);
  ASSERT_EQ(listed.exitCode, 0) << listed.output;
  EXPECT_THAT(listed.output, HasSubstr("aq-feed"));
  EXPECT_THAT(listed.output, HasSubstr(other->publicKey + "  admitted since "));
  EXPECT_THAT(listed.output, HasSubstr("(traffic-links, traffic-bus-*)"));
  EXPECT_THAT(listed.output, HasSubstr("(aq-feed)"));
  EXPECT_THAT(listed.output, HasSubstr("from-file"));

  const CliRun revoked = greentwin("keys revoke aq-feed --allow-list " + list);
  ASSERT_EQ(revoked.exitCode, 0) << revoked.output;
  EXPECT_THAT(revoked.output, HasSubstr("revoked 'aq-feed'"));
  allowed = connectors::AllowList::load(list);
  ASSERT_TRUE(allowed);
  EXPECT_EQ(allowed->findAdmitted(aq->publicKey), nullptr);
  EXPECT_NE(allowed->findAdmitted(other->publicKey), nullptr);
  EXPECT_THAT(greentwin("keys list --allow-list " + list).output, HasSubstr("REVOKED at "));
  const CliRun byKey = greentwin("keys revoke --allow-list " + list + " -- " + q(other->publicKey));
  EXPECT_EQ(byKey.exitCode, 0) << byKey.output;

  const CliRun twice = greentwin("keys revoke aq-feed --allow-list " + list);
  EXPECT_EQ(twice.exitCode, 1);
  EXPECT_THAT(twice.output, HasSubstr("already revoked"));
  const CliRun nobody = greentwin("keys revoke nobody --allow-list " + list);
  EXPECT_EQ(nobody.exitCode, 1);
  EXPECT_THAT(nobody.output, HasSubstr("no admitted publisher named 'nobody'"));
}

// Issue 15: a key may be granted entity prefixes, a maximum declared interval and a maximum backfill, as easily as
// publisher ids.
TEST_F(KeysCli, EntityGrantsAndMaxIntervalAreWrittenToTheAllowList) {
  const CliRun gen = greentwin("keys generate energy-feed --out " + (dir / "energy.key").string() +
                               " --entity 'energy/building/*' --entity substation-1 --max-interval 60 "
                               "--max-backfill 3600 --allow-list " + list);
  ASSERT_EQ(gen.exitCode, 0) << gen.output;
  EXPECT_THAT(gen.output, HasSubstr("writing energy/building/*, substation-1"));
  auto key = connectors::readKeyFile((dir / "energy.key").string());
  ASSERT_TRUE(key) << key.status().message();
  auto allowed = connectors::AllowList::load(list);
  ASSERT_TRUE(allowed) << allowed.status().message();
  const connectors::AllowListEntry* e = allowed->findAdmitted(key->publicKey);
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->entities, (std::vector<std::string>{"energy/building/*", "substation-1"}));
  EXPECT_EQ(e->maxInterval, 60 * kMicrosPerSecond);
  EXPECT_EQ(e->maxBackfill, 3600 * kMicrosPerSecond);
  EXPECT_TRUE(e->mayWrite("energy/building/b-7"));
  EXPECT_FALSE(e->mayWrite("air/station/3"));
  EXPECT_THAT(greentwin("keys list --allow-list " + list).output,
              HasSubstr("(energy-feed) [energy/building/*, substation-1] max_interval_s=60 max_backfill_s=3600"));

  // A Z85 key may start with '-', which the command line would take for an option: such keys are not used here.
  auto publicKey = [] {
    for (;;) {
      auto k = connectors::generateKeyPair("k");
      if (k && k->publicKey[0] != '-') return k->publicKey;
    }
  };
  // Without --entity: any entity, as before entity grants.
  const CliRun open = greentwin("keys allow any-feed " + q(publicKey()) + " --allow-list " + list);
  ASSERT_EQ(open.exitCode, 0) << open.output;
  EXPECT_THAT(open.output, HasSubstr("writing any entity"));

  const CliRun badEntity = greentwin("keys allow bad-entity " + q(publicKey()) +
                                     " --entity 'a*b' --allow-list " + list);
  EXPECT_EQ(badEntity.exitCode, 1);
  EXPECT_THAT(badEntity.output, HasSubstr("entity id pattern 'a*b'"));
  const CliRun badInterval = greentwin("keys allow bad-interval " + q(publicKey()) +
                                       " --max-interval 0.5 --allow-list " + list);
  EXPECT_EQ(badInterval.exitCode, 1);
  EXPECT_THAT(badInterval.output, HasSubstr("--max-interval must be from 1 to 604800"));
  const CliRun badBackfill = greentwin("keys allow bad-backfill " + q(publicKey()) +
                                       " --max-backfill 0.5 --allow-list " + list);
  EXPECT_EQ(badBackfill.exitCode, 1);
  EXPECT_THAT(badBackfill.output, HasSubstr("--max-backfill must be from 1 to 31622400"));
}

// Issue 15, fan-in: a feed proxy's key is admitted with --proxy (docs/security.md "Fan-in through a proxy").
TEST_F(KeysCli, AProxyKeyIsAdmittedAsAProxy) {
  const std::string keyFile = (dir / "proxy.key").string();
  const CliRun server = greentwin("keys server --name feed-proxy --out " + keyFile);
  ASSERT_EQ(server.exitCode, 0) << server.output;
  const CliRun allow = greentwin("keys allow feed-proxy " + (dir / "proxy.pub").string() + " --proxy --allow-list " +
                                 list);
  ASSERT_EQ(allow.exitCode, 0) << allow.output;
  EXPECT_THAT(allow.output, HasSubstr("a feed proxy"));
  auto key = connectors::readKeyFile(keyFile);
  ASSERT_TRUE(key) << key.status().message();
  auto allowed = connectors::AllowList::load(list);
  ASSERT_TRUE(allowed) << allowed.status().message();
  ASSERT_NE(allowed->findAdmitted(key->publicKey), nullptr);
  EXPECT_TRUE(allowed->findAdmitted(key->publicKey)->proxy);
  EXPECT_THAT(greentwin("keys list --allow-list " + list).output, HasSubstr("(feed-proxy) PROXY"));
}

TEST_F(KeysCli, ErrorsNameTheFileOrTheProblem) {
  const CliRun missing = greentwin("keys list --allow-list " + (dir / "nope.toml").string());
  EXPECT_EQ(missing.exitCode, 1);
  EXPECT_THAT(missing.output, HasSubstr("nope.toml' does not exist"));
  const CliRun badName = greentwin("keys generate 'bad name' --out " + (dir / "x.key").string());
  EXPECT_EQ(badName.exitCode, 1);
  EXPECT_THAT(badName.output, HasSubstr("may only hold letters, digits"));
  EXPECT_FALSE(fs::exists(dir / "x.key"));
  const CliRun noList = greentwin("keys revoke someone");
  EXPECT_NE(noList.exitCode, 0);
  EXPECT_THAT(noList.output, HasSubstr("--allow-list"));
  const CliRun noSub = greentwin("keys");
  EXPECT_NE(noSub.exitCode, 0);
}

}  // namespace
}  // namespace gt::viewer
