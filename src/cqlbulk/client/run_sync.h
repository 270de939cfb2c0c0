// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>

#include <optional>
#include <utility>

#include "cqlbulk/core/result.h"

namespace cqlbulk::client {

namespace internal {

template <typename T>
asio::awaitable<void> StoreInto(asio::awaitable<Result<T>> task, std::optional<Result<T>>* out) {
  out->emplace(co_await std::move(task));
}

}  // namespace internal

/// \brief Runs a driver coroutine from synchronous code and returns its result.
///
/// The coroutine runs on a private io_context on the calling thread; the driver's own I/O
/// threads do the network work and resume it there. Blocks until it finishes. kCancelled if
/// the coroutine was abandoned (its session closed under it). Do not call it from one of a
/// session's I/O threads.
template <typename T>
Result<T> RunSync(asio::awaitable<Result<T>> task) {
  asio::io_context context(1);
  std::optional<Result<T>> out;
  asio::co_spawn(context, internal::StoreInto(std::move(task), &out), asio::detached);
  context.run();
  if (!out) {
    return Cancelled("the operation was abandoned before it finished");
  }
  return std::move(*out);
}

}  // namespace cqlbulk::client
