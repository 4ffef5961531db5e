#pragma once
// Shared by the security tests (zap_authenticator_test, the zmq_ingest_*_test files): an audit-line capture sink,
// key files in a per-test folder, and a bounded wait.

#include <gtest/gtest.h>
#include <spdlog/sinks/base_sink.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "greentwin/connectors/allow_list.hpp"
#include "greentwin/connectors/curve_keys.hpp"

namespace gt::connectors::testing {

// Collects formatted log lines (the message text only).
class CaptureSink : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> lines() {
    std::lock_guard lock(mutex_);
    return lines_;
  }
  // Lines containing every one of `parts`.
  std::size_t count(const std::vector<std::string>& parts) {
    std::size_t n = 0;
    for (const std::string& line : lines()) {
      bool all = true;
      for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    lines_.emplace_back(msg.payload.data(), msg.payload.size());
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

inline bool waitFor(const std::function<bool()>& pred,
                    std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!pred()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  return true;
}

// A fresh folder under the test binary dir, named after the running test.
inline std::filesystem::path testFolder(const std::string& prefix) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  auto dir = std::filesystem::path(GT_TEST_BINARY_DIR) /
             (prefix + "_" + info->test_suite_name() + "_" + info->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

inline KeyPair newKeys(const std::string& name) {
  auto k = generateKeyPair(name);
  EXPECT_TRUE(k) << k.status().message();
  return *k;
}

// Writes an allow-list admitting `admitted`.
// Admits each key; `publishers`: the publisher ids every one of them may send as (empty: its own name only).
inline void writeAllowList(const std::string& path, const std::vector<KeyPair>& admitted,
                           const std::vector<std::string>& publishers = {}) {
  AllowList list;
  for (const auto& k : admitted) EXPECT_TRUE(list.add(k.name, k.publicKey, wallNow(), publishers));
  ASSERT_TRUE(list.save(path));
}

inline void revokeInFile(const std::string& path, const std::string& nameOrKey) {
  auto list = AllowList::load(path);
  ASSERT_TRUE(list) << list.status().message();
  ASSERT_TRUE(list->revoke(nameOrKey, wallNow()));
  ASSERT_TRUE(list->save(path));
}

}  // namespace gt::connectors::testing
