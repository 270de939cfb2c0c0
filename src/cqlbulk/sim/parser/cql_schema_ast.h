// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/sim/parser/cql_dml_ast.h"
#include "cqlbulk/sim/parser/cql_term.h"

namespace cqlbulk::sim {

/// \brief `name = value` of a WITH clause. The value is a constant or a map literal
/// (`{'class': 'SimpleStrategy', 'replication_factor': 1}`), kept as a Term.
struct Property {
  std::string name;  ///< normalised like an identifier
  Term value;
};

/// \brief CREATE KEYSPACE [IF NOT EXISTS] ks WITH replication = {...} [AND durable_writes = b].
struct CreateKeyspaceStatement {
  std::string keyspace;
  bool if_not_exists = false;
  /// The replication map as strings ("class" -> "SimpleStrategy", "replication_factor" ->
  /// "1"): string values unescaped, numbers as written. Empty if not given.
  std::map<std::string, std::string> replication;
  std::optional<bool> durable_writes;
  std::vector<Property> properties;  ///< every property as written, in order
};

/// \brief DROP KEYSPACE [IF EXISTS] ks.
struct DropKeyspaceStatement {
  std::string keyspace;
  bool if_exists = false;
};

/// \brief One column of CREATE TABLE.
struct ColumnDefinition {
  std::string name;
  /// The CQL type, normalised: lower-case keywords, ", " between parameters
  /// ("frozen<map<text, int>>", "ks.udt", "'org.example.MyType'"). Ready for ParseCqlType.
  std::string type;
  bool is_static = false;
};

/// \brief CREATE TABLE [IF NOT EXISTS] [ks.]t (columns..., PRIMARY KEY (...)) [WITH ...].
/// The parser checks that exactly one primary key is declared and that its columns are
/// defined; everything about types and options is left to the executor.
struct CreateTableStatement {
  QualifiedName table;
  bool if_not_exists = false;
  std::vector<ColumnDefinition> columns;        ///< in declaration order
  std::vector<std::string> partition_key;       ///< in key order (at least one)
  std::vector<std::string> clustering_columns;  ///< in clustering order
  std::vector<Ordering> clustering_order;       ///< WITH CLUSTERING ORDER BY (...), as written
  std::vector<Property> properties;             ///< other WITH options, in order
};

/// \brief DROP TABLE [IF EXISTS] [ks.]t.
struct DropTableStatement {
  QualifiedName table;
  bool if_exists = false;
};

/// \brief TRUNCATE [TABLE] [ks.]t.
struct TruncateStatement {
  QualifiedName table;
};

/// \brief One field of CREATE TYPE.
struct FieldDefinition {
  std::string name;
  std::string type;  ///< normalised CQL type text, as ColumnDefinition::type
};

/// \brief CREATE TYPE [IF NOT EXISTS] [ks.]name (field type, ...).
struct CreateTypeStatement {
  QualifiedName type;
  bool if_not_exists = false;
  std::vector<FieldDefinition> fields;
};

/// \brief DROP TYPE [IF EXISTS] [ks.]name.
struct DropTypeStatement {
  QualifiedName type;
  bool if_exists = false;
};

/// \brief USE ks.
struct UseStatement {
  std::string keyspace;
};

/// \brief A statement cqlsim recognises but does not implement (ALTER ..., CREATE INDEX,
/// CREATE MATERIALIZED VIEW, GRANT, ...). Only its leading keywords are checked; the
/// executor answers it with an error naming `kind`.
struct UnsupportedStatement {
  std::string kind;  ///< upper-case leading keywords: "ALTER TABLE", "CREATE INDEX", "GRANT"
};

}  // namespace cqlbulk::sim
