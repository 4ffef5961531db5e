// enterImportSandbox: the importer's seccomp filter, built with libseccomp (docs/bim.md "Sandbox"). An allow-list:
// every system call not named here fails with ENOSYS; the ones an exploited parser would want for breaking out
// (running a program, making a process, reading another process, the network) kill the process at once, so the
// parent sees SIGSYS and reports it.
#include "greentwin/bim_importer/sandbox.hpp"

#include <cerrno>
#include <cstring>
#include <memory>
#include <initializer_list>
#include <string>
#include <vector>

#include <sched.h>
#include <seccomp.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

namespace gt::bim {
namespace {

// What IFC++/Carve, assimp, PROJ (its SQLite database, read only), OSG's .osgb writer, the C++ runtime and glibc
// use while importing, found with strace on the test models of tests/tools (IFC, glTF, OBJ, Collada, 3DS, PLY).
constexpr const char* kAllowed[] = {
    // files: read the model and the tables, write and rename the outputs
    "read", "write", "readv", "writev", "pread64", "pwrite64", "preadv", "pwritev", "lseek", "close", "fstat",
    "newfstatat", "stat", "lstat", "statx", "fstatfs", "statfs", "openat", "open", "access", "faccessat",
    "faccessat2", "readlink", "readlinkat", "getdents64", "getcwd", "fcntl", "dup", "dup2", "dup3", "pipe2",
    "mkdir", "mkdirat", "rename", "renameat", "renameat2", "unlink", "unlinkat", "ftruncate", "fsync", "fdatasync",
    "flock", "umask", "fchmod", "fadvise64",
    // memory
    "brk", "mmap", "munmap", "mremap", "mprotect", "madvise", "mincore", "membarrier",
    // threads (clone itself is conditional, below), waiting, time
    "futex", "set_robust_list", "get_robust_list", "rseq", "set_tid_address", "gettid", "getpid", "sched_yield",
    "sched_getaffinity", "sched_getparam", "sched_getscheduler", "nanosleep", "clock_nanosleep", "clock_gettime",
    "clock_getres", "gettimeofday", "time", "times", "getrusage", "poll", "ppoll", "pause", "restart_syscall",
    // identity and the system (read only)
    "getuid", "geteuid", "getgid", "getegid", "getresuid", "getresgid", "getppid", "uname", "sysinfo", "getrandom",
    "arch_prctl",
    // signals to itself, leaving
    "rt_sigaction", "rt_sigprocmask", "rt_sigreturn", "sigaltstack", "exit", "exit_group",
};

// Killed at once: new programs and processes, other processes' memory.
constexpr const char* kKilled[] = {"execve",           "execveat",          "fork",       "vfork", "ptrace",
                                   "process_vm_readv", "process_vm_writev", "pidfd_getfd"};

// Argument `arg` compared with `op` (libseccomp's SCMP_A* macros are C compound literals).
scmp_arg_cmp arg(unsigned index, scmp_compare op, scmp_datum_t a, scmp_datum_t b = 0) { return {index, op, a, b}; }

class Filter {
 public:
  Filter() : ctx_(seccomp_init(SCMP_ACT_ERRNO(ENOSYS))) {}
  ~Filter() {
    if (ctx_) seccomp_release(ctx_);
  }
  Filter(const Filter&) = delete;
  Filter& operator=(const Filter&) = delete;

  bool valid() const { return ctx_ != nullptr; }
  scmp_filter_ctx get() const { return ctx_; }

  // Adds a rule for `name`, taken when all `conditions` hold; a name this architecture does not have is skipped.
  // Keeps the first failure.
  void rule(std::uint32_t action, const char* name, std::initializer_list<scmp_arg_cmp> conditions = {}) {
    const int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) return;
    const std::vector<scmp_arg_cmp> list(conditions);
    const int rc = seccomp_rule_add_array(ctx_, action, nr, static_cast<unsigned>(list.size()), list.data());
    if (rc != 0 && error_.empty()) error_ = std::string(name) + ": " + std::strerror(-rc);
  }
  const std::string& error() const { return error_; }

 private:
  scmp_filter_ctx ctx_;
  std::string error_;
};

}  // namespace

Status enterImportSandbox() {
  Filter f;
  if (!f.valid()) return Status(ErrorCode::Internal, "sandbox: seccomp_init failed");
  for (const char* name : kAllowed) f.rule(SCMP_ACT_ALLOW, name);
  for (const char* name : kKilled) f.rule(SCMP_ACT_KILL_PROCESS, name);

  // Threads are clones sharing the thread group; any other clone makes a process. clone3 passes its flags in
  // memory the filter cannot read: it is left to the default, ENOSYS, which makes glibc fall back to clone.
  f.rule(SCMP_ACT_ALLOW, "clone", {arg(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, CLONE_THREAD)});
  f.rule(SCMP_ACT_KILL_PROCESS, "clone", {arg(0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0)});

  // No network. AF_UNIX is refused rather than killed: glibc's name-service client (nscd) tries one.
  f.rule(SCMP_ACT_ERRNO(EACCES), "socket", {arg(0, SCMP_CMP_EQ, AF_UNIX)});
  f.rule(SCMP_ACT_KILL_PROCESS, "socket", {arg(0, SCMP_CMP_NE, AF_UNIX)});
  f.rule(SCMP_ACT_ERRNO(EACCES), "socketpair");

  // Signals and resource limits: this process only (raise/abort use tgkill on it; setrlimit is prlimit64(0, ...)).
  const auto self = static_cast<scmp_datum_t>(::getpid());
  f.rule(SCMP_ACT_ALLOW, "kill", {arg(0, SCMP_CMP_EQ, self)});
  f.rule(SCMP_ACT_ALLOW, "tgkill", {arg(0, SCMP_CMP_EQ, self)});
  f.rule(SCMP_ACT_ALLOW, "prlimit64", {arg(0, SCMP_CMP_EQ, 0)});

  // Terminal queries only (isatty and the like): no TIOCSTI into a terminal the twin was started from.
  for (const unsigned long request : {static_cast<unsigned long>(TCGETS), static_cast<unsigned long>(TIOCGWINSZ),
                                      static_cast<unsigned long>(FIONREAD)}) {
    f.rule(SCMP_ACT_ALLOW, "ioctl", {arg(1, SCMP_CMP_EQ, request)});
  }
  // Thread names only.
  f.rule(SCMP_ACT_ALLOW, "prctl", {arg(0, SCMP_CMP_EQ, PR_SET_NAME)});
  f.rule(SCMP_ACT_ALLOW, "prctl", {arg(0, SCMP_CMP_EQ, PR_GET_NAME)});

  if (!f.error().empty()) return Status(ErrorCode::Internal, "sandbox: cannot add the rule for " + f.error());
  // no_new_privs (also set by the parent before exec) and the filter on every thread of the process.
  if (int rc = seccomp_attr_set(f.get(), SCMP_FLTATR_CTL_NNP, 1); rc != 0) {
    return Status(ErrorCode::Internal, std::string("sandbox: no_new_privs: ") + std::strerror(-rc));
  }
  if (int rc = seccomp_attr_set(f.get(), SCMP_FLTATR_CTL_TSYNC, 1); rc != 0) {
    return Status(ErrorCode::Internal, std::string("sandbox: thread sync: ") + std::strerror(-rc));
  }
  if (int rc = seccomp_load(f.get()); rc != 0) {
    return Status(ErrorCode::Internal, std::string("sandbox: cannot load the system-call filter: ") +
                                           std::strerror(-rc));
  }
  return Status::ok();
}

}  // namespace gt::bim
