// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/protocol/requests.h"
#include "cqlbulk/cql/protocol/result_metadata.h"
#include "cqlbulk/ring/token.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::client {

/// \brief A statement the server has prepared: immutable, shared by every EXECUTE of it.
struct PreparedStatement {
  std::string query;
  std::string keyspace;  ///< the keyspace it was prepared in (the cache key with `query`)
  Bytes id;
  Bytes result_metadata_id;            ///< v5
  cql::PreparedMetadata metadata;      ///< bind markers and partition-key indexes
  cql::RowsMetadata result_metadata;   ///< the columns a SELECT returns
};

using PreparedPtr = std::shared_ptr<const PreparedStatement>;

/// \brief One QUERY (text) or EXECUTE (prepared) with its parameters and routing.
///
/// Routing: `routing_token` (or SetRoutingRange for a range scan) makes the request go to a
/// replica of `keyspace`; for prepared statements whose partition key is bound, the session
/// computes the token itself when none is given.
struct Statement {
  std::string query;    ///< QUERY text; ignored when `prepared` is set
  PreparedPtr prepared;  ///< EXECUTE this
  std::vector<cql::BoundValue> values;
  /// Instead of `values`: the values serialized by the caller (a bulk writer's row). The
  /// session does not read them: give `routing_token` to route the statement.
  cql::EncodedValues encoded_values;
  cql::Consistency consistency = cql::Consistency::kLocalOne;
  std::optional<cql::Consistency> serial_consistency;
  std::optional<int32_t> page_size;
  std::optional<Bytes> paging_state;
  std::optional<int64_t> timestamp;  ///< default timestamp, microseconds
  /// The keyspace the data lives in (routing; and the request keyspace in v5). Empty: the
  /// session's keyspace, or the prepared statement's table.
  std::string keyspace;
  std::optional<ring::Token> routing_token;
  /// Safe to run twice: lost answers and write timeouts may then be retried elsewhere.
  bool is_idempotent = false;
  /// Per-request timeout; nullopt: the session's.
  std::optional<std::chrono::milliseconds> timeout;

  static Statement Query(std::string text) {
    Statement s;
    s.query = std::move(text);
    return s;
  }
  static Statement Execute(PreparedPtr prepared, std::vector<cql::BoundValue> values = {}) {
    Statement s;
    s.prepared = std::move(prepared);
    s.values = std::move(values);
    return s;
  }
  /// Routes to the replicas of a range that lies within one natural range.
  void SetRoutingRange(const ring::TokenRange& range) {
    routing_token = range.end().is_minimum() ? ring::Token::Max() : range.end();
  }
};

/// \brief One statement of a BATCH: text or prepared, with its values.
struct BatchEntry {
  std::string query;
  PreparedPtr prepared;
  std::vector<cql::BoundValue> values;
};

/// \brief A BATCH request (§4.1.7).
struct Batch {
  cql::BatchType type = cql::BatchType::kLogged;
  std::vector<BatchEntry> entries;
  /// More statements, serialized by the caller (a bulk writer's rows; sent after `entries`),
  /// and the prepared statements they execute (to prepare them again on a host that lost
  /// them). The session does not read them: give `routing_token` to route the batch.
  cql::EncodedStatements encoded;
  std::vector<PreparedPtr> encoded_prepared;
  cql::Consistency consistency = cql::Consistency::kLocalOne;
  std::optional<cql::Consistency> serial_consistency;
  std::optional<int64_t> timestamp;
  std::string keyspace;
  std::optional<ring::Token> routing_token;
  bool is_idempotent = false;
  std::optional<std::chrono::milliseconds> timeout;
};

}  // namespace cqlbulk::client
