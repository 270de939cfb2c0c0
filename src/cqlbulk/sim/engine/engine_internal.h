// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <random>
#include <shared_mutex>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/cql/protocol/error_response.h"
#include "cqlbulk/cql/protocol/events.h"
#include "cqlbulk/sim/engine/consistency.h"
#include "cqlbulk/sim/engine/engine.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/model/topology.h"
#include "cqlbulk/sim/parser/cql_ast.h"
#include "cqlbulk/sim/storage/storage.h"

/// Shared state of the engine and the error helpers its executors use.
namespace cqlbulk::sim::internal {

/// Errors carrying the CQL code they are answered with (Error::server_code).
Error InvalidRequest(std::string message);      ///< 0x2200
Error SyntaxError(std::string message);         ///< 0x2000
Error ConfigurationError(std::string message);  ///< 0x2300
Error UnauthorizedError(std::string message);   ///< 0x2100
Error ServerError(std::string message);         ///< 0x0000

/// The ERROR response for `error` (kInvalidArgument without a code answers Invalid).
cql::ErrorResponse ToErrorResponse(const Error& error);
Reply ErrorReply(const Error& error);
Reply ErrorReply(cql::ErrorResponse error);
Reply ResultReply(cql::ResultResponse result);

/// \brief A statement PREPAREd on any node (the cache is cluster-wide).
struct PreparedStatement {
  Bytes id;
  std::string query;
  std::string keyspace;  ///< the keyspace unqualified names resolve in
  ParsedStatement parsed;
};

/// \brief Everything the executors share: schema, topology, tables, clock.
struct EngineCore {
  EngineOptions options;

  mutable std::shared_mutex mutex;  ///< guards schema, topology, stores, listener
  SchemaPtr schema;
  TopologyPtr topology;
  std::map<Uuid, std::shared_ptr<TableStore>> stores;
  std::function<void(const cql::SchemaChangeEvent&)> listener;

  std::mutex ddl_mutex;  ///< serialises schema changes
  ReplicaCache replicas;

  std::mutex prepared_mutex;
  std::map<Bytes, std::shared_ptr<const PreparedStatement>> prepared;

  std::mutex stats_mutex;
  std::vector<NodeStats> stats;

  std::mutex rng_mutex;
  std::mt19937_64 rng{std::random_device{}()};
  std::atomic<int64_t> last_timestamp{0};

  int64_t NowMillis() const;
  int64_t NowSeconds() const { return NowMillis() / 1000; }
  /// Strictly increasing microseconds (Cassandra's client-state timestamps).
  int64_t NextTimestampMicros();
  uint64_t RandomU64();
  Uuid RandomUuid();
  /// A version 1 UUID for now().
  Uuid TimeUuid();

  SchemaPtr CurrentSchema() const;
  TopologyPtr CurrentTopology() const;
  std::shared_ptr<TableStore> Store(const Uuid& table_id) const;
  /// The stores of every table.
  std::vector<std::shared_ptr<TableStore>> AllStores() const;

  /// \brief Publishes `next` (its version set here) with the tables added/dropped, then tells
  /// the listener. Call with ddl_mutex held.
  void CommitSchema(std::shared_ptr<Schema> next, const cql::SchemaChange& change,
                    const std::vector<std::shared_ptr<const TableSchema>>& created,
                    const std::vector<Uuid>& dropped);

  void CountRequest(ring::HostIndex coordinator, bool routed, bool replica);
};

/// Engine::Handle.
Reply HandleRequest(EngineCore& core, const cql::Request& request, ring::HostIndex coordinator,
                    Session& session);
/// Engine::Save / Engine::Load.
Status SaveEngine(EngineCore& core, const std::string& directory);
Status LoadEngine(EngineCore& core, const std::string& directory);

}  // namespace cqlbulk::sim::internal
