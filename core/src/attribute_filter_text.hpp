#pragma once
// What the filter language's parser and its canonical text share (attribute_filter_parse.cpp, attribute_filter.cpp).

#include <string_view>

namespace gt::filter_text {

// Whether an attribute name can be written without double quotes and read back as the same name: it starts with a
// letter, '_' or a non-ASCII character, goes on with those and digits, holds no full-width punctuation or
// ideographic space (which the parser stops at), and is not a keyword.
bool isBareName(std::string_view name);

}  // namespace gt::filter_text
