// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/format/metadata.h"
#include "cqlbulk/formats/parquet/schema.h"

namespace cqlbulk::formats::parquet {

/// \brief A simple predicate on a top-level primitive column, checked against each row group's
/// statistics: a row group whose min/max show that no row can match is skipped. The value is
/// in the column's physical form (INT32/INT64 and their dates and timestamps as stored,
/// FLOAT/DOUBLE as double, BYTE_ARRAY and FIXED_LEN_BYTE_ARRAY as bytes). Rows of the row groups
/// that are read are not filtered: this only prunes.
struct StatisticsPredicate {
  enum class Op : uint8_t { kEqual, kLess, kLessOrEqual, kGreater, kGreaterOrEqual };
  std::string column;
  Op op = Op::kEqual;
  std::variant<int64_t, double, std::string> value;
};

struct ReaderOptions {
  /// Top-level fields to read, in this order; empty: all of them.
  std::vector<std::string> columns;
  /// Rows per batch at most.
  size_t batch_rows = 64 * 1024;
  std::vector<StatisticsPredicate> predicates;
  /// The most level entries (values, nulls, empty lists) one column holds for a batch: a
  /// batch of records with more is refused (kCorrupt). It bounds memory where lists are long
  /// (a record of a million elements) or a corrupt page claims many levels in few bytes.
  int64_t max_batch_values = int64_t{1} << 26;
};

/// \brief Reads a Parquet file into data batches (README.md, "Reading Parquet"): the footer,
/// the schema (SchemaFromParquet), then the projected columns a row group at a time, skipping
/// row groups the predicates rule out.
///
/// A row group's projected column chunks are read whole (their compressed bytes), and their
/// pages decoded as batches need them: memory is bounded by one row group's compressed
/// projected chunks plus one batch and one decoded page per column, however many rows a row
/// group holds. A corrupt or truncated file is a kCorrupt error naming the file and what is
/// wrong. Not thread-safe.
class ParquetReader {
 public:
  static Result<std::unique_ptr<ParquetReader>> Open(std::unique_ptr<RandomAccessFile> file,
                                                     ReaderOptions options = {});
  ~ParquetReader();

  /// The projected fields.
  const data::SchemaPtr& schema() const noexcept;
  const FileMetaData& metadata() const noexcept;
  /// The whole file's schema (every field).
  const FileSchema& file_schema() const noexcept;
  /// The next batch of at most batch_rows rows; nullopt at the end of the file.
  Result<std::optional<data::Batch>> Next();
  int64_t rows_read() const noexcept;
  int64_t row_groups_skipped() const noexcept;

 private:
  class Impl;
  explicit ParquetReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// \brief The footer of a Parquet file: checks both magic numbers and the footer length.
Result<FileMetaData> ReadFileMetaData(const RandomAccessFile& file);

}  // namespace cqlbulk::formats::parquet
