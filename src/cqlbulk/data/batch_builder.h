// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/column_builder.h"
#include "cqlbulk/data/schema.h"

namespace cqlbulk::data {

/// \brief Builds Batches of one schema, a column at a time: append one value (or null) to
/// every `column(i)` per row, then Finish().
///
/// One builder per worker is meant to be reused: Finish() hands its buffers to the batch and
/// keeps empty ones of the same capacity, Reset() drops the rows and keeps the buffers.
/// Cut batches by `num_rows()` or `size_bytes()`. Not thread-safe.
class BatchBuilder {
 public:
  /// Reserves room for `capacity_rows` rows (variable-width bytes: 16 per row, then geometric).
  BatchBuilder(SchemaPtr schema, size_t capacity_rows);

  const Schema& schema() const noexcept { return *schema_; }
  size_t num_columns() const noexcept { return columns_.size(); }
  ColumnBuilder& column(size_t i) { return columns_[i]; }
  /// Rows in the first column (every column must reach it before Finish).
  size_t num_rows() const noexcept { return columns_.empty() ? 0 : columns_[0].length(); }
  /// Bytes appended so far, over every buffer.
  size_t size_bytes() const noexcept;
  /// Bytes allocated for every buffer (kept by Reset and Finish).
  size_t capacity_bytes() const noexcept;

  /// The rows appended since the last Finish or Reset, as a Batch; the builder is then empty.
  /// kInvalidArgument, naming the field, when the columns have different lengths, a struct's
  /// children or a list's elements do not line up, or a non-nullable field got a null; the
  /// builder keeps its rows then (Reset() drops them).
  Result<Batch> Finish();
  /// Drops the rows appended so far, keeping every allocation.
  void Reset();
  /// Keeps the first `rows` rows of every column (ColumnBuilder::Truncate): drops a row that
  /// was appended to some columns only, e.g. a record found bad halfway.
  void Truncate(size_t rows);

 private:
  SchemaPtr schema_;
  std::vector<ColumnBuilder> columns_;
};

}  // namespace cqlbulk::data
