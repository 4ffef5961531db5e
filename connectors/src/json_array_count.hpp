#pragma once
// Internal to connectors: whether a JSON text is an array of more than `limit` elements, found without building it.
// The wire decoder asks this before it parses a JSON payload: a 16 MiB array of empty objects ("[{},{},...]") is five
// million elements, and parsing it into a document first would cost about half a gigabyte before the update cap
// could refuse it. A SAX pass (nlohmann::json::sax_parse) counts the top-level elements and stops at limit + 1.
// Plain function: any thread.

#include <cstddef>
#include <string_view>

namespace gt::connectors::detail {

// True when `text` begins a JSON array holding more than `limit` elements (counted up to limit + 1; what follows is
// not read). False for anything else, malformed text included: the full parse reports that.
bool jsonArrayExceeds(std::string_view text, std::size_t limit);

}  // namespace gt::connectors::detail
