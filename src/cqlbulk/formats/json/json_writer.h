// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/schema.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/json/json_options.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/formats/text/value_format.h"

namespace cqlbulk::formats {

/// \brief Writes batches as JSON lines: one object per row, `{"col":value,...}` and "\n",
/// keys in schema order, null values as null, values in the forms of formats/README.md.
///
/// Output is buffered and written to the stream in pieces of about 64 KiB; call Flush() at
/// the end (the destructor writes nothing). Not thread-safe.
class JsonWriter final : public RecordWriter {
 public:
  /// \brief A writer of `schema`'s rows to `out` (which must outlive it). kInvalidArgument
  /// for bad text options (ValueFormatter::Make).
  static Result<std::unique_ptr<JsonWriter>> Make(OutputStream& out, data::SchemaPtr schema,
                                                  JsonOptions options);

  /// kInvalidArgument when the batch's schema is not the writer's; kIo from the stream.
  Status Write(const data::Batch& batch) override;
  Status Write(const data::Batch& batch, size_t begin, size_t end) override;
  Status Flush() override;
  int64_t records_written() const noexcept override { return records_written_; }

 private:
  JsonWriter(OutputStream& out, data::SchemaPtr schema, ValueFormatter formatter);

  OutputStream& out_;
  data::SchemaPtr schema_;
  ValueFormatter formatter_;
  char* Grow(size_t n) { return reinterpret_cast<char*>(buffer_.Grow(n)); }
  void Append(std::string_view text);

  /// Per column: what comes before its value: `{"name":` for the first, `,"name":` after.
  std::vector<std::string> key_prefixes_;
  /// Per column: whether it is nested (its JSON goes through scratch_).
  std::vector<bool> nested_;
  data::Buffer buffer_;  // what is not yet written to out_
  std::string scratch_;
  int64_t records_written_ = 0;
};

}  // namespace cqlbulk::formats
