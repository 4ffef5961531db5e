// Test plugin "newer": its descriptor says it was built for the NEXT plugin ABI (its manifest claims the current
// one), so the host must refuse it after loading, naming both versions.
#include <greentwin/plugin_abi.h>

#include <cstdint>

extern "C" GREENTWIN_PLUGIN_EXPORT const gt_plugin_descriptor* greentwin_plugin_entry(const gt_host_api*,
                                                                                      std::uint32_t) {
  static gt_plugin_descriptor d{};
  d.struct_size = sizeof d;
  d.abi_version = GREENTWIN_PLUGIN_ABI_VERSION + 1;
  d.id = "newer";
  d.name = "Plugin from the future";
  d.version = "9";
  return &d;
}
