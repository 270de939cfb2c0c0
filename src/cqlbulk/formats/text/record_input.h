// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/data/column_builder.h"
#include "cqlbulk/formats/io/stream.h"
#include "cqlbulk/formats/text/record.h"

namespace cqlbulk::formats {

/// \brief Bytes of an InputStream read in large chunks and parsed in place (CSV, JSON
/// readers): records are found in [data(), data() + size()), and a record that runs past
/// the end asks for more with Refill, which keeps the bytes from the record's start.
///
/// data()[size()] is always `sentinel`, so a scan for a set of bytes that includes it needs
/// no bounds check in its inner loop. Not thread-safe.
class InputBuffer {
 public:
  static constexpr size_t kDefaultChunkBytes = size_t{1} << 20;

  /// `in` must outlive the buffer.
  explicit InputBuffer(InputStream& in, size_t chunk_bytes = kDefaultChunkBytes,
                       char sentinel = '\n');

  const char* data() const noexcept { return data_.get(); }
  size_t size() const noexcept { return size_; }
  /// Whether the stream has ended (Refill will add nothing more).
  bool eof() const noexcept { return eof_; }
  /// Stream offset of data()[0].
  uint64_t offset() const noexcept { return offset_; }

  /// \brief Drops the bytes before `keep_from` (the rest moves to the front: offsets into the
  /// buffer shift down by `keep_from`) and reads more, growing the buffer when what is kept
  /// fills more than half of it. Returns the bytes added, 0 only at the end of the stream.
  /// The stream's error (kIo, kCorrupt) as is.
  Result<size_t> Refill(size_t keep_from);

 private:
  InputStream& in_;
  size_t chunk_bytes_;
  char sentinel_;
  std::unique_ptr<char[]> data_;  // capacity_ + 1 bytes: room for the sentinel
  size_t capacity_ = 0;
  size_t size_ = 0;
  uint64_t offset_ = 0;
  bool eof_ = false;
};

/// \brief Appends what a record without the field of `column` gives under `rule`: a null
/// (kUnset also sets `unset`), or kInvalidArgument "missing field 'name'" for kError or when
/// the column is not nullable.
Status AppendMissingField(data::ColumnBuilder& column, MissingField rule,
                          std::string_view source_field, bool& unset);

/// \brief Adds a good record's row to `info`: its line, number and text, and for each target
/// column whether it was unset (`unset[c]` != 0; RecordInfo::unset stays empty for columns
/// that were never unset).
void AddRecordInfo(RecordInfo& info, int64_t line, int64_t record, std::string_view text,
                   const std::vector<uint8_t>& unset);

/// \brief AddRecordInfo for a record that set every column, when `info` has no unset column
/// yet (RecordInfo::unset empty): its line, number and text only.
[[gnu::always_inline]] inline void AddSetRecordInfo(RecordInfo& info, int64_t line,
                                                    int64_t record, std::string_view text) {
  info.lines.push_back(line);
  info.records.push_back(record);
  info.text.append(text);
  info.text_end.push_back(static_cast<uint32_t>(info.text.size()));
}

/// \brief Makes room in `info` for `rows` more rows holding `text_bytes` more text, so that
/// adding them does not grow (and copy) its vectors row after row.
void ReserveRecordInfo(RecordInfo& info, size_t rows, size_t text_bytes);

/// \brief The longest record a reader keeps in memory (a longer one is an unterminated quote
/// or a file that is not text): 256 MiB.
constexpr size_t kMaxRecordBytes = size_t{256} << 20;

}  // namespace cqlbulk::formats
