// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <memory_resource>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <span>
#include <vector>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/sim/model/schema.h"
#include "cqlbulk/sim/storage/compaction_policy.h"
#include "cqlbulk/sim/storage/large_memory.h"
#include "cqlbulk/sim/storage/storage_row.h"
#include "cqlbulk/sim/storage/storage_run.h"

namespace cqlbulk::sim {

/// \brief A partition written since the last compaction: its whole current content (rows
/// that did not change point into the sorted run).
struct MemtablePartition {
  RowBlob static_row;
  std::pmr::vector<RowBlob> rows;  ///< in clustering order
  /// The sorted run holds an older version of this partition, which this one replaces (when
  /// empty: deletes).
  bool shadows_run = false;

  bool empty() const noexcept { return static_row.is_null() && rows.empty(); }
};

using MemtablePartitions = std::pmr::map<PartitionKey, MemtablePartition, PartitionKeyLess>;

/// \brief The writes since the last compaction: the partitions they touched, with their map
/// nodes, row lists and new rows all in one arena that compaction drops in one piece.
struct Memtable {
  Memtable() = default;
  Memtable(const Memtable&) = delete;
  Memtable& operator=(const Memtable&) = delete;

  std::pmr::monotonic_buffer_resource arena{LargeAllocationResource()};
  MemtablePartitions partitions{&arena};  ///< after `arena`: destroyed before it
  size_t bytes = 0;  ///< allocated since the last compaction, garbage included (estimate)
};

/// \brief Partitions of a table in ring order from a starting point: the sorted run and the
/// memtable merged, a memtable partition replacing the run's of the same key and empty ones
/// (deleted partitions) skipped. Valid while the store's mutex is held and nothing writes.
class PartitionCursor {
 public:
  PartitionCursor(const SortedRun& run, size_t run_index, const MemtablePartitions& memtable,
                  MemtablePartitions::const_iterator memtable_it);

  bool done() const noexcept { return done_; }
  const PartitionView& partition() const noexcept { return current_; }
  void Next();

 private:
  void Settle();

  const SortedRun* run_;
  size_t run_index_;
  MemtablePartitions::const_iterator memtable_it_;
  MemtablePartitions::const_iterator memtable_end_;
  PartitionView current_;
  bool from_run_ = false;
  bool from_memtable_ = false;
  bool done_ = false;
};

/// \brief Sizes of a table's storage (tests and benchmarks).
struct StorageStats {
  size_t run_partitions = 0;
  size_t run_bytes = 0;
  size_t memtable_partitions = 0;
  size_t memtable_bytes = 0;  ///< written since the last compaction, garbage included
  uint64_t compactions = 0;
};

/// \brief The data of one table, partitions in ring order, as a log-structured store: writes
/// go to a memtable (a map of partitions whose rows are blobs in an arena); compaction merges
/// it with the immutable sorted run into a new run laid out in ring order (see
/// CompactionPolicy). Reads see the two merged.
///
/// Not synchronised itself: callers hold `mutex()` shared to read and unique to write, except
/// for CompactIfIdle, which takes it itself.
class TableStore {
 public:
  explicit TableStore(std::shared_ptr<const TableSchema> schema, CompactionPolicy policy = {});
  ~TableStore();
  TableStore(const TableStore&) = delete;
  TableStore& operator=(const TableStore&) = delete;

  const TableSchema& schema() const noexcept { return *schema_; }
  std::shared_ptr<const TableSchema> schema_ptr() const noexcept { return schema_; }
  std::shared_mutex& mutex() const noexcept { return mutex_; }
  /// The cells of the static row (`is_static`) or of clustering rows.
  const RowLayout& layout(bool is_static) const noexcept {
    return is_static ? static_layout_ : regular_layout_;
  }

  // Reading: the caller holds mutex() while it uses what these return.

  /// Every partition in ring order.
  PartitionCursor Begin() const;
  /// The partitions from the first one not before `position`.
  PartitionCursor Seek(const TokenPosition& position) const;
  /// The partitions from the first one not before `key`.
  PartitionCursor Seek(const PartitionKey& key) const;
  std::optional<PartitionView> Find(const PartitionKey& key) const;

  /// Orders two encoded clustering keys in the table's clustering order (DESC respected).
  int CompareClustering(BytesView a, BytesView b) const;
  /// Index of the first of `rows` not before `clustering`.
  size_t LowerBound(std::span<const RowBlob> rows, BytesView clustering) const;
  StorageStats stats() const;

  // Writing: the caller holds mutex() unique. Writes may compact (CompactionPolicy).

  /// \brief Rewrites one row (`clustering` nullopt: the static row): `edit` changes its decoded
  /// image; expired cells are dropped, and an empty row (and partition) is removed.
  void MutateRow(const PartitionKey& key, const std::optional<BytesView>& clustering,
                 int64_t now_seconds, const std::function<void(RowImage&)>& edit);
  /// Removes the rows of a partition for which `matches(clustering)` is true, and the static
  /// row too when `include_static`.
  void DeleteRows(const PartitionKey& key, const std::function<bool(BytesView)>& matches,
                  bool include_static, int64_t now_seconds);
  void Clear();
  /// Replaces the whole content with `run` (built from this table's rows, e.g. read back from
  /// a file).
  void Replace(SortedRun run);
  /// Folds the memtable into a new sorted run now. Compactions leave out what has expired at
  /// `now_seconds` (cells, row markers, and rows and partitions left empty).
  void Compact(int64_t now_seconds);

  /// \brief Background compaction: compacts if the memtable is not empty and nothing was
  /// written since the previous call. Takes mutex() itself (the caller must not hold it): the
  /// new run is built under the shared lock, so reads go on meanwhile, and installed under the
  /// unique lock unless something was written in between. Returns whether it compacted.
  bool CompactIfIdle(int64_t now_seconds);

 private:
  /// What a compaction replaces, freed by the caller after releasing the lock.
  struct Retired {
    SortedRun run;
    std::unique_ptr<Memtable> memtable;
  };

  PartitionCursor CursorAt(size_t run_index, MemtablePartitions::const_iterator memtable_it) const;
  /// The memtable entry of `key`, created (from the run's version, if any) when missing.
  MemtablePartitions::iterator WritablePartition(const PartitionKey& key);
  /// Drops `it` if it became empty and replaces nothing; counts the write; compacts if due.
  void FinishWrite(MemtablePartitions::iterator it, int64_t now_seconds);
  /// Whether the memtable holds something and nothing was written since the previous look.
  bool IsIdle();
  SortedRun BuildMerged(int64_t now_seconds) const;
  Retired Install(SortedRun run);

  std::shared_ptr<const TableSchema> schema_;
  CompactionPolicy policy_;
  RowLayout regular_layout_;
  RowLayout static_layout_;
  mutable std::shared_mutex mutex_;

  SortedRun run_;
  std::unique_ptr<Memtable> memtable_;
  uint64_t generation_ = 0;  ///< changes with every write and compaction
  uint64_t compactions_ = 0;

  std::mutex compaction_mutex_;        ///< one background compaction at a time
  uint64_t idle_seen_generation_ = 0;  ///< guarded by compaction_mutex_
};

}  // namespace cqlbulk::sim
