// SPDX-License-Identifier: Apache-2.0
// `cqlbulk ring`: the natural token ranges of a keyspace and their replicas.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>

#include "cqlbulk/cli/commands.h"
#include "cqlbulk/cli/connection_flags.h"
#include "cqlbulk/core/flags.h"
#include "cqlbulk/ops/cluster_ring.h"
#include "cqlbulk/ops/ring_description.h"

namespace cqlbulk::cli {
namespace {

std::string JoinAddresses(const std::vector<ops::Endpoint>& endpoints) {
  std::string out;
  for (const auto& e : endpoints) {
    out += (out.empty() ? "" : ", ") + e.address;
  }
  return out;
}

/// The lines `nodetool describering` prints.
void PrintDescribering(const ops::RingDescription& ring, std::ostream& out) {
  out << "TokenRange: \n";
  for (const auto& r : ring.ranges) {
    std::string addresses = JoinAddresses(r.endpoints);
    out << "\tTokenRange(start_token:" << r.start_token << ", end_token:" << r.end_token
        << ", endpoints:[" << addresses << "], rpc_endpoints:[" << addresses
        << "], endpoint_details:[";
    for (size_t i = 0; i < r.endpoints.size(); ++i) {
      const auto& e = r.endpoints[i];
      out << (i > 0 ? ", " : "") << "EndpointDetails(host:" << e.address
          << ", datacenter:" << e.datacenter << ", rack:" << e.rack << ")";
    }
    out << "])\n";
  }
}

void PrintJson(const ops::RingDescription& ring, std::ostream& out) {
  nlohmann::ordered_json ranges = nlohmann::ordered_json::array();
  for (const auto& r : ring.ranges) {
    nlohmann::ordered_json endpoints = nlohmann::ordered_json::array();
    nlohmann::ordered_json details = nlohmann::ordered_json::array();
    for (const auto& e : r.endpoints) {
      endpoints.push_back(e.address);
      details.push_back({{"host", e.address}, {"datacenter", e.datacenter}, {"rack", e.rack}});
    }
    ranges.push_back({{"start_token", r.start_token},
                      {"end_token", r.end_token},
                      {"endpoints", endpoints},
                      {"endpoint_details", details}});
  }
  nlohmann::ordered_json doc = {{"replication", ring.replication}, {"ranges", ranges}};
  out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

}  // namespace

ExitCode RingCommand(std::span<const std::string> args, Console& console) {
  ops::GeneratedRingOptions options;
  int64_t nodes = options.nodes, vnodes = options.vnodes, seed = 1;
  int64_t datacenters = options.datacenters, racks = options.racks;
  bool json = false;
  std::string keyspace;
  ConnectionFlags connection;
  FlagSet flags;
  connection.AddTo(flags);  // with --hosts: describe that live cluster
  flags.AddString("keyspace", "KS", "the live cluster's keyspace (with --hosts)", &keyspace, "k");
  flags.AddInt("nodes", "N", "number of nodes of the generated ring (default 3)", &nodes, 1, 1000);
  flags.AddInt("vnodes", "N", "tokens per node (default 16)", &vnodes, 1, 4096);
  flags.AddInt("seed", "N", "token seed: the same seed gives the same ring, as in cqlsim (default 1)",
               &seed, 0, INT64_MAX);
  flags.AddString("address", "A", "address of the first node (default 127.0.0.1)",
                  &options.first_address);
  flags.AddInt("datacenters", "N", "data centers, each a contiguous block of nodes (default 1)",
               &datacenters, 1, 100);
  flags.AddInt("racks", "N", "racks per data center (default 1)", &racks, 1, 100);
  flags.AddString("replication", "MAP",
                  "the keyspace's replication, e.g. \"{'class': 'NetworkTopologyStrategy', "
                  "'datacenter1': 3}\" (default SimpleStrategy, RF 1)",
                  &options.replication);
  flags.AddSwitch("json", "print JSON instead of nodetool's describering lines", &json);
  if (auto done = ParseCommandFlags(
          flags, args, "cqlbulk ring [options]",
          "Prints the natural token ranges of a ring and the replicas of each, as\n"
          "`nodetool describering` does: of a live cluster's keyspace with --hosts,\n"
          "otherwise of a ring generated the way cqlsim lays out its nodes.",
          console)) {
    return *done;
  }
  auto print = [&](const ops::RingDescription& ring) {
    if (json) {
      PrintJson(ring, console.out);
    } else {
      PrintDescribering(ring, console.out);
    }
    return ExitCode::kOk;
  };
  if (connection.has_hosts()) {
    if (keyspace.empty()) {
      return ReportError(InvalidArgument("ring --hosts needs --keyspace"), console);
    }
    auto session = connection.ToSessionOptions();
    if (!session) return ReportError(session.error(), console);
    ops::ClusterRingOptions live;
    live.session = std::move(*session);
    live.keyspace = keyspace;
    auto described = ops::DescribeClusterRing(live);
    if (!described) return ReportError(described.error(), console);
    return print(*described);
  }
  options.nodes = static_cast<uint32_t>(nodes);
  options.vnodes = static_cast<uint32_t>(vnodes);
  options.seed = static_cast<uint64_t>(seed);
  options.datacenters = static_cast<uint32_t>(datacenters);
  options.racks = static_cast<uint32_t>(racks);

  auto ring = ops::DescribeGeneratedRing(options);
  if (!ring) return ReportError(ring.error(), console);
  return print(*ring);
}

}  // namespace cqlbulk::cli
