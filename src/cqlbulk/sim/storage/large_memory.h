// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory_resource>

namespace cqlbulk::sim {

/// \brief The upstream of the storage arenas: blocks of `kLargeAllocationBytes` and more are
/// whole pages mapped from the operating system (with transparent huge pages requested, so a
/// fresh sorted run faults its memory in 2 MiB at a time) and unmapped on deallocation, so a
/// compacted-away run or memtable gives its memory back at once; smaller blocks come from the
/// heap. Thread-safe.
std::pmr::memory_resource* LargeAllocationResource() noexcept;

/// Blocks at least this large are mapped from the operating system.
inline constexpr size_t kLargeAllocationBytes = size_t{1} << 20;

}  // namespace cqlbulk::sim
