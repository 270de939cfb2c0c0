// SPDX-License-Identifier: Apache-2.0
// Terms, bind markers and SELECT selectors.
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/parser/cql_parser_internal.h"

namespace cqlbulk::sim::internal {
namespace {

bool IsLiteralWord(const Token& token) {
  if (token.kind != TokenKind::kIdentifier) {
    return false;
  }
  const std::string& w = token.text;
  return w == "true" || w == "false" || w == "null" || w == "nan" || w == "infinity";
}

// Names a function may have: a name, or the reserved words Cassandra allows there.
bool IsFunctionName(const Token& token) {
  if (token.kind == TokenKind::kQuotedName) {
    return true;
  }
  return token.kind == TokenKind::kIdentifier &&
         (!IsReservedKeyword(token.text) || token.text == "token");
}

// Every marker inside `term`, depth-first in source order.
template <typename Fn>
void ForEachMarker(const Term& term, Fn&& fn) {
  if (term.kind == TermKind::kBindMarker) {
    fn(term);
    return;
  }
  for (const Term& key : term.keys) {
    ForEachMarker(key, fn);
  }
  for (const Term& element : term.elements) {
    ForEachMarker(element, fn);
  }
}

bool AllConstant(const std::vector<Term>& terms) {
  for (const Term& t : terms) {
    if (!t.is_constant) {
      return false;
    }
  }
  return true;
}

}  // namespace

bool Parser::AtFunctionCall() const {
  if (!IsFunctionName(Peek())) {
    return false;
  }
  if (AtSymbol("(", 1)) {
    return true;
  }
  return AtSymbol(".", 1) && IsFunctionName(Peek(2)) && AtSymbol("(", 3);
}

bool Parser::AtCast() const {
  const Token& next = Peek(1);
  bool type_start = next.kind == TokenKind::kQuotedName ||
                    (next.kind == TokenKind::kIdentifier && !IsLiteralWord(next));
  if (!AtSymbol("(") || !type_start) {
    return false;
  }
  // `(f(x), 1)` and `(ks.f(x))` are tuples starting with a function call.
  bool call = AtSymbol("(", 2) || (AtSymbol(".", 2) && AtSymbol("(", 4));
  return !call;
}

Result<Term> Parser::ParseTerm() {
  NestingScope scope(*this);
  CQLBULK_RETURN_IF_ERROR(scope.Check());
  const Token& token = Peek();
  switch (token.kind) {
    case TokenKind::kString:
    case TokenKind::kInteger:
    case TokenKind::kFloat:
    case TokenKind::kHex:
    case TokenKind::kUuid:
    case TokenKind::kDuration:
      return ParseLiteral();
    case TokenKind::kIdentifier:
    case TokenKind::kQuotedName:
      if (IsLiteralWord(token)) {
        return ParseLiteral();
      }
      if (AtFunctionCall()) {
        return ParseFunctionCall();
      }
      return NoViable();
    case TokenKind::kSymbol:
      if (token.text == "-") {
        return ParseNegativeLiteral();
      }
      if (token.text == "?" || token.text == ":") {
        return ParseBindMarker();
      }
      if (token.text == "[") {
        size_t first = position();
        Advance();
        Term list;
        list.kind = TermKind::kList;
        CQLBULK_ASSIGN_OR_RETURN(list.elements, ParseTermList("]"));
        list.is_constant = AllConstant(list.elements);
        list.text = SourceFrom(first);
        return list;
      }
      if (token.text == "{") {
        return ParseBracedLiteral();
      }
      if (token.text == "(") {
        return ParseParenthesised();
      }
      return NoViable();
    case TokenKind::kEnd:
      return NoViable();
  }
  return NoViable();
}

Result<Term> Parser::ParseLiteral() {
  const Token& token = Advance();
  Term term;
  term.text = std::string(token.raw);
  switch (token.kind) {
    case TokenKind::kString:
      term.literal_kind = LiteralKind::kString;
      term.string_value = token.text;
      break;
    case TokenKind::kInteger:
      term.literal_kind = LiteralKind::kInteger;
      break;
    case TokenKind::kFloat:
      term.literal_kind = LiteralKind::kFloat;
      break;
    case TokenKind::kHex:
      term.literal_kind = LiteralKind::kBlob;
      break;
    case TokenKind::kUuid:
      term.literal_kind = LiteralKind::kUuid;
      break;
    case TokenKind::kDuration:
      term.literal_kind = LiteralKind::kDuration;
      break;
    default:
      if (token.text == "true" || token.text == "false") {
        term.literal_kind = LiteralKind::kBoolean;
      } else if (token.text == "null") {
        term.literal_kind = LiteralKind::kNull;
      } else {
        term.literal_kind = LiteralKind::kFloat;  // NaN, Infinity
      }
      break;
  }
  return term;
}

// `-5`, `-1.5e3`, `-Infinity`, `-NaN`, `-1h`: like Cassandra's lexer, the sign must touch
// the number (so `c = c - 5` still reads as a subtraction).
Result<Term> Parser::ParseNegativeLiteral() {
  const Token& minus = Peek();
  const Token& number = Peek(1);
  bool adjacent = number.offset == minus.end();
  bool numeric = number.kind == TokenKind::kInteger || number.kind == TokenKind::kFloat ||
                 number.kind == TokenKind::kDuration || number.IsKeyword("nan") ||
                 number.IsKeyword("infinity");
  if (!adjacent || !numeric) {
    return NoViable();
  }
  size_t first = position();
  Advance();
  CQLBULK_ASSIGN_OR_RETURN(Term term, ParseLiteral());
  term.text = SourceFrom(first);
  return term;
}

Result<Term> Parser::ParseBindMarker() {
  size_t first = position();
  Term term;
  term.kind = TermKind::kBindMarker;
  term.is_constant = false;
  if (!AcceptSymbol("?")) {
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(":"));
    CQLBULK_ASSIGN_OR_RETURN(term.name, ParseIdentifier("a bind marker name"));
  }
  term.text = SourceFrom(first);
  term.bind_index = static_cast<int32_t>(markers_.size());
  BindMarker marker;
  marker.index = term.bind_index;
  marker.name = term.name;
  markers_.push_back(std::move(marker));
  return term;
}

Result<Term> Parser::ParseFunctionCall() {
  size_t first = position();
  Term term;
  term.kind = TermKind::kFunctionCall;
  term.is_constant = false;
  term.name = Advance().text;
  if (AcceptSymbol(".")) {
    term.keyspace = std::move(term.name);
    term.name = Advance().text;
  }
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
  CQLBULK_ASSIGN_OR_RETURN(term.elements, ParseTermList(")"));
  term.text = SourceFrom(first);
  return term;
}

// After the opening bracket: `t1, t2, ...` then `close`; the list may be empty.
Result<std::vector<Term>> Parser::ParseTermList(std::string_view close) {
  std::vector<Term> terms;
  if (AcceptSymbol(close)) {
    return terms;
  }
  do {
    CQLBULK_ASSIGN_OR_RETURN(Term term, ParseTerm());
    terms.push_back(std::move(term));
  } while (AcceptSymbol(","));
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol(close));
  return terms;
}

// `{}`, `{a, b}` (set), `{k: v}` (map) or `{field: v}` (UDT): decided by what follows '{'.
Result<Term> Parser::ParseBracedLiteral() {
  size_t first = position();
  Advance();
  Term term;
  if (AcceptSymbol("}")) {
    term.kind = TermKind::kEmptyBraces;
    term.text = SourceFrom(first);
    return term;
  }
  bool is_udt = AtIdentifier() && !IsLiteralWord(Peek()) && AtSymbol(":", 1);
  if (is_udt) {
    term.kind = TermKind::kUdt;
    do {
      CQLBULK_ASSIGN_OR_RETURN(std::string field, ParseIdentifier("a field name"));
      CQLBULK_RETURN_IF_ERROR(ExpectSymbol(":"));
      CQLBULK_ASSIGN_OR_RETURN(Term value, ParseTerm());
      term.field_names.push_back(std::move(field));
      term.elements.push_back(std::move(value));
    } while (AcceptSymbol(","));
  } else {
    CQLBULK_ASSIGN_OR_RETURN(Term head, ParseTerm());
    term.kind = AtSymbol(":") ? TermKind::kMap : TermKind::kSet;
    while (true) {
      if (term.kind == TermKind::kMap) {
        CQLBULK_RETURN_IF_ERROR(ExpectSymbol(":"));
        CQLBULK_ASSIGN_OR_RETURN(Term value, ParseTerm());
        term.keys.push_back(std::move(head));
        term.elements.push_back(std::move(value));
      } else {
        term.elements.push_back(std::move(head));
      }
      if (!AcceptSymbol(",")) {
        break;
      }
      CQLBULK_ASSIGN_OR_RETURN(head, ParseTerm());
    }
  }
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol("}"));
  term.is_constant = AllConstant(term.elements) && AllConstant(term.keys);
  term.text = SourceFrom(first);
  return term;
}

// `(type) term` (a cast) or `(t1, t2, ...)` (a tuple literal).
Result<Term> Parser::ParseParenthesised() {
  size_t first = position();
  Term term;
  if (AtCast()) {
    Advance();
    term.kind = TermKind::kTypeCast;
    term.is_constant = false;
    CQLBULK_ASSIGN_OR_RETURN(term.name, ParseType());
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
    CQLBULK_ASSIGN_OR_RETURN(Term operand, ParseTerm());
    if (operand.kind == TermKind::kBindMarker) {
      BindMarker& marker = markers_[static_cast<size_t>(operand.bind_index)];
      marker.role = BindRole::kCast;
      marker.cast_type = term.name;
    }
    term.elements.push_back(std::move(operand));
    term.text = SourceFrom(first);
    return term;
  }
  Advance();
  term.kind = TermKind::kTuple;
  do {
    CQLBULK_ASSIGN_OR_RETURN(Term element, ParseTerm());
    term.elements.push_back(std::move(element));
  } while (AcceptSymbol(","));
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  term.is_constant = AllConstant(term.elements);
  term.text = SourceFrom(first);
  return term;
}

void Parser::AssignRole(const Term& term, BindRole role, const std::vector<std::string>& columns,
                        bool in_list, std::string_view field) {
  if (term.kind == TermKind::kBindMarker) {
    BindMarker& marker = markers_[static_cast<size_t>(term.bind_index)];
    if (marker.role != BindRole::kCast) {
      marker.role = role;
    }
    marker.columns = columns;
    marker.field = std::string(field);
    marker.in_list = in_list;
    return;
  }
  // Markers nested in literals, calls or casts keep their role; they learn the column.
  ForEachMarker(term, [&](const Term& nested) {
    BindMarker& marker = markers_[static_cast<size_t>(nested.bind_index)];
    marker.columns = columns;
    marker.in_list = in_list;
  });
}

void Parser::AssignTupleRoles(const Term& term, const std::vector<std::string>& columns,
                              bool in_list) {
  if (term.kind == TermKind::kTuple && term.elements.size() == columns.size()) {
    for (size_t i = 0; i < columns.size(); ++i) {
      AssignRole(term.elements[i], BindRole::kColumnValue, {columns[i]}, in_list);
    }
    return;
  }
  AssignRole(term, BindRole::kTuple, columns, in_list);
}

Result<Selector> Parser::ParseSelector() {
  CQLBULK_ASSIGN_OR_RETURN(Selector selector, ParseUnaliasedSelector());
  if (AcceptKeyword("as")) {
    CQLBULK_ASSIGN_OR_RETURN(selector.alias, ParseIdentifier("an alias"));
  }
  return selector;
}

Result<Selector> Parser::ParseUnaliasedSelector() {
  NestingScope scope(*this);
  CQLBULK_RETURN_IF_ERROR(scope.Check());
  size_t first = position();
  Selector selector;
  bool count_rows =
      AtKeyword("count") && AtSymbol("(", 1) &&
      (AtSymbol("*", 2) || (Peek(2).kind == TokenKind::kInteger && Peek(2).text == "1")) &&
      AtSymbol(")", 3);
  if (count_rows) {
    selector.kind = SelectorKind::kCountRows;
    pos_ += 4;
  } else if ((AtKeyword("writetime") || AtKeyword("ttl")) && AtSymbol("(", 1)) {
    selector.kind = AtKeyword("ttl") ? SelectorKind::kTtl : SelectorKind::kWritetime;
    pos_ += 2;
    CQLBULK_ASSIGN_OR_RETURN(selector.name, ParseIdentifier("a column name"));
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  } else if (AtKeyword("cast") && AtSymbol("(", 1)) {
    selector.kind = SelectorKind::kCast;
    pos_ += 2;
    CQLBULK_ASSIGN_OR_RETURN(Selector operand, ParseUnaliasedSelector());
    selector.args.push_back(std::move(operand));
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("as"));
    CQLBULK_ASSIGN_OR_RETURN(selector.name, ParseType());
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  } else if (AtFunctionCall()) {
    selector.kind = SelectorKind::kFunction;
    selector.name = Advance().text;
    if (AcceptSymbol(".")) {
      selector.keyspace = std::move(selector.name);
      selector.name = Advance().text;
    }
    Advance();  // '('
    if (!AcceptSymbol(")")) {
      do {
        CQLBULK_ASSIGN_OR_RETURN(Selector arg, ParseUnaliasedSelector());
        selector.args.push_back(std::move(arg));
      } while (AcceptSymbol(","));
      CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
    }
  } else if (AtIdentifier()) {
    selector.kind = SelectorKind::kColumn;
    selector.name = Advance().text;
  } else {
    selector.kind = SelectorKind::kTerm;
    CQLBULK_ASSIGN_OR_RETURN(selector.term, ParseTerm());
  }
  // UDT field access: u.a.b
  while (selector.kind != SelectorKind::kTerm && AtSymbol(".")) {
    selector.text = SourceFrom(first);
    Advance();
    Selector base = std::move(selector);
    selector = Selector{};
    selector.kind = SelectorKind::kField;
    CQLBULK_ASSIGN_OR_RETURN(selector.name, ParseIdentifier("a field name"));
    selector.args.push_back(std::move(base));
  }
  selector.text = SourceFrom(first);
  return selector;
}

}  // namespace cqlbulk::sim::internal
