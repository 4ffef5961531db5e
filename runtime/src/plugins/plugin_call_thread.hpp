#pragma once
// The plugin watchdog's thread (docs/plugins.md "Watchdog"): one plugin's recurring calls (source polls, KPI and
// field computations) run on a thread of its own while the update thread waits for them up to a deadline. A call
// that does not return in time is abandoned — the thread with it, since a thread cannot be stopped from outside —
// and the caller disables the plugin, so a hung plugin costs the twin one deadline, never a frozen picture.
//
// An abandoned call may still return one day: a job must therefore own everything it reads or writes after the
// plugin call starts (inputs copied in, outputs in memory the job holds), never the caller's stack.
//
// Threads: run() on the update thread only; the job on this object's thread.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
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
  };
  static void loop(std::shared_ptr<State> state);

  std::shared_ptr<State> state_;
  std::thread thread_;
  std::thread::id threadId_;
};

}  // namespace gt::runtime::detail
