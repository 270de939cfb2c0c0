// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace cqlbulk::sim {

/// \brief When a table folds its recent writes (the memtable) into its sorted run.
///
/// Compaction copies every live partition into a fresh run in ring order, which is what lets
/// scans read memory front to back; it costs time in proportion to the table. Writes trigger it
/// geometrically, so each written byte is copied a bounded number of times and the memtable,
/// garbage from overwrites and deletes included, stays below `write_ratio` times the run. A
/// table written to and then left alone is compacted in the background
/// (Engine::CompactIdleTables). Scans never compact: they read the run and the memtable merged,
/// which costs less than a compaction unless the same data is scanned many times over.
struct CompactionPolicy {
  /// Writes compact once the memtable holds `write_ratio` times the run's bytes, and at least
  /// `min_write_bytes`.
  size_t min_write_bytes = size_t{1} << 20;
  double write_ratio = 0.5;
};

}  // namespace cqlbulk::sim
