// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/spec/utf8.h"

#include <cstring>

namespace cqlbulk::iceberg {
namespace {

// The length of the sequence a lead byte starts (0: not a lead byte).
size_t SequenceLength(unsigned char lead) noexcept {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

}  // namespace

std::optional<size_t> FindInvalidUtf8(std::string_view text) noexcept {
  size_t i = 0;
  while (i < text.size()) {
    // ASCII runs eight bytes at a time.
    if (i + 8 <= text.size()) {
      uint64_t word;
      std::memcpy(&word, text.data() + i, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    size_t length = SequenceLength(static_cast<unsigned char>(text[i]));
    if (length == 0 || i + length > text.size()) {
      return i;
    }
    for (size_t k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) & 0xC0) != 0x80) {
        return i;
      }
    }
    if (length > 1) {
      size_t ignored;
      char32_t c = DecodeUtf8At(text, i, ignored);
      // Overlong three- and four-byte forms, surrogates, past U+10FFFF (RFC 3629).
      if ((length == 3 && c < 0x800) || (length == 4 && (c < 0x10000 || c > 0x10FFFF)) ||
          (c >= 0xD800 && c <= 0xDFFF)) {
        return i;
      }
    }
    i += length;
  }
  return std::nullopt;
}

size_t Utf8PrefixBytes(std::string_view text, size_t code_points) noexcept {
  size_t i = 0;
  for (size_t n = 0; n < code_points && i < text.size(); ++n) {
    size_t length = SequenceLength(static_cast<unsigned char>(text[i]));
    i += length == 0 ? 1 : length;
  }
  return i < text.size() ? i : text.size();
}

char32_t DecodeUtf8At(std::string_view text, size_t offset, size_t& length) noexcept {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[offset + k]); };
  length = SequenceLength(byte(0));
  if (length <= 1 || offset + length > text.size()) {
    length = 1;
    return byte(0);
  }
  char32_t c = byte(0) & (0xFF >> (length + 1));
  for (size_t k = 1; k < length; ++k) {
    c = (c << 6) | (byte(k) & 0x3F);
  }
  return c;
}

void AppendUtf8(std::string& out, char32_t c) {
  if (c < 0x80) {
    out.push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (c >> 6)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (c >> 12)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (c >> 18)));
    out.push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

}  // namespace cqlbulk::iceberg
