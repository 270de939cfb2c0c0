// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/envelope.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/requests.h"
#include "cqlbulk/cql/protocol/responses.h"

namespace cqlbulk::cql {

/// \brief A decoded request frame: header, envelope items and message.
struct RequestFrame {
  FrameHeader header;
  Envelope envelope;
  Request request;
};

/// \brief A decoded response frame. A Rows result borrows the frame body.
struct ResponseFrame {
  FrameHeader header;
  Envelope envelope;
  Response response;
};

/// Decodes a request frame whose body is already decompressed (v4) or reassembled (v5).
/// kProtocol if the frame is a response or malformed.
Result<RequestFrame> DecodeRequestFrame(const FrameView& frame);
/// Decodes a response frame (body decompressed). kProtocol if it is a request or malformed.
Result<ResponseFrame> DecodeResponseFrame(const FrameView& frame);

/// \brief What to put in a frame header around a message.
struct FrameOptions {
  int protocol_version = 4;
  int16_t stream = 0;
  /// Extra flags, e.g. kFlagTracing on a request or kFlagUseBeta. Envelope flags are added
  /// from the envelope's content.
  uint8_t flags = 0;
};

/// The whole uncompressed frame (header + envelope + message).
Result<Bytes> EncodeRequestFrame(const Request& request, const FrameOptions& options,
                                 const Envelope& envelope = {});
/// \brief EncodeRequestFrame's bytes appended to `out` (a connection's write buffer: the
/// frame needs no buffer of its own, nor a copy into that one). On an error `out` is as it
/// was. `out` grows geometrically, so appending frame after frame stays amortised O(1).
Status AppendRequestFrame(Bytes& out, const Request& request, const FrameOptions& options,
                          const Envelope& envelope = {});
Result<Bytes> EncodeResponseFrame(const Response& response, const FrameOptions& options,
                                  const Envelope& envelope = {});

}  // namespace cqlbulk::cql
