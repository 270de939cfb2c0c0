// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"

namespace cqlbulk::formats::parquet {

/// A fixed-width Parquet value type as it is in memory: int32_t, int64_t, float, double.
template <typename T>
concept FixedWidthValue = std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t> ||
                          std::is_same_v<T, float> || std::is_same_v<T, double>;

/// \brief PLAIN (Encodings.md) of fixed-width values: INT32, INT64, FLOAT, DOUBLE (4 or 8
/// bytes little-endian, IEEE for floats) and FIXED_LEN_BYTE_ARRAY (its bytes), back to back.
///
/// `width` is the value's size in bytes: 4, 8, or the FLBA's width (1 or more).
class PlainFixedEncoder {
 public:
  explicit PlainFixedEncoder(int width);

  int width() const noexcept { return width_; }
  /// n values of width() bytes each.
  void Put(const uint8_t* values, size_t n) {
    out_.Append(BytesView(values, n * static_cast<size_t>(width_)));
  }
  template <FixedWidthValue T>
  void Put(const T* values, size_t n) {
    CQLBULK_DCHECK(sizeof(T) == static_cast<size_t>(width_), "value type is not the width");
    Put(reinterpret_cast<const uint8_t*>(values), n);
  }
  size_t EstimatedBytes() const noexcept { return out_.size(); }
  void FlushTo(data::Buffer& out);

 private:
  int width_;
  data::Buffer out_;
};

/// \brief Decoder of PLAIN fixed-width values (INT32, INT64, FLOAT, DOUBLE, FLBA, and INT96
/// as width 12: nanoseconds of the day as int64 then the Julian day as int32, little-endian).
/// kCorrupt when the data ends inside a value.
class PlainFixedDecoder {
 public:
  explicit PlainFixedDecoder(int width);

  int width() const noexcept { return width_; }
  Status Reset(BytesView data);
  /// Up to n values of width() bytes into `out` (n * width() bytes).
  Result<size_t> Get(uint8_t* out, size_t n);
  template <FixedWidthValue T>
  Result<size_t> Get(T* out, size_t n) {
    CQLBULK_DCHECK(sizeof(T) == static_cast<size_t>(width_), "value type is not the width");
    return Get(reinterpret_cast<uint8_t*>(out), n);
  }
  /// Values not yet decoded.
  size_t values_left() const noexcept {
    return (data_.size() - pos_) / static_cast<size_t>(width_);
  }

 private:
  int width_;
  BytesView data_;
  size_t pos_ = 0;
};

/// \brief PLAIN BOOLEAN: one bit per value, LSB first (the hybrid's bit packing, width 1).
/// Values are bytes 0 or 1 (data::Column's booleans); the last byte is padded with zeros.
class PlainBooleanEncoder {
 public:
  void Put(const uint8_t* values, size_t n);
  size_t EstimatedBytes() const noexcept { return out_.size() + (num_bits_ != 0 ? 1 : 0); }
  void FlushTo(data::Buffer& out);

 private:
  data::Buffer out_;   // whole bytes
  uint8_t bits_ = 0;   // the next byte's first num_bits_ bits
  int num_bits_ = 0;
};

/// \brief Decoder of PLAIN BOOLEAN into bytes 0 / 1. The data holds 8 values per byte, so the
/// padding bits of the last byte decode as values too: ask for the page's count.
class PlainBooleanDecoder {
 public:
  Status Reset(BytesView data);
  Result<size_t> Get(uint8_t* out, size_t n);

 private:
  BytesView data_;
  size_t bit_pos_ = 0;
};

/// \brief PLAIN BYTE_ARRAY: each value's length as 4 bytes little-endian, then its bytes.
class PlainByteArrayEncoder {
 public:
  void Put(ByteArraysView values);
  size_t EstimatedBytes() const noexcept { return out_.size(); }
  void FlushTo(data::Buffer& out);

 private:
  data::Buffer out_;
};

/// \brief Decoder of PLAIN BYTE_ARRAY, appending to a ByteArrays. kCorrupt: a truncated
/// length, a negative length, a length past the end of the data.
class PlainByteArrayDecoder {
 public:
  Status Reset(BytesView data);
  Result<size_t> Get(ByteArrays& out, size_t n);

 private:
  BytesView data_;
  size_t pos_ = 0;
};

}  // namespace cqlbulk::formats::parquet
