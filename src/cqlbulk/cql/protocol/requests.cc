// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/requests.h"

#include <cstring>
#include <string>
#include <type_traits>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::cql {
namespace {

constexpr uint32_t kPrepareFlagKeyspace = 0x01;  // v5 §4.1.5

Status ExpectEnd(const ProtocolReader& in, Opcode opcode) {
  if (!in.empty()) {
    return in.Malformed(std::to_string(in.remaining()) + " unexpected bytes after " +
                        std::string(OpcodeName(opcode)));
  }
  return OkStatus();
}

Result<BatchStatement> ReadBatchStatement(ProtocolReader& in) {
  BatchStatement s;
  CQLBULK_ASSIGN_OR_RETURN(uint8_t kind, in.ReadU8());
  if (kind == 0) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view q, in.ReadLongString());
    s.query = std::string(q);
  } else if (kind == 1) {
    s.is_prepared = true;
    CQLBULK_ASSIGN_OR_RETURN(BytesView id, in.ReadShortBytes());
    s.id.assign(id.begin(), id.end());
  } else {
    return in.Malformed("batch statement kind " + std::to_string(kind));
  }
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, in.ReadU16());
  if (size_t{n} * 4 > in.remaining()) {
    return in.Malformed(std::to_string(n) + " batch values cannot fit in the body");
  }
  s.values.reserve(n);
  for (uint16_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(BoundValue v, in.ReadValue());
    s.values.push_back(std::move(v));
  }
  return s;
}

Result<BatchRequest> ReadBatch(ProtocolReader& in, int version) {
  BatchRequest b;
  CQLBULK_ASSIGN_OR_RETURN(uint8_t type, in.ReadU8());
  if (type > 2) {
    return in.Malformed("batch type " + std::to_string(type));
  }
  b.type = static_cast<BatchType>(type);
  CQLBULK_ASSIGN_OR_RETURN(uint16_t n, in.ReadU16());
  // Each statement takes at least kind + [short] + [short]: refuse impossible counts.
  if (size_t{n} * 5 > in.remaining()) {
    return in.Malformed(std::to_string(n) + " batch statements cannot fit in the body");
  }
  b.statements.reserve(n);
  for (uint16_t i = 0; i < n; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(BatchStatement s, ReadBatchStatement(in));
    b.statements.push_back(std::move(s));
  }
  CQLBULK_ASSIGN_OR_RETURN(b.consistency, in.ReadConsistency());
  CQLBULK_ASSIGN_OR_RETURN(uint32_t flags, ReadFlags(in, version));
  // §4.1.7: names for values in a batch "does not work and should not be used"
  // (CASSANDRA-10246); Cassandra rejects it, and so do we.
  if ((flags & kQueryFlagNamesForValues) != 0) {
    return in.Malformed("BATCH with names for values (flag 0x40) is not supported");
  }
  if (version < 5 && (flags & (kQueryFlagKeyspace | kQueryFlagNowInSeconds)) != 0) {
    return in.Malformed("v4 batch flags use v5-only bits");
  }
  if ((flags & kQueryFlagSerialConsistency) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(b.serial_consistency, in.ReadConsistency());
  }
  if ((flags & kQueryFlagDefaultTimestamp) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(b.timestamp, in.ReadI64());
  }
  if ((flags & kQueryFlagKeyspace) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(std::string_view ks, in.ReadString());
    b.keyspace.emplace(ks);
  }
  if ((flags & kQueryFlagNowInSeconds) != 0) {
    CQLBULK_ASSIGN_OR_RETURN(b.now_in_seconds, in.ReadI32());
  }
  return b;
}

void WriteBatch(ProtocolWriter& out, const BatchRequest& b, int version) {
  if (version < 5 && (b.keyspace || b.now_in_seconds)) {
    out.Fail(InvalidArgument("batch keyspace and now_in_seconds need protocol v5"));
    return;
  }
  out.WriteU8(static_cast<uint8_t>(b.type));
  out.WriteShortCount(b.statements.size() + b.encoded.count);
  for (const BatchStatement& s : b.statements) {
    out.WriteU8(s.is_prepared ? 1 : 0);
    if (s.is_prepared) {
      out.WriteShortBytes(s.id);
    } else {
      out.WriteLongString(s.query);
    }
    out.WriteValues(s.values, {});
  }
  out.WriteBytes(b.encoded.view());
  out.WriteConsistency(b.consistency);
  WriteFlags(out, b.flags(), version);
  if (b.serial_consistency) out.WriteConsistency(*b.serial_consistency);
  if (b.timestamp) out.WriteI64(*b.timestamp);
  if (b.keyspace) out.WriteString(*b.keyspace);
  if (b.now_in_seconds) out.WriteI32(*b.now_in_seconds);
}

Result<Request> ReadRequest(ProtocolReader& in, Opcode opcode, int version) {
  switch (opcode) {
    case Opcode::kStartup: {
      CQLBULK_ASSIGN_OR_RETURN(StringMap options, in.ReadStringMap());
      return Request(StartupRequest{std::move(options)});
    }
    case Opcode::kAuthResponse: {
      CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> token, in.ReadBytesField());
      AuthResponseRequest r;
      if (token) {
        r.token.emplace(token->begin(), token->end());
      }
      return Request(std::move(r));
    }
    case Opcode::kOptions:
      return Request(OptionsRequest{});
    case Opcode::kQuery: {
      QueryRequest q;
      CQLBULK_ASSIGN_OR_RETURN(std::string_view text, in.ReadLongString());
      q.query = std::string(text);
      CQLBULK_ASSIGN_OR_RETURN(q.params, ReadQueryParameters(in, version));
      return Request(std::move(q));
    }
    case Opcode::kPrepare: {
      PrepareRequest p;
      CQLBULK_ASSIGN_OR_RETURN(std::string_view text, in.ReadLongString());
      p.query = std::string(text);
      if (version >= 5) {
        CQLBULK_ASSIGN_OR_RETURN(uint32_t flags, in.ReadU32());
        if ((flags & kPrepareFlagKeyspace) != 0) {
          CQLBULK_ASSIGN_OR_RETURN(std::string_view ks, in.ReadString());
          p.keyspace.emplace(ks);
        }
      }
      return Request(std::move(p));
    }
    case Opcode::kExecute: {
      ExecuteRequest e;
      CQLBULK_ASSIGN_OR_RETURN(BytesView id, in.ReadShortBytes());
      e.id.assign(id.begin(), id.end());
      if (version >= 5) {
        CQLBULK_ASSIGN_OR_RETURN(BytesView mid, in.ReadShortBytes());
        e.result_metadata_id.assign(mid.begin(), mid.end());
      }
      CQLBULK_ASSIGN_OR_RETURN(e.params, ReadQueryParameters(in, version));
      return Request(std::move(e));
    }
    case Opcode::kBatch: {
      CQLBULK_ASSIGN_OR_RETURN(BatchRequest b, ReadBatch(in, version));
      return Request(std::move(b));
    }
    case Opcode::kRegister: {
      CQLBULK_ASSIGN_OR_RETURN(std::vector<std::string> events, in.ReadStringList());
      return Request(RegisterRequest{std::move(events)});
    }
    default:
      return ProtocolError(std::string(OpcodeName(opcode)) + " is not a request");
  }
}

}  // namespace

void AppendPreparedHead(Bytes& out, BytesView id, uint16_t num_values) {
  size_t at = out.size();
  out.resize(at + 1 + 2 + id.size() + 2);
  uint8_t* p = out.data() + at;
  p[0] = 1;
  StoreBE16(p + 1, static_cast<uint16_t>(id.size()));
  if (!id.empty()) std::memcpy(p + 3, id.data(), id.size());
  StoreBE16(p + 3 + id.size(), num_values);
}

Result<std::vector<BatchStatement>> DecodeStatements(const EncodedStatements& encoded) {
  ProtocolReader in(encoded.view());
  std::vector<BatchStatement> statements;
  for (uint16_t i = 0; i < encoded.count; ++i) {
    CQLBULK_ASSIGN_OR_RETURN(BatchStatement s, ReadBatchStatement(in));
    statements.push_back(std::move(s));
  }
  if (!in.empty()) {
    return in.Malformed("bytes after the " + std::to_string(encoded.count) +
                        " encoded batch statements");
  }
  return statements;
}

std::string_view BatchTypeName(BatchType type) {
  switch (type) {
    case BatchType::kLogged:
      return "LOGGED";
    case BatchType::kUnlogged:
      return "UNLOGGED";
    case BatchType::kCounter:
      return "COUNTER";
  }
  return "UNKNOWN";
}

uint32_t BatchRequest::flags() const noexcept {
  uint32_t f = 0;
  if (serial_consistency) f |= kQueryFlagSerialConsistency;
  if (timestamp) f |= kQueryFlagDefaultTimestamp;
  if (keyspace) f |= kQueryFlagKeyspace;
  if (now_in_seconds) f |= kQueryFlagNowInSeconds;
  return f;
}

Opcode RequestOpcode(const Request& request) {
  return std::visit(
      [](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, StartupRequest>) return Opcode::kStartup;
        if constexpr (std::is_same_v<T, AuthResponseRequest>) return Opcode::kAuthResponse;
        if constexpr (std::is_same_v<T, OptionsRequest>) return Opcode::kOptions;
        if constexpr (std::is_same_v<T, QueryRequest>) return Opcode::kQuery;
        if constexpr (std::is_same_v<T, PrepareRequest>) return Opcode::kPrepare;
        if constexpr (std::is_same_v<T, ExecuteRequest>) return Opcode::kExecute;
        if constexpr (std::is_same_v<T, BatchRequest>) return Opcode::kBatch;
        if constexpr (std::is_same_v<T, RegisterRequest>) return Opcode::kRegister;
      },
      request);
}

Result<Request> DecodeRequest(Opcode opcode, BytesView message, int protocol_version) {
  CQLBULK_RETURN_IF_ERROR(CheckProtocolVersion(protocol_version));
  ProtocolReader in(message);
  CQLBULK_ASSIGN_OR_RETURN(Request r, ReadRequest(in, opcode, protocol_version));
  CQLBULK_RETURN_IF_ERROR(ExpectEnd(in, opcode));
  return r;
}

Status EncodeRequest(ProtocolWriter& out, const Request& request, int version) {
  CQLBULK_RETURN_IF_ERROR(CheckProtocolVersion(version));
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, StartupRequest>) {
          out.WriteStringMap(r.options);
        } else if constexpr (std::is_same_v<T, AuthResponseRequest>) {
          out.WriteOptionalBytes(r.token);
        } else if constexpr (std::is_same_v<T, OptionsRequest>) {
          // empty body
        } else if constexpr (std::is_same_v<T, QueryRequest>) {
          out.WriteLongString(r.query);
          WriteQueryParameters(out, r.params, version);
        } else if constexpr (std::is_same_v<T, PrepareRequest>) {
          out.WriteLongString(r.query);
          if (version >= 5) {
            out.WriteU32(r.keyspace ? kPrepareFlagKeyspace : 0);
            if (r.keyspace) out.WriteString(*r.keyspace);
          } else if (r.keyspace) {
            out.Fail(InvalidArgument("PREPARE with a keyspace needs protocol v5"));
          }
        } else if constexpr (std::is_same_v<T, ExecuteRequest>) {
          out.WriteShortBytes(r.id);
          if (version >= 5) out.WriteShortBytes(r.result_metadata_id);
          WriteQueryParameters(out, r.params, version);
        } else if constexpr (std::is_same_v<T, BatchRequest>) {
          WriteBatch(out, r, version);
        } else if constexpr (std::is_same_v<T, RegisterRequest>) {
          out.WriteStringList(r.events);
        }
      },
      request);
  return out.status();
}

Result<Bytes> EncodeRequest(const Request& request, int protocol_version) {
  ProtocolWriter out;
  CQLBULK_RETURN_IF_ERROR(EncodeRequest(out, request, protocol_version));
  return std::move(out).Finish();
}

}  // namespace cqlbulk::cql
