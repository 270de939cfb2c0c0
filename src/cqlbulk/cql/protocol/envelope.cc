// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/envelope.h"

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {

Result<EnvelopedBody> ParseEnvelope(const FrameHeader& header, BytesView body) {
  ProtocolReader in(body);
  EnvelopedBody out;
  if (header.is_response && header.has_flag(kFlagTracing)) {
    CQLBULK_ASSIGN_OR_RETURN(out.envelope.tracing_id, in.ReadUuid());
  }
  if (header.is_response && header.has_flag(kFlagWarning)) {
    CQLBULK_ASSIGN_OR_RETURN(out.envelope.warnings, in.ReadStringList());
  }
  if (header.has_flag(kFlagCustomPayload)) {
    CQLBULK_ASSIGN_OR_RETURN(out.envelope.custom_payload, in.ReadBytesMap());
  }
  out.message = in.rest();
  return out;
}

uint8_t EnvelopeFlags(const Envelope& envelope, bool is_response) {
  uint8_t flags = 0;
  if (is_response && envelope.tracing_id) {
    flags |= kFlagTracing;
  }
  if (is_response && !envelope.warnings.empty()) {
    flags |= kFlagWarning;
  }
  if (envelope.custom_payload) {
    flags |= kFlagCustomPayload;
  }
  return flags;
}

void WriteEnvelope(ProtocolWriter& out, const Envelope& envelope, bool is_response) {
  if (is_response && envelope.tracing_id) {
    out.WriteUuid(*envelope.tracing_id);
  }
  if (is_response && !envelope.warnings.empty()) {
    out.WriteStringList(envelope.warnings);
  }
  if (envelope.custom_payload) {
    out.WriteBytesMap(*envelope.custom_payload);
  }
}

}  // namespace cqlbulk::cql
