// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string_view>

namespace cqlbulk::cql {

/// True when every byte is 7-bit (what Cassandra's AsciiType accepts).
bool IsAscii(std::string_view s) noexcept;

/// True for UTF-8 as Cassandra's UTF8Type validates it: RFC 3629 (no overlong forms, at most
/// U+10FFFF), plus the two forms Cassandra tolerates and may therefore hold: the modified-UTF-8
/// NUL (C0 80) and UTF-16 surrogates encoded as three bytes (ED A0..BF 80..BF).
bool IsValidUtf8(std::string_view s) noexcept;

}  // namespace cqlbulk::cql
