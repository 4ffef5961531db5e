// The importer's system-call filter (bim_importer/src/sandbox.cpp, docs/bim.md "Sandbox"): each case runs in a
// forked child that entered the sandbox. What an exploited parser would do - run a program, make a process, open a
// network socket, trace or signal another process - is killed (SIGSYS) or refused; what an import does - files,
// threads, memory, raising its own signals - still works.
#include "greentwin/bim_importer/sandbox.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace gt::bim {
namespace {

namespace fs = std::filesystem;

constexpr int kSandboxFailed = 100;

// The wait status of a child that entered the sandbox and then ran `body` (its return value is the exit status).
int runSandboxed(const std::function<int()>& body) {
  std::fflush(nullptr);
  const pid_t pid = ::fork();
  if (pid == 0) {
    if (!enterImportSandbox()) ::_exit(kSandboxFailed);
    ::_exit(body());
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return status;
}

bool killedByTheFilter(int status) { return WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS; }
int exitCode(int status) { return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status); }

TEST(ImportSandbox, RunningAProgramKillsTheProcess) {
  const int status = runSandboxed([] {
    ::execl("/bin/true", "true", static_cast<char*>(nullptr));
    return 1;
  });
  EXPECT_TRUE(killedByTheFilter(status)) << "exit " << exitCode(status);
}

TEST(ImportSandbox, MakingAProcessKillsIt) {
  const int status = runSandboxed([] {
    const pid_t child = ::fork();
    if (child == 0) ::_exit(0);
    return 1;
  });
  EXPECT_TRUE(killedByTheFilter(status)) << "exit " << exitCode(status);
}

TEST(ImportSandbox, ANetworkSocketKillsTheProcess) {
  for (const int family : {AF_INET, AF_INET6, AF_NETLINK}) {
    const int status = runSandboxed([family] {
      const int fd = ::socket(family, SOCK_STREAM, 0);
      return fd >= 0 ? 1 : 2;
    });
    EXPECT_TRUE(killedByTheFilter(status)) << "family " << family << ": exit " << exitCode(status);
  }
}

TEST(ImportSandbox, ALocalSocketIsRefused) {
  const int status = runSandboxed([] {
    if (::socket(AF_UNIX, SOCK_STREAM, 0) >= 0) return 1;
    if (errno != EACCES) return 2;
    int pair[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM, 0, pair) == 0) return 3;
    return 0;
  });
  EXPECT_EQ(exitCode(status), 0);
}

TEST(ImportSandbox, TracingAnotherProcessKillsIt) {
  const int status = runSandboxed([] {
    ::ptrace(PTRACE_ATTACH, ::getppid(), nullptr, nullptr);
    return 1;
  });
  EXPECT_TRUE(killedByTheFilter(status)) << "exit " << exitCode(status);
}

TEST(ImportSandbox, SignalsAndLimitsReachOnlyTheProcessItself) {
  const int status = runSandboxed([] {
    if (::kill(::getppid(), 0) == 0) return 1;   // another process: refused
    if (::kill(::getpid(), 0) != 0) return 2;    // itself: allowed
    rlimit r{};
    if (::prlimit(::getppid(), RLIMIT_NOFILE, nullptr, &r) == 0) return 3;
    if (::getrlimit(RLIMIT_NOFILE, &r) != 0) return 4;
    return 0;
  });
  EXPECT_EQ(exitCode(status), 0);
}

// What an import does: threads, memory, files written through a temporary name and renamed, its own signals.
TEST(ImportSandbox, WhatAnImportNeedsStillWorks) {
  const fs::path dir = fs::path(GT_TEST_BINARY_DIR) / "sandbox_test";
  fs::remove_all(dir);
  fs::create_directories(dir);
  const int status = runSandboxed([&dir] {
    int sum = 0;
    std::thread worker([&sum] { sum = 42; });
    worker.join();
    if (sum != 42) return 1;
    void* block = ::mmap(nullptr, 1 << 24, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (block == MAP_FAILED) return 2;
    static_cast<char*>(block)[12345] = 1;
    ::munmap(block, 1 << 24);
    std::ofstream(dir / "out.tmp") << "scene";
    std::error_code ec;
    fs::rename(dir / "out.tmp", dir / "out.osgb", ec);
    if (ec) return 3;
    std::ifstream procStatus("/proc/self/status");
    std::string line;
    bool filtered = false;
    while (std::getline(procStatus, line)) filtered = filtered || line == "Seccomp:\t2";
    if (!filtered) return 4;
    std::signal(SIGUSR1, SIG_IGN);
    if (std::raise(SIGUSR1) != 0) return 5;
    return 0;
  });
  EXPECT_EQ(exitCode(status), 0);
  EXPECT_TRUE(fs::exists(dir / "out.osgb"));
}

}  // namespace
}  // namespace gt::bim
