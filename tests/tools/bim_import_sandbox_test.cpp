// greentwin-bim-import's sandbox as the twin runs it (docs/bim.md "Sandbox"): no_new_privs, the system-call filter,
// the file-size and open-file limits and a scrubbed environment, seen from inside the real child through its test
// hook (GREENTWIN_BIM_IMPORT_FAULT=report|exec|inet-socket|unix-socket), and a real import stopped by the
// file-size limit. Real imports under the sandbox are the rest of tests/tools.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>
#include <string>

#include "greentwin/connectors/bim_import.hpp"
#include "bim_import_test_support.hpp"

namespace fs = std::filesystem;
using namespace gt::bim;

namespace {

using importer_tests::baseOptions;
using importer_tests::kFzkHaus;

const importer_tests::WorkDirs workDir("bim_import_sandbox_test");

// "key=value" of the report line ("sandbox: no_new_privs=1 seccomp=2 ... env=PATH,LANG").
std::string field(const std::string& report, const std::string& key) {
  const std::size_t at = report.find(" " + key + "=");
  if (at == std::string::npos) return "<missing>";
  const std::size_t start = at + key.size() + 2;
  return report.substr(start, report.find(' ', start) - start);
}

class BimImportSandbox : public ::testing::Test {
 protected:
  void TearDown() override {
    ::unsetenv("GREENTWIN_BIM_IMPORT_FAULT");
    ::unsetenv("GREENTWIN_TEST_SECRET_KEY");
  }
  static gt::Result<ImportedModelFiles> importWithFault(const char* kind, const std::string& dir) {
    ::setenv("GREENTWIN_BIM_IMPORT_FAULT", kind, 1);
    return importModelInProcess(kFzkHaus, baseOptions(workDir(dir)));
  }
};

TEST_F(BimImportSandbox, TheChildRunsFilteredLimitedAndWithAScrubbedEnvironment) {
  // What the twin's environment holds that the importer must not see.
  ::setenv("GREENTWIN_TEST_SECRET_KEY", "/home/twin/.config/greentwin/twin.key_secret", 1);
  ASSERT_NE(std::getenv("PATH"), nullptr);
  auto r = importWithFault("report", "report");
  ASSERT_FALSE(r);
  const std::string message = r.status().message();
  ASSERT_NE(message.find("sandbox:"), std::string::npos) << message;
  const std::string report = message.substr(message.find("sandbox:"));
  EXPECT_EQ(field(report, "no_new_privs"), "1") << report;
  EXPECT_EQ(field(report, "seccomp"), "2") << report;  // 2: a filter
  const BimImportOptions defaults;
  EXPECT_EQ(field(report, "fsize"), std::to_string(defaults.outputLimitBytes)) << report;
  EXPECT_EQ(field(report, "nofile"), std::to_string(defaults.openFileLimit)) << report;
  std::set<std::string> names;
  std::stringstream list(field(report, "env"));
  for (std::string name; std::getline(list, name, ',');) names.insert(name);
  EXPECT_TRUE(names.contains("PATH")) << report;
  EXPECT_TRUE(names.contains("GREENTWIN_BIM_IMPORT_FAULT")) << report;
  EXPECT_FALSE(names.contains("GREENTWIN_TEST_SECRET_KEY")) << report;
  EXPECT_FALSE(names.contains("HOME")) << report;
  EXPECT_FALSE(names.contains("GREENTWIN_BIM_CACHE")) << report;
}

TEST_F(BimImportSandbox, RunningAProgramKillsTheImporter) {
  auto r = importWithFault("exec", "exec");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::Internal);
  EXPECT_NE(r.status().message().find("importer stopped by its system-call filter (SIGSYS) on " + kFzkHaus.string()),
            std::string::npos)
      << r.status().message();
}

TEST_F(BimImportSandbox, ANetworkSocketKillsTheImporterAndALocalOneIsRefused) {
  auto inet = importWithFault("inet-socket", "inet");
  ASSERT_FALSE(inet);
  EXPECT_NE(inet.status().message().find("system-call filter (SIGSYS)"), std::string::npos)
      << inet.status().message();
  auto local = importWithFault("unix-socket", "unix");
  ASSERT_FALSE(local);
  EXPECT_NE(local.status().message().find("socket refused: Permission denied"), std::string::npos)
      << local.status().message();
}

TEST(BimImportSandboxLimits, TheFileSizeLimitStopsARealImport) {
  BimImportOptions o = baseOptions(workDir("fsize"));
  o.outputLimitBytes = 16 << 10;  // FZK-Haus's scene is far larger
  auto r = importModelInProcess(kFzkHaus, o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.status().code(), gt::ErrorCode::OutOfRange) << r.status().message();
  EXPECT_NE(r.status().message().find("output size limit (16384 bytes) exceeded importing " + kFzkHaus.string()),
            std::string::npos)
      << r.status().message();
  // With the default limit the same import is written.
  auto ok = importModelInProcess(kFzkHaus, baseOptions(workDir("fsize_default")));
  EXPECT_TRUE(ok) << ok.status().message();
}

}  // namespace
