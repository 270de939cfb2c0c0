// SPDX-License-Identifier: Apache-2.0
// TableStore compaction: the memtable and the sorted run merged into a new run.
#include <algorithm>

#include "cqlbulk/sim/storage.h"

namespace cqlbulk::sim {

SortedRun TableStore::BuildMerged() const {
  // Upper bounds: pages of the arena that the copy does not reach are never touched.
  SortedRunBuilder builder(run_.size() + memtable_->partitions.size(),
                           run_.size_bytes() + memtable_->bytes);
  for (PartitionCursor cursor = Begin(); !cursor.done(); cursor.Next()) {
    builder.Add(cursor.partition());
  }
  return std::move(builder).Finish();
}

TableStore::Retired TableStore::Install(SortedRun run) {
  Retired retired{.run = std::exchange(run_, std::move(run)),
                  .memtable = std::exchange(memtable_, std::make_unique<Memtable>())};
  ++generation_;
  return retired;
}

void TableStore::Compact() {
  if (memtable_->partitions.empty()) return;
  Install(BuildMerged());
  ++compactions_;
}

bool TableStore::IsIdle() {
  if (memtable_->partitions.empty()) return false;
  bool idle = generation_ == idle_seen_generation_;
  idle_seen_generation_ = generation_;
  return idle;
}

bool TableStore::CompactIfIdle() {
  std::unique_lock compacting(compaction_mutex_, std::try_to_lock);
  if (!compacting.owns_lock()) return false;  // another thread is at it
  std::optional<SortedRun> next;
  uint64_t generation = 0;
  {
    std::shared_lock read(mutex_);
    if (!IsIdle()) return false;
    generation = generation_;
    next = BuildMerged();
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
