// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace cqlbulk::iceberg {

/// \brief The offset of the first byte that is not part of well-formed UTF-8 (overlong forms,
/// surrogates and code points past U+10FFFF are not), or nullopt when all of `text` is.
std::optional<size_t> FindInvalidUtf8(std::string_view text) noexcept;

/// \brief The number of bytes of the first `code_points` code points of well-formed UTF-8
/// `text` (all of it when it has fewer).
size_t Utf8PrefixBytes(std::string_view text, size_t code_points) noexcept;

/// \brief Decodes the code point that starts at `text[offset]` of well-formed UTF-8; sets
/// `length` to its number of bytes.
char32_t DecodeUtf8At(std::string_view text, size_t offset, size_t& length) noexcept;

/// \brief Appends the UTF-8 of a code point (not a surrogate, at most U+10FFFF).
void AppendUtf8(std::string& out, char32_t code_point);

}  // namespace cqlbulk::iceberg
