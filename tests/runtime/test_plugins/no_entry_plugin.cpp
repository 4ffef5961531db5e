// Test plugin "noentry": a shared library without greentwin_plugin_entry.
#include <greentwin/plugin_abi.h>

extern "C" GREENTWIN_PLUGIN_EXPORT int not_the_entry_point(void) { return 42; }
