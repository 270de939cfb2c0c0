// SPDX-License-Identifier: Apache-2.0
// Bit packing as the RLE/bit-packed hybrid and DELTA_BINARY_PACKED use it (Encodings.md, RLE
// note 1): values packed from the least significant bit of each byte up, each value's bits in
// their usual order, so on a little-endian machine value i sits at bit i * width of a
// little-endian word stream. One function per (word type, bit width, group size) with every
// shift a compile-time constant, chosen through a table indexed by the bit width.
#pragma once

#include <array>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <utility>

namespace cqlbulk::formats::parquet::internal {

static_assert(std::endian::native == std::endian::little,
              "Parquet is little-endian; the encodings copy values as they are in memory");

/// Values are bit-packed in groups of 8 (the hybrid's unit) and 32 (the fast path, and
/// DELTA_BINARY_PACKED's miniblocks are multiples of 32).
inline constexpr int kGroup = 8;
inline constexpr int kBatch = 32;

template <typename U, int W, int I>
inline U ExtractValue(const uint64_t* words) {
  constexpr int kBit = I * W;
  constexpr int kWord = kBit / 64;
  constexpr int kShift = kBit % 64;
  uint64_t v = words[kWord] >> kShift;
  if constexpr (kShift + W > 64) {
    v |= words[kWord + 1] << (64 - kShift);
  }
  if constexpr (W < 64) {
    v &= (uint64_t{1} << W) - 1;
  }
  return static_cast<U>(v);
}

template <typename U, int W, size_t... I>
inline void UnpackValues(const uint64_t* words, U* out, std::index_sequence<I...>) {
  ((out[I] = ExtractValue<U, W, static_cast<int>(I)>(words)), ...);
}

/// Unpacks N values of W bits from exactly N * W / 8 bytes at `in`.
template <typename U, int W, int N>
void Unpack(const uint8_t* in, U* out) {
  if constexpr (W == 0) {
    for (int i = 0; i < N; ++i) {
      out[i] = 0;
    }
  } else {
    constexpr int kBytes = N * W / 8;
    constexpr int kWords = (kBytes + 7) / 8;
    uint64_t words[kWords + 1];
    words[kWords - 1] = 0;
    words[kWords] = 0;
    std::memcpy(words, in, kBytes);
    UnpackValues<U, W>(words, out, std::make_index_sequence<N>{});
  }
}

template <typename U, int W, int I>
inline void InsertValue(const U* in, uint64_t* words) {
  constexpr int kBit = I * W;
  constexpr int kWord = kBit / 64;
  constexpr int kShift = kBit % 64;
  uint64_t v = static_cast<uint64_t>(in[I]);
  if constexpr (W < 64) {
    v &= (uint64_t{1} << W) - 1;
  }
  words[kWord] |= v << kShift;
  if constexpr (kShift + W > 64) {
    words[kWord + 1] |= v >> (64 - kShift);
  }
}

template <typename U, int W, size_t... I>
inline void PackValues(const U* in, uint64_t* words, std::index_sequence<I...>) {
  (InsertValue<U, W, static_cast<int>(I)>(in, words), ...);
}

/// Packs N values (their low W bits) into exactly N * W / 8 bytes at `out`.
template <typename U, int W, int N>
void Pack(const U* in, uint8_t* out) {
  if constexpr (W != 0) {
    constexpr int kBytes = N * W / 8;
    constexpr int kWords = (kBytes + 7) / 8;
    uint64_t words[kWords + 1] = {};
    PackValues<U, W>(in, words, std::make_index_sequence<N>{});
    std::memcpy(out, words, kBytes);
  }
}

template <typename U>
using UnpackFn = void (*)(const uint8_t*, U*);
template <typename U>
using PackFn = void (*)(const U*, uint8_t*);

template <typename U, int N, size_t... W>
constexpr std::array<UnpackFn<U>, sizeof...(W)> MakeUnpackTable(std::index_sequence<W...>) {
  return {&Unpack<U, static_cast<int>(W), N>...};
}
template <typename U, int N, size_t... W>
constexpr std::array<PackFn<U>, sizeof...(W)> MakePackTable(std::index_sequence<W...>) {
  return {&Pack<U, static_cast<int>(W), N>...};
}

/// kUnpack<U, N>[w] unpacks N values of width w (0..bits of U).
template <typename U, int N>
inline constexpr auto kUnpack =
    MakeUnpackTable<U, N>(std::make_index_sequence<sizeof(U) * 8 + 1>{});
/// kPack<U, N>[w] packs N values to width w (0..bits of U).
template <typename U, int N>
inline constexpr auto kPack = MakePackTable<U, N>(std::make_index_sequence<sizeof(U) * 8 + 1>{});

/// The bits needed for `v` (0 for 0).
constexpr int BitsFor(uint64_t v) { return 64 - std::countl_zero(v); }

/// ULEB128 (Encodings.md RLE note 2) of `v` at `p`, which has room for 10 bytes; returns the
/// bytes written.
inline size_t PutUleb128(uint8_t* p, uint64_t v) {
  size_t n = 0;
  while (v >= 0x80) {
    p[n++] = static_cast<uint8_t>(v | 0x80);
    v >>= 7;
  }
  p[n++] = static_cast<uint8_t>(v);
  return n;
}

/// A ULEB128 read from memory: `length` 0 means truncated or longer than 64 bits.
struct Uleb128 {
  uint64_t value = 0;
  size_t length = 0;
};

/// Reads a ULEB128 from [p, end).
inline Uleb128 GetUleb128(const uint8_t* p, const uint8_t* end) {
  uint64_t value = 0;
  for (size_t i = 0; i < 10 && p + i < end; ++i) {
    uint64_t byte = p[i];
    if (i == 9 && byte > 1) {
      return {};  // bits past the 64th
    }
    value |= (byte & 0x7f) << (7 * i);
    if ((byte & 0x80) == 0) {
      return {value, i + 1};
    }
  }
  return {};
}

}  // namespace cqlbulk::formats::parquet::internal
