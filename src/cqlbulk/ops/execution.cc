// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/execution.h"

#include <asio/experimental/as_tuple.hpp>

#include <algorithm>
#include <memory>
#include <optional>

namespace cqlbulk::ops {

bool WouldFailAgain(const Error& error) {
  if (error.code() == ErrorCode::kInvalidArgument) return true;
  // 0x2000 Syntax_error, 0x2100 Unauthorized, 0x2200 Invalid, 0x2300 Config_error,
  // 0x2400 Already_exists (native protocol v4 §9).
  return error.code() == ErrorCode::kServer && error.server_code() >= 0x2000 &&
         error.server_code() <= 0x2400;
}

asio::awaitable<Result<client::ResultPage>> ExecuteWithAttempts(client::Session& session,
                                                               const client::Statement& statement,
                                                               int attempts,
                                                               int64_t& failed_attempts) {
  attempts = std::max(1, attempts);
  Result<client::ResultPage> page = Unexpected(Internal("no attempt"));
  for (int attempt = 1; attempt <= attempts; ++attempt) {
    page = co_await session.Execute(statement);
    if (page.has_value()) break;
    if (WouldFailAgain(page.error())) break;
    ++failed_attempts;
    if (attempt < attempts) {
      asio::steady_timer wait(co_await asio::this_coro::executor,
                              std::chrono::milliseconds(100 * attempt));
      co_await wait.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
    }
  }
  co_return page;
}

asio::awaitable<void> RunWorkers(int workers,
                                 std::function<asio::awaitable<void>(int)> make_worker) {
  if (workers <= 0) co_return;
  auto executor = co_await asio::this_coro::executor;
  struct Join {
    int running = 0;
    std::optional<asio::steady_timer> done;
  };
  auto join = std::make_shared<Join>();
  join->done.emplace(executor, std::chrono::steady_clock::time_point::max());
  join->running = workers;
  for (int i = 0; i < workers; ++i) {
    asio::co_spawn(executor, make_worker(i), [join](std::exception_ptr) {
      if (--join->running == 0) join->done->cancel();
    });
  }
  co_await join->done->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
}

asio::awaitable<void> RateLimiter::Acquire(double amount) {
  if (per_second_ <= 0) co_return;
  auto now = std::chrono::steady_clock::now();
  if (next_ < now) next_ = now;
  next_ += std::chrono::duration_cast<std::chrono::steady_clock::duration>(
      std::chrono::duration<double>(amount / per_second_));
  if (next_ > now) {
    asio::steady_timer wait(co_await asio::this_coro::executor, next_);
    co_await wait.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
  }
}

}  // namespace cqlbulk::ops
