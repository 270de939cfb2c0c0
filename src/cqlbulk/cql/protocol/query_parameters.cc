// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/query_parameters.h"

#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {

Status CheckProtocolVersion(int protocol_version) {
  if (protocol_version != 4 && protocol_version != 5) {
    return ProtocolError("unsupported protocol version " + std::to_string(protocol_version));
  }
  return OkStatus();
}

Result<uint32_t> ReadFlags(ProtocolReader& in, int protocol_version) {
  if (protocol_version >= 5) {
    return in.ReadU32();
  }
  CQLBULK_ASSIGN_OR_RETURN(uint8_t flags, in.ReadU8());
  return uint32_t{flags};
}

void WriteFlags(ProtocolWriter& out, uint32_t flags, int protocol_version) {
  if (protocol_version >= 5) {
    out.WriteU32(flags);
    return;
  }
  if (flags > 0xFF) {
    out.Fail(InvalidArgument("flags " + std::to_string(flags) + " need protocol v5"));
    return;
  }
  out.WriteU8(static_cast<uint8_t>(flags));
}

uint32_t QueryParameters::flags() const noexcept {
  uint32_t f = 0;
  if (!values.empty() || encoded_values.count > 0) {
    f |= kQueryFlagValues;
    if (!value_names.empty()) {
      f |= kQueryFlagNamesForValues;
    }
  }
  if (skip_metadata) f |= kQueryFlagSkipMetadata;
  if (page_size) f |= kQueryFlagPageSize;
  if (paging_state) f |= kQueryFlagPagingState;
  if (serial_consistency) f |= kQueryFlagSerialConsistency;
  if (timestamp) f |= kQueryFlagDefaultTimestamp;
  if (keyspace) f |= kQueryFlagKeyspace;
  if (now_in_seconds) f |= kQueryFlagNowInSeconds;
  return f;
}

Result<QueryParameters> ReadQueryParameters(ProtocolReader& in, int protocol_version) {
  CQLBULK_RETURN_IF_ERROR(CheckProtocolVersion(protocol_version));
  QueryParameters p;
  CQLBULK_ASSIGN_OR_RETURN(p.consistency, in.ReadConsistency());
  CQLBULK_ASSIGN_OR_RETURN(uint32_t flags, ReadFlags(in, protocol_version));
  if (protocol_version < 5 && (flags & (kQueryFlagKeyspace | kQueryFlagNowInSeconds)) != 0) {
    return in.Malformed("v4 query flags " + std::to_string(flags) + " use v5-only bits");
  }
  if ((flags & kQueryFlagValues) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(uint16_t n, in.ReadU16());
    // Each [value] takes at least 4 bytes: refuse impossible counts before reserving.
    if (size_t{n} * 4 > in.remaining()) {
      return in.Malformed(std::to_string(n) + " values cannot fit in the body");
    }
    p.values.reserve(n);
    const bool named = (flags & kQueryFlagNamesForValues) != 0;
    for (uint16_t i = 0; i < n; ++i) {
      if (named) {
        CQLBULK_ASSIGN_OR_RETURN(std::string_view name, in.ReadString());
        p.value_names.emplace_back(name);
      }
      CQLBULK_ASSIGN_OR_RETURN(BoundValue v, in.ReadValue());
      p.values.push_back(std::move(v));
    }
  }
  p.skip_metadata = (flags & kQueryFlagSkipMetadata) != 0;
  if ((flags & kQueryFlagPageSize) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(p.page_size, in.ReadI32());
  }
  if ((flags & kQueryFlagPagingState) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> state, in.ReadBytesField());
    // A null paging state reads as "no paging state", as Cassandra treats it.
    if (state) {
      p.paging_state.emplace(state->begin(), state->end());
    }
  }
  if ((flags & kQueryFlagSerialConsistency) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(p.serial_consistency, in.ReadConsistency());
  }
  if ((flags & kQueryFlagDefaultTimestamp) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(p.timestamp, in.ReadI64());
  }
  if ((flags & kQueryFlagKeyspace) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view ks, in.ReadString());
    p.keyspace.emplace(ks);
  }
  if ((flags & kQueryFlagNowInSeconds) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(p.now_in_seconds, in.ReadI32());
  }
  return p;
}

void WriteQueryParameters(ProtocolWriter& out, const QueryParameters& p, int protocol_version) {
  if (protocol_version < 5 && (p.keyspace || p.now_in_seconds)) {
    out.Fail(InvalidArgument("keyspace and now_in_seconds need protocol v5"));
    return;
  }
  if (!p.value_names.empty() && p.value_names.size() != p.values.size()) {
    out.Fail(InvalidArgument(std::to_string(p.value_names.size()) + " names for " +
                             std::to_string(p.values.size()) + " values"));
    return;
  }
  if (!p.value_names.empty() && p.encoded_values.count > 0) {
    out.Fail(InvalidArgument("names for encoded values"));
    return;
  }
  out.WriteConsistency(p.consistency);
  uint32_t flags = p.flags();
  WriteFlags(out, flags, protocol_version);
  if ((flags & kQueryFlagValues) != 0 && p.value_names.empty()) {
    out.WriteValues(p.values, p.encoded_values);
  } else if ((flags & kQueryFlagValues) != 0) {
    out.WriteShortCount(p.values.size());
    for (size_t i = 0; i < p.values.size(); ++i) {
      out.WriteString(p.value_names[i]);
      out.WriteValue(p.values[i]);
    }
  }
  if (p.page_size) out.WriteI32(*p.page_size);
  if (p.paging_state) out.WriteBytesField(*p.paging_state);
  if (p.serial_consistency) out.WriteConsistency(*p.serial_consistency);
  if (p.timestamp) out.WriteI64(*p.timestamp);
  if (p.keyspace) out.WriteString(*p.keyspace);
  if (p.now_in_seconds) out.WriteI32(*p.now_in_seconds);
}

}  // namespace cqlbulk::cql
