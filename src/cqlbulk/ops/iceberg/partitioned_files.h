// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/column_builder.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/iceberg/metadata/manifest.h"
#include "cqlbulk/iceberg/spec/schema.h"
#include "cqlbulk/ops/run_directory.h"

namespace cqlbulk::ops {

/// A row of a span of batches: (batch index, row index).
using RowRef = std::pair<uint32_t, uint32_t>;

/// \brief Appends the values of column `column` at `rows` of `batches` to `dst`, in that
/// order, a column at a time: one switch on the type, then a typed loop (fixed-width values
/// gathered into runs appended whole). The batches' column must have `dst`'s layout (field
/// ids and names may differ). Nested values go through CopyValue.
void GatherColumn(std::span<const data::Batch> batches, std::span<const RowRef> rows,
                  size_t column, data::ColumnBuilder& dst);
/// \brief Appends row `row` of `src` to `dst` (same layout), value by value: what
/// GatherColumn does for nested values, and its reference in the tests.
void CopyValue(const data::Column& src, size_t row, data::ColumnBuilder& dst);

/// \brief How PartitionKeyPart reads a partition field's source column.
enum class KeyPartKind : uint8_t {
  kNone,            ///< no number: every row takes the general path
  kInt8,
  kInt16,
  kInt32,           ///< int, date
  kInt64,           ///< bigint, time
  kTimestamp,       ///< a timestamp under another transform: its milliseconds
  kTimestampDay,    ///< a timestamp under day, month or year: its day
  kTimestampHour,   ///< a timestamp under hour: its hour
};
/// How a field of `transform` over a column of `kind` is keyed.
KeyPartKind KeyPartKindOf(data::TypeKind kind, iceberg::Transform::Kind transform);
/// \brief A number for a row's value of one partition field, such that rows whose numbers are
/// equal in every field fall in the same partition (not the converse: a row whose numbers are
/// new only takes the general path, iceberg::LiteralOfValue and ApplyTransform, which never
/// fails for a value with a number). False for a null, for kNone, and for a timestamp within a
/// day of the ends of what microseconds hold (the general path says whether it fits).
inline bool PartitionKeyPart(const data::Column& c, size_t row, KeyPartKind kind, int64_t& out) {
  if (kind == KeyPartKind::kNone || c.IsNull(row)) return false;
  switch (kind) {
    case KeyPartKind::kNone: return false;
    case KeyPartKind::kInt8: out = c.Int8(row); return true;
    case KeyPartKind::kInt16: out = c.Int16(row); return true;
    case KeyPartKind::kInt32: out = c.Int32(row); return true;
    case KeyPartKind::kInt64: out = c.Int64(row); return true;
    case KeyPartKind::kTimestamp:
    case KeyPartKind::kTimestampDay:
    case KeyPartKind::kTimestampHour: {
      constexpr int64_t kDay = 86'400'000;
      // Milliseconds whose microseconds fit, with a day to spare on either side.
      constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / 1000 - kDay;
      const int64_t millis = c.Timestamp(row);
      if (millis > kLimit || millis < -kLimit) return false;
      if (kind == KeyPartKind::kTimestamp) {
        out = millis;
        return true;
      }
      const int64_t unit = kind == KeyPartKind::kTimestampDay ? kDay : 3'600'000;
      out = millis / unit - (millis % unit < 0 ? 1 : 0);  // floor
      return true;
    }
  }
  return false;
}

/// \brief Where a partition field's source is in the rows: a column's index, then the indices of
/// the struct fields (UDTs, tuples) down to it.
struct PartitionSource {
  std::vector<size_t> path;
  iceberg::TypePtr type;  ///< the source's Iceberg type
};

/// \brief The data files an Iceberg export writes between two checkpoints (an "epoch"): rows
/// are routed to a Parquet file per partition, `<location>/data/<partition path>/<run id>-<n>
/// .parquet`, one file a partition an epoch, however many partitions.
///
/// A partitioned table's rows wait in memory as they came, up to `memory_bytes`; then they are
/// grouped by partition and set aside in the epoch's spill log in the run's directory (the
/// batch's buffers as they are: data/serialized_batch.h). At the epoch's end each partition's
/// file is written in one go, from its records set aside and its rows still waiting, one file at
/// a time: row groups as large as the writer's options allow, one writer's memory, whatever the
/// number of partitions. An unpartitioned table's rows go to its one file as they come (a file
/// holds no descriptor between row groups). The epoch's files are synced together at its end.
///
/// Synchronous and not thread-safe: unload's workers all run on one strand.
class PartitionedFiles {
 public:
  struct Options {
    std::string location;  ///< the table's
    std::string run_id;    ///< the files' names start with it
    iceberg::Schema schema;  ///< the fields the files hold, with the table's ids (metrics)
    iceberg::PartitionSpec spec;
    /// Per partition field: where its source is in the rows and its Iceberg type.
    std::vector<PartitionSource> partition_sources;
    data::SchemaPtr data_schema;  ///< the rows' (the files' field ids)
    formats::parquet::WriterOptions writer;
    /// The files' WriterOptions::dictionary_probe_values (replaces writer's): a partition's
    /// file is small, and a dictionary of a column whose values are nearly all distinct
    /// would cost its inserts, its page and its memory for nothing.
    size_t dictionary_probe_values = 512;
    size_t memory_bytes = 32 << 20;
    int next_file = 1;  ///< the number in the next file's name
  };

  PartitionedFiles(Options options, RunDirectory& run);
  ~PartitionedFiles();

  /// \brief Routes every row of `batches` to its partition's file. A partitioned table's rows
  /// wait until `memory_bytes` have come and are set aside together: a range spreads over many
  /// partitions, and each partition's share is copied in one go.
  /// kIo and kInvalidArgument are fatal: part of the rows may be in the files.
  Status Write(std::vector<data::Batch> batches);
  /// The bytes of the rows given to Write this epoch (in memory, as they were read).
  uint64_t bytes() const noexcept { return taken_bytes_; }
  /// \brief Writes and finishes every file (footer written, synced): the epoch's data files,
  /// with metrics from their footers. The next epoch starts empty.
  Result<std::vector<iceberg::DataFile>> FinishAll();
  /// Removes every file of the epoch (a failed run).
  void Abandon();

  int next_file() const noexcept { return options_.next_file; }
  /// Values the Parquet type mapping changed (rounded, truncated), in finished files.
  int64_t values_changed() const noexcept { return values_changed_; }

 private:
  struct Partition;
  struct Group;

  /// Hashes a partition tuple (the paths' cache).
  struct LiteralsHash {
    size_t operator()(const std::vector<iceberg::Literal>& values) const noexcept;
  };

  /// An unpartitioned table's rows: to its file as they are, or through its builder.
  Status Route(std::span<const data::Batch> batches);
  /// The rows of `batches` grouped by partition, in the order of the partitions' paths (their
  /// rows in grouped_, until the next call).
  Status GroupRows(std::span<const data::Batch> batches, std::vector<Group>& groups);
  /// Sets the staged rows aside, a record per partition (and per kBuilderRows rows).
  Status SpillStaged();
  /// `rows` of `batches` as one batch, through scratch_.
  Result<data::Batch> Gather(std::span<const data::Batch> batches, std::span<const RowRef> rows);
  Partition& Find(const std::string& key, const std::vector<iceberg::Literal>& values);
  /// The partition path of `values`, made once an epoch.
  Result<const std::string*> PathOf(const std::vector<iceberg::Literal>& values);
  /// Appends `rows` to the partition's builder, encoding it whenever it is full.
  Status Append(Partition& p, std::span<const data::Batch> batches, std::span<const RowRef> rows);
  /// Whether a batch can go to the writers as it is (the files' types, ids aside, and no null
  /// in a required column).
  bool WritesAsIs(const data::Batch& batch) const;
  /// Partitioned tables set rows aside on disk until the epoch ends; an unpartitioned one
  /// encodes them as they come.
  bool spilling() const noexcept { return !options_.spec.fields.empty(); }
  /// Appends `batch`, rows of the partition, to the epoch's spill log.
  Status Spill(Partition& p, const data::Batch& batch);
  /// Writes the partition's rows set aside into its file.
  Status WriteSpilled(Partition& p);
  /// Encodes the rows waiting in the partition's builder.
  Status Encode(Partition& p);
  Status StartFile(Partition& p);
  /// Writes the rest of the partition's rows (set aside, `staged`, in its builder) and its
  /// footer.
  Result<iceberg::DataFile> Finish(Partition& p, std::span<const RowRef> staged);
  Status KeepWithinBudget();
  void Account(Partition& p);
  void Forget(Partition& p);

  Options options_;
  RunDirectory* run_;
  class SpillLog;
  std::string spill_dir_;  ///< in the run's directory
  int next_spill_ = 1;
  std::unique_ptr<SpillLog> spill_;  ///< the epoch's, once rows are set aside
  data::Buffer spill_buffer_;        ///< a record read back
  size_t builder_bytes_;  ///< rows an unpartitioned table's builder holds before they are encoded
  data::BatchBuilder scratch_;  ///< rows gathered to be set aside or written (partitioned)
  /// The last finished file's writer, restarted for the next file (ParquetWriter::Restart).
  std::unique_ptr<formats::parquet::ParquetWriter> spare_writer_;
  std::map<std::string, std::unique_ptr<Partition>> partitions_;  ///< by partition path
  /// Partition tuples seen this epoch and their paths.
  std::unordered_map<std::vector<iceberg::Literal>, std::string, LiteralsHash> paths_;
  std::vector<data::Batch> staged_;  ///< rows not yet set aside (partitioned tables)
  std::vector<uint32_t> group_of_row_;  ///< GroupRows' scratch
  std::vector<RowRef> grouped_;         ///< the rows of GroupRows' groups
  size_t staged_bytes_ = 0;
  uint64_t taken_bytes_ = 0;  ///< bytes()
  size_t held_bytes_ = 0;     ///< the partitions' memory, as last accounted (unpartitioned)
  int64_t values_changed_ = 0;
};

}  // namespace cqlbulk::ops
