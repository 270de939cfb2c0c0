// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cqlbulk/sim/parser/cql_term.h"

namespace cqlbulk::sim {

/// \brief Comparison of a WHERE relation or an IF condition.
enum class RelationOp : uint8_t {
  kEq,           ///< =
  kNeq,          ///< !=
  kLt,           ///< <
  kLte,          ///< <=
  kGt,           ///< >
  kGte,          ///< >=
  kIn,           ///< IN (...) or IN ?
  kContains,     ///< CONTAINS
  kContainsKey,  ///< CONTAINS KEY
  kLike,         ///< LIKE
};

/// \brief What the left-hand side of a relation is.
enum class RelationTarget : uint8_t {
  kColumn,   ///< c op v
  kToken,    ///< token(a, b) op v; columns are token's arguments, in order
  kColumns,  ///< (a, b) op (x, y), (a, b) IN ((..), (..)): multi-column
  kElement,  ///< c[k] op v (IF conditions only); see Relation::element
  kField,    ///< c.f op v (IF conditions only); see Relation::field
};

/// \brief One `AND`-ed relation of a WHERE clause, or one condition of an IF clause.
struct Relation {
  RelationTarget target = RelationTarget::kColumn;
  /// The column (one) or the token's / tuple's columns, normalised.
  std::vector<std::string> columns;
  std::optional<Term> element;  ///< kElement: the key or index inside the brackets
  std::string field;            ///< kField: the UDT field name
  RelationOp op = RelationOp::kEq;
  /// The right-hand side, except for an IN with a parenthesised list. `IN ?` puts the
  /// marker here; multi-column comparisons put a kTuple term (or a marker) here.
  Term value;
  /// True for `IN (t1, t2, ...)`; the items (kTuple terms for kColumns) are in_values,
  /// which may be empty (`IN ()`).
  bool has_in_list = false;
  std::vector<Term> in_values;
};

/// \brief `USING TTL x AND TIMESTAMP y`: each an integer literal or a bind marker.
struct UsingClause {
  std::optional<Term> ttl;
  std::optional<Term> timestamp;
};

/// \brief What a SELECT selector computes.
enum class SelectorKind : uint8_t {
  kColumn,     ///< name: the column
  kCountRows,  ///< count(*) or count(1)
  kWritetime,  ///< writetime(c): name is c
  kTtl,        ///< ttl(c): name is c
  kFunction,   ///< [keyspace.]name(args...), including token(...) and count(c)
  kCast,       ///< cast(args[0] AS name): name is the CQL type text
  kField,      ///< args[0].name: UDT field access
  kTerm,       ///< a literal or bind marker argument of a function: see term
};

/// \brief One item of a SELECT list (without `*`).
struct Selector {
  SelectorKind kind = SelectorKind::kColumn;
  std::string name;      ///< see SelectorKind
  std::string keyspace;  ///< kFunction: keyspace qualifier, usually empty
  std::vector<Selector> args;
  Term term;          ///< kTerm only
  std::string alias;  ///< `AS alias`, empty if none
  std::string text;   ///< exact source text, without the alias ("count(*)")
};

/// \brief `ORDER BY c DESC` item, or a `CLUSTERING ORDER BY` item of CREATE TABLE.
struct Ordering {
  std::string column;
  bool descending = false;
};

/// \brief SELECT [JSON] [DISTINCT] ... FROM t [WHERE] [GROUP BY] [ORDER BY]
/// [PER PARTITION LIMIT] [LIMIT] [ALLOW FILTERING].
struct SelectStatement {
  QualifiedName table;
  bool is_json = false;
  bool is_distinct = false;
  bool select_all = false;  ///< `SELECT *`; selectors is then empty
  std::vector<Selector> selectors;
  std::vector<Relation> where;
  std::vector<std::string> group_by;
  std::vector<Ordering> order_by;
  std::optional<Term> per_partition_limit;  ///< integer literal or bind marker
  std::optional<Term> limit;                ///< integer literal or bind marker
  bool allow_filtering = false;
};

/// \brief INSERT INTO t (cols) VALUES (terms) or INSERT INTO t JSON value.
struct InsertStatement {
  QualifiedName table;
  std::vector<std::string> columns;  ///< empty for JSON
  std::vector<Term> values;          ///< parallel to columns (the parser checks the counts)
  std::optional<Term> json;          ///< INSERT ... JSON: a string literal or bind marker
  bool json_default_unset = false;   ///< JSON ... DEFAULT UNSET (else DEFAULT NULL)
  bool if_not_exists = false;
  UsingClause using_clause;
};

/// \brief The forms of a SET assignment.
enum class AssignmentOp : uint8_t {
  kSet,         ///< c = v
  kAdd,         ///< c = c + v, c += v (append, add elements, increment a counter)
  kSubtract,    ///< c = c - v, c -= v (remove elements or keys, decrement)
  kPrepend,     ///< c = v + c (lists)
  kSetElement,  ///< c[key] = v (map entry or list index)
  kSetField,    ///< c.field = v (UDT field)
};

/// \brief One `SET` assignment of an UPDATE.
struct Assignment {
  std::string column;
  AssignmentOp op = AssignmentOp::kSet;
  std::optional<Term> key;  ///< kSetElement: the map key or list index
  std::string field;        ///< kSetField: the UDT field name
  Term value;
};

/// \brief UPDATE t [USING ...] SET ... WHERE ... [IF EXISTS | IF conditions].
struct UpdateStatement {
  QualifiedName table;
  UsingClause using_clause;
  std::vector<Assignment> assignments;
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Relation> conditions;  ///< IF c = v AND ...; targets kColumn/kElement/kField
};

/// \brief One item before FROM in DELETE: a column, `m[key]` or `u.field`.
struct DeleteTarget {
  std::string column;
  std::optional<Term> element;  ///< m[key] / l[index]
  std::string field;            ///< u.field
};

/// \brief DELETE [targets] FROM t [USING TIMESTAMP x] WHERE ... [IF EXISTS | IF ...].
struct DeleteStatement {
  std::vector<DeleteTarget> targets;  ///< empty: delete whole rows
  QualifiedName table;
  UsingClause using_clause;  ///< only timestamp (TTL is a syntax error)
  std::vector<Relation> where;
  bool if_exists = false;
  std::vector<Relation> conditions;
};

/// \brief A statement allowed inside a BATCH.
using ModificationStatement = std::variant<InsertStatement, UpdateStatement, DeleteStatement>;

enum class BatchType : uint8_t { kLogged, kUnlogged, kCounter };

/// \brief BEGIN [UNLOGGED | COUNTER] BATCH [USING TIMESTAMP x] stmt; ... APPLY BATCH.
struct BatchStatement {
  BatchType type = BatchType::kLogged;
  UsingClause using_clause;  ///< only timestamp
  std::vector<ModificationStatement> statements;
};

}  // namespace cqlbulk::sim
