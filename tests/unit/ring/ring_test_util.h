// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/ring/ring.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::ring::test {

/// \brief How MakeRandomRing lays out a cluster.
struct RandomRingOptions {
  size_t num_hosts = 3;
  size_t num_vnodes = 16;
  size_t num_datacenters = 1;  ///< host i is in data center i % num_datacenters
  size_t num_racks = 1;        ///< racks per data center, picked at random per host
  bool with_extremes = false;  ///< also give Min and Max to random hosts
  uint64_t seed = 1;
};

/// A ring with `num_vnodes` distinct random tokens per host (fixed seed, reproducible).
Ring MakeRandomRing(const RandomRingOptions& options);

/// The same layout over RandomPartitioner tokens.
BigTokenRing MakeRandomBigTokenRing(const RandomRingOptions& options);

/// The ring described by the `nodes` of ring_3node_16vnodes.json.
Ring GoldenRing(const nlohmann::json& golden);

/// Token from a decimal string of the golden data; fails the test on bad input.
Token ParseGoldenToken(const std::string& text);

/// Oracle: token -> host in a std::map, and Cassandra's replica walks written the plain way.
class NaiveRing {
 public:
  explicit NaiveRing(const Ring& ring);

  /// Hosts in ring order starting from the first token at or after `token` (wrapping).
  std::vector<HostIndex> WalkFrom(Token token) const;
  /// SimpleStrategy replicas of the range holding `token`.
  std::vector<HostIndex> SimpleReplicas(Token token, size_t factor) const;
  /// NetworkTopologyStrategy replicas as Cassandra 4.0 orders them.
  std::vector<HostIndex> NtsReplicas(Token token,
                                     const std::map<std::string, uint32_t>& factors) const;
  /// NetworkTopologyStrategy replicas by Cassandra 3.x's two passes (distinct racks first, then
  /// the skipped hosts), per data center: the same set as 4.0, in another order.
  std::vector<HostIndex> NtsReplicasTwoPass(Token token,
                                            const std::map<std::string, uint32_t>& factors) const;
  /// The end token of the natural range holding `token`.
  Token RangeEnd(Token token) const;

 private:
  const Ring& ring_;
  std::map<Token, HostIndex> owners_;
};

}  // namespace cqlbulk::ring::test
