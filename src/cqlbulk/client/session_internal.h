// SPDX-License-Identifier: Apache-2.0
// Session internals shared by session.cc (life cycle), session_control.cc (control
// connection, topology, events) and session_execute.cc (requests, retries, preparing).
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "cqlbulk/client/async_util.h"
#include "cqlbulk/client/connection.h"
#include "cqlbulk/client/query_plan.h"
#include "cqlbulk/client/session.h"

namespace cqlbulk::client {

/// \brief The I/O threads: one io_context each, kept alive by a work guard until Stop.
class IoThreads {
 public:
  explicit IoThreads(int count);
  ~IoThreads() { Stop(); }
  asio::any_io_executor executor(size_t i) const {
    return contexts_[i % contexts_.size()]->get_executor();
  }
  size_t size() const noexcept { return contexts_.size(); }
  /// Waits until every thread has run what was posted to it before this call.
  void Drain();
  void Stop();

 private:
  using Guard = asio::executor_work_guard<asio::io_context::executor_type>;
  std::vector<std::unique_ptr<asio::io_context>> contexts_;
  std::vector<std::optional<Guard>> guards_;
  std::vector<std::thread> threads_;
};

/// \brief The connections to one host, spread over the I/O threads, each kept open by a
/// coroutine that reconnects with exponential back-off.
class HostPool {
 public:
  HostPool(Session::Impl& session, std::string address, uint16_t port, size_t seed);
  void Start();
  /// The open connection with the fewest requests in flight, or null.
  std::shared_ptr<Connection> Pick() const;
  /// Retry connecting now (a host came up).
  void Poke();
  void Stop();

  const std::string& endpoint() const noexcept { return endpoint_; }
  const std::string& address() const noexcept { return address_; }
  uint16_t port() const noexcept { return port_; }
  size_t num_open() const;
  AsyncSemaphore& permits() noexcept { return permits_; }
  HostStats stats() const;

  std::atomic<uint64_t> requests{0};
  std::atomic<uint64_t> errors{0};
  std::atomic<uint64_t> retries{0};
  std::atomic<uint64_t> timeouts{0};

 private:
  asio::awaitable<void> Maintain(size_t slot);

  Session::Impl& session_;
  std::string address_;
  uint16_t port_;
  std::string endpoint_;
  size_t seed_;
  AsyncSemaphore permits_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<Connection>> connections_;  ///< per slot; null when closed
  std::vector<std::unique_ptr<asio::steady_timer>> backoff_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> first_round_reported_{false};
  std::atomic<size_t> first_attempts_left_{0};
};

/// \brief What a request needs to route: the topology and the pool of each of its hosts.
struct RoutingState {
  TopologyPtr topology;
  std::vector<HostPool*> pools;  ///< by ring::HostIndex; pools outlive every state
};

struct Session::Impl {
  explicit Impl(SessionOptions opts);

  // session.cc
  std::shared_ptr<const RoutingState> state() const;
  void Publish(TopologyPtr topology);
  void SetHostUp(std::string_view address, uint16_t port, bool is_up);
  HostPool& PoolFor(const std::string& address, uint16_t port);
  ConnectionOptions MakeConnectionOptions(const std::string& address, uint16_t port) const;
  void OnPoolFirstRound();
  void CloseAll();

  // session_control.cc
  asio::awaitable<Status> ConnectControl();
  asio::awaitable<Status> Refresh();
  /// Refresh, reconnecting the control connection first if it is down.
  asio::awaitable<Status> RefreshOrReconnect();
  /// A system-table query on `connection` at ONE (a server error becomes an Error).
  asio::awaitable<Result<ResultPage>> SystemQuery(Connection& connection, std::string_view text);
  /// system.peers_v2, or system.peers on servers before Cassandra 4.0.
  asio::awaitable<Result<ResultPage>> SystemPeers(Connection& connection);
  /// Whether every live peer has the schema version of `connection`'s node, as it sees them.
  asio::awaitable<Result<bool>> SchemaAgreesAt(Connection& connection);
  /// After a schema change run on `via`: waits until `via`'s node (which has the new schema)
  /// sees every live peer on its version, and the refreshed topology agrees too, or the
  /// options' schema_agreement_timeout passes (then logs a warning, returns kUnavailable).
  asio::awaitable<Status> AwaitSchemaAgreement(std::shared_ptr<Connection> via);
  asio::awaitable<void> ControlLoop();
  void OnEvent(cql::Frame frame);

  // session_execute.cc
  asio::awaitable<Result<ResultPage>> Run(cql::Request request, std::string keyspace,
                                          std::optional<ring::Token> token, bool is_idempotent,
                                          std::optional<std::chrono::milliseconds> timeout,
                                          std::vector<PreparedPtr> prepared);
  asio::awaitable<Result<ResultPage>> Execute(Statement statement);
  asio::awaitable<Result<ResultPage>> ExecuteBatch(Batch batch);
  asio::awaitable<Result<PreparedPtr>> Prepare(std::string query, std::string keyspace);
  std::optional<ring::Token> TokenOf(const PreparedStatement& prepared,
                                     const std::vector<cql::BoundValue>& values) const;

  SessionOptions options;
  std::shared_ptr<asio::ssl::context> tls;
  int protocol_version = 5;
  std::string local_dc;

  AsyncSemaphore global_permits;
  AsyncSemaphore first_round;  ///< released once every pool tried its first connections
  std::atomic<uint64_t> rotation{0};
  std::atomic<bool> stopping{false};

  mutable std::mutex state_mu;
  std::shared_ptr<const RoutingState> state_;
  std::map<std::string, std::unique_ptr<HostPool>> pools;  ///< by endpoint; guarded by state_mu
  size_t pools_waiting = 0;                                ///< guarded by state_mu

  std::mutex prepared_mu;
  std::map<std::string, PreparedPtr> prepared_cache;

  // Control connection: touched only on I/O thread 0.
  std::shared_ptr<Connection> control;
  std::unique_ptr<asio::steady_timer> control_wakeup;
  bool refresh_requested = false;
  AsyncSemaphore control_lock{1};  ///< one ConnectControl at a time
  /// Refreshes interleave on thread 0: a refresh publishes only if none that started after
  /// it has published already (an older read must not hide a newer schema).
  uint64_t refreshes_started = 0;
  uint64_t refresh_published = 0;

  std::mutex rng_mu;
  std::mt19937_64 rng{std::random_device{}()};

  std::unique_ptr<IoThreads> io;  ///< last: destroyed first
};

}  // namespace cqlbulk::client
