#pragma once
// Reading the indicator files (indicators.toml, statistics.toml) over toml++: the file, and one table's keys with
// every problem kept as an IndicatorProblem naming the file, the line and the key path (runtime/indicators.hpp).
// Used on one thread, while a file is read.

#include <toml++/toml.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "greentwin/core/status.hpp"
#include "greentwin/runtime/indicators.hpp"

namespace gt::runtime::indicator_toml {

// The file parsed; IoError when it is missing or unreadable, ParseError "FILE:LINE:COLUMN: description" when it is
// not TOML. `what` names the file's kind in the messages ("indicator catalog").
Result<toml::table> parseFile(const std::string& path, const char* what);

int lineOf(const toml::node& node);
const char* typeName(const toml::node& node);

// One table of a file (the root, an [[indicator]], a figure): typed readers that report what is wrong.
class Entry {
 public:
  // `path`: the table's key path ("indicator[3]", "" for the root); problems go to `out` with `number`.
  Entry(const std::string& file, const toml::table& table, std::string path, int number,
        std::vector<IndicatorProblem>& out)
      : file_(file), table_(table), path_(std::move(path)), number_(number), out_(out) {}

  void setNumber(int number) { number_ = number; }
  // A table inside this one, at key path `path` (problems go to the same list, with the same number).
  Entry sub(const toml::table& table, std::string path) const { return Entry(file_, table, std::move(path), number_, out_); }
  std::string field(std::string_view key) const;
  const toml::node* get(std::string_view key) const { return table_.get(key); }
  int line() const { return lineOf(table_); }
  std::size_t problemCount() const { return out_.size(); }

  // A problem at `key`'s line (the table's line when the key is absent; "" is the table itself).
  void problem(std::string_view key, const std::string& message) const;
  // A problem at `line` for a field that is not a key of this table (an element of an array).
  void problemAt(int line, std::string field, std::string message) const {
    out_.push_back(IndicatorProblem{file_, line, std::move(field), std::move(message), number_});
  }
  // Keys not in `known` are problems (a typo would otherwise be ignored). False when there was one.
  bool checkKeys(std::initializer_list<std::string_view> known) const;

  // An absent key is a problem only when `required`; readers return true when `out` was set.
  bool readInt(std::string_view key, int& out, int lo, int hi, bool required = true) const;
  // A finite number (integers accepted); a string, NaN or infinity is a malformed number.
  bool readNumber(std::string_view key, double& out, bool required = true) const;
  // The tables of the array `key` ([[key]] or [{...}, ...]) with their key paths "key[i]"; an element that is not a
  // table, or a value that is not an array, is a problem. Empty when absent (a problem when `required`).
  std::vector<std::pair<const toml::table*, std::string>> tables(std::string_view key, bool required = true) const;
  // A non-empty string.
  bool readString(std::string_view key, std::string& out, bool required = true) const;
  // An array of non-empty strings; a value that is not an array or an element that is not such a string is a
  // problem (the elements before it are kept).
  bool readStrings(std::string_view key, std::vector<std::string>& out, bool required = true) const;

 private:
  bool absent(std::string_view key, bool required) const;

  const std::string& file_;
  const toml::table& table_;
  std::string path_;
  int number_;
  std::vector<IndicatorProblem>& out_;
};

}  // namespace gt::runtime::indicator_toml
