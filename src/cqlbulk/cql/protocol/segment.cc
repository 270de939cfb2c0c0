// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/segment.h"

#include <algorithm>
#include <array>
#include <string>

#include "cqlbulk/core/checksum.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/compression.h"

namespace cqlbulk::cql {
namespace {

constexpr uint32_t kCrc24Init = 0x875060;
constexpr uint32_t kCrc24Poly = 0x1974F0B;
/// §2.1: the payload CRC32 is "initialised" by first feeding these four bytes.
constexpr std::array<uint8_t, 4> kCrc32Prefix = {0xfa, 0x2d, 0x55, 0xca};
constexpr uint64_t kLengthMask = (uint64_t{1} << 17) - 1;

size_t HeaderFieldBytes(SegmentFormat format) {
  return format == SegmentFormat::kLz4 ? 5 : 3;
}

uint64_t LoadLE(const uint8_t* p, size_t n) {
  uint64_t v = 0;
  for (size_t i = 0; i < n; ++i) {
    v |= uint64_t{p[i]} << (8 * i);
  }
  return v;
}

void StoreLE(ByteWriter& out, uint64_t v, size_t n) {
  for (size_t i = 0; i < n; ++i) {
    out.WriteU8(static_cast<uint8_t>(v >> (8 * i)));
  }
}

}  // namespace

size_t SegmentHeaderSize(SegmentFormat format) noexcept {
  return HeaderFieldBytes(format) + 3;
}

namespace {

/// Crc24's table: the register after feeding byte i into a zero one, eight bits at a time.
constexpr std::array<uint32_t, 256> MakeCrc24Table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t crc = i << 16;
    for (int bit = 0; bit < 8; ++bit) {
      crc <<= 1;
      if ((crc & 0x1000000) != 0) crc ^= kCrc24Poly;
    }
    table[i] = crc & 0xFFFFFF;
  }
  return table;
}
constexpr std::array<uint32_t, 256> kCrc24Table = MakeCrc24Table();

}  // namespace

uint32_t Crc24(BytesView bytes) noexcept {
  // A byte at a time through the table (every segment header, both ways: the bit loop took
  // about 150 instructions a header).
  uint32_t crc = kCrc24Init;
  for (uint8_t b : bytes) {
    crc = ((crc << 8) ^ kCrc24Table[((crc >> 16) ^ b) & 0xFF]) & 0xFFFFFF;
  }
  return crc;
}

uint32_t SegmentCrc32(BytesView payload) noexcept {
  return Crc32(payload, Crc32(kCrc32Prefix));
}

namespace {

/// Writes a segment header at `out` (SegmentHeaderSize(format) bytes, at most 8).
void PutSegmentHeader(uint8_t* out, const SegmentHeader& header, SegmentFormat format) {
  uint64_t v;
  if (format == SegmentFormat::kLz4) {
    // §2.2: compressed length (17 bits), uncompressed length (17 bits), self-contained (bit 34).
    v = (header.payload_length & kLengthMask) |
        ((header.uncompressed_length & kLengthMask) << 17) |
        (uint64_t{header.self_contained} << 34);
  } else {
    // §2.1: payload length (17 bits), self-contained (bit 17).
    v = (header.payload_length & kLengthMask) | (uint64_t{header.self_contained} << 17);
  }
  const size_t n = HeaderFieldBytes(format);
  for (size_t i = 0; i < n; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
  const uint32_t crc = Crc24(BytesView(out, n));
  for (size_t i = 0; i < 3; ++i) out[n + i] = static_cast<uint8_t>(crc >> (8 * i));
}

}  // namespace

void WriteSegmentHeader(ByteWriter& out, const SegmentHeader& header, SegmentFormat format) {
  std::array<uint8_t, 8> bytes;
  PutSegmentHeader(bytes.data(), header, format);
  out.WriteBytes(BytesView(bytes.data(), SegmentHeaderSize(format)));
}

Result<SegmentHeader> DecodeSegmentHeader(BytesView bytes, SegmentFormat format) {
  const size_t n = HeaderFieldBytes(format);
  if (bytes.size() < n + 3) {
    return ProtocolError("segment header needs " + std::to_string(n + 3) + " bytes");
  }
  uint64_t fields = LoadLE(bytes.data(), n);
  auto crc = static_cast<uint32_t>(LoadLE(bytes.data() + n, 3));
  uint32_t expected = Crc24(bytes.first(n));
  if (crc != expected) {
    return ProtocolError("segment header CRC24 mismatch: got " + std::to_string(crc) +
                         ", computed " + std::to_string(expected));
  }
  SegmentHeader h;
  h.payload_length = static_cast<uint32_t>(fields & kLengthMask);
  if (format == SegmentFormat::kLz4) {
    h.uncompressed_length = static_cast<uint32_t>((fields >> 17) & kLengthMask);
    h.self_contained = ((fields >> 34) & 1) != 0;
  } else {
    h.self_contained = ((fields >> 17) & 1) != 0;
  }
  return h;
}

Result<std::optional<SegmentView>> PeekSegment(BytesView input, SegmentFormat format) {
  const size_t header_size = SegmentHeaderSize(format);
  if (input.size() < header_size) {
    return std::optional<SegmentView>();
  }
  CQLBULK_ASSIGN_OR_RETURN(SegmentHeader header, DecodeSegmentHeader(input, format));
  const size_t wire_size = header_size + header.payload_length + kSegmentTrailerBytes;
  if (input.size() < wire_size) {
    return std::optional<SegmentView>();
  }
  BytesView payload = input.subspan(header_size, header.payload_length);
  auto crc = static_cast<uint32_t>(LoadLE(payload.data() + payload.size(), 4));
  uint32_t expected = SegmentCrc32(payload);
  if (crc != expected) {
    return ProtocolError("segment payload CRC32 mismatch: got " + std::to_string(crc) +
                         ", computed " + std::to_string(expected));
  }
  return std::optional<SegmentView>(SegmentView{header, payload, wire_size});
}

Result<Bytes> DecodeSegmentPayload(const SegmentView& segment) {
  if (segment.header.uncompressed_length == 0) {
    return Bytes(segment.payload.begin(), segment.payload.end());
  }
  return Lz4DecompressBlock(segment.payload, segment.header.uncompressed_length);
}

Status EncodeSegment(ByteWriter& out, BytesView payload, bool self_contained,
                     SegmentFormat format) {
  if (payload.size() > kMaxSegmentPayloadBytes) {
    return InvalidArgument("segment payload of " + std::to_string(payload.size()) +
                           " bytes exceeds " + std::to_string(kMaxSegmentPayloadBytes));
  }
  SegmentHeader header;
  header.self_contained = self_contained;
  BytesView wire = payload;
  Bytes compressed;
  if (format == SegmentFormat::kLz4 && !payload.empty()) {
    CQLBULK_ASSIGN_OR_RETURN(compressed, Lz4CompressBlock(payload));
    // §2.3.2: a sender may leave a payload uncompressed; do so unless it actually shrinks.
    if (compressed.size() < payload.size()) {
      wire = compressed;
      header.uncompressed_length = static_cast<uint32_t>(payload.size());
    }
  }
  header.payload_length = static_cast<uint32_t>(wire.size());
  WriteSegmentHeader(out, header, format);
  out.WriteBytes(wire);
  StoreLE(out, SegmentCrc32(wire), 4);
  return OkStatus();
}

SegmentEncoder::SegmentEncoder(SegmentFormat format, size_t max_payload_bytes)
    : format_(format),
      max_payload_bytes_(std::clamp<size_t>(max_payload_bytes, 1, kMaxSegmentPayloadBytes)) {}

Status SegmentEncoder::Add(BytesView frame) {
  if (pending_bytes() + frame.size() > max_payload_bytes_) {
    CQLBULK_RETURN_IF_ERROR(Flush());
  }
  if (frame.empty()) {
    return OkStatus();
  }
  if (frame.size() <= max_payload_bytes_) {
    if (format_ == SegmentFormat::kUncompressed) {
      if (!open_) {
        open_ = true;
        open_at_ = out_.size();
        open_bytes_ = 0;
        out_.Grow(SegmentHeaderSize(format_));  // filled in by CloseOpenSegment
      }
      out_.WriteBytes(frame);
      open_bytes_ += frame.size();
      return OkStatus();
    }
    pending_.insert(pending_.end(), frame.begin(), frame.end());
    return OkStatus();
  }
  // §1: a large envelope is "split into its own sequence of frames", none self-contained.
  while (!frame.empty()) {
    size_t n = std::min(frame.size(), max_payload_bytes_);
    CQLBULK_RETURN_IF_ERROR(EncodeSegment(out_, frame.first(n), false, format_));
    frame = frame.subspan(n);
  }
  return OkStatus();
}

void SegmentEncoder::CloseOpenSegment() {
  if (!open_) {
    return;
  }
  open_ = false;
  const size_t header_size = SegmentHeaderSize(format_);
  SegmentHeader header;
  header.self_contained = true;
  header.payload_length = static_cast<uint32_t>(open_bytes_);  // <= max_payload_bytes_ (Add)
  std::array<uint8_t, 8> head;  // on the stack: a ByteWriter allocated four times a segment
  PutSegmentHeader(head.data(), header, format_);
  out_.PatchBytes(open_at_, BytesView(head.data(), header_size));
  const uint32_t crc = SegmentCrc32(out_.view().subspan(open_at_ + header_size, open_bytes_));
  StoreLE(out_, crc, 4);
  open_bytes_ = 0;
}

Status SegmentEncoder::Flush() {
  CloseOpenSegment();
  if (pending_.empty()) {
    return OkStatus();
  }
  Status s = EncodeSegment(out_, pending_, true, format_);
  pending_.clear();
  return s;
}

}  // namespace cqlbulk::cql
