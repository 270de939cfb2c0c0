// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/data_type.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/value_format.h"

namespace cqlbulk::ops::text {

/// Where a page's rows are read from: the next row's first cell and the rows left.
struct RowsPage {
  const uint8_t* next = nullptr;
  const uint8_t* end = nullptr;
  int32_t rows_left = 0;
};

/// \brief The text a page writer makes, given to its output in pieces of about 64 KiB. A
/// writer keeps its write position in a local `char*` (a store through it may alias anything)
/// and hands it back: Reserve before writing, WriteOut once Full, SetEnd when it stops.
class TextBuffer {
 public:
  static constexpr size_t kPieceBytes = 64 * 1024;

  TextBuffer() : data_(std::make_unique<char[]>(capacity_)) {}

  char* begin() noexcept { return data_.get(); }
  /// Where the next text goes.
  char* end() noexcept { return data_.get() + size_; }
  /// The text up to `p` is buffered.
  void SetEnd(const char* p) noexcept { size_ = static_cast<size_t>(p - data_.get()); }
  /// Makes room for `bound` more bytes at `p` (which moves with the buffer).
  char* Reserve(char* p, size_t bound) {
    if (static_cast<size_t>(data_.get() + capacity_ - p) >= bound) [[likely]] return p;
    return Grow(p, bound);
  }
  /// Whether the text up to `p` makes a piece.
  bool Full(const char* p) const noexcept {
    return static_cast<size_t>(p - data_.get()) >= kPieceBytes;
  }
  /// Gives the text up to `p` to `out`; the buffer is empty then, whatever `out` answers.
  Status WriteOut(const char* p, formats::OutputStream& out) {
    size_ = 0;
    return out.Write(BytesView(reinterpret_cast<const uint8_t*>(data_.get()),
                               static_cast<size_t>(p - data_.get())));
  }
  /// Gives the buffered text to `out`.
  Status Flush(formats::OutputStream& out) {
    if (size_ == 0) return OkStatus();
    return WriteOut(end(), out);
  }
  void Discard() noexcept { size_ = 0; }

 private:
  char* Grow(char* p, size_t bound);

  size_t capacity_ = kPieceBytes + kPieceBytes / 4;
  std::unique_ptr<char[]> data_;
  size_t size_ = 0;
};

/// \brief The rows of `rows`, whose columns must be `num_columns` wide (kProtocol otherwise).
Result<RowsPage> BeginPage(const cql::RowsResult& rows, size_t num_columns);

/// What a scalar column's cells are, one case per wire layout and text form.
enum class ScalarOp : uint8_t {
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

/// The case of a scalar CQL type; false for collections, tuples, UDTs, vectors, custom types.
bool ScalarOpOf(const cql::DataType& type, ScalarOp& op);
/// Whether a zero-length value reads as null (RowDecoder: Cassandra keeps empty values of these
/// types); text, ascii and blob read it as the empty value, the others refuse it.
bool EmptyIsNull(ScalarOp op);
/// \brief Writes the text (formats/README.md, "Values as text") of a non-null cell of `n`
/// bytes at `p`, which has room for it; returns the end, or nullptr when the cell is malformed
/// (RowDecoder's rules). Not for text and ascii (their bytes are the text, once checked).
char* WriteScalarText(char* p, ScalarOp op, const uint8_t* cell, size_t n,
                      const formats::ValueFormatter& formatter);

/// \brief Unload's text fast path: the cells of ROWS pages written straight as text (CSV:
/// CsvPageWriter, JSON lines: JsonPageWriter), without a data::Batch in between.
///
/// Each gives byte for byte what RowDecoder::AppendRows into a batch and then the format's
/// batch writer write, in the same pieces of about 64 KiB. It takes the cells RowDecoder takes;
/// on anything else Write fails with a bare kProtocol, and the caller asks RowDecoder for its
/// precise error (the page is lost either way: its range fails). Not thread-safe.
class PageWriter {
 public:
  virtual ~PageWriter() = default;
  /// \brief The rows of `rows`; kProtocol when its columns are not the writer's.
  virtual Result<RowsPage> Begin(const cql::RowsResult& rows) const = 0;
  /// \brief Writes up to `max_rows` rows of `page` (fewer when it runs out) and returns how
  /// many; kProtocol on a malformed cell or row, kIo from `out`.
  virtual Result<size_t> Write(RowsPage& page, size_t max_rows, formats::OutputStream& out) = 0;
  /// \brief Writes the buffered text to `out`.
  virtual Status Flush(formats::OutputStream& out) = 0;
  /// \brief Drops the buffered text (after a failed range).
  virtual void Discard() noexcept = 0;
};

}  // namespace cqlbulk::ops::text
