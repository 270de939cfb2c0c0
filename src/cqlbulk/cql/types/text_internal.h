// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>
#include <string_view>

namespace cqlbulk::cql::internal {

/// True when every byte is 7-bit (what Cassandra's AsciiType accepts).
bool IsAscii(std::string_view s) noexcept;

/// True for UTF-8 as Cassandra's UTF8Type validates it: RFC 3629 (no overlong forms, at most
/// U+10FFFF), plus the two forms Cassandra tolerates and may therefore hold: the modified-UTF-8
/// NUL (C0 80) and UTF-16 surrogates encoded as three bytes (ED A0..BF 80..BF).
bool IsValidUtf8(std::string_view s) noexcept;

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
