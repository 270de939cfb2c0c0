// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/text/text_options.h"
#include "cqlbulk/formats/text/value_format.h"
#include "cqlbulk/ops/cql_data.h"
#include "cqlbulk/ops/text/page_writer.h"

namespace cqlbulk::ops::text {

/// \brief Unload's JSON-lines fast path (PageWriter): what RowDecoder + formats::JsonWriter
/// write, one object a row, for every text option, when every column is a scalar CQL type
/// (Make returns no writer otherwise).
class JsonPageWriter final : public PageWriter {
 public:
  /// \brief A writer for `decoder`'s columns, keyed by its schema's field names; nullptr when
  /// a column's type is not scalar. Errors of ValueFormatter::Make.
  static Result<std::unique_ptr<JsonPageWriter>> Make(const RowDecoder& decoder,
                                                      const formats::TextOptions& options);

  Result<RowsPage> Begin(const cql::RowsResult& rows) const override {
    return BeginPage(rows, columns_.size());
  }
  Result<size_t> Write(RowsPage& page, size_t max_rows, formats::OutputStream& out) override;
  Status Flush(formats::OutputStream& out) override { return text_.Flush(out); }
  void Discard() noexcept override { text_.Discard(); }

 private:
  struct Column {
    ScalarOp op;
    bool empty_is_null;
    std::string prefix;  // '{' or ',', the key as a JSON string, ':'
  };

  explicit JsonPageWriter(formats::ValueFormatter formatter);
  /// Writes one non-null value; nullptr when malformed.
  char* WriteValue(char* p, const Column& column, const uint8_t* cell, size_t n);

  std::vector<Column> columns_;
  formats::ValueFormatter formatter_;
  bool iso_timestamps_ = true;  // ISO text needs no JSON escapes
  size_t row_bound_ = 0;        // the most text a row takes, besides kJsonBytesFactor per byte
  std::string scratch_;         // a patterned timestamp's text, before escaping
  TextBuffer text_;
};

}  // namespace cqlbulk::ops::text
