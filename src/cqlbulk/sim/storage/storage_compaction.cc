// SPDX-License-Identifier: Apache-2.0
// TableStore compaction: the memtable and the sorted run merged into a new run.
#include <algorithm>
#include <memory_resource>
#include <vector>

#include "cqlbulk/sim/storage/storage.h"

namespace cqlbulk::sim {

namespace {

/// `blob` without what has expired at `now_seconds`, re-encoded into `scratch` when something
/// did; null when nothing of it is left.
bool Expiring(RowBlob blob) { return !blob.is_null() && blob.has_expiring(); }

RowBlob Purged(RowBlob blob, const RowLayout& layout, int64_t now_seconds,
               std::pmr::memory_resource& scratch) {
  if (!Expiring(blob)) return blob;
  RowImage image = blob.Decode(layout);
  image.Purge(now_seconds);
  if (image.empty()) return RowBlob();
  return RowBlob::Encode(blob.clustering(), image, layout, scratch);
}

}  // namespace

SortedRun TableStore::BuildMerged(int64_t now_seconds) const {
  // Upper bounds: pages of the arena that the copy does not reach are never touched.
  SortedRunBuilder builder(run_.size() + memtable_->partitions.size(),
                           run_.size_bytes() + memtable_->bytes);
  std::pmr::monotonic_buffer_resource scratch;  // purged rows of one partition
  std::vector<RowBlob> rows;
  for (PartitionCursor cursor = Begin(); !cursor.done(); cursor.Next()) {
    PartitionView partition = cursor.partition();
    if (!Expiring(partition.static_row) &&
        std::none_of(partition.rows.begin(), partition.rows.end(), Expiring)) {
      builder.Add(partition);
      continue;
    }
    partition.static_row = Purged(partition.static_row, layout(true), now_seconds, scratch);
    rows.clear();
    for (RowBlob row : partition.rows) {
      RowBlob kept = Purged(row, layout(false), now_seconds, scratch);
      if (!kept.is_null()) rows.push_back(kept);
    }
    partition.rows = rows;
    builder.Add(partition);  // copies the rows: the scratch can go
    scratch.release();
  }
  return std::move(builder).Finish();
}

TableStore::Retired TableStore::Install(SortedRun run) {
  Retired retired{.run = std::exchange(run_, std::move(run)),
                  .memtable = std::exchange(memtable_, std::make_unique<Memtable>())};
  ++generation_;
  return retired;
}

void TableStore::Compact(int64_t now_seconds) {
  if (memtable_->partitions.empty()) return;
  Install(BuildMerged(now_seconds));
  ++compactions_;
}

bool TableStore::IsIdle() {
  if (memtable_->partitions.empty()) return false;
  bool idle = generation_ == idle_seen_generation_;
  idle_seen_generation_ = generation_;
  return idle;
}

bool TableStore::CompactIfIdle(int64_t now_seconds) {
  std::unique_lock compacting(compaction_mutex_, std::try_to_lock);
  if (!compacting.owns_lock()) return false;  // another thread is at it
  std::optional<SortedRun> next;
  uint64_t generation = 0;
  {
    std::shared_lock read(mutex_);
    if (!IsIdle()) return false;
    generation = generation_;
    next = BuildMerged(now_seconds);
  }
  Retired retired;
  {
    std::unique_lock write(mutex_);
    // Written meanwhile: drop the work; a later look (or a write) compacts.
    if (generation_ != generation) return false;
    retired = Install(std::move(*next));
    ++compactions_;
  }
  return true;  // `retired` is freed here, outside the lock
}

}  // namespace cqlbulk::sim
