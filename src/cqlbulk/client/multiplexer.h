// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/requests.h"

namespace cqlbulk::client {

using Clock = std::chrono::steady_clock;

/// Stream ids a v3+ connection may use for requests: 0 .. 32767 (§2.3; -1 is for events).
inline constexpr size_t kMaxStreams = 32768;

/// \brief Receives the outcome of one request: the response frame (body decompressed and
/// reassembled) or the error that ended the connection or the request.
class RequestCallback {
 public:
  virtual ~RequestCallback() = default;
  /// Called exactly once, on the thread that drives the multiplexer. Must not run the
  /// requester's continuation in here (it would run inside FailAll, ExpireBefore, Enqueue).
  virtual void Complete(Result<cql::Frame> response) = 0;
  /// \brief Called instead of Complete with an answer read from the socket (Consume,
  /// CommitRead), once the multiplexer is done with the request: the continuation may run in
  /// here when it belongs on this thread, and may enqueue more requests. By default, Complete.
  virtual void CompleteAnswer(Result<cql::Frame> response) { Complete(std::move(response)); }
};

/// \brief A RequestCallback calling a function (tests, simple call sites).
class FunctionCallback final : public RequestCallback {
 public:
  explicit FunctionCallback(std::function<void(Result<cql::Frame>)> fn) : fn_(std::move(fn)) {}
  void Complete(Result<cql::Frame> response) override { fn_(std::move(response)); }

 private:
  std::function<void(Result<cql::Frame>)> fn_;
};

struct MultiplexerOptions {
  int protocol_version = 4;
  /// Requests in flight at most (stream ids in use, timed-out ones included); <= kMaxStreams.
  size_t max_in_flight = 1024;
  /// A write stops taking more requests once it holds this many bytes (at least one frame).
  size_t max_write_bytes = size_t{256} << 10;
  /// Negotiated in STARTUP; applied to the frames after STARTUP's answer (v4 §5, v5 §2.3.1).
  cql::Compression compression = cql::Compression::kNone;
  size_t max_frame_body_bytes = cql::kDefaultMaxFrameBodyBytes;
};

/// \brief The brains of one connection, without sockets: stream ids, the pending-request
/// table, write coalescing, framing mode (v4 frames, v4 compression, v5 segments) and the
/// fate of requests when the connection dies.
///
/// The driver loop is: `Enqueue` requests; while `has_pending_write()`, write the bytes of
/// `PrepareWrite()` then call `CommitWrite()`; feed every byte read to `Consume`; call
/// `ExpireBefore(now)` now and then; on a socket error call `FailAll`. Requests beyond
/// `max_in_flight` wait in a queue until an id is free: callers bound that queue (the
/// session's semaphores do). Not thread-safe: one thread drives it.
class Multiplexer {
 public:
  explicit Multiplexer(MultiplexerOptions options);

  /// \brief Queues a whole uncompressed request frame (its stream field is overwritten).
  ///
  /// The callback runs with kTimeout if no answer came by `deadline` (the id stays taken
  /// until the late answer arrives); at once with the connection's error after FailAll.
  void Enqueue(Bytes frame, std::unique_ptr<RequestCallback> callback,
               Clock::time_point deadline = Clock::time_point::max());

  /// \brief Queues `request`, encoded for this connection's version when its turn to be
  /// written comes: straight into the write buffer (v4), or into a buffer the multiplexer
  /// reuses and then into the segment or the compressor (v5, compression). No frame of its
  /// own is allocated. `request` must stay alive and unchanged until the callback has run. A
  /// request that cannot be encoded completes its callback with the encoder's error.
  void EnqueueRequest(const cql::Request& request, std::unique_ptr<RequestCallback> callback,
                      Clock::time_point deadline = Clock::time_point::max());
  /// A temporary (a QueryRequest converted to a Request on the way in, say) would be gone by
  /// the time it is written.
  void EnqueueRequest(cql::Request&& request, std::unique_ptr<RequestCallback> callback,
                      Clock::time_point deadline = Clock::time_point::max()) = delete;

  bool has_pending_write() const noexcept;
  /// \brief The bytes to write next: as many queued requests as ids and `max_write_bytes`
  /// allow, each given a stream id, coalesced into one buffer (v5: packed into segments).
  ///
  /// The view stays valid until CommitWrite. Empty when nothing can be written.
  BytesView PrepareWrite();
  /// The bytes of the last PrepareWrite are on the wire.
  void CommitWrite();

  /// \brief Feeds bytes read from the socket; completes the requests they answer and passes
  /// events (stream -1) to the event handler. kProtocol: close the connection (then FailAll).
  Status Consume(BytesView bytes);
  /// \brief Like Consume without a copy: the socket reads into the span of
  /// `PrepareRead(min_bytes)` (at least that many bytes), then `CommitRead(n)` consumes the n
  /// bytes read. The span stays valid until CommitRead.
  std::span<uint8_t> PrepareRead(size_t min_bytes) { return reader_.PrepareRead(min_bytes); }
  Status CommitRead(size_t n);

  /// Fails every pending and queued request with `error`; later Enqueues fail at once.
  void FailAll(const Error& error);
  /// Completes requests whose deadline is before `now` with kTimeout; returns how many.
  size_t ExpireBefore(Clock::time_point now);

  void SetEventHandler(std::function<void(cql::Frame)> handler) {
    event_handler_ = std::move(handler);
  }

  size_t num_in_flight() const noexcept { return in_flight_; }
  size_t num_queued() const noexcept { return queue_.size(); }
  /// Ids held by requests that timed out and whose answer has not come yet.
  size_t num_orphaned() const noexcept { return orphaned_; }
  bool in_segments() const noexcept { return segments_; }
  bool is_failed() const noexcept { return failed_.has_value(); }
  int protocol_version() const noexcept { return options_.protocol_version; }

 private:
  struct Queued {
    Bytes frame;                             ///< encoded by the caller (Enqueue), or
    const cql::Request* request = nullptr;  ///< encoded when written (EnqueueRequest)
    std::unique_ptr<RequestCallback> callback;
    Clock::time_point deadline;
  };
  struct Slot {
    std::unique_ptr<RequestCallback> callback;  ///< null once timed out
    Clock::time_point deadline;
    bool busy = false;
    bool is_startup = false;
  };

  Status Dispatch(cql::Frame frame);
  /// Dispatches every frame the reader holds complete.
  Status DispatchReady();
  void AfterStartupReply(const cql::Frame& reply);
  void ReleaseStream(int16_t stream);
  void AppendFrame(Bytes& frame);
  /// Encodes `request` with stream `id` into what goes out; its size in `bytes`.
  Status AppendRequest(const cql::Request& request, int16_t id, size_t& bytes);

  MultiplexerOptions options_;
  cql::FrameReader reader_;
  std::vector<Slot> slots_;
  std::vector<int16_t> free_ids_;  ///< a stack: the most recently freed id is reused first
  std::deque<Queued> queue_;
  size_t in_flight_ = 0;
  size_t orphaned_ = 0;
  bool compress_out_ = false;  ///< v4: compress request bodies (after STARTUP's answer)
  bool segments_ = false;      ///< v5: both directions are segments
  std::optional<cql::SegmentEncoder> encoder_;
  Bytes write_buffer_;  ///< reused from write to write
  Bytes scratch_;       ///< a request encoded before it is compressed or put in a segment
  bool write_in_progress_ = false;
  std::optional<Error> failed_;
  std::function<void(cql::Frame)> event_handler_;
};

}  // namespace cqlbulk::client
