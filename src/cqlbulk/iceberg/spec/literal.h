// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// A signed 128-bit integer: the unscaled value of a decimal (38 digits at most).
__extension__ typedef __int128 Int128;

/// Bounds of strings and binary values are cut to this many code points or bytes, as Java's and
/// PyIceberg's default metrics mode, truncate(16), does.
inline constexpr int32_t kDefaultTruncateLength = 16;

/// \brief The Literal kind that holds values of a primitive type (kNull for nested types).
Literal::Kind LiteralKindOf(const Type& type);

/// \brief Checks that `value` is null or a value of `type`: the kind the type calls for, 16 bytes
/// for a uuid, L for fixed[L], valid UTF-8 for a string, a decimal of at most P digits in
/// minimal bytes. kInvalidArgument names what is wrong.
Status CheckLiteral(const Type& type, const Literal& value);

/// \brief The spec's single-value binary form (appendix D) of a non-null value of a primitive
/// type: little-endian ints, longs, floats, doubles, dates, times and timestamps; 1 byte for a
/// boolean; the UTF-8 of a string; the 16 bytes of a uuid; the bytes of fixed and binary; the
/// minimal two's-complement big-endian unscaled value of a decimal.
/// kInvalidArgument when CheckLiteral fails or the value is null or nested.
Result<std::string> ToBytes(const Type& type, const Literal& value);

/// \brief Reads the single-value binary form of a value of `type`. Accepts 4 bytes for a long
/// or a double (a bound written before the column's type was promoted from int or float).
/// kCorrupt, naming the type and the length, when the bytes cannot be a value of the type.
Result<Literal> FromBytes(const Type& type, std::string_view bytes);

/// \brief Orders two values of `type`: negative, zero or positive. Strings and binary compare
/// as unsigned bytes (for UTF-8: by code point), decimals by value, floats and doubles as Java's
/// Float.compare (-0 before +0, NaN after everything and equal to itself), uuids as unsigned
/// bytes in network order. Null comes first. kInvalidArgument when a value is not of the type.
Result<int> Compare(const Type& type, const Literal& a, const Literal& b);

/// \brief A lower bound of `value` for column metrics: a string's first `length` code points, a
/// binary value's first `length` bytes; other values unchanged.
Literal TruncateLowerBound(const Type& type, const Literal& value,
                           int32_t length = kDefaultTruncateLength);

/// \brief An upper bound of `value` for column metrics: a longer string's first `length` code
/// points with the last that can be incremented incremented (and those after it dropped), as
/// Java writes it; the same for a binary value's bytes. nullopt when no code point or byte can
/// be (all U+10FFFF, all 0xFF). Other values unchanged. (Surrogates U+D800..DFFF are skipped:
/// U+D7FF becomes U+E000, since a surrogate has no UTF-8.)
std::optional<Literal> TruncateUpperBound(const Type& type, const Literal& value,
                                          int32_t length = kDefaultTruncateLength);

/// \brief The minimal two's-complement big-endian bytes of a decimal's unscaled value (one
/// byte for 0).
std::string DecimalBytes(Int128 unscaled);

/// \brief The unscaled value of decimal bytes (1 to 16 of them, minimal or not); kCorrupt
/// otherwise.
Result<Int128> DecimalUnscaled(std::string_view bytes);

/// \brief Decimal text of a 128-bit integer ("-123").
std::string Int128ToString(Int128 value);

}  // namespace cqlbulk::iceberg
