/* GreenTwin plugin ABI: the C boundary between the host and a plugin shared library.
 * Status: the version and conventions only. Entry point, descriptors and the C++ wrapper come with the
 * live-feeds/plugin SDK work (see DESIGN.md, "Plugins"); nothing loads plugins yet.
 *
 * Conventions every struct of this ABI follows:
 *  - it begins with `uint32_t struct_size`, set by whoever fills it to sizeof(the struct as it was compiled), so
 *    the other side can tell which fields exist;
 *  - fields are only ever appended; a plugin built for a newer ABI than the host's is refused. */
#ifndef GREENTWIN_PLUGIN_ABI_H
#define GREENTWIN_PLUGIN_ABI_H

#include <stdint.h>

#define GREENTWIN_PLUGIN_ABI_VERSION 1u

#endif
