// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

#include "cqlbulk/cql/types/utf8.h"

namespace cqlbulk::cql::internal {

using cql::IsAscii;      // utf8.h
using cql::IsValidUtf8;  // utf8.h

/// ASCII lower-casing (CQL keywords and unquoted identifiers are case-insensitive).
std::string AsciiLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b) noexcept;

inline bool IsIdentStart(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
inline bool IsIdentChar(char c) noexcept {
  return IsIdentStart(c) || (c >= '0' && c <= '9') || c == '_';
}
inline bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
inline bool IsSpace(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

}  // namespace cqlbulk::cql::internal
