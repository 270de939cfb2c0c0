// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk {

using Bytes = std::vector<uint8_t>;
using BytesView = std::span<const uint8_t>;

inline BytesView AsBytes(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}
inline std::string_view AsChars(BytesView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

/// Big-endian loads and stores on raw memory; callers have checked the bounds. One unaligned
/// load or store and a byte swap each (a store written byte by byte was not merged by GCC 12:
/// a tenth of the instructions of encoding a load's rows).
namespace bytes_internal {
template <typename T>
inline T ToBigEndian(T v) noexcept {
  if constexpr (std::endian::native == std::endian::big) {
    return v;
  } else if constexpr (sizeof(T) == 2) {
    return static_cast<T>(__builtin_bswap16(v));
  } else if constexpr (sizeof(T) == 4) {
    return static_cast<T>(__builtin_bswap32(v));
  } else {
    return static_cast<T>(__builtin_bswap64(v));
  }
}
}  // namespace bytes_internal

inline uint16_t LoadBE16(const uint8_t* p) {
  uint16_t v;
  std::memcpy(&v, p, sizeof v);
  return bytes_internal::ToBigEndian(v);
}
inline uint32_t LoadBE32(const uint8_t* p) {
  uint32_t v;
  std::memcpy(&v, p, sizeof v);
  return bytes_internal::ToBigEndian(v);
}
inline uint64_t LoadBE64(const uint8_t* p) {
  uint64_t v;
  std::memcpy(&v, p, sizeof v);
  return bytes_internal::ToBigEndian(v);
}
inline void StoreBE16(uint8_t* p, uint16_t v) {
  v = bytes_internal::ToBigEndian(v);
  std::memcpy(p, &v, sizeof v);
}
inline void StoreBE32(uint8_t* p, uint32_t v) {
  v = bytes_internal::ToBigEndian(v);
  std::memcpy(p, &v, sizeof v);
}
inline void StoreBE64(uint8_t* p, uint64_t v) {
  v = bytes_internal::ToBigEndian(v);
  std::memcpy(p, &v, sizeof v);
}

/// \brief Bounds-checked big-endian reader over borrowed bytes.
///
/// Every read that would pass the end returns an Error with the code given at construction
/// (kCorrupt by default; protocol decoders pass kProtocol) and leaves the position unchanged.
class ByteReader {
 public:
  explicit ByteReader(BytesView data, ErrorCode truncation_code = ErrorCode::kCorrupt) noexcept
      : data_(data), truncation_code_(truncation_code) {}

  size_t position() const noexcept { return pos_; }
  size_t remaining() const noexcept { return data_.size() - pos_; }
  bool empty() const noexcept { return pos_ == data_.size(); }
  BytesView data() const noexcept { return data_; }
  /// The bytes not yet read.
  BytesView rest() const noexcept { return data_.subspan(pos_); }
  ErrorCode truncation_code() const noexcept { return truncation_code_; }

  Result<uint8_t> ReadU8();
  Result<uint16_t> ReadU16();
  Result<uint32_t> ReadU32();
  Result<uint64_t> ReadU64();
  Result<int8_t> ReadI8();
  Result<int16_t> ReadI16();
  Result<int32_t> ReadI32();
  Result<int64_t> ReadI64();
  /// A view of the next n bytes (no copy).
  Result<BytesView> ReadBytes(size_t n);
  Status Skip(size_t n);

  /// The error a read of `needed` bytes at the current position reports.
  Error Truncated(size_t needed) const;

 private:
  Status Need(size_t n) const {
    if (n > remaining()) [[unlikely]] {
      return Truncated(n);
    }
    return {};
  }

  BytesView data_;
  size_t pos_ = 0;
  ErrorCode truncation_code_;
};

/// \brief Big-endian writer that appends to an owned buffer.
class ByteWriter {
 public:
  ByteWriter() = default;
  /// Appends after the bytes already in `buffer` (lets a caller reuse its allocation).
  explicit ByteWriter(Bytes buffer) noexcept : buf_(std::move(buffer)) {}

  size_t size() const noexcept { return buf_.size(); }
  const Bytes& bytes() const noexcept { return buf_; }
  BytesView view() const noexcept { return buf_; }
  Bytes Take() && noexcept { return std::move(buf_); }
  void Reserve(size_t n) { buf_.reserve(n); }

  void WriteU8(uint8_t v) { buf_.push_back(v); }
  void WriteU16(uint16_t v) { StoreBE16(Grow(2), v); }
  void WriteU32(uint32_t v) { StoreBE32(Grow(4), v); }
  void WriteU64(uint64_t v) { StoreBE64(Grow(8), v); }
  void WriteI8(int8_t v) { WriteU8(static_cast<uint8_t>(v)); }
  void WriteI16(int16_t v) { WriteU16(static_cast<uint16_t>(v)); }
  void WriteI32(int32_t v) { WriteU32(static_cast<uint32_t>(v)); }
  void WriteI64(int64_t v) { WriteU64(static_cast<uint64_t>(v)); }
  /// One copy, without Grow's zero fill first (every request body and v5 segment payload
  /// goes through here: the fill was 3% of a load's instructions).
  void WriteBytes(BytesView b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  void WriteChars(std::string_view s) { WriteBytes(AsBytes(s)); }

  /// Overwrites 4 bytes at `pos` (e.g. a length known only after the body is written).
  void PatchU32(size_t pos, uint32_t v) { StoreBE32(buf_.data() + pos, v); }
  void PatchU16(size_t pos, uint16_t v) { StoreBE16(buf_.data() + pos, v); }
  /// Overwrites b.size() bytes at `pos` with `b`.
  void PatchBytes(size_t pos, BytesView b) {
    if (!b.empty()) std::memcpy(buf_.data() + pos, b.data(), b.size());
  }

  /// Appends n bytes and returns a pointer to them (valid until the next write).
  uint8_t* Grow(size_t n) {
    size_t old = buf_.size();
    buf_.resize(old + n);
    return buf_.data() + old;
  }

 private:
  Bytes buf_;
};

/// Lower-case hex of `b`.
std::string ToHex(BytesView b);
/// Parses hex (either case, no prefix); kInvalidArgument names the offending position.
Result<Bytes> FromHex(std::string_view hex);

}  // namespace cqlbulk
