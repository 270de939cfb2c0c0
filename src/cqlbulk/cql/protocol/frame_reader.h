// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <deque>
#include <optional>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/segment.h"

namespace cqlbulk::cql {

/// \brief Rebuilds frames (v5 "envelopes") from decoded segment payloads (v5 §1).
///
/// A self-contained payload must hold whole frames only; a non-self-contained payload holds
/// the next part of one large frame. Anything else is kProtocol.
class FrameAssembler {
 public:
  explicit FrameAssembler(size_t max_body_bytes = kDefaultMaxFrameBodyBytes)
      : max_body_bytes_(max_body_bytes) {}

  /// Adds one decoded payload; complete frames become available to `Pop`.
  Status AddPayload(BytesView payload, bool self_contained);
  std::optional<Frame> Pop();
  /// True when no large frame is partly assembled.
  bool idle() const noexcept { return header_bytes_.empty(); }

 private:
  size_t max_body_bytes_;
  Bytes header_bytes_;  ///< the large frame's header bytes received so far
  std::optional<FrameHeader> partial_header_;  ///< once all of them are in
  Bytes partial_;  ///< the body bytes received so far
  std::deque<Frame> ready_;
};

/// \brief Decodes one direction of a connection into frames, v4 or v5.
///
/// Starts in plain-frame mode (all of v4; v5 until the handshake ends). After STARTUP (for
/// bytes from the client) or READY/AUTHENTICATE (for bytes from the server), call
/// `StartSegments`: every byte not yet consumed is then read as v5 segments (§2.3.1).
/// v4 bodies with the compression flag are returned as sent unless `SetCompression` named
/// the connection's algorithm. After an error the reader stays failed; the connection must
/// be closed.
class FrameReader {
 public:
  explicit FrameReader(size_t max_body_bytes = kDefaultMaxFrameBodyBytes);

  /// Appends bytes that arrived (a copy of them).
  void Feed(BytesView bytes);
  /// \brief Room for at least `min_bytes` more bytes at the end of the reader's buffer, for a
  /// socket to read into without a copy of its own; `CommitRead(n)` then takes the first n of
  /// them as fed. The span stays valid until the next call of any other method.
  std::span<uint8_t> PrepareRead(size_t min_bytes);
  void CommitRead(size_t n);
  /// The next frame, or nullopt when more bytes are needed.
  Result<std::optional<Frame>> Next();
  /// Switches the rest of the stream to v5 segments of `format`.
  void StartSegments(SegmentFormat format);
  /// v4: decompress bodies that carry the compression flag (and clear the flag).
  void SetCompression(Compression compression) { compression_ = compression; }

  bool in_segments() const noexcept { return segment_format_.has_value(); }
  /// Segments decoded so far (v5 mode).
  size_t num_segments() const noexcept { return num_segments_; }
  /// Bytes fed but not yet consumed.
  size_t buffered_bytes() const noexcept { return end_ - read_pos_; }

 private:
  Result<std::optional<Frame>> NextFromSegments();
  void Consume(size_t n) { read_pos_ += n; }
  BytesView unread() const noexcept {
    return BytesView(buffer_.data() + read_pos_, end_ - read_pos_);
  }
  /// Makes room for `n` more bytes after end_: moves the unread bytes to the front when that
  /// frees enough (or they are few), else grows the buffer.
  void MakeRoom(size_t n);

  size_t max_body_bytes_;
  Bytes buffer_;  ///< [read_pos_, end_) unread; [end_, size()) room, not yet filled
  size_t read_pos_ = 0;
  size_t end_ = 0;
  std::optional<SegmentFormat> segment_format_;
  Compression compression_ = Compression::kNone;
  FrameAssembler assembler_;
  size_t num_segments_ = 0;
  std::optional<Error> failed_;
};

}  // namespace cqlbulk::cql
