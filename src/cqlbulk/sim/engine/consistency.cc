// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/engine/consistency.h"

#include <algorithm>
#include <set>

namespace cqlbulk::sim {
namespace {

using cql::Consistency;

/// Replication factor the strategy gives `datacenter` (Simple: the whole factor).
uint32_t FactorOf(const ring::ReplicationStrategy& strategy, const std::string& datacenter) {
  if (strategy.replication_class() == ring::ReplicationClass::kSimple) {
    return strategy.replication_factor();
  }
  return strategy.FactorFor(datacenter);
}

uint32_t TotalFactor(const Topology& topology, const ring::ReplicationStrategy& strategy) {
  if (strategy.replication_class() == ring::ReplicationClass::kSimple) {
    return strategy.replication_factor();
  }
  std::set<std::string> datacenters;
  for (const NodeInfo& node : topology.nodes) datacenters.insert(node.datacenter);
  for (const auto& [dc, factor] : strategy.datacenter_factors()) datacenters.insert(dc);
  uint32_t total = 0;
  for (const std::string& dc : datacenters) total += strategy.FactorFor(dc);
  return total;
}

cql::ErrorResponse Unavailable(Consistency consistency, uint32_t required, uint32_t alive) {
  return cql::ErrorResponse{
      .code = static_cast<int32_t>(cql::ErrorResponseCode::kUnavailable),
      .message = "Cannot achieve consistency level " + std::string(cql::ConsistencyName(consistency)),
      .details = cql::UnavailableInfo{.consistency = consistency,
                                      .required = static_cast<int32_t>(required),
                                      .alive = static_cast<int32_t>(alive)}};
}

cql::ErrorResponse Invalid(std::string message) {
  return cql::ErrorResponse{.code = static_cast<int32_t>(cql::ErrorResponseCode::kInvalid),
                            .message = std::move(message),
                            .details = std::monostate{}};
}

}  // namespace

std::shared_ptr<const ReplicaMap> ReplicaCache::Get(const TopologyPtr& topology,
                                                    const ring::ReplicationStrategy& strategy) {
  std::string key = strategy.ToString();
  std::lock_guard lock(mutex_);
  for (const Entry& entry : entries_) {
    if (entry.topology == topology && entry.strategy == key) return entry.replicas;
  }
  // A new topology makes every older entry useless.
  std::erase_if(entries_, [&](const Entry& e) { return e.topology != topology; });
  auto replicas = std::make_shared<const ReplicaMap>(ring::PlaceReplicas(topology->ring, strategy));
  entries_.push_back({topology, key, replicas});
  return replicas;
}

size_t EntryOf(const Topology& topology, ring::Token token) {
  return topology.ring.FindEntry(token);
}

std::vector<size_t> EntriesOfInterval(const Topology& topology, ring::Token low,
                                      bool low_inclusive, ring::Token high, bool high_inclusive) {
  const int64_t kMin = ring::Token::Min().value();
  // Normalise to the key tokens [first, last].
  int64_t first = low.value();
  if (!low_inclusive || low.is_minimum()) {
    if (low.value() == ring::Token::Max().value()) return {};
    first = low.value() + 1;
  }
  if (first == kMin) first = kMin + 1;
  int64_t last = high.is_minimum() ? ring::Token::Max().value() : high.value();
  if (!high.is_minimum() && !high_inclusive) {
    if (high.value() == kMin + 1) return {};
    last = high.value() - 1;
  }
  if (first > last) return {};
  auto entries = topology.ring.entries();
  const size_t num = entries.size();
  auto lower_bound = [&](int64_t token) {
    return static_cast<size_t>(
        std::lower_bound(entries.begin(), entries.end(), token,
                         [](const ring::RingEntry& e, int64_t t) { return e.token.value() < t; }) -
        entries.begin());
  };
  // Entry i owns (token[i-1], token[i]]; tokens past the last entry belong to entry 0.
  size_t from = lower_bound(first);
  size_t to = lower_bound(last);
  std::vector<size_t> out;
  if (from == num) return {0};
  for (size_t i = from; i <= std::min(to, num - 1); ++i) out.push_back(i);
  if (to == num && from != 0) out.push_back(0);
  return out;
}

std::optional<cql::ErrorResponse> CheckConsistency(
    const Topology& topology, const ring::ReplicationStrategy& strategy,
    const ReplicaMap& replicas, const std::vector<size_t>& entries,
    cql::Consistency consistency, bool is_write, ring::HostIndex coordinator) {
  if (consistency == Consistency::kAny) {
    if (!is_write) return Invalid("ANY ConsistencyLevel is only supported for writes");
    return std::nullopt;  // a hint on the coordinator always satisfies ANY
  }
  if (is_write && (consistency == Consistency::kSerial || consistency == Consistency::kLocalSerial)) {
    return Invalid("You must use conditional updates for serializable writes");
  }
  const std::string& local_dc = topology.nodes.at(coordinator).datacenter;
  uint32_t total = TotalFactor(topology, strategy);
  bool is_local = consistency == Consistency::kLocalOne ||
                  consistency == Consistency::kLocalQuorum ||
                  consistency == Consistency::kLocalSerial;
  uint32_t required = 0;
  switch (consistency) {
    case Consistency::kOne:
    case Consistency::kLocalOne:
      required = 1;
      break;
    case Consistency::kTwo:
      required = 2;
      break;
    case Consistency::kThree:
      required = 3;
      break;
    case Consistency::kQuorum:
    case Consistency::kSerial:
      required = total / 2 + 1;
      break;
    case Consistency::kLocalQuorum:
    case Consistency::kLocalSerial:
      required = FactorOf(strategy, local_dc) / 2 + 1;
      break;
    case Consistency::kAll:
      required = total;
      break;
    case Consistency::kEachQuorum:
    case Consistency::kAny:
      break;
  }
  for (size_t entry : entries) {
    const ring::ReplicaList& list = replicas.at(entry);
    if (consistency == Consistency::kEachQuorum &&
        strategy.replication_class() == ring::ReplicationClass::kNetworkTopology) {
      std::set<std::string> datacenters;
      for (const NodeInfo& node : topology.nodes) datacenters.insert(node.datacenter);
      for (const std::string& dc : datacenters) {
        uint32_t factor = strategy.FactorFor(dc);
        if (factor == 0) continue;
        uint32_t alive = 0;
        for (ring::HostIndex h : list) {
          if (topology.nodes[h].datacenter == dc && topology.is_up(h)) ++alive;
        }
        if (alive < factor / 2 + 1) return Unavailable(consistency, factor / 2 + 1, alive);
      }
      continue;
    }
    uint32_t need = consistency == Consistency::kEachQuorum ? total / 2 + 1 : required;
    uint32_t alive = 0;
    for (ring::HostIndex h : list) {
      if (!topology.is_up(h)) continue;
      if (is_local && topology.nodes[h].datacenter != local_dc) continue;
      ++alive;
    }
    if (alive < need) return Unavailable(consistency, need, alive);
  }
  return std::nullopt;
}

bool IsReplicaOfAll(const ReplicaMap& replicas, const std::vector<size_t>& entries,
                    ring::HostIndex node) {
  if (entries.empty()) return false;
  for (size_t entry : entries) {
    const ring::ReplicaList& list = replicas.at(entry);
    if (std::find(list.begin(), list.end(), node) == list.end()) return false;
  }
  return true;
}

}  // namespace cqlbulk::sim
