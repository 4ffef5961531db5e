#pragma once
// The plugin watchdog's thread (docs/plugins.md "Watchdog"): one plugin's recurring calls (source polls, KPI and
// field computations) run on a thread of its own while the update thread waits for them up to a deadline. A call
// that does not return in time is abandoned — the thread with it, since a thread cannot be stopped from outside —
// and the caller disables the plugin, so a hung plugin costs the twin one deadline, never a frozen picture.
//
// The deadline is not wall time alone: on a machine short of CPU (a wall node on a busy 2-core machine) a long but
// healthy call — a plugin reading 60,000 buildings, a coverage KPI — waited for a CPU past it, was abandoned and its
// plugin disabled for good. At the deadline a call whose thread is runnable (computing, or waiting for a CPU) and has
// computed for less than the deadline is waited for again until it has; a call computing for the whole deadline (an
// endless loop) or blocked at a look (a deadlock, a read that never returns) is abandoned. Where the thread's CPU time
// or state cannot be read (no /proc/self/task/<tid>/stat) the deadline is wall time, as before.
//
// An abandoned call may still return one day: a job must therefore own everything it reads or writes after the
// plugin call starts (inputs copied in, outputs in memory the job holds), never the caller's stack.
//
// Threads: run() on the update thread only; the job on this object's thread.

#include <chrono>
#include <condition_variable>
#include <ctime>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

namespace gt::runtime::detail {

class PluginCallThread {
 public:
  explicit PluginCallThread(std::string name);
  // Joins the thread; a thread abandoned in a call is detached instead (its state lives on with it).
  ~PluginCallThread();
  PluginCallThread(const PluginCallThread&) = delete;
  PluginCallThread& operator=(const PluginCallThread&) = delete;

  // Runs `job` on the thread and waits up to `deadline` for it. False: it did not finish in time and is abandoned;
  // every later run() returns false at once without running anything.
  bool run(std::function<void()> job, std::chrono::milliseconds deadline);
  bool abandoned() const;
  // True on this object's thread while it runs a job that was not abandoned (the host API lets such a call use the
  // functions reserved for the update thread: the update thread is waiting for it meanwhile).
  bool runsWatchedCallHere() const;

 private:
  struct State {
    std::mutex mu;
    std::condition_variable cv;
    std::function<void()> job;  // the job to run; empty when none is waiting
    bool running = false;       // the thread runs a job now
    bool stop = false;
    bool abandoned = false;
    std::uint64_t started = 0;   // jobs taken by the thread
    std::uint64_t finished = 0;  // jobs it finished
    int tid = 0;                 // the thread's kernel id (its /proc state); 0 until it runs
  };
  static void loop(std::shared_ptr<State> state);
  // At a deadline: whether the thread's call is still at work — runnable, and short of `deadline` of CPU time since
  // `cpuAtStart`; `waitMore` receives how long to wait before looking again.
  bool stillWorking(std::chrono::nanoseconds cpuAtStart, std::chrono::milliseconds deadline,
                    std::chrono::nanoseconds& waitMore) const;
  std::optional<std::chrono::nanoseconds> cpuTime() const;

  std::shared_ptr<State> state_;
  std::thread thread_;
  std::thread::id threadId_;
  clockid_t cpuClock_{};  // the thread's CPU-time clock
  bool hasCpuClock_ = false;
};

}  // namespace gt::runtime::detail
