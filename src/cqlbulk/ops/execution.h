// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>

#include <chrono>
#include <cstdint>
#include <functional>

#include "cqlbulk/client/result_page.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/client/statement.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::ops {

/// \brief Whether running the same request again would fail the same way: a local invalid
/// argument, or a server's Syntax, Unauthorized, Invalid, Config or AlreadyExists answer.
bool WouldFailAgain(const Error& error);

/// \brief Runs `statement` up to `attempts` times (on top of the driver's own retries), 100 ms
/// × attempt apart; a request that WouldFailAgain is not retried. Each failed
/// attempt adds one to `failed_attempts`.
asio::awaitable<Result<client::ResultPage>> ExecuteWithAttempts(client::Session& session,
                                                               const client::Statement& statement,
                                                               int attempts,
                                                               int64_t& failed_attempts);

/// \brief Runs `workers` coroutines made by `make_worker(i)` on the current executor (make it
/// a strand: they then share state without locks) and returns when all have ended.
asio::awaitable<void> RunWorkers(int workers,
                                 std::function<asio::awaitable<void>(int)> make_worker);

/// \brief Keeps a rate (rows or bytes per second) over all callers: Acquire(n) accounts n
/// more as used (read, written) and waits until all that was used since the first call fits
/// the rate. A rate of 0 or less never waits.
class RateLimiter {
 public:
  explicit RateLimiter(double per_second) : per_second_(per_second) {}
  bool enabled() const noexcept { return per_second_ > 0; }
  asio::awaitable<void> Acquire(double amount);

 private:
  double per_second_;
  std::chrono::steady_clock::time_point next_{};
};

}  // namespace cqlbulk::ops
