// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/text_options.h"
#include "cqlbulk/formats/text/value_parse.h"
#include "cqlbulk/iceberg/table/scan.h"
#include "cqlbulk/ops/iceberg/catalog.h"

namespace cqlbulk::ops {

/// \brief Which Iceberg table a load reads, at which snapshot, and which of its rows.
struct IcebergReadOptions {
  IcebergTableOptions table;
  /// --snapshot-id; with `as_of_ms` unset too: the current snapshot.
  std::optional<int64_t> snapshot_id;
  /// --as-of (milliseconds since the epoch).
  std::optional<int64_t> as_of_ms;
  /// --filter (iceberg/table/expression.h); empty: every row.
  std::string filter;
};

/// \brief What the scan of a load from Iceberg read, for its summary.
struct IcebergScanSummary {
  std::string table;
  std::optional<int64_t> snapshot_id;  ///< nullopt: the table had no snapshot
  std::string filter;
  int64_t manifests = 0;
  int64_t manifests_pruned = 0;
  int64_t files = 0;  ///< live data files in the manifests read
  int64_t files_planned = 0;
  int64_t files_pruned = 0;  ///< by partition values and column metrics
  int64_t records_planned = 0;
  int64_t position_delete_files = 0;  ///< applied (their rows are not loaded)
};

/// \brief Parses --as-of: milliseconds since the epoch, or an ISO timestamp
/// (2024-03-01T10:00:00[.fff][Z|+hh:mm], UTC without a zone). kInvalidArgument otherwise.
Result<int64_t> ParseAsOf(const std::string& text);

/// \brief Reads one data file of an Iceberg scan into a load's target schema (README.md,
/// "Loading from Iceberg"): target field i is the table's field `field_ids[i]`, found in the file
/// by its field id (a renamed column is read right; a field the file lacks is null), and
/// converted as formats::parquet::AppendConverted does (Iceberg long into CQL time: the
/// nanoseconds cqlbulk's export writes). Rows the filter does not match are consumed and
/// skipped (not errors), and so are the rows the task's position delete files delete. Not
/// thread-safe.
class IcebergFileReader final : public formats::RecordReader {
 public:
  static Result<std::unique_ptr<IcebergFileReader>> Make(
      const std::string& path, const iceberg::ScanTask& task, data::SchemaPtr target,
      std::vector<int32_t> field_ids, const iceberg::Expression& filter,
      const std::map<std::string, int32_t>& name_mapping, const formats::TextOptions& text);
  ~IcebergFileReader() override;

  Result<size_t> Read(data::BatchBuilder& builder, size_t max_records, formats::RecordInfo& info,
                      std::vector<formats::RecordError>& errors) override;
  int64_t records_consumed() const noexcept override { return consumed_; }
  int64_t num_rows() const noexcept;
  uint64_t file_size() const noexcept { return file_size_; }

 private:
  IcebergFileReader() = default;
  Status ConvertRow(size_t row, data::BatchBuilder& builder);

  std::string path_;
  uint64_t file_size_ = 0;
  std::unique_ptr<formats::parquet::ParquetReader> reader_;
  data::SchemaPtr target_;
  std::vector<int> sources_;  // per target field: the projected column, or -1 (null)
  std::vector<int32_t> projected_ids_;  // per projected column: its field id
  const iceberg::Expression* filter_ = nullptr;  // null: every row
  std::optional<formats::ValueParser> parser_;
  std::optional<data::Batch> batch_;
  std::vector<uint8_t> selected_;
  std::vector<int64_t> deleted_;  // positions of deleted rows, ascending
  size_t next_deleted_ = 0;
  size_t next_row_ = 0;
  int64_t consumed_ = 0;
};

/// \brief The scan of an Iceberg table that a load reads: its catalog opened, its metadata
/// read, its files planned (iceberg::PlanScan).
class IcebergSource {
 public:
  /// \brief Plans the scan. `source_fields` are the table's fields the load reads, by name
  /// (kInvalidArgument naming the field and the table's columns when one is not in its current
  /// schema).
  static Result<std::shared_ptr<IcebergSource>> Plan(const IcebergReadOptions& options,
                                                      const std::vector<std::string>& source_fields);

  /// The data files to read, as local paths, in the plan's order.
  const std::vector<std::string>& files() const noexcept { return files_; }
  const iceberg::ScanPlan& plan() const noexcept { return plan_; }
  IcebergScanSummary Summary() const;
  /// "table ns.t, snapshot 123: 3 of 5 data files (2 pruned), 1 of 2 manifests pruned"
  std::string Describe() const;
  /// \brief What a load's checkpoint keeps of the scan: the table, the snapshot and the filter,
  /// so that a resumed run reads the same.
  nlohmann::ordered_json CheckpointJson() const;
  /// \brief The snapshot a resumed load reads: the one `checkpoint` (CheckpointJson's) names
  /// (nullopt: the table had none). kInvalidArgument naming `run_dir` when the checkpoint read
  /// another table or filter, or another snapshot than `options` asks for.
  static Result<std::optional<int64_t>> ResumedSnapshot(const nlohmann::ordered_json& checkpoint,
                                                        const IcebergReadOptions& options,
                                                        const std::string& run_dir);

  Result<std::unique_ptr<IcebergFileReader>> Open(const std::string& path, data::SchemaPtr target,
                                                  const formats::TextOptions& text) const;

 private:
  IcebergReadOptions options_;
  iceberg::ScanPlan plan_;
  std::vector<std::string> files_;
  std::vector<int32_t> field_ids_;
  std::unordered_map<std::string, size_t> task_of_;  // path -> plan_.tasks index
};

}  // namespace cqlbulk::ops
