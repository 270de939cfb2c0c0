// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/frame.h"

#include <limits>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {

std::string_view OpcodeName(Opcode opcode) {
  switch (opcode) {
    case Opcode::kError:
      return "ERROR";
    case Opcode::kStartup:
      return "STARTUP";
    case Opcode::kReady:
      return "READY";
    case Opcode::kAuthenticate:
      return "AUTHENTICATE";
    case Opcode::kOptions:
      return "OPTIONS";
    case Opcode::kSupported:
      return "SUPPORTED";
    case Opcode::kQuery:
      return "QUERY";
    case Opcode::kResult:
      return "RESULT";
    case Opcode::kPrepare:
      return "PREPARE";
    case Opcode::kExecute:
      return "EXECUTE";
    case Opcode::kRegister:
      return "REGISTER";
    case Opcode::kEvent:
      return "EVENT";
    case Opcode::kBatch:
      return "BATCH";
    case Opcode::kAuthChallenge:
      return "AUTH_CHALLENGE";
    case Opcode::kAuthResponse:
      return "AUTH_RESPONSE";
    case Opcode::kAuthSuccess:
      return "AUTH_SUCCESS";
  }
  return "UNKNOWN";
}

bool IsRequestOpcode(Opcode opcode) {
  switch (opcode) {
    case Opcode::kStartup:
    case Opcode::kOptions:
    case Opcode::kQuery:
    case Opcode::kPrepare:
    case Opcode::kExecute:
    case Opcode::kRegister:
    case Opcode::kBatch:
    case Opcode::kAuthResponse:
      return true;
    default:
      return false;
  }
}

void WriteFrameHeader(ByteWriter& out, const FrameHeader& header) {
  out.WriteU8(static_cast<uint8_t>((header.version & 0x7F) | (header.is_response ? kResponseBit : 0)));
  out.WriteU8(header.flags);
  out.WriteI16(header.stream);
  out.WriteU8(static_cast<uint8_t>(header.opcode));
  out.WriteU32(header.length);
}

Result<FrameHeader> DecodeFrameHeader(BytesView bytes) {
  if (bytes.size() < kFrameHeaderSize) {
    return ProtocolError("frame header needs 9 bytes, got " + std::to_string(bytes.size()));
  }
  FrameHeader h;
  h.version = bytes[0] & 0x7F;
  h.is_response = (bytes[0] & kResponseBit) != 0;
  h.flags = bytes[1];
  h.stream = static_cast<int16_t>(LoadBE16(bytes.data() + 2));
  uint8_t opcode = bytes[4];
  h.length = LoadBE32(bytes.data() + 5);
  if (h.version == 0) {
    return ProtocolError("frame header has protocol version 0");
  }
  h.opcode = static_cast<Opcode>(opcode);
  if (opcode > static_cast<uint8_t>(Opcode::kAuthSuccess) || opcode == 0x04) {
    return ProtocolError("unknown opcode " + std::to_string(opcode) + " in frame header");
  }
  if (h.length > static_cast<uint32_t>(std::numeric_limits<int32_t>::max())) {
    return ProtocolError("negative frame body length " +
                         std::to_string(static_cast<int32_t>(h.length)));
  }
  return h;
}

Result<std::optional<FrameView>> PeekFrame(BytesView input, size_t max_body_bytes) {
  if (input.size() < kFrameHeaderSize) {
    return std::optional<FrameView>();
  }
  CQLBULK_ASSIGN_OR_RETURN(FrameHeader header, DecodeFrameHeader(input));
  if (header.length > max_body_bytes) {
    return ProtocolError("frame body of " + std::to_string(header.length) +
                         " bytes exceeds the limit of " + std::to_string(max_body_bytes));
  }
  if (input.size() - kFrameHeaderSize < header.length) {
    return std::optional<FrameView>();
  }
  return std::optional<FrameView>(FrameView{header, input.subspan(kFrameHeaderSize, header.length)});
}

void AppendFrame(ByteWriter& out, FrameHeader header, BytesView body) {
  header.length = static_cast<uint32_t>(body.size());
  WriteFrameHeader(out, header);
  out.WriteBytes(body);
}

Bytes EncodeFrame(FrameHeader header, BytesView body) {
  ByteWriter out;
  out.Reserve(kFrameHeaderSize + body.size());
  AppendFrame(out, header, body);
  return std::move(out).Take();
}

size_t BeginFrame(ByteWriter& out, const FrameHeader& header) {
  size_t pos = out.size();
  FrameHeader h = header;
  h.length = 0;
  WriteFrameHeader(out, h);
  return pos;
}

Status FinishFrame(ByteWriter& out, size_t header_position) {
  size_t body = out.size() - header_position - kFrameHeaderSize;
  if (body > static_cast<size_t>(std::numeric_limits<int32_t>::max())) {
    return InvalidArgument("frame body of " + std::to_string(body) + " bytes is too long");
  }
  out.PatchU32(header_position + 5, static_cast<uint32_t>(body));
  return OkStatus();
}

}  // namespace cqlbulk::cql
