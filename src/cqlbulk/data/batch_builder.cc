// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/batch_builder.h"

#include <string>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::data {

BatchBuilder::BatchBuilder(SchemaPtr schema, size_t capacity_rows) : schema_(std::move(schema)) {
  columns_.reserve(schema_->fields.size());
  for (const Field& field : schema_->fields) {
    columns_.emplace_back(field, capacity_rows);
  }
}

size_t BatchBuilder::size_bytes() const noexcept {
  size_t total = 0;
  for (const ColumnBuilder& column : columns_) {
    total += column.size_bytes();
  }
  return total;
}

size_t BatchBuilder::capacity_bytes() const noexcept {
  size_t total = 0;
  for (const ColumnBuilder& column : columns_) {
    total += column.capacity_bytes();
  }
  return total;
}

Result<Batch> BatchBuilder::Finish() {
  size_t rows = num_rows();
  for (const ColumnBuilder& column : columns_) {
    if (column.length() != rows) {
      return InvalidArgument("column '" + column.field().name + "' has " +
                             std::to_string(column.length()) + " rows, column '" +
                             columns_[0].field().name + "' " + std::to_string(rows));
    }
    CQLBULK_RETURN_IF_ERROR(column.Validate());
  }
  std::vector<Column> columns;
  columns.reserve(columns_.size());
  for (ColumnBuilder& column : columns_) {
    columns.push_back(column.Take());
  }
  return Batch(schema_, std::move(columns), rows);
}

void BatchBuilder::Reset() {
  for (ColumnBuilder& column : columns_) {
    column.Reset();
  }
}

void BatchBuilder::Truncate(size_t rows) {
  for (ColumnBuilder& column : columns_) {
    column.Truncate(rows);
  }
}

}  // namespace cqlbulk::data
