// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <memory>
#include <memory_resource>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/sim/storage/large_memory.h"
#include "cqlbulk/sim/storage/storage_row.h"

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

/// Orders partitions by (token, key bytes): <0, 0 or >0.
inline int ComparePartitions(int64_t token_a, std::string_view key_a, int64_t token_b,
                             std::string_view key_b) noexcept {
  if (token_a != token_b) return token_a < token_b ? -1 : 1;
  return key_a.compare(key_b);
}

struct PartitionKeyLess {
  using is_transparent = void;
  bool operator()(const PartitionKey& a, const PartitionKey& b) const {
    return ComparePartitions(a.token, a.key, b.token, b.key) < 0;
  }
  bool operator()(const PartitionKey& a, const TokenPosition& p) const {
    return a.token != p.token ? a.token < p.token : p.after;
  }
  bool operator()(const TokenPosition& p, const PartitionKey& a) const {
    return p.token != a.token ? p.token < a.token : !p.after;
  }
};

/// \brief A partition as readers see it: views into the store, valid while its mutex is held
/// and nothing writes.
struct PartitionView {
  int64_t token = 0;
  std::string_view key;
  RowBlob static_row;             ///< null when the partition has none
  std::span<const RowBlob> rows;  ///< in clustering order

  PartitionKey OwnedKey() const { return PartitionKey{token, std::string(key)}; }
};

/// \brief Partitions in ring order, immutable and laid out for scanning: a flat index of
/// (token, record) entries and one arena in which each partition's record (row pointers, then
/// the key) is followed by its rows, so a scan reads memory in address order.
class SortedRun {
 public:
  SortedRun() = default;

  size_t size() const noexcept { return entries_.size(); }
  bool empty() const noexcept { return entries_.empty(); }
  /// Bytes of the index and the arena.
  size_t size_bytes() const noexcept { return bytes_; }

  PartitionView partition(size_t i) const noexcept;
  int64_t token(size_t i) const noexcept { return entries_[i].token; }
  std::string_view key(size_t i) const noexcept;

  /// Index of the first partition not before (token, key), or size().
  size_t LowerBound(int64_t token, std::string_view key) const;
  /// Index of the first partition not before `position`, or size().
  size_t LowerBound(const TokenPosition& position) const;
  /// Index of the partition (token, key), or size().
  size_t Find(int64_t token, std::string_view key) const;

 private:
  friend class SortedRunBuilder;

  static constexpr uint32_t kHasStatic = 0x80000000u;  ///< in Entry::rows

  struct Entry {
    int64_t token = 0;
    const RowBlob* record = nullptr;  ///< rows, then the static row if any, then the key
    uint32_t key_size = 0;
    uint32_t rows = 0;  ///< number of rows, | kHasStatic
  };

  std::pmr::vector<Entry> entries_{LargeAllocationResource()};
  std::unique_ptr<std::pmr::monotonic_buffer_resource> arena_;
  size_t bytes_ = 0;
};

/// \brief Builds a SortedRun from partitions given in ring order, copying their keys and rows.
class SortedRunBuilder {
 public:
  /// The expectations size the first allocations; more is allocated as needed.
  SortedRunBuilder(size_t expected_partitions, size_t expected_bytes);

  /// Appends `partition` after every one added so far (the caller keeps ring order). A
  /// partition without rows or static row is not stored.
  void Add(const PartitionView& partition);
  SortedRun Finish() &&;

 private:
  SortedRun run_;
};

}  // namespace cqlbulk::sim
