// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/metadata/table_metadata.h"
#include "cqlbulk/iceberg/table/expression.h"

namespace cqlbulk::iceberg {

/// \brief Which snapshot a scan reads and which rows it keeps.
struct ScanOptions {
  /// The table's name, for messages.
  std::string table_name;
  /// The snapshot to read; unset with `as_of_ms` unset: the current one.
  std::optional<int64_t> snapshot_id;
  /// The snapshot that was current at this time (milliseconds since the epoch).
  std::optional<int64_t> as_of_ms;
  /// The row filter (--filter), unparsed; empty: every row.
  std::string filter;
};

/// \brief A data file to read, and what the scan knows of it.
struct ScanTask {
  DataFile file;
  int32_t spec_id = 0;
  int64_t sequence_number = 0;  ///< the file's data sequence number
  /// The position delete files that apply to it (spec, "Scan Planning": same partition, or an
  /// unpartitioned delete file; a data sequence number at least the data file's): its rows at
  /// the positions they list for its path are deleted.
  std::vector<DataFile> position_deletes;
};

/// \brief What PlanScan found: the files to read and what it pruned.
struct ScanPlan {
  /// The snapshot read; nullopt for a table without snapshots (nothing to read).
  std::optional<int64_t> snapshot_id;
  /// The table's current schema: the files' columns are read by its field ids.
  Schema schema;
  /// The filter bound to `schema` (Op::kTrue without one).
  Expression filter;
  /// The table's name mapping (property schema.name-mapping.default), top-level names to field
  /// ids: how the columns of data files written without field ids are found (spec, "Column
  /// Projection"). Empty when the table has none.
  std::map<std::string, int32_t> name_mapping;
  std::vector<ScanTask> tasks;
  int64_t manifests = 0;         ///< data manifests in the snapshot
  int64_t manifests_pruned = 0;  ///< by their partition summaries
  int64_t files = 0;             ///< live data files in the manifests read
  int64_t files_pruned_by_partition = 0;
  int64_t files_pruned_by_metrics = 0;
  int64_t records = 0;  ///< in the files to read (before the row filter)
  int64_t position_delete_files = 0;  ///< live position delete files of the snapshot
};

/// \brief Plans a scan of `metadata` (spec, "Scan Planning"): the chosen snapshot's manifest
/// list; data manifests pruned by their partition summaries (the filter's inclusive projection
/// through each manifest's spec); their live entries (ADDED and EXISTING: DELETED ones are
/// gone) pruned by partition tuple and column metrics. Position delete files are attached to the
/// data files they apply to (the reader drops those rows); a snapshot with live equality delete
/// files is kUnimplemented naming the table, the snapshot and the number of them: cqlbulk never
/// returns deleted rows. kNotFound for an unknown snapshot id or no snapshot at the time;
/// kInvalidArgument for a bad filter (naming the text, the position and the column).
Result<ScanPlan> PlanScan(const TableMetadata& metadata, const ScanOptions& options);

}  // namespace cqlbulk::iceberg
