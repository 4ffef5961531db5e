// Evaluating a parsed attribute filter (three-valued logic), its canonical text, and the error's rendering. The
// parser is attribute_filter_parse.cpp.

#include "greentwin/core/attribute_filter.hpp"

#include "attribute_filter_text.hpp"

#include <optional>

namespace gt {
namespace {

using Operand = AttributeFilter::Operand;
using CompareOp = AttributeFilter::CompareOp;
using LikeItem = AttributeFilter::LikeItem;

// One side of a comparison for one feature: an attribute's value (nullptr: the feature lacks it) or a literal.
struct Scalar {
  const PropertyValue* value = nullptr;
  const Operand* literal = nullptr;

  bool isNull() const { return literal == nullptr && (value == nullptr || std::holds_alternative<std::monostate>(*value)); }
  bool isNumberLiteral() const { return literal != nullptr && literal->kind == Operand::Kind::Number; }
  // Whether it can read as a number at all (a text literal that does not is known without looking at the value).
  bool mayBeNumber() const { return literal == nullptr || literal->kind == Operand::Kind::Number || literal->textIsNumber; }
  std::optional<double> number() const {
    if (literal != nullptr) {
      if (literal->kind == Operand::Kind::Number || literal->textIsNumber) return literal->number;
      return std::nullopt;
    }
    return propertyNumber(*value);
  }
  std::string_view text(std::string& buffer) const {
    if (literal != nullptr) return literal->text;
    if (const auto* s = std::get_if<std::string>(value)) return *s;
    buffer = formatPropertyValue(*value);
    return buffer;
  }
};

template <typename T>
Truth ordered(const T& a, const T& b, CompareOp op) {
  bool r = false;
  switch (op) {
    case CompareOp::Equal: r = a == b; break;
    case CompareOp::NotEqual: r = a != b; break;
    case CompareOp::Less: r = a < b; break;
    case CompareOp::LessEqual: r = a <= b; break;
    case CompareOp::Greater: r = a > b; break;
    case CompareOp::GreaterEqual: r = a >= b; break;
  }
  return r ? Truth::True : Truth::False;
}

// Numbers when a side is an unquoted number (then both must read as numbers, or it is unknown) or when both sides
// read as numbers ('35' = 35.0); text otherwise. Null on either side: unknown.
Truth compare(const Scalar& left, const Scalar& right, CompareOp op) {
  if (left.isNull() || right.isNull()) return Truth::Unknown;
  if (left.isNumberLiteral() || right.isNumberLiteral()) {
    const auto a = left.number();
    if (!a) return Truth::Unknown;
    const auto b = right.number();
    if (!b) return Truth::Unknown;
    return ordered(*a, *b, op);
  }
  if (left.mayBeNumber() && right.mayBeNumber()) {
    if (const auto a = left.number()) {
      if (const auto b = right.number()) return ordered(*a, *b, op);
    }
  }
  std::string leftBuffer, rightBuffer;
  return ordered(left.text(leftBuffer), right.text(rightBuffer), op);
}

Truth negate(Truth t) {
  return t == Truth::Unknown ? t : (t == Truth::True ? Truth::False : Truth::True);
}

char lowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::size_t nextCodePoint(std::string_view s, std::size_t i) {
  ++i;
  while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
  return i;
}

// Wildcard matching with backtracking to the last '%': linear for patterns with one '%', and never exponential.
// '_' takes one character (a whole UTF-8 sequence); literal bytes match ASCII letters in either case.
bool likeMatch(std::string_view s, const std::vector<LikeItem>& pattern) {
  std::size_t i = 0, j = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    if (j < pattern.size() && pattern[j].kind == LikeItem::Kind::Byte && lowerAscii(s[i]) == pattern[j].byte) {
      ++i;
      ++j;
    } else if (j < pattern.size() && pattern[j].kind == LikeItem::Kind::OneChar) {
      i = nextCodePoint(s, i);
      ++j;
    } else if (j < pattern.size() && pattern[j].kind == LikeItem::Kind::AnyRun) {
      star = j++;
      mark = i;
    } else if (star != std::string_view::npos) {
      j = star + 1;
      mark = nextCodePoint(s, mark);
      i = mark;
    } else {
      return false;
    }
  }
  while (j < pattern.size() && pattern[j].kind == LikeItem::Kind::AnyRun) ++j;
  return j == pattern.size();
}

const char* opText(CompareOp op) {
  switch (op) {
    case CompareOp::Equal: return "=";
    case CompareOp::NotEqual: return "!=";
    case CompareOp::Less: return "<";
    case CompareOp::LessEqual: return "<=";
    case CompareOp::Greater: return ">";
    case CompareOp::GreaterEqual: return ">=";
  }
  return "?";
}

std::string quoted(std::string_view text, char quote) {
  std::string out(1, quote);
  for (char c : text) {
    out += c;
    if (c == quote) out += quote;
  }
  out += quote;
  return out;
}

}  // namespace

std::string FilterError::describe() const { return message + "\n  " + excerpt + "\n  " + caret; }

FilterResult::FilterResult(AttributeFilter filter) : data_(std::move(filter)) {}
FilterResult::FilterResult(FilterError error) : data_(std::move(error)) {}

AttributeFilter::AttributeFilter(std::string text, Parts parts)
    : text_(std::move(text)),
      nodes_(std::move(parts.nodes)),
      operands_(std::move(parts.operands)),
      lists_(std::move(parts.lists)),
      patterns_(std::move(parts.patterns)),
      patternTexts_(std::move(parts.patternTexts)),
      attributes_(std::move(parts.attributes)) {}

Truth AttributeFilter::evaluate(const PropertyMap& properties) const {
  if (nodes_.empty()) return Truth::True;
  return evaluateNode(static_cast<std::uint32_t>(nodes_.size() - 1), properties);
}

Truth AttributeFilter::evaluateNode(std::uint32_t index, const PropertyMap& properties) const {
  const Node& node = nodes_[index];
  const auto scalar = [&](const Operand& operand) {
    if (operand.kind != Operand::Kind::Attribute) return Scalar{nullptr, &operand};
    const auto it = properties.find(attributes_[operand.attribute]);
    return Scalar{it == properties.end() ? nullptr : &it->second, nullptr};
  };
  switch (node.kind) {
    case Node::Kind::And: {  // Kleene: false wins, then unknown
      const Truth a = evaluateNode(node.a, properties);
      if (a == Truth::False) return a;
      const Truth b = evaluateNode(node.b, properties);
      return b == Truth::False ? b : (a == Truth::True ? b : Truth::Unknown);
    }
    case Node::Kind::Or: {  // Kleene: true wins, then unknown
      const Truth a = evaluateNode(node.a, properties);
      if (a == Truth::True) return a;
      const Truth b = evaluateNode(node.b, properties);
      return b == Truth::True ? b : (a == Truth::False ? b : Truth::Unknown);
    }
    case Node::Kind::Not: return negate(evaluateNode(node.a, properties));
    case Node::Kind::Compare: return compare(scalar(operands_[node.a]), scalar(operands_[node.b]), node.op);
    case Node::Kind::In: {
      const Scalar value = scalar(operands_[node.a]);
      if (value.isNull()) return Truth::Unknown;
      Truth result = Truth::False;
      for (const Operand& item : lists_[node.b]) {
        const Truth t = compare(value, Scalar{nullptr, &item}, CompareOp::Equal);
        if (t == Truth::True) {
          result = t;
          break;
        }
        if (t == Truth::Unknown) result = t;
      }
      return node.negated ? negate(result) : result;
    }
    case Node::Kind::Between: {
      const Scalar value = scalar(operands_[node.a]);
      const Truth low = compare(value, scalar(operands_[node.b]), CompareOp::GreaterEqual);
      Truth result = low;
      if (low != Truth::False) {
        const Truth high = compare(value, scalar(operands_[node.c]), CompareOp::LessEqual);
        result = high == Truth::False ? high : (low == Truth::True ? high : Truth::Unknown);
      }
      return node.negated ? negate(result) : result;
    }
    case Node::Kind::Like: {
      const Scalar value = scalar(operands_[node.a]);
      if (value.isNull()) return Truth::Unknown;
      std::string buffer;
      const bool match = likeMatch(value.text(buffer), patterns_[node.b]);
      return (match != node.negated) ? Truth::True : Truth::False;
    }
    case Node::Kind::IsNull: {
      const bool isNull = scalar(operands_[node.a]).isNull();
      return (isNull != node.negated) ? Truth::True : Truth::False;
    }
  }
  return Truth::Unknown;
}

std::string AttributeFilter::canonical() const {
  return nodes_.empty() ? std::string() : canonicalNode(static_cast<std::uint32_t>(nodes_.size() - 1));
}

std::string AttributeFilter::canonicalOperand(const Operand& operand) const {
  switch (operand.kind) {
    case Operand::Kind::Attribute: {
      const std::string& name = attributes_[operand.attribute];
      return filter_text::isBareName(name) ? name : quoted(name, '"');
    }
    case Operand::Kind::Number: return operand.text;
    case Operand::Kind::Text: return quoted(operand.text, '\'');
  }
  return {};
}

std::string AttributeFilter::canonicalNode(std::uint32_t index) const {
  const Node& node = nodes_[index];
  const std::string notText = node.negated ? "NOT " : "";
  switch (node.kind) {
    case Node::Kind::And:
    case Node::Kind::Or: {
      // A chain of one operator (a AND b AND c parses left-nested) is written flat in one pair of parentheses: the
      // canonical form then nests no deeper than the text it came from, and the parser's depth limit reads it back.
      const Node::Kind kind = node.kind;
      const char* op = kind == Node::Kind::And ? " AND " : " OR ";
      std::string out;
      const auto chain = [&](const auto& self, std::uint32_t i) -> void {
        if (nodes_[i].kind != kind) {
          out += canonicalNode(i);
          return;
        }
        self(self, nodes_[i].a);
        out += op;
        self(self, nodes_[i].b);
      };
      chain(chain, index);
      return "(" + out + ")";
    }
    case Node::Kind::Not: return "(NOT " + canonicalNode(node.a) + ")";
    case Node::Kind::Compare:
      return "(" + canonicalOperand(operands_[node.a]) + " " + opText(node.op) + " " + canonicalOperand(operands_[node.b]) +
             ")";
    case Node::Kind::In: {
      std::string out = "(" + canonicalOperand(operands_[node.a]) + " " + notText + "IN (";
      for (std::size_t i = 0; i < lists_[node.b].size(); ++i) out += (i ? ", " : "") + canonicalOperand(lists_[node.b][i]);
      return out + "))";
    }
    case Node::Kind::Between:
      return "(" + canonicalOperand(operands_[node.a]) + " " + notText + "BETWEEN " + canonicalOperand(operands_[node.b]) +
             " AND " + canonicalOperand(operands_[node.c]) + ")";
    case Node::Kind::Like:
      return "(" + canonicalOperand(operands_[node.a]) + " " + notText + "LIKE " + quoted(patternTexts_[node.b], '\'') + ")";
    case Node::Kind::IsNull: return "(" + canonicalOperand(operands_[node.a]) + " IS " + notText + "NULL)";
  }
  return {};
}

}  // namespace gt
