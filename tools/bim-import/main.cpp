// greentwin-bim-import: imports ONE untrusted model file into the twin's BIM format (docs/bim.md). The twin runs
// it as a child process (importModelInProcess) under memory, CPU, file-size and open-file limits, with no_new_privs
// and a scrubbed environment, so a parser crash or hang ends this process, never the twin; before it opens the file
// it loads its own system-call filter (docs/bim.md "Sandbox"). Exit status and the last stderr line are the
// contract with the parent (docs/bim.md).
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <string>
#include <fstream>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <vector>

#include <CLI/CLI.hpp>

#include "greentwin/bim_importer/importer.hpp"
#include "greentwin/bim_importer/sandbox.hpp"

namespace {

constexpr int kExitUsage = 2;
constexpr int kExitNotFound = 3;
constexpr int kExitUnsupported = 4;
constexpr int kExitParse = 5;
constexpr int kExitOutput = 6;
constexpr int kExitOutOfMemory = 7;
constexpr int kExitSandbox = 8;     // the system-call filter could not be loaded
constexpr int kExitFaultReport = 9;  // a test hook's report (below)

// Operator new failed under RLIMIT_AS: report and leave at once (no allocation, nothing else is safe here; the
// libraries would otherwise swallow std::bad_alloc per product and write a silently incomplete model).
void outOfMemory() {
  static const char kMsg[] = "out of memory (the importer's memory limit was reached)\n";
  [[maybe_unused]] const auto n = ::write(2, kMsg, sizeof kMsg - 1);
  ::_exit(kExitOutOfMemory);
}

// The limits and the sandbox as this process sees them, in one line (the parent quotes the last line).
[[noreturn]] void reportSandbox() {
  std::string line = "sandbox:";
  std::ifstream status("/proc/self/status");
  for (std::string l; std::getline(status, l);) {
    if (l.rfind("NoNewPrivs:", 0) == 0) line += " no_new_privs=" + l.substr(l.find_first_not_of(" \t", 11));
    if (l.rfind("Seccomp:", 0) == 0) line += " seccomp=" + l.substr(l.find_first_not_of(" \t", 8));
  }
  for (const auto& [name, resource] : {std::pair{"fsize", RLIMIT_FSIZE}, std::pair{"nofile", RLIMIT_NOFILE}}) {
    rlimit r{};
    ::getrlimit(resource, &r);
    line += std::string(" ") + name + "=" + (r.rlim_cur == RLIM_INFINITY ? "unlimited" : std::to_string(r.rlim_cur));
  }
  line += " env=";
  for (char** e = environ; e && *e; ++e) {
    const std::string entry = *e;
    line += (line.back() == '=' ? "" : ",") + entry.substr(0, entry.find('='));
  }
  std::fprintf(stderr, "%s\n", line.c_str());
  std::exit(kExitFaultReport);
}

// Test hook (tests/tools): GREENTWIN_BIM_IMPORT_FAULT=segv|abort|hang|spin|oom makes the importer fail that way,
// so the parent's mapping of each ending is tested deterministically alongside the real damaged corpus; inside
// the sandbox, =exec|inet-socket|unix-socket tries what an exploited parser would (and reports if it was let),
// =report prints the limits, the filter's state and the environment's names (exit status 9).
void injectFault() {
  const char* fault = std::getenv("GREENTWIN_BIM_IMPORT_FAULT");
  if (!fault) return;
  const std::string f = fault;
  if (f == "report") reportSandbox();
  if (f == "exec") {
    char* const args[] = {const_cast<char*>("/bin/true"), nullptr};
    ::execv(args[0], args);
    std::fprintf(stderr, "exec refused: %s\n", std::strerror(errno));
    std::exit(kExitFaultReport);
  }
  if (f == "inet-socket" || f == "unix-socket") {
    const int fd = ::socket(f == "inet-socket" ? AF_INET : AF_UNIX, SOCK_STREAM, 0);
    if (fd >= 0) {
      std::fprintf(stderr, "socket opened\n");
    } else {
      std::fprintf(stderr, "socket refused: %s\n", std::strerror(errno));
    }
    std::exit(kExitFaultReport);
  }
  if (f == "segv") std::raise(SIGSEGV);
  if (f == "abort") std::abort();
  if (f == "hang") {
    for (;;) ::pause();
  }
  if (f == "spin") {
    volatile unsigned long x = 0;
    for (;;) x = x + 1;
  }
  if (f == "oom") {
    std::vector<char*> blocks;
    for (;;) {
      char* p = new char[64 << 20];
      std::memset(p, 1, 64 << 20);
      blocks.push_back(p);
    }
  }
}

int exitCodeFor(gt::ErrorCode code) {
  switch (code) {
    case gt::ErrorCode::NotFound: return kExitNotFound;
    case gt::ErrorCode::Unsupported: return kExitUnsupported;
    case gt::ErrorCode::IoError: return kExitOutput;
    case gt::ErrorCode::InvalidArgument: return kExitUsage;
    default: return kExitParse;
  }
}

}  // namespace

int main(int argc, char** argv) {
  std::set_new_handler(&outOfMemory);
  CLI::App app{"Import one IFC / glTF / GLB / OBJ / DAE / 3DS / PLY / LWO / STL model into GreenTwin's BIM format "
               "(docs/bim.md)"};
  std::string input;
  std::string outputDir = ".";
  std::string stem;
  std::string factors;
  gt::bim::BimImportOptions options;
  double anchorLon = 0, anchorLat = 0, anchorX = 0, anchorY = 0;
  gt::bim::BimAnchor anchor;
  std::uint64_t memoryLimitMb = 0;
  int cpuLimitS = 0;
  app.add_option("--input", input, "model file")->required();
  app.add_option("--output-dir", outputDir, "where <stem>.osgb and <stem>.bim.json go");
  app.add_option("--stem", stem, "output name (default: the input's stem)");
  app.add_option("--factors", factors, "emission factor table (default: assets/bim/emission_factors.toml)");
  app.add_option("--scene-crs", options.sceneCrs, "scene CRS")->capture_default_str();
  app.add_option("--origin-lon", options.sceneOriginLon, "scene local origin longitude")->capture_default_str();
  app.add_option("--origin-lat", options.sceneOriginLat, "scene local origin latitude")->capture_default_str();
  auto* optLon = app.add_option("--anchor-lon", anchorLon, "anchor longitude of the IFC origin");
  auto* optLat = app.add_option("--anchor-lat", anchorLat, "anchor latitude");
  auto* optX = app.add_option("--anchor-x", anchorX, "anchor scene x (m)");
  auto* optY = app.add_option("--anchor-y", anchorY, "anchor scene y (m)");
  auto* optZ = app.add_option("--anchor-z", anchor.sceneZ, "anchor scene z (m)");
  auto* optRot = app.add_option("--anchor-rotation", anchor.rotationDeg, "anchor rotation, deg counter-clockwise");
  auto* optScale = app.add_option("--anchor-scale", anchor.scale, "anchor scale");
  auto* optOverride = app.add_flag("--anchor-override", anchor.override, "the anchor wins over the file's georeference");
  app.add_option("--memory-limit-mb", memoryLimitMb, "address-space limit for this process (when run by hand)");
  app.add_option("--cpu-limit-s", cpuLimitS, "CPU-time limit for this process (when run by hand)");
  optLat->needs(optLon);
  optLon->needs(optLat);
  optX->needs(optY);
  optY->needs(optX);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : kExitUsage;
  }
#ifndef GREENTWIN_SANITIZE  // AddressSanitizer's shadow memory needs terabytes of address space: no cap there
  if (memoryLimitMb > 0) {
    const rlimit mem{memoryLimitMb << 20, memoryLimitMb << 20};
    ::setrlimit(RLIMIT_AS, &mem);
  }
#endif
  if (cpuLimitS > 0) {
    const rlimit cpu{static_cast<rlim_t>(cpuLimitS), static_cast<rlim_t>(cpuLimitS) + 1};
    ::setrlimit(RLIMIT_CPU, &cpu);
  }
  // From here on the system-call filter holds: nothing of the model file has been read yet.
  if (gt::Status s = gt::bim::enterImportSandbox(); !s) {
    std::fprintf(stderr, "%s\n", s.message().c_str());
    return kExitSandbox;
  }
  injectFault();

  const bool anyAnchor = optLon->count() + optX->count() + optZ->count() + optRot->count() + optScale->count() +
                             optOverride->count() > 0;
  if (anyAnchor) {
    if (optLon->count() > 0) anchor.lon = anchorLon, anchor.lat = anchorLat;
    if (optX->count() > 0) anchor.sceneX = anchorX, anchor.sceneY = anchorY;
    options.anchor = anchor;
  }
  options.outputDir = outputDir;
  options.outputStem = stem;
  options.emissionFactors = factors;

  // Parser state parked here is never freed: the process exits right after the import (std::_Exit below).
  auto* parked = new std::vector<std::shared_ptr<void>>;
  try {
    auto result = gt::bim::importModelHere(input, options, parked);
    if (!result) {
      std::fprintf(stderr, "%s\n", result.status().message().c_str());
      return exitCodeFor(result.status().code());
    }
    const auto& m = result->model;
    std::printf("imported %s: %zu elements, %zu storeys, placement %s, %.0f kgCO2e, %.3f s\n", input.c_str(),
                m.elements.size(), m.storeys().size(), gt::bim::toString(m.placement.method), m.carbonTotalKgCo2e,
                result->wallSeconds);
    for (const std::string& w : m.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
    std::fflush(stdout);
    std::fflush(stderr);
    std::_Exit(0);  // outputs are closed and renamed; skip freeing the parked parser state
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", input.c_str(), e.what());
    return kExitParse;
  }
}
