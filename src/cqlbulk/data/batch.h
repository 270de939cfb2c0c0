// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column.h"
#include "cqlbulk/data/schema.h"

namespace cqlbulk::data {

/// \brief Rows in columnar form: a shared Schema and one Column per field, all num_rows()
/// long. Move-only (a batch owns its buffers; copying one would be an accident on the hot
/// path). Made by BatchBuilder::Finish.
class Batch {
 public:
  Batch(Batch&&) noexcept = default;
  Batch& operator=(Batch&&) noexcept = default;
  Batch(const Batch&) = delete;
  Batch& operator=(const Batch&) = delete;

  const Schema& schema() const noexcept { return *schema_; }
  const SchemaPtr& schema_ptr() const noexcept { return schema_; }
  size_t num_rows() const noexcept { return num_rows_; }
  size_t num_columns() const noexcept { return columns_.size(); }
  const Column& column(size_t i) const { return columns_.at(i); }
  /// The column of the first field with that name, or nullptr.
  const Column* ColumnByName(std::string_view name) const {
    std::optional<size_t> index = schema_->FieldIndex(name);
    return index ? &columns_[*index] : nullptr;
  }
  /// Bytes in use by every column's buffers.
  size_t size_bytes() const noexcept {
    size_t total = 0;
    for (const Column& column : columns_) {
      total += column.size_bytes();
    }
    return total;
  }

 private:
  friend class BatchBuilder;
  friend Result<Batch> ReadSerializedBatch(BytesView& in, const SchemaPtr& schema);
  Batch(SchemaPtr schema, std::vector<Column> columns, size_t num_rows)
      : schema_(std::move(schema)), columns_(std::move(columns)), num_rows_(num_rows) {}

  SchemaPtr schema_;
  std::vector<Column> columns_;
  size_t num_rows_ = 0;
};

}  // namespace cqlbulk::data
