// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/protocol/responses.h"

#include <string>
#include <type_traits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/protocol/query_parameters.h"

namespace cqlbulk::cql {
namespace {

Result<std::optional<Bytes>> ReadToken(ProtocolReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(std::optional<BytesView> token, in.ReadBytesField());
  if (!token) {
    return std::optional<Bytes>();
  }
  return std::optional<Bytes>(Bytes(token->begin(), token->end()));
}

Result<PreparedResult> ReadPrepared(ProtocolReader& in, int version) {
  PreparedResult p;
  CQLBULK_ASSIGN_OR_RETURN(BytesView id, in.ReadShortBytes());
  p.id.assign(id.begin(), id.end());
  if (version >= 5) {
    CQLBULK_ASSIGN_OR_RETURN(BytesView mid, in.ReadShortBytes());
    p.result_metadata_id.assign(mid.begin(), mid.end());
  }
  CQLBULK_ASSIGN_OR_RETURN(p.metadata, ReadPreparedMetadata(in, version));
  CQLBULK_ASSIGN_OR_RETURN(p.result_metadata, ReadRowsMetadata(in, version));
  return p;
}

Result<Response> ReadResponse(ProtocolReader& in, Opcode opcode, int version) {
  switch (opcode) {
    case Opcode::kError: {
      CQLBULK_ASSIGN_OR_RETURN(ErrorResponse e, ReadErrorResponse(in, version));
      return Response(std::move(e));
    }
    case Opcode::kReady:
      return Response(ReadyResponse{});
    case Opcode::kAuthenticate: {
      CQLBULK_ASSIGN_OR_RETURN(std::string_view name, in.ReadString());
      return Response(AuthenticateResponse{std::string(name)});
    }
    case Opcode::kSupported: {
      CQLBULK_ASSIGN_OR_RETURN(StringMultimap options, in.ReadStringMultimap());
      return Response(SupportedResponse{std::move(options)});
    }
    case Opcode::kResult: {
      CQLBULK_ASSIGN_OR_RETURN(ResultResponse r, ReadResult(in, version));
      return Response(std::move(r));
    }
    case Opcode::kEvent: {
      CQLBULK_ASSIGN_OR_RETURN(EventResponse e, ReadEvent(in));
      return Response(std::move(e));
    }
    case Opcode::kAuthChallenge: {
      CQLBULK_ASSIGN_OR_RETURN(std::optional<Bytes> token, ReadToken(in));
      return Response(AuthChallengeResponse{std::move(token)});
    }
    case Opcode::kAuthSuccess: {
      CQLBULK_ASSIGN_OR_RETURN(std::optional<Bytes> token, ReadToken(in));
      return Response(AuthSuccessResponse{std::move(token)});
    }
    default:
      return ProtocolError(std::string(OpcodeName(opcode)) + " is not a response");
  }
}

}  // namespace

ResultKind ResultResponse::kind() const noexcept {
  return static_cast<ResultKind>(static_cast<int32_t>(result.index()) + 1);
}

Result<ResultResponse> ReadResult(ProtocolReader& in, int version) {
  CQLBULK_ASSIGN_OR_RETURN(int32_t kind, in.ReadI32());
  switch (static_cast<ResultKind>(kind)) {
    case ResultKind::kVoid:
      return ResultResponse{VoidResult{}};
    case ResultKind::kRows: {
      CQLBULK_ASSIGN_OR_RETURN(RowsResult rows, ReadRowsResult(in, version));
      return ResultResponse{std::move(rows)};
    }
    case ResultKind::kSetKeyspace: {
      CQLBULK_ASSIGN_OR_RETURN(std::string_view ks, in.ReadString());
      return ResultResponse{SetKeyspaceResult{std::string(ks)}};
    }
    case ResultKind::kPrepared: {
      CQLBULK_ASSIGN_OR_RETURN(PreparedResult p, ReadPrepared(in, version));
      return ResultResponse{std::move(p)};
    }
    case ResultKind::kSchemaChange: {
      CQLBULK_ASSIGN_OR_RETURN(SchemaChange c, ReadSchemaChange(in));
      return ResultResponse{SchemaChangeResult{std::move(c)}};
    }
  }
  return in.Malformed("unknown RESULT kind " + std::to_string(kind));
}

void WriteResult(ProtocolWriter& out, const ResultResponse& result, int version) {
  if (const auto* rows = std::get_if<RowsResult>(&result.result)) {
    WriteRowsResult(out, *rows, version);
    return;
  }
  out.WriteI32(static_cast<int32_t>(result.kind()));
  if (const auto* ks = std::get_if<SetKeyspaceResult>(&result.result)) {
    out.WriteString(ks->keyspace);
  } else if (const auto* p = std::get_if<PreparedResult>(&result.result)) {
    out.WriteShortBytes(p->id);
    if (version >= 5) {
      out.WriteShortBytes(p->result_metadata_id);
    }
    WritePreparedMetadata(out, p->metadata, version);
    WriteRowsMetadata(out, p->result_metadata, version);
  } else if (const auto* c = std::get_if<SchemaChangeResult>(&result.result)) {
    WriteSchemaChange(out, c->change);
  }
}

Opcode ResponseOpcode(const Response& response) {
  constexpr Opcode kOpcodes[] = {Opcode::kError,     Opcode::kReady,  Opcode::kAuthenticate,
                                 Opcode::kSupported, Opcode::kResult, Opcode::kEvent,
                                 Opcode::kAuthChallenge, Opcode::kAuthSuccess};
  static_assert(std::size(kOpcodes) == std::variant_size_v<Response>);
  return kOpcodes[response.index()];
}

Result<Response> DecodeResponse(Opcode opcode, BytesView message, int protocol_version) {
  CQLBULK_RETURN_IF_ERROR(CheckProtocolVersion(protocol_version));
  ProtocolReader in(message);
  return ReadResponse(in, opcode, protocol_version);
}

Status EncodeResponse(ProtocolWriter& out, const Response& response, int version) {
  CQLBULK_RETURN_IF_ERROR(CheckProtocolVersion(version));
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, ErrorResponse>) {
          WriteErrorResponse(out, r, version);
        } else if constexpr (std::is_same_v<T, AuthenticateResponse>) {
          out.WriteString(r.authenticator);
        } else if constexpr (std::is_same_v<T, SupportedResponse>) {
          out.WriteStringMultimap(r.options);
        } else if constexpr (std::is_same_v<T, ResultResponse>) {
          WriteResult(out, r, version);
        } else if constexpr (std::is_same_v<T, EventResponse>) {
          WriteEvent(out, r);
        } else if constexpr (std::is_same_v<T, AuthChallengeResponse> ||
                             std::is_same_v<T, AuthSuccessResponse>) {
          out.WriteOptionalBytes(r.token);
        }
      },
      response);
  return out.status();
}

Result<Bytes> EncodeResponse(const Response& response, int protocol_version) {
  ProtocolWriter out;
  CQLBULK_RETURN_IF_ERROR(EncodeResponse(out, response, protocol_version));
  return std::move(out).Finish();
}

}  // namespace cqlbulk::cql
