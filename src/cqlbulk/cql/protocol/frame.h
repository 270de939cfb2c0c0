// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::cql {

/// \brief Message opcodes (v4 §2.4, v5 §2.4.1.4).
enum class Opcode : uint8_t {
  kError = 0x00,
  kStartup = 0x01,
  kReady = 0x02,
  kAuthenticate = 0x03,
  kOptions = 0x05,
  kSupported = 0x06,
  kQuery = 0x07,
  kResult = 0x08,
  kPrepare = 0x09,
  kExecute = 0x0A,
  kRegister = 0x0B,
  kEvent = 0x0C,
  kBatch = 0x0D,
  kAuthChallenge = 0x0E,
  kAuthResponse = 0x0F,
  kAuthSuccess = 0x10,
};

/// "QUERY", "RESULT", ...; "UNKNOWN" for a value outside the enum.
std::string_view OpcodeName(Opcode opcode);
/// True for the opcodes a client sends (STARTUP, OPTIONS, QUERY, ...).
bool IsRequestOpcode(Opcode opcode);

/// Frame flags (v4 §2.2, v5 §2.4.1.2).
inline constexpr uint8_t kFlagCompression = 0x01;  ///< v4 only; ignored in v5
inline constexpr uint8_t kFlagTracing = 0x02;
inline constexpr uint8_t kFlagCustomPayload = 0x04;
inline constexpr uint8_t kFlagWarning = 0x08;
inline constexpr uint8_t kFlagUseBeta = 0x10;

/// The version byte's direction bit: set on responses (§2.1 / §2.4.1.1).
inline constexpr uint8_t kResponseBit = 0x80;
inline constexpr size_t kFrameHeaderSize = 9;
/// "currently a frame is limited to 256MB in length" (§2.5).
inline constexpr size_t kDefaultMaxFrameBodyBytes = size_t{256} << 20;

/// \brief The 9-byte frame (v5: envelope) header.
struct FrameHeader {
  uint8_t version = 4;  ///< protocol version, without the direction bit
  bool is_response = false;
  uint8_t flags = 0;
  int16_t stream = 0;
  Opcode opcode = Opcode::kOptions;
  uint32_t length = 0;  ///< body length in bytes

  bool has_flag(uint8_t flag) const noexcept { return (flags & flag) != 0; }
  friend bool operator==(const FrameHeader&, const FrameHeader&) = default;
};

/// Appends the 9 header bytes.
void WriteFrameHeader(ByteWriter& out, const FrameHeader& header);
/// Decodes the first 9 bytes of `bytes`. kProtocol: fewer than 9 bytes, version 0, an unknown
/// opcode, or a length with the sign bit set.
Result<FrameHeader> DecodeFrameHeader(BytesView bytes);

/// \brief A frame whose body borrows the buffer it was decoded from.
struct FrameView {
  FrameHeader header;
  BytesView body;
  size_t wire_size() const noexcept { return kFrameHeaderSize + body.size(); }
};

/// \brief A frame owning its body.
struct Frame {
  FrameHeader header;
  Bytes body;
  FrameView view() const noexcept { return {header, body}; }
  friend bool operator==(const Frame&, const Frame&) = default;
};

/// \brief Decodes the frame at the front of `input` without copying.
///
/// Returns nullopt when `input` holds only part of the frame (read more bytes and retry).
/// kProtocol for a malformed header or a body longer than `max_body_bytes`.
Result<std::optional<FrameView>> PeekFrame(BytesView input,
                                           size_t max_body_bytes = kDefaultMaxFrameBodyBytes);

/// Appends header + body; `header.length` is replaced by the body's size.
void AppendFrame(ByteWriter& out, FrameHeader header, BytesView body);
/// A frame's wire bytes; `header.length` is replaced by the body's size.
Bytes EncodeFrame(FrameHeader header, BytesView body);

/// \brief Builds a frame in place: write the header, then the body straight after it.
///
/// `BeginFrame` writes the header with length 0 and returns its position; `FinishFrame`
/// patches the length from the bytes written since (kInvalidArgument over 2^31-1 bytes).
size_t BeginFrame(ByteWriter& out, const FrameHeader& header);
Status FinishFrame(ByteWriter& out, size_t header_position);

// For a stream of frames fed as it arrives, see FrameReader (frame_reader.h).

}  // namespace cqlbulk::cql
