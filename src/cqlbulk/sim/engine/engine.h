// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/cql/protocol/events.h"
#include "cqlbulk/cql/protocol/requests.h"
#include "cqlbulk/cql/protocol/responses.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/model/topology.h"
#include "cqlbulk/sim/storage/compaction_policy.h"

namespace cqlbulk::sim {

/// \brief Per-connection state the engine reads and updates (USE changes the keyspace).
struct Session {
  std::string keyspace;
  int protocol_version = 4;
};

/// \brief The answer to one request: a response message, or an already-encoded RESULT body
/// (a Rows page, written straight into its final bytes), plus warnings for the envelope.
struct Reply {
  std::variant<cql::Response, Bytes> message;
  std::vector<std::string> warnings;
};

/// \brief Requests each node coordinated; a token-aware client makes `replica_requests`
/// equal `requests` for the statements that have a routing token.
struct NodeStats {
  uint64_t requests = 0;          ///< QUERY, EXECUTE and BATCH this node coordinated
  uint64_t routed_requests = 0;   ///< of those, the ones that touch one token or token range
  uint64_t replica_requests = 0;  ///< of the routed ones, those where this node is a replica
};

struct EngineOptions {
  /// Milliseconds since the epoch; tests replace it to expire TTLs.
  std::function<int64_t()> now_millis;
  /// When each table's storage compacts.
  CompactionPolicy compaction;
};

/// \brief The data and the CQL of the whole simulated cluster: schema, storage, prepared
/// statements and the execution of QUERY, PREPARE, EXECUTE and BATCH. Data is stored once;
/// replication shows in what consistency levels allow (a coordinator refuses with
/// Unavailable when too few replicas of the data touched are up).
///
/// Thread-safe: node servers on several I/O threads call Handle concurrently.
class Engine {
 public:
  explicit Engine(EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  /// Replaces the topology (node up/down, start-up).
  void SetTopology(TopologyPtr topology);
  TopologyPtr topology() const;
  SchemaPtr schema() const;

  /// Called after every schema change with the event to push to REGISTERed connections.
  void SetSchemaListener(std::function<void(const cql::SchemaChangeEvent&)> listener);

  /// Executes QUERY, PREPARE, EXECUTE or BATCH coordinated by `coordinator`. Never fails:
  /// problems become ERROR responses with Cassandra's codes and messages.
  Reply Handle(const cql::Request& request, ring::HostIndex coordinator, Session& session);

  NodeStats stats(ring::HostIndex node) const;
  void ResetStats();

  /// Forgets every prepared statement, as a restarted Cassandra does: the next EXECUTE of an
  /// old id gets UNPREPARED and a driver must prepare again.
  void ForgetPreparedStatements();

  /// \brief Background compaction, as a Cassandra node compacts between requests: compacts each
  /// table written to before the previous call and not since (so idle for at least the time
  /// between two calls). Cluster calls it periodically. Returns the number of tables compacted.
  size_t CompactIdleTables();
  /// Compacts every table now (tests and benchmarks).
  void CompactTables();

  /// Writes schema and data to `directory` / reads them back (cqlsim --data-dir). Load of a
  /// directory holding neither file leaves the engine empty (a new data directory).
  Status Save(const std::string& directory) const;
  Status Load(const std::string& directory);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cqlbulk::sim
