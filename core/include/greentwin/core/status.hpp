#pragma once
// Errors as values at module boundaries (DESIGN.md): Status for "did it work", Result<T> for "a T or why not".
// "Nothing yet" is an empty std::optional, never an error.

#include <string>
#include <utility>
#include <variant>

namespace gt {

enum class ErrorCode {
  Ok = 0,
  InvalidArgument,  // caller passed something malformed
  NotFound,         // a file, key, entity or bookmark that does not exist
  ParseError,       // input text/bytes could not be parsed
  OutOfRange,       // a value outside its allowed range
  Unsupported,      // a valid request this build cannot serve
  IoError,          // the OS or a library refused a read/write
  Cancelled,        // the caller asked to stop (e.g. a load abandoned at shutdown)
  Internal,         // a broken invariant: a bug
};

const char* toString(ErrorCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(ErrorCode code, std::string message) : code_(code), message_(std::move(message)) {}
  static Status ok() { return {}; }

  bool isOk() const { return code_ == ErrorCode::Ok; }
  explicit operator bool() const { return isOk(); }
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "ParseError: config.toml:12: unknown key 'displey'" style text for logs and the UI.
  std::string toString() const;

 private:
  ErrorCode code_ = ErrorCode::Ok;
  std::string message_;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : data_(std::move(value)) {}  // NOLINT(google-explicit-constructor): natural return
  Result(Status error) : data_(std::move(error)) {}  // NOLINT(google-explicit-constructor)

  bool isOk() const { return std::holds_alternative<T>(data_); }
  explicit operator bool() const { return isOk(); }

  T& value() & { return std::get<T>(data_); }
  const T& value() const& { return std::get<T>(data_); }
  T&& value() && { return std::get<T>(std::move(data_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // The error; Status::ok() when this holds a value.
  Status status() const { return isOk() ? Status::ok() : std::get<Status>(data_); }

 private:
  std::variant<T, Status> data_;
};

}  // namespace gt
