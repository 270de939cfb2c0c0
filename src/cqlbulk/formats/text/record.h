// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/data/batch_builder.h"

namespace cqlbulk::formats {

/// \brief A record that could not be read or converted: where it is, its text, and why.
struct RecordError {
  std::string source;      ///< the file (or "-" for stdin)
  int64_t line = 0;        ///< 1-based line where the record starts (0: unknown)
  int64_t record = 0;      ///< 1-based record number in the source (header not counted)
  std::string field;       ///< the source field (CSV header name or JSON key); empty: whole record
  std::string text;        ///< the record's original text (as read, without the line end)
  std::string reason;      ///< e.g. "not an int: 'abc'", "3 fields, the header has 4"
};

/// \brief What a reader tells about each good record it appended to a batch, row by row.
struct RecordInfo {
  std::vector<int64_t> lines;    ///< line where row i's record starts
  std::vector<int64_t> records;  ///< row i's 1-based record number in the source
  std::string text;              ///< the rows' original texts, one after another
  std::vector<uint32_t> text_end;  ///< row i's text is [text_end[i-1], text_end[i]) of `text`
  /// Per target column: empty when every row set it; else one byte per row, 1 = the record
  /// did not have the field (left unset when loading, unlike null).
  std::vector<std::vector<uint8_t>> unset;

  size_t size() const noexcept { return lines.size(); }
  std::string_view Text(size_t row) const noexcept {
    uint32_t begin = row == 0 ? 0 : text_end[row - 1];
    return std::string_view(text).substr(begin, text_end[row] - begin);
  }
  bool IsUnset(size_t column, size_t row) const noexcept {
    return column < unset.size() && !unset[column].empty() && unset[column][row] != 0;
  }
  /// Empties every vector, keeping their memory.
  void Clear();
};

/// \brief What a reader does with a target column that a record does not have.
enum class MissingField : uint8_t {
  kUnset,  ///< leave it unset (the default: a load does not overwrite it)
  kNull,   ///< read it as null
  kError,  ///< the record is bad
};

/// \brief One target column's field of a record, as a reader hands it to a RecordSink.
struct RecordField {
  enum class State : uint8_t {
    kText,     ///< `text` (unescaped) is the value's text
    kNull,     ///< the null string, unquoted
    kMissing,  ///< the record has no such field (MissingField decides)
  };
  std::string_view text;
  State state = State::kText;
};

/// \brief Takes a reader's good records field by field and converts them itself (ops' CSV load
/// writes them as CQL values), instead of the reader converting them into a batch.
class RecordSink {
 public:
  virtual ~RecordSink() = default;
  /// \brief Converts one record: `fields` has one entry per target column, valid during the
  /// call only. On error, the record adds nothing; `column` is the target column at fault and
  /// the error's message the reason (what RecordError::reason holds).
  virtual Status Add(std::span<const RecordField> fields, size_t& column) = 0;
};

/// \brief A source of records converted to batches of a target schema (CSV, JSON).
///
/// Bad records never stop a read: each goes to `errors` and the next record is read.
class RecordReader {
 public:
  virtual ~RecordReader() = default;

  /// \brief Appends up to `max_records` good records to `builder` (built on the reader's
  /// target schema) and their positions to `info`, and every bad record among the next
  /// records read to `errors`. Returns the records consumed, good and bad; 0 at the end.
  /// An Error only for what ends the source (an I/O error, a corrupt compressed stream):
  /// the rows appended before it are good.
  virtual Result<size_t> Read(data::BatchBuilder& builder, size_t max_records,
                              RecordInfo& info, std::vector<RecordError>& errors) = 0;

  /// Records consumed so far, good and bad (header not counted): a resume position.
  virtual int64_t records_consumed() const noexcept = 0;
};

/// \brief A sink of batches as text records (CSV, JSON).
class RecordWriter {
 public:
  virtual ~RecordWriter() = default;
  /// Writes every row of `batch` (whose schema is the writer's).
  virtual Status Write(const data::Batch& batch) = 0;
  /// Writes rows [begin, end) of `batch`.
  virtual Status Write(const data::Batch& batch, size_t begin, size_t end) = 0;
  /// Writes what is buffered to the stream (does not close it).
  virtual Status Flush() = 0;
  /// Records written so far.
  virtual int64_t records_written() const noexcept = 0;
};

}  // namespace cqlbulk::formats
