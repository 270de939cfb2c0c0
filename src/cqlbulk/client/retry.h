// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>

#include "cqlbulk/client/options.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::client {

/// \brief What to do after an attempt failed.
enum class RetryDecision : uint8_t {
  kFail,           ///< return the error to the caller
  kRetryNextHost,  ///< try the next host of the query plan (after a back-off)
};

/// \brief How far a failed request got: whether the server may have executed it.
enum class FailurePoint : uint8_t {
  kNotSent,    ///< no connection could take it: always safe to retry
  kAnswered,   ///< the server answered with an ERROR
  kNoAnswer,   ///< sent, then the connection died or the request timed out
};

/// \brief The retry policy (cpp-driver's default policy, idempotence-aware).
///
/// Retried on the next host: read timeouts, unavailable, overloaded and bootstrapping
/// coordinators; write timeouts, server errors and lost answers only for idempotent
/// statements; anything not sent. Never retried: syntax, invalid, unauthorized, config,
/// already-exists, read/write failures, authentication and every client-side error.
RetryDecision DecideRetry(const Error& error, FailurePoint point, bool is_idempotent);

/// \brief Exponential back-off with full jitter before attempt `attempt` (1 = the first
/// retry): a delay in [d/2, d] where d = min(max_backoff, base_backoff * 2^(attempt-1)).
/// `random` is any 64-bit random number.
std::chrono::milliseconds RetryBackoff(const RetryOptions& options, int attempt, uint64_t random);

}  // namespace cqlbulk::client
