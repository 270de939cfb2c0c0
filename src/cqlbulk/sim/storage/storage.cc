// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage/storage.h"

#include <algorithm>

#include "cqlbulk/sim/storage/value_order.h"

namespace cqlbulk::sim {
namespace {

/// What a memtable partition costs beyond its rows: map node, key, vector (an estimate).
constexpr size_t kMemtablePartitionBytes = 128;

PartitionView ViewOf(const MemtablePartitions::value_type& entry) {
  return PartitionView{.token = entry.first.token,
                       .key = entry.first.key,
                       .static_row = entry.second.static_row,
                       .rows = entry.second.rows};
}

}  // namespace

// --- PartitionCursor -------------------------------------------------------------------------

PartitionCursor::PartitionCursor(const SortedRun& run, size_t run_index,
                                 const MemtablePartitions& memtable,
                                 MemtablePartitions::const_iterator memtable_it)
    : run_(&run), run_index_(run_index), memtable_it_(memtable_it), memtable_end_(memtable.end()) {
  Settle();
}

void PartitionCursor::Next() {
  if (from_run_) ++run_index_;
  if (from_memtable_) ++memtable_it_;
  Settle();
}

void PartitionCursor::Settle() {
  while (true) {
    bool has_run = run_index_ < run_->size();
    bool has_memtable = memtable_it_ != memtable_end_;
    if (!has_run && !has_memtable) {
      done_ = true;
      return;
    }
    int order = !has_memtable ? -1
                : !has_run    ? 1
                              : ComparePartitions(run_->token(run_index_), run_->key(run_index_),
                                                  memtable_it_->first.token, memtable_it_->first.key);
    from_run_ = order <= 0;
    from_memtable_ = order >= 0;
    if (!from_memtable_) {
      current_ = run_->partition(run_index_);
      return;
    }
    if (!memtable_it_->second.empty()) {
      current_ = ViewOf(*memtable_it_);
      return;
    }
    // A deleted partition: skip it and the run's version it replaces.
    if (from_run_) ++run_index_;
    ++memtable_it_;
  }
}

// --- TableStore: reading ---------------------------------------------------------------------

TableStore::TableStore(std::shared_ptr<const TableSchema> schema, CompactionPolicy policy)
    : schema_(std::move(schema)),
      policy_(policy),
      regular_layout_(RowLayout::Of(*schema_, ColumnKind::kRegular)),
      static_layout_(RowLayout::Of(*schema_, ColumnKind::kStatic)),
      memtable_(std::make_unique<Memtable>()) {}

TableStore::~TableStore() = default;

PartitionCursor TableStore::CursorAt(size_t run_index,
                                     MemtablePartitions::const_iterator memtable_it) const {
  return PartitionCursor(run_, run_index, memtable_->partitions, memtable_it);
}

PartitionCursor TableStore::Begin() const { return CursorAt(0, memtable_->partitions.begin()); }

PartitionCursor TableStore::Seek(const TokenPosition& position) const {
  return CursorAt(run_.LowerBound(position), memtable_->partitions.lower_bound(position));
}

PartitionCursor TableStore::Seek(const PartitionKey& key) const {
  return CursorAt(run_.LowerBound(key.token, key.key), memtable_->partitions.lower_bound(key));
}

std::optional<PartitionView> TableStore::Find(const PartitionKey& key) const {
  auto it = memtable_->partitions.find(key);
  if (it != memtable_->partitions.end()) {
    if (it->second.empty()) return std::nullopt;
    return ViewOf(*it);
  }
  size_t i = run_.Find(key.token, key.key);
  if (i == run_.size()) return std::nullopt;
  return run_.partition(i);
}

int TableStore::CompareClustering(BytesView a, BytesView b) const {
  ClusteringReader ra(a), rb(b);
  for (size_t i = 0; i < schema_->num_clustering; ++i) {
    std::optional<BytesView> ca = ra.Next(), cb = rb.Next();
    if (!ca || !cb) return ca.has_value() == cb.has_value() ? 0 : (ca ? 1 : -1);
    const ColumnSchema& column = schema_->clustering(i);
    int c = CompareSerialized(*column.type, *ca, *cb);
    if (c != 0) return column.is_descending ? -c : c;
  }
  return 0;
}

size_t TableStore::LowerBound(std::span<const RowBlob> rows, BytesView clustering) const {
  auto it = std::lower_bound(
      rows.begin(), rows.end(), clustering,
      [this](RowBlob row, BytesView key) { return CompareClustering(row.clustering(), key) < 0; });
  return static_cast<size_t>(it - rows.begin());
}

StorageStats TableStore::stats() const {
  return StorageStats{.run_partitions = run_.size(),
                      .run_bytes = run_.size_bytes(),
                      .memtable_partitions = memtable_->partitions.size(),
                      .memtable_bytes = memtable_->bytes,
                      .compactions = compactions_};
}

// --- TableStore: writing ---------------------------------------------------------------------

MemtablePartitions::iterator TableStore::WritablePartition(const PartitionKey& key) {
  MemtablePartitions& partitions = memtable_->partitions;
  auto it = partitions.lower_bound(key);
  if (it != partitions.end() && it->first.token == key.token && it->first.key == key.key) return it;
  MemtablePartition partition{.static_row = {},
                              .rows = std::pmr::vector<RowBlob>(&memtable_->arena)};
  size_t i = run_.Find(key.token, key.key);
  if (i != run_.size()) {
    PartitionView old = run_.partition(i);
    partition.static_row = old.static_row;
    partition.rows.assign(old.rows.begin(), old.rows.end());
    partition.shadows_run = true;
  }
  memtable_->bytes +=
      kMemtablePartitionBytes + key.key.size() + partition.rows.size() * sizeof(RowBlob);
  return partitions.emplace_hint(it, key, std::move(partition));
}

void TableStore::FinishWrite(MemtablePartitions::iterator it, int64_t now_seconds) {
  if (it->second.empty() && !it->second.shadows_run) memtable_->partitions.erase(it);
  ++generation_;
  double due = std::max(static_cast<double>(policy_.min_write_bytes),
                        policy_.write_ratio * static_cast<double>(run_.size_bytes()));
  if (static_cast<double>(memtable_->bytes) >= due) Compact(now_seconds);
}

void TableStore::MutateRow(const PartitionKey& key, const std::optional<BytesView>& clustering,
                           int64_t now_seconds, const std::function<void(RowImage&)>& edit) {
  auto it = WritablePartition(key);
  MemtablePartition& partition = it->second;
  const RowLayout& row_layout = layout(!clustering.has_value());
  RowBlob* slot = nullptr;
  size_t index = 0;
  bool exists = false;
  if (!clustering.has_value()) {
    slot = &partition.static_row;
    exists = !slot->is_null();
  } else {
    index = LowerBound(partition.rows, *clustering);
    exists = index < partition.rows.size() &&
             CompareClustering(partition.rows[index].clustering(), *clustering) == 0;
    if (exists) slot = &partition.rows[index];
  }
  RowImage image = exists ? slot->Decode(row_layout) : RowImage{};
  edit(image);
  image.Purge(now_seconds);
  if (image.empty()) {
    if (exists && clustering.has_value()) {
      partition.rows.erase(partition.rows.begin() + static_cast<ptrdiff_t>(index));
    } else if (exists) {
      *slot = RowBlob();
    }
  } else {
    RowBlob blob =
        RowBlob::Encode(clustering.value_or(BytesView{}), image, row_layout, memtable_->arena);
    memtable_->bytes += blob.size_bytes() + sizeof(RowBlob);
    if (exists) {
      *slot = blob;
    } else if (!clustering.has_value()) {
      partition.static_row = blob;
    } else {
      partition.rows.insert(partition.rows.begin() + static_cast<ptrdiff_t>(index), blob);
    }
  }
  FinishWrite(it, now_seconds);
}

void TableStore::DeleteRows(const PartitionKey& key, const std::function<bool(BytesView)>& matches,
                            bool include_static, int64_t now_seconds) {
  if (!Find(key).has_value()) return;
  auto it = WritablePartition(key);
  MemtablePartition& partition = it->second;
  std::erase_if(partition.rows, [&](RowBlob row) { return matches(row.clustering()); });
  if (include_static) partition.static_row = RowBlob();
  FinishWrite(it, now_seconds);
}

void TableStore::Clear() { Install(SortedRun()); }

void TableStore::Replace(SortedRun run) { Install(std::move(run)); }

}  // namespace cqlbulk::sim
