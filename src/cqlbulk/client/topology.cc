// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/client/topology.h"

#include <algorithm>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::client {

std::string MakeEndpoint(std::string_view address, uint16_t port) {
  if (address.find(':') != std::string_view::npos) {
    return "[" + std::string(address) + "]:" + std::to_string(port);
  }
  return std::string(address) + ":" + std::to_string(port);
}

std::string HostInfo::endpoint() const { return MakeEndpoint(address, port); }

const ColumnMetadata* TableMetadata::FindColumn(std::string_view column) const {
  for (const ColumnMetadata& c : columns) {
    if (c.name == column) {
      return &c;
    }
  }
  return nullptr;
}

Result<TopologyPtr> TopologySnapshot::Make(TopologyData data) {
  std::vector<ring::Host> ring_hosts;
  std::vector<ring::RingEntry> entries;
  for (size_t i = 0; i < data.hosts.size(); ++i) {
    const HostInfo& h = data.hosts[i];
    ring_hosts.push_back(ring::Host{h.endpoint(), h.datacenter, h.rack});
    for (ring::Token t : h.tokens) {
      entries.push_back(ring::RingEntry{t, static_cast<ring::HostIndex>(i)});
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(ring::Ring ring,
                           ring::Ring::Make(std::move(ring_hosts), std::move(entries)));
  std::shared_ptr<TopologySnapshot> snapshot(new TopologySnapshot());
  snapshot->ring_ = std::make_shared<const ring::Ring>(std::move(ring));
  std::map<std::string, std::shared_ptr<const std::vector<ring::ReplicaList>>> by_strategy;
  for (const auto& [name, keyspace] : data.keyspaces) {
    if (!keyspace.replication) {
      continue;
    }
    std::string key = keyspace.replication->ToString();
    auto& shared = by_strategy[key];
    if (shared == nullptr) {
      shared = std::make_shared<const std::vector<ring::ReplicaList>>(
          ring::PlaceReplicas(*snapshot->ring_, *keyspace.replication));
    }
    snapshot->replicas_.emplace(name, shared);
  }
  snapshot->data_ = std::move(data);
  return TopologyPtr(std::move(snapshot));
}

const KeyspaceMetadata* TopologySnapshot::FindKeyspace(std::string_view keyspace) const {
  auto it = data_.keyspaces.find(keyspace);
  return it == data_.keyspaces.end() ? nullptr : &it->second;
}

const TableMetadata* TopologySnapshot::FindTable(std::string_view keyspace,
                                                 std::string_view table) const {
  const KeyspaceMetadata* ks = FindKeyspace(keyspace);
  if (ks == nullptr) {
    return nullptr;
  }
  auto it = ks->tables.find(table);
  return it == ks->tables.end() ? nullptr : &it->second;
}

std::optional<ring::HostIndex> TopologySnapshot::FindHost(std::string_view address,
                                                          uint16_t port) const {
  for (size_t i = 0; i < data_.hosts.size(); ++i) {
    if (data_.hosts[i].address == address && (port == 0 || data_.hosts[i].port == port)) {
      return static_cast<ring::HostIndex>(i);
    }
  }
  return std::nullopt;
}

std::span<const ring::HostIndex> TopologySnapshot::Replicas(std::string_view keyspace,
                                                            ring::Token token) const {
  auto it = replicas_.find(keyspace);
  if (it == replicas_.end() || it->second->empty()) {
    return {};
  }
  return (*it->second)[ring_->FindEntry(token)];
}

std::vector<ring::ReplicatedRange> TopologySnapshot::ReplicatedRanges(
    std::string_view keyspace) const {
  std::vector<ring::ReplicatedRange> out;
  auto it = replicas_.find(keyspace);
  if (it == replicas_.end()) {
    return out;
  }
  const auto& lists = *it->second;
  out.reserve(lists.size());
  for (size_t i = 0; i < lists.size(); ++i) {
    out.push_back({ring_->NaturalRange(i), lists[i]});
  }
  return out;
}

bool TopologySnapshot::SchemaAgrees() const {
  const Uuid* first = nullptr;
  for (const HostInfo& host : data_.hosts) {
    if (!host.is_up) continue;
    if (first == nullptr) {
      first = &host.schema_version;
    } else if (host.schema_version != *first) {
      return false;
    }
  }
  return true;
}

TopologyPtr TopologySnapshot::WithHostStatus(ring::HostIndex index, bool is_up) const {
  std::shared_ptr<TopologySnapshot> copy(new TopologySnapshot(*this));
  if (index < copy->data_.hosts.size()) {
    copy->data_.hosts[index].is_up = is_up;
  }
  return copy;
}

}  // namespace cqlbulk::client
