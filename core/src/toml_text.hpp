#pragma once
// Writing TOML values as text (scenario and project files, config_text.cpp). Core-private.

#include <string>
#include <vector>

namespace gt::toml_text {

// A TOML basic string: quotes, backslashes and control characters escaped.
std::string quoted(const std::string& s);
// The shortest text that reads back to the same double, always a TOML float ("3.0", not "3").
std::string number(double v);
// ["a", "b"]
std::string stringArray(const std::vector<std::string>& items);
// [1.0, 2.5]
std::string numberArray(const std::vector<double>& items);
// A bare key when it is one (A-Z a-z 0-9 _ -), else a quoted key.
std::string key(const std::string& k);

}  // namespace gt::toml_text
