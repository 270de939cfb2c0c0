// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/uint128.h"

#include <algorithm>
#include <cstdint>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ring {

std::string Uint128ToString(Uint128 value) {
  if (value == 0) {
    return "0";
  }
  std::string digits;
  while (value != 0) {
    digits.push_back(static_cast<char>('0' + static_cast<int>(value % 10)));
    value /= 10;
  }
  std::reverse(digits.begin(), digits.end());
  return digits;
}

Result<Uint128> ParseUint128(std::string_view text) {
  if (text.empty()) {
    return InvalidArgument("empty number");
  }
  constexpr Uint128 kMax = ~Uint128{0};
  Uint128 value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return InvalidArgument("not a decimal digit '" + std::string(1, c) + "' in '" +
                             std::string(text) + "'");
    }
    auto digit = static_cast<Uint128>(c - '0');
    if (value > (kMax - digit) / 10) {
      return InvalidArgument("number '" + std::string(text) + "' does not fit 128 bits");
    }
    value = value * 10 + digit;
  }
  return value;
}

Uint128 MulDivRound(Uint128 a, uint64_t b, Uint128 c) {
  CQLBULK_CHECK(c != 0, "division by zero");
  // The 192-bit product as three 64-bit limbs, most significant first.
  const Uint128 low = static_cast<Uint128>(static_cast<uint64_t>(a)) * b;
  const Uint128 high = static_cast<Uint128>(static_cast<uint64_t>(a >> 64)) * b + (low >> 64);
  const uint64_t limbs[3] = {static_cast<uint64_t>(high >> 64), static_cast<uint64_t>(high),
                             static_cast<uint64_t>(low)};
  // Schoolbook binary long division. The remainder stays below c < 2^128, but shifting it
  // left can carry out of bit 127: then the true remainder exceeds c and unsigned wrap-around
  // makes the subtraction come out right.
  Uint128 quotient = 0;
  Uint128 remainder = 0;
  for (uint64_t limb : limbs) {
    for (int bit = 63; bit >= 0; --bit) {
      const bool carry = (remainder >> 127) != 0;
      remainder = (remainder << 1) | ((limb >> bit) & 1);
      quotient <<= 1;
      if (carry || remainder >= c) {
        remainder -= c;
        quotient |= 1;
      }
    }
  }
  // Round half up without computing 2 * remainder (which could overflow).
  if (remainder >= c - remainder) {
    ++quotient;
  }
  return quotient;
}

}  // namespace cqlbulk::ring
