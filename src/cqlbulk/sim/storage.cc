// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage.h"

#include <algorithm>

#include "cqlbulk/sim/value_order.h"

namespace cqlbulk::sim {

TableStore::TableStore(std::shared_ptr<const TableSchema> schema) : schema_(std::move(schema)) {}

int TableStore::CompareClustering(BytesView a, BytesView b) const {
  size_t pa = 0, pb = 0;
  for (size_t i = 0; i < schema_->num_clustering; ++i) {
    bool ha = pa < a.size(), hb = pb < b.size();
    if (!ha || !hb) return ha == hb ? 0 : (ha ? 1 : -1);
    auto la = ReadVarint(a, pa);
    auto lb = ReadVarint(b, pb);
    if (!la || !lb || *la > a.size() - pa || *lb > b.size() - pb) return CompareBytes(a, b);
    const ColumnSchema& column = schema_->clustering(i);
    int c = CompareSerialized(*column.type, a.subspan(pa, *la), b.subspan(pb, *lb));
    if (c != 0) return column.is_descending ? -c : c;
    pa += *la;
    pb += *lb;
  }
  return 0;
}

size_t TableStore::LowerBound(const Partition& partition, BytesView clustering) const {
  auto it = std::lower_bound(partition.rows.begin(), partition.rows.end(), clustering,
                             [this](const RowBlob& row, BytesView key) {
                               return CompareClustering(row.clustering(), key) < 0;
                             });
  return static_cast<size_t>(it - partition.rows.begin());
}

void TableStore::MutateRow(const PartitionKey& key, const std::optional<BytesView>& clustering,
                           int64_t now_seconds, const std::function<void(RowImage&)>& edit) {
  auto it = partitions_.find(key);
  if (it == partitions_.end()) {
    it = partitions_.emplace(key, Partition{}).first;
  }
  Partition& partition = it->second;
  RowBlob* slot = nullptr;
  size_t index = 0;
  bool exists = false;
  if (!clustering.has_value()) {
    slot = &partition.static_row;
    exists = !slot->is_null();
  } else {
    index = LowerBound(partition, *clustering);
    exists = index < partition.rows.size() &&
             CompareClustering(partition.rows[index].clustering(), *clustering) == 0;
    if (exists) slot = &partition.rows[index];
  }
  RowImage image = exists ? slot->Decode() : RowImage{};
  edit(image);
  image.Purge(now_seconds);
  if (image.empty()) {
    if (exists && clustering.has_value()) {
      partition.rows.erase(partition.rows.begin() + static_cast<ptrdiff_t>(index));
    } else if (exists) {
      *slot = RowBlob();
    }
  } else {
    RowBlob blob = RowBlob::Encode(clustering.value_or(BytesView{}), image);
    if (!clustering.has_value()) {
      partition.static_row = std::move(blob);
    } else if (exists) {
      *slot = std::move(blob);
    } else {
      partition.rows.insert(partition.rows.begin() + static_cast<ptrdiff_t>(index),
                            std::move(blob));
    }
  }
  if (partition.empty()) partitions_.erase(it);
}

void TableStore::DeleteRows(const PartitionKey& key,
                            const std::function<bool(BytesView)>& matches, bool include_static) {
  auto it = partitions_.find(key);
  if (it == partitions_.end()) return;
  Partition& partition = it->second;
  std::erase_if(partition.rows, [&](const RowBlob& row) { return matches(row.clustering()); });
  if (include_static) partition.static_row = RowBlob();
  if (partition.empty()) partitions_.erase(it);
}

size_t TableStore::BlobBytes() const {
  size_t total = 0;
  for (const auto& [key, partition] : partitions_) {
    total += partition.static_row.size_bytes();
    for (const RowBlob& row : partition.rows) total += row.size_bytes();
  }
  return total;
}

}  // namespace cqlbulk::sim
