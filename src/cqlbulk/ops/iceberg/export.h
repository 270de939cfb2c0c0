// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/ops/iceberg/export_options.h"
#include "cqlbulk/ops/run_directory.h"
#include "cqlbulk/ops/unload.h"

namespace cqlbulk::ops {

/// \brief The Iceberg sink of an unload: routes the rows of committed ranges to the data file
/// of their partition (a bounded number open at once), finishes every open file at the end of
/// an "epoch" (when the ranges in them become done and the files go into the checkpoint), and
/// commits every file as one snapshot at the end, at most once per run (its run id is in the
/// snapshot summary as "cqlbulk.run-id").
///
/// Synchronous and not thread-safe: unload's workers all run on one strand.
class IcebergExport {
 public:
  /// \brief Opens the table the options name (or plans a new one) for rows of `schema`, whose
  /// `primary_key` columns become required identifier fields of a new table. `checkpoint` is
  /// the "iceberg" part of the resumed run's checkpoint (nullptr for a new run): its finished
  /// files are kept (metrics read again from their footers), its other data files removed.
  /// kInvalidArgument when an existing table does not fit the rows (a column missing or of
  /// another type, another partition spec), kAlreadyExists for `create` on an existing table.
  static Result<std::unique_ptr<IcebergExport>> Open(const UnloadOptions& options,
                                                     data::SchemaPtr schema,
                                                     std::vector<std::string> primary_key,
                                                     RunDirectory& run,
                                                     const nlohmann::ordered_json* checkpoint);
  ~IcebergExport();

  /// \brief Writes every row of a committed range. kIo and kInvalidArgument are fatal: part of
  /// the range may be in the open files (the run stops; a resumed run redoes the epoch).
  Status WriteRange(std::vector<data::Batch> batches);
  /// The range `index` (its rows written) becomes done when the epoch ends.
  void AddPending(size_t index, int64_t rows);
  /// Whether the epoch has taken checkpoint_bytes of rows.
  bool EpochFull() const;
  /// \brief Finishes every open file: the epoch's ranges (returned, with their rows) are done.
  Result<std::vector<std::pair<size_t, int64_t>>> EndEpoch();
  /// The checkpoint's "iceberg" part: run id, table, snapshot id, the manifests of the
  /// finished files.
  nlohmann::ordered_json CheckpointJson() const;
  /// The finished data files' locations.
  std::vector<std::string> file_paths() const;
  /// \brief Commits the finished files as one snapshot (at most once for the run).
  Result<IcebergExportResult> Commit();
  /// \brief A failed or interrupted run: unfinished files are removed; the finished ones (kept
  /// for --resume) are logged and returned.
  std::vector<std::string> Abandon();

  int64_t values_changed() const;
  uint64_t bytes_finished() const;
  const std::string& table_name() const;

 private:
  struct State;
  explicit IcebergExport(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// \brief Exports a Cassandra table into an Iceberg table (the seed's `export_to_iceberg`):
/// UnloadSync with FileFormat::kIceberg. `options.iceberg` names the table and catalog; the
/// result's `iceberg` holds the snapshot committed.
Result<UnloadResult> ExportToIceberg(UnloadOptions options);

}  // namespace cqlbulk::ops
