// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/data/buffer.h"

namespace cqlbulk::formats::parquet {

/// \brief The bits needed to store values up to `max_value`: 0 for 0, 1 for 1, 2 for 2..3...
/// (the width of levels for a max level, and of dictionary indices for size - 1).
int BitWidth(uint64_t max_value);

/// \brief Encoder of the RLE / bit-packed hybrid (Encodings.md "RLE"): repetition and
/// definition levels, dictionary indices, BOOLEAN values in v2 pages.
///
/// Runs of 8 or more equal values become RLE runs (longer runs are split at 2^31 - 1 values,
/// the spec's limit); everything else goes into bit-packed runs of up to 504 values (63
/// groups: a 1-byte header). The last bit-packed group is padded with zeros to 8 values, as
/// the spec's writers do (the reader knows the count from the page header). Values must fit
/// `bit_width` bits (higher bits are dropped). Put, PutRepeated and the batch Puts may be
/// mixed freely.
class RleBitPackedEncoder {
 public:
  /// \param bit_width 0..32.
  explicit RleBitPackedEncoder(int bit_width);
  ~RleBitPackedEncoder();
  RleBitPackedEncoder(RleBitPackedEncoder&&) noexcept;
  RleBitPackedEncoder& operator=(RleBitPackedEncoder&&) noexcept;

  int bit_width() const noexcept { return bit_width_; }

  void Put(uint32_t value) {
    if ((value & mask_) == run_value_) {
      ++run_length_;
    } else {
      StartRun(value, 1);
    }
  }
  /// \brief `count` copies of `value` in O(1) (a column without nulls has one long run of
  /// definition levels).
  void PutRepeated(uint32_t value, uint64_t count);
  void Put(const uint32_t* values, size_t n);
  /// Levels.
  void Put(const int16_t* values, size_t n);
  /// Booleans as bytes 0 / 1.
  void Put(const uint8_t* values, size_t n);

  /// Number of values put since the last flush.
  uint64_t num_values() const noexcept { return num_values_ + run_length_; }
  /// The bytes FlushTo would append now, give or take a run header.
  size_t EstimatedBytes() const noexcept;

  /// Appends the encoded runs (no length prefix) and starts over.
  void FlushTo(data::Buffer& out);
  /// Appends the 4-byte little-endian length then the runs (v1 levels, v2 RLE booleans), and
  /// starts over.
  void FlushWithLengthTo(data::Buffer& out);

 private:
  void StartRun(uint32_t value, uint64_t count);
  template <typename T>
  void PutBatch(const T* values, size_t n);
  void EndRun();
  void EmitLiterals(size_t count);
  void EmitRleRun(uint32_t value, uint64_t count);
  void Finish();

  int bit_width_;
  uint32_t mask_;
  uint32_t run_value_ = 0;
  uint64_t run_length_ = 0;  // the trailing run of equal values, not yet in literals_
  uint64_t num_values_ = 0;  // values put before the trailing run
  size_t num_literals_ = 0;  // values waiting in literals_ for a bit-packed run
  std::unique_ptr<uint32_t[]> literals_;
  data::Buffer out_;
};

/// \brief Decoder of the RLE / bit-packed hybrid.
///
/// Handles RLE and bit-packed runs of any width 0..32 and a final bit-packed run cut short
/// (fewer bytes than its groups need: its whole values are decoded, then the data ends), as
/// some writers produce. kCorrupt: a truncated run header or RLE value, a run of 0 or more
/// than 2^31 - 1 values, an RLE value wider than the bit width.
class RleBitPackedDecoder {
 public:
  RleBitPackedDecoder() = default;

  /// \brief Starts decoding `data` (the runs, without a length prefix) at `bit_width`.
  /// kCorrupt when bit_width is not 0..32 (the caller may have read it from the data).
  Status Reset(BytesView data, int bit_width);

  /// Decodes up to n values; returns how many (fewer than n only at the end of the data).
  Result<size_t> Get(uint32_t* out, size_t n);
  /// Levels: needs a bit width of at most 16 (kInvalidArgument otherwise).
  Result<size_t> Get(int16_t* out, size_t n);
  /// Booleans as bytes 0 / 1: needs a bit width of at most 8 (kInvalidArgument otherwise).
  Result<size_t> Get(uint8_t* out, size_t n);

  /// Byte offset in the data of the next run header (where decoding stands).
  size_t position() const noexcept { return pos_; }

 private:
  template <typename T>
  Result<size_t> GetImpl(T* out, size_t n);
  Status NextRun();
  void DecodeGroup();

  BytesView data_;
  size_t pos_ = 0;
  int bit_width_ = 0;
  uint64_t rle_left_ = 0;     // values left in the current RLE run
  uint32_t rle_value_ = 0;
  uint64_t packed_left_ = 0;  // values left in the current bit-packed run (bytes at pos_)
  size_t packed_end_ = 0;     // where the current bit-packed run's bytes end
  uint32_t buffered_[32];     // one decoded group, for reads that stop inside it
  uint32_t buffered_pos_ = 0;
  uint32_t buffered_end_ = 0;
};

/// \brief The runs of a length-prefixed hybrid (v1 levels, RLE booleans): the 4-byte
/// little-endian length then that many bytes. The caller's next section starts 4 + size()
/// bytes in. kCorrupt when the length passes the end of `data`.
Result<BytesView> SplitLengthPrefixed(BytesView data);

}  // namespace cqlbulk::formats::parquet
