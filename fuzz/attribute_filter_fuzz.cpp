// libFuzzer target for the attribute filter language (core/src/attribute_filter_parse.cpp, docs/workbench.md): the
// text a planner types into a layer's filter field, or that a project file carries.
//
// The input is the filter text, parsed against a fixed schema of building attributes (ASCII and Chinese names, one
// with a space). Besides "no crash, no out-of-bounds read, no exception, no deep recursion", it checks:
// - a refused text names its problem and points inside it (offset <= size, column >= 1, a caret line);
// - an accepted text's canonical form parses again to the same canonical form and evaluates exactly as the
//   original on a few features (nulls, missing values, numbers held as text, Chinese text).

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "greentwin/core/attribute_filter.hpp"

namespace {

const std::vector<gt::PropertyMap>& features() {
  static const std::vector<gt::PropertyMap> all{
      {{"use", std::string("office")}, {"height_m", 72.5}, {"floors", std::int64_t{20}}, {"名称", std::string("运河大厦")},
       {"year built", std::int64_t{1998}}, {"public", true}},
      {{"use", gt::PropertyValue{}}, {"height_m", std::string("61")}, {"名称", std::string("50%_off")}},
      {{"height_m", std::string("tall")}, {"floors", std::int64_t{-3}}, {"public", false}},
      {},
  };
  return all;
}

const gt::AttributeSchema& schema() {
  static const gt::AttributeSchema s = [] {
    gt::AttributeSchema out;
    for (const gt::PropertyMap& f : features()) out.add(f);
    return out;
  }();
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const gt::FilterResult parsed = gt::AttributeFilter::parse(text, schema());
  if (!parsed) {
    const gt::FilterError& e = parsed.error();
    if (e.message.empty() || e.offset > size || e.column < 1 || e.caret.empty() || e.caret.back() != '^') std::abort();
    return 0;
  }
  const std::string canonical = parsed->canonical();
  const gt::FilterResult again = gt::AttributeFilter::parse(canonical, schema());
  if (!again || again->canonical() != canonical) std::abort();
  for (const gt::PropertyMap& f : features()) {
    if (parsed->evaluate(f) != again->evaluate(f)) std::abort();
  }
  return 0;
}
