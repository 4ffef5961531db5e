#pragma once
// An attribute filter over a layer's features (docs/workbench.md "Attribute filters"), e.g.
//   use = 'office' AND height_m > 60
//   name_zh LIKE '%公园%' OR kind IN ('park', 'forest')
//   NOT (year_built BETWEEN 1990 AND 2000) AND green_star IS NOT NULL
// parsed once against the layer's AttributeSchema into a small tree of nodes, then evaluated per feature against
// its PropertyMap with SQL's three-valued logic: a comparison with a null or missing value is unknown, and only
// features for which the whole filter is true pass.
//
// A mistake in the text is a FilterError value that points at it (the byte offset, the column in characters and a
// caret line); an attribute the layer does not have is an error naming it, with the closest existing name.
//
// A parsed filter is immutable: evaluate it from any number of threads at once.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "greentwin/core/attribute_schema.hpp"
#include "greentwin/core/entity.hpp"
#include "greentwin/core/status.hpp"

namespace gt {

enum class Truth : std::uint8_t { False, True, Unknown };

struct FilterError {
  std::size_t offset = 0;  // bytes into the filter text where the mistake is (its length: at the end)
  std::size_t column = 1;  // the same place as a 1-based column in characters (a Chinese character is one)
  ErrorCode code = ErrorCode::ParseError;  // ParseError; NotFound for an attribute the layer does not have
  std::string message;     // what is wrong, with "at column N" and a hint where there is one
  // The line of the text with the mistake and, under it, spaces and a '^' at the mistake, aligned for a
  // fixed-width display (a wide CJK character takes two cells).
  std::string excerpt;
  std::string caret;
  // message, excerpt and caret on three lines: for logs and the command line.
  std::string describe() const;
  Status status() const { return Status(code, describe()); }
};

class FilterResult;

class AttributeFilter {
 public:
  // The filter that passes every feature (what empty text parses to).
  AttributeFilter() = default;

  // Parses `text` and binds its attribute names to `schema`. Text of only spaces is the filter that passes all.
  static FilterResult parse(std::string_view text, const AttributeSchema& schema);

  Truth evaluate(const PropertyMap& properties) const;
  // Whether the feature passes: the filter is true for it (false and unknown both hide it).
  bool matches(const PropertyMap& properties) const { return nodes_.empty() || evaluate(properties) == Truth::True; }

  bool passesAll() const { return nodes_.empty(); }
  const std::string& text() const { return text_; }
  // The attribute names the filter reads, each once, in order of first use.
  const std::vector<std::string>& attributes() const { return attributes_; }
  // The parsed tree with every condition in parentheses and keywords in capitals, e.g.
  // "((use = 'office') AND (height_m > 60))": how the text was understood (tests, logs).
  std::string canonical() const;

  enum class CompareOp : std::uint8_t { Equal, NotEqual, Less, LessEqual, Greater, GreaterEqual };

  // The parsed form; public so the parser (attribute_filter_parse.cpp) builds it, not for callers.
  struct Operand {
    enum class Kind : std::uint8_t { Attribute, Number, Text };
    Kind kind = Kind::Number;
    std::uint32_t attribute = 0;  // Attribute: index into attributes()
    double number = 0;            // Number; Text that reads as a number (textIsNumber)
    bool textIsNumber = false;
    std::string text;             // Text; a Number's text as written
  };
  struct LikeItem {
    enum class Kind : std::uint8_t { AnyRun, OneChar, Byte };  // %, _, a literal byte
    Kind kind = Kind::Byte;
    char byte = 0;  // ASCII letters lower-cased: LIKE ignores ASCII letter case
  };
  struct Node {
    enum class Kind : std::uint8_t { And, Or, Not, Compare, In, Between, Like, IsNull };
    Kind kind = Kind::Compare;
    CompareOp op = CompareOp::Equal;
    bool negated = false;  // NOT IN, NOT BETWEEN, NOT LIKE, IS NOT NULL
    // And/Or: child nodes a, b; Not: child a; Compare: operands a op b; In: operand a, list b; Between: operand
    // a between operands b and c; Like: operand a, pattern b; IsNull: operand a.
    std::uint32_t a = 0, b = 0, c = 0;
  };
  struct Parts {
    std::vector<Node> nodes;  // the root is nodes.back()
    std::vector<Operand> operands;
    std::vector<std::vector<Operand>> lists;  // IN lists, literals only
    std::vector<std::vector<LikeItem>> patterns;
    std::vector<std::string> patternTexts;    // as written, for canonical()
    std::vector<std::string> attributes;
  };
  AttributeFilter(std::string text, Parts parts);

 private:
  Truth evaluateNode(std::uint32_t node, const PropertyMap& properties) const;
  std::string canonicalNode(std::uint32_t node) const;
  std::string canonicalOperand(const Operand& operand) const;

  std::string text_;
  std::vector<Node> nodes_;
  std::vector<Operand> operands_;
  std::vector<std::vector<Operand>> lists_;
  std::vector<std::vector<LikeItem>> patterns_;
  std::vector<std::string> patternTexts_;
  std::vector<std::string> attributes_;
};

// A parsed filter, or the error that points at the mistake.
class [[nodiscard]] FilterResult {
 public:
  FilterResult(AttributeFilter filter);  // NOLINT(google-explicit-constructor)
  FilterResult(FilterError error);       // NOLINT(google-explicit-constructor)
  bool isOk() const { return std::holds_alternative<AttributeFilter>(data_); }
  explicit operator bool() const { return isOk(); }
  const AttributeFilter& value() const& { return std::get<AttributeFilter>(data_); }
  AttributeFilter&& value() && { return std::get<AttributeFilter>(std::move(data_)); }
  const AttributeFilter& operator*() const& { return value(); }
  const AttributeFilter* operator->() const { return &value(); }
  const FilterError& error() const { return std::get<FilterError>(data_); }
  Status status() const { return isOk() ? Status::ok() : error().status(); }

 private:
  std::variant<AttributeFilter, FilterError> data_;
};

}  // namespace gt
