#include "plugin_call_thread.hpp"

#include <pthread.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <utility>

namespace gt::runtime::detail {

PluginCallThread::PluginCallThread(std::string name) : state_(std::make_shared<State>()) {
  thread_ = std::thread(&PluginCallThread::loop, state_);
  threadId_ = thread_.get_id();
  hasCpuClock_ = pthread_getcpuclockid(thread_.native_handle(), &cpuClock_) == 0;
  // "gt-plug:<id>" in top and gdb (the kernel keeps 15 characters).
  (void)pthread_setname_np(thread_.native_handle(), ("gt-plug:" + name).substr(0, 15).c_str());
}

PluginCallThread::~PluginCallThread() {
  bool abandoned = false;
  {
    std::lock_guard lock(state_->mu);
    state_->stop = true;
    abandoned = state_->abandoned;
  }
  state_->cv.notify_all();
  if (abandoned) {
    thread_.detach();  // stuck in the plugin: it keeps the state alive and ends with the process
  } else {
    thread_.join();
  }
}

void PluginCallThread::loop(std::shared_ptr<State> state) {
  std::unique_lock lock(state->mu);
  state->tid = static_cast<int>(::syscall(SYS_gettid));
  state->cv.notify_all();
  for (;;) {
    state->cv.wait(lock, [&] { return state->stop || state->job; });
    if (state->stop && !state->job) return;
    std::function<void()> job = std::move(state->job);
    state->job = nullptr;
    state->running = true;
    ++state->started;
    lock.unlock();
    job();  // jobs catch what they throw (guardedCall)
    lock.lock();
    state->running = false;
    ++state->finished;
    state->cv.notify_all();
    if (state->abandoned) return;  // nobody waits for it any more; the next run() never comes
  }
}

namespace {

// The state letter of a thread of this process ('R' running or runnable, 'S' sleeping, 'D' waiting on I/O...), or 0.
char threadState(int tid) {
  if (tid <= 0) return 0;
  const std::string path = "/proc/self/task/" + std::to_string(tid) + "/stat";
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return 0;
  char buf[512];
  const std::size_t n = std::fread(buf, 1, sizeof buf - 1, f);
  std::fclose(f);
  buf[n] = '\0';
  // "tid (name) S ...": the name may hold spaces and parentheses; the state follows the last ')'.
  const char* close = std::strrchr(buf, ')');
  return close != nullptr && close[1] == ' ' ? close[2] : 0;
}

}  // namespace

std::optional<std::chrono::nanoseconds> PluginCallThread::cpuTime() const {
  timespec t{};
  if (!hasCpuClock_ || clock_gettime(cpuClock_, &t) != 0) return std::nullopt;
  return std::chrono::seconds(t.tv_sec) + std::chrono::nanoseconds(t.tv_nsec);
}

bool PluginCallThread::stillWorking(std::chrono::nanoseconds cpuAtStart, std::chrono::milliseconds deadline,
                                    std::chrono::nanoseconds& waitMore) const {
  const std::optional<std::chrono::nanoseconds> cpu = cpuTime();
  if (!cpu) return false;
  const std::chrono::nanoseconds used = *cpu - cpuAtStart;
  if (used >= deadline) return false;     // computed for its whole deadline: an endless loop
  if (threadState(state_->tid) != 'R') return false;  // blocked: a deadlock, a read that never returns
  waitMore = std::max<std::chrono::nanoseconds>(deadline - used, std::chrono::milliseconds(10));
  return true;
}

bool PluginCallThread::run(std::function<void()> job, std::chrono::milliseconds deadline) {
  std::unique_lock lock(state_->mu);
  if (state_->abandoned) return false;
  // The thread's id is there once it has started (a thread starved of CPU may not have yet: then wall time).
  state_->cv.wait_for(lock, deadline, [&] { return state_->tid != 0; });
  const std::chrono::nanoseconds cpuAtStart = cpuTime().value_or(std::chrono::nanoseconds(0));
  state_->job = std::move(job);
  const std::uint64_t ticket = state_->started + 1;
  state_->cv.notify_all();
  const auto done = [&] { return state_->finished >= ticket; };
  auto until = std::chrono::steady_clock::now() + deadline;
  std::chrono::nanoseconds waitMore{0};
  while (!state_->cv.wait_until(lock, until, done)) {
    if (!stillWorking(cpuAtStart, deadline, waitMore)) break;
    until = std::chrono::steady_clock::now() + std::chrono::duration_cast<std::chrono::steady_clock::duration>(waitMore);
  }
  if (done()) return true;
  state_->abandoned = true;
  state_->job = nullptr;  // not taken yet (a thread starved of CPU): it never runs
  return false;
}

bool PluginCallThread::abandoned() const {
  std::lock_guard lock(state_->mu);
  return state_->abandoned;
}

bool PluginCallThread::runsWatchedCallHere() const {
  if (std::this_thread::get_id() != threadId_) return false;
  std::lock_guard lock(state_->mu);
  return state_->running && !state_->abandoned;
}

}  // namespace gt::runtime::detail
