// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// v5 §2.1: "The max size for the payload is 128KiB" — a 17-bit length.
inline constexpr size_t kMaxSegmentPayloadBytes = 131071;
inline constexpr size_t kSegmentTrailerBytes = 4;

/// \brief The two v5 segment ("frame" in the spec) formats of §2.1 and §2.2.
enum class SegmentFormat : uint8_t { kUncompressed, kLz4 };

/// 6 bytes uncompressed (3 + CRC24), 8 with LZ4 (5 + CRC24).
size_t SegmentHeaderSize(SegmentFormat format) noexcept;

/// CRC24 of a segment header (§2.1): init 0x875060, polynomial 0x1974F0B, bytes in order.
uint32_t Crc24(BytesView bytes) noexcept;
/// CRC32 of a segment payload: zlib's CRC-32 after first feeding the bytes fa 2d 55 ca.
uint32_t SegmentCrc32(BytesView payload) noexcept;

/// \brief The length fields of a segment header.
struct SegmentHeader {
  uint32_t payload_length = 0;  ///< bytes on the wire (compressed length for LZ4)
  /// LZ4 only: the payload's length after decompression; 0 = stored uncompressed.
  uint32_t uncompressed_length = 0;
  bool self_contained = true;
  friend bool operator==(const SegmentHeader&, const SegmentHeader&) = default;
};

/// Appends header bytes and their CRC24 (little-endian, §2.1/§2.2).
void WriteSegmentHeader(ByteWriter& out, const SegmentHeader& header, SegmentFormat format);
/// Decodes a header from the first SegmentHeaderSize(format) bytes; kProtocol on a CRC24
/// mismatch or a truncated header.
Result<SegmentHeader> DecodeSegmentHeader(BytesView bytes, SegmentFormat format);

/// \brief A whole segment at the front of a buffer; `payload` is the on-wire payload.
struct SegmentView {
  SegmentHeader header;
  BytesView payload;
  size_t wire_size = 0;  ///< header + payload + CRC32 trailer
};

/// \brief Decodes the segment at the front of `input` and checks both CRCs.
///
/// nullopt: more bytes are needed. kProtocol: a CRC mismatch.
Result<std::optional<SegmentView>> PeekSegment(BytesView input, SegmentFormat format);

/// The segment's payload, decompressed if it was LZ4-compressed (kProtocol if corrupt).
Result<Bytes> DecodeSegmentPayload(const SegmentView& segment);

/// \brief Appends one segment carrying `payload` (at most kMaxSegmentPayloadBytes).
///
/// With kLz4 the payload is compressed only if that makes it smaller; otherwise it is stored
/// with uncompressed length 0 (§2.2). kInvalidArgument for an oversized payload.
Status EncodeSegment(ByteWriter& out, BytesView payload, bool self_contained,
                     SegmentFormat format);

/// \brief Packs encoded frames into segments (§1): small frames share self-contained
/// segments; a frame larger than one payload is split into non-self-contained segments.
///
/// Frames are kept in order. `Add` may emit the segments that became full; `Flush` emits
/// the rest. Output accumulates until `TakeBytes`.
class SegmentEncoder {
 public:
  explicit SegmentEncoder(SegmentFormat format,
                          size_t max_payload_bytes = kMaxSegmentPayloadBytes);

  /// Queues one whole frame (9-byte header + body).
  Status Add(BytesView frame);
  /// Closes the pending self-contained segment, if any.
  Status Flush();
  /// The segments written so far (a self-contained segment still open is closed first).
  Bytes TakeBytes() {
    CloseOpenSegment();
    return std::move(out_).Take();
  }
  /// \brief Moves the bytes encoded so far into `into`, and keeps the allocation `into` had,
  /// emptied, for the next ones: a writer that hands back its buffer each time allocates
  /// nothing per write (TakeBytes grew a new one, by doubling, for every write).
  void SwapBytes(Bytes& into) {
    CloseOpenSegment();
    Bytes spare = std::move(into);
    spare.clear();
    into = std::move(out_).Take();
    out_ = ByteWriter(std::move(spare));
  }
  size_t pending_bytes() const noexcept { return pending_.size() + open_bytes_; }

 private:
  /// Uncompressed segments are written in place: the frames go straight after a room for
  /// the header in `out_` (one copy less than through `pending_`), and closing the segment
  /// fills in the header and appends the CRC32. LZ4 segments gather their frames in
  /// `pending_`, since their payload is compressed as a whole.
  void CloseOpenSegment();

  SegmentFormat format_;
  size_t max_payload_bytes_;
  Bytes pending_;
  bool open_ = false;     ///< an uncompressed self-contained segment is being written in place
  size_t open_at_ = 0;    ///< where its header goes in `out_`
  size_t open_bytes_ = 0;  ///< its payload so far
  ByteWriter out_;
};

}  // namespace cqlbulk::cql
