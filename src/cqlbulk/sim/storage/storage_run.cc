// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/storage/storage_run.h"

#include <algorithm>
#include <cstring>
#include <memory>

namespace cqlbulk::sim {
namespace {

constexpr size_t kMinArenaBytes = 4096;

}  // namespace

PartitionView SortedRun::partition(size_t i) const noexcept {
  const Entry& e = entries_[i];
  size_t num_rows = e.rows & ~kHasStatic;
  bool has_static = (e.rows & kHasStatic) != 0;
  PartitionView view;
  view.token = e.token;
  view.rows = std::span<const RowBlob>(e.record, num_rows);
  if (has_static) view.static_row = e.record[num_rows];
  view.key =
      std::string_view(reinterpret_cast<const char*>(e.record + num_rows + has_static), e.key_size);
  return view;
}

std::string_view SortedRun::key(size_t i) const noexcept {
  const Entry& e = entries_[i];
  size_t refs = (e.rows & ~kHasStatic) + ((e.rows & kHasStatic) != 0 ? 1 : 0);
  return std::string_view(reinterpret_cast<const char*>(e.record + refs), e.key_size);
}

size_t SortedRun::LowerBound(int64_t token, std::string_view key) const {
  size_t low = 0, high = entries_.size();
  while (low < high) {
    size_t mid = low + (high - low) / 2;
    int64_t t = entries_[mid].token;
    bool before = t != token ? t < token : this->key(mid) < key;
    if (before) {
      low = mid + 1;
    } else {
      high = mid;
    }
  }
  return low;
}

size_t SortedRun::LowerBound(const TokenPosition& position) const {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), position,
                             [](const Entry& e, const TokenPosition& p) {
                               return e.token != p.token ? e.token < p.token : p.after;
                             });
  return static_cast<size_t>(it - entries_.begin());
}

size_t SortedRun::Find(int64_t token, std::string_view key) const {
  size_t i = LowerBound(token, key);
  if (i < entries_.size() && entries_[i].token == token && this->key(i) == key) return i;
  return entries_.size();
}

SortedRunBuilder::SortedRunBuilder(size_t expected_partitions, size_t expected_bytes) {
  run_.entries_.reserve(expected_partitions);
  run_.arena_ = std::make_unique<std::pmr::monotonic_buffer_resource>(
      std::max(expected_bytes, kMinArenaBytes), LargeAllocationResource());
}

void SortedRunBuilder::Add(const PartitionView& partition) {
  bool has_static = !partition.static_row.is_null();
  size_t num_refs = partition.rows.size() + (has_static ? 1 : 0);
  if (num_refs == 0) return;
  std::pmr::memory_resource& arena = *run_.arena_;
  size_t record_bytes = num_refs * sizeof(RowBlob) + partition.key.size();
  auto* record = static_cast<RowBlob*>(arena.allocate(record_bytes, alignof(RowBlob)));
  // The rows right after their record, in order: a scan reads the arena front to back.
  size_t blob_bytes = 0;
  for (size_t i = 0; i < partition.rows.size(); ++i) {
    std::construct_at(record + i, partition.rows[i].CopyTo(arena));
    blob_bytes += partition.rows[i].size_bytes();
  }
  if (has_static) {
    std::construct_at(record + partition.rows.size(), partition.static_row.CopyTo(arena));
    blob_bytes += partition.static_row.size_bytes();
  }
  if (!partition.key.empty()) {
    std::memcpy(record + num_refs, partition.key.data(), partition.key.size());
  }
  run_.entries_.push_back(SortedRun::Entry{.token = partition.token,
                                           .record = record,
                                           .key_size = static_cast<uint32_t>(partition.key.size()),
                                           .rows = static_cast<uint32_t>(partition.rows.size()) |
                                                   (has_static ? SortedRun::kHasStatic : 0)});
  run_.bytes_ += record_bytes + blob_bytes;
}

SortedRun SortedRunBuilder::Finish() && {
  if (run_.entries_.capacity() > run_.entries_.size() + run_.entries_.size() / 4) {
    run_.entries_.shrink_to_fit();
  }
  run_.bytes_ += run_.entries_.capacity() * sizeof(SortedRun::Entry);
  return std::move(run_);
}

}  // namespace cqlbulk::sim
