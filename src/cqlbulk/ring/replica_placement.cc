// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/replica_placement.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <utility>

namespace cqlbulk::ring {
namespace {

constexpr uint32_t kNone = UINT32_MAX;

// Marks with a generation number, so each range starts from a clean set without clearing.
class StampSet {
 public:
  explicit StampSet(size_t size) : stamps_(size, 0) {}
  void NextGeneration() { ++generation_; }
  bool Contains(size_t i) const { return stamps_[i] == generation_; }
  void Insert(size_t i) { stamps_[i] = generation_; }

 private:
  std::vector<uint64_t> stamps_;
  uint64_t generation_ = 0;
};

std::vector<ReplicaList> PlaceSimple(std::span<const HostIndex> owners, size_t num_hosts,
                                     uint32_t factor) {
  const size_t n = owners.size();
  std::vector<ReplicaList> result(n);
  StampSet taken(num_hosts);
  for (size_t i = 0; i < n; ++i) {
    taken.NextGeneration();
    ReplicaList& replicas = result[i];
    for (size_t step = 0; step < n && replicas.size() < factor; ++step) {
      const HostIndex host = owners[(i + step) % n];
      if (!taken.Contains(host)) {
        taken.Insert(host);
        replicas.push_back(host);
      }
    }
  }
  return result;
}

// Data centers and (data center, rack) locations of the hosts that own tokens, as small ids.
struct Topology {
  std::vector<uint32_t> host_dc;        // kNone for hosts without tokens
  std::vector<uint32_t> host_location;  // id of the (dc, rack) pair
  std::vector<std::string> dc_names;
  std::vector<uint32_t> dc_num_hosts;
  std::vector<uint32_t> dc_num_racks;
  size_t num_locations = 0;
};

Topology BuildTopology(std::span<const HostIndex> owners, std::span<const Host> hosts) {
  Topology topology;
  topology.host_dc.assign(hosts.size(), kNone);
  topology.host_location.assign(hosts.size(), kNone);
  std::map<std::string, uint32_t> dc_ids;
  std::map<std::pair<std::string, std::string>, uint32_t> location_ids;
  for (HostIndex host : owners) {
    if (topology.host_dc[host] != kNone) {
      continue;
    }
    const Host& h = hosts[host];
    auto [dc_it, new_dc] = dc_ids.emplace(h.datacenter, static_cast<uint32_t>(dc_ids.size()));
    if (new_dc) {
      topology.dc_names.push_back(h.datacenter);
      topology.dc_num_hosts.push_back(0);
      topology.dc_num_racks.push_back(0);
    }
    auto [loc_it, new_location] = location_ids.emplace(std::make_pair(h.datacenter, h.rack),
                                                       static_cast<uint32_t>(location_ids.size()));
    const uint32_t dc = dc_it->second;
    topology.host_dc[host] = dc;
    topology.host_location[host] = loc_it->second;
    ++topology.dc_num_hosts[dc];
    if (new_location) {
      ++topology.dc_num_racks[dc];
    }
  }
  topology.num_locations = location_ids.size();
  return topology;
}

// What one data center still needs while walking the ring for one range (Cassandra 4.0
// NetworkTopologyStrategy.DatacenterEndpoints).
struct DcState {
  bool active = false;
  int64_t replicas_left = 0;      // min(factor, hosts in the dc)
  int64_t rack_repeats_left = 0;  // factor - racks in the dc: hosts allowed on a used rack
};

std::vector<ReplicaList> PlaceNetworkTopology(std::span<const HostIndex> owners,
                                              std::span<const Host> hosts,
                                              const ReplicationStrategy& strategy) {
  const size_t n = owners.size();
  const Topology topology = BuildTopology(owners, hosts);
  const size_t num_dcs = topology.dc_names.size();
  std::vector<int64_t> factors(num_dcs);
  for (size_t dc = 0; dc < num_dcs; ++dc) {
    factors[dc] = strategy.FactorFor(topology.dc_names[dc]);
  }

  std::vector<ReplicaList> result(n);
  std::vector<DcState> dcs(num_dcs);
  StampSet taken(hosts.size());
  StampSet used_locations(topology.num_locations);
  for (size_t i = 0; i < n; ++i) {
    taken.NextGeneration();
    used_locations.NextGeneration();
    size_t dcs_to_fill = 0;
    for (size_t dc = 0; dc < num_dcs; ++dc) {
      const int64_t num_hosts = topology.dc_num_hosts[dc];
      dcs[dc].active = factors[dc] > 0 && num_hosts > 0;
      dcs[dc].replicas_left = std::min(factors[dc], num_hosts);
      dcs[dc].rack_repeats_left = factors[dc] - topology.dc_num_racks[dc];
      dcs_to_fill += dcs[dc].active ? 1 : 0;
    }
    ReplicaList& replicas = result[i];
    for (size_t step = 0; step < n && dcs_to_fill > 0; ++step) {
      const HostIndex host = owners[(i + step) % n];
      DcState& dc = dcs[topology.host_dc[host]];
      if (!dc.active || dc.replicas_left == 0 || taken.Contains(host)) {
        continue;
      }
      const uint32_t location = topology.host_location[host];
      if (used_locations.Contains(location)) {
        if (dc.rack_repeats_left <= 0) {
          continue;  // the remaining replicas must come from racks not used yet
        }
        --dc.rack_repeats_left;
      } else {
        used_locations.Insert(location);
      }
      taken.Insert(host);
      replicas.push_back(host);
      if (--dc.replicas_left == 0) {
        --dcs_to_fill;
      }
    }
  }
  return result;
}

}  // namespace

template <typename T>
std::vector<ReplicaList> PlaceReplicas(const BasicRing<T>& ring,
                                       const ReplicationStrategy& strategy) {
  std::vector<HostIndex> owners;
  owners.reserve(ring.num_entries());
  for (const auto& entry : ring.entries()) {
    owners.push_back(entry.host);
  }
  switch (strategy.replication_class()) {
    case ReplicationClass::kSimple:
      return PlaceSimple(owners, ring.hosts().size(), strategy.replication_factor());
    case ReplicationClass::kNetworkTopology:
      return PlaceNetworkTopology(owners, ring.hosts(), strategy);
  }
  return std::vector<ReplicaList>(owners.size());
}

template <typename T>
std::vector<BasicReplicatedRange<T>> ReplicatedRanges(const BasicRing<T>& ring,
                                                      const ReplicationStrategy& strategy) {
  std::vector<ReplicaList> replicas = PlaceReplicas(ring, strategy);
  std::vector<BasicReplicatedRange<T>> ranges;
  ranges.reserve(replicas.size());
  for (size_t i = 0; i < replicas.size(); ++i) {
    ranges.push_back({ring.NaturalRange(i), std::move(replicas[i])});
  }
  return ranges;
}

template std::vector<ReplicaList> PlaceReplicas(const Ring&, const ReplicationStrategy&);
template std::vector<ReplicaList> PlaceReplicas(const BigTokenRing&, const ReplicationStrategy&);
template std::vector<ReplicatedRange> ReplicatedRanges(const Ring&, const ReplicationStrategy&);
template std::vector<BigTokenReplicatedRange> ReplicatedRanges(const BigTokenRing&,
                                                               const ReplicationStrategy&);

}  // namespace cqlbulk::ring
