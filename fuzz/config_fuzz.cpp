// libFuzzer target for the config file reader (core/config.hpp parseConfig, docs/config.md): the whole file from
// its text, as `greentwin --config` reads it, without the file system. It reaches the TOML parser (toml++), every
// section reader of core (display, scene, clock, camera, layers and their styles, sources, plugins, logging) and
// the TOML writers of config_text.hpp that projects use.
//
// Besides "no crash, no out-of-bounds read, no exception, no deep recursion", it checks:
// - a refused file says why, naming the file;
// - the strict reader (an empty schema: every key not core's is unknown) accepts nothing the common-parts reader
//   (ConfigSchema::commonOnly, what the simulator uses) refuses;
// - the parts config_text.hpp writes (home pose, bookmarks, layers with their styles) read back, and writing what
//   was read back gives the same text (the round trip is stable).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "greentwin/core/config.hpp"
#include "greentwin/core/config_text.hpp"

namespace {

// The parts of `config` that config_text.hpp writes, as one config file.
std::string writtenParts(const gt::Config& config) {
  std::string out = "[camera.home]\n" + gt::poseText(config.home);
  for (const gt::BookmarkConfig& b : config.bookmarks) out += "\n[[camera.bookmarks]]\n" + gt::bookmarkText(b);
  for (const gt::LayerConfig& l : config.layers) {
    out += "\n[[layers]]\n" + gt::layerText(l) + "[layers.style]\n" + gt::styleText(l.style);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Config files are a few tens of kB; beyond that the fuzzer only spends its time in toml++.
  if (size > 256 * 1024) return 0;
  const std::string text(reinterpret_cast<const char*>(data), size);
  const auto common = gt::parseConfig(text, "fuzz.toml", gt::ConfigSchema::commonOnly());
  const auto strict = gt::parseConfig(text, "fuzz.toml", gt::ConfigSchema{});
  for (const auto* result : {&common, &strict}) {
    if (!*result && result->status().message().find("fuzz.toml") == std::string::npos) std::abort();
  }
  if (strict && !common) std::abort();
  if (!common) return 0;

  const std::string written = writtenParts(*common);
  const auto again = gt::parseConfig(written, "written.toml", gt::ConfigSchema::commonOnly());
  if (!again || again->layers.size() != common->layers.size() ||
      again->bookmarks.size() != common->bookmarks.size() || writtenParts(*again) != written) {
    std::abort();
  }
  return 0;
}
