// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/frame.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/protocol/query_parameters.h"

namespace cqlbulk::cql {

/// STARTUP (§4.1.1): a [string map] of options ("CQL_VERSION", "COMPRESSION", ...).
struct StartupRequest {
  StringMap options;
  friend bool operator==(const StartupRequest&, const StartupRequest&) = default;
};

/// AUTH_RESPONSE (§4.1.2): a [bytes] token (may be null).
struct AuthResponseRequest {
  std::optional<Bytes> token;
  friend bool operator==(const AuthResponseRequest&, const AuthResponseRequest&) = default;
};

/// OPTIONS (§4.1.3): empty body.
struct OptionsRequest {
  friend bool operator==(const OptionsRequest&, const OptionsRequest&) = default;
};

/// QUERY (§4.1.4).
struct QueryRequest {
  std::string query;
  QueryParameters params;
  friend bool operator==(const QueryRequest&, const QueryRequest&) = default;
};

/// PREPARE (§4.1.5). v5 adds [int] flags with 0x01 = keyspace present.
struct PrepareRequest {
  std::string query;
  std::optional<std::string> keyspace;  ///< v5 only
  friend bool operator==(const PrepareRequest&, const PrepareRequest&) = default;
};

/// EXECUTE (§4.1.6). v5 sends the result metadata id after the prepared id.
struct ExecuteRequest {
  Bytes id;
  Bytes result_metadata_id;  ///< v5 only
  QueryParameters params;
  friend bool operator==(const ExecuteRequest&, const ExecuteRequest&) = default;
};

/// BATCH <type> (§4.1.7).
enum class BatchType : uint8_t { kLogged = 0, kUnlogged = 1, kCounter = 2 };
std::string_view BatchTypeName(BatchType type);  ///< "LOGGED", "UNLOGGED", "COUNTER"

/// One <query_i> of a BATCH: a query string (kind 0) or a prepared id (kind 1), and values.
struct BatchStatement {
  bool is_prepared = false;
  std::string query;  ///< kind 0
  Bytes id;           ///< kind 1
  std::vector<BoundValue> values;
  friend bool operator==(const BatchStatement&, const BatchStatement&) = default;
};

/// \brief BATCH statements serialized by their writer, back to back as §4.1.7 lays out each
/// <query_i> (its kind, the query or prepared id, a [short] n, n [value]s): the same bytes in
/// v4 and v5. A bulk writer appends its rows straight into one buffer (AppendPreparedHead, then
/// the values as EncodedValues describes) instead of a BatchStatement per row.
struct EncodedStatements {
  uint16_t count = 0;  ///< statements in `bytes` (or `borrowed`)
  Bytes bytes;
  /// Instead of `bytes` when not empty: statements the caller owns and leaves unchanged until
  /// the request is answered (a bulk writer's buffer, sent without a copy of its own).
  BytesView borrowed;
  BytesView view() const noexcept { return borrowed.empty() ? BytesView(bytes) : borrowed; }
  friend bool operator==(const EncodedStatements& a, const EncodedStatements& b) {
    return a.count == b.count && std::ranges::equal(a.view(), b.view());
  }
};

/// Appends the head of a prepared <query_i> to `out`: kind 1, the [short bytes] `id`, the
/// [short] `num_values` of the [value]s the caller appends next. `id` is at most 65535 bytes
/// (a prepared id is an MD5 digest: 16).
void AppendPreparedHead(Bytes& out, BytesView id, uint16_t num_values);

/// The statements `encoded` holds, decoded. kProtocol when they are malformed, or more or
/// fewer than its count.
Result<std::vector<BatchStatement>> DecodeStatements(const EncodedStatements& encoded);

/// BATCH (§4.1.7). Flags are derived from the optional fields, as for QueryParameters.
/// Names for values (flag 0x40) are not supported: the spec says the feature "does not work
/// and should not be used" (CASSANDRA-10246), and Cassandra rejects it.
struct BatchRequest {
  BatchType type = BatchType::kLogged;
  std::vector<BatchStatement> statements;
  /// More statements, serialized by the caller: sent after `statements`. Never set by
  /// DecodeRequest, which reads every statement into `statements`.
  EncodedStatements encoded;
  Consistency consistency = Consistency::kLocalOne;
  std::optional<Consistency> serial_consistency;
  std::optional<int64_t> timestamp;
  std::optional<std::string> keyspace;     ///< v5 only
  std::optional<int32_t> now_in_seconds;  ///< v5 only

  uint32_t flags() const noexcept;
  friend bool operator==(const BatchRequest&, const BatchRequest&) = default;
};

/// REGISTER (§4.1.8): event types ("TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE").
struct RegisterRequest {
  std::vector<std::string> events;
  friend bool operator==(const RegisterRequest&, const RegisterRequest&) = default;
};

/// \brief Any request message.
using Request = std::variant<StartupRequest, AuthResponseRequest, OptionsRequest, QueryRequest,
                             PrepareRequest, ExecuteRequest, BatchRequest, RegisterRequest>;

Opcode RequestOpcode(const Request& request);

/// Decodes a request message body (after the envelope). kProtocol if malformed, if the
/// opcode is not a request, or for trailing bytes after the message.
Result<Request> DecodeRequest(Opcode opcode, BytesView message, int protocol_version);
/// Appends a request message body. kInvalidArgument for values the protocol cannot carry
/// (oversized strings, v5-only fields in v4).
Status EncodeRequest(ProtocolWriter& out, const Request& request, int protocol_version);
Result<Bytes> EncodeRequest(const Request& request, int protocol_version);

}  // namespace cqlbulk::cql
