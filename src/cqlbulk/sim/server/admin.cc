// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/server/admin.h"

#include <asio.hpp>

#include <atomic>
#include <charconv>
#include <sstream>
#include <thread>
#include <vector>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::sim {
namespace {

using asio::ip::tcp;

std::vector<std::string_view> Words(std::string_view line) {
  std::vector<std::string_view> words;
  size_t pos = 0;
  while (pos < line.size()) {
    size_t start = line.find_first_not_of(" \t\r\n", pos);
    if (start == std::string_view::npos) break;
    size_t end = line.find_first_of(" \t\r\n", start);
    if (end == std::string_view::npos) end = line.size();
    words.push_back(line.substr(start, end - start));
    pos = end;
  }
  return words;
}

Result<ring::HostIndex> ParseNode(const Cluster& cluster, std::string_view word) {
  if (auto by_address = cluster.FindNode(word)) return *by_address;
  uint32_t n = 0;
  auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), n);
  if (ec != std::errc() || p != word.data() + word.size() || n < 1 || n > cluster.num_nodes()) {
    return InvalidArgument("no node '" + std::string(word) + "': use 1.." +
                           std::to_string(cluster.num_nodes()) + " or a node's address");
  }
  return n - 1;
}

Result<double> ParseShare(std::string_view word) {
  double v = 0;
  auto [p, ec] = std::from_chars(word.data(), word.data() + word.size(), v);
  if (ec != std::errc() || p != word.data() + word.size() || v < 0 || v > 1) {
    return InvalidArgument("'" + std::string(word) + "' is not a share between 0 and 1");
  }
  return v;
}

Status NeedArgs(const std::vector<std::string_view>& words, size_t n, std::string_view usage) {
  if (words.size() != n) return InvalidArgument("usage: " + std::string(usage));
  return {};
}

}  // namespace

std::string_view AdminCommandsHelp() {
  return "  status                  nodes, their state, faults and coordinator counters\n"
         "  stop N                  stop node N (1-based, or its address)\n"
         "  start N                 start node N again\n"
         "  latency N MS            add MS milliseconds to every request node N answers\n"
         "  error N SHARE KIND      answer SHARE (0..1) of node N's requests with an error:\n"
         "                          read_timeout, write_timeout, unavailable, overloaded,\n"
         "                          server_error\n"
         "  drop N SHARE            close the connection instead of answering SHARE of requests\n"
         "  clear N                 remove node N's faults\n"
         "  reset-stats             zero the coordinator counters\n"
         "  forget-prepared         drop every prepared statement (as after a restart)\n";
}

Result<std::string> RunAdminCommand(Cluster& cluster, std::string_view command) {
  auto words = Words(command);
  if (words.empty()) return InvalidArgument("empty command");
  std::string_view verb = words[0];
  if (verb == "status") {
    return cluster.Describe();
  }
  if (verb == "reset-stats") {
    cluster.engine().ResetStats();
    return std::string("ok\n");
  }
  if (verb == "forget-prepared") {
    cluster.engine().ForgetPreparedStatements();
    return std::string("ok\n");
  }
  if (verb == "stop" || verb == "start" || verb == "clear") {
    CQLBULK_RETURN_IF_ERROR(NeedArgs(words, 2, std::string(verb) + " N"));
    CQLBULK_ASSIGN_OR_RETURN(ring::HostIndex node, ParseNode(cluster, words[1]));
    if (verb == "stop") {
      CQLBULK_RETURN_IF_ERROR(cluster.StopNode(node));
    } else if (verb == "start") {
      CQLBULK_RETURN_IF_ERROR(cluster.StartNode(node));
    } else {
      cluster.faults(node).Clear();
    }
    return std::string("ok\n");
  }
  if (verb == "latency") {
    CQLBULK_RETURN_IF_ERROR(NeedArgs(words, 3, "latency N MS"));
    CQLBULK_ASSIGN_OR_RETURN(ring::HostIndex node, ParseNode(cluster, words[1]));
    int64_t ms = 0;
    auto [p, ec] = std::from_chars(words[2].data(), words[2].data() + words[2].size(), ms);
    if (ec != std::errc() || p != words[2].data() + words[2].size() || ms < 0 || ms > 600000) {
      return InvalidArgument("latency must be 0..600000 milliseconds, not '" +
                             std::string(words[2]) + "'");
    }
    cluster.faults(node).set_latency(std::chrono::milliseconds(ms));
    return std::string("ok\n");
  }
  if (verb == "error") {
    CQLBULK_RETURN_IF_ERROR(NeedArgs(words, 4, "error N SHARE KIND"));
    CQLBULK_ASSIGN_OR_RETURN(ring::HostIndex node, ParseNode(cluster, words[1]));
    CQLBULK_ASSIGN_OR_RETURN(double share, ParseShare(words[2]));
    CQLBULK_ASSIGN_OR_RETURN(InjectedError kind, ParseInjectedError(words[3]));
    cluster.faults(node).set_error(share, kind);
    return std::string("ok\n");
  }
  if (verb == "drop") {
    CQLBULK_RETURN_IF_ERROR(NeedArgs(words, 3, "drop N SHARE"));
    CQLBULK_ASSIGN_OR_RETURN(ring::HostIndex node, ParseNode(cluster, words[1]));
    CQLBULK_ASSIGN_OR_RETURN(double share, ParseShare(words[2]));
    cluster.faults(node).set_drop(share);
    return std::string("ok\n");
  }
  return InvalidArgument("unknown admin command '" + std::string(verb) + "'; commands:\n" +
                         std::string(AdminCommandsHelp()));
}

struct AdminServer::Impl {
  Cluster& cluster;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::atomic<bool> stopping{false};

  explicit Impl(Cluster& c) : cluster(c) {}

  void Serve() {
    while (true) {
      asio::error_code ec;
      tcp::socket socket(io);
      acceptor.accept(socket, ec);
      if (stopping) return;
      if (ec) continue;
      std::string line;
      asio::read_until(socket, asio::dynamic_buffer(line), '\n', ec);
      auto answer = RunAdminCommand(cluster, line.substr(0, line.find('\n')));
      std::string text = answer ? *answer : "error: " + answer.error().message() + "\n";
      asio::write(socket, asio::buffer(text), ec);
      socket.shutdown(tcp::socket::shutdown_both, ec);
    }
  }
};

AdminServer::AdminServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AdminServer::~AdminServer() {
  // Wake the blocking accept with one connection, then let the thread see `stopping`.
  impl_->stopping = true;
  asio::error_code ec;
  asio::io_context io;
  tcp::socket poke(io);
  poke.connect(impl_->acceptor.local_endpoint(ec), ec);
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->acceptor.close(ec);
}

uint16_t AdminServer::port() const {
  asio::error_code ec;
  return impl_->acceptor.local_endpoint(ec).port();
}

Result<std::unique_ptr<AdminServer>> AdminServer::Start(Cluster& cluster,
                                                        const std::string& address,
                                                        uint16_t port) {
  auto impl = std::make_unique<Impl>(cluster);
  asio::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address(address, ec), port);
  if (ec) return InvalidArgument("bad admin address '" + address + "'");
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(16, ec);
  if (ec) {
    return IoError("cannot listen for admin commands on " + address + ":" +
                   std::to_string(port) + ": " + ec.message());
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Serve(); });
  return std::unique_ptr<AdminServer>(new AdminServer(std::move(impl)));
}

Result<std::string> SendAdminCommand(const std::string& host, uint16_t port,
                                     std::string_view command) {
  asio::io_context io;
  tcp::socket socket(io);
  asio::error_code ec;
  tcp::endpoint endpoint(asio::ip::make_address(host, ec), port);
  if (ec) return InvalidArgument("bad admin address '" + host + "'");
  socket.connect(endpoint, ec);
  if (ec) {
    return IoError("cannot reach cqlsim's admin port at " + host + ":" + std::to_string(port) +
                   ": " + ec.message() + " (is cqlsim running, with this --admin-port?)");
  }
  std::string line = std::string(command) + "\n";
  asio::write(socket, asio::buffer(line), ec);
  std::string answer;
  asio::read(socket, asio::dynamic_buffer(answer), ec);  // until the server closes
  if (answer.starts_with("error: ")) {
    return InvalidArgument(answer.substr(7, answer.find_last_not_of('\n') - 6));
  }
  return answer;
}

}  // namespace cqlbulk::sim
