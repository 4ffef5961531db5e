#include "json_array_count.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace gt::connectors::detail {
namespace {

using json = nlohmann::json;

// Counts the values at depth 1 of a top-level array; returning false from a callback stops the parse.
class ElementCounter final : public nlohmann::json_sax<json> {
 public:
  explicit ElementCounter(std::size_t limit) : limit_(limit) {}
  bool over() const { return over_; }

  bool null() override { return value(); }
  bool boolean(bool) override { return value(); }
  bool number_integer(number_integer_t) override { return value(); }
  bool number_unsigned(number_unsigned_t) override { return value(); }
  bool number_float(number_float_t, const string_t&) override { return value(); }
  bool string(string_t&) override { return value(); }
  bool binary(binary_t&) override { return value(); }
  bool start_object(std::size_t) override { return open(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return close(); }
  bool start_array(std::size_t) override {
    if (depth_ == 0) {
      array_ = true;
      ++depth_;
      return true;
    }
    return open();
  }
  bool end_array() override { return close(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override { return false; }

 private:
  // A scalar: an element when directly in the top-level array; a top-level scalar is no array.
  bool value() { return depth_ == 0 ? false : count(depth_ == 1); }
  bool open() {
    if (depth_ == 0) return false;  // a top-level object: not an array
    const bool element = depth_ == 1;
    ++depth_;
    return count(element);
  }
  bool close() {
    --depth_;
    return true;
  }
  bool count(bool element) {
    if (element && ++elements_ > limit_) {
      over_ = true;
      return false;
    }
    return true;
  }

  std::size_t limit_;
  std::size_t depth_ = 0;
  std::size_t elements_ = 0;
  bool array_ = false;
  bool over_ = false;
};

}  // namespace

bool jsonArrayExceeds(std::string_view text, std::size_t limit) {
  ElementCounter counter(limit);
  try {
    (void)json::sax_parse(text.begin(), text.end(), &counter);
  } catch (const std::exception&) {
    return false;  // the full parse reports what is wrong
  }
  return counter.over();
}

}  // namespace gt::connectors::detail
