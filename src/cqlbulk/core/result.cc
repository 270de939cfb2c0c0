// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/result.h"

namespace cqlbulk {

std::string_view ErrorCodeName(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument:
      return "invalid argument";
    case ErrorCode::kNotFound:
      return "not found";
    case ErrorCode::kAlreadyExists:
      return "already exists";
    case ErrorCode::kConflict:
      return "conflict";
    case ErrorCode::kUnavailable:
      return "unavailable";
    case ErrorCode::kTimeout:
      return "timeout";
    case ErrorCode::kOverloaded:
      return "overloaded";
    case ErrorCode::kProtocol:
      return "protocol error";
    case ErrorCode::kServer:
      return "server error";
    case ErrorCode::kIo:
      return "I/O error";
    case ErrorCode::kCorrupt:
      return "corrupt data";
    case ErrorCode::kCancelled:
      return "cancelled";
    case ErrorCode::kInternal:
      return "internal error";
    case ErrorCode::kUnimplemented:
      return "unimplemented";
  }
  return "unknown error";
}

Error& Error::AddContext(std::string_view context) {
  std::string joined;
  joined.reserve(context.size() + 2 + message_.size());
  joined.append(context).append(": ").append(message_);
  message_ = std::move(joined);
  return *this;
}

Error Error::WithContext(std::string_view context) && {
  AddContext(context);
  return std::move(*this);
}

std::string Error::ToString() const {
  std::string out(ErrorCodeName(code_));
  out.append(": ").append(message_);
  return out;
}

}  // namespace cqlbulk
