// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/csv/csv_writer.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/value_format.h"
#include "cqlbulk/ops/cql_data.h"
#include "cqlbulk/ops/text/page_writer.h"

namespace cqlbulk::ops::text {

/// \brief Unload's CSV fast path (PageWriter): what RowDecoder + formats::CsvWriter write, for
/// every dialect and text option, when every column is a scalar CQL type (not a collection,
/// tuple, UDT, vector or custom type: Make returns no writer then). No header (the caller
/// writes it).
class CsvPageWriter final : public PageWriter {
 public:
  /// \brief A writer for `decoder`'s columns in the dialect `options` (whose `header` is
  /// ignored); nullptr when a column's type is not scalar. kInvalidArgument for options
  /// CsvWriter refuses.
  static Result<std::unique_ptr<CsvPageWriter>> Make(const RowDecoder& decoder,
                                                     const formats::CsvOptions& options);

  using Page = RowsPage;
  Result<RowsPage> Begin(const cql::RowsResult& rows) const override {
    return BeginPage(rows, columns_.size());
  }
  Result<size_t> Write(RowsPage& page, size_t max_rows, formats::OutputStream& out) override;
  Status Flush(formats::OutputStream& out) override { return text_.Flush(out); }
  void Discard() noexcept override { text_.Discard(); }

  using Op = ScalarOp;

 private:
  struct Column {
    Op op;
    bool check_quotes;  // its text may need quoting (CsvWriter::MayNeedQuotes)
    bool empty_is_null;  // a zero-length value reads as null (RowDecoder)
  };
  /// A cell of the row being written: its bytes, or a negative length for null.
  struct Cell {
    const uint8_t* data;
    int32_t length;
  };

  CsvPageWriter(const formats::CsvOptions& options, formats::ValueFormatter formatter);

  /// Writes `n` bytes of text, quoted and escaped when they need it.
  char* WriteField(char* p, const char* text, size_t n) const;
  /// The text or ascii cell of `n` bytes at `text`, whose whole 16-byte blocks may be read,
  /// at `p`, which has room for 2n + 18 bytes (whole blocks are stored); nullptr when the
  /// bytes are not valid UTF-8 (text) or not 7-bit (ascii).
  char* WriteTextBlocks(char* p, const Column& column, const char* text, size_t n) const;
  /// Quotes [start, end) in place when it needs it (room for 2 + twice its size).
  char* QuoteInPlace(char* start, char* end) const;

  std::vector<Column> columns_;
  std::vector<Cell> cells_;  // one per column
  size_t row_bound_ = 0;     // the most text a row takes, besides kMaxBytesFactor per byte
  char delimiter_;
  char quote_;
  char escape_;
  std::string null_string_;
  std::string line_end_;
  formats::ValueFormatter formatter_;
  formats::CsvQuoting quoting_;
  alignas(16) char splat_[3][16];  // the delimiter, the quote and the escape, 16 times each
  TextBuffer text_;
};

}  // namespace cqlbulk::ops::text
