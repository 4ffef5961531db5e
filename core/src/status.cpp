#include "greentwin/core/status.hpp"

namespace gt {

const char* toString(ErrorCode code) {
  switch (code) {
    case ErrorCode::Ok: return "Ok";
    case ErrorCode::InvalidArgument: return "InvalidArgument";
    case ErrorCode::NotFound: return "NotFound";
    case ErrorCode::ParseError: return "ParseError";
    case ErrorCode::OutOfRange: return "OutOfRange";
    case ErrorCode::Unsupported: return "Unsupported";
    case ErrorCode::IoError: return "IoError";
    case ErrorCode::Cancelled: return "Cancelled";
    case ErrorCode::Internal: return "Internal";
  }
  return "Unknown";
}

std::string Status::toString() const {
  if (isOk()) return "Ok";
  return std::string(gt::toString(code_)) + ": " + message_;
}

}  // namespace gt
