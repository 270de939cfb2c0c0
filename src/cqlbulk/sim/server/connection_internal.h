// SPDX-License-Identifier: Apache-2.0
// One client connection of a simulated node: an Asio driver around ServerSession. Every
// coroutine of a connection runs on its strand, so the session needs no lock.
#pragma once

#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/ssl.hpp>

#include <array>
#include <chrono>
#include <deque>
#include <memory>
#include <vector>

#include "cqlbulk/sim/server/faults.h"
#include "cqlbulk/sim/server/server_session.h"

namespace cqlbulk::sim::internal {

inline constexpr auto kNoThrow = asio::experimental::as_tuple(asio::use_awaitable);

/// \brief What the cluster needs of a connection, whatever its stream type.
class ConnectionBase : public std::enable_shared_from_this<ConnectionBase> {
 public:
  virtual ~ConnectionBase() = default;
  /// Closes from any thread.
  virtual void Close() = 0;
  /// Sends `event` if the client registered for it; from any thread.
  virtual void PushEvent(const cql::EventResponse& event) = 0;
};

/// \brief A connection over `Stream` (a TCP socket, or a TLS stream over one).
template <typename Stream>
class Connection final : public ConnectionBase {
 public:
  Connection(Stream stream, Engine& engine, ring::HostIndex node, const ServerConfig& config,
             NodeFaults& faults)
      : stream_(std::move(stream)),
        session_(engine, node, config),
        faults_(faults),
        wakeup_(stream_.get_executor()) {
    wakeup_.expires_at(std::chrono::steady_clock::time_point::max());
  }

  asio::awaitable<void> Run() {
    auto self = shared_from_this();
    if constexpr (!std::is_same_v<Stream, asio::ip::tcp::socket>) {
      auto [ec] = co_await stream_.async_handshake(asio::ssl::stream_base::server, kNoThrow);
      if (ec) {
        DoClose();
        co_return;
      }
    }
    asio::co_spawn(stream_.get_executor(), WriteLoop(), asio::detached);
    co_await ReadLoop();
    DoClose();
  }

  void Close() override {
    asio::post(stream_.get_executor(), [self = shared_from_this(), this] { DoClose(); });
  }

  void PushEvent(const cql::EventResponse& event) override {
    asio::post(stream_.get_executor(), [self = shared_from_this(), this, event] {
      if (auto frame = session_.Event(event)) Enqueue(std::move(*frame));
    });
  }

 private:
  static constexpr size_t kMaxQueuedBytes = size_t{64} << 20;

  static bool IsDataRequest(const cql::Frame& frame) {
    auto op = frame.header.opcode;
    return op == cql::Opcode::kQuery || op == cql::Opcode::kExecute ||
           op == cql::Opcode::kBatch || op == cql::Opcode::kPrepare;
  }

  asio::awaitable<void> ReadLoop() {
    std::vector<uint8_t> buffer(64 * 1024);
    while (!closing_) {
      auto [ec, n] = co_await stream_.async_read_some(asio::buffer(buffer), kNoThrow);
      if (ec) co_return;
      auto frames = session_.Feed(BytesView(buffer.data(), n));
      if (!frames) co_return;  // the client broke the protocol
      for (cql::Frame& frame : *frames) {
        bool data = IsDataRequest(frame) && session_.is_ready();
        if (data && faults_.DrawDrop()) co_return;
        auto latency = data ? faults_.latency() : std::chrono::milliseconds(0);
        if (latency.count() > 0) {
          asio::co_spawn(stream_.get_executor(), Delayed(std::move(frame), latency),
                         asio::detached);
        } else {
          Enqueue(session_.Handle(frame, &faults_));
        }
      }
      // Back-pressure: stop reading while the client is not taking its answers.
      while (queued_bytes_ > kMaxQueuedBytes && !closing_) {
        asio::steady_timer pause(stream_.get_executor(), std::chrono::milliseconds(1));
        co_await pause.async_wait(kNoThrow);
      }
    }
  }

  asio::awaitable<void> Delayed(cql::Frame frame, std::chrono::milliseconds latency) {
    auto self = shared_from_this();
    asio::steady_timer timer(stream_.get_executor(), latency);
    co_await timer.async_wait(kNoThrow);
    if (!closing_) Enqueue(session_.Handle(frame, &faults_));
  }

  void Enqueue(OutgoingFrame frame) {
    if (closing_) return;
    queued_bytes_ += frame.frame.size();
    queue_.push_back(std::move(frame));
    wakeup_.cancel();
  }

  asio::awaitable<void> WriteLoop() {
    auto self = shared_from_this();
    std::vector<Bytes> batch;
    std::vector<asio::const_buffer> buffers;
    while (!closing_) {
      if (queue_.empty()) {
        co_await wakeup_.async_wait(kNoThrow);
        continue;
      }
      batch.clear();
      buffers.clear();
      bool close_after = false;
      size_t batch_bytes = 0;
      while (!queue_.empty() && batch_bytes < (size_t{4} << 20) && !close_after) {
        OutgoingFrame out = std::move(queue_.front());
        queue_.pop_front();
        queued_bytes_ -= out.frame.size();
        close_after = out.close_after;
        auto wire = session_.Wrap(out);
        if (!wire) {
          DoClose();
          co_return;
        }
        batch_bytes += wire->size();
        batch.push_back(std::move(*wire));
      }
      for (const Bytes& b : batch) buffers.emplace_back(b.data(), b.size());
      auto [ec, n] = co_await asio::async_write(stream_, buffers, kNoThrow);
      if (ec || close_after) {
        DoClose();
        co_return;
      }
    }
  }

  void DoClose() {
    if (closing_) return;
    closing_ = true;
    wakeup_.cancel();
    std::error_code ignored;
    auto& socket = stream_.lowest_layer();
    socket.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  Stream stream_;
  ServerSession session_;
  NodeFaults& faults_;
  asio::steady_timer wakeup_;
  std::deque<OutgoingFrame> queue_;
  size_t queued_bytes_ = 0;
  bool closing_ = false;
};

}  // namespace cqlbulk::sim::internal
