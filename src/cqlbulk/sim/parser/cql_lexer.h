// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk::sim {

/// CQL error codes (native protocol v4 §9) that lexer and parser errors carry in
/// Error::server_code(), so a server can answer with the right ERROR.
inline constexpr int32_t kCqlSyntaxErrorCode = 0x2000;
inline constexpr int32_t kCqlInvalidCode = 0x2200;

/// \brief An Error "line L:C <what>" of code kInvalidArgument with server_code `cql_code`.
Error CqlError(size_t line, size_t column, std::string_view what,
               int32_t cql_code = kCqlSyntaxErrorCode);

/// \brief Lexical class of a CQL token.
enum class TokenKind : uint8_t {
  kIdentifier,  ///< unquoted word (keyword or name); `text` is lower-cased
  kQuotedName,  ///< "Quoted" name; `text` is unescaped ("" -> ") and keeps its case
  kString,      ///< 'text' or $$text$$; `text` is the unescaped value
  kInteger,     ///< unsigned decimal digits (a sign is a separate '-' symbol)
  kFloat,       ///< digits with a fraction and/or an exponent (NaN, Infinity are identifiers)
  kHex,         ///< blob constant 0x..., possibly empty (`0x`)
  kUuid,        ///< unquoted 8-4-4-4-12 hex UUID
  kDuration,    ///< 1h30m, 3mo, 10us, P1D, PT2H, P2W, P0001-02-03T04:05:06
  kSymbol,      ///< punctuation/operator: ( ) [ ] { } , ; . * = < <= > >= != + - : ?
  kEnd,         ///< end of input; always the last token
};

/// \brief One token and where it is. `raw` points into the lexed text, which must outlive it.
struct Token {
  TokenKind kind = TokenKind::kEnd;
  /// Normalised text: see TokenKind. For kSymbol the operator itself ("<=").
  std::string text;
  /// Exact source characters (empty for kEnd).
  std::string_view raw;
  /// Byte offset of the first character in the statement text.
  size_t offset = 0;
  /// 1-based line and 0-based column (in bytes), as Cassandra reports them ("line 1:0").
  size_t line = 1;
  size_t column = 0;

  /// Offset one past the last source character.
  size_t end() const noexcept { return offset + raw.size(); }
  /// True for an unquoted word equal to `keyword` (given in lower case).
  bool IsKeyword(std::string_view keyword) const noexcept {
    return kind == TokenKind::kIdentifier && text == keyword;
  }
  bool IsSymbol(std::string_view symbol) const noexcept {
    return kind == TokenKind::kSymbol && text == symbol;
  }
  /// How error messages name the token: its source text, or <EOF>.
  std::string Display() const;
};

/// \brief Splits a CQL statement into tokens, dropping whitespace and comments (--, //, /* */).
/// \return the tokens followed by one kEnd token, or kInvalidArgument with a
///         "line L:C ..." message (server_code 0x2000) for an unterminated string, quoted name
///         or comment, or a character that starts no token.
Result<std::vector<Token>> Tokenize(std::string_view text);

}  // namespace cqlbulk::sim
