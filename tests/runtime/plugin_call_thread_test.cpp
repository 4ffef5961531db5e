// The plugin watchdog's thread (runtime/src/plugins/plugin_call_thread.hpp): a job runs on it while the caller
// waits; one past the deadline is abandoned, later runs refused at once, and the thread detached, not joined; the
// time a job waits for a CPU does not count against its deadline, the time it computes does.
#include "../../runtime/src/plugins/plugin_call_thread.hpp"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <ctime>

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

double threadCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

// Pins the calling thread to `cpu`.
bool pinTo(int cpu) {
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  return pthread_setaffinity_np(pthread_self(), sizeof set, &set) == 0;
}

// A healthy job on a machine short of CPU: it needs 20 ms of computing but, pinned to one CPU at the lowest priority
// beside a busy thread at the normal one, gets about 1/70 of that CPU — seconds of wall time, far past a 300 ms
// deadline. It is not hung: it finishes and is not abandoned (the watchdog used to give up on it at 300 ms).
TEST(PluginCallThread, AJobWaitingForACpuIsNotAbandoned) {
  cpu_set_t mine;
  ASSERT_EQ(sched_getaffinity(0, sizeof mine, &mine), 0);
  int cpu = 0;
  while (cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &mine)) ++cpu;
  ASSERT_LT(cpu, CPU_SETSIZE);
  std::atomic<bool> stop{false};
  std::thread hog([&] {
    if (!pinTo(cpu)) return;
    while (!stop.load(std::memory_order_relaxed)) {
    }
  });
  PluginCallThread calls("starved");
  double cpuUsed = 0;
  bool pinned = false;
  const auto start = std::chrono::steady_clock::now();
  const bool finished = calls.run(
      [&] {
        pinned = pinTo(cpu) && setpriority(PRIO_PROCESS, static_cast<id_t>(::syscall(SYS_gettid)), 19) == 0;
        const double from = threadCpuSeconds();
        while (threadCpuSeconds() - from < 0.020) {
        }
        cpuUsed = threadCpuSeconds() - from;
      },
      300ms);
  const auto waited = std::chrono::steady_clock::now() - start;
  stop = true;
  hog.join();
  ASSERT_TRUE(pinned) << "could not pin the job beside the busy thread";
  EXPECT_TRUE(finished) << "abandoned after " << std::chrono::duration<double>(waited).count() << " s";
  EXPECT_FALSE(calls.abandoned());
  EXPECT_GE(cpuUsed, 0.020);
  // It really was starved: far more wall time than its deadline (else this test shows nothing).
  EXPECT_GT(waited, 600ms);
}

// A job that computes without end (an endless loop) is past its deadline as before: computing counts.
TEST(PluginCallThread, AJobComputingPastTheDeadlineIsAbandoned) {
  auto stop = std::make_shared<std::atomic<bool>>(false);
  const auto start = std::chrono::steady_clock::now();
  {
    PluginCallThread calls("spin");
    EXPECT_FALSE(calls.run(
        [stop] {
          const auto end = std::chrono::steady_clock::now() + 20s;
          while (!stop->load() && std::chrono::steady_clock::now() < end) {
          }
        },
        200ms));
    EXPECT_TRUE(calls.abandoned());
    EXPECT_LT(std::chrono::steady_clock::now() - start, 10s);
    stop->store(true);
  }
}

}  // namespace
}  // namespace gt::runtime::detail
