// The attribute filter language's tokenizer and recursive-descent parser (docs/workbench.md "Attribute filters"):
//   filter    := [or]
//   or        := and (OR and)*
//   and       := not (AND not)*
//   not       := NOT not | condition
//   condition := '(' or ')' | value tail
//   tail      := op value | [NOT] IN '(' literal (',' literal)* ')' | [NOT] BETWEEN value AND value
//              | [NOT] LIKE 'pattern' | IS [NOT] NULL
//   value     := name | "quoted name" | number | -number | 'text' | TRUE | FALSE
// Every error stops at the first mistake and points at it.

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "attribute_filter_text.hpp"
#include "greentwin/core/attribute_filter.hpp"

namespace gt {
namespace {

using Operand = AttributeFilter::Operand;
using Node = AttributeFilter::Node;
using CompareOp = AttributeFilter::CompareOp;
using LikeItem = AttributeFilter::LikeItem;

constexpr int kMaxDepth = 64;
constexpr std::size_t kMaxNodes = 2000;  // conditions and joins: AND/OR chains evaluate recursively
constexpr std::uint32_t kFailed = UINT32_MAX;

enum class Tok { End, Name, QuotedName, Number, String, Op, LParen, RParen, Comma, Minus,
                 And, Or, Not, In, Between, Like, Is, Null, True, False };

struct Token {
  Tok kind = Tok::End;
  std::size_t offset = 0, length = 0;
  std::string text;  // Name/QuotedName/String: the decoded text; Number: as written
  CompareOp op = CompareOp::Equal;
};

// One decoded UTF-8 code point (a malformed byte reads as itself, one byte long).
struct CodePoint {
  char32_t value = 0;
  std::size_t length = 1;
};

CodePoint decode(std::string_view s, std::size_t i) {
  const auto b = static_cast<unsigned char>(s[i]);
  const std::size_t length = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 1;
  if (length == 1 || i + length > s.size()) return {b, 1};
  char32_t v = b & (0xFF >> (length + 1));
  for (std::size_t k = 1; k < length; ++k) v = (v << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
  return {v, length};
}

bool wide(char32_t c) {  // East Asian wide/full-width: two cells in a fixed-width display
  return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0xA4CF) || (c >= 0xAC00 && c <= 0xD7A3) ||
         (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F) || (c >= 0xFF00 && c <= 0xFF60) ||
         (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x20000 && c <= 0x3FFFD);
}

// Full-width and curly punctuation an input method types in place of the ASCII the language needs.
const char* asciiFor(char32_t c) {
  switch (c) {
    case U'（': return "(";
    case U'）': return ")";
    case U'，': return ",";
    case U'＝': return "=";
    case U'＜': return "<";
    case U'＞': return ">";
    case U'！': return "!";
    case U'％': return "%";
    case U'‘': case U'’': return "'";
    case U'“': case U'”': return "\"";
    default: return nullptr;
  }
}

bool nameStart(unsigned char c) { return std::isalpha(c) || c == '_' || c >= 0x80; }
bool nameChar(unsigned char c) { return std::isalnum(c) || c == '_' || c >= 0x80; }

bool equalsIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

Tok keyword(std::string_view word) {
  static constexpr std::pair<std::string_view, Tok> kWords[]{
      {"AND", Tok::And},   {"OR", Tok::Or}, {"NOT", Tok::Not},   {"IN", Tok::In},     {"BETWEEN", Tok::Between},
      {"LIKE", Tok::Like}, {"IS", Tok::Is}, {"NULL", Tok::Null}, {"TRUE", Tok::True}, {"FALSE", Tok::False}};
  for (const auto& [text, kind] : kWords) {
    if (equalsIgnoringCase(word, text)) return kind;
  }
  return Tok::Name;
}

class Parser {
 public:
  Parser(std::string_view text, const AttributeSchema& schema) : text_(text), schema_(schema) {}

  FilterResult run() {
    if (!tokenize()) return *error_;
    if (tokens_.front().kind == Tok::End) return AttributeFilter(std::string(text_), {});
    const std::uint32_t root = parseOr(0);
    if (root == kFailed) return *error_;
    if (peek().kind != Tok::End) {
      const bool op = peek().kind == Tok::Op;
      fail(peek().offset, "unexpected " + describe(peek()) + " after a complete condition",
           op ? "a comparison takes one value on each side" : "join conditions with AND or OR");
      return *error_;
    }
    return AttributeFilter(std::string(text_), std::move(parts_));
  }

 private:
  // ---- errors ----------------------------------------------------------------------------------------------
  void fail(std::size_t offset, const std::string& what, const std::string& hint = {},
            ErrorCode code = ErrorCode::ParseError) {
    if (error_) return;
    FilterError e;
    e.offset = offset;
    e.code = code;
    std::size_t lineStart = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
    lineStart = (lineStart == std::string_view::npos || offset == 0) ? 0 : lineStart + 1;
    const std::size_t lineEnd = std::min(text_.find('\n', lineStart), text_.size());
    e.excerpt = std::string(text_.substr(lineStart, lineEnd - lineStart));
    for (std::size_t i = 0; i < offset && i < text_.size();) {
      const CodePoint cp = decode(text_, i);
      ++e.column;
      if (i >= lineStart) e.caret += cp.value == '\t' ? "\t" : (wide(cp.value) ? "  " : " ");
      i += cp.length;
    }
    e.caret += '^';
    // "expected a value after '>' at column 12, found 'AND'": the place goes with what was expected.
    const std::size_t found = what.find(", found ");
    const std::string place = " at column " + std::to_string(e.column);
    e.message = (found == std::string::npos ? what + place : what.substr(0, found) + place + what.substr(found)) +
                (hint.empty() ? "" : "; " + hint);
    error_ = std::move(e);
  }

  std::string describe(const Token& t) const {
    switch (t.kind) {
      case Tok::End: return "the end of the filter";
      case Tok::String: return "the text " + std::string(text_.substr(t.offset, t.length));
      case Tok::Number: return "the number " + t.text;
      default: return "'" + std::string(text_.substr(t.offset, t.length)) + "'";
    }
  }

  // ---- tokens ----------------------------------------------------------------------------------------------
  bool tokenize() {
    std::size_t i = 0;
    while (!error_) {
      while (i < text_.size() && (text_[i] == ' ' || text_[i] == '\t' || text_[i] == '\n' || text_[i] == '\r')) ++i;
      if (i < text_.size() && decode(text_, i).value == U'\u3000') {  // an ideographic space is a space
        i += 3;
        continue;
      }
      Token t;
      t.offset = i;
      if (i >= text_.size()) {
        tokens_.push_back(t);
        return true;
      }
      const char c = text_[i];
      const auto u = static_cast<unsigned char>(c);
      if (const char* ascii = u >= 0x80 ? asciiFor(decode(text_, i).value) : nullptr) {
        fail(i, "full-width '" + std::string(text_.substr(i, decode(text_, i).length)) + "'",
             std::string("type the ASCII '") + ascii + "' (half-width input)");
        return false;
      }
      if (c == '\'' || c == '"') {
        if (!quotedToken(i, t)) return false;
      } else if (std::isdigit(u) || (c == '.' && i + 1 < text_.size() && std::isdigit(static_cast<unsigned char>(text_[i + 1])))) {
        if (!numberToken(i, t)) return false;
      } else if (nameStart(u)) {
        std::size_t j = i;
        while (j < text_.size() && nameChar(static_cast<unsigned char>(text_[j])) &&
               !(static_cast<unsigned char>(text_[j]) >= 0x80 &&
                 (asciiFor(decode(text_, j).value) || decode(text_, j).value == U'\u3000'))) {
          j += decode(text_, j).length;
        }
        t.text = std::string(text_.substr(i, j - i));
        t.kind = keyword(t.text);
        i = j;
      } else if (!operatorToken(i, t)) {
        return false;
      }
      t.length = i - t.offset;
      tokens_.push_back(std::move(t));
    }
    return false;
  }

  bool quotedToken(std::size_t& i, Token& t) {
    const char quote = text_[i];
    std::size_t j = i + 1;
    for (;;) {
      if (j >= text_.size()) {
        fail(i, quote == '\'' ? "unterminated text: the ' here has no closing '"
                              : "unterminated name: the \" here has no closing \"");
        return false;
      }
      if (text_[j] == quote) {
        if (j + 1 < text_.size() && text_[j + 1] == quote) {  // '' or "" inside: the quote itself
          t.text += quote;
          j += 2;
          continue;
        }
        break;
      }
      t.text += text_[j++];
    }
    t.kind = quote == '\'' ? Tok::String : Tok::QuotedName;
    if (t.kind == Tok::QuotedName && t.text.empty()) {
      fail(i, "an empty attribute name \"\"");
      return false;
    }
    i = j + 1;
    return true;
  }

  bool numberToken(std::size_t& i, Token& t) {
    std::size_t j = i;
    const auto digit = [&](std::size_t k) { return k < text_.size() && std::isdigit(static_cast<unsigned char>(text_[k])); };
    while (digit(j)) ++j;
    if (j < text_.size() && text_[j] == '.') {
      ++j;
      while (digit(j)) ++j;
    }
    if (j < text_.size() && (text_[j] == 'e' || text_[j] == 'E')) {
      std::size_t k = j + 1;
      if (k < text_.size() && (text_[k] == '+' || text_[k] == '-')) ++k;
      if (digit(k)) {
        j = k;
        while (digit(j)) ++j;
      }
    }
    if (j < text_.size() && (nameChar(static_cast<unsigned char>(text_[j])) || text_[j] == '.')) {
      fail(j, "unexpected '" + std::string(text_.substr(j, decode(text_, j).length)) + "' right after the number " +
                  std::string(text_.substr(i, j - i)),
           "a number has no unit; quote text as 'text'");
      return false;
    }
    t.kind = Tok::Number;
    t.text = std::string(text_.substr(i, j - i));
    i = j;
    return true;
  }

  bool operatorToken(std::size_t& i, Token& t) {
    const std::string_view rest = text_.substr(i);
    const auto starts = [&](std::string_view s) { return rest.substr(0, s.size()) == s; };
    static constexpr std::pair<std::string_view, CompareOp> kOps[]{
        {"==", CompareOp::Equal},      {"!=", CompareOp::NotEqual}, {"<>", CompareOp::NotEqual},
        {"<=", CompareOp::LessEqual},  {">=", CompareOp::GreaterEqual}, {"=", CompareOp::Equal},
        {"<", CompareOp::Less},        {">", CompareOp::Greater}};
    for (const auto& [text, op] : kOps) {
      if (starts(text)) {
        t.kind = Tok::Op;
        t.op = op;
        i += text.size();
        return true;
      }
    }
    const char c = text_[i];
    if (c == '(' || c == ')' || c == ',' || c == '-') {
      t.kind = c == '(' ? Tok::LParen : c == ')' ? Tok::RParen : c == ',' ? Tok::Comma : Tok::Minus;
      ++i;
      return true;
    }
    const std::string hint = starts("&&") ? "write AND" : starts("||") ? "write OR" : c == '!' ? "did you mean '!='?" : "";
    fail(i, "unexpected character '" + std::string(rest.substr(0, decode(text_, i).length)) + "'", hint);
    return false;
  }

  // ---- grammar ---------------------------------------------------------------------------------------------
  const Token& peek() const { return tokens_[pos_]; }
  const Token& previous() const { return tokens_[pos_ == 0 ? 0 : pos_ - 1]; }
  const Token& advance() { return tokens_[pos_ < tokens_.size() - 1 ? pos_++ : pos_]; }
  std::string after() const { return pos_ == 0 ? "" : " after " + describe(previous()); }

  std::uint32_t addNode(Node node) {
    if (parts_.nodes.size() >= kMaxNodes) {
      fail(previous().offset, "the filter has more than " + std::to_string(kMaxNodes) + " conditions and joins");
      return kFailed;
    }
    parts_.nodes.push_back(node);
    return static_cast<std::uint32_t>(parts_.nodes.size() - 1);
  }
  std::uint32_t addOperand(Operand operand) {
    parts_.operands.push_back(std::move(operand));
    return static_cast<std::uint32_t>(parts_.operands.size() - 1);
  }

  std::uint32_t parseOr(int depth) {
    std::uint32_t left = parseAnd(depth);
    while (left != kFailed && peek().kind == Tok::Or) {
      advance();
      const std::uint32_t right = parseAnd(depth);
      if (right == kFailed) return kFailed;
      left = addNode({Node::Kind::Or, CompareOp::Equal, false, left, right, 0});
    }
    return left;
  }

  std::uint32_t parseAnd(int depth) {
    std::uint32_t left = parseNot(depth);
    while (left != kFailed && peek().kind == Tok::And) {
      advance();
      const std::uint32_t right = parseNot(depth);
      if (right == kFailed) return kFailed;
      left = addNode({Node::Kind::And, CompareOp::Equal, false, left, right, 0});
    }
    return left;
  }

  std::uint32_t parseNot(int depth) {
    if (depth > kMaxDepth) {
      fail(peek().offset, "the filter nests too deeply (more than " + std::to_string(kMaxDepth) + " levels)");
      return kFailed;
    }
    if (peek().kind != Tok::Not) return parseCondition(depth);
    advance();
    const std::uint32_t child = parseNot(depth + 1);
    return child == kFailed ? kFailed : addNode({Node::Kind::Not, CompareOp::Equal, false, child, 0, 0});
  }

  std::uint32_t parseCondition(int depth) {
    if (peek().kind == Tok::LParen) {
      const Token open = advance();
      const std::uint32_t inner = parseOr(depth + 1);
      if (inner == kFailed) return kFailed;
      if (peek().kind != Tok::RParen) {
        fail(peek().offset,
             "expected ')' for the '(' of column " + std::to_string(columnOf(open.offset)) + ", found " +
                 describe(peek()));
        return kFailed;
      }
      advance();
      return inner;
    }
    const std::size_t valueAt = peek().offset;
    const std::optional<std::uint32_t> left = parseValue("a condition (an attribute name)");
    if (!left) return kFailed;
    Node node;
    node.a = *left;
    const Token& t = peek();
    if (t.kind == Tok::Op) {
      const Token op = advance();
      const std::size_t rightAt = peek().offset;
      if (peek().kind == Tok::Null) {
        const bool equal = op.op == CompareOp::Equal;
        fail(rightAt, "'" + std::string(text_.substr(op.offset, op.length)) + " NULL' is never true",
             std::string("write IS ") + (equal ? "" : "NOT ") + "NULL");
        return kFailed;
      }
      const std::optional<std::uint32_t> right = parseValue("a value");
      if (!right || !checkTypes(node.a, *right, rightAt) || !checkTypes(*right, node.a, valueAt)) return kFailed;
      node.kind = Node::Kind::Compare;
      node.op = op.op;
      node.b = *right;
      return addNode(node);
    }
    if (t.kind == Tok::Not) {
      advance();
      node.negated = true;
      if (peek().kind != Tok::In && peek().kind != Tok::Between && peek().kind != Tok::Like) {
        fail(peek().offset, "expected IN, BETWEEN or LIKE after NOT, found " + describe(peek()));
        return kFailed;
      }
    }
    switch (peek().kind) {
      case Tok::In: return parseIn(node);
      case Tok::Between: return parseBetween(node);
      case Tok::Like: return parseLike(node);
      case Tok::Is: {
        advance();
        if (peek().kind == Tok::Not) {
          advance();
          node.negated = true;
        }
        if (peek().kind != Tok::Null) {
          fail(peek().offset, "expected NULL" + after() + ", found " + describe(peek()), "write IS NULL or IS NOT NULL");
          return kFailed;
        }
        advance();
        node.kind = Node::Kind::IsNull;
        return addNode(node);
      }
      default:
        fail(peek().offset, "expected a comparison" + after() + ", found " + describe(peek()),
             "one of = != < <= > >= IN BETWEEN LIKE IS NULL");
        return kFailed;
    }
  }

  std::uint32_t parseIn(Node node) {
    advance();
    if (peek().kind != Tok::LParen) {
      fail(peek().offset, "expected '(' after IN, found " + describe(peek()), "e.g. use IN ('office', 'retail')");
      return kFailed;
    }
    advance();
    std::vector<Operand> list;
    for (;;) {
      const std::size_t at = peek().offset;
      if (peek().kind == Tok::Name || peek().kind == Tok::QuotedName || peek().kind == Tok::Null) {
        fail(at, "an IN list takes values, not " + describe(peek()),
             peek().kind == Tok::Null ? "test for null with IS NULL" : "quote text values: 'text'");
        return kFailed;
      }
      const std::optional<std::uint32_t> item = parseValue("a value");
      if (!item || !checkTypes(node.a, *item, at)) return kFailed;
      list.push_back(parts_.operands[*item]);
      parts_.operands.pop_back();  // the list holds its literals itself
      if (peek().kind == Tok::Comma) {
        advance();
        continue;
      }
      if (peek().kind == Tok::RParen) break;
      fail(peek().offset, "expected ',' or ')' in the IN list, found " + describe(peek()));
      return kFailed;
    }
    advance();
    parts_.lists.push_back(std::move(list));
    node.kind = Node::Kind::In;
    node.b = static_cast<std::uint32_t>(parts_.lists.size() - 1);
    return addNode(node);
  }

  std::uint32_t parseBetween(Node node) {
    advance();
    std::size_t at = peek().offset;
    const std::optional<std::uint32_t> low = parseValue("a lower bound");
    if (!low || !checkTypes(node.a, *low, at)) return kFailed;
    if (peek().kind != Tok::And) {
      fail(peek().offset, "expected AND between the bounds of BETWEEN, found " + describe(peek()),
           "e.g. year_built BETWEEN 1990 AND 2000");
      return kFailed;
    }
    advance();
    at = peek().offset;
    const std::optional<std::uint32_t> high = parseValue("an upper bound");
    if (!high || !checkTypes(node.a, *high, at)) return kFailed;
    node.kind = Node::Kind::Between;
    node.b = *low;
    node.c = *high;
    return addNode(node);
  }

  std::uint32_t parseLike(Node node) {
    advance();
    if (peek().kind != Tok::String) {
      fail(peek().offset, "expected a quoted pattern after LIKE, found " + describe(peek()), "e.g. name_en LIKE '%park%'");
      return kFailed;
    }
    const Token& pattern = advance();
    std::vector<LikeItem> items;
    for (std::size_t i = 0; i < pattern.text.size(); ++i) {
      const char c = pattern.text[i];
      if (c == '\\' && i + 1 < pattern.text.size()) {  // \% \_ \\ match the character itself
        items.push_back({LikeItem::Kind::Byte, pattern.text[++i]});
      } else if (c == '%') {
        items.push_back({LikeItem::Kind::AnyRun, 0});
      } else if (c == '_') {
        items.push_back({LikeItem::Kind::OneChar, 0});
      } else {
        items.push_back({LikeItem::Kind::Byte, c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c});
      }
    }
    for (LikeItem& item : items) {  // escaped letters also match either case
      if (item.kind == LikeItem::Kind::Byte && item.byte >= 'A' && item.byte <= 'Z') item.byte = static_cast<char>(item.byte - 'A' + 'a');
    }
    parts_.patterns.push_back(std::move(items));
    parts_.patternTexts.push_back(pattern.text);
    node.kind = Node::Kind::Like;
    node.b = static_cast<std::uint32_t>(parts_.patterns.size() - 1);
    return addNode(node);
  }

  // A value: an attribute (bound to the schema), a number (with an optional '-'), a quoted text, TRUE or FALSE.
  std::optional<std::uint32_t> parseValue(const std::string& what) {
    const Token& t = peek();
    Operand operand;
    switch (t.kind) {
      case Tok::Name:
      case Tok::QuotedName: {
        const std::optional<std::uint32_t> attribute = bind(t);
        if (!attribute) return std::nullopt;
        operand.kind = Operand::Kind::Attribute;
        operand.attribute = *attribute;
        break;
      }
      case Tok::Minus:
      case Tok::Number: {
        const bool minus = t.kind == Tok::Minus;
        if (minus) {
          advance();
          if (peek().kind != Tok::Number) {
            fail(peek().offset, "expected a number after '-', found " + describe(peek()));
            return std::nullopt;
          }
        }
        operand.kind = Operand::Kind::Number;
        operand.text = (minus ? "-" : "") + peek().text;
        operand.number = std::strtod(operand.text.c_str(), nullptr);
        break;
      }
      case Tok::String: {
        operand.kind = Operand::Kind::Text;
        operand.text = t.text;
        const auto number = propertyNumber(PropertyValue(t.text));
        operand.textIsNumber = number.has_value();
        operand.number = number.value_or(0.0);
        break;
      }
      case Tok::True:
      case Tok::False:
        operand.kind = Operand::Kind::Number;
        operand.number = t.kind == Tok::True ? 1.0 : 0.0;
        operand.text = t.kind == Tok::True ? "TRUE" : "FALSE";
        break;
      case Tok::Null:
        fail(t.offset, "NULL is not a value to compare with", "test for it with IS NULL or IS NOT NULL");
        return std::nullopt;
      default:
        fail(t.offset, "expected " + what + after() + ", found " + describe(t));
        return std::nullopt;
    }
    advance();
    return addOperand(std::move(operand));
  }

  std::optional<std::uint32_t> bind(const Token& t) {
    if (schema_.find(t.text) == nullptr) {
      std::string hint;
      if (const std::string_view close = schema_.closestName(t.text); !close.empty()) {
        hint = "did you mean '" + std::string(close) + "'?";
      } else if (schema_.attributes().empty()) {
        hint = "the layer's features have no attributes";
      } else {
        hint = "the layer has";
        const auto& all = schema_.attributes();
        for (std::size_t i = 0; i < all.size() && i < 12; ++i) hint += (i ? ", " : " ") + all[i].name;
        if (all.size() > 12) hint += ", ...";
      }
      if (t.kind == Tok::QuotedName) hint += " (double quotes name an attribute; quote text with single quotes)";
      fail(t.offset, "unknown attribute '" + t.text + "'", hint, ErrorCode::NotFound);
      return std::nullopt;
    }
    const auto it = std::find(parts_.attributes.begin(), parts_.attributes.end(), t.text);
    if (it != parts_.attributes.end()) return static_cast<std::uint32_t>(it - parts_.attributes.begin());
    parts_.attributes.push_back(t.text);
    return static_cast<std::uint32_t>(parts_.attributes.size() - 1);
  }

  // An attribute that holds only text compared with an unquoted number is never true: say so at the number.
  bool checkTypes(std::uint32_t attributeOperand, std::uint32_t valueOperand, std::size_t valueAt) {
    const Operand& a = parts_.operands[attributeOperand];
    const Operand& v = parts_.operands[valueOperand];
    if (a.kind != Operand::Kind::Attribute || v.kind != Operand::Kind::Number) return true;
    const AttributeStats* stats = schema_.find(parts_.attributes[a.attribute]);
    if (stats == nullptr || stats->numbers > 0 || stats->texts == 0) return true;
    fail(valueAt, "'" + stats->name + "' holds text, not numbers (e.g. '" + stats->exampleText + "'), compared with the number " + v.text,
         "quote the value to compare text: '" + v.text + "'");
    return false;
  }

  std::size_t columnOf(std::size_t offset) const {
    std::size_t column = 1;
    for (std::size_t i = 0; i < offset && i < text_.size(); i += decode(text_, i).length) ++column;
    return column;
  }

  std::string_view text_;
  const AttributeSchema& schema_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  AttributeFilter::Parts parts_;
  std::optional<FilterError> error_;
};

}  // namespace

bool filter_text::isBareName(std::string_view name) {
  if (name.empty() || !nameStart(static_cast<unsigned char>(name[0]))) return false;
  for (std::size_t i = 0; i < name.size(); i += decode(name, i).length) {
    if (!nameChar(static_cast<unsigned char>(name[i]))) return false;
    const char32_t c = decode(name, i).value;
    if (c >= 0x80 && (asciiFor(c) != nullptr || c == U'\u3000')) return false;
  }
  return keyword(name) == Tok::Name;
}

FilterResult AttributeFilter::parse(std::string_view text, const AttributeSchema& schema) {
  return Parser(text, schema).run();
}

}  // namespace gt
