// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/sim/schema.h"
#include "cqlbulk/sim/storage_row.h"

namespace cqlbulk::sim {

/// \brief A partition's place on the ring: Murmur3 token, then the partition key bytes
/// (the routing key: one column's value or the composite of several), unsigned.
struct PartitionKey {
  int64_t token = 0;
  std::string key;
};

/// \brief A position between partitions: before (or after) every key of `token`.
struct TokenPosition {
  int64_t token = 0;
  bool after = false;
};

struct PartitionKeyLess {
  using is_transparent = void;
  bool operator()(const PartitionKey& a, const PartitionKey& b) const {
    return a.token != b.token ? a.token < b.token : a.key < b.key;
  }
  bool operator()(const PartitionKey& a, const TokenPosition& p) const {
    return a.token != p.token ? a.token < p.token : p.after;
  }
  bool operator()(const TokenPosition& p, const PartitionKey& a) const {
    return p.token != a.token ? p.token < a.token : !p.after;
  }
};

/// \brief The static row and the clustering rows (sorted in clustering order) of a partition.
struct Partition {
  RowBlob static_row;
  std::vector<RowBlob> rows;

  bool empty() const noexcept { return static_row.is_null() && rows.empty(); }
};

/// \brief The data of one table, partitions in token order.
///
/// Not synchronised itself: callers hold `mutex()` shared to read and unique to write.
class TableStore {
 public:
  using PartitionMap = std::map<PartitionKey, Partition, PartitionKeyLess>;

  explicit TableStore(std::shared_ptr<const TableSchema> schema);

  const TableSchema& schema() const noexcept { return *schema_; }
  std::shared_ptr<const TableSchema> schema_ptr() const noexcept { return schema_; }
  std::shared_mutex& mutex() const noexcept { return mutex_; }
  PartitionMap& partitions() noexcept { return partitions_; }
  const PartitionMap& partitions() const noexcept { return partitions_; }

  /// Orders two encoded clustering keys in the table's clustering order (DESC respected).
  int CompareClustering(BytesView a, BytesView b) const;
  /// Index of the first row of `partition` not before `clustering`.
  size_t LowerBound(const Partition& partition, BytesView clustering) const;

  /// \brief Rewrites one row (`clustering` nullopt: the static row): `edit` changes its decoded
  /// image; expired cells are dropped, and an empty row (and partition) is removed.
  void MutateRow(const PartitionKey& key, const std::optional<BytesView>& clustering,
                 int64_t now_seconds, const std::function<void(RowImage&)>& edit);
  /// Removes the rows of a partition for which `matches(clustering)` is true, and the static
  /// row too when `include_static`.
  void DeleteRows(const PartitionKey& key, const std::function<bool(BytesView)>& matches,
                  bool include_static);
  void Clear() { partitions_.clear(); }

  /// Heap bytes of the row blobs (for the memory estimate in tests and benchmarks).
  size_t BlobBytes() const;

 private:
  std::shared_ptr<const TableSchema> schema_;
  mutable std::shared_mutex mutex_;
  PartitionMap partitions_;
};

}  // namespace cqlbulk::sim
