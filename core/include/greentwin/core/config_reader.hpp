#pragma once
// Reading the config file (TOML) for every module that owns a part of it: core reads the common sections, each layer
// type, source type and the history store read their own keys (config.hpp ConfigSchema). A ConfigTable is a view of
// one table whose typed readers check the type and range of a key and collect every problem as one line
// "FILE:LINE: 'key.path' ..." in the document's ConfigErrors; checkKeys() reports unknown keys with the nearest known
// name ("did you mean 'display.width'?"). toml++ stays inside core (config_reader.cpp).
//
// A document and its tables are used on one thread, while the config is parsed; tables must not outlive it.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/core/time.hpp"

namespace gt {

using ConfigKeys = std::span<const std::string_view>;

// One `key = value` of a table the reader of that table does not interpret (a plugin source's options, a plugin's
// settings), the value as text: strings as written, numbers in decimal, booleans "true"/"false".
struct ConfigValue {
  std::string key;
  std::string value;
  int line = 0;
};

// Every problem found in one document, each "FILE:LINE: message".
class ConfigErrors {
 public:
  explicit ConfigErrors(std::string file) : file_(std::move(file)) {}
  const std::string& file() const { return file_; }
  // line 0: the message names the file only.
  void add(ErrorCode code, int line, const std::string& message);
  std::size_t count() const { return errors_.size(); }
  // All problems, one per line, sorted by line (stable); the code is that of the first. Ok when there are none.
  Status result() const;

 private:
  struct Error {
    ErrorCode code;
    int line;
    std::string text;
  };
  std::string file_;
  std::vector<Error> errors_;
};

// The nearest of `known` to `key` when it is close enough to be a plausible typo, else empty.
std::string_view suggestKey(std::string_view key, ConfigKeys known);
// "#rrggbb" or "#rrggbbaa".
bool isColourText(std::string_view text);

class ConfigTable {
 public:
  enum class Bound { Inclusive, Exclusive };

  // "layers[0].field" ("" for the document's root): the prefix of every key path in messages.
  const std::string& path() const { return path_; }
  std::string keyPath(std::string_view key) const;
  // The line of the table's header (or of its first key); of a key's value (the table's line when it is absent).
  int line() const;
  int lineOf(std::string_view key) const;
  bool has(std::string_view key) const;
  // Keys in the order the file writes them.
  std::vector<std::string> keys() const;
  ConfigErrors& errors() const { return *errors_; }

  // A problem at the table's line, or at the line of `key`'s value.
  void error(ErrorCode code, const std::string& message) const;
  void errorAt(std::string_view key, ErrorCode code, const std::string& message) const;

  // Unknown keys are errors (a typo would otherwise be silently ignored), with a nearest-name suggestion, or the
  // list of known keys when none is close.
  void checkKeys(ConfigKeys known) const;

  // Readers: an absent key leaves `out` as it is (its default) and returns false; a key of the wrong type or out of
  // range is an error naming the key, its line and what is allowed, leaves `out` and returns false.
  bool readInt(std::string_view key, int& out, int lo, int hi) const;
  // Integers are accepted where a number is expected (ui_scale = 2); NaN is out of every range.
  bool readDouble(std::string_view key, double& out, double lo, double hi, Bound low = Bound::Inclusive) const;
  bool readBool(std::string_view key, bool& out) const;
  // `allowed` empty: any string.
  bool readString(std::string_view key, std::string& out, ConfigKeys allowed = {}) const;
  bool readColour(std::string_view key, std::string& out) const;
  bool readStringArray(std::string_view key, std::vector<std::string>& out) const;
  bool readDoubleArray(std::string_view key, std::vector<double>& out) const;
  // Every element an integer in lo..hi; each bad element is reported at its own line (and `out` is left).
  bool readIntArray(std::string_view key, std::vector<int>& out, int lo, int hi) const;
  // A TOML date-time (offset or local; local = UTC), a date (midnight UTC) or an ISO 8601 string.
  bool readTime(std::string_view key, std::optional<TimePoint>& out) const;
  // A required, non-empty string of an array-of-tables entry (layers[0].id); its absence names the table.
  bool requireString(std::string_view key, std::string& out) const;
  bool require(std::string_view key) const;
  // Every key but those in `skip`, in file order, as text: strings, numbers and booleans; anything else is a type
  // error naming the key.
  void readScalars(ConfigKeys skip, std::vector<ConfigValue>& out) const;
  // A string value without any error when the key is absent or not a string.
  std::optional<std::string> stringValue(std::string_view key) const;

  // A sub-table, or nullopt when absent (or of another type, which is reported).
  std::optional<ConfigTable> table(std::string_view key) const;
  // The tables of an array of tables ([[layers]]), paths "layers[i]"; a non-table element or a value that is not an
  // array is reported. Empty when absent.
  std::vector<ConfigTable> tables(std::string_view key) const;
  // Whether `key` holds a table (no error either way).
  bool isTable(std::string_view key) const;

 private:
  friend class ConfigDocument;
  // `table` is the toml++ table (config_reader.cpp): opaque here so that toml++ stays out of core's headers.
  ConfigTable(const void* table, std::string path, ConfigErrors* errors)
      : table_(table), path_(std::move(path)), errors_(errors) {}
  bool typeError(std::string_view key, const std::string& expected) const;

  const void* table_;
  std::string path_;
  ConfigErrors* errors_;
};

// One parsed TOML text and the problems found reading it.
class ConfigDocument {
 public:
  // A syntax error is a ParseError "NAME:LINE:COLUMN: description"; `sourceName` names the text in every message.
  static Result<ConfigDocument> parse(const std::string& text, const std::string& sourceName);
  ConfigDocument(ConfigDocument&&) noexcept;
  ConfigDocument& operator=(ConfigDocument&&) noexcept;
  ~ConfigDocument();

  ConfigTable root() const;
  ConfigErrors& errors() const;

 private:
  struct Impl;
  explicit ConfigDocument(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace gt
