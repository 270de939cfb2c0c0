// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/retry.h"

#include <algorithm>

#include "cqlbulk/cql/protocol/error_response.h"

namespace cqlbulk::client {

RetryDecision DecideRetry(const Error& error, FailurePoint point, bool is_idempotent) {
  using Code = cql::ErrorResponseCode;
  if (point == FailurePoint::kNotSent) {
    return error.code() == ErrorCode::kUnavailable ? RetryDecision::kRetryNextHost
                                                   : RetryDecision::kFail;
  }
  if (point == FailurePoint::kNoAnswer) {
    bool lost = error.code() == ErrorCode::kUnavailable || error.code() == ErrorCode::kTimeout;
    return lost && is_idempotent ? RetryDecision::kRetryNextHost : RetryDecision::kFail;
  }
  switch (static_cast<Code>(error.server_code())) {
    case Code::kReadTimeout:
    case Code::kUnavailable:
    case Code::kOverloaded:
    case Code::kIsBootstrapping:
      return RetryDecision::kRetryNextHost;
    case Code::kWriteTimeout:
    case Code::kServerError:
      return is_idempotent ? RetryDecision::kRetryNextHost : RetryDecision::kFail;
    default:
      return RetryDecision::kFail;
  }
}

std::chrono::milliseconds RetryBackoff(const RetryOptions& options, int attempt,
                                       uint64_t random) {
  int64_t base = std::max<int64_t>(1, options.base_backoff.count());
  int64_t cap = std::max<int64_t>(base, options.max_backoff.count());
  int shift = std::clamp(attempt - 1, 0, 30);
  int64_t delay = std::min(cap, base << shift);
  int64_t half = delay / 2;
  int64_t jitter = half > 0 ? static_cast<int64_t>(random % static_cast<uint64_t>(half + 1)) : 0;
  return std::chrono::milliseconds(delay - half + jitter);
}

}  // namespace cqlbulk::client
