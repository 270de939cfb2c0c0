// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/text_options.h"
#include "cqlbulk/formats/text/value_parse.h"

namespace cqlbulk::formats::parquet {

/// \brief Reads a Parquet file's rows into batches of a target schema, as CsvReader and
/// JsonReader do for text (README.md, "Loading Parquet"): target field i comes from the file's
/// top-level field `source_fields[i]`, converted to the target's type:
///
/// - the same kind, or an integer into a wider or equal one, a float into a double, a date or
///   a timestamp into a timestamp, copied (nested values field by field);
/// - an integer into a narrower one, or a double into a float, when the value fits exactly;
/// - text (decimals, varints, inets and everything else cqlbulk writes as text) parsed as the
///   CSV reader parses it (ValueParser, with `text`'s options);
/// - DECIMAL(p, s) into a decimal, or into a varint when s is 0; binary of 4 or 16 bytes
///   into an inet; the struct {months, days, nanoseconds} into a duration; a struct into a
///   struct (a UDT or a tuple) by field name, or by position for tuples.
///
/// A value that does not convert is a RecordError of its row (`record`: the row's 1-based
/// number in the file; `line` 0; `text`: the row as DebugString prints it) and adds no row. A
/// source field the file lacks is MissingField's business for every row. Not thread-safe.
class ParquetRecordReader final : public RecordReader {
 public:
  /// kInvalidArgument naming the field for a source field the file lacks when `missing` is
  /// kError, or a file column whose type can never convert to the target's; errors of
  /// ParquetReader::Open.
  static Result<std::unique_ptr<ParquetRecordReader>> Make(
      std::unique_ptr<RandomAccessFile> file, data::SchemaPtr target,
      std::vector<std::string> source_fields, const TextOptions& text, MissingField missing);
  ~ParquetRecordReader() override;

  Result<size_t> Read(data::BatchBuilder& builder, size_t max_records, RecordInfo& info,
                      std::vector<RecordError>& errors) override;
  int64_t records_consumed() const noexcept override { return consumed_; }
  /// Rows in the file (its footer's count).
  int64_t num_rows() const noexcept;

 private:
  ParquetRecordReader(std::unique_ptr<ParquetReader> reader, std::string name,
                      data::SchemaPtr target, std::vector<int> sources, ValueParser parser,
                      MissingField missing);
  Status ConvertRow(size_t row, data::BatchBuilder& builder);
  /// Appends rows [begin, begin + n) of the batch, a column at a time; false when a value
  /// does not convert (the builder then holds part of the rows: the caller truncates).
  bool ConvertRows(size_t begin, size_t n, data::BatchBuilder& builder);
  /// The bookkeeping of n loaded rows, the last of them record consumed_.
  void AddRecordInfo(RecordInfo& info, size_t n) const;

  std::unique_ptr<ParquetReader> reader_;
  std::string name_;
  data::SchemaPtr target_;
  std::vector<int> sources_;  // per target field: the projected column, or -1 when missing
  ValueParser parser_;
  MissingField missing_;
  std::optional<data::Batch> batch_;
  size_t next_row_ = 0;
  int64_t consumed_ = 0;
};

/// \brief Appends row `row` of `source` to `target`, converted as ParquetRecordReader says
/// (the parser reads text into the target's type). kInvalidArgument with a short reason
/// ("300 does not fit int8", "element 2: not an int: 'x'") when it does not convert; the
/// target may then hold part of the value (the caller truncates the row).
Status AppendConverted(const data::Column& source, size_t row, ValueParser& parser,
                       data::ColumnBuilder& target);

/// \brief Appends rows [begin, begin + n) of `source` to `target` as AppendConverted does row
/// by row, a column at a time: a run of non-null values of the same fixed-width kind is one
/// copy, text goes straight to the parser. The first error is AppendConverted's, and `target`
/// may then hold part of the rows.
Status AppendConvertedRange(const data::Column& source, size_t begin, size_t n,
                            ValueParser& parser, data::ColumnBuilder& target);

}  // namespace cqlbulk::formats::parquet
