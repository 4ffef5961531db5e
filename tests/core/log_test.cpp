#include "greentwin/core/log.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace gt {
namespace {

namespace fs = std::filesystem;

std::string readFile(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("greentwin_log_test_" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()));
    fs::remove_all(dir_);
  }
  void TearDown() override {
    // Back to console only, so the file is closed before it is removed.
    EXPECT_TRUE(configureLogging(LoggingConfig{}).isOk());
    fs::remove_all(dir_);
  }
  fs::path dir_;
};

TEST_F(LogTest, LoggerExistsBeforeConfiguration) {
  auto l = logger();
  ASSERT_NE(l, nullptr);
  EXPECT_EQ(l->name(), "greentwin");
  EXPECT_EQ(spdlog::default_logger()->name(), "greentwin");
}

TEST_F(LogTest, FileGetsLinesAtAndAboveTheLevelOnly) {
  const fs::path file = dir_ / "nested" / "greentwin.log";  // parent folders are created
  LoggingConfig config;
  config.level = "warn";
  config.file = file.string();
  ASSERT_TRUE(configureLogging(config).isOk());
  EXPECT_EQ(logger()->level(), spdlog::level::warn);

  logger()->trace("line-trace");
  logger()->debug("line-debug");
  logger()->info("line-info");
  logger()->warn("line-warn {}", 42);
  spdlog::error("line-error via the default logger");
  logger()->flush();

  const std::string text = readFile(file);
  EXPECT_EQ(text.find("line-trace"), std::string::npos) << text;
  EXPECT_EQ(text.find("line-debug"), std::string::npos) << text;
  EXPECT_EQ(text.find("line-info"), std::string::npos) << text;
  EXPECT_NE(text.find("line-warn 42"), std::string::npos) << text;
  EXPECT_NE(text.find("line-error via the default logger"), std::string::npos) << text;
  EXPECT_NE(text.find("warn"), std::string::npos);
}

TEST_F(LogTest, WarnIsFlushedWithoutAnExplicitFlush) {
  const fs::path file = dir_ / "flush.log";
  LoggingConfig config;
  config.level = "debug";
  config.file = file.string();
  ASSERT_TRUE(configureLogging(config).isOk());
  logger()->debug("line-debug");
  logger()->trace("line-trace");
  logger()->warn("line-warn");  // flush_on(warn) writes both pending lines out
  const std::string text = readFile(file);
  EXPECT_NE(text.find("line-debug"), std::string::npos) << text;
  EXPECT_NE(text.find("line-warn"), std::string::npos) << text;
  EXPECT_EQ(text.find("line-trace"), std::string::npos) << text;
}

TEST_F(LogTest, BadLevelIsRejectedAndTheLoggerIsKept) {
  LoggingConfig good;
  good.level = "error";
  ASSERT_TRUE(configureLogging(good).isOk());
  const auto before = logger();

  LoggingConfig bad;
  bad.level = "verbose";
  const Status s = configureLogging(bad);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), ErrorCode::InvalidArgument);
  EXPECT_NE(s.message().find("verbose"), std::string::npos) << s.message();
  EXPECT_EQ(logger(), before);
  EXPECT_EQ(logger()->level(), spdlog::level::err);

  EXPECT_FALSE(parseLogLevel("INFO").isOk());
  EXPECT_FALSE(parseLogLevel("").isOk());
  EXPECT_EQ(*parseLogLevel("off"), spdlog::level::off);
  EXPECT_EQ(*parseLogLevel("error"), spdlog::level::err);
}

TEST_F(LogTest, UnopenableFileIsAnIoErrorNamingIt) {
  fs::create_directories(dir_);
  const fs::path blocker = dir_ / "not_a_dir";
  std::ofstream(blocker) << "x";
  LoggingConfig config;
  config.file = (blocker / "greentwin.log").string();  // a file where a folder should be
  const Status s = configureLogging(config);
  ASSERT_FALSE(s.isOk());
  EXPECT_EQ(s.code(), ErrorCode::IoError);
  EXPECT_NE(s.message().find(config.file), std::string::npos) << s.message();
}

}  // namespace
}  // namespace gt
