// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/checksum.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

namespace cqlbulk {

namespace {

/// zlib's CRC-32 of `data`, continuing from `crc`: the reference, and what the folding below
/// finishes with.
uint32_t ZlibCrc32(BytesView data, uint32_t crc) noexcept {
  uLong c = crc;
  while (!data.empty()) {
    auto n = static_cast<uInt>(std::min<size_t>(data.size(), std::numeric_limits<uInt>::max()));
    c = ::crc32(c, data.data(), n);
    data = data.subspan(n);
  }
  return static_cast<uint32_t>(c);
}

#if defined(__x86_64__) && defined(__GNUC__)

// CRC-32 by folding with carry-less multiplication (Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ Instruction", Intel, 2009): 16 bytes fold into the
// 16 bytes `d` bits further on as clmul(low half, x^(d+32) mod P) ^ clmul(high half,
// x^(d-32) mod P), each constant bit-reflected into 33 bits (the reflected domain's
// multiplication gives the product one bit short of the block's alignment). The last 16
// bytes folded are then a message with the same CRC remainder as everything before them,
// which zlib finishes (with the tail) from a zero register. zlib 1.2 computes about 4
// instructions a byte (8% of a load's and 9% of an unload's instructions, for the CRC of
// every v5 segment); this takes about a fifth of an instruction.

/// x^n mod P (P = 0x104C11DB7), in the normal bit order (bit i is x^i).
constexpr uint32_t XPowModP(int n) {
  uint32_t r = 1;  // x^0
  for (int i = 0; i < n; ++i) {
    bool carry = (r & 0x80000000u) != 0;
    r <<= 1;
    if (carry) r ^= 0x04C11DB7u;
  }
  return r;
}

constexpr uint64_t Reflect32(uint32_t v) {
  uint64_t r = 0;
  for (int i = 0; i < 32; ++i) {
    if ((v >> i) & 1) r |= uint64_t{1} << (31 - i);
  }
  return r;
}

/// The folding constant x^exponent mod P, reflected into 33 bits: exponent d + 32 for the low
/// half of a block folded over d bits, d - 32 for the high half.
constexpr uint64_t FoldConstant(int exponent) { return Reflect32(XPowModP(exponent)) << 1; }

constexpr uint64_t kFold512Lo = FoldConstant(512 + 32);
constexpr uint64_t kFold512Hi = FoldConstant(512 - 32);
constexpr uint64_t kFold128Lo = FoldConstant(128 + 32);
constexpr uint64_t kFold128Hi = FoldConstant(128 - 32);

__attribute__((target("pclmul,sse2"))) inline __m128i Fold(__m128i x, __m128i k, __m128i next) {
  return _mm_xor_si128(_mm_xor_si128(_mm_clmulepi64_si128(x, k, 0x00),
                                     _mm_clmulepi64_si128(x, k, 0x11)),
                       next);
}

__attribute__((target("pclmul,sse2"))) uint32_t FoldCrc32(BytesView data, uint32_t crc) noexcept {
  const uint8_t* p = data.data();
  size_t n = data.size();
  auto load = [](const uint8_t* at) {
    return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at));
  };
  // The register (zlib's crc, inverted) goes into the first four bytes.
  __m128i x0 = _mm_xor_si128(load(p), _mm_cvtsi32_si128(static_cast<int>(~crc)));
  __m128i x1 = load(p + 16);
  __m128i x2 = load(p + 32);
  __m128i x3 = load(p + 48);
  p += 64;
  n -= 64;
  const __m128i k512 = _mm_set_epi64x(static_cast<long long>(kFold512Hi),
                                      static_cast<long long>(kFold512Lo));
  while (n >= 64) {
    x0 = Fold(x0, k512, load(p));
    x1 = Fold(x1, k512, load(p + 16));
    x2 = Fold(x2, k512, load(p + 32));
    x3 = Fold(x3, k512, load(p + 48));
    p += 64;
    n -= 64;
  }
  const __m128i k128 = _mm_set_epi64x(static_cast<long long>(kFold128Hi),
                                      static_cast<long long>(kFold128Lo));
  __m128i x = Fold(x0, k128, x1);
  x = Fold(x, k128, x2);
  x = Fold(x, k128, x3);
  while (n >= 16) {
    x = Fold(x, k128, load(p));
    p += 16;
    n -= 16;
  }
  alignas(16) uint8_t folded[16];
  _mm_store_si128(reinterpret_cast<__m128i*>(folded), x);
  // 0xFFFFFFFF: zlib inverts it into a zero register, the folded bytes carry the rest.
  uint32_t c = ZlibCrc32(BytesView(folded, 16), 0xFFFFFFFFu);
  return ZlibCrc32(BytesView(p, n), c);
}

bool HasPclmul() noexcept {
  static const bool has = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse2");
  return has;
}

#endif

}  // namespace

namespace internal {

uint32_t ReferenceCrc32(BytesView data, uint32_t crc) noexcept { return ZlibCrc32(data, crc); }

}  // namespace internal

uint32_t Crc32(BytesView data, uint32_t crc) noexcept {
#if defined(__x86_64__) && defined(__GNUC__)
  if (data.size() >= 64 && HasPclmul()) return FoldCrc32(data, crc);
#endif
  return ZlibCrc32(data, crc);
}

namespace {

// Slicing-by-8 tables: table[k][b] is the CRC of byte b followed by k zero bytes.
using Crc32cTables = std::array<std::array<uint32_t, 256>, 8>;

constexpr Crc32cTables MakeCrc32cTables() {
  constexpr uint32_t kPolynomial = 0x82F63B78;  // 0x1EDC6F41 bit-reversed
  Crc32cTables t{};
  for (uint32_t b = 0; b < 256; ++b) {
    uint32_t c = b;
    for (int i = 0; i < 8; ++i) {
      c = (c & 1) ? (c >> 1) ^ kPolynomial : c >> 1;
    }
    t[0][b] = c;
  }
  for (size_t k = 1; k < 8; ++k) {
    for (uint32_t b = 0; b < 256; ++b) {
      t[k][b] = (t[k - 1][b] >> 8) ^ t[0][t[k - 1][b] & 0xFF];
    }
  }
  return t;
}

constexpr Crc32cTables kCrc32cTables = MakeCrc32cTables();

}  // namespace

uint32_t Crc32c(BytesView data, uint32_t crc) noexcept {
  const auto& t = kCrc32cTables;
  uint32_t c = ~crc;
  const uint8_t* p = data.data();
  size_t n = data.size();
  while (n >= 8) {
    uint32_t lo =
        c ^ (uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24);
    c = t[7][lo & 0xFF] ^ t[6][(lo >> 8) & 0xFF] ^ t[5][(lo >> 16) & 0xFF] ^ t[4][lo >> 24] ^
        t[3][p[4]] ^ t[2][p[5]] ^ t[1][p[6]] ^ t[0][p[7]];
    p += 8;
    n -= 8;
  }
  for (; n > 0; --n, ++p) {
    c = (c >> 8) ^ t[0][(c ^ *p) & 0xFF];
  }
  return ~c;
}

}  // namespace cqlbulk
