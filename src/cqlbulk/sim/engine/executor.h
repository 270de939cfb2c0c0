// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/cql/protocol/responses.h"
#include "cqlbulk/sim/engine/engine.h"
#include "cqlbulk/sim/engine/engine_internal.h"
#include "cqlbulk/sim/parser/cql_ast.h"

/// Statement execution: the executors behind Engine::Handle.
namespace cqlbulk::sim::internal {

/// \brief One request being executed: who coordinates, its parameters and bound values.
struct RequestContext {
  RequestContext(EngineCore& c, Session& s) : core(c), session(s) {}

  EngineCore& core;
  Session& session;
  ring::HostIndex coordinator = 0;
  int protocol_version = 4;
  /// The keyspace unqualified names resolve in (the query's, else the session's).
  std::string keyspace;
  cql::Consistency consistency = cql::Consistency::kLocalOne;
  std::optional<cql::Consistency> serial_consistency;
  std::optional<int64_t> timestamp;  ///< default timestamp from the request, microseconds
  std::optional<int32_t> page_size;
  const std::optional<Bytes>* paging_state = nullptr;
  bool skip_metadata = false;
  /// EXECUTE in v5: the result metadata id the client has (a different one is answered with
  /// the new metadata and its id).
  const Bytes* client_metadata_id = nullptr;
  /// Values by bind-marker index; nullptr where the marker has no value.
  std::vector<const cql::BoundValue*> bound;
  /// Set by executors for NodeStats.
  bool routed = false;
  bool replica = false;
  std::vector<std::string> warnings;

  int64_t now_millis = 0;  ///< fixed for the whole request
};

/// Maps the request's values to the statement's markers (by position or by name).
Status BindValues(const std::vector<BindMarker>& markers,
                  const std::vector<cql::BoundValue>& values,
                  const std::vector<std::string>& names, RequestContext& ctx);

/// Runs any statement (DDL, USE, DML, SELECT, BATCH). Never fails: errors become ERRORs.
Reply ExecuteStatement(RequestContext& ctx, const ParsedStatement& parsed);

// Per statement family (executor_*.cc).
Reply ExecuteDdl(RequestContext& ctx, const Statement& statement);
Reply ExecuteSelect(RequestContext& ctx, const SelectStatement& select);
Reply ExecuteModification(RequestContext& ctx, const ModificationStatement& statement);
/// \brief One statement of a batch with its own values (by marker index) and keyspace.
struct BatchItem {
  const ModificationStatement* statement = nullptr;
  std::vector<const cql::BoundValue*> bound;
  std::string keyspace;
};

/// Applies the statements of a BATCH (or a single modification when `is_batch` is false).
Reply ExecuteBatch(RequestContext& ctx, const std::vector<BatchItem>& items, cql::BatchType type,
                   const UsingClause& using_clause, bool is_batch);

/// \brief Resolves `[ks.]name` against the current schema: "unconfigured table x",
/// "Keyspace x does not exist", "No keyspace has been specified...".
Result<std::shared_ptr<const TableSchema>> ResolveTable(const Schema& schema,
                                                        const QualifiedName& name,
                                                        const std::string& keyspace);

/// The keyspace a name resolves in, or the error Cassandra gives when there is none.
Result<std::string> ResolveKeyspaceName(const std::string& qualifier, const std::string& current);

/// \brief The metadata of a PREPARED result: bind markers (with pk_indexes) and result columns.
Result<cql::PreparedResult> DescribePrepared(EngineCore& core, const ParsedStatement& parsed,
                                             const std::string& keyspace);

/// Result columns a SELECT returns (for PREPARED and for Rows metadata).
Result<std::vector<cql::ColumnSpec>> SelectColumns(const TableSchema& table,
                                                   const SelectStatement& select);

/// \brief MD5 over the result columns: the v5 result_metadata_id.
Bytes ResultMetadataId(const std::vector<cql::ColumnSpec>& columns);

}  // namespace cqlbulk::sim::internal
