// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/utf8.h"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "cqlbulk/core/ascii.h"

namespace cqlbulk::cql {
namespace {

bool IsContinuation(uint8_t b) noexcept { return (b & 0xC0) == 0x80; }

}  // namespace

bool IsAscii(std::string_view s) noexcept {
  return IsAllAscii(reinterpret_cast<const uint8_t*>(s.data()), s.size());
}

bool IsValidUtf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const uint8_t*>(s.data());
  size_t n = s.size();
  if (IsAllAscii(p, n)) return true;  // most text
  size_t i = 0;
  while (i < n) {
    // Eight ASCII bytes at a time: most text is ASCII, and a load checks every text value (a
    // third of its encoding instructions went here byte by byte).
    while (i + 8 <= n) {
      uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i == n) break;
    uint8_t b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    // Bounds of the second byte: they exclude overlong forms and code points over U+10FFFF.
    uint8_t lo = 0x80, hi = 0xBF;
    if (b == 0xC0) {
      // Modified UTF-8 NUL, which Cassandra accepts: only C0 80.
      lo = hi = 0x80;
      len = 2;
    } else if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b == 0xE0) {
      lo = 0xA0;
      len = 3;
    } else if (b >= 0xE1 && b <= 0xEF) {
      len = 3;  // ED A0..BF (surrogates) is tolerated, as Cassandra does.
    } else if (b == 0xF0) {
      lo = 0x90;
      len = 4;
    } else if (b >= 0xF1 && b <= 0xF3) {
      len = 4;
    } else if (b == 0xF4) {
      hi = 0x8F;
      len = 4;
    } else {
      return false;
    }
    if (n - i < len || p[i + 1] < lo || p[i + 1] > hi) {
      return false;
    }
    for (size_t k = 2; k < len; ++k) {
      if (!IsContinuation(p[i + k])) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace cqlbulk::cql
