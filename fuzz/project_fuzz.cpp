// libFuzzer target for project files (core/project.hpp, docs/workbench.md "Projects"): a planner's file opened in the
// window or by `greentwin --project`, which may be damaged, hand-edited or hostile. It reaches the config's section
// readers (styles, layers, poses), the scenario reader and the TOML writers.
//
// Besides "no crash, no out-of-bounds read, no exception, no deep recursion", it checks:
// - a refused file says why (a non-empty message naming the file);
// - an accepted file written back reads again, and writing that gives the same text (the round trip is stable).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "greentwin/core/project.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto project = gt::parseProject(text, "fuzz.gtproj");
  if (!project) {
    if (project.status().message().find("fuzz.gtproj") == std::string::npos) std::abort();
    return 0;
  }
  const std::string written = gt::projectText(*project);
  const auto again = gt::parseProject(written, "written.gtproj");
  if (!again || gt::projectText(*again) != written) std::abort();
  return 0;
}
