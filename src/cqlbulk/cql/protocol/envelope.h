// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/notation.h"

namespace cqlbulk::cql {

/// \brief The flag-driven items in front of a message body (v5 §4 / §2.4.1.2):
/// [<tracing_id>][<warnings>][<custom_payload>]<message>.
///
/// A tracing id is present only in responses with the tracing flag (a request's tracing
/// flag carries no bytes); warnings only in responses; a custom payload in either.
struct Envelope {
  std::optional<Uuid> tracing_id;
  std::vector<std::string> warnings;
  std::optional<BytesMap> custom_payload;

  friend bool operator==(const Envelope&, const Envelope&) = default;
};

/// \brief An envelope and the message body after it (borrowing the frame body).
struct EnvelopedBody {
  Envelope envelope;
  BytesView message;
};

/// Splits a (decompressed) frame body per the header's flags. kProtocol if truncated.
Result<EnvelopedBody> ParseEnvelope(const FrameHeader& header, BytesView body);

/// The flags that `envelope` needs: tracing (responses with an id), warning (responses
/// with warnings) and custom payload.
uint8_t EnvelopeFlags(const Envelope& envelope, bool is_response);

/// Writes the envelope items that apply (see EnvelopeFlags).
void WriteEnvelope(ProtocolWriter& out, const Envelope& envelope, bool is_response);

}  // namespace cqlbulk::cql
