// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>

namespace cqlbulk::sim {

/// \brief When a table folds its recent writes (the memtable) into its sorted run.
///
/// Compaction copies every live partition into a fresh run in ring order, which is what makes
/// scans read memory front to back; it costs time proportional to the table. Writes trigger it
/// geometrically, so each written byte is copied a bounded number of times and garbage from
/// overwrites and deletes stays below about `write_ratio` times the live data. A scan over a
/// token range first compacts when the memtable has grown past `scan_ratio` of the run, and a
/// table written to and then left alone is compacted by Engine::CompactIdleTables.
struct CompactionPolicy {
  /// Writes compact once the memtable holds `write_ratio` times the run's bytes, and at least
  /// `min_write_bytes`.
  size_t min_write_bytes = size_t{1} << 20;
  double write_ratio = 1.0;
  /// A range scan compacts first once the memtable holds `scan_ratio` times the run's bytes,
  /// and at least `min_scan_bytes`.
  size_t min_scan_bytes = size_t{64} << 10;
  double scan_ratio = 1.0 / 16;
};

}  // namespace cqlbulk::sim
