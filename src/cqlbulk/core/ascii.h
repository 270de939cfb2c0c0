// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace cqlbulk {

/// \brief Whether every byte of [p, p + n) is below 0x80. Sixteen bytes at a time, the last
/// block overlapping the one before it, so that no value ends in a byte loop (a load checks
/// every text value twice, as it parses and as it encodes; an unload once).
inline bool IsAllAscii(const uint8_t* p, size_t n) noexcept {
#if defined(__SSE2__)
  if (n >= 16) {
    __m128i any = _mm_setzero_si128();
    for (size_t i = 0; i + 16 < n; i += 16) {
      any = _mm_or_si128(any, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i)));
    }
    any = _mm_or_si128(any, _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + n - 16)));
    return _mm_movemask_epi8(any) == 0;
  }
#endif
  if (n >= 8) {
    uint64_t any = 0;
    uint64_t word;
    for (size_t i = 0; i + 8 < n; i += 8) {
      std::memcpy(&word, p + i, 8);
      any |= word;
    }
    std::memcpy(&word, p + n - 8, 8);
    return ((any | word) & 0x8080808080808080ULL) == 0;
  }
  if (n >= 4) {
    uint32_t first;
    uint32_t last;
    std::memcpy(&first, p, 4);
    std::memcpy(&last, p + n - 4, 4);
    return ((first | last) & 0x80808080u) == 0;
  }
  uint8_t any = 0;
  for (size_t i = 0; i < n; ++i) any |= p[i];
  return any < 0x80;
}

}  // namespace cqlbulk
