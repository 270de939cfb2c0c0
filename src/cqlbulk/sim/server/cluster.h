// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/engine/engine.h"
#include "cqlbulk/sim/server/faults.h"
#include "cqlbulk/sim/server/server_session.h"

namespace cqlbulk::sim {

/// \brief TLS on the native port (PEM files).
struct TlsConfig {
  std::string cert_file;
  std::string key_file;
  std::string ca_file;               ///< verifies client certificates
  bool require_client_auth = false;  ///< refuse clients without a certificate the CA signed
};

/// \brief How to lay out and serve a simulated cluster.
struct ClusterOptions {
  uint32_t nodes = 3;
  uint32_t vnodes = 16;
  uint32_t datacenters = 1;
  uint32_t racks = 1;
  /// Node i listens on this address plus i (127.0.0.1, 127.0.0.2, ...).
  std::string first_address = "127.0.0.1";
  uint16_t port = 9042;
  std::string cluster_name = "cqlsim";
  uint64_t token_seed = 1;
  /// Explicit tokens per node (overrides token_seed and vnodes when not empty).
  std::vector<std::vector<int64_t>> tokens;
  ServerConfig server;
  std::optional<TlsConfig> tls;
  /// Where schema and data persist across restarts; empty keeps everything in memory.
  std::string data_dir;
  int io_threads = 2;
};

/// \brief N Cassandra-compatible nodes served from one process on loopback addresses.
///
/// Start() binds every node's port and returns once all accept connections. Thread-safe.
class Cluster {
 public:
  /// kInvalidArgument for bad options; kIo when a port cannot be bound (the message names
  /// the address) or the data directory cannot be read.
  static Result<std::unique_ptr<Cluster>> Start(ClusterOptions options);
  ~Cluster();
  Cluster(const Cluster&) = delete;
  Cluster& operator=(const Cluster&) = delete;

  /// Stops serving, saves to the data directory if there is one, and joins the I/O threads.
  Status Stop();

  size_t num_nodes() const;
  /// "127.0.0.2"
  std::string address(ring::HostIndex node) const;
  uint16_t port() const;
  /// The node whose address is `address`, if any.
  std::optional<ring::HostIndex> FindNode(std::string_view address) const;

  /// A stopped node closes its port and connections; the others push STATUS_CHANGE DOWN and
  /// stop counting it as a live replica. kInvalidArgument for an unknown node.
  Status StopNode(ring::HostIndex node);
  /// Serves again and pushes STATUS_CHANGE UP.
  Status StartNode(ring::HostIndex node);
  bool is_up(ring::HostIndex node) const;

  NodeFaults& faults(ring::HostIndex node);
  Engine& engine();
  TopologyPtr topology() const;

  /// One line per node: address, dc, rack, up/down, faults, coordinator counters.
  std::string Describe() const;

 private:
  struct Impl;
  explicit Cluster(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace cqlbulk::sim
