#include "indicator_toml.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>
#include <fstream>
#include <sstream>

namespace gt::runtime::indicator_toml {

Result<toml::table> parseFile(const std::string& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status(ErrorCode::IoError, "cannot read " + std::string(what) + " '" + path + "'");
  std::stringstream text;
  text << in.rdbuf();
  try {
    return toml::parse(text.str(), std::string_view(path));
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return Status(ErrorCode::ParseError, path + ":" + std::to_string(begin.line) + ":" + std::to_string(begin.column) +
                                             ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Status(ErrorCode::Internal, path + ": unexpected error reading the " + what + ": " + e.what());
  }
}

int lineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

const char* typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "a table";
    case toml::node_type::array: return "an array";
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string Entry::field(std::string_view key) const {
  if (key.empty()) return path_;
  return path_.empty() ? std::string(key) : path_ + "." + std::string(key);
}

void Entry::problem(std::string_view key, const std::string& message) const {
  const toml::node* node = key.empty() ? nullptr : table_.get(key);
  out_.push_back(IndicatorProblem{file_, node != nullptr ? lineOf(*node) : line(), field(key), message, number_});
}

bool Entry::checkKeys(std::initializer_list<std::string_view> known) const {
  bool ok = true;
  for (auto&& [key, node] : table_) {
    if (std::find(known.begin(), known.end(), key.str()) != known.end()) continue;
    std::string list;
    for (std::string_view k : known) list += (list.empty() ? "" : ", ") + std::string(k);
    int line = static_cast<int>(key.source().begin.line);
    if (line == 0) line = lineOf(node);
    out_.push_back(IndicatorProblem{file_, line, field(key.str()), "is not a known key (known: " + list + ")", number_});
    ok = false;
  }
  return ok;
}

bool Entry::absent(std::string_view key, bool required) const {
  if (table_.get(key) != nullptr) return false;
  if (required) problem(key, "is missing");
  return true;
}

bool Entry::readInt(std::string_view key, int& out, int lo, int hi, bool required) const {
  if (absent(key, required)) return false;
  const toml::node& node = *table_.get(key);
  const auto* value = node.as_integer();
  if (value == nullptr) {
    problem(key, std::string("must be an integer, got ") + typeName(node));
    return false;
  }
  if (value->get() < lo || value->get() > hi) {
    problem(key, "= " + std::to_string(value->get()) + " is out of range " + std::to_string(lo) + ".." +
                     std::to_string(hi));
    return false;
  }
  out = static_cast<int>(value->get());
  return true;
}

bool Entry::readNumber(std::string_view key, double& out, bool required) const {
  if (absent(key, required)) return false;
  const toml::node& node = *table_.get(key);
  double v = 0.0;
  if (const auto* f = node.as_floating_point()) {
    v = f->get();
  } else if (const auto* i = node.as_integer()) {
    v = static_cast<double>(i->get());
  } else if (const auto* s = node.as_string()) {
    problem(key, "must be a number, got the string \"" + s->get() + "\"");
    return false;
  } else {
    problem(key, std::string("must be a number, got ") + typeName(node));
    return false;
  }
  if (!std::isfinite(v)) {
    problem(key, "must be a finite number, got " + std::string(std::isnan(v) ? "nan" : "inf"));
    return false;
  }
  out = v;
  return true;
}

bool Entry::readString(std::string_view key, std::string& out, bool required) const {
  if (absent(key, required)) return false;
  const toml::node& node = *table_.get(key);
  const auto* value = node.as_string();
  if (value == nullptr) {
    problem(key, std::string("must be a string, got ") + typeName(node));
    return false;
  }
  if (value->get().empty()) {
    problem(key, "must not be empty");
    return false;
  }
  out = value->get();
  return true;
}

bool Entry::readStrings(std::string_view key, std::vector<std::string>& out, bool required) const {
  if (absent(key, required)) return false;
  const toml::node& node = *table_.get(key);
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    problem(key, std::string("must be an array of strings, got ") + typeName(node));
    return false;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const auto* value = element.as_string();
    if (value == nullptr || value->get().empty()) {
      problemAt(lineOf(element), field(key) + "[" + std::to_string(i) + "]",
                value == nullptr ? std::string("must be a string, got ") + typeName(element) : "must not be empty");
      return false;
    }
    out.push_back(value->get());
  }
  return true;
}

std::vector<std::pair<const toml::table*, std::string>> Entry::tables(std::string_view key, bool required) const {
  std::vector<std::pair<const toml::table*, std::string>> out;
  if (absent(key, required)) return out;
  const toml::node& node = *table_.get(key);
  const toml::array* array = node.as_array();
  if (array == nullptr) {
    problem(key, std::string("must be an array of tables, got ") + typeName(node));
    return out;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const std::string path = field(key) + "[" + std::to_string(i) + "]";
    if (const toml::table* element = array->get(i)->as_table()) {
      out.emplace_back(element, path);
    } else {
      problemAt(lineOf(*array->get(i)), path, std::string("must be a table, got ") + typeName(*array->get(i)));
    }
  }
  return out;
}

}  // namespace gt::runtime::indicator_toml
