// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "cqlbulk/client/async_util.h"
#include "cqlbulk/client/handshake.h"
#include "cqlbulk/client/multiplexer.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/requests.h"

namespace cqlbulk::client {

struct ConnectionOptions {
  std::string address;  ///< numeric address or host name
  uint16_t port = 9042;
  HandshakeOptions handshake;  ///< protocol_version is the first one offered
  size_t max_in_flight = 1024;
  /// TLS when set; shared by every connection of a session.
  std::shared_ptr<asio::ssl::context> tls;
  bool verify_hostname = true;
  std::chrono::milliseconds connect_timeout{5000};
  /// Called on the connection's thread for each EVENT frame (control connection).
  std::function<void(cql::Frame)> on_event;
};

/// \brief One native-protocol connection: a thin Asio driver around a Multiplexer, pinned to
/// one I/O thread (one reader and one writer coroutine there), so it needs no lock.
///
/// `Send` may be awaited from any thread: the request is posted to the connection's thread
/// and the caller resumes on its own executor.
class Connection : public std::enable_shared_from_this<Connection> {
 public:
  /// \brief Connects (TCP, TLS, STARTUP, auth), stepping down from v5 to v4 when the server
  /// refuses v5 and the version was not fixed. Runs on `executor` (one I/O thread).
  ///
  /// kUnavailable naming host:port when it cannot connect or times out; kInvalidArgument for
  /// authentication failures and TLS verification failures (not worth retrying).
  static asio::awaitable<Result<std::shared_ptr<Connection>>> Open(
      asio::any_io_executor executor, ConnectionOptions options);

  Connection(asio::any_io_executor executor, ConnectionOptions options, int protocol_version);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  /// \brief Sends a whole request frame (stream id patched in); resumes with the response
  /// frame or kUnavailable (connection lost) / kTimeout (no answer by `deadline`).
  template <typename Token>
  auto AsyncSend(Bytes frame, Clock::time_point deadline, Token&& token) {
    return asio::async_initiate<Token, void(Result<cql::Frame>)>(
        [self = shared_from_this()](auto handler, Bytes frame, Clock::time_point deadline) {
          using H = decltype(handler);
          self->in_flight_.fetch_add(1, std::memory_order_relaxed);
          auto callback = std::make_unique<HandlerCallback<H>>(std::move(handler), self.get());
          if (self->OnOwnThread()) {
            // Already on the connection's thread (a load's writes run there): enqueued at once
            // instead of through a post, an allocation and a trip through the scheduler less
            // per request. The callback still completes through a post, never in here.
            self->EnqueueHere(std::move(frame), std::move(callback), deadline);
            return;
          }
          asio::post(self->executor_, [self, frame = std::move(frame), deadline,
                                       callback = std::move(callback)]() mutable {
            self->EnqueueHere(std::move(frame), std::move(callback), deadline);
          });
        },
        token, std::move(frame), deadline);
  }

  /// \brief Like AsyncSend for a request the multiplexer encodes when it writes it
  /// (Multiplexer::EnqueueRequest: no frame allocated, nor copied, per request). `request`
  /// must stay alive and unchanged until the handler runs. A request that cannot be encoded
  /// for this connection's version completes with the encoder's error (kInvalidArgument).
  template <typename Token>
  auto AsyncSendRequest(const cql::Request& request, Clock::time_point deadline, Token&& token) {
    return asio::async_initiate<Token, void(Result<cql::Frame>)>(
        [self = shared_from_this(), &request](auto handler, Clock::time_point deadline) {
          using H = decltype(handler);
          self->in_flight_.fetch_add(1, std::memory_order_relaxed);
          auto callback = std::make_unique<HandlerCallback<H>>(std::move(handler), self.get());
          if (self->OnOwnThread()) {
            self->EnqueueRequestHere(request, std::move(callback), deadline);
            return;
          }
          asio::post(self->executor_,
                     [self, &request, deadline, callback = std::move(callback)]() mutable {
                       self->EnqueueRequestHere(request, std::move(callback), deadline);
                     });
        },
        token, deadline);
  }

  /// A temporary would be gone before it is written.
  template <typename Token>
  auto AsyncSendRequest(cql::Request&& request, Clock::time_point deadline, Token&& token) = delete;

  asio::awaitable<Result<cql::Frame>> Send(Bytes frame, Clock::time_point deadline) {
    co_return co_await AsyncSend(std::move(frame), deadline, asio::use_awaitable);
  }
  /// Encodes `request` for this connection's version, then Send.
  asio::awaitable<Result<cql::Frame>> Send(const cql::Request& request,
                                           Clock::time_point deadline);

  /// Closes from any thread; pending requests fail with kUnavailable.
  void Close();
  /// Resumes once the connection is closed. Await on the connection's own thread.
  asio::awaitable<void> WaitClosed();

  const std::string& endpoint() const noexcept { return endpoint_; }
  const std::string& address() const noexcept { return options_.address; }
  uint16_t port() const noexcept { return options_.port; }
  int protocol_version() const noexcept { return protocol_version_; }
  bool is_open() const noexcept { return open_.load(std::memory_order_acquire); }
  /// Requests sent and not yet answered (approximate; for picking the least-loaded one).
  size_t num_in_flight() const noexcept { return in_flight_.load(std::memory_order_relaxed); }
  asio::any_io_executor executor() const { return executor_; }

 private:
  template <typename H>
  class HandlerCallback final : public RequestCallback {
   public:
    HandlerCallback(H handler, Connection* owner) : handler_(std::move(handler)), owner_(owner) {}
    void Complete(Result<cql::Frame> response) override {
      owner_->in_flight_.fetch_sub(1, std::memory_order_relaxed);
      handler_.Complete(std::move(response));
    }
    /// An answer: a requester on this connection's thread resumes at once, without a post.
    void CompleteAnswer(Result<cql::Frame> response) override {
      owner_->in_flight_.fetch_sub(1, std::memory_order_relaxed);
      handler_.CompleteHere(std::move(response));
    }

   private:
    RemoteHandler<H> handler_;
    Connection* owner_;
  };

  /// Whether the caller runs on the connection's thread (its io_context's only thread).
  bool OnOwnThread() const {
    const auto* io = executor_.target<asio::io_context::executor_type>();
    return io != nullptr && io->running_in_this_thread();
  }
  /// Status of the start-up; `downgrade_to_` is set when the server wants another version.
  asio::awaitable<Status> Start();
  asio::awaitable<Status> ConnectTransport();
  asio::awaitable<Status> RunHandshake();
  void EnqueueHere(Bytes frame, std::unique_ptr<RequestCallback> callback,
                   Clock::time_point deadline);
  void EnqueueRequestHere(const cql::Request& request, std::unique_ptr<RequestCallback> callback,
                          Clock::time_point deadline);
  asio::awaitable<void> ReadLoop(std::shared_ptr<Connection> self);
  asio::awaitable<void> WriteLoop(std::shared_ptr<Connection> self);
  asio::awaitable<void> SweepLoop(std::shared_ptr<Connection> self);
  void Fail(const Error& error);
  Error TlsError(const asio::error_code& ec) const;

  asio::any_io_executor executor_;
  ConnectionOptions options_;
  int protocol_version_;
  std::string endpoint_;
  asio::ip::tcp::socket socket_;
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
  Multiplexer mux_;
  asio::steady_timer wakeup_;    ///< wakes the writer
  asio::steady_timer sweep_;     ///< request deadlines
  asio::steady_timer closed_;    ///< cancelled when the connection closes
  asio::steady_timer deadline_;  ///< connect + handshake timeout
  std::atomic<bool> open_{false};
  bool failed_ = false;
  bool timed_out_ = false;
  std::optional<int> downgrade_to_;
  std::atomic<size_t> in_flight_{0};
};

}  // namespace cqlbulk::client
