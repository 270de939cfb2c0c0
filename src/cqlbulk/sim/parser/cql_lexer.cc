// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/parser/cql_lexer.h"

#include <algorithm>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::sim {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool IsHexDigit(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
bool IsWordChar(char c) { return IsLetter(c) || IsDigit(c) || c == '_'; }
char ToLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
char ToUpper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

// "µ" in UTF-8, accepted in the duration unit "µs" as Cassandra does.
constexpr std::string_view kMicro = "\xC2\xB5";

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = ToLower(c);
  }
  return out;
}

// Length of the duration unit at s[i] (y mo w d h m s ms us µs ns, any case), or 0.
size_t DurationUnitLength(std::string_view s, size_t i) {
  if (s.substr(i, kMicro.size()) == kMicro) {
    return (i + 2 < s.size() && ToLower(s[i + 2]) == 's') ? 3 : 0;
  }
  if (i >= s.size()) {
    return 0;
  }
  char a = ToLower(s[i]);
  char b = i + 1 < s.size() ? ToLower(s[i + 1]) : '\0';
  if ((a == 'm' && (b == 'o' || b == 's')) || ((a == 'u' || a == 'n') && b == 's')) {
    return 2;
  }
  switch (a) {
    case 'y':
    case 'w':
    case 'd':
    case 'h':
    case 'm':
    case 's':
      return 1;
    default:
      return 0;
  }
}

// Whole of `s` is (digits unit)+, e.g. "1h30m".
bool IsUnitDuration(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    size_t d = i;
    while (d < s.size() && IsDigit(s[d])) {
      ++d;
    }
    size_t unit = DurationUnitLength(s, d);
    if (d == i || unit == 0) {
      return false;
    }
    i = d + unit;
  }
  return !s.empty();
}

// Whole of `s` is a sequence of (digits unit) with units taken in the order of `order`.
bool MatchDesignators(std::string_view s, std::string_view order, bool& any) {
  size_t next_unit = 0;
  size_t i = 0;
  while (i < s.size()) {
    size_t d = i;
    while (d < s.size() && IsDigit(s[d])) {
      ++d;
    }
    if (d == i || d == s.size()) {
      return false;
    }
    size_t k = order.find(ToUpper(s[d]), next_unit);
    if (k == std::string_view::npos) {
      return false;
    }
    next_unit = k + 1;
    any = true;
    i = d + 1;
  }
  return true;
}

// ISO 8601 "with designators" or week form: P1Y2M3D, PT4H5M6S, P1DT2H, P2W.
bool IsIsoDuration(std::string_view w) {
  if (w.size() < 2 || ToUpper(w[0]) != 'P') {
    return false;
  }
  std::string_view rest = w.substr(1);
  if (ToUpper(rest.back()) == 'W') {
    for (size_t i = 0; i + 1 < rest.size(); ++i) {
      if (!IsDigit(rest[i])) {
        return false;
      }
    }
    return rest.size() > 1;
  }
  size_t t = rest.find_first_of("Tt");
  bool any_date = false;
  bool any_time = false;
  if (!MatchDesignators(rest.substr(0, t), "YMD", any_date)) {
    return false;
  }
  if (t != std::string_view::npos) {
    if (!MatchDesignators(rest.substr(t + 1), "HMS", any_time) || !any_time) {
      return false;
    }
  }
  return any_date || any_time;
}

// ISO 8601 alternative form: P0001-02-03T04:05:06 (exactly 20 characters).
bool IsIsoAlternativeDuration(std::string_view s) {
  constexpr std::string_view kShape = "P####-##-##T##:##:##";
  if (s.size() < kShape.size()) {
    return false;
  }
  for (size_t i = 0; i < kShape.size(); ++i) {
    char want = kShape[i];
    char got = s[i];
    bool ok = want == '#' ? IsDigit(got) : ToUpper(got) == want;
    if (!ok) {
      return false;
    }
  }
  return s.size() == kShape.size() || !IsWordChar(s[kShape.size()]);
}

bool IsUuidAt(std::string_view s) {
  constexpr size_t kLength = 36;
  if (s.size() < kLength) {
    return false;
  }
  for (size_t i = 0; i < kLength; ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !IsHexDigit(s[i])) {
      return false;
    }
  }
  return s.size() == kLength || !IsWordChar(s[kLength]);
}

class Lexer {
 public:
  explicit Lexer(std::string_view text) : text_(text) {}

  Result<std::vector<Token>> Run() {
    std::vector<Token> tokens;
    while (true) {
      CQLBULK_RETURN_IF_ERROR(SkipSpaceAndComments());
      if (pos_ >= text_.size()) {
        break;
      }
      Result<Token> token = LexOne();
      if (!token) {
        return std::move(token).error();
      }
      tokens.push_back(std::move(*token));
    }
    tokens.push_back(Make(TokenKind::kEnd, text_.size(), text_.size(), {}));
    return tokens;
  }

 private:
  // Moves the line bookkeeping forward to `offset` (monotonic, so linear overall).
  void Locate(size_t offset) {
    for (; scanned_ < offset && scanned_ < text_.size(); ++scanned_) {
      if (text_[scanned_] == '\n') {
        ++line_;
        line_start_ = scanned_ + 1;
      }
    }
  }

  Error ErrorAt(size_t offset, std::string_view what) {
    Locate(offset);
    return CqlError(line_, offset - line_start_, what);
  }

  Token Make(TokenKind kind, size_t begin, size_t end, std::string text) {
    Locate(begin);
    Token token;
    token.kind = kind;
    token.text = std::move(text);
    token.raw = text_.substr(begin, end - begin);
    token.offset = begin;
    token.line = line_;
    token.column = begin - line_start_;
    pos_ = end;
    return token;
  }

  Status SkipSpaceAndComments() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        ++pos_;
      } else if (text_.substr(pos_, 2) == "--" || text_.substr(pos_, 2) == "//") {
        size_t eol = text_.find('\n', pos_);
        pos_ = eol == std::string_view::npos ? text_.size() : eol + 1;
      } else if (text_.substr(pos_, 2) == "/*") {
        size_t close = text_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) {
          return ErrorAt(pos_, "unterminated comment at input '/*'");
        }
        pos_ = close + 2;
      } else {
        break;
      }
    }
    return OkStatus();
  }

  Result<Token> LexOne() {
    std::string_view rest = text_.substr(pos_);
    char c = rest[0];
    if (IsHexDigit(c) && IsUuidAt(rest)) {
      return Make(TokenKind::kUuid, pos_, pos_ + 36, std::string(rest.substr(0, 36)));
    }
    if (IsDigit(c)) {
      return LexNumber();
    }
    if (IsLetter(c)) {
      return LexWord();
    }
    if (c == '\'') {
      return LexQuoted('\'', TokenKind::kString, "string literal");
    }
    if (c == '"') {
      return LexQuoted('"', TokenKind::kQuotedName, "quoted name");
    }
    if (rest.substr(0, 2) == "$$") {
      size_t close = text_.find("$$", pos_ + 2);
      if (close == std::string_view::npos) {
        return ErrorAt(pos_, "unterminated string literal at input '$$'");
      }
      return Make(TokenKind::kString, pos_, close + 2,
                  std::string(text_.substr(pos_ + 2, close - pos_ - 2)));
    }
    return LexSymbol();
  }

  Result<Token> LexNumber() {
    size_t begin = pos_;
    if (text_[begin] == '0' && begin + 1 < text_.size() &&
        (text_[begin + 1] == 'x' || text_[begin + 1] == 'X')) {
      size_t end = begin + 2;
      while (end < text_.size() && IsHexDigit(text_[end])) {
        ++end;
      }
      if (end < text_.size() && IsWordChar(text_[end])) {
        return Unrecognised(begin, WordEnd(end));
      }
      return Make(TokenKind::kHex, begin, end, std::string(text_.substr(begin, end - begin)));
    }
    size_t end = begin;
    auto digits = [&]() {
      while (end < text_.size() && IsDigit(text_[end])) {
        ++end;
      }
    };
    digits();
    bool is_float = false;
    if (end < text_.size() && text_[end] == '.') {
      ++end;
      digits();
      is_float = true;
    }
    if (end < text_.size() && (text_[end] == 'e' || text_[end] == 'E')) {
      size_t e = end + 1;
      if (e < text_.size() && (text_[e] == '+' || text_[e] == '-')) {
        ++e;
      }
      if (e < text_.size() && IsDigit(text_[e])) {
        end = e;
        digits();
        is_float = true;
      }
    }
    if (end < text_.size() && (IsWordChar(text_[end]) || text_.substr(end, 2) == kMicro)) {
      size_t word_end = WordEnd(end);
      if (!is_float && IsUnitDuration(text_.substr(begin, word_end - begin))) {
        return Make(TokenKind::kDuration, begin, word_end,
                    std::string(text_.substr(begin, word_end - begin)));
      }
      return Unrecognised(begin, word_end);
    }
    return Make(is_float ? TokenKind::kFloat : TokenKind::kInteger, begin, end,
                std::string(text_.substr(begin, end - begin)));
  }

  Result<Token> LexWord() {
    size_t begin = pos_;
    if (IsIsoAlternativeDuration(text_.substr(begin))) {
      return Make(TokenKind::kDuration, begin, begin + 20, std::string(text_.substr(begin, 20)));
    }
    size_t end = begin;
    while (end < text_.size() && IsWordChar(text_[end])) {
      ++end;
    }
    std::string_view word = text_.substr(begin, end - begin);
    if (IsIsoDuration(word)) {
      return Make(TokenKind::kDuration, begin, end, std::string(word));
    }
    return Make(TokenKind::kIdentifier, begin, end, Lower(word));
  }

  // 'it''s' and "Quoted""Name": the delimiter doubled inside stands for itself.
  Result<Token> LexQuoted(char quote, TokenKind kind, std::string_view what) {
    size_t begin = pos_;
    std::string value;
    size_t i = begin + 1;
    while (true) {
      size_t close = text_.find(quote, i);
      if (close == std::string_view::npos) {
        return ErrorAt(begin, "unterminated " + std::string(what) + " at input '" +
                                  std::string(text_.substr(begin, 20)) + "'");
      }
      value.append(text_.substr(i, close - i));
      if (close + 1 < text_.size() && text_[close + 1] == quote) {
        value.push_back(quote);
        i = close + 2;
        continue;
      }
      if (kind == TokenKind::kQuotedName && value.empty()) {
        return ErrorAt(begin, "empty quoted name at input '\"\"'");
      }
      return Make(kind, begin, close + 1, std::move(value));
    }
  }

  Result<Token> LexSymbol() {
    size_t begin = pos_;
    std::string_view two = text_.substr(begin, 2);
    if (two == "<=" || two == ">=" || two == "!=") {
      return Make(TokenKind::kSymbol, begin, begin + 2, std::string(two));
    }
    constexpr std::string_view kSingles = "()[]{},;.*=<>+-:?";
    if (kSingles.find(text_[begin]) != std::string_view::npos) {
      return Make(TokenKind::kSymbol, begin, begin + 1, std::string(1, text_[begin]));
    }
    return Unrecognised(begin);
  }

  size_t WordEnd(size_t begin) const {
    size_t end = begin;
    while (end < text_.size()) {
      if (IsWordChar(text_[end])) {
        ++end;
      } else if (text_.substr(end, 2) == kMicro) {
        end += 2;
      } else {
        break;
      }
    }
    return end;
  }

  // "token recognition error" naming text_[begin, end), or the word/character at begin.
  Error Unrecognised(size_t begin, size_t end = 0) {
    end = std::max(end, WordEnd(begin));
    if (end == begin) {
      // One UTF-8 character: the lead byte and its continuation bytes.
      end = begin + 1;
      while (end < text_.size() && (static_cast<unsigned char>(text_[end]) & 0xC0) == 0x80) {
        ++end;
      }
    }
    return ErrorAt(begin, "token recognition error at: '" +
                              std::string(text_.substr(begin, end - begin)) + "'");
  }

  std::string_view text_;
  size_t pos_ = 0;
  size_t scanned_ = 0;
  size_t line_ = 1;
  size_t line_start_ = 0;
};

}  // namespace

Error CqlError(size_t line, size_t column, std::string_view what, int32_t cql_code) {
  return Error(
      ErrorCode::kInvalidArgument,
      "line " + std::to_string(line) + ":" + std::to_string(column) + " " + std::string(what),
      cql_code);
}

std::string Token::Display() const {
  return kind == TokenKind::kEnd ? std::string("<EOF>") : std::string(raw);
}

Result<std::vector<Token>> Tokenize(std::string_view text) { return Lexer(text).Run(); }

}  // namespace cqlbulk::sim
