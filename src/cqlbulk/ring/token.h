// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <compare>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/uint128.h"

namespace cqlbulk::ring {

/// \brief A Murmur3Partitioner token: a signed 64-bit value.
///
/// The ring holds every int64. `Min()` (INT64_MIN) is a ring position but never the token of a
/// key: the hash maps it to `Max()`. Both token kinds (`Token`, `BigToken`) expose the same
/// ring-position interface, which the range math in token_range.h is written over.
class Token {
 public:
  /// Number of ring positions, Min included: 2^64.
  static constexpr Uint128 kRingSize = Uint128{1} << 64;

  /// Min.
  constexpr Token() noexcept = default;
  constexpr explicit Token(int64_t value) noexcept : value_(value) {}

  static constexpr Token Min() noexcept { return Token(std::numeric_limits<int64_t>::min()); }
  static constexpr Token Max() noexcept { return Token(std::numeric_limits<int64_t>::max()); }

  /// \brief Parses a signed decimal token ("-9223372036854775808").
  ///
  /// kInvalidArgument when the text is not exactly one int64.
  static Result<Token> Parse(std::string_view text);

  /// \brief The token at `position` steps after Min; `position` must be below kRingSize.
  static constexpr Token FromPosition(Uint128 position) noexcept {
    return Token(static_cast<int64_t>(static_cast<uint64_t>(position) ^ kSignBit));
  }

  constexpr int64_t value() const noexcept { return value_; }
  constexpr bool is_minimum() const noexcept { return *this == Min(); }
  /// Steps from Min, in [0, kRingSize): the order of positions is the order of tokens.
  constexpr Uint128 position() const noexcept { return static_cast<uint64_t>(value_) ^ kSignBit; }

  /// Signed decimal, as CQL prints `token()`.
  std::string ToString() const;

  friend constexpr bool operator==(Token, Token) noexcept = default;
  friend constexpr auto operator<=>(Token, Token) noexcept = default;

 private:
  static constexpr uint64_t kSignBit = uint64_t{1} << 63;

  int64_t value_ = std::numeric_limits<int64_t>::min();
};

/// \brief A RandomPartitioner token: an integer in [-1, 2^127].
///
/// -1 is `Min()`, a ring position that no key hashes to; keys hash into [0, 2^127]. The value
/// 2^127 does not fit a signed 128-bit integer, so the token stores its ring position
/// (value + 1) instead.
class BigToken {
 public:
  /// Number of ring positions, Min included: 2^127 + 2.
  static constexpr Uint128 kRingSize = (Uint128{1} << 127) + 2;

  /// Min.
  constexpr BigToken() noexcept = default;

  static constexpr BigToken Min() noexcept { return BigToken(); }
  static constexpr BigToken Max() noexcept { return FromPosition(kRingSize - 1); }
  /// \brief The token whose value is `value`; `value` must be at most 2^127.
  static constexpr BigToken FromValue(Uint128 value) noexcept { return FromPosition(value + 1); }
  /// \brief The token at `position` steps after Min; `position` must be below kRingSize.
  static constexpr BigToken FromPosition(Uint128 position) noexcept {
    BigToken token;
    token.position_ = position;
    return token;
  }

  /// \brief Parses "-1" or a decimal in [0, 2^127]; kInvalidArgument otherwise.
  static Result<BigToken> Parse(std::string_view text);

  constexpr bool is_minimum() const noexcept { return position_ == 0; }
  constexpr Uint128 position() const noexcept { return position_; }

  /// Signed decimal ("-1", "0", ..., "170141183460469231731687303715884105728").
  std::string ToString() const;

  friend constexpr bool operator==(BigToken, BigToken) noexcept = default;
  friend constexpr auto operator<=>(const BigToken& a, const BigToken& b) noexcept {
    return a.position_ <=> b.position_;
  }

 private:
  Uint128 position_ = 0;
};

}  // namespace cqlbulk::ring
