// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/avro/container.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// What a data file holds (spec, "Manifests": data_file.content).
enum class DataFileContent : int32_t { kData = 0, kPositionDeletes = 1, kEqualityDeletes = 2 };
/// What a manifest lists (the manifest's `content` metadata; manifest_file.content).
enum class ManifestContent : int32_t { kData = 0, kDeletes = 1 };
/// Whether an entry adds, keeps or removes its file in the snapshot that wrote the manifest.
enum class ManifestEntryStatus : int32_t { kExisting = 0, kAdded = 1, kDeleted = 2 };

/// A sequence number a commit assigns: new manifests carry it until the manifest list is
/// written (Java's UNASSIGNED_SEQ).
inline constexpr int64_t kUnassignedSequenceNumber = -1;

/// \brief A data or delete file and its metrics (spec, "Manifests": data_file). Maps are keyed
/// by field id; bounds are in the single-value binary form. An empty map is written as null.
struct DataFile {
  DataFileContent content = DataFileContent::kData;
  std::string file_path;
  std::string file_format = "PARQUET";
  /// One value per field of the partition spec, in the spec's order.
  std::vector<Literal> partition;
  int64_t record_count = 0;
  int64_t file_size_in_bytes = 0;
  std::map<int32_t, int64_t> column_sizes;
  std::map<int32_t, int64_t> value_counts;
  std::map<int32_t, int64_t> null_value_counts;
  std::map<int32_t, int64_t> nan_value_counts;
  std::map<int32_t, std::string> lower_bounds;
  std::map<int32_t, std::string> upper_bounds;
  std::optional<std::string> key_metadata;
  std::vector<int64_t> split_offsets;
  std::vector<int32_t> equality_ids;  ///< equality delete files
  std::optional<int32_t> sort_order_id;

  friend bool operator==(const DataFile&, const DataFile&) = default;
};

/// \brief An entry of a manifest: a file, whether it was added, kept or deleted, and when.
/// Read entries have their snapshot id and sequence numbers inherited already.
struct ManifestEntry {
  ManifestEntryStatus status = ManifestEntryStatus::kAdded;
  std::optional<int64_t> snapshot_id;
  std::optional<int64_t> sequence_number;
  std::optional<int64_t> file_sequence_number;
  DataFile data_file;

  friend bool operator==(const ManifestEntry&, const ManifestEntry&) = default;
};

/// \brief The summary of one partition field over a manifest's files (manifest list
/// field_summary); bounds in the single-value binary form of the field's result type.
struct PartitionFieldSummary {
  bool contains_null = false;
  std::optional<bool> contains_nan;
  std::optional<std::string> lower_bound;
  std::optional<std::string> upper_bound;

  friend bool operator==(const PartitionFieldSummary&, const PartitionFieldSummary&) = default;
};

/// \brief An entry of a manifest list (spec, "Manifest Lists": manifest_file).
struct ManifestFile {
  std::string manifest_path;
  int64_t manifest_length = 0;
  int32_t partition_spec_id = 0;
  ManifestContent content = ManifestContent::kData;
  /// kUnassignedSequenceNumber until the manifest list that first lists it is written.
  int64_t sequence_number = kUnassignedSequenceNumber;
  int64_t min_sequence_number = kUnassignedSequenceNumber;
  int64_t added_snapshot_id = 0;
  int32_t added_files_count = 0;
  int32_t existing_files_count = 0;
  int32_t deleted_files_count = 0;
  int64_t added_rows_count = 0;
  int64_t existing_rows_count = 0;
  int64_t deleted_rows_count = 0;
  /// One per partition field, in the spec's order; empty when the list had none.
  std::vector<PartitionFieldSummary> partitions;
  std::optional<std::string> key_metadata;

  friend bool operator==(const ManifestFile&, const ManifestFile&) = default;
};

/// \brief The Avro schema JSON of a v2 manifest's entries for a table schema and partition spec:
/// every field with its field id, the partition struct r102 of the spec's fields and result
/// types, maps as arrays of k<id>_v<id> records with the key and value ids. kInvalidArgument
/// when a partition field's source is not a primitive field of the schema.
Result<std::string> ManifestEntrySchemaJson(const Schema& schema, const PartitionSpec& spec);

struct ManifestWriterOptions {
  /// The table's current schema and the spec the files are partitioned by (the manifest's
  /// metadata, and the types of the partition struct r102).
  Schema schema;
  PartitionSpec spec;
  /// The snapshot the manifest is written for: added entries without a snapshot id get it.
  int64_t snapshot_id = 0;
  ManifestContent content = ManifestContent::kData;
  formats::avro::Codec codec = formats::avro::Codec::kDeflate;
};

/// \brief Writes a format v2 manifest (spec, "Manifests"): an Avro container of manifest_entry
/// records whose schema carries every field id, with the key-value metadata schema, schema-id,
/// partition-spec, partition-spec-id, format-version and content. Counts the entries and
/// summarises the partition values for the manifest list. Not thread-safe.
class ManifestWriter {
 public:
  /// \brief `path` is the manifest's location as the manifest list will name it.
  /// kInvalidArgument when a partition field's source is not a primitive field of the schema.
  static Result<std::unique_ptr<ManifestWriter>> Make(std::unique_ptr<formats::OutputStream> sink,
                                                      std::string path,
                                                      ManifestWriterOptions options);
  ~ManifestWriter();

  /// \brief Adds an entry. An added entry's null snapshot id becomes the writer's; its null
  /// sequence numbers stay null (inherited at read time). kInvalidArgument when the partition
  /// tuple does not match the spec (count or types), naming the file.
  Status Add(ManifestEntry entry);
  /// An added file of this snapshot.
  Status AddFile(DataFile file);
  /// \brief Finishes the file; the ManifestFile to put in the manifest list: its sequence number
  /// unassigned, its min_sequence_number the least one written (unassigned when none was).
  Result<ManifestFile> Close();

  /// The Avro schema of the entries (for tests and tools).
  const formats::avro::Schema& avro_schema() const;

 private:
  struct State;
  explicit ManifestWriter(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// \brief What a manifest says of itself in its key-value metadata.
struct ManifestInfo {
  int format_version = 1;
  ManifestContent content = ManifestContent::kData;
  std::optional<int32_t> schema_id;
  std::optional<int32_t> partition_spec_id;
  std::string schema_json;          ///< "schema", as written
  std::string partition_spec_json;  ///< "partition-spec" (the fields array), as written
  /// The partition struct's field ids, in its order.
  std::vector<int32_t> partition_field_ids;
};

/// \brief Reads a manifest written by cqlbulk, PyIceberg or Java, format v1 or v2, data or
/// delete manifest; fields are found by their field ids. Entries get what the spec says they
/// inherit from the manifest list entry: a null snapshot id is its added_snapshot_id, a null
/// sequence number or file sequence number of an added entry is its sequence_number (v1: 0).
/// kCorrupt names the file and the entry.
class ManifestReader {
 public:
  /// \brief `name` names the file in errors; `list_entry` is the manifest list's entry for it
  /// (nullptr: nothing to inherit, nulls stay null).
  static Result<std::unique_ptr<ManifestReader>> Open(std::unique_ptr<formats::InputStream> source,
                                                      std::string name,
                                                      const ManifestFile* list_entry = nullptr);
  ~ManifestReader();

  /// The next entry, or nullopt after the last.
  Result<std::optional<ManifestEntry>> Next();
  /// Every entry left.
  Result<std::vector<ManifestEntry>> ReadAll();

  const ManifestInfo& info() const;

 private:
  struct State;
  explicit ManifestReader(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

/// \brief Writes `entries` as a new manifest at `location` (a local path or file:// location; the
/// file must not exist: kAlreadyExists). The ManifestFile for the manifest list, as Close() gives.
Result<ManifestFile> WriteManifest(const std::string& location, ManifestWriterOptions options,
                                   std::vector<ManifestEntry> entries);

/// \brief Reads the manifest at `path` (a local path or file:// location) whole.
Result<std::vector<ManifestEntry>> ReadManifest(const std::string& path,
                                                const ManifestFile* list_entry = nullptr);

}  // namespace cqlbulk::iceberg
