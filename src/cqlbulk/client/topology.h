// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/core/uuid.h"
#include "cqlbulk/cql/types/column_kind.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/ring/replica_placement.h"
#include "cqlbulk/ring/replication.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::client {

/// "127.0.0.2:9042", or "[::1]:9042" for IPv6.
std::string MakeEndpoint(std::string_view address, uint16_t port);

/// \brief A node as system.local / system.peers(_v2) describe it.
struct HostInfo {
  std::string address;  ///< the native (rpc) address clients connect to, "127.0.0.2"
  uint16_t port = 9042;
  std::string datacenter;
  std::string rack;
  Uuid host_id;
  std::string release_version;
  /// The schema version the node reports; nodes agree on the schema when these are equal.
  Uuid schema_version;
  std::vector<ring::Token> tokens;  ///< sorted
  bool is_up = true;

  /// "127.0.0.2:9042" ("[::1]:9042" for IPv6).
  std::string endpoint() const;
  friend bool operator==(const HostInfo&, const HostInfo&) = default;
};

using cql::ColumnKind;
using cql::ColumnKindName;

struct ColumnMetadata {
  std::string name;
  cql::DataTypePtr type;
  ColumnKind kind = ColumnKind::kRegular;
  /// Place in the partition or clustering key; -1 for regular and static columns.
  int position = -1;
  bool is_descending = false;  ///< clustering_order DESC
};

/// \brief A table: columns in CQL's order (partition key, clustering key, then the others by
/// name), and the indexes of its key columns in key order.
struct TableMetadata {
  std::string keyspace;
  std::string name;
  std::vector<ColumnMetadata> columns;
  std::vector<size_t> partition_key;
  std::vector<size_t> clustering_key;

  const ColumnMetadata* FindColumn(std::string_view column) const;
};

struct KeyspaceMetadata {
  std::string name;
  /// The `replication` map as system_schema.keyspaces stores it.
  std::map<std::string, std::string> replication_options;
  /// nullopt for strategies ring/ cannot place (LocalStrategy, EverywhereStrategy).
  std::optional<ring::ReplicationStrategy> replication;
  bool durable_writes = true;
  std::map<std::string, TableMetadata, std::less<>> tables;
  std::map<std::string, cql::DataTypePtr, std::less<>> user_types;
};

/// \brief What the control connection read, before it becomes a snapshot.
struct TopologyData {
  std::string cluster_name;
  std::string partitioner;
  std::vector<HostInfo> hosts;  ///< the host the control connection uses first
  std::map<std::string, KeyspaceMetadata, std::less<>> keyspaces;
};

/// \brief An immutable view of the cluster: hosts, the token ring, replicas per keyspace and
/// the schema. Rebuilt off the hot path and published as `TopologyPtr` (STYLE.md §4.5).
class TopologySnapshot {
 public:
  /// kInvalidArgument when the hosts' tokens do not make a ring (no token, a shared token).
  static Result<std::shared_ptr<const TopologySnapshot>> Make(TopologyData data);

  const std::string& cluster_name() const noexcept { return data_.cluster_name; }
  const std::string& partitioner() const noexcept { return data_.partitioner; }
  /// Index = ring::HostIndex of `ring()`.
  const std::vector<HostInfo>& hosts() const noexcept { return data_.hosts; }
  /// Whether every host that is up reports the same schema version.
  bool SchemaAgrees() const;
  const HostInfo& host(ring::HostIndex index) const { return data_.hosts.at(index); }
  const ring::Ring& ring() const noexcept { return *ring_; }
  const std::map<std::string, KeyspaceMetadata, std::less<>>& keyspaces() const noexcept {
    return data_.keyspaces;
  }
  const KeyspaceMetadata* FindKeyspace(std::string_view keyspace) const;
  const TableMetadata* FindTable(std::string_view keyspace, std::string_view table) const;
  /// The host with that address (and port, when not 0).
  std::optional<ring::HostIndex> FindHost(std::string_view address, uint16_t port = 0) const;

  /// \brief Replicas of `token` in `keyspace`, primary first; empty for an unknown keyspace or
  /// one whose strategy cannot be placed.
  std::span<const ring::HostIndex> Replicas(std::string_view keyspace, ring::Token token) const;
  /// The natural ranges with their replicas under `keyspace`'s strategy (empty if unknown).
  std::vector<ring::ReplicatedRange> ReplicatedRanges(std::string_view keyspace) const;

  /// A copy with host `index` marked up or down (the replica tables are shared).
  std::shared_ptr<const TopologySnapshot> WithHostStatus(ring::HostIndex index, bool is_up) const;

 private:
  TopologySnapshot() = default;

  TopologyData data_;
  std::shared_ptr<const ring::Ring> ring_;
  /// Per keyspace: ring entry index -> replicas. Keyspaces with equal strategies share one.
  std::map<std::string, std::shared_ptr<const std::vector<ring::ReplicaList>>, std::less<>>
      replicas_;
};

using TopologyPtr = std::shared_ptr<const TopologySnapshot>;

}  // namespace cqlbulk::client
