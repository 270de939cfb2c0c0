// SPDX-License-Identifier: Apache-2.0
// Asio glue shared by the driver: error-code completions, cross-thread completion of
// awaiting coroutines, running a coroutine on another thread, and an async semaphore.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

namespace cqlbulk::client {

/// Completion token that turns Asio errors into values: `auto [ec, n] = co_await ...`.
inline constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

/// \brief Holds a completion handler and completes it on its own executor, from any thread,
/// keeping that executor's context alive (outstanding work) until then.
template <typename Handler>
class RemoteHandler {
 public:
  explicit RemoteHandler(Handler handler)
      : work_(asio::prefer(asio::get_associated_executor(handler),
                           asio::execution::outstanding_work.tracked)),
        handler_(std::move(handler)) {}

  template <typename... Args>
  void Complete(Args&&... args) {
    Finish<false>(std::forward<Args>(args)...);
  }
  /// \brief Like Complete, but runs the handler right here when the caller is on the
  /// handler's own executor (a load's writes run on their connection's thread): a trip
  /// through the scheduler less. Only where running it here is safe for the caller.
  template <typename... Args>
  void CompleteHere(Args&&... args) {
    Finish<true>(std::forward<Args>(args)...);
  }

 private:
  template <bool kHere, typename... Args>
  void Finish(Args&&... args) {
    auto run = [handler = std::move(handler_), ... args = std::forward<Args>(args)]() mutable {
      std::move(handler)(std::move(args)...);
    };
    if constexpr (kHere) {
      asio::dispatch(work_, std::move(run));
    } else {
      asio::post(work_, std::move(run));
    }
    work_ = {};
  }

  using Work = std::decay_t<decltype(asio::prefer(
      std::declval<asio::associated_executor_t<Handler>>(),
      asio::execution::outstanding_work.tracked))>;
  Work work_;
  Handler handler_;
};

namespace internal {

template <typename T, typename Handler>
asio::awaitable<void> RunAndComplete(asio::awaitable<T> task, RemoteHandler<Handler> handler) {
  if constexpr (std::is_void_v<T>) {
    co_await std::move(task);
    handler.Complete();
  } else {
    T result = co_await std::move(task);
    handler.Complete(std::move(result));
  }
}

}  // namespace internal

/// \brief Runs `task` on `target` (another thread's executor) and resumes the caller on its
/// own executor with the result.
template <typename T>
asio::awaitable<T> RunOn(asio::any_io_executor target, asio::awaitable<T> task) {
  using Signature = std::conditional_t<std::is_void_v<T>, void(), void(T)>;
  return asio::async_initiate<decltype(asio::use_awaitable), Signature>(
      [target](auto handler, asio::awaitable<T> task) {
        asio::co_spawn(target,
                       internal::RunAndComplete(std::move(task),
                                                RemoteHandler<decltype(handler)>(std::move(handler))),
                       asio::detached);
      },
      asio::use_awaitable, std::move(task));
}

/// \brief A counting semaphore whose waiters are suspended coroutines (or any handler), never
/// spinning. Thread-safe: acquire and release from any thread.
class AsyncSemaphore {
 public:
  explicit AsyncSemaphore(size_t permits) : available_(permits) {}

  bool TryAcquire() {
    std::lock_guard<std::mutex> lock(mu_);
    if (available_ > 0 && waiters_.empty()) {
      --available_;
      return true;
    }
    return false;
  }

  /// Completes (signature void()) once a permit is held.
  template <typename Token>
  auto AsyncAcquire(Token&& token) {
    return asio::async_initiate<Token, void()>(
        [this](auto handler) {
          using H = decltype(handler);
          std::unique_lock<std::mutex> lock(mu_);
          if (available_ > 0 && waiters_.empty()) {
            --available_;
            lock.unlock();
            RemoteHandler<H>(std::move(handler)).Complete();
            return;
          }
          waiters_.push_back(std::make_unique<Waiter<H>>(std::move(handler)));
        },
        token);
  }

  void Release() {
    std::unique_ptr<WaiterBase> next;
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (waiters_.empty()) {
        ++available_;
        return;
      }
      next = std::move(waiters_.front());
      waiters_.pop_front();
    }
    next->Wake();  // the permit passes straight to the waiter
  }

  size_t available() const {
    std::lock_guard<std::mutex> lock(mu_);
    return available_;
  }
  size_t num_waiters() const {
    std::lock_guard<std::mutex> lock(mu_);
    return waiters_.size();
  }

 private:
  struct WaiterBase {
    virtual ~WaiterBase() = default;
    virtual void Wake() = 0;
  };
  template <typename H>
  struct Waiter final : WaiterBase {
    explicit Waiter(H h) : handler(std::move(h)) {}
    void Wake() override { handler.Complete(); }
    RemoteHandler<H> handler;
  };

  mutable std::mutex mu_;
  size_t available_;
  std::deque<std::unique_ptr<WaiterBase>> waiters_;
};

/// \brief A held semaphore permit, released on destruction.
class Permit {
 public:
  Permit() = default;
  explicit Permit(AsyncSemaphore* semaphore) : semaphore_(semaphore) {}
  Permit(Permit&& other) noexcept : semaphore_(std::exchange(other.semaphore_, nullptr)) {}
  Permit& operator=(Permit&& other) noexcept {
    if (this != &other) {
      Reset();
      semaphore_ = std::exchange(other.semaphore_, nullptr);
    }
    return *this;
  }
  ~Permit() { Reset(); }
  void Reset() {
    if (semaphore_ != nullptr) std::exchange(semaphore_, nullptr)->Release();
  }

 private:
  AsyncSemaphore* semaphore_ = nullptr;
};

/// Waits for a permit of `semaphore` (no allocation when one is free).
inline asio::awaitable<Permit> Acquire(AsyncSemaphore& semaphore) {
  if (!semaphore.TryAcquire()) {
    co_await semaphore.AsyncAcquire(asio::use_awaitable);
  }
  co_return Permit(&semaphore);
}

}  // namespace cqlbulk::client
