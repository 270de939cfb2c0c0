// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/encoding/rle.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <type_traits>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/formats/parquet/encoding/bit_pack_internal.h"

namespace cqlbulk::formats::parquet {

namespace {

using internal::kBatch;
using internal::kGroup;

// Bit-packed runs hold up to this many values: 63 groups, the most a 1-byte header counts.
constexpr size_t kMaxLiterals = 504;
// Room past kMaxLiterals for a short run appended before the buffer is emitted (up to
// 2 * kGroup - 2 values), and for the 8 stores that append a run of fewer than 8.
constexpr size_t kLiteralCapacity = kMaxLiterals + 3 * kGroup;
// Encodings.md RLE note 3: a run holds 1 .. 2^31 - 1 values.
constexpr uint64_t kMaxRunLength = (uint64_t{1} << 31) - 1;

uint32_t LowBits(int bit_width) {
  return bit_width >= 32 ? ~uint32_t{0} : (uint32_t{1} << bit_width) - 1;
}

}  // namespace

int BitWidth(uint64_t max_value) { return internal::BitsFor(max_value); }

// ---------------------------------------------------------------------------------------
// Encoder

RleBitPackedEncoder::RleBitPackedEncoder(int bit_width)
    : bit_width_(bit_width),
      mask_(LowBits(bit_width)),
      literals_(std::make_unique<uint32_t[]>(kLiteralCapacity)) {
  CQLBULK_CHECK(bit_width >= 0 && bit_width <= 32, "RLE bit width must be 0..32");
}

RleBitPackedEncoder::~RleBitPackedEncoder() = default;
RleBitPackedEncoder::RleBitPackedEncoder(RleBitPackedEncoder&&) noexcept = default;
RleBitPackedEncoder& RleBitPackedEncoder::operator=(RleBitPackedEncoder&&) noexcept = default;

void RleBitPackedEncoder::StartRun(uint32_t value, uint64_t count) {
  EndRun();
  run_value_ = value & mask_;
  run_length_ = count;
}

void RleBitPackedEncoder::PutRepeated(uint32_t value, uint64_t count) {
  if (count == 0) {
    return;
  }
  if ((value & mask_) == run_value_) {
    run_length_ += count;
  } else {
    StartRun(value, count);
  }
}

// The trailing run ends: 8 or more values become an RLE run once the pending literals are
// padded to a whole group (with values of this run); shorter runs join the literals.
void RleBitPackedEncoder::EndRun() {
  if (run_length_ == 0) {
    return;
  }
  num_values_ += run_length_;
  if (run_length_ >= kGroup) {
    size_t pad = (kGroup - num_literals_ % kGroup) % kGroup;
    if (run_length_ - pad >= kGroup) {
      std::fill_n(literals_.get() + num_literals_, pad, run_value_);
      num_literals_ += pad;
      if (num_literals_ != 0) {
        EmitLiterals(num_literals_);
      }
      EmitRleRun(run_value_, run_length_ - pad);
      run_length_ = 0;
      return;
    }
  }
  // At most 2 * kGroup - 2 values here: kLiteralCapacity has room for them.
  std::fill_n(literals_.get() + num_literals_, run_length_, run_value_);
  num_literals_ += run_length_;
  run_length_ = 0;
  if (num_literals_ >= kMaxLiterals) {
    EmitLiterals(kMaxLiterals);
  }
}

// Writes the first `count` pending literals as one bit-packed run (the last group padded with
// zeros) and keeps the rest.
void RleBitPackedEncoder::EmitLiterals(size_t count) {
  size_t groups = (count + kGroup - 1) / kGroup;
  size_t padded = groups * kGroup;
  std::fill(literals_.get() + count, literals_.get() + padded, 0u);
  size_t bytes = groups * static_cast<size_t>(bit_width_);
  uint8_t* p = out_.Grow(10 + bytes);
  size_t header = internal::PutUleb128(p, (uint64_t{groups} << 1) | 1);
  p += header;
  const uint32_t* in = literals_.get();
  size_t i = 0;
  auto pack32 = internal::kPack<uint32_t, kBatch>[bit_width_];
  for (; i + kBatch <= padded; i += kBatch) {
    pack32(in + i, p);
    p += 4 * bit_width_;
  }
  auto pack8 = internal::kPack<uint32_t, kGroup>[bit_width_];
  for (; i < padded; i += kGroup) {
    pack8(in + i, p);
    p += bit_width_;
  }
  out_.Truncate(out_.size() - (10 - header));
  size_t rest = num_literals_ > count ? num_literals_ - count : 0;
  std::memmove(literals_.get(), literals_.get() + count, rest * sizeof(uint32_t));
  num_literals_ = rest;
}

void RleBitPackedEncoder::EmitRleRun(uint32_t value, uint64_t count) {
  size_t value_bytes = (static_cast<size_t>(bit_width_) + 7) / 8;
  while (count > 0) {
    uint64_t length = std::min(count, kMaxRunLength);
    uint8_t* p = out_.Grow(10 + value_bytes);
    size_t header = internal::PutUleb128(p, length << 1);
    for (size_t b = 0; b < value_bytes; ++b) {
      p[header + b] = static_cast<uint8_t>(value >> (8 * b));
    }
    out_.Truncate(out_.size() - (10 - header));
    count -= length;
  }
}

template <typename T>
void RleBitPackedEncoder::PutBatch(const T* values, size_t n) {
  // The state lives in locals through the loop (stores through `this` on every value would
  // chain each iteration to the last), and goes back to the members around the rare calls.
  uint32_t mask = mask_;
  uint32_t run_value = run_value_;
  uint64_t run_length = run_length_;
  uint32_t* literals = literals_.get();
  size_t num_literals = num_literals_;
  uint64_t num_values = num_values_;
  for (size_t i = 0; i < n; ++i) {
    auto value = static_cast<uint32_t>(values[i]) & mask;
    if (value == run_value) {
      ++run_length;
      continue;
    }
    if (run_length < kGroup) {
      // The commonest end of a run: a short one joins the literals. Eight stores whatever
      // its length (kLiteralCapacity leaves room), so no loop.
      for (size_t k = 0; k < kGroup; ++k) {
        literals[num_literals + k] = run_value;
      }
      num_literals += static_cast<size_t>(run_length);
      num_values += run_length;
      if (num_literals >= kMaxLiterals) [[unlikely]] {
        num_literals_ = num_literals;
        EmitLiterals(kMaxLiterals);
        num_literals = num_literals_;
      }
    } else {
      run_value_ = run_value;
      run_length_ = run_length;
      num_literals_ = num_literals;
      num_values_ = num_values;
      EndRun();
      num_literals = num_literals_;
      num_values = num_values_;
    }
    run_value = value;
    run_length = 1;
  }
  run_value_ = run_value;
  run_length_ = run_length;
  num_literals_ = num_literals;
  num_values_ = num_values;
}

void RleBitPackedEncoder::Put(const uint32_t* values, size_t n) { PutBatch(values, n); }
void RleBitPackedEncoder::Put(const int16_t* values, size_t n) {
  // Levels are never negative; the cast through uint16_t keeps a bad one within 16 bits.
  PutBatch(reinterpret_cast<const uint16_t*>(values), n);
}
void RleBitPackedEncoder::Put(const uint8_t* values, size_t n) { PutBatch(values, n); }

size_t RleBitPackedEncoder::EstimatedBytes() const noexcept {
  auto width = static_cast<size_t>(bit_width_);
  size_t run_bytes = run_length_ >= kGroup ? 5 + (width + 7) / 8 : (run_length_ * width + 7) / 8;
  return out_.size() + (num_literals_ * width + 7) / 8 + 2 + run_bytes;
}

void RleBitPackedEncoder::Finish() {
  EndRun();
  if (num_literals_ != 0) {
    EmitLiterals(num_literals_);
  }
  run_value_ = 0;
  num_values_ = 0;
}

void RleBitPackedEncoder::FlushTo(data::Buffer& out) {
  Finish();
  out.Append(out_.view());
  out_.Clear();
}

void RleBitPackedEncoder::FlushWithLengthTo(data::Buffer& out) {
  Finish();
  out.Append(static_cast<uint32_t>(out_.size()));
  out.Append(out_.view());
  out_.Clear();
}

// ---------------------------------------------------------------------------------------
// Decoder

Status RleBitPackedDecoder::Reset(BytesView data, int bit_width) {
  if (bit_width < 0 || bit_width > 32) {
    return Corrupt("RLE/bit-packed hybrid: bit width " + std::to_string(bit_width) +
                   " is not 0..32");
  }
  data_ = data;
  pos_ = 0;
  bit_width_ = bit_width;
  rle_left_ = 0;
  rle_value_ = 0;
  packed_left_ = 0;
  packed_end_ = 0;
  buffered_pos_ = 0;
  buffered_end_ = 0;
  return OkStatus();
}

Status RleBitPackedDecoder::NextRun() {
  const uint8_t* end = data_.data() + data_.size();
  size_t at = pos_;
  internal::Uleb128 header = internal::GetUleb128(data_.data() + pos_, end);
  if (header.length == 0) {
    return Corrupt("RLE/bit-packed hybrid: truncated run header at byte " + std::to_string(at));
  }
  pos_ += header.length;
  size_t available = data_.size() - pos_;
  if (header.value & 1) {
    uint64_t groups = header.value >> 1;
    if (groups == 0 || groups > kMaxRunLength / kGroup) {
      return Corrupt("RLE/bit-packed hybrid: bit-packed run of " + std::to_string(groups) +
                     " groups at byte " + std::to_string(at));
    }
    uint64_t bytes = groups * static_cast<uint64_t>(bit_width_);
    if (bytes <= available) {
      packed_left_ = groups * kGroup;
      packed_end_ = pos_ + bytes;
    } else {
      // A final run cut short: its whole values, then the data ends.
      packed_left_ = available * 8 / static_cast<uint64_t>(bit_width_);
      packed_end_ = data_.size();
      if (packed_left_ == 0) {
        pos_ = packed_end_;
      }
    }
    return OkStatus();
  }
  uint64_t count = header.value >> 1;
  if (count == 0 || count > kMaxRunLength) {
    return Corrupt("RLE/bit-packed hybrid: RLE run of " + std::to_string(count) +
                   " values at byte " + std::to_string(at));
  }
  size_t value_bytes = (static_cast<size_t>(bit_width_) + 7) / 8;
  if (value_bytes > available) {
    return Corrupt("RLE/bit-packed hybrid: truncated RLE run value at byte " +
                   std::to_string(pos_));
  }
  uint32_t value = 0;
  for (size_t b = 0; b < value_bytes; ++b) {
    value |= uint32_t{data_[pos_ + b]} << (8 * b);
  }
  if (bit_width_ < 32 && (value >> bit_width_) != 0) {
    return Corrupt("RLE/bit-packed hybrid: RLE run value " + std::to_string(value) +
                   " at byte " + std::to_string(pos_) + " is wider than the bit width " +
                   std::to_string(bit_width_));
  }
  pos_ += value_bytes;
  rle_left_ = count;
  rle_value_ = value;
  return OkStatus();
}

// Decodes the next 32 (or 8) values of the bit-packed run into buffered_.
void RleBitPackedDecoder::DecodeGroup() {
  int group = packed_left_ >= kBatch ? kBatch : kGroup;
  auto bytes = static_cast<size_t>(group * bit_width_ / 8);
  const uint8_t* in = data_.data() + pos_;
  uint8_t padded[kBatch * 4];
  if (bytes > data_.size() - pos_) {
    // The last group of a run cut short: zeros stand for the missing bits.
    std::memset(padded, 0, sizeof(padded));
    std::memcpy(padded, in, data_.size() - pos_);
    in = padded;
    bytes = data_.size() - pos_;
  }
  if (group == kBatch) {
    internal::kUnpack<uint32_t, kBatch>[bit_width_](in, buffered_);
  } else {
    internal::kUnpack<uint32_t, kGroup>[bit_width_](in, buffered_);
  }
  auto decoded = static_cast<uint32_t>(std::min<uint64_t>(packed_left_, group));
  buffered_pos_ = 0;
  buffered_end_ = decoded;
  packed_left_ -= decoded;
  pos_ = packed_left_ == 0 ? packed_end_ : pos_ + bytes;
}

template <typename T>
Result<size_t> RleBitPackedDecoder::GetImpl(T* out, size_t n) {
  size_t done = 0;
  while (done < n) {
    if (buffered_pos_ < buffered_end_) {
      size_t k = std::min<size_t>(n - done, buffered_end_ - buffered_pos_);
      for (size_t i = 0; i < k; ++i) {
        out[done + i] = static_cast<T>(buffered_[buffered_pos_ + i]);
      }
      buffered_pos_ += static_cast<uint32_t>(k);
      done += k;
    } else if (rle_left_ != 0) {
      size_t k = static_cast<size_t>(std::min<uint64_t>(n - done, rle_left_));
      std::fill_n(out + done, k, static_cast<T>(rle_value_));
      rle_left_ -= k;
      done += k;
    } else if (packed_left_ != 0) {
      if constexpr (std::is_same_v<T, uint32_t>) {
        // Whole batches straight into the output (a run's bytes for them are all there).
        size_t batches = static_cast<size_t>(std::min<uint64_t>(n - done, packed_left_)) / kBatch;
        if (batches != 0) {
          auto unpack = internal::kUnpack<uint32_t, kBatch>[bit_width_];
          auto stride = static_cast<size_t>(4 * bit_width_);
          const uint8_t* in = data_.data() + pos_;
          for (size_t b = 0; b < batches; ++b) {
            unpack(in, out + done);
            in += stride;
            done += kBatch;
          }
          packed_left_ -= batches * kBatch;
          pos_ = packed_left_ == 0 ? packed_end_ : pos_ + batches * stride;
          continue;
        }
      }
      DecodeGroup();
    } else if (pos_ < data_.size()) {
      CQLBULK_RETURN_IF_ERROR(NextRun());
    } else {
      break;
    }
  }
  return done;
}

Result<size_t> RleBitPackedDecoder::Get(uint32_t* out, size_t n) { return GetImpl(out, n); }

Result<size_t> RleBitPackedDecoder::Get(int16_t* out, size_t n) {
  if (bit_width_ > 16) {
    return InvalidArgument("RLE/bit-packed hybrid: levels of bit width " +
                           std::to_string(bit_width_) + " do not fit 16 bits");
  }
  return GetImpl(out, n);
}

Result<size_t> RleBitPackedDecoder::Get(uint8_t* out, size_t n) {
  if (bit_width_ > 8) {
    return InvalidArgument("RLE/bit-packed hybrid: values of bit width " +
                           std::to_string(bit_width_) + " do not fit 8 bits");
  }
  return GetImpl(out, n);
}

Result<BytesView> SplitLengthPrefixed(BytesView data) {
  if (data.size() < 4) {
    return Corrupt("RLE/bit-packed hybrid: truncated 4-byte length (" +
                   std::to_string(data.size()) + " bytes)");
  }
  uint32_t length;
  std::memcpy(&length, data.data(), 4);
  if (length > data.size() - 4) {
    return Corrupt("RLE/bit-packed hybrid: length " + std::to_string(length) +
                   " passes the end of the data (" + std::to_string(data.size() - 4) +
                   " bytes after the length)");
  }
  return data.subspan(4, length);
}

}  // namespace cqlbulk::formats::parquet
