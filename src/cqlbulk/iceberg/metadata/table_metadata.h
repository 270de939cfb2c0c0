// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// \brief A snapshot of a table (spec, "Snapshots").
struct Snapshot {
  int64_t snapshot_id = 0;
  std::optional<int64_t> parent_snapshot_id;
  int64_t sequence_number = 0;  ///< 0 for v1 snapshots
  int64_t timestamp_ms = 0;
  std::string manifest_list;  ///< location of the manifest list
  /// v1 only: the manifests themselves when a snapshot has no manifest list.
  std::vector<std::string> manifests;
  /// "operation" ("append", "replace", "overwrite", "delete") and the other summary entries.
  std::map<std::string, std::string> summary;
  std::optional<int32_t> schema_id;

  /// The summary's "operation", or "" when there is none.
  std::string_view operation() const;

  friend bool operator==(const Snapshot&, const Snapshot&) = default;
};

struct SnapshotLogEntry {
  int64_t snapshot_id = 0;
  int64_t timestamp_ms = 0;
  friend bool operator==(const SnapshotLogEntry&, const SnapshotLogEntry&) = default;
};

struct MetadataLogEntry {
  std::string metadata_file;
  int64_t timestamp_ms = 0;
  friend bool operator==(const MetadataLogEntry&, const MetadataLogEntry&) = default;
};

/// \brief A named reference to a snapshot: a branch ("main") or a tag.
struct SnapshotRef {
  int64_t snapshot_id = 0;
  std::string type = "branch";
  std::optional<int32_t> min_snapshots_to_keep{};
  std::optional<int64_t> max_snapshot_age_ms{};
  std::optional<int64_t> max_ref_age_ms{};
  friend bool operator==(const SnapshotRef&, const SnapshotRef&) = default;
};

/// \brief A sort order; its fields are kept as the JSON they were read as (cqlbulk writes only
/// the unsorted order, id 0, no fields).
struct SortOrder {
  int32_t order_id = 0;
  nlohmann::json fields = nlohmann::json::array();
  friend bool operator==(const SortOrder&, const SortOrder&) = default;
};

/// \brief A table's metadata (spec, "Table Metadata"), format v2 (v1 files are read too).
///
/// Keys the model does not know ("statistics", "partition-statistics", v3 keys...) are kept in
/// `extra` and written back as they were.
struct TableMetadata {
  int format_version = 2;
  std::string table_uuid;
  std::string location;
  int64_t last_sequence_number = 0;
  int64_t last_updated_ms = 0;
  int32_t last_column_id = 0;
  std::vector<Schema> schemas;
  int32_t current_schema_id = 0;
  std::vector<PartitionSpec> partition_specs;
  int32_t default_spec_id = 0;
  int32_t last_partition_id = 999;
  std::map<std::string, std::string> properties;
  std::optional<int64_t> current_snapshot_id;
  std::vector<Snapshot> snapshots;
  std::vector<SnapshotLogEntry> snapshot_log;
  std::vector<MetadataLogEntry> metadata_log;
  std::vector<SortOrder> sort_orders;
  int32_t default_sort_order_id = 0;
  std::map<std::string, SnapshotRef> refs;
  nlohmann::json extra = nlohmann::json::object();

  const Schema* SchemaById(int32_t schema_id) const;
  /// The current schema (nullptr only for metadata that FromJson would have refused).
  const Schema* CurrentSchema() const { return SchemaById(current_schema_id); }
  const PartitionSpec* SpecById(int32_t spec_id) const;
  const PartitionSpec* DefaultSpec() const { return SpecById(default_spec_id); }
  const Snapshot* SnapshotById(int64_t snapshot_id) const;
  /// The current snapshot, or nullptr for a table without one.
  const Snapshot* CurrentSnapshot() const;
  /// \brief The snapshot that was current at `timestamp_ms` (the last snapshot-log entry at or
  /// before it, as Java's SnapshotUtil does; the snapshots' own timestamps when there is no
  /// log). kNotFound when the table had no snapshot then.
  Result<const Snapshot*> SnapshotAsOf(int64_t timestamp_ms) const;

  friend bool operator==(const TableMetadata&, const TableMetadata&) = default;
};

/// \brief The JSON of the spec's "Table Metadata Fields", as Java writes it (current-snapshot-id
/// -1 when there is none); v1 metadata also gets "schema" and "partition-spec".
nlohmann::json TableMetadataToJson(const TableMetadata& metadata);
/// \brief Reads what Java and PyIceberg write, v1 and v2. kCorrupt names the key at fault
/// ("table metadata: snapshots[1]: 'manifest-list' is missing") and refuses metadata whose
/// current schema, default spec, current snapshot or refs point to nothing.
Result<TableMetadata> TableMetadataFromJson(const nlohmann::json& json);
/// \brief Parses metadata JSON text; kCorrupt for text that is not JSON (with its byte offset).
Result<TableMetadata> ParseTableMetadata(std::string_view text);

/// A random (version 4) UUID in its canonical text form.
std::string NewUuid();
/// A random positive snapshot id.
int64_t NewSnapshotId();
/// The wall clock in milliseconds since the epoch.
int64_t NowMillis();

/// \brief The metadata of a new table: a fresh table uuid, format v2, `schema` as schema 0 and
/// `spec` as spec 0 (their ids are set to 0), the unsorted order, no snapshot. Field ids are the
/// schema's own; last-column-id and last-partition-id follow from them. kInvalidArgument when a
/// partition field's source is not a primitive field of the schema, or two partition fields
/// share an id.
Result<TableMetadata> MakeNewTableMetadata(std::string location, Schema schema,
                                           PartitionSpec spec,
                                           std::map<std::string, std::string> properties = {});

/// \brief Adds `snapshot` to `metadata` and makes it current on branch "main": its sequence
/// number becomes last-sequence-number, last-updated-ms its timestamp, and the snapshot log
/// gains it. kInvalidArgument when its id is taken, its sequence number is not above
/// last-sequence-number (v2), or its parent is not the current snapshot.
Status AddSnapshot(TableMetadata& metadata, Snapshot snapshot);

/// \brief "00001-<uuid>.metadata.json": the name of metadata file number `version`.
std::string MetadataFileName(int version, std::string_view uuid);
/// \brief The version number of a metadata location ("…/00012-<uuid>.metadata.json" is 12,
/// Hadoop's "v12.metadata.json" too), or nullopt.
std::optional<int> MetadataFileVersion(std::string_view metadata_location);
/// \brief Where the next metadata file of a table goes: `<location>/metadata/` + the name of the
/// version after `previous` (00000 for a new table) with a fresh uuid.
std::string NextMetadataLocation(const TableMetadata& metadata,
                                 std::optional<std::string_view> previous = std::nullopt);

/// \brief Writes `metadata` at `metadata_location` (a local path or file:// location), creating
/// the directory if needed, whole or not at all and never over an existing file
/// (kAlreadyExists then).
Status WriteTableMetadata(const TableMetadata& metadata, const std::string& metadata_location);
/// \brief Reads the metadata file at `metadata_location`, gzip-compressed or not (kNotFound,
/// kIo, or kCorrupt naming the file and the key).
Result<TableMetadata> ReadTableMetadata(const std::string& metadata_location);

}  // namespace cqlbulk::iceberg
