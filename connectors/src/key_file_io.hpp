#pragma once
// Internal to connectors: small file helpers shared by the key file and the allow-list (curve_keys.cpp,
// allow_list.cpp). Any thread.

#include <string>

#include "greentwin/core/status.hpp"

namespace gt::connectors::detail {

// The whole file as text. NotFound / IoError naming the file.
Result<std::string> readTextFile(const std::string& path, const std::string& what);

// Writes `text` to a temporary file in the same folder with permissions `mode` (e.g. 0600), fsyncs it and renames it
// over `path`, so a reader sees the old or the new file, never a half-written one. `overwrite` false: an existing
// `path` is an error. Errors name the file.
Status writeFileAtomically(const std::string& path, const std::string& text, unsigned mode, bool overwrite,
                           const std::string& what);

}  // namespace gt::connectors::detail
