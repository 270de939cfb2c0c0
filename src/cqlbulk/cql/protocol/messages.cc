// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/messages.h"

#include <algorithm>
#include <variant>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

FrameHeader MakeHeader(const FrameOptions& options, Opcode opcode, bool is_response,
                       const Envelope& envelope) {
  FrameHeader h;
  h.version = static_cast<uint8_t>(options.protocol_version);
  h.is_response = is_response;
  h.flags = static_cast<uint8_t>(options.flags | EnvelopeFlags(envelope, is_response));
  h.stream = options.stream;
  h.opcode = opcode;
  return h;
}

/// Bytes a request's frame reserves up front: what the caller serialized already, plus room
/// for the rest, so that a bulk writer's frame is allocated once instead of grown by doubling.
size_t ReserveFor(const Request& request) {
  constexpr size_t kRoom = 256;
  if (const auto* batch = std::get_if<BatchRequest>(&request)) {
    return kRoom + batch->encoded.view().size();
  }
  if (const auto* execute = std::get_if<ExecuteRequest>(&request)) {
    return kRoom + execute->id.size() + execute->params.encoded_values.view().size();
  }
  return kRoom;
}

}  // namespace

Result<RequestFrame> DecodeRequestFrame(const FrameView& frame) {
  if (frame.header.is_response) {
    return ProtocolError("expected a request, got a response frame (" +
                         std::string(OpcodeName(frame.header.opcode)) + ")");
  }
  CQLBULK_ASSIGN_OR_RETURN(EnvelopedBody body, ParseEnvelope(frame.header, frame.body));
  CQLBULK_ASSIGN_OR_RETURN(Request request,
                           DecodeRequest(frame.header.opcode, body.message, frame.header.version));
  return RequestFrame{frame.header, std::move(body.envelope), std::move(request)};
}

Result<ResponseFrame> DecodeResponseFrame(const FrameView& frame) {
  if (!frame.header.is_response) {
    return ProtocolError("expected a response, got a request frame (" +
                         std::string(OpcodeName(frame.header.opcode)) + ")");
  }
  CQLBULK_ASSIGN_OR_RETURN(EnvelopedBody body, ParseEnvelope(frame.header, frame.body));
  CQLBULK_ASSIGN_OR_RETURN(Response response, DecodeResponse(frame.header.opcode, body.message,
                                                             frame.header.version));
  return ResponseFrame{frame.header, std::move(body.envelope), std::move(response)};
}

Status AppendRequestFrame(Bytes& out, const Request& request, const FrameOptions& options,
                          const Envelope& envelope) {
  const size_t before = out.size();
  const size_t needed = before + ReserveFor(request);
  if (out.capacity() < needed) out.reserve(std::max(needed, 2 * out.capacity()));
  ProtocolWriter writer(std::move(out));
  size_t start = BeginFrame(
      writer, MakeHeader(options, RequestOpcode(request), /*is_response=*/false, envelope));
  WriteEnvelope(writer, envelope, /*is_response=*/false);
  Status status = EncodeRequest(writer, request, options.protocol_version);
  if (status.has_value()) status = FinishFrame(writer, start);
  out = std::move(writer).Take();
  if (!status.has_value()) out.resize(before);
  return status;
}

Result<Bytes> EncodeRequestFrame(const Request& request, const FrameOptions& options,
                                 const Envelope& envelope) {
  Bytes out;
  CQLBULK_RETURN_IF_ERROR(AppendRequestFrame(out, request, options, envelope));
  return out;
}

Result<Bytes> EncodeResponseFrame(const Response& response, const FrameOptions& options,
                                  const Envelope& envelope) {
  ProtocolWriter out;
  size_t start =
      BeginFrame(out, MakeHeader(options, ResponseOpcode(response), /*is_response=*/true, envelope));
  WriteEnvelope(out, envelope, /*is_response=*/true);
  CQLBULK_RETURN_IF_ERROR(EncodeResponse(out, response, options.protocol_version));
  CQLBULK_RETURN_IF_ERROR(FinishFrame(out, start));
  return std::move(out).Finish();
}

}  // namespace cqlbulk::cql
