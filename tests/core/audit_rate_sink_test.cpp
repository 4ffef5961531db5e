// The global audit rate (core/src/audit_rate_sink.cpp): at most N audit lines a second over all, a burst of 10 s of
// them, the rest counted and summarised in one line before the next line let through. The clock is a fake one.

#include "greentwin/core/audit_rate_sink.hpp"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "greentwin/core/log.hpp"

namespace gt {
namespace {

using Clock = std::chrono::steady_clock;

std::size_t countOf(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (std::size_t at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

struct Rig {
  explicit Rig(double rate) {
    auto target = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    target->set_pattern("%v");
    sink = std::make_shared<AuditRateSink>(std::vector<spdlog::sink_ptr>{target}, rate, [this] { return now; });
    logger = std::make_shared<spdlog::logger>("audit-test", sink);
  }
  std::ostringstream out;
  Clock::time_point now{};
  std::shared_ptr<AuditRateSink> sink;
  std::shared_ptr<spdlog::logger> logger;
};

// Issue 15: "fresh keys or ids flood the log and rotate real evidence out" - lines that all differ pass any per-kind
// throttle; the global rate bounds them.
TEST(AuditRateSink, AtMostTheRateOverAllLinesAndASummaryOfTheRest) {
  Rig rig(2);  // 2 lines a second, a burst of 20
  for (int i = 0; i < 500; ++i) rig.logger->warn("AUDIT refuse key=fresh-{}", i);
  EXPECT_EQ(countOf(rig.out.str(), "AUDIT refuse"), 20u);
  EXPECT_EQ(rig.sink->suppressedTotal(), 480u);
  EXPECT_EQ(countOf(rig.out.str(), "suppressed"), 0u);  // the summary comes with the next line let through

  rig.now += std::chrono::seconds(1);  // two more tokens
  rig.logger->warn("AUDIT admit key=real");
  const std::string text = rig.out.str();
  EXPECT_NE(text.find("AUDIT rate-limit suppressed=480 reason=\"480 audit lines suppressed (over 2 lines a second)\"\n"
                      "AUDIT admit key=real"),
            std::string::npos)
      << text;

  // A steady flood: a line passes every half second, but a summary comes once per 10 s, not before each of them.
  for (int i = 0; i < 190; ++i) {  // 19 s of fake time, 10 lines a second offered
    rig.now += std::chrono::milliseconds(100);
    rig.logger->warn("AUDIT refuse key=more-{}", i);
  }
  EXPECT_EQ(countOf(rig.out.str(), "AUDIT rate-limit"), 2u);  // at 1 s and about 11 s
  EXPECT_NEAR(static_cast<double>(countOf(rig.out.str(), "key=more-")), 39.0, 2.0);

  // Within the rate nothing is held back, and no summary is written.
  Rig calm(2);
  for (int i = 0; i < 60; ++i) {
    calm.now += std::chrono::milliseconds(500);
    calm.logger->info("AUDIT admit {}", i);
  }
  EXPECT_EQ(countOf(calm.out.str(), "AUDIT admit"), 60u);
  EXPECT_EQ(calm.sink->suppressedTotal(), 0u);
}

TEST(AuditRateSink, PendingSuppressedLinesAreSummarisedWhenTheSinkGoes) {
  std::ostringstream out;
  {
    Rig rig(1);
    for (int i = 0; i < 15; ++i) rig.logger->warn("AUDIT drop {}", i);
    rig.logger.reset();
    rig.sink.reset();  // the last owner: the sink goes, writing its summary into the Rig's stream
    out << rig.out.str();
  }
  EXPECT_EQ(countOf(out.str(), "AUDIT drop"), 10u);
  EXPECT_NE(out.str().find("suppressed=5 "), std::string::npos) << out.str();
}

TEST(AuditRateSink, ZeroMeansNoLimit) {
  Rig rig(0);
  for (int i = 0; i < 1000; ++i) rig.logger->warn("AUDIT refuse {}", i);
  EXPECT_EQ(countOf(rig.out.str(), "AUDIT refuse"), 1000u);
}

// The audit logger configureLogging installs goes through it ([logging] audit_lines_per_second).
TEST(AuditRateSink, TheConfiguredAuditLoggerIsRateLimited) {
  const auto file = std::filesystem::temp_directory_path() / "greentwin_audit_rate_test.log";
  std::filesystem::remove(file);
  LoggingConfig config;
  config.file = file.string();
  config.level = "warn";
  config.auditLinesPerSecond = 1;  // a burst of 10
  ASSERT_TRUE(configureLogging(config).isOk());
  for (int i = 0; i < 500; ++i) auditLogger()->info("AUDIT admit key=k{}", i);
  auditLogger()->flush();
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  // 10 at once, one a second after: far fewer than 500 whatever the machine's speed.
  EXPECT_LT(countOf(text.str(), "AUDIT admit"), 100u);
  EXPECT_GE(countOf(text.str(), "AUDIT admit"), 10u);
  ASSERT_TRUE(configureLogging(LoggingConfig{}).isOk());
  std::filesystem::remove(file);
}

}  // namespace
}  // namespace gt
