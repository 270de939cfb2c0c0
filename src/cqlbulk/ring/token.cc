// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/token.h"

#include <charconv>
#include <system_error>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ring {

Result<Token> Token::Parse(std::string_view text) {
  int64_t value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end) {
    return InvalidArgument("not a Murmur3 token (a signed 64-bit integer): '" + std::string(text) +
                           "'");
  }
  return Token(value);
}

std::string Token::ToString() const { return std::to_string(value_); }

Result<BigToken> BigToken::Parse(std::string_view text) {
  if (text == "-1") {
    return Min();
  }
  auto value = ParseUint128(text);
  if (!value.has_value() || *value > (Uint128{1} << 127)) {
    return InvalidArgument("not a RandomPartitioner token (-1 or an integer in [0, 2^127]): '" +
                           std::string(text) + "'");
  }
  return FromValue(*value);
}

std::string BigToken::ToString() const {
  if (is_minimum()) {
    return "-1";
  }
  return Uint128ToString(position_ - 1);
}

}  // namespace cqlbulk::ring
