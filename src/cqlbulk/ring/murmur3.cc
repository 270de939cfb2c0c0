// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/murmur3.h"

#include <bit>
#include <cstring>

namespace cqlbulk::ring {
namespace {

constexpr uint64_t kC1 = 0x87c37b91114253d5ULL;
constexpr uint64_t kC2 = 0x4cf5ad432745937fULL;

inline uint64_t LoadLE64(const uint8_t* p) noexcept {
  uint64_t v;
  std::memcpy(&v, p, sizeof(v));
  if constexpr (std::endian::native == std::endian::big) {
    v = __builtin_bswap64(v);
  }
  return v;
}

// Java's `(long) byteBuffer.get(i)`: the byte is signed, so 0x80..0xff fill the high bits.
inline uint64_t SignExtend(uint8_t b) noexcept {
  return static_cast<uint64_t>(static_cast<int64_t>(static_cast<int8_t>(b)));
}

inline uint64_t MixK1(uint64_t k1) noexcept { return std::rotl(k1 * kC1, 31) * kC2; }
inline uint64_t MixK2(uint64_t k2) noexcept { return std::rotl(k2 * kC2, 33) * kC1; }

inline uint64_t Fmix(uint64_t k) noexcept {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

int64_t Murmur3Hash(BytesView data) noexcept {
  const uint8_t* p = data.data();
  const size_t size = data.size();
  const size_t num_blocks = size / 16;
  uint64_t h1 = 0;
  uint64_t h2 = 0;

  // Body: full 16-byte blocks, read little-endian (unsigned, as the reference does).
  for (size_t i = 0; i < num_blocks; ++i, p += 16) {
    h1 ^= MixK1(LoadLE64(p));
    h1 = std::rotl(h1, 27) + h2;
    h1 = h1 * 5 + 0x52dce729;
    h2 ^= MixK2(LoadLE64(p + 8));
    h2 = std::rotl(h2, 31) + h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  // Tail: bytes 8..14 go into k2 and bytes 0..7 into k1, byte i shifted by 8 * (i % 8).
  // Cassandra's quirk is that each byte is sign-extended before the shift, so a byte >= 0x80
  // also flips every higher bit of its word.
  const size_t tail = size & 15;
  uint64_t k1 = 0;
  uint64_t k2 = 0;
  for (size_t i = 8; i < tail; ++i) {
    k2 ^= SignExtend(p[i]) << (8 * (i - 8));
  }
  for (size_t i = 0; i < tail && i < 8; ++i) {
    k1 ^= SignExtend(p[i]) << (8 * i);
  }
  if (tail > 8) {
    h2 ^= MixK2(k2);
  }
  if (tail > 0) {
    h1 ^= MixK1(k1);
  }

  // Finalization. Only h1 is the token, but it depends on h2.
  h1 ^= static_cast<uint64_t>(size);
  h2 ^= static_cast<uint64_t>(size);
  h1 += h2;
  h2 += h1;
  h1 = Fmix(h1);
  h2 = Fmix(h2);
  h1 += h2;
  return static_cast<int64_t>(h1);
}

}  // namespace cqlbulk::ring
