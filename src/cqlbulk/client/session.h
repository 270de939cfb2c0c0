// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/client/options.h"
#include "cqlbulk/client/result_page.h"
#include "cqlbulk/client/statement.h"
#include "cqlbulk/client/topology.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::client {

/// \brief Counters of one host (monotonic, read without locks).
struct HostStats {
  std::string endpoint;
  bool is_up = false;
  size_t num_connections = 0;
  size_t num_in_flight = 0;
  uint64_t requests = 0;  ///< attempts sent to this host
  uint64_t errors = 0;    ///< attempts that failed (any reason)
  uint64_t retries = 0;   ///< attempts that were retries of a failed one
  uint64_t timeouts = 0;
};

/// \brief A connection to a cluster: pools per host, token-aware routing, retries, paging,
/// prepared statements, topology and schema kept current from events.
///
/// Threading: a fixed set of I/O threads (`io_threads`), each with its own io_context; every
/// connection lives on one of them. The coroutines below may be awaited from any executor
/// (the session's threads or the caller's own io_context, e.g. through RunSync); they resume
/// on the caller's executor. The object is thread-safe.
class Session {
 public:
  /// \brief Connects to the first contact point that answers, reads the topology and schema,
  /// and opens the pools.
  ///
  /// kInvalidArgument for bad options, failed authentication or an untrusted certificate
  /// (never retried); kUnavailable when no contact point can be reached (the message names
  /// each host:port tried and why).
  static asio::awaitable<Result<std::unique_ptr<Session>>> Connect(SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  /// \brief Runs one QUERY or EXECUTE (one page). Routed to a replica when the statement
  /// carries routing; retried on the next host per the retry policy; re-prepared on
  /// UNPREPARED. DDL waits until the topology snapshot shows the change.
  ///
  /// Errors: the server's (kServer with its code, kTimeout, kUnavailable, kOverloaded), or
  /// kUnavailable when no host is up; retried failures name the hosts tried.
  asio::awaitable<Result<ResultPage>> Execute(Statement statement);
  asio::awaitable<Result<ResultPage>> Execute(std::string_view query);
  asio::awaitable<Result<ResultPage>> ExecuteBatch(Batch batch);

  /// \brief Prepares `query` (cached per query and keyspace: preparing twice asks once).
  asio::awaitable<Result<PreparedPtr>> Prepare(std::string query, std::string keyspace = {});

  /// \brief The latest snapshot; never null after Connect.
  TopologyPtr topology() const;
  /// Re-reads system tables now (also done on TOPOLOGY_CHANGE / SCHEMA_CHANGE events).
  asio::awaitable<Status> RefreshTopology();

  std::vector<HostStats> host_stats() const;
  int protocol_version() const;
  /// The data center treated as local.
  const std::string& local_dc() const;
  /// An executor of one of the session's I/O threads (for co_spawn by callers).
  asio::any_io_executor executor() const;

  /// Closes every connection and joins the I/O threads. Pending requests fail. Idempotent.
  void Close();

  struct Impl;

 private:
  explicit Session(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace cqlbulk::client
