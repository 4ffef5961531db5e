// CURVE key pairs and key files: generation, Z85 validation, the file format (docs/security.md), mode 0600 for a
// secret, and errors that name the file and the problem.

#include "greentwin/connectors/curve_keys.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace gt::connectors {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

class CurveKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::path(GT_TEST_BINARY_DIR) / ("curve_keys_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir);
    fs::create_directories(dir);
  }
  std::string write(const std::string& name, const std::string& text) {
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  }
  fs::path dir;
};

TEST_F(CurveKeysTest, GeneratedPairsAreValidDistinctAndConsistent) {
  auto a = generateKeyPair("twin");
  auto b = generateKeyPair("twin");
  ASSERT_TRUE(a) << a.status().message();
  ASSERT_TRUE(b);
  EXPECT_EQ(a->publicKey.size(), kZ85KeyLength);
  EXPECT_EQ(a->secretKey.size(), kZ85KeyLength);
  EXPECT_TRUE(validateZ85Key(a->publicKey));
  EXPECT_TRUE(validateZ85Key(a->secretKey));
  EXPECT_NE(a->publicKey, b->publicKey);
  EXPECT_NE(a->secretKey, b->secretKey);
  auto derived = publicKeyOf(a->secretKey);
  ASSERT_TRUE(derived);
  EXPECT_EQ(*derived, a->publicKey);
}

TEST_F(CurveKeysTest, Z85ValidationSaysWhatIsWrong) {
  auto k = generateKeyPair("x");
  ASSERT_TRUE(k);
  EXPECT_THAT(validateZ85Key(k->publicKey.substr(0, 39)).message(), HasSubstr("got 39"));
  std::string bad = k->publicKey;
  bad[5] = '"';
  EXPECT_THAT(validateZ85Key(bad).message(), HasSubstr("character 6 ('\"') is not Z85"));
  bad[5] = ' ';
  EXPECT_FALSE(validateZ85Key(bad));
  // Valid characters, but "#####" is 84^5-1 > 2^32: not a 4-byte group.
  EXPECT_FALSE(validateZ85Key(std::string(40, '#')));
}

TEST_F(CurveKeysTest, NamesAreRestricted) {
  EXPECT_TRUE(validateKeyName("aq-station_01.feed@site"));
  EXPECT_FALSE(validateKeyName(""));
  EXPECT_FALSE(validateKeyName("has space"));
  EXPECT_FALSE(validateKeyName("quote\""));
  EXPECT_FALSE(validateKeyName(std::string(65, 'a')));
}

TEST_F(CurveKeysTest, KeyFileRoundTripsWithMode0600AndTheDocumentedFormat) {
  auto k = generateKeyPair("aq-feed");
  ASSERT_TRUE(k);
  const std::string path = (dir / "aq-feed.key").string();
  ASSERT_TRUE(writeKeyFile(path, *k));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_THAT(text, HasSubstr("# GreenTwin CURVE key \xE2\x80\x94 aq-feed\n"));
  EXPECT_THAT(text, HasSubstr("name = \"aq-feed\"\n"));
  EXPECT_THAT(text, HasSubstr("public = \"" + k->publicKey + "\"\n"));
  EXPECT_THAT(text, HasSubstr("secret = \"" + k->secretKey + "\"\n"));
  auto back = readKeyFile(path);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_EQ(back->name, "aq-feed");
  EXPECT_EQ(back->publicKey, k->publicKey);
  EXPECT_EQ(back->secretKey, k->secretKey);

  // An existing file is never replaced unless asked.
  auto other = generateKeyPair("aq-feed");
  ASSERT_TRUE(other);
  const Status again = writeKeyFile(path, *other);
  EXPECT_FALSE(again);
  EXPECT_THAT(again.message(), HasSubstr(path));
  EXPECT_THAT(again.message(), HasSubstr("already exists"));
  EXPECT_EQ(readKeyFile(path)->secretKey, k->secretKey);
  ASSERT_TRUE(writeKeyFile(path, *other, true));
  EXPECT_EQ(readKeyFile(path)->secretKey, other->secretKey);
}

TEST_F(CurveKeysTest, PublicOnlyFileHasNoSecretAndIsReadable) {
  auto k = generateKeyPair("pub-only");
  ASSERT_TRUE(k);
  KeyPair pub = *k;
  pub.secretKey.clear();
  const std::string path = (dir / "pub.key").string();
  ASSERT_TRUE(writeKeyFile(path, pub));
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0644u);
  auto back = readKeyFile(path);
  ASSERT_TRUE(back) << back.status().message();
  EXPECT_FALSE(back->hasSecret());
  EXPECT_EQ(back->publicKey, k->publicKey);
}

TEST_F(CurveKeysTest, BadKeyFilesGiveErrorsNamingTheFile) {
  auto k = generateKeyPair("k");
  ASSERT_TRUE(k);
  auto expectError = [](const std::string& path, const std::string& what) {
    auto r = readKeyFile(path);
    ASSERT_FALSE(r) << path;
    EXPECT_THAT(r.status().message(), HasSubstr(path));
    EXPECT_THAT(r.status().message(), HasSubstr(what));
  };
  expectError((dir / "missing.key").string(), "does not exist");
  expectError(write("short.key", "name = \"k\"\npublic = \"" + k->publicKey.substr(1) + "\"\n"),
              ":2: public key: a CURVE key is 40 Z85 characters, got 39");
  std::string notZ85 = k->publicKey;
  notZ85[0] = '~';
  expectError(write("notz85.key", "name = \"k\"\npublic = \"" + notZ85 + "\"\n"), "character 1 ('~') is not Z85");
  expectError(write("badsecret.key", "name = \"k\"\npublic = \"" + k->publicKey + "\"\nsecret = \"abc\"\n"),
              ":3: secret key: a CURVE key is 40 Z85 characters, got 3");
  auto other = generateKeyPair("o");
  ASSERT_TRUE(other);
  expectError(write("mismatch.key", "name = \"k\"\npublic = \"" + k->publicKey + "\"\nsecret = \"" +
                                        other->secretKey + "\"\n"),
              "the secret key does not belong to the public key");
  expectError(write("nopublic.key", "name = \"k\"\n"), "missing 'public'");
  expectError(write("typo.key", "name = \"k\"\npublic = \"" + k->publicKey + "\"\nsecert = \"x\"\n"),
              ":3: unknown key 'secert'");
  expectError(write("garbage.key", "this is not toml\n"), "not a GreenTwin key file");
  expectError(write("number.key", "name = \"k\"\npublic = 42\n"), ":2: 'public' must be a string");
  expectError(dir.string(), "is a directory");
}

// A secret key that group or others may read is refused (ssh refuses such a private key); the owner's alone is read.
// A public-only file may be world-readable.
TEST_F(CurveKeysTest, ASecretKeyFileOthersMayReadIsRefused) {
  auto k = generateKeyPair("k");
  ASSERT_TRUE(k);
  const std::string path = write("open.key", "name = \"k\"\npublic = \"" + k->publicKey + "\"\nsecret = \"" +
                                                 k->secretKey + "\"\n");
  for (unsigned mode : {0644u, 0640u, 0604u, 0660u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto r = readKeyFile(path);
    ASSERT_FALSE(r) << std::oct << mode;
    EXPECT_THAT(r.status().message(), HasSubstr(path + ": holds a secret key that group or others may read"));
    EXPECT_THAT(r.status().message(), HasSubstr("chmod 600"));
  }
  ASSERT_EQ(::chmod(path.c_str(), 0600), 0);
  auto owner = readKeyFile(path);
  ASSERT_TRUE(owner) << owner.status().message();
  EXPECT_EQ(owner->secretKey, k->secretKey);
  const std::string pub = write("open.pub", "name = \"k\"\npublic = \"" + k->publicKey + "\"\n");
  ASSERT_EQ(::chmod(pub.c_str(), 0644), 0);
  EXPECT_TRUE(readKeyFile(pub));
}

}  // namespace
}  // namespace gt::connectors
