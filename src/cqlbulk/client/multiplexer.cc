// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/multiplexer.h"

#include <algorithm>
#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/protocol/segment.h"

namespace cqlbulk::client {

namespace {

constexpr size_t kStreamOffset = 2;  // version, flags, then the [short] stream (§2.3)

}  // namespace

Multiplexer::Multiplexer(MultiplexerOptions options)
    : options_(options), reader_(options.max_frame_body_bytes) {
  options_.max_in_flight = std::clamp<size_t>(options_.max_in_flight, 1, kMaxStreams);
  slots_.resize(options_.max_in_flight);
  free_ids_.reserve(options_.max_in_flight);
  // Push in reverse so that id 0 is handed out first.
  for (size_t i = options_.max_in_flight; i > 0; --i) {
    free_ids_.push_back(static_cast<int16_t>(i - 1));
  }
  if (options_.protocol_version < 5) {
    reader_.SetCompression(options_.compression);
  }
}

void Multiplexer::Enqueue(Bytes frame, std::unique_ptr<RequestCallback> callback,
                          Clock::time_point deadline) {
  if (failed_) {
    callback->Complete(*failed_);
    return;
  }
  if (frame.size() < cql::kFrameHeaderSize) {
    callback->Complete(Internal("request frame shorter than its header"));
    return;
  }
  queue_.push_back(Queued{std::move(frame), nullptr, std::move(callback), deadline});
}

void Multiplexer::EnqueueRequest(const cql::Request& request,
                                 std::unique_ptr<RequestCallback> callback,
                                 Clock::time_point deadline) {
  if (failed_) {
    callback->Complete(*failed_);
    return;
  }
  queue_.push_back(Queued{Bytes(), &request, std::move(callback), deadline});
}

bool Multiplexer::has_pending_write() const noexcept {
  return !failed_ && !queue_.empty() && !free_ids_.empty();
}

void Multiplexer::AppendFrame(Bytes& frame) {
  if (compress_out_) {
    // v4 §5: the body is compressed, the header is not; the flag says so.
    BytesView body = BytesView(frame).subspan(cql::kFrameHeaderSize);
    auto compressed = cql::CompressFrameBody(options_.compression, body);
    if (compressed.has_value()) {
      frame[1] = static_cast<uint8_t>(frame[1] | cql::kFlagCompression);
      StoreBE32(frame.data() + 5, static_cast<uint32_t>(compressed->size()));
      frame.resize(cql::kFrameHeaderSize);
      frame.insert(frame.end(), compressed->begin(), compressed->end());
    }
    // On a codec failure the frame goes out uncompressed, which the flag allows.
  }
  if (segments_) {
    Status added = encoder_->Add(frame);
    CQLBULK_CHECK(added.has_value(), "segment encoder refused a frame");
    return;
  }
  write_buffer_.insert(write_buffer_.end(), frame.begin(), frame.end());
}

Status Multiplexer::AppendRequest(const cql::Request& request, int16_t id, size_t& bytes) {
  const cql::FrameOptions options{.protocol_version = options_.protocol_version, .stream = id};
  if (!compress_out_ && !segments_) {
    // v4 uncompressed: the frame is written where it goes out.
    const size_t before = write_buffer_.size();
    CQLBULK_RETURN_IF_ERROR(cql::AppendRequestFrame(write_buffer_, request, options));
    bytes = write_buffer_.size() - before;
    return OkStatus();
  }
  scratch_.clear();
  CQLBULK_RETURN_IF_ERROR(cql::AppendRequestFrame(scratch_, request, options));
  bytes = scratch_.size();
  AppendFrame(scratch_);
  return OkStatus();
}

BytesView Multiplexer::PrepareWrite() {
  CQLBULK_DCHECK(!write_in_progress_, "PrepareWrite before CommitWrite");
  write_buffer_.clear();
  size_t taken_bytes = 0;
  while (!failed_ && !queue_.empty() && !free_ids_.empty() &&
         (taken_bytes == 0 || taken_bytes < options_.max_write_bytes)) {
    Queued request = std::move(queue_.front());
    queue_.pop_front();
    int16_t id = free_ids_.back();
    bool is_startup;
    if (request.request != nullptr) {
      size_t bytes = 0;
      Status encoded = AppendRequest(*request.request, id, bytes);
      if (!encoded.has_value()) {
        request.callback->Complete(std::move(encoded).error());  // the id stays free
        continue;
      }
      taken_bytes += bytes;
      is_startup = cql::RequestOpcode(*request.request) == cql::Opcode::kStartup;
    } else {
      StoreBE16(request.frame.data() + kStreamOffset, static_cast<uint16_t>(id));
      taken_bytes += request.frame.size();
      is_startup = request.frame[4] == static_cast<uint8_t>(cql::Opcode::kStartup);
      AppendFrame(request.frame);
    }
    free_ids_.pop_back();
    Slot& slot = slots_[static_cast<size_t>(id)];
    slot.callback = std::move(request.callback);
    slot.deadline = request.deadline;
    slot.busy = true;
    slot.is_startup = is_startup;
    ++in_flight_;
  }
  if (segments_ && taken_bytes > 0) {
    Status flushed = encoder_->Flush();
    CQLBULK_CHECK(flushed.has_value(), "segment encoder failed to flush");
    encoder_->SwapBytes(write_buffer_);
  }
  write_in_progress_ = !write_buffer_.empty();
  return write_buffer_;
}

void Multiplexer::CommitWrite() { write_in_progress_ = false; }

void Multiplexer::ReleaseStream(int16_t stream) {
  Slot& slot = slots_[static_cast<size_t>(stream)];
  slot.busy = false;
  slot.callback.reset();
  slot.is_startup = false;
  free_ids_.push_back(stream);
  --in_flight_;
}

void Multiplexer::AfterStartupReply(const cql::Frame& reply) {
  if (reply.header.opcode != cql::Opcode::kReady &&
      reply.header.opcode != cql::Opcode::kAuthenticate) {
    return;
  }
  if (options_.protocol_version >= 5) {
    // v5 §2.3.1: everything after READY/AUTHENTICATE travels in segments, both ways.
    auto format = options_.compression == cql::Compression::kLz4 ? cql::SegmentFormat::kLz4
                                                                  : cql::SegmentFormat::kUncompressed;
    reader_.StartSegments(format);
    encoder_.emplace(format);
    segments_ = true;
  } else if (options_.compression != cql::Compression::kNone) {
    compress_out_ = true;
  }
}

Status Multiplexer::Dispatch(cql::Frame frame) {
  int16_t stream = frame.header.stream;
  if (stream < 0) {
    if (frame.header.opcode == cql::Opcode::kEvent && event_handler_) {
      event_handler_(std::move(frame));
    }
    return OkStatus();
  }
  auto index = static_cast<size_t>(stream);
  if (index >= slots_.size() || !slots_[index].busy) {
    return ProtocolError("response on stream " + std::to_string(stream) +
                         ", which has no request in flight");
  }
  if (!frame.header.is_response) {
    return ProtocolError("the server sent a request frame (" +
                         std::string(cql::OpcodeName(frame.header.opcode)) + ")");
  }
  Slot& slot = slots_[index];
  if (slot.is_startup) {
    AfterStartupReply(frame);
  }
  std::unique_ptr<RequestCallback> callback = std::move(slot.callback);
  if (callback == nullptr) {
    --orphaned_;  // the late answer to a request that timed out
  }
  ReleaseStream(stream);
  if (callback != nullptr) {
    callback->CompleteAnswer(std::move(frame));  // last: it may enqueue the next request
  }
  return OkStatus();
}

Status Multiplexer::Consume(BytesView bytes) {
  if (failed_) {
    return *failed_;
  }
  reader_.Feed(bytes);
  return DispatchReady();
}

Status Multiplexer::CommitRead(size_t n) {
  if (failed_) {
    return *failed_;
  }
  reader_.CommitRead(n);
  return DispatchReady();
}

Status Multiplexer::DispatchReady() {
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<cql::Frame> frame, reader_.Next());
    if (!frame) {
      return OkStatus();
    }
    CQLBULK_RETURN_IF_ERROR(Dispatch(std::move(*frame)));
  }
}

void Multiplexer::FailAll(const Error& error) {
  if (!failed_) {
    failed_ = error;
  }
  // Collect first: a callback may call back into Enqueue, which now fails at once.
  std::vector<std::unique_ptr<RequestCallback>> callbacks;
  for (size_t i = 0; i < slots_.size(); ++i) {
    if (slots_[i].busy) {
      if (slots_[i].callback) {
        callbacks.push_back(std::move(slots_[i].callback));
      }
      ReleaseStream(static_cast<int16_t>(i));
    }
  }
  orphaned_ = 0;
  for (Queued& q : queue_) {
    callbacks.push_back(std::move(q.callback));
  }
  queue_.clear();
  for (auto& callback : callbacks) {
    callback->Complete(*failed_);
  }
}

size_t Multiplexer::ExpireBefore(Clock::time_point now) {
  std::vector<std::unique_ptr<RequestCallback>> expired;
  for (Slot& slot : slots_) {
    if (slot.busy && slot.callback && slot.deadline < now) {
      expired.push_back(std::move(slot.callback));
      ++orphaned_;  // the id stays taken: the server may still answer on it
    }
  }
  for (auto it = queue_.begin(); it != queue_.end();) {
    if (it->deadline < now) {
      expired.push_back(std::move(it->callback));
      it = queue_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& callback : expired) {
    callback->Complete(Timeout("no response from the server within the request timeout"));
  }
  return expired.size();
}

}  // namespace cqlbulk::client
