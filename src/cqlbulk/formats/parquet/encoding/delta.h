// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"

namespace cqlbulk::formats::parquet {

/// INT32 or INT64, the types DELTA_BINARY_PACKED encodes.
template <typename T>
concept DeltaValue = std::is_same_v<T, int32_t> || std::is_same_v<T, int64_t>;

/// \brief DELTA_BINARY_PACKED (Encodings.md "Delta Encoding") of INT32 / INT64.
///
/// Blocks of 128 values in 4 miniblocks of 32; the header <block size> <miniblocks> <count>
/// <first value> (ULEB128, first value zigzag), then per block the min delta (zigzag
/// ULEB128), 4 bit widths and the miniblocks, the last one padded with zeros to 32 values and
/// the widths of unneeded miniblocks 0. Deltas wrap around in T's width (int32 deltas never
/// take more than 32 bits), as the spec says.
template <DeltaValue T>
class DeltaBinaryPackedEncoder {
 public:
  DeltaBinaryPackedEncoder() = default;

  void Put(const T* values, size_t n);
  uint64_t num_values() const noexcept { return num_values_; }
  size_t EstimatedBytes() const noexcept;
  void FlushTo(data::Buffer& out);

 private:
  using U = std::make_unsigned_t<T>;
  static constexpr size_t kBlockSize = 128;
  void EncodeBlock();

  uint64_t num_values_ = 0;
  U first_value_ = 0;
  U last_value_ = 0;
  U deltas_[kBlockSize];  // of the block being filled
  size_t num_deltas_ = 0;
  data::Buffer blocks_;  // finished blocks
};

/// \brief Decoder of DELTA_BINARY_PACKED.
///
/// Reset validates the whole layout before any value is decoded (block sizes, bit widths,
/// every block within the data), so Get cannot fail. Accepts any block size that is a
/// multiple of 128 and miniblocks of a multiple of 32 values, a last miniblock cut short
/// after its last value's bytes, and INT32 deltas of up to 64 bits (against the spec, but
/// DuckDB 1.4 writes them; modulo 2^32 they give the right values). kCorrupt: a truncated
/// header or block, a block or miniblock size the spec forbids, a bit width past 64, a
/// count the data cannot hold.
template <DeltaValue T>
class DeltaBinaryPackedDecoder {
 public:
  DeltaBinaryPackedDecoder() = default;

  Status Reset(BytesView data);
  Result<size_t> Get(T* out, size_t n);

  /// The count in the header.
  uint64_t num_values() const noexcept { return num_values_; }
  /// Bytes the encoding takes from the start of the data: what follows starts there
  /// (DELTA_LENGTH_BYTE_ARRAY's bytes, DELTA_BYTE_ARRAY's suffixes).
  size_t encoded_bytes() const noexcept { return end_; }

 private:
  using U = std::make_unsigned_t<T>;
  static constexpr int kBatch = 32;
  Status Scan(size_t pos);
  void NextMiniblock();
  void DecodeBatch(U* out);

  BytesView data_;
  size_t end_ = 0;
  size_t pos_ = 0;  // the next miniblock's (or block's) bytes
  uint64_t num_values_ = 0;
  uint64_t values_left_ = 0;
  uint64_t miniblocks_per_block_ = 0;
  uint64_t values_per_miniblock_ = 0;
  bool first_pending_ = false;
  U first_value_ = 0;
  U last_ = 0;
  U min_delta_ = 0;
  size_t widths_pos_ = 0;        // the current block's bit widths
  uint64_t miniblock_index_ = 0;  // in the current block
  uint64_t miniblock_left_ = 0;   // values of the current miniblock not yet decoded
  int width_ = 0;
  U buffered_[kBatch];  // one decoded batch, for reads that stop inside it
  size_t buffered_pos_ = 0;
  size_t buffered_end_ = 0;
};

extern template class DeltaBinaryPackedEncoder<int32_t>;
extern template class DeltaBinaryPackedEncoder<int64_t>;
extern template class DeltaBinaryPackedDecoder<int32_t>;
extern template class DeltaBinaryPackedDecoder<int64_t>;

/// \brief DELTA_LENGTH_BYTE_ARRAY: the lengths (DELTA_BINARY_PACKED) then all the bytes.
class DeltaLengthByteArrayEncoder {
 public:
  void Put(ByteArraysView values);
  size_t EstimatedBytes() const noexcept;
  void FlushTo(data::Buffer& out);

 private:
  friend class DeltaByteArrayEncoder;
  void PutLengths(const int32_t* lengths, size_t n) { lengths_.Put(lengths, n); }

  DeltaBinaryPackedEncoder<int32_t> lengths_;
  data::Buffer bytes_;
};

/// \brief Decoder of DELTA_LENGTH_BYTE_ARRAY, appending to a ByteArrays. kCorrupt: what the
/// lengths' decoder rejects, a negative length, lengths past the end of the data.
class DeltaLengthByteArrayDecoder {
 public:
  DeltaLengthByteArrayDecoder();
  ~DeltaLengthByteArrayDecoder();
  DeltaLengthByteArrayDecoder(DeltaLengthByteArrayDecoder&&) noexcept;
  DeltaLengthByteArrayDecoder& operator=(DeltaLengthByteArrayDecoder&&) noexcept;

  Status Reset(BytesView data);
  Result<size_t> Get(ByteArrays& out, size_t n);
  /// The count in the lengths' header.
  uint64_t num_values() const noexcept { return lengths_.num_values(); }

 private:
  DeltaBinaryPackedDecoder<int32_t> lengths_;
  BytesView bytes_;  // the values' bytes, after the lengths
  size_t pos_ = 0;
  uint64_t values_done_ = 0;
  std::unique_ptr<int32_t[]> scratch_;
};

/// \brief DELTA_BYTE_ARRAY (incremental encoding): each value's prefix length shared with
/// the previous value (DELTA_BINARY_PACKED), then the suffixes (DELTA_LENGTH_BYTE_ARRAY).
/// For BYTE_ARRAY, or for FIXED_LEN_BYTE_ARRAY when constructed with its width (the
/// lengths are still all written, as the spec says). A page starts afresh (its first value
/// has prefix 0).
class DeltaByteArrayEncoder {
 public:
  /// \param fixed_width 0 for BYTE_ARRAY, else the FLBA's width.
  explicit DeltaByteArrayEncoder(int fixed_width = 0) : fixed_width_(fixed_width) {}

  void Put(ByteArraysView values);
  /// FLBA: n values of the width given at construction.
  void Put(const uint8_t* values, size_t n);
  size_t EstimatedBytes() const noexcept;
  void FlushTo(data::Buffer& out);

 private:
  template <typename Values>
  void PutValues(const Values& values, size_t n);

  int fixed_width_;
  DeltaBinaryPackedEncoder<int32_t> prefix_lengths_;
  DeltaLengthByteArrayEncoder suffixes_;
  data::Buffer last_;  // the previous value (of an earlier Put)
};

/// \brief Decoder of DELTA_BYTE_ARRAY. kCorrupt: what the prefix-length and suffix decoders
/// reject, counts that differ between them, a prefix length negative or longer than the
/// previous value, for FLBA a value whose length is not the width.
class DeltaByteArrayDecoder {
 public:
  /// \param fixed_width 0 for BYTE_ARRAY, else the FLBA's width.
  explicit DeltaByteArrayDecoder(int fixed_width = 0);
  ~DeltaByteArrayDecoder();
  DeltaByteArrayDecoder(DeltaByteArrayDecoder&&) noexcept;
  DeltaByteArrayDecoder& operator=(DeltaByteArrayDecoder&&) noexcept;

  Status Reset(BytesView data);
  /// BYTE_ARRAY (or FLBA) values appended to `out`.
  Result<size_t> Get(ByteArrays& out, size_t n);
  /// FLBA: n values of the width given at construction into `out` (kInvalidArgument without
  /// one).
  Result<size_t> Get(uint8_t* out, size_t n);
  uint64_t num_values() const noexcept { return prefixes_.num_values(); }

 private:
  void SetLast(BytesView value);

  int fixed_width_;
  DeltaBinaryPackedDecoder<int32_t> prefixes_;
  DeltaLengthByteArrayDecoder suffixes_;
  ByteArrays suffix_scratch_;
  ByteArrays fixed_scratch_;
  data::Buffer last_;  // the previous value, with 32 bytes of room past it
  uint64_t values_done_ = 0;
  std::unique_ptr<int32_t[]> scratch_;
};

}  // namespace cqlbulk::formats::parquet
