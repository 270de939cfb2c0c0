// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk::ops {

/// \brief A replica as `nodetool describering` names it.
struct Endpoint {
  std::string address;
  std::string datacenter;
  std::string rack;
};

/// \brief One natural token range, (start_token, end_token], and its replicas in placement order.
struct DescribedRange {
  std::string start_token;
  std::string end_token;
  std::vector<Endpoint> endpoints;
};

/// \brief The natural ranges of a keyspace, sorted by end token (the wrapping range first).
struct RingDescription {
  std::string replication;  ///< as Cassandra prints it: "{'class': ..., ...}"
  std::vector<DescribedRange> ranges;
};

/// \brief A ring generated the way cqlsim lays out its nodes (consecutive loopback addresses,
/// random tokens from a seed), for trying out placements without a cluster.
struct GeneratedRingOptions {
  uint32_t nodes = 3;
  uint32_t vnodes = 16;
  uint64_t seed = 1;
  std::string first_address = "127.0.0.1";
  uint32_t datacenters = 1;
  uint32_t racks = 1;
  /// "{'class': 'SimpleStrategy', 'replication_factor': 1}" or the NetworkTopologyStrategy form.
  std::string replication = "{'class': 'SimpleStrategy', 'replication_factor': 1}";
};

/// kInvalidArgument for a bad address, count or replication string (the message names it).
Result<RingDescription> DescribeGeneratedRing(const GeneratedRingOptions& options);

}  // namespace cqlbulk::ops
