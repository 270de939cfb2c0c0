// SPDX-License-Identifier: Apache-2.0
#pragma once

// The recursive-descent parser behind ParseStatement. Its methods are split by
// responsibility: cql_parser.cc (cursor, errors, names, dispatch), cql_parse_term.cc (terms,
// bind markers, selectors), cql_parse_dml.cc (SELECT/INSERT/UPDATE/DELETE/BATCH),
// cql_parse_schema.cc (DDL, types, properties).

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/sim/parser/cql_ast.h"
#include "cqlbulk/sim/parser/cql_lexer.h"
#include "cqlbulk/sim/parser/cql_parser.h"

namespace cqlbulk::sim::internal {

/// True for words that can never be a name unquoted (Cassandra's reserved keywords, plus
/// the literal words true, false, null).
bool IsReservedKeyword(std::string_view word);

/// Widens a parsed statement of one kind to the Statement variant.
template <typename T>
Result<Statement> AsStatement(Result<T> parsed) {
  if (!parsed.has_value()) {
    return std::move(parsed).error();
  }
  return Statement(std::move(parsed).value());
}

class Parser {
 public:
  Parser(std::string_view text, std::vector<Token> tokens, const ParseOptions& options);

  Result<ParsedStatement> Run();

 private:
  friend class NestingScope;

  // --- cursor and errors (cql_parser.cc)
  const Token& Peek(size_t ahead = 0) const;
  const Token& Advance();
  bool AtKeyword(std::string_view keyword, size_t ahead = 0) const;
  bool AtSymbol(std::string_view symbol, size_t ahead = 0) const;
  bool AcceptKeyword(std::string_view keyword);
  bool AcceptSymbol(std::string_view symbol);
  Status ExpectKeyword(std::string_view keyword);
  Status ExpectSymbol(std::string_view symbol);
  /// "line L:C mismatched input 'X' expecting <expecting>" at the current token.
  Error Mismatched(std::string_view expecting) const;
  /// "line L:C no viable alternative at input 'X'" at the current token.
  Error NoViable() const;
  /// An invalid-request error (0x2200) located at `at`.
  Error Invalid(const Token& at, std::string_view message) const;
  /// Source text from token `first` to the last consumed token.
  std::string SourceFrom(size_t first) const;
  size_t position() const noexcept { return pos_; }
  /// A name: a quoted name, or an unquoted word that is not reserved.
  bool AtIdentifier(size_t ahead = 0) const;
  Result<std::string> ParseIdentifier(std::string_view what);
  Result<QualifiedName> ParseQualifiedName(std::string_view what);
  Status ParseIfNotExists(bool& if_not_exists);
  Status ParseIfExists(bool& if_exists);

  // --- terms, bind markers, selectors (cql_parse_term.cc)
  Result<Term> ParseTerm();
  Result<Term> ParseLiteral();
  Result<Term> ParseNegativeLiteral();
  Result<Term> ParseBindMarker();
  Result<Term> ParseFunctionCall();
  Result<Term> ParseBracedLiteral();
  Result<Term> ParseParenthesised();
  Result<std::vector<Term>> ParseTermList(std::string_view close);
  bool AtFunctionCall() const;
  bool AtCast() const;
  /// Records what the marker(s) in `term` bind to. A marker at the top of `term` gets
  /// `role`; markers nested inside keep theirs and only learn the columns.
  void AssignRole(const Term& term, BindRole role, const std::vector<std::string>& columns,
                  bool in_list = false, std::string_view field = {});
  /// `(a, b) op term`: markers of a matching tuple bind to each column.
  void AssignTupleRoles(const Term& term, const std::vector<std::string>& columns, bool in_list);
  Result<Selector> ParseSelector();
  Result<Selector> ParseUnaliasedSelector();

  // --- data manipulation (cql_parse_dml.cc)
  Result<Statement> ParseStatementBody();
  Result<SelectStatement> ParseSelect();
  Result<InsertStatement> ParseInsert();
  Result<UpdateStatement> ParseUpdate();
  Result<DeleteStatement> ParseDelete();
  Result<BatchStatement> ParseBatch();
  Result<ModificationStatement> ParseBatchChild();
  Result<UsingClause> ParseUsing(bool allow_ttl);
  Result<Term> ParseIntegerOrMarker(BindRole role);
  Result<std::vector<Relation>> ParseWhere();
  Result<Relation> ParseRelation();
  Result<Relation> ParseTokenRelation();
  Result<Relation> ParseMultiColumnRelation();
  Status ParseComparisonOp(Relation& relation, bool allow_in);
  Status ParseRelationRhs(Relation& relation);
  Result<RelationOp> ParseRelationOp();
  Status ParseConditions(bool& if_exists, std::vector<Relation>& conditions);
  Result<Relation> ParseCondition();
  Result<Assignment> ParseAssignment();
  Result<DeleteTarget> ParseDeleteTarget();
  Result<std::vector<Ordering>> ParseOrderings();

  // --- schema (cql_parse_schema.cc)
  Result<Statement> ParseCreate();
  Result<Statement> ParseDrop();
  /// The leading keywords from token `first` to here name the kind; the rest is skipped.
  Result<Statement> ParseUnsupported(size_t first);
  Result<CreateKeyspaceStatement> ParseCreateKeyspace();
  Result<CreateTableStatement> ParseCreateTable();
  Status ParseTableBody(CreateTableStatement& table, const Token*& primary_key_at);
  Status ParsePrimaryKey(CreateTableStatement& table);
  Status ParseTableOptions(CreateTableStatement& table);
  Result<CreateTypeStatement> ParseCreateType();
  Result<std::string> ParseType();
  Result<Property> ParseProperty(std::vector<Property>& seen);
  Result<TruncateStatement> ParseTruncate();
  Result<UseStatement> ParseUse();

  std::string_view text_;
  std::vector<Token> tokens_;
  ParseOptions options_;
  size_t pos_ = 0;
  size_t depth_ = 0;
  std::vector<BindMarker> markers_;
};

/// Counts one level of nesting for as long as it lives; Enter() fails past the limit.
class NestingScope {
 public:
  explicit NestingScope(Parser& parser) : parser_(parser) { ++parser_.depth_; }
  ~NestingScope() { --parser_.depth_; }
  NestingScope(const NestingScope&) = delete;
  NestingScope& operator=(const NestingScope&) = delete;

  /// kInvalidArgument "line L:C nesting deeper than N levels at input 'X'" past the limit.
  Status Check() const;

 private:
  Parser& parser_;
};

}  // namespace cqlbulk::sim::internal
