// SPDX-License-Identifier: Apache-2.0
// DELTA_BINARY_PACKED (Encodings.md "Delta Encoding"). All arithmetic on values and deltas is
// done in the unsigned type of T's width, so it wraps around as the spec asks.
#include <algorithm>
#include <cstring>
#include <string>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"
#include "cqlbulk/formats/parquet/encoding/bit_pack_internal.h"
#include "cqlbulk/formats/parquet/encoding/delta.h"

namespace cqlbulk::formats::parquet {

namespace {

constexpr uint64_t kMiniblocksPerBlock = 4;
constexpr uint64_t kValuesPerMiniblock = 32;
// Sizes past this are not what any writer makes; refusing them keeps the arithmetic small.
constexpr uint64_t kMaxBlockSize = uint64_t{1} << 31;

std::string At(size_t pos) { return " at byte " + std::to_string(pos); }

}  // namespace

// ---------------------------------------------------------------------------------------
// Encoder

template <DeltaValue T>
void DeltaBinaryPackedEncoder<T>::Put(const T* values, size_t n) {
  if (n == 0) {
    return;
  }
  size_t i = 0;
  if (num_values_ == 0) {
    first_value_ = static_cast<U>(values[0]);
    last_value_ = first_value_;
    i = 1;
  }
  num_values_ += n;
  U last = last_value_;
  while (i < n) {
    size_t k = std::min(n - i, kBlockSize - num_deltas_);
    U* deltas = deltas_ + num_deltas_;
    for (size_t j = 0; j < k; ++j) {
      auto value = static_cast<U>(values[i + j]);
      deltas[j] = static_cast<U>(value - last);
      last = value;
    }
    num_deltas_ += k;
    i += k;
    if (num_deltas_ == kBlockSize) {
      EncodeBlock();
    }
  }
  last_value_ = last;
}

// Writes the buffered deltas as one block: min delta, 4 widths, the used miniblocks.
template <DeltaValue T>
void DeltaBinaryPackedEncoder<T>::EncodeBlock() {
  auto min_delta = static_cast<T>(deltas_[0]);
  for (size_t i = 1; i < num_deltas_; ++i) {
    min_delta = std::min(min_delta, static_cast<T>(deltas_[i]));
  }
  auto base = static_cast<U>(min_delta);
  size_t used = (num_deltas_ + kValuesPerMiniblock - 1) / kValuesPerMiniblock;
  // Padding deltas equal to the minimum pack as zeros.
  std::fill(deltas_ + num_deltas_, deltas_ + used * kValuesPerMiniblock, base);
  uint8_t widths[kMiniblocksPerBlock] = {};
  for (size_t m = 0; m < used; ++m) {
    U* mini = deltas_ + m * kValuesPerMiniblock;
    U bits = 0;
    for (size_t i = 0; i < kValuesPerMiniblock; ++i) {
      mini[i] = static_cast<U>(mini[i] - base);
      bits |= mini[i];
    }
    widths[m] = static_cast<uint8_t>(internal::BitsFor(bits));
  }
  size_t bytes = 0;
  for (size_t m = 0; m < used; ++m) {
    bytes += 4 * size_t{widths[m]};
  }
  uint8_t* p = blocks_.Grow(10 + kMiniblocksPerBlock + bytes);
  size_t header = internal::PutUleb128(p, ZigZagEncode(static_cast<int64_t>(min_delta)));
  p += header;
  std::memcpy(p, widths, kMiniblocksPerBlock);
  p += kMiniblocksPerBlock;
  for (size_t m = 0; m < used; ++m) {
    internal::kPack<U, internal::kBatch>[widths[m]](deltas_ + m * kValuesPerMiniblock, p);
    p += 4 * size_t{widths[m]};
  }
  blocks_.Truncate(blocks_.size() - (10 - header));
  num_deltas_ = 0;
}

template <DeltaValue T>
size_t DeltaBinaryPackedEncoder<T>::EstimatedBytes() const noexcept {
  // The header, the finished blocks, and at most the pending block's whole miniblocks at
  // full width with its min delta and widths.
  size_t pending = (num_deltas_ + kValuesPerMiniblock - 1) / kValuesPerMiniblock *
                   kValuesPerMiniblock * sizeof(T);
  return 32 + blocks_.size() + (num_deltas_ == 0 ? 0 : 14 + pending);
}

template <DeltaValue T>
void DeltaBinaryPackedEncoder<T>::FlushTo(data::Buffer& out) {
  if (num_deltas_ != 0) {
    EncodeBlock();
  }
  uint8_t* p = out.Grow(40);
  size_t n = internal::PutUleb128(p, kBlockSize);
  n += internal::PutUleb128(p + n, kMiniblocksPerBlock);
  n += internal::PutUleb128(p + n, num_values_);
  n += internal::PutUleb128(
      p + n, ZigZagEncode(static_cast<int64_t>(static_cast<T>(first_value_))));
  out.Truncate(out.size() - (40 - n));
  out.Append(blocks_.view());
  blocks_.Clear();
  num_values_ = 0;
  first_value_ = 0;
  last_value_ = 0;
}

template class DeltaBinaryPackedEncoder<int32_t>;
template class DeltaBinaryPackedEncoder<int64_t>;

// ---------------------------------------------------------------------------------------
// Decoder

template <DeltaValue T>
Status DeltaBinaryPackedDecoder<T>::Reset(BytesView data) {
  data_ = data;
  const uint8_t* end = data.data() + data.size();
  size_t pos = 0;
  uint64_t header[4];
  static constexpr const char* kFields[] = {"block size", "miniblock count", "value count",
                                            "first value"};
  for (int i = 0; i < 4; ++i) {
    internal::Uleb128 field = internal::GetUleb128(data.data() + pos, end);
    if (field.length == 0) {
      return Corrupt(std::string("DELTA_BINARY_PACKED: truncated header (") + kFields[i] + ")" +
                     At(pos));
    }
    header[i] = field.value;
    pos += field.length;
  }
  uint64_t block_size = header[0];
  uint64_t miniblocks = header[1];
  if (block_size == 0 || block_size % 128 != 0 || block_size > kMaxBlockSize) {
    return Corrupt("DELTA_BINARY_PACKED: block size " + std::to_string(block_size) +
                   " is not a positive multiple of 128 up to 2^31");
  }
  if (miniblocks == 0 || block_size % miniblocks != 0 || (block_size / miniblocks) % 32 != 0) {
    return Corrupt("DELTA_BINARY_PACKED: " + std::to_string(miniblocks) +
                   " miniblocks do not split a block of " + std::to_string(block_size) +
                   " values into multiples of 32");
  }
  miniblocks_per_block_ = miniblocks;
  values_per_miniblock_ = block_size / miniblocks;
  num_values_ = header[2];
  values_left_ = num_values_;
  first_pending_ = num_values_ != 0;
  first_value_ = static_cast<U>(ZigZagDecode(header[3]));
  last_ = first_value_;
  min_delta_ = 0;
  pos_ = pos;
  widths_pos_ = 0;
  miniblock_index_ = miniblocks_per_block_;  // the first batch reads a block header
  miniblock_left_ = 0;
  width_ = 0;
  buffered_pos_ = 0;
  buffered_end_ = 0;
  return Scan(pos);
}

// Walks every block the count needs, checking the widths and that the bytes are there, and
// finds where the encoding ends. Each block takes at least 1 + miniblocks bytes, so this is
// bounded by the data's size whatever the count claims.
template <DeltaValue T>
Status DeltaBinaryPackedDecoder<T>::Scan(size_t pos) {
  const uint8_t* end = data_.data() + data_.size();
  uint64_t deltas_left = num_values_ == 0 ? 0 : num_values_ - 1;
  while (deltas_left != 0) {
    size_t block = pos;
    internal::Uleb128 min_delta = internal::GetUleb128(data_.data() + pos, end);
    if (min_delta.length == 0) {
      return Corrupt("DELTA_BINARY_PACKED: truncated min delta of the block" + At(block) + " (" +
                     std::to_string(deltas_left) + " values to go)");
    }
    pos += min_delta.length;
    if (miniblocks_per_block_ > data_.size() - pos) {
      return Corrupt("DELTA_BINARY_PACKED: truncated bit widths of the block" + At(block));
    }
    size_t widths = pos;
    pos += miniblocks_per_block_;
    for (uint64_t m = 0; m < miniblocks_per_block_ && deltas_left != 0; ++m) {
      int width = data_[widths + m];
      // INT32 deltas wider than 32 bits break the spec, but DuckDB 1.4 writes them (its deltas
      // are 64-bit): they decode modulo 2^32 to the same values, so they are accepted.
      if (width > 64) {
        return Corrupt("DELTA_BINARY_PACKED: miniblock bit width " + std::to_string(width) +
                       At(widths + m) + " is past 64");
      }
      uint64_t bytes = values_per_miniblock_ * static_cast<uint64_t>(width) / 8;
      uint64_t used = std::min(deltas_left, values_per_miniblock_);
      deltas_left -= used;
      if (bytes > data_.size() - pos) {
        // A last miniblock may stop after its last value's bits.
        uint64_t needed = (used * static_cast<uint64_t>(width) + 7) / 8;
        if (deltas_left == 0 && needed <= data_.size() - pos) {
          pos = data_.size();
          break;
        }
        return Corrupt("DELTA_BINARY_PACKED: miniblock" + At(pos) + " needs " +
                       std::to_string(bytes) + " bytes; the data ends at byte " +
                       std::to_string(data_.size()));
      }
      pos += static_cast<size_t>(bytes);
    }
  }
  end_ = pos;
  return OkStatus();
}

template <DeltaValue T>
void DeltaBinaryPackedDecoder<T>::NextMiniblock() {
  if (miniblock_index_ == miniblocks_per_block_) {
    // Scan checked every block this reaches.
    internal::Uleb128 min_delta =
        internal::GetUleb128(data_.data() + pos_, data_.data() + data_.size());
    min_delta_ = static_cast<U>(ZigZagDecode(min_delta.value));
    pos_ += min_delta.length;
    widths_pos_ = pos_;
    pos_ += static_cast<size_t>(miniblocks_per_block_);
    miniblock_index_ = 0;
  }
  width_ = data_[widths_pos_ + miniblock_index_++];
  CQLBULK_DCHECK(width_ <= 64, "Scan checks the widths");
  miniblock_left_ = values_per_miniblock_;
}

// Decodes the current miniblock's next 32 values into out.
template <DeltaValue T>
void DeltaBinaryPackedDecoder<T>::DecodeBatch(U* out) {
  auto bytes = static_cast<size_t>(4 * width_);
  const uint8_t* in = data_.data() + pos_;
  uint8_t padded[4 * 64];
  if (bytes > data_.size() - pos_) {
    // The last miniblock cut short after its last value (Scan allowed it).
    std::memset(padded, 0, sizeof(padded));
    std::memcpy(padded, in, data_.size() - pos_);
    in = padded;
    bytes = data_.size() - pos_;
  }
  if (sizeof(U) == 4 && width_ > 32) [[unlikely]] {
    // Deltas wider than INT32 (see Scan): their low 32 bits are all the sum needs.
    uint64_t wide[kBatch];
    internal::kUnpack<uint64_t, kBatch>[width_](in, wide);
    for (int i = 0; i < kBatch; ++i) {
      out[i] = static_cast<U>(wide[i]);
    }
  } else {
    internal::kUnpack<U, kBatch>[width_](in, out);
  }
  U last = last_;
  U min_delta = min_delta_;
  for (int i = 0; i < kBatch; ++i) {
    last = static_cast<U>(last + min_delta + out[i]);
    out[i] = last;
  }
  last_ = last;
  pos_ += bytes;
  miniblock_left_ -= kBatch;
}

template <DeltaValue T>
Result<size_t> DeltaBinaryPackedDecoder<T>::Get(T* out, size_t n) {
  size_t done = 0;
  if (first_pending_ && n != 0) {
    out[0] = static_cast<T>(first_value_);
    first_pending_ = false;
    --values_left_;
    done = 1;
  }
  while (done < n && values_left_ != 0) {
    if (buffered_pos_ < buffered_end_) {
      size_t k = std::min(n - done, buffered_end_ - buffered_pos_);
      for (size_t i = 0; i < k; ++i) {
        out[done + i] = static_cast<T>(buffered_[buffered_pos_ + i]);
      }
      buffered_pos_ += k;
      done += k;
      continue;
    }
    if (miniblock_left_ == 0) {
      NextMiniblock();
    }
    if (n - done >= kBatch && values_left_ >= kBatch) {
      // T and its unsigned twin may alias.
      DecodeBatch(reinterpret_cast<U*>(out + done));
      done += kBatch;
      values_left_ -= kBatch;
    } else {
      DecodeBatch(buffered_);
      buffered_pos_ = 0;
      buffered_end_ = static_cast<size_t>(std::min<uint64_t>(kBatch, values_left_));
      values_left_ -= buffered_end_;
    }
  }
  // Values still buffered count as left for the caller but not for values_left_.
  while (done < n && buffered_pos_ < buffered_end_) {
    out[done++] = static_cast<T>(buffered_[buffered_pos_++]);
  }
  return done;
}

template class DeltaBinaryPackedDecoder<int32_t>;
template class DeltaBinaryPackedDecoder<int64_t>;

}  // namespace cqlbulk::formats::parquet
