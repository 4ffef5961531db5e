#pragma once
// Runs a command line as a user would (a tool of the build: greentwin render, greentwin-sim), returning its exit
// status and what it printed on stdout and stderr together. For tests that drive the real executables.

#include <cstdio>
#include <string>

namespace gt::testing {

inline int runCommand(const std::string& command, std::string& output) {
  output.clear();
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) output += buffer;
  return ::pclose(pipe);
}

}  // namespace gt::testing
