// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/text/json_parse.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "cqlbulk/core/ascii.h"

namespace cqlbulk::formats {

namespace {

// Bytes that end the fast scan of a string: the closing quote, an escape, control characters
// (invalid in JSON strings) and the lead bytes of multi-byte UTF-8 (validated one by one).
constexpr auto kStringStop = [] {
  std::array<uint8_t, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = 1;
  for (int c = 0x80; c < 0x100; ++c) table[c] = 1;
  table['"'] = 1;
  table['\\'] = 1;
  return table;
}();

bool IsSpace(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Length of the valid multi-byte UTF-8 sequence at p (lead byte >= 0x80), 0 when invalid.
size_t Utf8SequenceLength(const uint8_t* p, const uint8_t* end) {
  uint8_t lead = p[0];
  size_t avail = static_cast<size_t>(end - p);
  auto cont = [](uint8_t b) { return (b & 0xC0) == 0x80; };
  if (lead >= 0xC2 && lead <= 0xDF) {
    return avail >= 2 && cont(p[1]) ? 2 : 0;
  }
  if (lead >= 0xE0 && lead <= 0xEF) {
    if (avail < 3) return 0;
    uint8_t lo = 0x80;
    uint8_t hi = 0xBF;
    if (lead == 0xE0) lo = 0xA0;       // overlong
    if (lead == 0xED) hi = 0x9F;       // surrogates
    return p[1] >= lo && p[1] <= hi && cont(p[2]) ? 3 : 0;
  }
  if (lead >= 0xF0 && lead <= 0xF4) {
    if (avail < 4) return 0;
    uint8_t lo = 0x80;
    uint8_t hi = 0xBF;
    if (lead == 0xF0) lo = 0x90;  // overlong
    if (lead == 0xF4) hi = 0x8F;  // past U+10FFFF
    return p[1] >= lo && p[1] <= hi && cont(p[2]) && cont(p[3]) ? 4 : 0;
  }
  return 0;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char* EncodeUtf8(uint32_t cp, char* out) {
  if (cp < 0x80) {
    *out++ = static_cast<char>(cp);
  } else if (cp < 0x800) {
    *out++ = static_cast<char>(0xC0 | (cp >> 6));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    *out++ = static_cast<char>(0xE0 | (cp >> 12));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    *out++ = static_cast<char>(0xF0 | (cp >> 18));
    *out++ = static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    *out++ = static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    *out++ = static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<JsonNode>& nodes, char* arena, int max_depth)
      : begin_(text.data()),
        p_(text.data()),
        end_(text.data() + text.size()),
        nodes_(nodes),
        arena_(arena),
        max_depth_(max_depth) {}

  Status Run() {
    SkipSpace();
    if (p_ == end_) {
      return Fail(p_, "no value");
    }
    if (!ParseValue(0)) {
      return Fail(error_at_, error_);
    }
    SkipSpace();
    if (p_ != end_) {
      return Fail(p_, "unexpected text after the value");
    }
    return OkStatus();
  }

 private:
  cqlbulk::Error Fail(const char* at, const char* what) const {
    return InvalidArgument("invalid JSON at byte " + std::to_string(at - begin_) + ": " + what);
  }
  bool Bad(const char* at, const char* what) {
    error_at_ = at;
    error_ = what;
    return false;
  }
  void SkipSpace() {
    while (p_ != end_ && IsSpace(*p_)) {
      ++p_;
    }
  }

  bool ParseValue(int depth) {
    if (p_ == end_) {
      return Bad(p_, "unexpected end");
    }
    switch (*p_) {
      case '{':
        return ParseObject(depth);
      case '[':
        return ParseArray(depth);
      case '"':
        return ParseString();
      case 't':
        return ParseLiteral("true", JsonType::kBoolean, true);
      case 'f':
        return ParseLiteral("false", JsonType::kBoolean, false);
      case 'n':
        return ParseLiteral("null", JsonType::kNull, false);
      default:
        if (*p_ == '-' || IsDigit(*p_)) {
          return ParseNumber();
        }
        return Bad(p_, "unexpected character");
    }
  }

  bool ParseLiteral(std::string_view word, JsonType type, bool value) {
    if (static_cast<size_t>(end_ - p_) < word.size() ||
        std::memcmp(p_, word.data(), word.size()) != 0) {
      return Bad(p_, "unexpected character");
    }
    JsonNode& node = nodes_.emplace_back();
    node.type = type;
    node.boolean = value;
    p_ += word.size();
    return true;
  }

  bool ParseNumber() {
    const char* start = p_;
    if (*p_ == '-') {
      ++p_;
    }
    if (p_ == end_ || !IsDigit(*p_)) {
      return Bad(p_, "expected a digit");
    }
    if (*p_ == '0') {
      ++p_;
      if (p_ != end_ && IsDigit(*p_)) {
        return Bad(p_, "leading zero in a number");
      }
    } else {
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    if (p_ != end_ && *p_ == '.') {
      ++p_;
      if (p_ == end_ || !IsDigit(*p_)) {
        return Bad(p_, "expected a digit after '.'");
      }
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    if (p_ != end_ && (*p_ == 'e' || *p_ == 'E')) {
      ++p_;
      if (p_ != end_ && (*p_ == '+' || *p_ == '-')) ++p_;
      if (p_ == end_ || !IsDigit(*p_)) {
        return Bad(p_, "expected a digit in the exponent");
      }
      while (p_ != end_ && IsDigit(*p_)) ++p_;
    }
    JsonNode& node = nodes_.emplace_back();
    node.type = JsonType::kNumber;
    node.text = start;
    node.length = static_cast<uint32_t>(p_ - start);
    return true;
  }

  // p_ at the opening quote.
  bool ParseString() {
    const char* start = ++p_;
    for (;;) {
#if defined(__SSE2__)
      // 16 bytes at a time: the quote, the backslash, and (one signed compare) control
      // characters and non-ASCII bytes.
      const __m128i quote = _mm_set1_epi8('"');
      const __m128i backslash = _mm_set1_epi8('\\');
      const __m128i space = _mm_set1_epi8(0x20);
      while (end_ - p_ >= 16) {
        __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p_));
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                   _mm_cmplt_epi8(v, space));
        int mask = _mm_movemask_epi8(hit);
        if (mask != 0) {
          p_ += __builtin_ctz(static_cast<unsigned>(mask));
          break;
        }
        p_ += 16;
      }
#endif
      while (p_ != end_ && kStringStop[static_cast<uint8_t>(*p_)] == 0) ++p_;
      if (p_ == end_) {
        return Bad(p_, "unterminated string");
      }
      char c = *p_;
      if (c == '"') {
        JsonNode& node = nodes_.emplace_back();
        node.type = JsonType::kString;
        node.text = start;
        node.length = static_cast<uint32_t>(p_ - start);
        ++p_;
        return true;
      }
      if (c == '\\') {
        return ParseEscapedString(start);
      }
      if (static_cast<uint8_t>(c) < 0x20) {
        return Bad(p_, "control character in a string");
      }
      size_t n = Utf8SequenceLength(reinterpret_cast<const uint8_t*>(p_),
                                    reinterpret_cast<const uint8_t*>(end_));
      if (n == 0) {
        return Bad(p_, "invalid UTF-8 in a string");
      }
      p_ += n;
    }
  }

  // The slow path: the string has escapes; its unescaped bytes go to the arena.
  bool ParseEscapedString(const char* start) {
    char* out_start = arena_;
    size_t prefix = static_cast<size_t>(p_ - start);
    std::memcpy(arena_, start, prefix);
    char* out = arena_ + prefix;
    for (;;) {
      if (p_ == end_) {
        return Bad(p_, "unterminated string");
      }
      char c = *p_;
      if (kStringStop[static_cast<uint8_t>(c)] == 0) {
        *out++ = c;
        ++p_;
        continue;
      }
      if (c == '"') {
        ++p_;
        break;
      }
      if (static_cast<uint8_t>(c) < 0x20) {
        return Bad(p_, "control character in a string");
      }
      if (c != '\\') {
        size_t n = Utf8SequenceLength(reinterpret_cast<const uint8_t*>(p_),
                                      reinterpret_cast<const uint8_t*>(end_));
        if (n == 0) {
          return Bad(p_, "invalid UTF-8 in a string");
        }
        std::memcpy(out, p_, n);
        out += n;
        p_ += n;
        continue;
      }
      const char* escape = p_;
      if (++p_ == end_) {
        return Bad(p_, "unterminated string");
      }
      switch (*p_++) {
        case '"': *out++ = '"'; break;
        case '\\': *out++ = '\\'; break;
        case '/': *out++ = '/'; break;
        case 'b': *out++ = '\b'; break;
        case 'f': *out++ = '\f'; break;
        case 'n': *out++ = '\n'; break;
        case 'r': *out++ = '\r'; break;
        case 't': *out++ = '\t'; break;
        case 'u': {
          int32_t cp = ReadHex4();
          if (cp < 0) {
            return Bad(escape, "bad \\u escape");
          }
          if (cp >= 0xDC00 && cp <= 0xDFFF) {
            return Bad(escape, "lone low surrogate escape");
          }
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (end_ - p_ < 6 || p_[0] != '\\' || p_[1] != 'u') {
              return Bad(escape, "high surrogate escape without its low surrogate");
            }
            p_ += 2;
            int32_t low = ReadHex4();
            if (low < 0xDC00 || low > 0xDFFF) {
              return Bad(escape, "high surrogate escape without its low surrogate");
            }
            cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
          }
          out = EncodeUtf8(static_cast<uint32_t>(cp), out);
          break;
        }
        default:
          return Bad(escape, "bad escape");
      }
    }
    JsonNode& node = nodes_.emplace_back();
    node.type = JsonType::kString;
    node.text = out_start;
    node.length = static_cast<uint32_t>(out - out_start);
    arena_ = out;
    return true;
  }

  // Four hex digits at p_ (advanced past them), or -1.
  int32_t ReadHex4() {
    if (end_ - p_ < 4) {
      return -1;
    }
    int32_t v = 0;
    for (int i = 0; i < 4; ++i) {
      int h = HexValue(p_[i]);
      if (h < 0) {
        return -1;
      }
      v = (v << 4) | h;
    }
    p_ += 4;
    return v;
  }

  bool ParseArray(int depth) {
    if (depth >= max_depth_) {
      return Bad(p_, "nested too deeply");
    }
    size_t index = nodes_.size();
    nodes_.emplace_back().type = JsonType::kArray;
    ++p_;
    SkipSpace();
    uint32_t count = 0;
    if (p_ != end_ && *p_ == ']') {
      ++p_;
    } else {
      for (;;) {
        SkipSpace();
        if (!ParseValue(depth + 1)) {
          return false;
        }
        ++count;
        SkipSpace();
        if (p_ == end_) {
          return Bad(p_, "unterminated array");
        }
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ == ']') {
          ++p_;
          break;
        }
        return Bad(p_, "expected ',' or ']'");
      }
    }
    JsonNode& node = nodes_[index];
    node.size = count;
    node.span = static_cast<uint32_t>(nodes_.size() - index);
    return true;
  }

  bool ParseObject(int depth) {
    if (depth >= max_depth_) {
      return Bad(p_, "nested too deeply");
    }
    size_t index = nodes_.size();
    nodes_.emplace_back().type = JsonType::kObject;
    ++p_;
    SkipSpace();
    uint32_t count = 0;
    if (p_ != end_ && *p_ == '}') {
      ++p_;
    } else {
      for (;;) {
        SkipSpace();
        if (p_ == end_ || *p_ != '"') {
          return Bad(p_, p_ == end_ ? "unterminated object" : "expected a string key");
        }
        if (!ParseString()) {
          return false;
        }
        SkipSpace();
        if (p_ == end_ || *p_ != ':') {
          return Bad(p_, "expected ':'");
        }
        ++p_;
        SkipSpace();
        if (!ParseValue(depth + 1)) {
          return false;
        }
        ++count;
        SkipSpace();
        if (p_ == end_) {
          return Bad(p_, "unterminated object");
        }
        if (*p_ == ',') {
          ++p_;
          continue;
        }
        if (*p_ == '}') {
          ++p_;
          break;
        }
        return Bad(p_, "expected ',' or '}'");
      }
    }
    JsonNode& node = nodes_[index];
    node.size = count;
    node.span = static_cast<uint32_t>(nodes_.size() - index);
    return true;
  }

  const char* begin_;
  const char* p_;
  const char* end_;
  std::vector<JsonNode>& nodes_;
  char* arena_;
  int max_depth_;
  const char* error_at_ = nullptr;
  const char* error_ = "";
};

}  // namespace

JsonValue JsonValue::Find(std::string_view key) const noexcept {
  for (JsonMember member : members()) {
    if (member.key == key) {
      return member.value;
    }
  }
  return JsonValue();
}

Status JsonDocument::Parse(std::string_view text) {
  nodes_.clear();
  if (text.size() >= UINT32_MAX) {
    return InvalidArgument("invalid JSON: a value of 4 GiB or more");
  }
  if (arena_capacity_ < text.size()) {
    arena_capacity_ = std::max(text.size(), arena_capacity_ * 2);
    arena_ = std::make_unique_for_overwrite<char[]>(arena_capacity_);
  }
  Parser parser(text, nodes_, arena_.get(), max_depth_);
  Status status = parser.Run();
  if (!status.has_value()) {
    nodes_.clear();
  }
  return status;
}

std::optional<size_t> FindInvalidUtf8(std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const uint8_t*>(text.data());
  if (IsAllAscii(p, text.size())) return std::nullopt;  // most text
  const uint8_t* end = p + text.size();
  const uint8_t* start = p;
  while (p != end) {
    // Eight ASCII bytes at a time.
    while (end - p >= 8) {
      uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) != 0) {
        break;
      }
      p += 8;
    }
    if (p == end) {
      break;
    }
    if (*p < 0x80) {
      ++p;
      continue;
    }
    size_t n = Utf8SequenceLength(p, end);
    if (n == 0) {
      return static_cast<size_t>(p - start);
    }
    p += n;
  }
  return std::nullopt;
}

std::string QuoteForError(std::string_view text) {
  constexpr size_t kMax = 60;
  if (text.size() <= kMax) {
    return "'" + std::string(text) + "'";
  }
  size_t cut = kMax;
  while (cut > 0 && (static_cast<uint8_t>(text[cut]) & 0xC0) == 0x80) {
    --cut;
  }
  return "'" + std::string(text.substr(0, cut)) + "...'";
}

}  // namespace cqlbulk::formats
