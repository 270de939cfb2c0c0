// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/server/cluster.h"

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <random>
#include <sstream>
#include <stop_token>
#include <thread>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/ring/token_allocation.h"
#include "cqlbulk/sim/server/connection_internal.h"

namespace cqlbulk::sim {

using asio::ip::tcp;
using internal::ConnectionBase;
using internal::kNoThrow;

namespace {

/// How often the cluster looks for tables to compact in the background; a table qualifies
/// when nothing wrote to it for a whole period.
constexpr std::chrono::milliseconds kCompactionPeriod{200};

/// A random-looking but reproducible host id per node (version-4 layout).
Uuid MakeHostId(std::mt19937_64& rng) {
  Uuid id;
  for (size_t i = 0; i < 16; i += 8) {
    StoreBE64(id.bytes.data() + i, rng());
  }
  id.bytes[6] = static_cast<uint8_t>((id.bytes[6] & 0x0f) | 0x40);
  id.bytes[8] = static_cast<uint8_t>((id.bytes[8] & 0x3f) | 0x80);
  return id;
}

Result<std::vector<NodeInfo>> LayOutNodes(const ClusterOptions& options) {
  uint32_t count = options.tokens.empty() ? options.nodes
                                          : static_cast<uint32_t>(options.tokens.size());
  CQLBULK_ASSIGN_OR_RETURN(auto hosts, ring::LayoutHosts(options.first_address, count,
                                                          options.datacenters, options.racks));
  if (options.tokens.empty() && options.vnodes == 0) {
    return InvalidArgument("--vnodes must be at least 1");
  }
  auto generated = options.tokens.empty()
                       ? ring::GenerateRandomTokens(options.token_seed, count, options.vnodes)
                       : std::vector<std::vector<ring::Token>>{};
  std::mt19937_64 rng(options.token_seed ^ 0x5eedf00dull);
  std::vector<NodeInfo> nodes;
  for (uint32_t i = 0; i < count; ++i) {
    NodeInfo n;
    n.address = hosts[i].address;
    n.native_port = options.port;
    n.datacenter = hosts[i].datacenter;
    n.rack = hosts[i].rack;
    n.host_id = MakeHostId(rng);
    if (options.tokens.empty()) {
      n.tokens = generated[i];
    } else {
      for (int64_t t : options.tokens[i]) n.tokens.emplace_back(t);
      std::sort(n.tokens.begin(), n.tokens.end());
    }
    nodes.push_back(std::move(n));
  }
  return nodes;
}

cql::InetAddress InetOf(const NodeInfo& node) {
  asio::error_code ec;
  auto address = asio::ip::make_address_v4(node.address, ec);
  auto bytes = address.to_bytes();
  return {Bytes(bytes.begin(), bytes.end()), node.native_port};
}

}  // namespace

struct NodeServer {
  ring::HostIndex index = 0;
  tcp::endpoint endpoint;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::mutex mu;  ///< guards connections
  std::vector<std::weak_ptr<ConnectionBase>> connections;
  NodeFaults faults;
};

struct Cluster::Impl {
  ClusterOptions options;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  std::vector<std::thread> threads;
  Engine engine;
  std::vector<std::unique_ptr<NodeServer>> nodes;
  std::optional<asio::ssl::context> ssl;
  std::mutex admin_mu;  ///< serialises StopNode / StartNode / Stop
  bool stopped = false;
  /// Runs Engine::CompactIdleTables every kCompactionPeriod (last: stops before the rest goes).
  std::jthread compactor;

  Status Listen(NodeServer& node) {
    auto acceptor = std::make_unique<tcp::acceptor>(io);
    asio::error_code ec;
    std::string where = node.endpoint.address().to_string() + ":" +
                        std::to_string(node.endpoint.port());
    acceptor->open(node.endpoint.protocol(), ec);
    if (!ec) acceptor->set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor->bind(node.endpoint, ec);
    if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return IoError("cannot listen on " + where + ": " + ec.message());
    }
    node.acceptor = std::move(acceptor);
    asio::co_spawn(io, AcceptLoop(node, *node.acceptor), asio::detached);
    return {};
  }

  asio::awaitable<void> AcceptLoop(NodeServer& node, tcp::acceptor& acceptor) {
    while (true) {
      tcp::socket socket(asio::make_strand(io));
      auto [ec] = co_await acceptor.async_accept(socket, kNoThrow);
      if (ec) {
        if (ec == asio::error::operation_aborted || !acceptor.is_open()) co_return;
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      std::shared_ptr<ConnectionBase> connection;
      asio::any_io_executor executor = socket.get_executor();
      if (ssl) {
        auto c = std::make_shared<internal::Connection<asio::ssl::stream<tcp::socket>>>(
            asio::ssl::stream<tcp::socket>(std::move(socket), *ssl), engine, node.index,
            options.server, node.faults);
        asio::co_spawn(executor, c->Run(), asio::detached);
        connection = c;
      } else {
        auto c = std::make_shared<internal::Connection<tcp::socket>>(
            std::move(socket), engine, node.index, options.server, node.faults);
        asio::co_spawn(executor, c->Run(), asio::detached);
        connection = c;
      }
      std::lock_guard lock(node.mu);
      std::erase_if(node.connections, [](const auto& w) { return w.expired(); });
      node.connections.push_back(connection);
    }
  }

  void CompactIdleTables(std::stop_token stop) {
    std::mutex mu;
    std::condition_variable_any wake;
    std::unique_lock lock(mu);
    auto stopped = [&stop] { return stop.stop_requested(); };
    while (!wake.wait_for(lock, stop, kCompactionPeriod, stopped)) {
      engine.CompactIdleTables();
    }
  }

  /// Sends `event` to every registered connection of every node but `except`.
  void Broadcast(const cql::EventResponse& event, std::optional<ring::HostIndex> except) {
    for (auto& node : nodes) {
      if (except && node->index == *except) continue;
      std::lock_guard lock(node->mu);
      for (auto& weak : node->connections) {
        if (auto c = weak.lock()) c->PushEvent(event);
      }
    }
  }

  void CloseConnections(NodeServer& node) {
    std::lock_guard lock(node.mu);
    for (auto& weak : node.connections) {
      if (auto c = weak.lock()) c->Close();
    }
    node.connections.clear();
  }

  Status SetUp(ring::HostIndex index, bool up) {
    std::lock_guard lock(admin_mu);
    if (index >= nodes.size()) {
      return InvalidArgument("no node " + std::to_string(index + 1) + " (the cluster has " +
                             std::to_string(nodes.size()) + ")");
    }
    TopologyPtr current = engine.topology();
    if (current->is_up(index) == up) return {};
    NodeServer& node = *nodes[index];
    if (up) {
      CQLBULK_RETURN_IF_ERROR(Listen(node));
    } else {
      asio::error_code ignored;
      node.acceptor->close(ignored);
      CloseConnections(node);
    }
    engine.SetTopology(WithNodeStatus(*current, index, up));
    cql::EventResponse event;
    event.event = cql::StatusChangeEvent{up ? cql::StatusChangeType::kUp : cql::StatusChangeType::kDown,
                                         InetOf(current->nodes[index])};
    Broadcast(event, index);
    return {};
  }
};

Cluster::Cluster(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Cluster::~Cluster() { (void)Stop(); }

Result<std::unique_ptr<Cluster>> Cluster::Start(ClusterOptions options) {
  if (options.io_threads < 1) return InvalidArgument("io threads must be at least 1");
  CQLBULK_ASSIGN_OR_RETURN(auto nodes, LayOutNodes(options));
  CQLBULK_ASSIGN_OR_RETURN(TopologyPtr topology, MakeTopology(options.cluster_name, std::move(nodes)));

  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  Impl& c = *impl;
  c.engine.SetTopology(topology);
  if (!c.options.data_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(c.options.data_dir, ec);
    if (ec) return IoError("cannot create data directory " + c.options.data_dir + ": " + ec.message());
    CQLBULK_RETURN_IF_ERROR(c.engine.Load(c.options.data_dir));
  }
  if (c.options.tls) {
    const TlsConfig& tls = *c.options.tls;
    c.ssl.emplace(asio::ssl::context::tls_server);
    asio::error_code ec;
    c.ssl->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1,
                       ec);
    c.ssl->use_certificate_chain_file(tls.cert_file, ec);
    if (ec) return IoError("cannot load TLS certificate " + tls.cert_file + ": " + ec.message());
    c.ssl->use_private_key_file(tls.key_file, asio::ssl::context::pem, ec);
    if (ec) return IoError("cannot load TLS key " + tls.key_file + ": " + ec.message());
    if (!tls.ca_file.empty()) {
      c.ssl->load_verify_file(tls.ca_file, ec);
      if (ec) return IoError("cannot load TLS CA " + tls.ca_file + ": " + ec.message());
    }
    if (tls.require_client_auth) {
      c.ssl->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert, ec);
    }
  }
  for (ring::HostIndex i = 0; i < topology->nodes.size(); ++i) {
    auto node = std::make_unique<NodeServer>();
    node->index = i;
    asio::error_code ec;
    node->endpoint = tcp::endpoint(asio::ip::make_address(topology->nodes[i].address, ec),
                                   c.options.port);
    CQLBULK_RETURN_IF_ERROR(c.Listen(*node));
    c.nodes.push_back(std::move(node));
  }
  c.engine.SetSchemaListener([&c](const cql::SchemaChangeEvent& change) {
    cql::EventResponse event;
    event.event = change;
    c.Broadcast(event, std::nullopt);
  });
  c.work.emplace(c.io.get_executor());
  for (int i = 0; i < c.options.io_threads; ++i) {
    c.threads.emplace_back([&c] { c.io.run(); });
  }
  c.compactor = std::jthread([&c](std::stop_token stop) { c.CompactIdleTables(stop); });
  return std::unique_ptr<Cluster>(new Cluster(std::move(impl)));
}

Status Cluster::Stop() {
  Impl& c = *impl_;
  {
    std::lock_guard lock(c.admin_mu);
    if (c.stopped) return {};
    c.stopped = true;
    for (auto& node : c.nodes) {
      asio::error_code ignored;
      if (node->acceptor) node->acceptor->close(ignored);
      c.CloseConnections(*node);
    }
  }
  c.work.reset();
  c.io.stop();
  for (auto& t : c.threads) t.join();
  c.threads.clear();
  if (c.compactor.joinable()) {
    c.compactor.request_stop();
    c.compactor.join();
  }
  if (!c.options.data_dir.empty()) {
    return c.engine.Save(c.options.data_dir);
  }
  return {};
}

size_t Cluster::num_nodes() const { return impl_->nodes.size(); }

std::string Cluster::address(ring::HostIndex node) const {
  return impl_->engine.topology()->nodes.at(node).address;
}

uint16_t Cluster::port() const { return impl_->options.port; }

std::optional<ring::HostIndex> Cluster::FindNode(std::string_view address) const {
  TopologyPtr t = impl_->engine.topology();
  for (ring::HostIndex i = 0; i < t->nodes.size(); ++i) {
    if (t->nodes[i].address == address) return i;
  }
  return std::nullopt;
}

Status Cluster::StopNode(ring::HostIndex node) { return impl_->SetUp(node, false); }
Status Cluster::StartNode(ring::HostIndex node) { return impl_->SetUp(node, true); }
bool Cluster::is_up(ring::HostIndex node) const { return impl_->engine.topology()->is_up(node); }
NodeFaults& Cluster::faults(ring::HostIndex node) { return impl_->nodes.at(node)->faults; }
Engine& Cluster::engine() { return impl_->engine; }
TopologyPtr Cluster::topology() const { return impl_->engine.topology(); }

std::string Cluster::Describe() const {
  TopologyPtr t = impl_->engine.topology();
  std::ostringstream out;
  for (ring::HostIndex i = 0; i < t->nodes.size(); ++i) {
    const NodeInfo& n = t->nodes[i];
    NodeStats s = impl_->engine.stats(i);
    out << "node" << (i + 1) << " " << n.address << ":" << n.native_port << " " << n.datacenter
        << "/" << n.rack << " " << (n.is_up ? "UP" : "DOWN") << " tokens=" << n.tokens.size()
        << " " << impl_->nodes[i]->faults.ToString() << " requests=" << s.requests
        << " routed=" << s.routed_requests << " as_replica=" << s.replica_requests << "\n";
  }
  return out.str();
}

}  // namespace cqlbulk::sim
