#pragma once
// A lazy reader of ISO 10303-21 (STEP physical file) text, the encoding of .ifc files: one pass indexes every
// "#id=TYPE(args);" instance by id and type without parsing its arguments; the arguments of the few instances the
// importer needs (relationships, property sets, materials, site, placements) are parsed on demand.
//
// It never trusts the text: a malformed instance is skipped and counted, and every accessor copes with missing or
// wrongly typed arguments (returns nullptr / nullopt). The importer uses it for what IFC++ drops or hides (names,
// property sets, quantities, materials, units, georeference), so the semantics do not depend on the geometry
// library. Threads: a StepFile is immutable after parse(); parsing arguments is const and may run on any thread.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "greentwin/core/status.hpp"

namespace gt::bim {

struct StepValue {
  enum class Kind : std::uint8_t { Null, Derived, Integer, Real, String, Enum, Ref, List, Typed };
  Kind kind = Kind::Null;
  double number = 0.0;        // Integer, Real
  std::uint64_t ref = 0;      // Ref
  std::string text;           // String (decoded to UTF-8), Enum (without dots), Typed (the type name)
  std::vector<StepValue> items;  // List items; Typed: one item, the wrapped value

  bool isNumber() const { return kind == Kind::Integer || kind == Kind::Real; }
  // The value inside IFCLABEL('x')-style wrappers.
  const StepValue& unwrapped() const { return kind == Kind::Typed && !items.empty() ? items.front() : *this; }
};

struct StepInstance {
  std::uint64_t id = 0;
  std::string_view type;  // upper case, e.g. "IFCWALL"
  std::string_view args;  // the text between the outer parentheses
};

class StepFile {
 public:
  // Indexes `text` (kept by the StepFile). Errors: ParseError "not an IFC file: ..." when the text is not a STEP
  // file or has no instances; Unsupported for a schema other than IFC2X3/IFC4*.
  static Result<StepFile> parse(std::string text, const std::string& displayName);

  // Views point into the owned text: moving keeps the heap buffer (and them) valid, copying would not.
  StepFile(StepFile&&) noexcept = default;
  StepFile& operator=(StepFile&&) noexcept = default;
  StepFile(const StepFile&) = delete;
  StepFile& operator=(const StepFile&) = delete;
  ~StepFile() = default;

  const std::string& schema() const { return schema_; }  // as in FILE_SCHEMA, upper case, e.g. "IFC2X3"
  std::size_t instanceCount() const { return instances_.size(); }
  std::size_t malformedCount() const { return malformed_; }
  // The DATA section or the file does not end as a STEP file must (ENDSEC; END-ISO-10303-21;): cut short.
  bool truncated() const { return truncated_; }

  const StepInstance* find(std::uint64_t id) const;
  // Ids of every instance of exactly this type (upper case), in file order.
  const std::vector<std::uint64_t>& ofType(std::string_view type) const;
  // Every type name present.
  std::vector<std::string_view> types() const;

  // The parsed arguments of an instance (empty on a malformed argument list).
  std::vector<StepValue> args(const StepInstance& instance) const;
  std::vector<StepValue> args(std::uint64_t id) const;

 private:
  StepFile() = default;
  std::string text_;
  std::string schema_;
  std::vector<StepInstance> instances_;
  std::unordered_map<std::uint64_t, std::size_t> byId_;
  std::unordered_map<std::string_view, std::vector<std::uint64_t>> byType_;
  std::size_t malformed_ = 0;
  bool truncated_ = false;
};

// Helpers over parsed arguments: nullopt/empty when the index is missing or the type does not fit.
std::optional<std::string> argString(const std::vector<StepValue>& args, std::size_t index);
std::optional<double> argNumber(const std::vector<StepValue>& args, std::size_t index);
std::optional<std::uint64_t> argRef(const std::vector<StepValue>& args, std::size_t index);
std::vector<std::uint64_t> argRefList(const std::vector<StepValue>& args, std::size_t index);
std::optional<std::string> argEnum(const std::vector<StepValue>& args, std::size_t index);

// Decodes a STEP string body (without the quotes): '' \\ \S\ \X\ \X2\ \X4\ escapes, ISO 8859-1 -> UTF-8.
std::string decodeStepString(std::string_view raw);
// Text of a (typed) value for display: strings as is, numbers shortest, enums without dots, booleans lower case.
std::string valueText(const StepValue& value);

}  // namespace gt::bim
