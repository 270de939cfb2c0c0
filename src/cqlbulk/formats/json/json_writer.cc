// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/json/json_writer.h"

#include <cstring>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::formats {

namespace {
constexpr size_t kChunkBytes = 64 * 1024;
}  // namespace

Result<std::unique_ptr<JsonWriter>> JsonWriter::Make(OutputStream& out, data::SchemaPtr schema,
                                                     JsonOptions options) {
  if (schema == nullptr) {
    return InvalidArgument("JSON writer: no schema");
  }
  CQLBULK_ASSIGN_OR_RETURN(ValueFormatter formatter, ValueFormatter::Make(options.text));
  return std::unique_ptr<JsonWriter>(new JsonWriter(out, std::move(schema), std::move(formatter)));
}

JsonWriter::JsonWriter(OutputStream& out, data::SchemaPtr schema, ValueFormatter formatter)
    : out_(out), schema_(std::move(schema)), formatter_(std::move(formatter)) {
  for (size_t i = 0; i < schema_->fields.size(); ++i) {
    std::string prefix(1, i == 0 ? '{' : ',');
    AppendJsonString(schema_->fields[i].name, prefix);
    prefix += ':';
    key_prefixes_.push_back(std::move(prefix));
    nested_.push_back(schema_->fields[i].type->is_nested());
  }
  buffer_.Reserve(kChunkBytes + kChunkBytes / 4);
}

void JsonWriter::Append(std::string_view text) {
  if (!text.empty()) {
    std::memcpy(Grow(text.size()), text.data(), text.size());
  }
}

Status JsonWriter::Write(const data::Batch& batch) { return Write(batch, 0, batch.num_rows()); }

Status JsonWriter::Write(const data::Batch& batch, size_t begin, size_t end) {
  if (batch.schema_ptr() != schema_ && batch.schema() != *schema_) {
    return InvalidArgument("JSON writer: the batch's schema is not the writer's");
  }
  if (begin > end || end > batch.num_rows()) {
    return InvalidArgument("JSON writer: rows [" + std::to_string(begin) + ", " +
                           std::to_string(end) + ") of a batch of " +
                           std::to_string(batch.num_rows()));
  }
  const size_t num_columns = batch.num_columns();
  for (size_t row = begin; row < end; ++row) {
    if (num_columns == 0) {
      *Grow(1) = '{';
    }
    for (size_t i = 0; i < num_columns; ++i) {
      const data::Column& column = batch.column(i);
      const std::string& prefix = key_prefixes_[i];
      if (nested_[i] && !column.IsNull(row)) [[unlikely]] {
        Append(prefix);
        scratch_.clear();
        formatter_.AppendJson(column, row, scratch_);
        Append(scratch_);
        continue;
      }
      // The key and the value in one reservation; then down to what was written.
      const size_t before = buffer_.size();
      char* p = Grow(prefix.size() + formatter_.JsonBound(column, row));
      std::memcpy(p, prefix.data(), prefix.size());
      p += prefix.size();
      char* value_end = formatter_.WriteJson(column, row, p);
      buffer_.Truncate(before + prefix.size() + static_cast<size_t>(value_end - p));
    }
    std::memcpy(Grow(2), "}\n", 2);
    ++records_written_;
    if (buffer_.size() >= kChunkBytes) [[unlikely]] {
      CQLBULK_RETURN_IF_ERROR(out_.Write(buffer_.view()));
      buffer_.Clear();
    }
  }
  return OkStatus();
}

Status JsonWriter::Flush() {
  if (!buffer_.empty()) {
    CQLBULK_RETURN_IF_ERROR(out_.Write(buffer_.view()));
    buffer_.Clear();
  }
  return OkStatus();
}

}  // namespace cqlbulk::formats
