// The plugin watchdog's thread (runtime/src/plugins/plugin_call_thread.hpp): a job runs on it while the caller
// waits; one past the deadline is abandoned, later runs refused at once, and the thread detached, not joined.
#include "../../runtime/src/plugins/plugin_call_thread.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

namespace gt::runtime::detail {
namespace {

using namespace std::chrono_literals;

TEST(PluginCallThread, RunsJobsOnItsOwnThreadOneAfterAnother) {
  PluginCallThread calls("test");
  std::thread::id where;
  bool watched = false;
  ASSERT_TRUE(calls.run(
      [&] {
        where = std::this_thread::get_id();
        watched = calls.runsWatchedCallHere();
      },
      1000ms));
  EXPECT_NE(where, std::this_thread::get_id());
  EXPECT_TRUE(watched) << "a job knows it runs under the watchdog";
  EXPECT_FALSE(calls.runsWatchedCallHere()) << "the caller's thread is not the watchdog's";
  int sum = 0;
  for (int i = 1; i <= 100; ++i) ASSERT_TRUE(calls.run([&sum, i] { sum += i; }, 1000ms));
  EXPECT_EQ(sum, 5050);
  EXPECT_FALSE(calls.abandoned());
}

// A job that does not return in time: run() comes back at the deadline, the thread is abandoned (later jobs are
// refused without running), and destroying the object does not wait for the stuck job.
TEST(PluginCallThread, AJobPastTheDeadlineIsAbandonedAndNeverWaitedFor) {
  auto release = std::make_shared<std::promise<void>>();
  std::shared_future<void> released = release->get_future().share();
  auto stuckAndDone = std::make_shared<std::atomic<int>>(0);
  const auto start = std::chrono::steady_clock::now();
  {
    PluginCallThread calls("hang");
    EXPECT_FALSE(calls.run(
        [released, stuckAndDone] {
          stuckAndDone->store(1);
          released.wait();
          stuckAndDone->store(2);
        },
        200ms));
    const auto waited = std::chrono::steady_clock::now() - start;
    EXPECT_GE(waited, 200ms);
    EXPECT_LT(waited, 5s);
    EXPECT_TRUE(calls.abandoned());
    bool ran = false;
    EXPECT_FALSE(calls.run([&ran] { ran = true; }, 1000ms));
    EXPECT_FALSE(ran) << "an abandoned thread takes no more jobs";
  }  // destroyed while its job is stuck: detached, not joined
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_EQ(stuckAndDone->load(), 1);
  release->set_value();  // the job returns late: it touches only what it owns
  for (int i = 0; i < 200 && stuckAndDone->load() != 2; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(stuckAndDone->load(), 2);
}

}  // namespace
}  // namespace gt::runtime::detail
