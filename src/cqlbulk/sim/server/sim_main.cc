// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/server/sim_main.h"

#include <signal.h>

#include <charconv>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "cqlbulk/core/flags.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/server/admin.h"
#include "cqlbulk/sim/server/cluster.h"

namespace cqlbulk::sim {
namespace {

constexpr uint16_t kDefaultAdminPort = 9099;

constexpr std::string_view kAbout =
    "cqlsim: a Cassandra-compatible cluster of N nodes on loopback addresses, for demos,\n"
    "tests and benchmarks. It speaks the native protocol (v4 and v5), so real drivers\n"
    "connect to it; data lives in memory (or in --data-dir across restarts).\n\n"
    "usage: cqlsim [options]          serve until SIGINT/SIGTERM\n"
    "       cqlsim ctl [--admin HOST:PORT] COMMAND   control a running cqlsim\n\n";

/// "1,2,3;4,5,6": one token list per node.
Result<std::vector<std::vector<int64_t>>> ParseTokens(std::string_view text) {
  std::vector<std::vector<int64_t>> nodes(1);
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find_first_of(",;", pos);
    std::string_view item = text.substr(pos, end == std::string_view::npos ? end : end - pos);
    int64_t token = 0;
    auto [p, ec] = std::from_chars(item.data(), item.data() + item.size(), token);
    if (ec != std::errc() || p != item.data() + item.size()) {
      return InvalidArgument("--tokens: '" + std::string(item) +
                             "' is not a token (use \"t1,t2;t3,t4\": ';' between nodes)");
    }
    nodes.back().push_back(token);
    if (end == std::string_view::npos) break;
    if (text[end] == ';') nodes.emplace_back();
    pos = end + 1;
  }
  return nodes;
}

/// "name:password"
Status AddUser(std::string_view spec, ServerConfig& server, std::string_view where) {
  size_t colon = spec.find(':');
  if (colon == std::string_view::npos || colon == 0) {
    return InvalidArgument(std::string(where) + ": expected NAME:PASSWORD");
  }
  server.users[std::string(spec.substr(0, colon))] = std::string(spec.substr(colon + 1));
  return {};
}

Status LoadUsersFile(const std::string& path, ServerConfig& server) {
  std::ifstream in(path);
  if (!in) return IoError("cannot read users file " + path);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.empty() || line[0] == '#') continue;
    CQLBULK_RETURN_IF_ERROR(AddUser(line, server, path + ":" + std::to_string(n)));
  }
  return {};
}

int Fail(const Error& error) {
  std::cerr << "cqlsim: error: " << error.message() << "\n";
  return error.code() == ErrorCode::kInvalidArgument ? 2 : 3;
}

Result<std::pair<std::string, uint16_t>> ParseHostPort(std::string_view text) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return InvalidArgument("expected HOST:PORT, not '" + std::string(text) + "'");
  CQLBULK_ASSIGN_OR_RETURN(int64_t port, ParseInt(text.substr(colon + 1), 1, 65535, "port"));
  return std::make_pair(std::string(text.substr(0, colon)), static_cast<uint16_t>(port));
}

int CtlMain(std::vector<std::string> args) {
  std::string admin = "127.0.0.1:" + std::to_string(kDefaultAdminPort);
  bool help = false;
  FlagSet flags;
  flags.AddString("admin", "HOST:PORT", "cqlsim's admin address (default 127.0.0.1:9099)", &admin);
  flags.AddSwitch("help", "show this help", &help);
  auto words = flags.Parse(args);
  if (!words) return Fail(words.error());
  if (help || words->empty()) {
    std::cout << "usage: cqlsim ctl [--admin HOST:PORT] COMMAND\n\ncommands:\n"
              << AdminCommandsHelp();
    return help ? 0 : 2;
  }
  auto endpoint = ParseHostPort(admin);
  if (!endpoint) return Fail(endpoint.error());
  std::string command;
  for (const auto& w : *words) command += (command.empty() ? "" : " ") + w;
  auto answer = SendAdminCommand(endpoint->first, endpoint->second, command);
  if (!answer) return Fail(answer.error());
  std::cout << *answer;
  return 0;
}

int ServeMain(std::vector<std::string> args) {
  ClusterOptions options;
  int64_t nodes = options.nodes, vnodes = options.vnodes, port = options.port;
  int64_t datacenters = 1, racks = 1, seed = 1, io_threads = options.io_threads;
  int64_t admin_port = kDefaultAdminPort;
  std::string tokens, versions = "4,5", users_file, tls_cert, tls_key, tls_ca;
  std::vector<std::string> users;
  bool tls_require_client_auth = false, help = false;

  FlagSet flags;
  flags.AddInt("nodes", "N", "number of nodes (default 3)", &nodes, 1, 250);
  flags.AddInt("vnodes", "N", "tokens per node (default 16)", &vnodes, 1, 4096);
  flags.AddString("address", "A",
                  "address of node 1; node i listens on A + i - 1 (default 127.0.0.1)",
                  &options.first_address);
  flags.AddInt("port", "P", "native protocol port of every node (default 9042)", &port, 1, 65535);
  flags.AddInt("datacenters", "N", "data centers: contiguous blocks of nodes (default 1)",
               &datacenters, 1, 100);
  flags.AddInt("racks", "N", "racks per data center, nodes spread round-robin (default 1)",
               &racks, 1, 100);
  flags.AddString("cluster-name", "NAME", "cluster name (default cqlsim)", &options.cluster_name);
  flags.AddInt("seed", "N", "token seed: the same seed gives the same ring (default 1)", &seed, 0,
               INT64_MAX);
  flags.AddString("tokens", "T1,T2;T3,...",
                  "explicit tokens, ';' between nodes (overrides --nodes/--vnodes/--seed)",
                  &tokens);
  flags.AddString("protocol-versions", "LIST", "protocol versions offered: 4, 5 or 4,5 (default)",
                  &versions);
  flags.AddString("data-dir", "DIR", "keep schema and data here across restarts (default: memory)",
                  &options.data_dir);
  flags.AddString("tls-cert", "FILE", "PEM certificate: serve TLS on the native port", &tls_cert);
  flags.AddString("tls-key", "FILE", "PEM private key of --tls-cert", &tls_key);
  flags.AddString("tls-ca", "FILE", "PEM CA that signs accepted client certificates", &tls_ca);
  flags.AddSwitch("tls-require-client-cert", "refuse clients without a certificate --tls-ca signed",
                  &tls_require_client_auth);
  flags.Add({"user", "", "NAME:PASSWORD",
             "require password authentication; may repeat (PasswordAuthenticator)",
             [&users](std::string_view v) -> Status {
               users.emplace_back(v);
               return {};
             }});
  flags.AddString("users-file", "FILE", "NAME:PASSWORD lines, as --user", &users_file);
  flags.AddInt("admin-port", "P", "admin port on 127.0.0.1 for `cqlsim ctl` (default 9099; 0: none)",
               &admin_port, 0, 65535);
  flags.AddInt("io-threads", "N", "I/O threads (default 2)", &io_threads, 1, 64);
  flags.AddSwitch("help", "show this help", &help);

  auto positional = flags.Parse(args);
  if (!positional) return Fail(positional.error());
  if (help) {
    std::cout << kAbout << "options:\n"
              << flags.Usage() << "\nadmin commands (cqlsim ctl COMMAND):\n"
              << AdminCommandsHelp()
              << "\nNot simulated: real replication traffic (data is stored once; replicas and\n"
                 "consistency levels decide what is available), hinted handoff, repair,\n"
                 "compaction, secondary indexes, materialized views, ALTER, functions.\n";
    return 0;
  }
  if (!positional->empty()) {
    return Fail(InvalidArgument("unexpected argument '" + positional->front() + "'"));
  }
  options.nodes = static_cast<uint32_t>(nodes);
  options.vnodes = static_cast<uint32_t>(vnodes);
  options.port = static_cast<uint16_t>(port);
  options.datacenters = static_cast<uint32_t>(datacenters);
  options.racks = static_cast<uint32_t>(racks);
  options.token_seed = static_cast<uint64_t>(seed);
  options.io_threads = static_cast<int>(io_threads);
  if (!tokens.empty()) {
    auto parsed = ParseTokens(tokens);
    if (!parsed) return Fail(parsed.error());
    options.tokens = std::move(*parsed);
  }
  if (versions == "4") {
    options.server.max_protocol_version = 4;
  } else if (versions == "5") {
    options.server.min_protocol_version = 5;
  } else if (versions != "4,5" && versions != "5,4") {
    return Fail(InvalidArgument("--protocol-versions: expected 4, 5 or 4,5, not '" + versions + "'"));
  }
  for (const auto& u : users) {
    if (auto s = AddUser(u, options.server, "--user"); !s) return Fail(s.error());
  }
  if (!users_file.empty()) {
    if (auto s = LoadUsersFile(users_file, options.server); !s) return Fail(s.error());
  }
  if (!tls_cert.empty() || !tls_key.empty()) {
    if (tls_cert.empty() || tls_key.empty()) {
      return Fail(InvalidArgument("TLS needs both --tls-cert and --tls-key"));
    }
    options.tls = TlsConfig{tls_cert, tls_key, tls_ca, tls_require_client_auth};
  }

  // Block the stop signals before any thread starts, then wait for them here.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);

  auto cluster = Cluster::Start(options);
  if (!cluster) return Fail(cluster.error());
  std::unique_ptr<AdminServer> admin;
  if (admin_port != 0) {
    auto started = AdminServer::Start(**cluster, "127.0.0.1", static_cast<uint16_t>(admin_port));
    if (!started) return Fail(started.error());
    admin = std::move(*started);
  }
  size_t n = (*cluster)->num_nodes();
  std::cout << "cqlsim: " << n << " node" << (n == 1 ? "" : "s") << " ready on "
            << (*cluster)->address(0) << (n > 1 ? " to " + (*cluster)->address(static_cast<ring::HostIndex>(n - 1)) : "")
            << " port " << options.port
            << (admin ? ", admin on 127.0.0.1:" + std::to_string(admin->port()) : "")
            << std::endl;
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  admin.reset();
  if (auto s = (*cluster)->Stop(); !s) return Fail(s.error());
  std::cout << "cqlsim: stopped" << std::endl;
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "ctl") {
    return CtlMain(std::vector<std::string>(args.begin() + 1, args.end()));
  }
  return ServeMain(std::move(args));
}

}  // namespace cqlbulk::sim
