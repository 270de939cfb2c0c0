// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/encoding/plain.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>

#include "cqlbulk/formats/parquet/encoding/byte_arrays_internal.h"

namespace cqlbulk::formats::parquet {

namespace {

// Byte b spread to 8 bytes 0 / 1, bit i to byte i (little-endian).
constexpr std::array<uint64_t, 256> MakeBitsToBytes() {
  std::array<uint64_t, 256> table{};
  for (uint64_t b = 0; b < 256; ++b) {
    for (int i = 0; i < 8; ++i) {
      table[b] |= ((b >> i) & 1) << (8 * i);
    }
  }
  return table;
}
constexpr std::array<uint64_t, 256> kBitsToBytes = MakeBitsToBytes();

// The low bits of 8 bytes 0 / 1 gathered into one byte, byte i to bit i: each byte's bit lands
// at bit 56 + i of the product, and the other partial products never meet there.
inline uint8_t BytesToBits(const uint8_t* values) {
  uint64_t word;
  std::memcpy(&word, values, 8);
  return static_cast<uint8_t>(((word & 0x0101010101010101ull) * 0x0102040810204080ull) >> 56);
}

}  // namespace

// ---------------------------------------------------------------------------------------
// Fixed width

PlainFixedEncoder::PlainFixedEncoder(int width) : width_(width) {
  CQLBULK_CHECK(width > 0, "PLAIN value width must be positive");
}

void PlainFixedEncoder::FlushTo(data::Buffer& out) {
  out.Append(out_.view());
  out_.Clear();
}

PlainFixedDecoder::PlainFixedDecoder(int width) : width_(width) {
  CQLBULK_CHECK(width > 0, "PLAIN value width must be positive");
}

Status PlainFixedDecoder::Reset(BytesView data) {
  data_ = data;
  pos_ = 0;
  return OkStatus();
}

Result<size_t> PlainFixedDecoder::Get(uint8_t* out, size_t n) {
  auto width = static_cast<size_t>(width_);
  size_t k = std::min(n, values_left());
  if (k < n && (data_.size() - pos_) % width != 0) {
    return Corrupt("PLAIN: the data ends inside a value of " + std::to_string(width) +
                   " bytes (" + std::to_string(data_.size()) + " bytes in all)");
  }
  if (k != 0) {
    std::memcpy(out, data_.data() + pos_, k * width);
    pos_ += k * width;
  }
  return k;
}

// ---------------------------------------------------------------------------------------
// BOOLEAN

void PlainBooleanEncoder::Put(const uint8_t* values, size_t n) {
  size_t i = 0;
  while (num_bits_ != 0 && i < n) {
    bits_ = static_cast<uint8_t>(bits_ | ((values[i++] & 1) << num_bits_));
    if (++num_bits_ == 8) {
      out_.Append(bits_);
      bits_ = 0;
      num_bits_ = 0;
    }
  }
  size_t bytes = (n - i) / 8;
  uint8_t* p = out_.Grow(bytes);
  for (size_t b = 0; b < bytes; ++b, i += 8) {
    p[b] = BytesToBits(values + i);
  }
  for (; i < n; ++i) {
    bits_ = static_cast<uint8_t>(bits_ | ((values[i] & 1) << num_bits_));
    ++num_bits_;
  }
}

void PlainBooleanEncoder::FlushTo(data::Buffer& out) {
  out.Append(out_.view());
  if (num_bits_ != 0) {
    out.Append(bits_);
  }
  out_.Clear();
  bits_ = 0;
  num_bits_ = 0;
}

Status PlainBooleanDecoder::Reset(BytesView data) {
  data_ = data;
  bit_pos_ = 0;
  return OkStatus();
}

Result<size_t> PlainBooleanDecoder::Get(uint8_t* out, size_t n) {
  size_t k = std::min(n, data_.size() * 8 - bit_pos_);
  size_t i = 0;
  while (i < k && bit_pos_ % 8 != 0) {
    out[i++] = static_cast<uint8_t>((data_[bit_pos_ / 8] >> (bit_pos_ % 8)) & 1);
    ++bit_pos_;
  }
  for (; i + 8 <= k; i += 8, bit_pos_ += 8) {
    std::memcpy(out + i, &kBitsToBytes[data_[bit_pos_ / 8]], 8);
  }
  for (; i < k; ++i, ++bit_pos_) {
    out[i] = static_cast<uint8_t>((data_[bit_pos_ / 8] >> (bit_pos_ % 8)) & 1);
  }
  return k;
}

// ---------------------------------------------------------------------------------------
// BYTE_ARRAY

void PlainByteArrayEncoder::Put(ByteArraysView values) {
  size_t bytes = values.total_bytes() + 4 * values.size;
  internal::EnsureRoom(out_, bytes + internal::kCopySlack);
  uint8_t* p = out_.Grow(bytes);
  const uint8_t* end = values.data + (values.size == 0 ? 0 : values.offsets[values.size]);
  for (size_t i = 0; i < values.size; ++i) {
    BytesView value = values[i];
    auto length = static_cast<uint32_t>(value.size());
    std::memcpy(p, &length, 4);
    internal::CopyValue(p + 4, value.data(), length, end);
    p += 4 + length;
  }
}

void PlainByteArrayEncoder::FlushTo(data::Buffer& out) {
  out.Append(out_.view());
  out_.Clear();
}

Status PlainByteArrayDecoder::Reset(BytesView data) {
  data_ = data;
  pos_ = 0;
  return OkStatus();
}

Result<size_t> PlainByteArrayDecoder::Get(ByteArrays& out, size_t n) {
  // The values' bytes come from the data and each value takes 4 bytes of it at least: both
  // buffers grow once for the most this can append, and are cut to what it did on return.
  size_t left = data_.size() - pos_;
  size_t most = std::min(n, left / 4);
  if (out.offsets.empty()) {
    out.offsets.Append<int32_t>(0);
  }
  size_t bytes_before = out.bytes.size();
  size_t offsets_before = out.offsets.size();
  internal::EnsureRoom(out.bytes, left + internal::kCopySlack);
  uint8_t* to = out.bytes.Grow(left);
  auto* offsets = reinterpret_cast<int32_t*>(out.offsets.Grow(4 * most));
  size_t written = 0;
  size_t done = 0;
  const uint8_t* p = data_.data() + pos_;
  const uint8_t* end = data_.data() + data_.size();
  auto finish = [&] {
    out.bytes.Truncate(bytes_before + written);
    out.offsets.Truncate(offsets_before + 4 * done);
    pos_ = static_cast<size_t>(p - data_.data());
  };
  for (; done < n && p != end; ++done) {
    if (end - p < 4) {
      finish();
      return Corrupt("PLAIN BYTE_ARRAY: truncated length at byte " +
                     std::to_string(p - data_.data()));
    }
    int32_t length;
    std::memcpy(&length, p, 4);
    if (length < 0 || static_cast<size_t>(length) > static_cast<size_t>(end - p - 4)) {
      finish();
      return Corrupt("PLAIN BYTE_ARRAY: length " + std::to_string(length) + " at byte " +
                     std::to_string(p - data_.data()) +
                     (length < 0 ? " is negative"
                                 : " passes the end of the data (" +
                                       std::to_string(data_.size()) + " bytes)"));
    }
    auto size = static_cast<size_t>(length);
    if (bytes_before + written + size > ByteArrays::kMaxBytes) {
      finish();
      return internal::TooLarge("PLAIN BYTE_ARRAY");
    }
    internal::CopyValue(to + written, p + 4, size, end);
    written += size;
    offsets[done] = static_cast<int32_t>(bytes_before + written);
    p += 4 + size;
  }
  finish();
  return done;
}

}  // namespace cqlbulk::formats::parquet
