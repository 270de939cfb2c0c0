// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/md5.h"

#include <algorithm>
#include <bit>
#include <cstring>

namespace cqlbulk::ring {
namespace {

// RFC 1321 §3.4: T[i] = floor(2^32 * |sin(i + 1)|).
constexpr uint32_t kSine[64] = {
    0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
    0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
    0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
    0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
    0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
    0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
    0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
    0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
};

// Left-rotation amounts, four per round (RFC 1321 §3.4).
constexpr int kShift[4][4] = {{7, 12, 17, 22}, {5, 9, 14, 20}, {4, 11, 16, 23}, {6, 10, 15, 21}};

inline uint32_t LoadLE32(const uint8_t* p) noexcept {
  return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

inline void StoreLE32(uint8_t* p, uint32_t v) noexcept {
  for (int i = 0; i < 4; ++i, v >>= 8) {
    p[i] = static_cast<uint8_t>(v);
  }
}

}  // namespace

void Md5::Compress(const uint8_t* block) noexcept {
  uint32_t x[16];
  for (int i = 0; i < 16; ++i) {
    x[i] = LoadLE32(block + 4 * i);
  }
  uint32_t a = state_[0];
  uint32_t b = state_[1];
  uint32_t c = state_[2];
  uint32_t d = state_[3];
  for (int i = 0; i < 64; ++i) {
    const int round = i / 16;
    uint32_t f;
    int word;
    switch (round) {
      case 0:
        f = (b & c) | (~b & d);
        word = i;
        break;
      case 1:
        f = (b & d) | (c & ~d);
        word = (5 * i + 1) % 16;
        break;
      case 2:
        f = b ^ c ^ d;
        word = (3 * i + 5) % 16;
        break;
      default:
        f = c ^ (b | ~d);
        word = (7 * i) % 16;
        break;
    }
    const uint32_t sum = a + f + kSine[i] + x[word];
    a = d;
    d = c;
    c = b;
    b = b + std::rotl(sum, kShift[round][i % 4]);
  }
  state_[0] += a;
  state_[1] += b;
  state_[2] += c;
  state_[3] += d;
}

void Md5::Update(BytesView data) noexcept {
  num_bytes_ += data.size();
  const uint8_t* p = data.data();
  size_t left = data.size();
  if (block_used_ > 0) {
    const size_t take = std::min(left, block_.size() - block_used_);
    std::memcpy(block_.data() + block_used_, p, take);
    block_used_ += take;
    p += take;
    left -= take;
    if (block_used_ < block_.size()) {
      return;
    }
    Compress(block_.data());
    block_used_ = 0;
  }
  for (; left >= 64; p += 64, left -= 64) {
    Compress(p);
  }
  if (left > 0) {
    std::memcpy(block_.data(), p, left);
    block_used_ = left;
  }
}

Md5Digest Md5::Finish() noexcept {
  // RFC 1321 §3.1-3.2: a 1 bit, zeros up to 56 mod 64 bytes, then the bit length little-endian.
  const uint64_t num_bits = num_bytes_ * 8;
  uint8_t padding[72] = {0x80};
  const size_t pad = (block_used_ < 56 ? 56 : 120) - block_used_;
  for (int i = 0; i < 8; ++i) {
    padding[pad + static_cast<size_t>(i)] = static_cast<uint8_t>(num_bits >> (8 * i));
  }
  Update(BytesView(padding, pad + 8));
  Md5Digest digest;
  for (size_t i = 0; i < 4; ++i) {
    StoreLE32(digest.data() + 4 * i, state_[i]);
  }
  return digest;
}

Md5Digest Md5::Hash(BytesView data) noexcept {
  Md5 md5;
  md5.Update(data);
  return md5.Finish();
}

}  // namespace cqlbulk::ring
