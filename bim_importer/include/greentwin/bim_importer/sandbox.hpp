#pragma once
// The importer's system-call filter (docs/bim.md "Sandbox", docs/security.md). greentwin-bim-import installs it on
// itself after reading its command line and before it opens the model file, so everything a parser exploit could
// run is inside it. The parent (importModelInProcess) adds what must be set before exec: no_new_privs, the
// resource limits and a scrubbed environment.
//
// Allowed: what reading files, writing the outputs, threads, memory and time need (see sandbox.cpp for the list).
// Killed (SIGSYS): execve/execveat, fork/vfork and a clone without CLONE_THREAD (new processes), ptrace and
// process_vm_readv/writev, pidfd_getfd, a socket of any family but AF_UNIX. Refused with an error: AF_UNIX
// sockets and socketpair (EACCES; glibc's name-service client tries one), clone3 (ENOSYS: glibc falls back to
// clone, whose flags the filter can see), signals to other processes and prlimit on them, ioctls other than
// terminal queries, and every system call not on the list (ENOSYS).
//
// Threads: call it while the process has one thread (the filter is synchronised to all threads anyway).

#include "greentwin/core/status.hpp"

namespace gt::bim {

// Sets no_new_privs and loads the filter. Irreversible for this process and its threads.
Status enterImportSandbox();

}  // namespace gt::bim
