#include "plugin_call_thread.hpp"

#include <pthread.h>

#include <utility>

namespace gt::runtime::detail {

PluginCallThread::PluginCallThread(std::string name) : state_(std::make_shared<State>()) {
  thread_ = std::thread(&PluginCallThread::loop, state_);
  threadId_ = thread_.get_id();
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

bool PluginCallThread::run(std::function<void()> job, std::chrono::milliseconds deadline) {
  std::unique_lock lock(state_->mu);
  if (state_->abandoned) return false;
  state_->job = std::move(job);
  const std::uint64_t ticket = state_->started + 1;
  state_->cv.notify_all();
  if (state_->cv.wait_for(lock, deadline, [&] { return state_->finished >= ticket; })) return true;
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
