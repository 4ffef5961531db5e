// importModelInProcess: runs greentwin-bim-import as a child under resource limits, with no_new_privs and a
// scrubbed environment, and maps how it ended to an error (docs/bim.md, "Command line" and "Sandbox"). Runs on the
// caller's (worker) thread; between fork and exec the child only makes system calls (async-signal-safe), since the
// parent may have other threads.
#include "greentwin/connectors/bim_import.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <poll.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string_view>
#include <vector>

namespace gt::bim {
namespace {

std::string number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  return buf;
}

std::string signalName(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  return abbrev ? std::string("SIG") + abbrev : "signal " + std::to_string(sig);
}

// The last non-empty line of the child's stderr: its reason.
std::string lastLine(const std::string& text) {
  std::size_t end = text.find_last_not_of("\r\n \t");
  if (end == std::string::npos) return {};
  const std::size_t start = text.find_last_of('\n', end);
  return text.substr(start == std::string::npos ? 0 : start + 1, end - (start == std::string::npos ? 0 : start + 1) + 1);
}

std::filesystem::path findImporter(const BimImportOptions& options) {
  if (!options.importerExe.empty()) return options.importerExe;
  if (const char* env = std::getenv("GREENTWIN_BIM_IMPORTER"); env && *env) return env;
  std::error_code ec;
  const std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const std::filesystem::path dir = self.parent_path();
    // Installed beside it; the viewer of a build tree (viewer/); a test of a build tree (tests/<unit>/).
    for (const auto& candidate : {dir / "greentwin-bim-import", dir / ".." / "tools" / "bim-import" / "greentwin-bim-import",
                                  dir / ".." / ".." / "tools" / "bim-import" / "greentwin-bim-import"}) {
      if (std::filesystem::exists(candidate, ec)) return candidate;
    }
  }
  return "greentwin-bim-import";
}

int pidfdOpen(pid_t pid) { return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)); }

// The variables the importer may see (docs/bim.md "Sandbox"): exact names, and prefixes ending in '_'.
constexpr std::string_view kImporterVariables[] = {
    "PATH", "LANG", "LANGUAGE", "LC_", "TZ", "TMPDIR", "PROJ_DATA", "PROJ_LIB", "OSG_LIBRARY_PATH",
    "OSG_NOTIFY_LEVEL", "LD_LIBRARY_PATH", "GREENTWIN_BIM_FACTORS", "GREENTWIN_BIM_TIMING",
    "GREENTWIN_BIM_IMPORT_FAULT", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"};

bool importerMayKnow(std::string_view name) {
  for (std::string_view allowed : kImporterVariables) {
    if (allowed.back() == '_' ? name.starts_with(allowed) : name == allowed) return true;
  }
  return false;
}

}  // namespace

std::vector<std::string> importerEnvironment(const char* const* environment) {
  std::vector<std::string> kept;
  for (const char* const* e = environment; e && *e; ++e) {
    const std::string_view entry = *e;
    const std::size_t eq = entry.find('=');
    if (eq != std::string_view::npos && eq > 0 && importerMayKnow(entry.substr(0, eq))) kept.emplace_back(entry);
  }
  return kept;
}

Result<ImportedModelFiles> importModelInProcess(const std::filesystem::path& input, const BimImportOptions& options) {
  const std::string file = input.string();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(input, ec)) return Status(ErrorCode::NotFound, "model file not found: " + file);
  const std::filesystem::path exe = findImporter(options);
  if (::access(exe.c_str(), X_OK) != 0) {
    return Status(ErrorCode::NotFound, "BIM importer executable not found: " + exe.string() +
                                           " (set BimImportOptions::importerExe or GREENTWIN_BIM_IMPORTER)");
  }
  const std::filesystem::path outDir = options.outputDir.empty() ? std::filesystem::path(".") : options.outputDir;
  std::filesystem::create_directories(outDir, ec);
  if (ec) return Status(ErrorCode::IoError, "cannot create " + outDir.string() + ": " + ec.message());
  const std::string stem = options.outputStem.empty() ? input.stem().string() : options.outputStem;

  std::vector<std::string> args = {exe.string(), "--input", file, "--output-dir", outDir.string(), "--stem", stem,
                                   "--scene-crs", options.sceneCrs, "--origin-lon", number(options.sceneOriginLon),
                                   "--origin-lat", number(options.sceneOriginLat)};
  if (!options.emissionFactors.empty()) args.insert(args.end(), {"--factors", options.emissionFactors.string()});
  if (options.anchor) {
    const BimAnchor& a = *options.anchor;
    if (a.lon && a.lat) args.insert(args.end(), {"--anchor-lon", number(*a.lon), "--anchor-lat", number(*a.lat)});
    if (a.sceneX && a.sceneY) args.insert(args.end(), {"--anchor-x", number(*a.sceneX), "--anchor-y", number(*a.sceneY)});
    args.insert(args.end(), {"--anchor-z", number(a.sceneZ), "--anchor-rotation", number(a.rotationDeg),
                             "--anchor-scale", number(a.scale)});
    if (a.override) args.emplace_back("--anchor-override");
  }
  std::vector<char*> argv;
  for (std::string& s : args) argv.push_back(s.data());
  argv.push_back(nullptr);
  std::vector<std::string> env = importerEnvironment(environ);
#ifdef GREENTWIN_SANITIZE
  // The sanitizer build (scripts/dev sanitize): LeakSanitizer's check at exit clones a tracer, which the importer's
  // sandbox kills it for, and AddressSanitizer's SEGV handler would turn a crash into an exit status. Both are off in
  // the importer, after whatever the caller set (later flags win), so its sandbox and crash reports behave as in the
  // normal build; memory errors are still reported.
  const auto asan =
      std::find_if(env.begin(), env.end(), [](const std::string& e) { return e.starts_with("ASAN_OPTIONS="); });
  if (asan == env.end()) {
    env.emplace_back("ASAN_OPTIONS=detect_leaks=0:handle_segv=0");
  } else {
    *asan += ":detect_leaks=0:handle_segv=0";
  }
#endif
  std::vector<char*> envp;
  for (std::string& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);

  int errPipe[2];
  if (::pipe2(errPipe, O_CLOEXEC) != 0) return Status(ErrorCode::IoError, std::string("pipe: ") + std::strerror(errno));
  const int devNull = ::open("/dev/null", O_RDWR | O_CLOEXEC);
  const rlim_t memory = static_cast<rlim_t>(options.memoryLimitBytes);
  const rlim_t cpu = static_cast<rlim_t>(std::max(1, options.cpuLimitS));
  const rlim_t outputBytes = static_cast<rlim_t>(options.outputLimitBytes);
  const rlim_t openFiles = static_cast<rlim_t>(std::max(8, options.openFileLimit));

  const auto start = std::chrono::steady_clock::now();
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(errPipe[0]);
    ::close(errPipe[1]);
    if (devNull >= 0) ::close(devNull);
    return Status(ErrorCode::IoError, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    // Child: async-signal-safe calls only.
    if (devNull >= 0) {
      ::dup2(devNull, 0);
      ::dup2(devNull, 1);
    }
    ::dup2(errPipe[1], 2);
    // The twin's other descriptors (sockets, databases) are not the importer's business.
    ::close_range(3, ~0U, 0);
    [[maybe_unused]] const rlimit mem{memory, memory};
    const rlimit cpuLimit{cpu, cpu + 1};  // SIGXCPU at the soft limit, SIGKILL a second later
    const rlimit noCore{0, 0};
    const rlimit fileSize{outputBytes, outputBytes};  // SIGXFSZ on a write past it
    const rlimit fileCount{openFiles, openFiles};
#ifndef GREENTWIN_SANITIZE  // AddressSanitizer's shadow memory needs terabytes of address space: no cap there
    if (memory > 0) ::setrlimit(RLIMIT_AS, &mem);
#endif
    ::setrlimit(RLIMIT_CPU, &cpuLimit);
    ::setrlimit(RLIMIT_CORE, &noCore);
    if (outputBytes > 0) ::setrlimit(RLIMIT_FSIZE, &fileSize);
    ::setrlimit(RLIMIT_NOFILE, &fileCount);
    // No set-uid/set-gid or file-capability gains from here on (and the importer's own seccomp filter needs it).
    if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) ::_exit(126);
    ::execve(argv[0], argv.data(), envp.data());
    static const char kMsg[] = "cannot start the importer executable\n";
    [[maybe_unused]] const auto n = ::write(2, kMsg, sizeof kMsg - 1);
    ::_exit(127);
  }
  ::close(errPipe[1]);
  if (devNull >= 0) ::close(devNull);

  // Parent: read stderr and wait for the exit, both against the wall-clock deadline.
  const int pidfd = pidfdOpen(pid);
  std::string errText;
  bool exited = false;
  bool timedOut = false;
  bool pipeOpen = true;
  const auto deadline = start + std::chrono::duration<double>(options.wallTimeoutS);
  while (!exited) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= deadline) {
      timedOut = true;
      break;
    }
    const int waitMs = static_cast<int>(
        std::min<double>(1000.0, std::ceil(std::chrono::duration<double, std::milli>(deadline - now).count())));
    pollfd fds[2] = {{pipeOpen ? errPipe[0] : -1, POLLIN, 0}, {pidfd, POLLIN, 0}};
    const int ready = ::poll(fds, 2, pidfd >= 0 ? waitMs : std::min(waitMs, 20));
    if (ready < 0 && errno != EINTR) break;
    if (pipeOpen && (fds[0].revents & (POLLIN | POLLHUP)) != 0) {
      char buf[4096];
      const ssize_t n = ::read(errPipe[0], buf, sizeof buf);
      if (n > 0) {
        errText.append(buf, static_cast<std::size_t>(n));
        if (errText.size() > 65536) errText.erase(0, errText.size() - 32768);  // keep the tail
      } else if (n == 0) {
        pipeOpen = false;
      }
    }
    if (pidfd < 0 || (fds[1].revents & POLLIN) != 0) {
      int st = 0;
      const pid_t r = ::waitpid(pid, &st, WNOHANG);
      if (r == pid) {
        exited = true;
        // Drain what is left of stderr.
        char buf[4096];
        ::fcntl(errPipe[0], F_SETFL, O_NONBLOCK);
        ssize_t n = 0;
        while (pipeOpen && (n = ::read(errPipe[0], buf, sizeof buf)) > 0) errText.append(buf, static_cast<std::size_t>(n));
        ImportedModelFiles files;
        files.wallSeconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        ::close(errPipe[0]);
        if (pidfd >= 0) ::close(pidfd);
        const std::string reason = lastLine(errText);
        const std::string why = reason.empty() ? std::string() : ": " + reason;
        if (WIFSIGNALED(st)) {
          const int sig = WTERMSIG(st);
          if (sig == SIGXCPU || (sig == SIGKILL && files.wallSeconds >= static_cast<double>(cpu))) {
            return Status(ErrorCode::OutOfRange, "CPU limit (" + std::to_string(cpu) + " s) exceeded importing " + file);
          }
          if (sig == SIGXFSZ) {
            const std::string limit = outputBytes % (1u << 20) == 0 ? std::to_string(outputBytes >> 20) + " MiB"
                                                                    : std::to_string(outputBytes) + " bytes";
            return Status(ErrorCode::OutOfRange, "output size limit (" + limit + ") exceeded importing " + file);
          }
          if (sig == SIGSYS) {
            return Status(ErrorCode::Internal,
                          "importer stopped by its system-call filter (SIGSYS) on " + file + why);
          }
          return Status(ErrorCode::Internal, "importer crashed with " + signalName(sig) + " on " + file + why);
        }
        const int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
        const std::string mib = std::to_string(options.memoryLimitBytes >> 20);
        switch (code) {
          case 0: {
            files.sceneFile = outDir / (stem + ".osgb");
            files.modelFile = outDir / (stem + ".bim.json");
            auto model = readBimModel(files.modelFile);
            if (!model) {
              return Status(ErrorCode::Internal, "importer output unreadable for " + file + ": " + model.status().message());
            }
            if (!std::filesystem::is_regular_file(files.sceneFile, ec)) {
              return Status(ErrorCode::Internal, "importer wrote no scene file for " + file);
            }
            files.model = std::move(*model);
            return files;
          }
          case 2: return Status(ErrorCode::InvalidArgument, "importer refused its arguments for " + file + why);
          case 3: return Status(ErrorCode::NotFound, reason.empty() ? "model file not found: " + file : reason);
          case 4: return Status(ErrorCode::Unsupported, reason.empty() ? "unsupported model file: " + file : reason);
          case 5: return Status(ErrorCode::ParseError, reason.empty() ? "cannot parse " + file : reason);
          case 6: return Status(ErrorCode::IoError, reason.empty() ? "importer could not write its output" : reason);
          case 7: return Status(ErrorCode::OutOfRange, "memory limit (" + mib + " MiB) exceeded importing " + file);
          case 127:
            if (errText.find("map segment") != std::string::npos ||
                errText.find("annot allocate memory") != std::string::npos) {
              return Status(ErrorCode::OutOfRange, "memory limit (" + mib + " MiB) exceeded importing " + file +
                                                       " (the importer could not even load)");
            }
            return Status(ErrorCode::Internal, "cannot start the importer " + exe.string() + why);
          default:
            return Status(ErrorCode::Internal,
                          "importer failed with exit code " + std::to_string(code) + " on " + file + why);
        }
      }
    }
  }
  // Deadline passed (or poll failed): kill and reap, so no zombie or runaway child is left behind.
  ::kill(pid, SIGKILL);
  int st = 0;
  while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  ::close(errPipe[0]);
  if (pidfd >= 0) ::close(pidfd);
  if (!timedOut) return Status(ErrorCode::Internal, "lost track of the importer on " + file);
  char secs[32];
  std::snprintf(secs, sizeof secs, "%g", options.wallTimeoutS);
  return Status(ErrorCode::Cancelled, std::string("timed out after ") + secs + " s importing " + file);
}

}  // namespace gt::bim
