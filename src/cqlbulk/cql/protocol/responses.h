// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/error_response.h"
#include "cqlbulk/cql/protocol/events.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/protocol/result_metadata.h"
#include "cqlbulk/cql/protocol/rows.h"

namespace cqlbulk::cql {

/// READY (§4.2.2): empty body.
struct ReadyResponse {
  friend bool operator==(const ReadyResponse&, const ReadyResponse&) = default;
};

/// AUTHENTICATE (§4.2.3): the IAuthenticator class name.
struct AuthenticateResponse {
  std::string authenticator;
  friend bool operator==(const AuthenticateResponse&, const AuthenticateResponse&) = default;
};

/// SUPPORTED (§4.2.4): a [string multimap] of STARTUP options and their values.
struct SupportedResponse {
  StringMultimap options;
  friend bool operator==(const SupportedResponse&, const SupportedResponse&) = default;
};

/// AUTH_CHALLENGE (§4.2.7): a [bytes] token.
struct AuthChallengeResponse {
  std::optional<Bytes> token;
  friend bool operator==(const AuthChallengeResponse&, const AuthChallengeResponse&) = default;
};

/// AUTH_SUCCESS (§4.2.8): a [bytes] token.
struct AuthSuccessResponse {
  std::optional<Bytes> token;
  friend bool operator==(const AuthSuccessResponse&, const AuthSuccessResponse&) = default;
};

/// RESULT Void (§4.2.5.1).
struct VoidResult {};
/// RESULT Set_keyspace (§4.2.5.3).
struct SetKeyspaceResult {
  std::string keyspace;
};
/// RESULT Prepared (§4.2.5.4). v5 adds the result metadata id.
struct PreparedResult {
  Bytes id;
  Bytes result_metadata_id;  ///< v5 only
  PreparedMetadata metadata;
  RowsMetadata result_metadata;
};
/// RESULT Schema_change (§4.2.5.5).
struct SchemaChangeResult {
  SchemaChange change;
};

/// \brief RESULT (§4.2.5). A Rows result borrows the body it was decoded from.
struct ResultResponse {
  std::variant<VoidResult, RowsResult, SetKeyspaceResult, PreparedResult, SchemaChangeResult>
      result;

  ResultKind kind() const noexcept;
};

Result<ResultResponse> ReadResult(ProtocolReader& in, int protocol_version);
void WriteResult(ProtocolWriter& out, const ResultResponse& result, int protocol_version);

/// \brief Any response message.
using Response = std::variant<ErrorResponse, ReadyResponse, AuthenticateResponse,
                              SupportedResponse, ResultResponse, EventResponse,
                              AuthChallengeResponse, AuthSuccessResponse>;

Opcode ResponseOpcode(const Response& response);

/// Decodes a response message body (after the envelope). Rows results borrow `message`.
/// kProtocol if malformed or if the opcode is not a response. Trailing bytes after a
/// message are allowed (§1: "the body ... may contain more data than what is described").
Result<Response> DecodeResponse(Opcode opcode, BytesView message, int protocol_version);
Status EncodeResponse(ProtocolWriter& out, const Response& response, int protocol_version);
Result<Bytes> EncodeResponse(const Response& response, int protocol_version);

}  // namespace cqlbulk::cql
