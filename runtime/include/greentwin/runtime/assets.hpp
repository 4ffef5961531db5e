#pragma once
// Where the bundled data is (the Tongzhou demo, fonts, BIM emission factors): found at run time so that an installed
// tree, a build tree and a test all find the same files.

#include <string>

namespace gt::runtime {

// $GREENTWIN_ASSETS, else <prefix>/share/greentwin beside the installed binary, else the configured install dir, else
// the source tree's assets/.
std::string assetsDirectory();
// The bundled demo config (assets/demo/greentwin.toml).
std::string demoConfigPath();

}  // namespace gt::runtime
