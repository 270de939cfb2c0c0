// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/checksum.h"

#include <zlib.h>

#include <algorithm>
#include <array>
#include <limits>

namespace cqlbulk {

uint32_t Crc32(BytesView data, uint32_t crc) noexcept {
  uLong c = crc;
  while (!data.empty()) {
    auto n = static_cast<uInt>(std::min<size_t>(data.size(), std::numeric_limits<uInt>::max()));
    c = ::crc32(c, data.data(), n);
    data = data.subspan(n);
  }
  return static_cast<uint32_t>(c);
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
