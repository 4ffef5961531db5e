// The config reader over toml++ (config_reader.hpp). Messages: "FILE:LINE: 'key.path' must be ..., got ...".

#include "greentwin/core/config_reader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <exception>

namespace gt {

namespace {

const toml::table& tomlTable(const void* table) { return *static_cast<const toml::table*>(table); }

int lineOfNode(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

std::size_t editDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitute = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, substitute});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string joinKeys(ConfigKeys keys) {
  std::string out;
  for (std::string_view k : keys) {
    if (!out.empty()) out += ", ";
    out += k;
  }
  return out;
}

const char* typeName(const toml::node& node) {
  switch (node.type()) {
    case toml::node_type::table: return "table";
    case toml::node_type::array: return "array";
    case toml::node_type::string: return "string";
    case toml::node_type::integer: return "integer";
    case toml::node_type::floating_point: return "float";
    case toml::node_type::boolean: return "boolean";
    case toml::node_type::date: return "date";
    case toml::node_type::time: return "time";
    case toml::node_type::date_time: return "date-time";
    case toml::node_type::none: break;
  }
  return "nothing";
}

std::string fmtDouble(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string joinPath(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

Result<TimePoint> dateTimeToTimePoint(const toml::date& d, const toml::time& t, int offsetMinutes) {
  using namespace std::chrono;
  const year_month_day ymd{year{d.year}, month{d.month}, day{d.day}};
  if (!ymd.ok()) return Status(ErrorCode::ParseError, "invalid date");
  const std::int64_t days = sys_days{ymd}.time_since_epoch().count();
  const std::int64_t secondsOfDay = (std::int64_t{t.hour} * 60 + t.minute) * 60 + t.second;
  return (days * 86400 + secondsOfDay - std::int64_t{offsetMinutes} * 60) * kMicrosPerSecond +
         std::int64_t{t.nanosecond} / 1000;
}

// toml++ keeps a table's keys sorted; legends, class lists and plugin options keep the order the user wrote.
std::vector<std::pair<const toml::key*, const toml::node*>> inFileOrder(const toml::table& t) {
  std::vector<std::pair<const toml::key*, const toml::node*>> entries;
  for (auto&& [key, node] : t) entries.emplace_back(&key, &node);
  std::stable_sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
    const auto& pa = a.first->source().begin;
    const auto& pb = b.first->source().begin;
    return pa.line != pb.line ? pa.line < pb.line : pa.column < pb.column;
  });
  return entries;
}

}  // namespace

// ---- errors ---------------------------------------------------------------------------------------------------

void ConfigErrors::add(ErrorCode code, int line, const std::string& message) {
  std::string where = file_;
  if (line > 0) where += ":" + std::to_string(line);
  errors_.push_back(Error{code, line, where + ": " + message});
}

Status ConfigErrors::result() const {
  if (errors_.empty()) return Status::ok();
  std::vector<Error> sorted = errors_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Error& a, const Error& b) { return a.line < b.line; });
  std::string message;
  for (const auto& e : sorted) {
    if (!message.empty()) message += '\n';
    message += e.text;
  }
  return Status(sorted.front().code, message);
}

std::string_view suggestKey(std::string_view key, ConfigKeys known) {
  std::string_view best;
  std::size_t bestDistance = SIZE_MAX;
  for (std::string_view k : known) {
    const std::size_t d = editDistance(key, k);
    if (d < bestDistance) {
      bestDistance = d;
      best = k;
    }
  }
  const std::size_t limit = std::max<std::size_t>(2, std::min(key.size(), best.size()) / 3);
  return bestDistance <= limit ? best : std::string_view{};
}

bool isColourText(std::string_view s) {
  if (s.size() != 7 && s.size() != 9) return false;
  if (s[0] != '#') return false;
  return std::all_of(s.begin() + 1, s.end(), [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  });
}

// ---- a table ----------------------------------------------------------------------------------------------------

std::string ConfigTable::keyPath(std::string_view key) const { return joinPath(path_, key); }

int ConfigTable::line() const { return lineOfNode(tomlTable(table_)); }

int ConfigTable::lineOf(std::string_view key) const {
  const toml::node* node = tomlTable(table_).get(key);
  return node != nullptr ? lineOfNode(*node) : line();
}

bool ConfigTable::has(std::string_view key) const { return tomlTable(table_).get(key) != nullptr; }

std::vector<std::string> ConfigTable::keys() const {
  std::vector<std::string> out;
  for (const auto& [key, node] : inFileOrder(tomlTable(table_))) out.emplace_back(key->str());
  return out;
}

void ConfigTable::error(ErrorCode code, const std::string& message) const { errors_->add(code, line(), message); }

void ConfigTable::errorAt(std::string_view key, ErrorCode code, const std::string& message) const {
  errors_->add(code, lineOf(key), message);
}

bool ConfigTable::typeError(std::string_view key, const std::string& expected) const {
  const toml::node* node = tomlTable(table_).get(key);
  errors_->add(ErrorCode::InvalidArgument, lineOf(key),
               "'" + keyPath(key) + "' must be " + expected + ", got " +
                   (node != nullptr ? typeName(*node) : "nothing"));
  return false;
}

void ConfigTable::checkKeys(ConfigKeys known) const {
  for (auto&& [key, node] : tomlTable(table_)) {
    const std::string_view name = key.str();
    if (std::find(known.begin(), known.end(), name) != known.end()) continue;
    int line = static_cast<int>(key.source().begin.line);
    if (line == 0) line = lineOfNode(node);
    std::string message = "unknown key '" + keyPath(name) + "'";
    const std::string_view guess = suggestKey(name, known);
    if (!guess.empty()) {
      message += " (did you mean '" + keyPath(guess) + "'?)";
    } else {
      message += " (known keys" + std::string(path_.empty() ? "" : " in '" + path_ + "'") + ": " + joinKeys(known) +
                 ")";
    }
    errors_->add(ErrorCode::InvalidArgument, line, message);
  }
}

bool ConfigTable::readInt(std::string_view key, int& out, int lo, int hi) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  const auto* value = node->as_integer();
  if (value == nullptr) return typeError(key, "an integer");
  const std::int64_t v = value->get();
  if (v < lo || v > hi) {
    errors_->add(ErrorCode::OutOfRange, lineOfNode(*node),
                 "'" + keyPath(key) + "' = " + std::to_string(v) + " is out of range; allowed " + std::to_string(lo) +
                     ".." + std::to_string(hi));
    return false;
  }
  out = static_cast<int>(v);
  return true;
}

bool ConfigTable::readDouble(std::string_view key, double& out, double lo, double hi, Bound low) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  double v = 0.0;
  if (const auto* f = node->as_floating_point()) {
    v = f->get();
  } else if (const auto* i = node->as_integer()) {
    v = static_cast<double>(i->get());
  } else {
    return typeError(key, "a number");
  }
  const bool lowOk = low == Bound::Inclusive ? v >= lo : v > lo;
  if (!(lowOk && v <= hi)) {  // written so that NaN fails
    const std::string allowed = low == Bound::Exclusive ? "> " + fmtDouble(lo) + " and <= " + fmtDouble(hi)
                                                        : fmtDouble(lo) + ".." + fmtDouble(hi);
    errors_->add(ErrorCode::OutOfRange, lineOfNode(*node),
                 "'" + keyPath(key) + "' = " + fmtDouble(v) + " is out of range; allowed " + allowed);
    return false;
  }
  out = v;
  return true;
}

bool ConfigTable::readBool(std::string_view key, bool& out) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  const auto* value = node->as_boolean();
  if (value == nullptr) return typeError(key, "a boolean");
  out = value->get();
  return true;
}

bool ConfigTable::readString(std::string_view key, std::string& out, ConfigKeys allowed) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  const auto* value = node->as_string();
  if (value == nullptr) return typeError(key, "a string");
  const std::string& v = value->get();
  if (!allowed.empty() && std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
    errors_->add(ErrorCode::OutOfRange, lineOfNode(*node),
                 "'" + keyPath(key) + "' = \"" + v + "\" is not allowed; expected one of: " + joinKeys(allowed));
    return false;
  }
  out = v;
  return true;
}

bool ConfigTable::readColour(std::string_view key, std::string& out) const {
  std::string v;
  if (!readString(key, v)) return false;
  if (!isColourText(v)) {
    errorAt(key, ErrorCode::InvalidArgument,
            "'" + keyPath(key) + "' = \"" + v + "\" is not a colour; expected \"#rrggbb\" or \"#rrggbbaa\"");
    return false;
  }
  out = v;
  return true;
}

bool ConfigTable::readStringArray(std::string_view key, std::vector<std::string>& out) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  const auto* array = node->as_array();
  if (array == nullptr) return typeError(key, "an array of strings");
  std::vector<std::string> values;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    if (const auto* s = element.as_string()) {
      values.push_back(s->get());
    } else {
      errors_->add(ErrorCode::InvalidArgument, lineOfNode(element),
                   "'" + keyPath(key) + "[" + std::to_string(i) + "]' must be a string, got " + typeName(element));
      ok = false;
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

bool ConfigTable::readDoubleArray(std::string_view key, std::vector<double>& out) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  const auto* array = node->as_array();
  if (array == nullptr) return typeError(key, "an array of numbers");
  std::vector<double> values;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    if (const auto* f = element.as_floating_point()) {
      values.push_back(f->get());
    } else if (const auto* n = element.as_integer()) {
      values.push_back(static_cast<double>(n->get()));
    } else {
      errors_->add(ErrorCode::InvalidArgument, lineOfNode(element),
                   "'" + keyPath(key) + "[" + std::to_string(i) + "]' must be a number, got " + typeName(element));
      return false;
    }
  }
  out = std::move(values);
  return true;
}

bool ConfigTable::readIntArray(std::string_view key, std::vector<int>& out, int lo, int hi) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  const auto* array = node->as_array();
  if (array == nullptr) return typeError(key, "an array of integers");
  std::vector<int> values;
  bool ok = true;
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const std::string path = "'" + keyPath(key) + "[" + std::to_string(i) + "]'";
    if (const auto* n = element.as_integer(); n == nullptr) {
      errors_->add(ErrorCode::InvalidArgument, lineOfNode(element), path + " must be an integer, got " + typeName(element));
      ok = false;
    } else if (n->get() < lo || n->get() > hi) {
      errors_->add(ErrorCode::OutOfRange, lineOfNode(element),
                   path + " = " + std::to_string(n->get()) + " is out of range; allowed " + std::to_string(lo) + ".." +
                       std::to_string(hi));
      ok = false;
    } else {
      values.push_back(static_cast<int>(n->get()));
    }
  }
  if (ok) out = std::move(values);
  return ok;
}

bool ConfigTable::readTime(std::string_view key, std::optional<TimePoint>& out) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return false;
  Result<TimePoint> parsed = Status(ErrorCode::Internal, "unset");
  if (const auto* s = node->as_string()) {
    parsed = parseIsoTime(s->get());
  } else if (const auto* dt = node->as_date_time()) {
    const toml::date_time& v = dt->get();
    parsed = dateTimeToTimePoint(v.date, v.time, v.offset ? v.offset->minutes : 0);
  } else if (const auto* d = node->as_date()) {
    parsed = dateTimeToTimePoint(d->get(), toml::time{}, 0);
  } else {
    return typeError(key, "a date-time or an ISO 8601 string");
  }
  if (!parsed) {
    errors_->add(ErrorCode::ParseError, lineOfNode(*node),
                 "'" + keyPath(key) + "' is not a valid time: " + parsed.status().message());
    return false;
  }
  out = *parsed;
  return true;
}

bool ConfigTable::require(std::string_view key) const {
  if (has(key)) return true;
  error(ErrorCode::InvalidArgument, "'" + path_ + "' is missing required key '" + std::string(key) + "'");
  return false;
}

bool ConfigTable::requireString(std::string_view key, std::string& out) const {
  if (!require(key)) return false;
  if (!readString(key, out)) return false;
  if (out.empty()) {
    errorAt(key, ErrorCode::InvalidArgument, "'" + keyPath(key) + "' must not be empty");
    return false;
  }
  return true;
}

void ConfigTable::readScalars(ConfigKeys skip, std::vector<ConfigValue>& out) const {
  for (const auto& [key, node] : inFileOrder(tomlTable(table_))) {
    const std::string_view name = key->str();
    if (std::find(skip.begin(), skip.end(), name) != skip.end()) continue;
    ConfigValue v{std::string(name), {}, lineOfNode(*node)};
    if (const auto* s = node->as_string()) {
      v.value = s->get();
    } else if (const auto* i = node->as_integer()) {
      v.value = std::to_string(i->get());
    } else if (const auto* f = node->as_floating_point()) {
      char buf[64];  // the shortest text that reads back as the same double
      const auto end = std::to_chars(buf, buf + sizeof buf, f->get()).ptr;
      v.value.assign(buf, end);
    } else if (const auto* b = node->as_boolean()) {
      v.value = b->get() ? "true" : "false";
    } else {
      typeError(name, "a string, number or boolean");
      continue;
    }
    out.push_back(std::move(v));
  }
}

std::optional<std::string> ConfigTable::stringValue(std::string_view key) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr || !node->is_string()) return std::nullopt;
  return node->as_string()->get();
}

bool ConfigTable::isTable(std::string_view key) const {
  const toml::node* node = tomlTable(table_).get(key);
  return node != nullptr && node->is_table();
}

std::optional<ConfigTable> ConfigTable::table(std::string_view key) const {
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return std::nullopt;
  const auto* sub = node->as_table();
  if (sub == nullptr) {
    typeError(key, "a table");
    return std::nullopt;
  }
  return ConfigTable(sub, keyPath(key), errors_);
}

std::vector<ConfigTable> ConfigTable::tables(std::string_view key) const {
  std::vector<ConfigTable> out;
  const toml::node* node = tomlTable(table_).get(key);
  if (node == nullptr) return out;
  const std::string path = keyPath(key);
  const auto* array = node->as_array();
  if (array == nullptr) {
    typeError(key, "an array of tables ([[" + path + "]])");
    return out;
  }
  for (std::size_t i = 0; i < array->size(); ++i) {
    const toml::node& element = *array->get(i);
    const std::string elementPath = path + "[" + std::to_string(i) + "]";
    if (const auto* sub = element.as_table()) {
      out.push_back(ConfigTable(sub, elementPath, errors_));
    } else {
      errors_->add(ErrorCode::InvalidArgument, lineOfNode(element),
                   "'" + elementPath + "' must be a table, got " + typeName(element));
    }
  }
  return out;
}

// ---- a document -------------------------------------------------------------------------------------------------

struct ConfigDocument::Impl {
  toml::table root;
  ConfigErrors errors;
};

ConfigDocument::ConfigDocument(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ConfigDocument::ConfigDocument(ConfigDocument&&) noexcept = default;
ConfigDocument& ConfigDocument::operator=(ConfigDocument&&) noexcept = default;
ConfigDocument::~ConfigDocument() = default;

Result<ConfigDocument> ConfigDocument::parse(const std::string& text, const std::string& sourceName) {
  try {
    auto impl =
        std::unique_ptr<Impl>(new Impl{toml::parse(text, std::string_view(sourceName)), ConfigErrors(sourceName)});
    return ConfigDocument(std::move(impl));
  } catch (const toml::parse_error& e) {
    const auto& begin = e.source().begin;
    return Status(ErrorCode::ParseError, sourceName + ":" + std::to_string(begin.line) + ":" +
                                             std::to_string(begin.column) + ": " + std::string(e.description()));
  } catch (const std::exception& e) {
    return Status(ErrorCode::Internal, sourceName + ": unexpected error while reading the config: " + e.what());
  }
}

ConfigTable ConfigDocument::root() const { return ConfigTable(&impl_->root, "", &impl_->errors); }

ConfigErrors& ConfigDocument::errors() const { return impl_->errors; }

}  // namespace gt
