// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/value_format.h"
#include "cqlbulk/ops/cql_data.h"

namespace cqlbulk::ops::text {

/// \brief Unload's CSV fast path: the cells of ROWS pages written straight as CSV text, without
/// a data::Batch in between.
///
/// Gives byte for byte what RowDecoder::AppendRows into a batch and then formats::CsvWriter
/// write, for every dialect and text option, when every column is a scalar CQL type (not a
/// collection, tuple, UDT, vector or custom type: Make returns no writer then). It takes the
/// cells RowDecoder takes (same length, UTF-8, ASCII and timeuuid checks; a zero-length value
/// is a null where RowDecoder reads it so); on anything else Write fails with a bare kProtocol
/// and the caller asks RowDecoder for its precise error (the page is lost either way: its range
/// fails). Output is buffered and written to the stream in pieces of about 64 KiB, at the same
/// row boundaries as CsvWriter; no header (the caller writes it). Not thread-safe.
class CsvPageWriter {
 public:
  /// \brief A writer for `decoder`'s columns in the dialect `options` (whose `header` is
  /// ignored); nullptr when a column's type is not scalar. kInvalidArgument for options
  /// CsvWriter refuses.
  static Result<std::unique_ptr<CsvPageWriter>> Make(const RowDecoder& decoder,
                                                     const formats::CsvOptions& options);

  /// Where a page's rows are read from: see Begin.
  struct Page {
    const uint8_t* next = nullptr;
    const uint8_t* end = nullptr;
    int32_t rows_left = 0;
  };
  /// \brief The rows of `rows`; kProtocol when its columns are not the writer's.
  Result<Page> Begin(const cql::RowsResult& rows) const;

  /// \brief Writes up to `max_rows` rows of `page` (fewer when it runs out) and returns how
  /// many; kProtocol on a malformed cell or row (see the class comment), kIo from `out`.
  Result<size_t> Write(Page& page, size_t max_rows, formats::OutputStream& out);
  /// \brief Writes the buffered text to `out`.
  Status Flush(formats::OutputStream& out);
  /// \brief Drops the buffered text (after a failed range).
  void Discard() noexcept { size_ = 0; }

  /// What a column's cells are, one case per wire layout and text form.
  enum class Op : uint8_t {
    kBoolean,
    kInt8,
    kInt16,
    kInt32,
    kInt64,
    kTimestamp,
    kFloat32,
    kFloat64,
    kText,
    kAscii,
    kBlob,
    kUuid,
    kTimeUuid,
    kDate,
    kTime,
    kDuration,
    kInet,
    kVarint,
    kDecimal,
  };

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

  /// Makes room for `bound` more bytes at `p` (which moves with the buffer).
  char* Reserve(char* p, size_t bound) {
    if (static_cast<size_t>(buffer_.get() + capacity_ - p) >= bound) [[likely]] return p;
    return Grow(p, bound);
  }
  char* Grow(char* p, size_t bound);
  bool NeedsQuotes(const char* text, size_t n) const noexcept;
  bool HasSpecial(const char* text, size_t n) const noexcept;
  /// Writes `n` bytes of text, quoted and escaped when they need it.
  char* WriteField(char* p, const char* text, size_t n) const;
  /// The text or ascii cell of `n` bytes at `text`, whose whole 16-byte blocks may be read,
  /// at `p`, which has room for 2n + 18 bytes (whole blocks are stored); nullptr when the
  /// bytes are not valid UTF-8 (text) or not 7-bit (ascii).
  char* WriteTextBlocks(char* p, const Column& column, const char* text, size_t n) const;
  /// Quotes [start, end) in place when it needs it (room for 2 + twice its size).
  char* QuoteInPlace(char* start, char* end) const;
  /// Writes one non-null cell; nullptr when malformed.
  char* WriteCell(char* p, const Column& column, const uint8_t* cell, size_t n);

  std::vector<Column> columns_;
  std::vector<Cell> cells_;  // one per column
  size_t row_bound_ = 0;     // the most text a row takes, besides kMaxBytesFactor per byte
  char delimiter_;
  char quote_;
  char escape_;
  std::string null_string_;
  std::string line_end_;
  formats::ValueFormatter formatter_;
  std::array<bool, 256> special_{};
  alignas(16) char splat_[3][16];  // the delimiter, the quote and the escape, 16 times each
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;
  size_t size_ = 0;
};

}  // namespace cqlbulk::ops::text
