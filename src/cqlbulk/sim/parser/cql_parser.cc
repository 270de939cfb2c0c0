// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/sim/parser/cql_parser.h"

#include <algorithm>
#include <iterator>
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/parser/cql_parser_internal.h"

namespace cqlbulk::sim {
namespace internal {
namespace {

// Cassandra 4.0's reserved keywords (CQL reference, appendix A), plus the literal words
// true, false and null. Sorted for binary search.
constexpr std::string_view kReserved[] = {
    "add",      "allow",  "alter",        "and",          "apply",    "asc",         "authorize",
    "batch",    "begin",  "by",           "columnfamily", "create",   "delete",      "desc",
    "describe", "drop",   "entries",      "execute",      "false",    "from",        "full",
    "grant",    "if",     "in",           "index",        "infinity", "insert",      "into",
    "keyspace", "limit",  "materialized", "modify",       "nan",      "norecursive", "not",
    "null",     "of",     "on",           "or",           "order",    "primary",     "rename",
    "replace",  "revoke", "schema",       "select",       "set",      "table",       "to",
    "token",    "true",   "truncate",     "unlogged",     "update",   "use",         "using",
    "view",     "where",  "with",
};
static_assert(std::is_sorted(std::begin(kReserved), std::end(kReserved)));

}  // namespace

bool IsReservedKeyword(std::string_view word) {
  return std::binary_search(std::begin(kReserved), std::end(kReserved), word);
}

Parser::Parser(std::string_view text, std::vector<Token> tokens, const ParseOptions& options)
    : text_(text), tokens_(std::move(tokens)), options_(options) {}

Result<ParsedStatement> Parser::Run() {
  CQLBULK_ASSIGN_OR_RETURN(Statement statement, ParseStatementBody());
  AcceptSymbol(";");
  if (Peek().kind != TokenKind::kEnd) {
    const Token& extra = Peek();
    return CqlError(extra.line, extra.column,
                    "extraneous input '" + extra.Display() + "' expecting EOF");
  }
  return ParsedStatement{std::move(statement), std::move(markers_)};
}

const Token& Parser::Peek(size_t ahead) const {
  // tokens_ always ends with kEnd, which is never consumed.
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

const Token& Parser::Advance() {
  const Token& token = tokens_[pos_];
  if (pos_ + 1 < tokens_.size()) {
    ++pos_;
  }
  return token;
}

bool Parser::AtKeyword(std::string_view keyword, size_t ahead) const {
  return Peek(ahead).IsKeyword(keyword);
}

bool Parser::AtSymbol(std::string_view symbol, size_t ahead) const {
  return Peek(ahead).IsSymbol(symbol);
}

bool Parser::AcceptKeyword(std::string_view keyword) {
  if (!AtKeyword(keyword)) {
    return false;
  }
  Advance();
  return true;
}

bool Parser::AcceptSymbol(std::string_view symbol) {
  if (!AtSymbol(symbol)) {
    return false;
  }
  Advance();
  return true;
}

Status Parser::ExpectKeyword(std::string_view keyword) {
  if (AcceptKeyword(keyword)) {
    return OkStatus();
  }
  std::string upper(keyword);
  for (char& c : upper) {
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return Mismatched(upper);
}

Status Parser::ExpectSymbol(std::string_view symbol) {
  if (AcceptSymbol(symbol)) {
    return OkStatus();
  }
  return Mismatched("'" + std::string(symbol) + "'");
}

Error Parser::Mismatched(std::string_view expecting) const {
  const Token& at = Peek();
  return CqlError(at.line, at.column,
                  "mismatched input '" + at.Display() + "' expecting " + std::string(expecting));
}

Error Parser::NoViable() const {
  const Token& at = Peek();
  return CqlError(at.line, at.column, "no viable alternative at input '" + at.Display() + "'");
}

Error Parser::Invalid(const Token& at, std::string_view message) const {
  return CqlError(at.line, at.column, message, kCqlInvalidCode);
}

std::string Parser::SourceFrom(size_t first) const {
  if (pos_ <= first) {
    return {};
  }
  size_t begin = tokens_[first].offset;
  return std::string(text_.substr(begin, tokens_[pos_ - 1].end() - begin));
}

bool Parser::AtIdentifier(size_t ahead) const {
  const Token& token = Peek(ahead);
  return token.kind == TokenKind::kQuotedName ||
         (token.kind == TokenKind::kIdentifier && !IsReservedKeyword(token.text));
}

Result<std::string> Parser::ParseIdentifier(std::string_view what) {
  if (!AtIdentifier()) {
    return Mismatched(what);
  }
  return Advance().text;
}

Result<QualifiedName> Parser::ParseQualifiedName(std::string_view what) {
  QualifiedName name;
  CQLBULK_ASSIGN_OR_RETURN(name.name, ParseIdentifier(what));
  if (AcceptSymbol(".")) {
    name.keyspace = std::move(name.name);
    CQLBULK_ASSIGN_OR_RETURN(name.name, ParseIdentifier(what));
  }
  return name;
}

Status Parser::ParseIfNotExists(bool& if_not_exists) {
  if (AcceptKeyword("if")) {
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("not"));
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("exists"));
    if_not_exists = true;
  }
  return OkStatus();
}

Status Parser::ParseIfExists(bool& if_exists) {
  if (AcceptKeyword("if")) {
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("exists"));
    if_exists = true;
  }
  return OkStatus();
}

Status NestingScope::Check() const {
  if (parser_.depth_ <= parser_.options_.max_nesting_depth) {
    return OkStatus();
  }
  const Token& at = parser_.Peek();
  return CqlError(at.line, at.column,
                  "nesting deeper than " + std::to_string(parser_.options_.max_nesting_depth) +
                      " levels at input '" + at.Display() + "'");
}

}  // namespace internal

Result<ParsedStatement> ParseStatement(std::string_view text, const ParseOptions& options) {
  CQLBULK_ASSIGN_OR_RETURN(std::vector<Token> tokens, Tokenize(text));
  return internal::Parser(text, std::move(tokens), options).Run();
}

}  // namespace cqlbulk::sim
