// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/ops/iceberg/catalog.h"

namespace cqlbulk::ops {

/// \brief What `unload --format iceberg` does to the table (`--mode`).
enum class IcebergMode : uint8_t {
  kAppend,     ///< created when absent, else the rows are added to it
  kCreate,     ///< created; kAlreadyExists when it exists
  kOverwrite,  ///< created when absent, else the rows replace every row it has
};

/// "append", "create" or "overwrite"; kInvalidArgument naming --mode otherwise.
Result<IcebergMode> ParseIcebergMode(std::string_view name);
std::string_view IcebergModeName(IcebergMode mode);

/// \brief An unload into an Iceberg table (FileFormat::kIceberg).
struct IcebergExportOptions {
  IcebergTableOptions table;
  IcebergMode mode = IcebergMode::kAppend;
  /// `--partition-by` (iceberg::ParsePartitionBy) for a new table; for an existing one it must
  /// be the table's default spec (same source columns and transforms) or empty.
  std::string partition_by;
  /// Rows waiting for their partition's file, all partitions together: past it, they are set
  /// aside on disk until the epoch's end.
  size_t partition_memory = size_t{32} << 20;
  /// The epoch's data files (one a partition) are written and finished, and the ranges in
  /// them checkpointed, once rows of this many bytes (in memory, as read) were written since
  /// the last time (and at the end).
  int64_t checkpoint_bytes = int64_t{1} << 30;
};

/// \brief What an unload committed to its Iceberg table.
struct IcebergExportResult {
  std::string table;              ///< "ns.t"
  std::string metadata_location;  ///< the table's metadata after the commit
  int64_t snapshot_id = 0;
  int64_t data_files = 0;
  int64_t rows = 0;
  int commit_attempts = 0;
  bool created = false;            ///< the table was created by the commit
  bool already_committed = false;  ///< a resumed run found its snapshot committed already
};

}  // namespace cqlbulk::ops
