// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"

namespace cqlbulk::ring {

/// \brief Unsigned 128-bit integer for ring arithmetic (sizes, positions, split points).
///
/// A GCC/Clang extension; `__extension__` keeps -Wpedantic quiet.
__extension__ typedef unsigned __int128 Uint128;

/// Decimal digits of `value`.
std::string Uint128ToString(Uint128 value);

/// \brief Parses decimal digits (no sign, no spaces) into a Uint128.
///
/// kInvalidArgument when empty, on a non-digit, or on overflow.
Result<Uint128> ParseUint128(std::string_view text);

/// \brief floor(a * b / c) rounded half up, exact for every input (the product may need 192
/// bits). `c` must not be zero and the quotient must fit 128 bits.
Uint128 MulDivRound(Uint128 a, uint64_t b, Uint128 c);

}  // namespace cqlbulk::ring
