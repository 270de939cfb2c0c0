// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/catalog/catalog.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/table/table.h"

namespace cqlbulk::iceberg {

/// What a commit does to the files already in the table.
enum class CommitOperation : uint8_t {
  kAppend,     ///< the new files join the live ones ("append")
  kOverwrite,  ///< the new files replace every live data file ("overwrite")
};

/// \brief The table to create when a commit finds none: the commit then registers it with the
/// new snapshot as its first, in one step (a failed commit leaves no table behind).
struct NewTableOptions {
  std::string location;
  Schema schema;
  PartitionSpec spec;
  std::map<std::string, std::string> properties;
};

struct CommitOptions {
  CommitOperation operation = CommitOperation::kAppend;
  /// Extra snapshot summary entries (say "cqlbulk.run-id"), beside the ones the operation
  /// writes.
  std::map<std::string, std::string> summary_properties;
  /// When set, the commit is made at most once: an attempt that finds a snapshot in the
  /// current snapshot's history whose summary has this key and value commits nothing and gives
  /// that snapshot (`already_committed`).
  std::optional<std::pair<std::string, std::string>> once_key;
  /// When the table does not exist: create it with the snapshot (else kNotFound).
  std::optional<NewTableOptions> create;
  /// With `create`: kAlreadyExists when the table exists (CREATE, not CREATE IF NOT EXISTS),
  /// unless it holds the once-key's snapshot.
  bool must_create = false;
  /// The new snapshot's id (else a random one): the one `manifests` were written for.
  std::optional<int64_t> snapshot_id;
  /// Manifests written ahead, for `snapshot_id`, that hold the files to add: the commit
  /// writes none, and its `files` only count them for the snapshot summary (their paths,
  /// partitions, record counts and sizes; metrics are not needed). Empty: the commit writes
  /// the files' manifest.
  std::vector<ManifestFile> manifests;
  /// Attempts on lost races (kConflict), with a random back-off between min and max that
  /// doubles each time.
  int max_attempts = 20;
  std::chrono::milliseconds min_backoff{10};
  std::chrono::milliseconds max_backoff{2000};
};

struct CommitResult {
  Table table;  ///< as committed (or as found, when already_committed)
  int64_t snapshot_id = 0;
  int attempts = 0;
  bool already_committed = false;
  bool created = false;  ///< the table was created by this commit
};

/// \brief Commits `files` (Parquet data files with their metrics and partition tuples,
/// written with the field ids of `schema` and partitioned by `spec`) as one new snapshot of
/// table `id` on branch main (spec, "Commit Conflict Resolution and Retry").
///
/// The files' manifest is written once (unless options.manifests holds them); then each
/// attempt loads the current metadata, checks that it still fits the files (its current
/// schema holds every field of `schema` with the same id and type; its default spec is
/// `spec`), writes a manifest list (the new manifests, then the base snapshot's manifests
/// for an append; for an overwrite a manifest marking every live data file DELETED, with the
/// base's delete manifests), a snapshot numbered
/// last-sequence-number + 1 whose parent is the base's current snapshot, and a new metadata
/// file, and swaps the catalog's pointer. A lost race (kConflict) is retried on the new base
/// after a back-off; the loser's manifest list and metadata file are removed.
///
/// kInvalidArgument when the base no longer fits the files, naming what changed;
/// kConflict after max_attempts lost races; kNotFound when the table does not exist and
/// `create` is not set; kAlreadyExists with `must_create` when it exists. On any error the
/// table is as it was (the data files and the manifest stay, for the caller to list).
Result<CommitResult> CommitFiles(Catalog& catalog, const TableIdentifier& id,
                                 const std::vector<DataFile>& files, const Schema& schema,
                                 const PartitionSpec& spec, const CommitOptions& options = {});

/// \brief The summary of a snapshot whose added files replace every file of `deleted`, on top
/// of `parent`: AppendSummary's keys for the added files, "operation" "overwrite",
/// deleted-data-files, deleted-records and removed-files-size (when any was deleted),
/// changed-partition-count over both, and totals of the added files plus the parent's delete
/// files.
std::map<std::string, std::string> OverwriteSummary(const Snapshot* parent,
                                                    const std::vector<DataFile>& added,
                                                    const std::vector<DataFile>& deleted);

/// \brief Whether `schema` (a table's current schema) holds every field of `written` with the
/// same id, type and name; kInvalidArgument naming the first that differs.
Status CheckSchemaFits(const Schema& schema, const Schema& written);

}  // namespace cqlbulk::iceberg
