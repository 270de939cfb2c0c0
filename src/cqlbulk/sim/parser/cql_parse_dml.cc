// SPDX-License-Identifier: Apache-2.0
// Statement dispatch and the data-manipulation statements: SELECT, INSERT, UPDATE, DELETE,
// BATCH, with their WHERE relations, IF conditions, USING clauses and assignments.
#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/parser/cql_parser_internal.h"

namespace cqlbulk::sim::internal {
namespace {

// The type of a marker on the right of `target op ?` (multi-column targets aside).
BindRole ValueRole(RelationTarget target, RelationOp op) {
  switch (target) {
    case RelationTarget::kToken:
      return BindRole::kToken;
    case RelationTarget::kElement:
      return BindRole::kCollectionElement;
    case RelationTarget::kField:
      return BindRole::kUdtField;
    default:
      break;
  }
  if (op == RelationOp::kContains) {
    return BindRole::kCollectionElement;
  }
  if (op == RelationOp::kContainsKey) {
    return BindRole::kCollectionKey;
  }
  return BindRole::kColumnValue;
}

}  // namespace

Result<Statement> Parser::ParseStatementBody() {
  const Token& first = Peek();
  if (first.kind == TokenKind::kIdentifier) {
    const std::string& word = first.text;
    if (word == "select") {
      return AsStatement(ParseSelect());
    }
    if (word == "insert") {
      return AsStatement(ParseInsert());
    }
    if (word == "update") {
      return AsStatement(ParseUpdate());
    }
    if (word == "delete") {
      return AsStatement(ParseDelete());
    }
    if (word == "begin") {
      return AsStatement(ParseBatch());
    }
    if (word == "use") {
      return AsStatement(ParseUse());
    }
    if (word == "create") {
      return ParseCreate();
    }
    if (word == "drop") {
      return ParseDrop();
    }
    if (word == "truncate") {
      return AsStatement(ParseTruncate());
    }
    if (word == "alter") {
      size_t start = position();
      Advance();
      if (AtKeyword("materialized")) {
        Advance();
      }
      if (Peek().kind == TokenKind::kIdentifier) {
        Advance();
      }
      return ParseUnsupported(start);
    }
    if (word == "grant" || word == "revoke" || word == "list" || word == "describe" ||
        word == "desc") {
      size_t start = position();
      Advance();
      return ParseUnsupported(start);
    }
  }
  // ANTLR's wording for an unknown statement start, which drivers and users know.
  std::string shown = first.Display();
  return CqlError(first.line, first.column,
                  "no viable alternative at input '" + shown + "' ([" + shown + "]...)");
}

Result<SelectStatement> Parser::ParseSelect() {
  SelectStatement select;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("select"));
  // JSON and DISTINCT are not reserved: `SELECT json FROM t` selects a column named json.
  auto is_modifier = [&](std::string_view word) {
    return AtKeyword(word) && !AtKeyword("from", 1) && !AtSymbol(",", 1) && !AtKeyword("as", 1) &&
           !AtSymbol("(", 1) && !AtSymbol(".", 1);
  };
  if (is_modifier("json")) {
    Advance();
    select.is_json = true;
  }
  if (is_modifier("distinct")) {
    Advance();
    select.is_distinct = true;
  }
  if (AcceptSymbol("*")) {
    select.select_all = true;
  } else {
    do {
      CQLBULK_ASSIGN_OR_RETURN(Selector selector, ParseSelector());
      select.selectors.push_back(std::move(selector));
    } while (AcceptSymbol(","));
  }
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("from"));
  CQLBULK_ASSIGN_OR_RETURN(select.table, ParseQualifiedName("a table name"));
  if (AcceptKeyword("where")) {
    CQLBULK_ASSIGN_OR_RETURN(select.where, ParseWhere());
  }
  if (AtKeyword("group") && AtKeyword("by", 1)) {
    pos_ += 2;
    do {
      CQLBULK_ASSIGN_OR_RETURN(std::string column, ParseIdentifier("a column name"));
      select.group_by.push_back(std::move(column));
    } while (AcceptSymbol(","));
  }
  if (AcceptKeyword("order")) {
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("by"));
    CQLBULK_ASSIGN_OR_RETURN(select.order_by, ParseOrderings());
  }
  if (AtKeyword("per") && AtKeyword("partition", 1)) {
    pos_ += 2;
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("limit"));
    CQLBULK_ASSIGN_OR_RETURN(select.per_partition_limit,
                             ParseIntegerOrMarker(BindRole::kPerPartitionLimit));
  }
  if (AcceptKeyword("limit")) {
    CQLBULK_ASSIGN_OR_RETURN(select.limit, ParseIntegerOrMarker(BindRole::kLimit));
  }
  if (AcceptKeyword("allow")) {
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("filtering"));
    select.allow_filtering = true;
  }
  return select;
}

Result<std::vector<Ordering>> Parser::ParseOrderings() {
  std::vector<Ordering> orderings;
  do {
    Ordering ordering;
    CQLBULK_ASSIGN_OR_RETURN(ordering.column, ParseIdentifier("a column name"));
    if (AcceptKeyword("desc")) {
      ordering.descending = true;
    } else {
      AcceptKeyword("asc");
    }
    orderings.push_back(std::move(ordering));
  } while (AcceptSymbol(","));
  return orderings;
}

Result<Term> Parser::ParseIntegerOrMarker(BindRole role) {
  const Token& token = Peek();
  bool negative = token.IsSymbol("-") && Peek(1).kind == TokenKind::kInteger;
  if (token.kind != TokenKind::kInteger && !negative && !token.IsSymbol("?") &&
      !token.IsSymbol(":")) {
    return Mismatched("an integer or a bind marker");
  }
  CQLBULK_ASSIGN_OR_RETURN(Term term, ParseTerm());
  AssignRole(term, role, {});
  return term;
}

Result<UsingClause> Parser::ParseUsing(bool allow_ttl) {
  UsingClause using_clause;
  do {
    if (allow_ttl && AtKeyword("ttl") && !using_clause.ttl) {
      Advance();
      CQLBULK_ASSIGN_OR_RETURN(using_clause.ttl, ParseIntegerOrMarker(BindRole::kTtl));
    } else if (AtKeyword("timestamp") && !using_clause.timestamp) {
      Advance();
      CQLBULK_ASSIGN_OR_RETURN(using_clause.timestamp, ParseIntegerOrMarker(BindRole::kTimestamp));
    } else {
      return Mismatched(allow_ttl ? "TTL or TIMESTAMP" : "TIMESTAMP");
    }
  } while (AcceptKeyword("and"));
  return using_clause;
}

Result<std::vector<Relation>> Parser::ParseWhere() {
  std::vector<Relation> relations;
  do {
    CQLBULK_ASSIGN_OR_RETURN(Relation relation, ParseRelation());
    relations.push_back(std::move(relation));
  } while (AcceptKeyword("and"));
  return relations;
}

Result<Relation> Parser::ParseRelation() {
  if (AtKeyword("token") && AtSymbol("(", 1)) {
    return ParseTokenRelation();
  }
  if (AtSymbol("(")) {
    if (AtIdentifier(1) && (AtSymbol(",", 2) || AtSymbol(")", 2))) {
      return ParseMultiColumnRelation();
    }
    // A parenthesised relation: `(k = 1)`.
    NestingScope scope(*this);
    CQLBULK_RETURN_IF_ERROR(scope.Check());
    Advance();
    CQLBULK_ASSIGN_OR_RETURN(Relation inner, ParseRelation());
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
    return inner;
  }
  Relation relation;
  CQLBULK_ASSIGN_OR_RETURN(std::string column, ParseIdentifier("a column name"));
  relation.columns.push_back(std::move(column));
  CQLBULK_ASSIGN_OR_RETURN(relation.op, ParseRelationOp());
  CQLBULK_RETURN_IF_ERROR(ParseRelationRhs(relation));
  return relation;
}

Result<Relation> Parser::ParseTokenRelation() {
  Relation relation;
  relation.target = RelationTarget::kToken;
  pos_ += 2;  // token (
  do {
    CQLBULK_ASSIGN_OR_RETURN(std::string column, ParseIdentifier("a column name"));
    relation.columns.push_back(std::move(column));
  } while (AcceptSymbol(","));
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  CQLBULK_RETURN_IF_ERROR(ParseComparisonOp(relation, /*allow_in=*/false));
  CQLBULK_RETURN_IF_ERROR(ParseRelationRhs(relation));
  return relation;
}

Result<Relation> Parser::ParseMultiColumnRelation() {
  Relation relation;
  relation.target = RelationTarget::kColumns;
  Advance();  // (
  do {
    CQLBULK_ASSIGN_OR_RETURN(std::string column, ParseIdentifier("a column name"));
    relation.columns.push_back(std::move(column));
  } while (AcceptSymbol(","));
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  CQLBULK_RETURN_IF_ERROR(ParseComparisonOp(relation, /*allow_in=*/true));
  CQLBULK_RETURN_IF_ERROR(ParseRelationRhs(relation));
  return relation;
}

Result<RelationOp> Parser::ParseRelationOp() {
  const Token& token = Peek();
  if (token.kind == TokenKind::kSymbol) {
    static constexpr std::pair<std::string_view, RelationOp> kSymbols[] = {
        {"=", RelationOp::kEq},   {"!=", RelationOp::kNeq}, {"<", RelationOp::kLt},
        {"<=", RelationOp::kLte}, {">", RelationOp::kGt},   {">=", RelationOp::kGte},
    };
    for (const auto& [symbol, op] : kSymbols) {
      if (token.text == symbol) {
        Advance();
        return op;
      }
    }
  }
  if (AcceptKeyword("in")) {
    return RelationOp::kIn;
  }
  if (AcceptKeyword("like")) {
    return RelationOp::kLike;
  }
  if (AcceptKeyword("contains")) {
    return AcceptKeyword("key") ? RelationOp::kContainsKey : RelationOp::kContains;
  }
  return Mismatched("a relation operator (=, <, <=, >, >=, !=, IN, CONTAINS)");
}

// token(...) and (a, b) take only comparisons (and IN for tuples), not CONTAINS or LIKE.
Status Parser::ParseComparisonOp(Relation& relation, bool allow_in) {
  const Token& at = Peek();
  CQLBULK_ASSIGN_OR_RETURN(relation.op, ParseRelationOp());
  bool ok = relation.op != RelationOp::kContains && relation.op != RelationOp::kContainsKey &&
            relation.op != RelationOp::kLike && (allow_in || relation.op != RelationOp::kIn);
  if (!ok) {
    return CqlError(at.line, at.column,
                    "mismatched input '" + at.Display() + "' expecting " +
                        (allow_in ? "a comparison operator or IN" : "a comparison operator"));
  }
  return OkStatus();
}

Status Parser::ParseRelationRhs(Relation& relation) {
  const bool multi = relation.target == RelationTarget::kColumns;
  if (relation.op == RelationOp::kIn) {
    if (AcceptSymbol("(")) {
      relation.has_in_list = true;
      CQLBULK_ASSIGN_OR_RETURN(relation.in_values, ParseTermList(")"));
      for (const Term& item : relation.in_values) {
        if (multi) {
          AssignTupleRoles(item, relation.columns, /*in_list=*/true);
        } else {
          AssignRole(item, ValueRole(relation.target, relation.op), relation.columns, true,
                     relation.field);
        }
      }
      return OkStatus();
    }
    if (!AtSymbol("?") && !AtSymbol(":")) {
      return Mismatched("'(' or a bind marker");
    }
    CQLBULK_ASSIGN_OR_RETURN(relation.value, ParseBindMarker());
    AssignRole(relation.value, BindRole::kInValues, relation.columns, false, relation.field);
    return OkStatus();
  }
  CQLBULK_ASSIGN_OR_RETURN(relation.value, ParseTerm());
  if (multi) {
    AssignTupleRoles(relation.value, relation.columns, false);
  } else {
    AssignRole(relation.value, ValueRole(relation.target, relation.op), relation.columns, false,
               relation.field);
  }
  return OkStatus();
}

Status Parser::ParseConditions(bool& if_exists, std::vector<Relation>& conditions) {
  if (AcceptKeyword("exists")) {
    if_exists = true;
    return OkStatus();
  }
  do {
    CQLBULK_ASSIGN_OR_RETURN(Relation condition, ParseCondition());
    conditions.push_back(std::move(condition));
  } while (AcceptKeyword("and"));
  return OkStatus();
}

Result<Relation> Parser::ParseCondition() {
  Relation condition;
  CQLBULK_ASSIGN_OR_RETURN(std::string column, ParseIdentifier("a column name"));
  condition.columns.push_back(column);
  if (AcceptSymbol("[")) {
    condition.target = RelationTarget::kElement;
    CQLBULK_ASSIGN_OR_RETURN(condition.element, ParseTerm());
    AssignRole(*condition.element, BindRole::kCollectionKey, condition.columns);
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("]"));
  } else if (AcceptSymbol(".")) {
    condition.target = RelationTarget::kField;
    CQLBULK_ASSIGN_OR_RETURN(condition.field, ParseIdentifier("a field name"));
  }
  CQLBULK_ASSIGN_OR_RETURN(condition.op, ParseRelationOp());
  CQLBULK_RETURN_IF_ERROR(ParseRelationRhs(condition));
  return condition;
}

Result<InsertStatement> Parser::ParseInsert() {
  InsertStatement insert;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("insert"));
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("into"));
  CQLBULK_ASSIGN_OR_RETURN(insert.table, ParseQualifiedName("a table name"));
  if (AcceptKeyword("json")) {
    if (Peek().kind != TokenKind::kString && !AtSymbol("?") && !AtSymbol(":")) {
      return Mismatched("a string or a bind marker");
    }
    CQLBULK_ASSIGN_OR_RETURN(insert.json, ParseTerm());
    AssignRole(*insert.json, BindRole::kJson, {});
    if (AcceptKeyword("default")) {
      if (AcceptKeyword("unset")) {
        insert.json_default_unset = true;
      } else {
        CQLBULK_RETURN_IF_ERROR(ExpectKeyword("null"));
      }
    }
  } else {
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
    do {
      CQLBULK_ASSIGN_OR_RETURN(std::string column, ParseIdentifier("a column name"));
      insert.columns.push_back(std::move(column));
    } while (AcceptSymbol(","));
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("values"));
    const Token& values_at = Peek();
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
    CQLBULK_ASSIGN_OR_RETURN(insert.values, ParseTermList(")"));
    if (insert.values.size() != insert.columns.size()) {
      return Invalid(values_at, "Unmatched column names/values");
    }
    for (size_t i = 0; i < insert.values.size(); ++i) {
      AssignRole(insert.values[i], BindRole::kColumnValue, {insert.columns[i]});
    }
  }
  CQLBULK_RETURN_IF_ERROR(ParseIfNotExists(insert.if_not_exists));
  if (AcceptKeyword("using")) {
    CQLBULK_ASSIGN_OR_RETURN(insert.using_clause, ParseUsing(/*allow_ttl=*/true));
  }
  return insert;
}

Result<UpdateStatement> Parser::ParseUpdate() {
  UpdateStatement update;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("update"));
  CQLBULK_ASSIGN_OR_RETURN(update.table, ParseQualifiedName("a table name"));
  if (AcceptKeyword("using")) {
    CQLBULK_ASSIGN_OR_RETURN(update.using_clause, ParseUsing(/*allow_ttl=*/true));
  }
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("set"));
  do {
    CQLBULK_ASSIGN_OR_RETURN(Assignment assignment, ParseAssignment());
    update.assignments.push_back(std::move(assignment));
  } while (AcceptSymbol(","));
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("where"));
  CQLBULK_ASSIGN_OR_RETURN(update.where, ParseWhere());
  if (AcceptKeyword("if")) {
    CQLBULK_RETURN_IF_ERROR(ParseConditions(update.if_exists, update.conditions));
  }
  return update;
}

Result<Assignment> Parser::ParseAssignment() {
  Assignment assignment;
  CQLBULK_ASSIGN_OR_RETURN(assignment.column, ParseIdentifier("a column name"));
  const std::vector<std::string> columns = {assignment.column};
  if (AcceptSymbol("[")) {
    assignment.op = AssignmentOp::kSetElement;
    CQLBULK_ASSIGN_OR_RETURN(assignment.key, ParseTerm());
    AssignRole(*assignment.key, BindRole::kCollectionKey, columns);
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("]"));
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("="));
    CQLBULK_ASSIGN_OR_RETURN(assignment.value, ParseTerm());
    AssignRole(assignment.value, BindRole::kCollectionElement, columns);
    return assignment;
  }
  if (AcceptSymbol(".")) {
    assignment.op = AssignmentOp::kSetField;
    CQLBULK_ASSIGN_OR_RETURN(assignment.field, ParseIdentifier("a field name"));
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("="));
    CQLBULK_ASSIGN_OR_RETURN(assignment.value, ParseTerm());
    AssignRole(assignment.value, BindRole::kUdtField, columns, false, assignment.field);
    return assignment;
  }
  // `c += v` / `c -= v`: the operator and '=' written together.
  bool compound =
      (AtSymbol("+") || AtSymbol("-")) && AtSymbol("=", 1) && Peek(1).offset == Peek().end();
  if (compound) {
    assignment.op = AtSymbol("+") ? AssignmentOp::kAdd : AssignmentOp::kSubtract;
    pos_ += 2;
  } else {
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("="));
    bool self_first = AtIdentifier() && !AtFunctionCall() && (AtSymbol("+", 1) || AtSymbol("-", 1));
    if (self_first) {
      if (Peek().text != assignment.column) {
        return CqlError(Peek().line, Peek().column,
                        "Only expressions of the form X = X + <value> are supported.");
      }
      assignment.op = AtSymbol("+", 1) ? AssignmentOp::kAdd : AssignmentOp::kSubtract;
      pos_ += 2;
    }
  }
  CQLBULK_ASSIGN_OR_RETURN(assignment.value, ParseTerm());
  if (assignment.op == AssignmentOp::kSet && AcceptSymbol("+")) {
    if (!AtIdentifier() || Peek().text != assignment.column) {
      return CqlError(Peek().line, Peek().column,
                      "Only expressions of the form X = <value> + X are supported.");
    }
    Advance();
    assignment.op = AssignmentOp::kPrepend;
  }
  BindRole role =
      assignment.op == AssignmentOp::kSubtract ? BindRole::kSubtracted : BindRole::kColumnValue;
  AssignRole(assignment.value, role, columns);
  return assignment;
}

Result<DeleteTarget> Parser::ParseDeleteTarget() {
  DeleteTarget target;
  CQLBULK_ASSIGN_OR_RETURN(target.column, ParseIdentifier("a column name"));
  if (AcceptSymbol("[")) {
    CQLBULK_ASSIGN_OR_RETURN(target.element, ParseTerm());
    AssignRole(*target.element, BindRole::kCollectionKey, {target.column});
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol("]"));
  } else if (AcceptSymbol(".")) {
    CQLBULK_ASSIGN_OR_RETURN(target.field, ParseIdentifier("a field name"));
  }
  return target;
}

Result<DeleteStatement> Parser::ParseDelete() {
  DeleteStatement del;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("delete"));
  if (!AtKeyword("from")) {
    do {
      CQLBULK_ASSIGN_OR_RETURN(DeleteTarget target, ParseDeleteTarget());
      del.targets.push_back(std::move(target));
    } while (AcceptSymbol(","));
  }
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("from"));
  CQLBULK_ASSIGN_OR_RETURN(del.table, ParseQualifiedName("a table name"));
  if (AcceptKeyword("using")) {
    CQLBULK_ASSIGN_OR_RETURN(del.using_clause, ParseUsing(/*allow_ttl=*/false));
  }
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("where"));
  CQLBULK_ASSIGN_OR_RETURN(del.where, ParseWhere());
  if (AcceptKeyword("if")) {
    CQLBULK_RETURN_IF_ERROR(ParseConditions(del.if_exists, del.conditions));
  }
  return del;
}

Result<ModificationStatement> Parser::ParseBatchChild() {
  if (AtKeyword("insert")) {
    CQLBULK_ASSIGN_OR_RETURN(InsertStatement insert, ParseInsert());
    return ModificationStatement(std::move(insert));
  }
  if (AtKeyword("update")) {
    CQLBULK_ASSIGN_OR_RETURN(UpdateStatement update, ParseUpdate());
    return ModificationStatement(std::move(update));
  }
  if (AtKeyword("delete")) {
    CQLBULK_ASSIGN_OR_RETURN(DeleteStatement del, ParseDelete());
    return ModificationStatement(std::move(del));
  }
  return Mismatched("INSERT, UPDATE, DELETE or APPLY BATCH");
}

Result<BatchStatement> Parser::ParseBatch() {
  BatchStatement batch;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("begin"));
  if (AcceptKeyword("unlogged")) {
    batch.type = BatchType::kUnlogged;
  } else if (AcceptKeyword("counter")) {
    batch.type = BatchType::kCounter;
  }
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("batch"));
  if (AcceptKeyword("using")) {
    CQLBULK_ASSIGN_OR_RETURN(batch.using_clause, ParseUsing(/*allow_ttl=*/false));
  }
  while (!AtKeyword("apply")) {
    CQLBULK_ASSIGN_OR_RETURN(ModificationStatement child, ParseBatchChild());
    batch.statements.push_back(std::move(child));
    AcceptSymbol(";");
  }
  Advance();  // APPLY
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("batch"));
  return batch;
}

}  // namespace cqlbulk::sim::internal
