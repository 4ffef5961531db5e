#include "greentwin/runtime/assets.hpp"

#include <cstdlib>
#include <filesystem>

namespace gt::runtime {

std::string assetsDirectory() {
  if (const char* env = std::getenv("GREENTWIN_ASSETS"); env != nullptr && *env != '\0') return env;
  namespace fs = std::filesystem;
  const auto hasDemo = [](const fs::path& dir) { return fs::exists(dir / "demo" / "greentwin.toml"); };
  // An installed tree, wherever its prefix: <prefix>/bin/greentwin next to <prefix>/share/greentwin.
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    const fs::path installed = exe.parent_path().parent_path() / "share" / "greentwin";
    if (hasDemo(installed)) return installed.string();
  }
  if (hasDemo(GT_ASSETS_INSTALL_DIR)) return GT_ASSETS_INSTALL_DIR;
  return GT_ASSETS_SOURCE_DIR;
}

std::string demoConfigPath() { return assetsDirectory() + "/demo/greentwin.toml"; }

}  // namespace gt::runtime
