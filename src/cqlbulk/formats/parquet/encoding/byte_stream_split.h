// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/encoding/plain.h"

namespace cqlbulk::formats::parquet {

/// \brief BYTE_STREAM_SPLIT (Encodings.md "Byte Stream Split") of FLOAT, DOUBLE, INT32,
/// INT64 (width 4 or 8) and FIXED_LEN_BYTE_ARRAY (its width): byte k of every value goes to
/// stream k, and the streams follow each other. The values are buffered until FlushTo, which
/// needs them all to lay out the streams.
class ByteStreamSplitEncoder {
 public:
  explicit ByteStreamSplitEncoder(int width);

  int width() const noexcept { return width_; }
  /// n values of width() bytes.
  void Put(const uint8_t* values, size_t n) {
    values_.Append(BytesView(values, n * static_cast<size_t>(width_)));
  }
  template <FixedWidthValue T>
  void Put(const T* values, size_t n) {
    CQLBULK_DCHECK(sizeof(T) == static_cast<size_t>(width_), "value type is not the width");
    Put(reinterpret_cast<const uint8_t*>(values), n);
  }
  size_t EstimatedBytes() const noexcept { return values_.size(); }
  void FlushTo(data::Buffer& out);

 private:
  int width_;
  data::Buffer values_;
};

/// \brief Decoder of BYTE_STREAM_SPLIT. The page's values section is width() streams of
/// equal length: kCorrupt when its size is not a multiple of the width.
class ByteStreamSplitDecoder {
 public:
  explicit ByteStreamSplitDecoder(int width);

  int width() const noexcept { return width_; }
  Status Reset(BytesView data);
  /// Up to n values of width() bytes into `out`.
  Result<size_t> Get(uint8_t* out, size_t n);
  template <FixedWidthValue T>
  Result<size_t> Get(T* out, size_t n) {
    CQLBULK_DCHECK(sizeof(T) == static_cast<size_t>(width_), "value type is not the width");
    return Get(reinterpret_cast<uint8_t*>(out), n);
  }

 private:
  int width_;
  BytesView data_;
  size_t num_values_ = 0;
  size_t pos_ = 0;
};

}  // namespace cqlbulk::formats::parquet
