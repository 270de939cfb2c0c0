// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/data/buffer.h"

namespace cqlbulk::formats::parquet {

/// \brief The encodings of Parquet values (Encodings.md), one file per encoding:
///
/// | file | encoding | physical types |
/// |---|---|---|
/// | plain.h | PLAIN | all (INT96: decode only, as FLBA of width 12) |
/// | rle.h | RLE / bit-packed hybrid | levels, dictionary indices, BOOLEAN |
/// | dictionary.h | RLE_DICTIONARY (dictionary page: PLAIN) | all but BOOLEAN |
/// | delta.h | DELTA_BINARY_PACKED | INT32, INT64 |
/// | delta.h | DELTA_LENGTH_BYTE_ARRAY | BYTE_ARRAY |
/// | delta.h | DELTA_BYTE_ARRAY | BYTE_ARRAY, FLBA |
/// | byte_stream_split.h | BYTE_STREAM_SPLIT | FLOAT, DOUBLE, INT32, INT64, FLBA |
///
/// Every encoder has the same shape: `Put(values, n)` as often as needed, `EstimatedBytes()`
/// (the page body's size so far, to decide where a page ends), and `FlushTo(out)` which
/// appends the body of one page to `out` and makes the encoder ready for the next page.
/// Every decoder too: `Reset(bytes)` over one page's values section (borrowed: it must
/// outlive the decoding), then `Get(out, n)` as often as needed, returning how many values
/// it decoded: fewer than n only when the page has no more. Malformed bytes are kCorrupt with
/// what is wrong and the byte offset in the page; a decoder never reads outside its bytes and
/// never sizes memory from a count in the data without checking it against the bytes.
/// Values are fixed-width arrays (`T*`; FIXED_LEN_BYTE_ARRAY as `uint8_t*` of n * width
/// bytes; BOOLEAN as one byte 0 or 1 per value, as data::Column holds them) or, for
/// BYTE_ARRAY, a ByteArraysView in and a ByteArrays out. Nothing here is thread-safe; nothing
/// allocates per value.

/// \brief Borrowed byte-array values in data::Column's layout: value i is
/// data[offsets[i], offsets[i+1]). offsets[0] need not be 0 (a slice of a column); the offsets
/// are the caller's own memory and are not checked.
struct ByteArraysView {
  const uint8_t* data = nullptr;
  const int32_t* offsets = nullptr;  ///< size + 1 entries
  size_t size = 0;

  BytesView operator[](size_t i) const noexcept {
    return {data + offsets[i], static_cast<size_t>(offsets[i + 1] - offsets[i])};
  }
  /// The bytes of all values together.
  size_t total_bytes() const noexcept {
    return size == 0 ? 0 : static_cast<size_t>(offsets[size] - offsets[0]);
  }
};

/// \brief Decoded byte-array values, reused from page to page (decoders append to it):
/// value i is bytes[offsets[i], offsets[i+1]).
///
/// `offsets` holds size() + 1 int32, the first 0, once a value was appended (none while
/// empty), so both buffers can move into a data::Column of strings as they are. At most
/// kMaxBytes bytes: a decoder that would pass it fails with kInvalidArgument (read fewer
/// values at a time).
struct ByteArrays {
  static constexpr size_t kMaxBytes = INT32_MAX;

  data::Buffer bytes;
  data::Buffer offsets;

  size_t size() const noexcept { return offsets.empty() ? 0 : offsets.size() / 4 - 1; }
  const int32_t* offset_data() const noexcept {
    return reinterpret_cast<const int32_t*>(offsets.data());
  }
  BytesView operator[](size_t i) const noexcept {
    const int32_t* o = offset_data();
    return {bytes.data() + o[i], static_cast<size_t>(o[i + 1] - o[i])};
  }
  std::string_view str(size_t i) const noexcept { return AsChars((*this)[i]); }
  ByteArraysView view() const noexcept { return {bytes.data(), offset_data(), size()}; }
  /// Empties both buffers, keeping their allocations.
  void Clear() noexcept {
    bytes.Clear();
    offsets.Clear();
  }
  /// Appends one value (tests and small callers; decoders fill the buffers directly).
  void Append(BytesView value) {
    if (offsets.empty()) {
      offsets.Append<int32_t>(0);
    }
    bytes.Append(value);
    offsets.Append(static_cast<int32_t>(bytes.size()));
  }
};

}  // namespace cqlbulk::formats::parquet
