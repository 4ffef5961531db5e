#include "step_file.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace gt::bim {
namespace {

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool isNameChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

// Skips whitespace and /* comments */ from `pos`; returns the new position.
std::size_t skipBlank(std::string_view s, std::size_t pos) {
  while (pos < s.size()) {
    if (isSpace(s[pos])) {
      ++pos;
    } else if (s[pos] == '/' && pos + 1 < s.size() && s[pos + 1] == '*') {
      const std::size_t end = s.find("*/", pos + 2);
      pos = end == std::string_view::npos ? s.size() : end + 2;
    } else {
      break;
    }
  }
  return pos;
}

// Position just past the closing quote of a string starting at `pos` (s[pos] == '\''), or npos.
std::size_t skipString(std::string_view s, std::size_t pos) {
  ++pos;
  while (pos < s.size()) {
    if (s[pos] == '\'') {
      if (pos + 1 < s.size() && s[pos + 1] == '\'') {
        pos += 2;
        continue;
      }
      return pos + 1;
    }
    ++pos;
  }
  return std::string_view::npos;
}

void appendUtf8(std::string& out, std::uint32_t cp) {
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::optional<std::uint32_t> parseHex(std::string_view s) {
  std::uint32_t v = 0;
  for (char c : s) {
    const int h = hexValue(c);
    if (h < 0) return std::nullopt;
    v = (v << 4) | static_cast<std::uint32_t>(h);
  }
  return v;
}

// Recursive-descent parser of one argument list. `depth` bounds nesting so a hostile file cannot overflow the stack.
class ArgParser {
 public:
  explicit ArgParser(std::string_view s) : s_(s) {}

  bool parseList(std::vector<StepValue>& out, int depth) {
    if (depth > 64) return false;
    while (true) {
      pos_ = skipBlank(s_, pos_);
      if (pos_ >= s_.size()) return true;
      if (s_[pos_] == ')') return true;
      StepValue v;
      if (!parseValue(v, depth)) return false;
      out.push_back(std::move(v));
      pos_ = skipBlank(s_, pos_);
      if (pos_ < s_.size() && s_[pos_] == ',') {
        ++pos_;
        continue;
      }
      return pos_ >= s_.size() || s_[pos_] == ')';
    }
  }

  std::size_t pos() const { return pos_; }

 private:
  bool parseValue(StepValue& v, int depth) {
    pos_ = skipBlank(s_, pos_);
    if (pos_ >= s_.size()) return false;
    const char c = s_[pos_];
    if (c == '$') {
      v.kind = StepValue::Kind::Null;
      ++pos_;
      return true;
    }
    if (c == '*') {
      v.kind = StepValue::Kind::Derived;
      ++pos_;
      return true;
    }
    if (c == '\'') {
      const std::size_t end = skipString(s_, pos_);
      if (end == std::string_view::npos) return false;
      v.kind = StepValue::Kind::String;
      v.text = decodeStepString(s_.substr(pos_ + 1, end - pos_ - 2));
      pos_ = end;
      return true;
    }
    if (c == '.') {
      const std::size_t end = s_.find('.', pos_ + 1);
      if (end == std::string_view::npos) return false;
      v.kind = StepValue::Kind::Enum;
      v.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return true;
    }
    if (c == '#') {
      std::size_t p = pos_ + 1;
      std::uint64_t id = 0;
      const auto [ptr, ec] = std::from_chars(s_.data() + p, s_.data() + s_.size(), id);
      if (ec != std::errc()) return false;
      v.kind = StepValue::Kind::Ref;
      v.ref = id;
      pos_ = static_cast<std::size_t>(ptr - s_.data());
      return true;
    }
    if (c == '(') {
      ++pos_;
      v.kind = StepValue::Kind::List;
      if (!parseList(v.items, depth + 1)) return false;
      if (pos_ >= s_.size() || s_[pos_] != ')') return false;
      ++pos_;
      return true;
    }
    if (c == '"') {  // binary: kept as text
      const std::size_t end = s_.find('"', pos_ + 1);
      if (end == std::string_view::npos) return false;
      v.kind = StepValue::Kind::String;
      v.text = std::string(s_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return true;
    }
    if (c == '-' || c == '+' || c == '.' || std::isdigit(static_cast<unsigned char>(c)) != 0) {
      std::size_t end = pos_;
      bool real = false;
      while (end < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[end])) != 0 || s_[end] == '-' ||
                                 s_[end] == '+' || s_[end] == '.' || s_[end] == 'E' || s_[end] == 'e')) {
        if (s_[end] == '.' || s_[end] == 'E' || s_[end] == 'e') real = true;
        ++end;
      }
      // STEP reals may end in a bare '.' ("2." ); from_chars handles that for doubles.
      double value = 0.0;
      const auto [ptr, ec] = std::from_chars(s_.data() + pos_, s_.data() + end, value);
      if (ec != std::errc() || ptr == s_.data() + pos_) return false;
      v.kind = real ? StepValue::Kind::Real : StepValue::Kind::Integer;
      v.number = value;
      pos_ = end;
      return true;
    }
    if (isNameChar(c)) {  // typed value: IFCLABEL('x')
      std::size_t end = pos_;
      while (end < s_.size() && isNameChar(s_[end])) ++end;
      std::string name(s_.substr(pos_, end - pos_));
      pos_ = skipBlank(s_, end);
      if (pos_ >= s_.size() || s_[pos_] != '(') return false;
      ++pos_;
      std::vector<StepValue> inner;
      if (!parseList(inner, depth + 1)) return false;
      if (pos_ >= s_.size() || s_[pos_] != ')') return false;
      ++pos_;
      v.kind = StepValue::Kind::Typed;
      std::transform(name.begin(), name.end(), name.begin(), [](unsigned char ch) { return std::toupper(ch); });
      v.text = std::move(name);
      if (!inner.empty()) v.items.push_back(std::move(inner.front()));
      return true;
    }
    return false;
  }

  std::string_view s_;
  std::size_t pos_ = 0;
};

}  // namespace

std::string decodeStepString(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const char c = raw[i];
    if (c == '\'' && i + 1 < raw.size() && raw[i + 1] == '\'') {
      out += '\'';
      i += 2;
    } else if (c == '\\' && i + 1 < raw.size() && raw[i + 1] == '\\') {
      out += '\\';
      i += 2;
    } else if (c == '\\' && raw.substr(i, 3) == "\\S\\" && i + 3 < raw.size()) {
      appendUtf8(out, static_cast<std::uint32_t>(static_cast<unsigned char>(raw[i + 3])) + 128u);
      i += 4;
    } else if (c == '\\' && raw.substr(i, 3) == "\\X\\" && i + 5 <= raw.size()) {
      const auto v = parseHex(raw.substr(i + 3, 2));
      appendUtf8(out, v.value_or(0xFFFD));
      i += 5;
    } else if (c == '\\' && (raw.substr(i, 4) == "\\X2\\" || raw.substr(i, 4) == "\\X4\\")) {
      const std::size_t width = raw[i + 2] == '2' ? 4 : 8;
      const std::size_t end = raw.find("\\X0\\", i + 4);
      const std::string_view hex = raw.substr(i + 4, end == std::string_view::npos ? raw.size() : end - i - 4);
      std::uint32_t pendingHigh = 0;
      for (std::size_t k = 0; k + width <= hex.size(); k += width) {
        std::uint32_t cp = parseHex(hex.substr(k, width)).value_or(0xFFFD);
        if (width == 4 && cp >= 0xD800 && cp <= 0xDBFF) {
          pendingHigh = cp;
          continue;
        }
        if (width == 4 && cp >= 0xDC00 && cp <= 0xDFFF && pendingHigh != 0) {
          cp = 0x10000 + ((pendingHigh - 0xD800) << 10) + (cp - 0xDC00);
        }
        pendingHigh = 0;
        appendUtf8(out, cp);
      }
      i = end == std::string_view::npos ? raw.size() : end + 4;
    } else if (c == '\\' && raw.substr(i, 2) == "\\P" && i + 3 < raw.size() && raw[i + 3] == '\\') {
      i += 4;  // code page switch: ISO 8859-1 assumed
    } else {
      const auto uc = static_cast<unsigned char>(c);
      if (uc < 0x80) {
        out += c;
      } else {
        appendUtf8(out, uc);  // raw 8-bit: read as ISO 8859-1
      }
      ++i;
    }
  }
  return out;
}

std::string valueText(const StepValue& value) {
  const StepValue& v = value.unwrapped();
  switch (v.kind) {
    case StepValue::Kind::String:
      return v.text;
    case StepValue::Kind::Enum: {
      if (v.text == "T") return "true";
      if (v.text == "F") return "false";
      if (v.text == "U") return "unknown";
      return v.text;
    }
    case StepValue::Kind::Integer:
    case StepValue::Kind::Real: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.10g", v.number);
      return buf;
    }
    case StepValue::Kind::Ref:
      return "#" + std::to_string(v.ref);
    case StepValue::Kind::List: {
      std::string out;
      for (const StepValue& item : v.items) {
        if (!out.empty()) out += ", ";
        out += valueText(item);
      }
      return out;
    }
    default:
      return {};
  }
}

Result<StepFile> StepFile::parse(std::string text, const std::string& displayName) {
  StepFile file;
  file.text_ = std::move(text);
  const std::string_view s(file.text_);

  std::size_t pos = skipBlank(s, 0);
  if (s.substr(pos, 13) != "ISO-10303-21;") {
    return Status(ErrorCode::ParseError,
                  "not an IFC file: " + displayName + ": it does not start with the STEP header 'ISO-10303-21;'");
  }
  // FILE_SCHEMA(('IFC2X3')); in the HEADER section.
  const std::size_t dataPos = s.find("DATA;");
  const std::string_view header = s.substr(0, dataPos == std::string_view::npos ? s.size() : dataPos);
  const std::size_t schemaPos = header.find("FILE_SCHEMA");
  if (schemaPos != std::string_view::npos) {
    const std::size_t q1 = header.find('\'', schemaPos);
    const std::size_t q2 = q1 == std::string_view::npos ? q1 : header.find('\'', q1 + 1);
    if (q2 != std::string_view::npos) {
      file.schema_ = std::string(header.substr(q1 + 1, q2 - q1 - 1));
      std::transform(file.schema_.begin(), file.schema_.end(), file.schema_.begin(),
                     [](unsigned char ch) { return std::toupper(ch); });
    }
  }
  if (file.schema_.empty()) {
    return Status(ErrorCode::ParseError, "not an IFC file: " + displayName + ": no FILE_SCHEMA in the header");
  }
  if (file.schema_.rfind("IFC2X3", 0) != 0 && file.schema_.rfind("IFC4", 0) != 0) {
    return Status(ErrorCode::Unsupported,
                  displayName + ": IFC schema '" + file.schema_ + "' is not supported (IFC2X3 and IFC4 are)");
  }
  if (dataPos == std::string_view::npos) {
    return Status(ErrorCode::ParseError, "not an IFC file: " + displayName + ": no DATA section");
  }

  pos = dataPos + 5;
  file.instances_.reserve(s.size() / 60);
  file.truncated_ = true;
  while (pos < s.size()) {
    pos = skipBlank(s, pos);
    if (pos >= s.size()) break;
    if (s.substr(pos, 7) == "ENDSEC;") {
      file.truncated_ = s.find("END-ISO-10303-21", pos) == std::string_view::npos;
      break;
    }
    // Find the end of this instance: the first ';' outside strings.
    std::size_t end = pos;
    while (end < s.size() && s[end] != ';') {
      if (s[end] == '\'') {
        end = skipString(s, end);
        if (end == std::string_view::npos) end = s.size();
      } else {
        ++end;
      }
    }
    const std::string_view stmt = s.substr(pos, end - pos);
    pos = end + 1;

    // #id = TYPE ( args )
    bool ok = false;
    StepInstance inst;
    if (!stmt.empty() && stmt[0] == '#') {
      std::uint64_t id = 0;
      const auto [ptr, ec] = std::from_chars(stmt.data() + 1, stmt.data() + stmt.size(), id);
      std::size_t p = static_cast<std::size_t>(ptr - stmt.data());
      if (ec == std::errc()) {
        p = skipBlank(stmt, p);
        if (p < stmt.size() && stmt[p] == '=') {
          p = skipBlank(stmt, p + 1);
          const std::size_t nameStart = p;
          while (p < stmt.size() && isNameChar(stmt[p])) ++p;
          const std::size_t nameEnd = p;
          p = skipBlank(stmt, p);
          std::size_t close = stmt.size();
          while (close > p && isSpace(stmt[close - 1])) --close;
          if (nameEnd > nameStart && p < stmt.size() && stmt[p] == '(' && close > p + 1 && stmt[close - 1] == ')') {
            inst.id = id;
            inst.type = stmt.substr(nameStart, nameEnd - nameStart);
            inst.args = stmt.substr(p + 1, close - p - 2);
            ok = true;
          }
        }
      }
    }
    if (!ok || file.byId_.count(inst.id) != 0) {
      ++file.malformed_;
      continue;
    }
    file.byId_.emplace(inst.id, file.instances_.size());
    file.instances_.push_back(inst);
  }
  if (file.instances_.empty()) {
    return Status(ErrorCode::ParseError, "not an IFC file: " + displayName + ": the DATA section holds no instances");
  }
  // Type names are upper case in every exporter seen; upper-case defensively by indexing a normalised copy only
  // when needed would cost a copy per instance, so mixed-case names are simply indexed as written.
  for (const StepInstance& inst : file.instances_) file.byType_[inst.type].push_back(inst.id);
  return file;
}

const StepInstance* StepFile::find(std::uint64_t id) const {
  const auto it = byId_.find(id);
  return it == byId_.end() ? nullptr : &instances_[it->second];
}

const std::vector<std::uint64_t>& StepFile::ofType(std::string_view type) const {
  static const std::vector<std::uint64_t> kEmpty;
  const auto it = byType_.find(type);
  return it == byType_.end() ? kEmpty : it->second;
}

std::vector<std::string_view> StepFile::types() const {
  std::vector<std::string_view> out;
  out.reserve(byType_.size());
  for (const auto& [type, ids] : byType_) out.push_back(type);
  return out;
}

std::vector<StepValue> StepFile::args(const StepInstance& instance) const {
  std::vector<StepValue> out;
  ArgParser parser(instance.args);
  if (!parser.parseList(out, 0)) out.clear();
  return out;
}

std::vector<StepValue> StepFile::args(std::uint64_t id) const {
  const StepInstance* inst = find(id);
  return inst ? args(*inst) : std::vector<StepValue>{};
}

std::optional<std::string> argString(const std::vector<StepValue>& args, std::size_t index) {
  if (index >= args.size()) return std::nullopt;
  const StepValue& v = args[index].unwrapped();
  if (v.kind != StepValue::Kind::String) return std::nullopt;
  return v.text;
}

std::optional<double> argNumber(const std::vector<StepValue>& args, std::size_t index) {
  if (index >= args.size()) return std::nullopt;
  const StepValue& v = args[index].unwrapped();
  if (!v.isNumber()) return std::nullopt;
  return v.number;
}

std::optional<std::uint64_t> argRef(const std::vector<StepValue>& args, std::size_t index) {
  if (index >= args.size() || args[index].kind != StepValue::Kind::Ref) return std::nullopt;
  return args[index].ref;
}

std::vector<std::uint64_t> argRefList(const std::vector<StepValue>& args, std::size_t index) {
  std::vector<std::uint64_t> out;
  if (index >= args.size()) return out;
  if (args[index].kind == StepValue::Kind::Ref) {
    out.push_back(args[index].ref);
  } else if (args[index].kind == StepValue::Kind::List) {
    for (const StepValue& item : args[index].items) {
      if (item.kind == StepValue::Kind::Ref) out.push_back(item.ref);
    }
  }
  return out;
}

std::optional<std::string> argEnum(const std::vector<StepValue>& args, std::size_t index) {
  if (index >= args.size() || args[index].kind != StepValue::Kind::Enum) return std::nullopt;
  return args[index].text;
}

}  // namespace gt::bim
