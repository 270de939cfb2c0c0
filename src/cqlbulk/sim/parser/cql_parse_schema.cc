// SPDX-License-Identifier: Apache-2.0
// Schema statements (CREATE/DROP KEYSPACE, TABLE, TYPE; TRUNCATE; USE), CQL types, WITH
// properties, and the statements cqlsim only recognises.
#include <algorithm>
#include <utility>

#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/parser/cql_parser_internal.h"

namespace cqlbulk::sim::internal {
namespace {

constexpr std::string_view kNativeTypes[] = {
    "ascii",  "bigint",    "blob",     "boolean", "counter", "date",     "decimal",
    "double", "duration",  "float",    "inet",    "int",     "smallint", "text",
    "time",   "timestamp", "timeuuid", "tinyint", "uuid",    "varchar",  "varint",
};

bool IsNativeType(std::string_view name) {
  return std::find(std::begin(kNativeTypes), std::end(kNativeTypes), name) !=
         std::end(kNativeTypes);
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  }
  return out;
}

// A replication map key or value as a string: strings unescaped, numbers as written.
bool ScalarText(const Term& term, std::string& out) {
  if (term.kind != TermKind::kLiteral || term.literal_kind == LiteralKind::kNull) {
    return false;
  }
  out = term.literal_kind == LiteralKind::kString ? term.string_value : term.text;
  return true;
}

}  // namespace

Result<Statement> Parser::ParseCreate() {
  size_t start = position();
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("create"));
  if (AcceptKeyword("keyspace") || AcceptKeyword("schema")) {
    return AsStatement(ParseCreateKeyspace());
  }
  if (AcceptKeyword("table") || AcceptKeyword("columnfamily")) {
    return AsStatement(ParseCreateTable());
  }
  if (AcceptKeyword("type")) {
    return AsStatement(ParseCreateType());
  }
  if (AtKeyword("or") && AtKeyword("replace", 1)) {
    pos_ += 2;
  }
  if (AcceptKeyword("custom")) {
    CQLBULK_RETURN_IF_ERROR(ExpectKeyword("index"));
    return ParseUnsupported(start);
  }
  if (AtKeyword("materialized") && AtKeyword("view", 1)) {
    pos_ += 2;
    return ParseUnsupported(start);
  }
  for (std::string_view kind : {"index", "function", "aggregate", "trigger", "role", "user"}) {
    if (AcceptKeyword(kind)) {
      return ParseUnsupported(start);
    }
  }
  return Mismatched("KEYSPACE, TABLE or TYPE");
}

Result<Statement> Parser::ParseDrop() {
  size_t start = position();
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("drop"));
  if (AcceptKeyword("keyspace") || AcceptKeyword("schema")) {
    DropKeyspaceStatement drop;
    CQLBULK_RETURN_IF_ERROR(ParseIfExists(drop.if_exists));
    CQLBULK_ASSIGN_OR_RETURN(drop.keyspace, ParseIdentifier("a keyspace name"));
    return Statement(std::move(drop));
  }
  if (AcceptKeyword("table") || AcceptKeyword("columnfamily")) {
    DropTableStatement drop;
    CQLBULK_RETURN_IF_ERROR(ParseIfExists(drop.if_exists));
    CQLBULK_ASSIGN_OR_RETURN(drop.table, ParseQualifiedName("a table name"));
    return Statement(std::move(drop));
  }
  if (AcceptKeyword("type")) {
    DropTypeStatement drop;
    CQLBULK_RETURN_IF_ERROR(ParseIfExists(drop.if_exists));
    CQLBULK_ASSIGN_OR_RETURN(drop.type, ParseQualifiedName("a type name"));
    return Statement(std::move(drop));
  }
  if (AtKeyword("materialized") && AtKeyword("view", 1)) {
    pos_ += 2;
    return ParseUnsupported(start);
  }
  for (std::string_view kind : {"index", "function", "aggregate", "trigger", "role", "user"}) {
    if (AcceptKeyword(kind)) {
      return ParseUnsupported(start);
    }
  }
  return Mismatched("KEYSPACE, TABLE or TYPE");
}

Result<Statement> Parser::ParseUnsupported(size_t first) {
  UnsupportedStatement unsupported;
  for (size_t i = first; i < position(); ++i) {
    if (!unsupported.kind.empty()) {
      unsupported.kind.push_back(' ');
    }
    unsupported.kind += Upper(tokens_[i].text);
  }
  // The rest is not checked: the statement is refused whatever it says.
  while (Peek().kind != TokenKind::kEnd) {
    Advance();
  }
  return Statement(std::move(unsupported));
}

Result<UseStatement> Parser::ParseUse() {
  UseStatement use;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("use"));
  CQLBULK_ASSIGN_OR_RETURN(use.keyspace, ParseIdentifier("a keyspace name"));
  return use;
}

Result<TruncateStatement> Parser::ParseTruncate() {
  TruncateStatement truncate;
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("truncate"));
  if (!AcceptKeyword("table")) {
    AcceptKeyword("columnfamily");
  }
  CQLBULK_ASSIGN_OR_RETURN(truncate.table, ParseQualifiedName("a table name"));
  return truncate;
}

Result<Property> Parser::ParseProperty(std::vector<Property>& seen) {
  const Token& name_at = Peek();
  Property property;
  CQLBULK_ASSIGN_OR_RETURN(property.name, ParseIdentifier("a property name"));
  for (const Property& other : seen) {
    if (other.name == property.name) {
      return CqlError(name_at.line, name_at.column,
                      "Multiple definition for property '" + property.name + "'");
    }
  }
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol("="));
  const Token& value_at = Peek();
  CQLBULK_ASSIGN_OR_RETURN(property.value, ParseTerm());
  if (!property.value.is_constant) {
    return CqlError(value_at.line, value_at.column,
                    "property '" + property.name +
                        "' must be a constant or a map of constants, "
                        "not '" +
                        property.value.text + "'");
  }
  return property;
}

Result<CreateKeyspaceStatement> Parser::ParseCreateKeyspace() {
  CreateKeyspaceStatement create;
  CQLBULK_RETURN_IF_ERROR(ParseIfNotExists(create.if_not_exists));
  CQLBULK_ASSIGN_OR_RETURN(create.keyspace, ParseIdentifier("a keyspace name"));
  CQLBULK_RETURN_IF_ERROR(ExpectKeyword("with"));
  do {
    const Token& at = Peek();
    CQLBULK_ASSIGN_OR_RETURN(Property property, ParseProperty(create.properties));
    const Term& value = property.value;
    if (property.name == "replication") {
      if (value.kind != TermKind::kMap && value.kind != TermKind::kEmptyBraces) {
        return CqlError(at.line, at.column,
                        "Invalid value for property 'replication'. It should be a map.");
      }
      for (size_t i = 0; i < value.keys.size(); ++i) {
        std::string key;
        std::string text;
        if (!ScalarText(value.keys[i], key) || !ScalarText(value.elements[i], text)) {
          return CqlError(at.line, at.column,
                          "Invalid value for property 'replication': '" + value.text + "'");
        }
        create.replication[key] = text;
      }
    } else if (property.name == "durable_writes") {
      std::string text;
      ScalarText(value, text);
      for (char& c : text) {
        c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      }
      if (text != "true" && text != "false") {
        return CqlError(
            at.line, at.column,
            "Invalid boolean value for property 'durable_writes': '" + value.text + "'");
      }
      create.durable_writes = text == "true";
    } else {
      return CqlError(at.line, at.column, "Unknown property '" + property.name + "'");
    }
    create.properties.push_back(std::move(property));
  } while (AcceptKeyword("and"));
  return create;
}

Result<CreateTableStatement> Parser::ParseCreateTable() {
  CreateTableStatement create;
  CQLBULK_RETURN_IF_ERROR(ParseIfNotExists(create.if_not_exists));
  CQLBULK_ASSIGN_OR_RETURN(create.table, ParseQualifiedName("a table name"));
  const Token& open_at = Peek();
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
  const Token* primary_key_at = nullptr;
  CQLBULK_RETURN_IF_ERROR(ParseTableBody(create, primary_key_at));
  if (primary_key_at == nullptr) {
    return Invalid(open_at, "No PRIMARY KEY specified (exactly one required)");
  }
  auto defined = [&](const std::string& name) {
    return std::any_of(create.columns.begin(), create.columns.end(),
                       [&](const ColumnDefinition& c) { return c.name == name; });
  };
  for (const auto* key_columns : {&create.partition_key, &create.clustering_columns}) {
    for (const std::string& name : *key_columns) {
      if (!defined(name)) {
        return Invalid(*primary_key_at,
                       "Unknown definition " + name + " referenced in PRIMARY KEY");
      }
    }
  }
  if (AcceptKeyword("with")) {
    CQLBULK_RETURN_IF_ERROR(ParseTableOptions(create));
  }
  return create;
}

// After '(': column definitions and PRIMARY KEY clauses up to and including ')'.
Status Parser::ParseTableBody(CreateTableStatement& table, const Token*& primary_key_at) {
  auto note_primary_key = [&](const Token& at) -> Status {
    if (primary_key_at != nullptr) {
      return Invalid(at, "Multiple PRIMARY KEYs specified (exactly one required)");
    }
    primary_key_at = &at;
    return OkStatus();
  };
  do {
    if (AtSymbol(")")) {
      break;  // Cassandra accepts a trailing comma.
    }
    const Token& item_at = Peek();
    if (AtKeyword("primary")) {
      CQLBULK_RETURN_IF_ERROR(note_primary_key(item_at));
      Advance();
      CQLBULK_RETURN_IF_ERROR(ExpectKeyword("key"));
      CQLBULK_RETURN_IF_ERROR(ParsePrimaryKey(table));
      continue;
    }
    ColumnDefinition column;
    CQLBULK_ASSIGN_OR_RETURN(column.name, ParseIdentifier("a column name"));
    for (const ColumnDefinition& other : table.columns) {
      if (other.name == column.name) {
        return Invalid(item_at, "Multiple definition of identifier " + column.name);
      }
    }
    CQLBULK_ASSIGN_OR_RETURN(column.type, ParseType());
    column.is_static = AcceptKeyword("static");
    if (AtKeyword("primary")) {
      CQLBULK_RETURN_IF_ERROR(note_primary_key(Peek()));
      Advance();
      CQLBULK_RETURN_IF_ERROR(ExpectKeyword("key"));
      table.partition_key = {column.name};
    }
    table.columns.push_back(std::move(column));
  } while (AcceptSymbol(","));
  return ExpectSymbol(")");
}

// After PRIMARY KEY: `(pk, c1, ...)` or `((p1, p2), c1, ...)`.
Status Parser::ParsePrimaryKey(CreateTableStatement& table) {
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
  if (AcceptSymbol("(")) {
    do {
      CQLBULK_ASSIGN_OR_RETURN(std::string name, ParseIdentifier("a column name"));
      table.partition_key.push_back(std::move(name));
    } while (AcceptSymbol(","));
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  } else {
    CQLBULK_ASSIGN_OR_RETURN(std::string name, ParseIdentifier("a column name"));
    table.partition_key.push_back(std::move(name));
  }
  while (AcceptSymbol(",")) {
    CQLBULK_ASSIGN_OR_RETURN(std::string name, ParseIdentifier("a column name"));
    table.clustering_columns.push_back(std::move(name));
  }
  return ExpectSymbol(")");
}

Status Parser::ParseTableOptions(CreateTableStatement& table) {
  do {
    const Token& at = Peek();
    if (AtKeyword("clustering") && AtKeyword("order", 1)) {
      pos_ += 2;
      CQLBULK_RETURN_IF_ERROR(ExpectKeyword("by"));
      CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
      CQLBULK_ASSIGN_OR_RETURN(table.clustering_order, ParseOrderings());
      CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
    } else if (AtKeyword("compact") && AtKeyword("storage", 1)) {
      return Invalid(at, "Compact tables are not allowed in Cassandra starting with 4.0 version.");
    } else {
      CQLBULK_ASSIGN_OR_RETURN(Property property, ParseProperty(table.properties));
      table.properties.push_back(std::move(property));
    }
  } while (AcceptKeyword("and"));
  return OkStatus();
}

Result<CreateTypeStatement> Parser::ParseCreateType() {
  CreateTypeStatement create;
  CQLBULK_RETURN_IF_ERROR(ParseIfNotExists(create.if_not_exists));
  CQLBULK_ASSIGN_OR_RETURN(create.type, ParseQualifiedName("a type name"));
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol("("));
  do {
    const Token& at = Peek();
    FieldDefinition field;
    CQLBULK_ASSIGN_OR_RETURN(field.name, ParseIdentifier("a field name"));
    for (const FieldDefinition& other : create.fields) {
      if (other.name == field.name) {
        return Invalid(at, "Duplicate field name " + field.name + " in type " + create.type.name);
      }
    }
    CQLBULK_ASSIGN_OR_RETURN(field.type, ParseType());
    create.fields.push_back(std::move(field));
  } while (AcceptSymbol(","));
  CQLBULK_RETURN_IF_ERROR(ExpectSymbol(")"));
  return create;
}

// A CQL type, returned as normalised text: "map<text, frozen<list<int>>>", "ks.udt".
Result<std::string> Parser::ParseType() {
  NestingScope scope(*this);
  CQLBULK_RETURN_IF_ERROR(scope.Check());
  const Token& token = Peek();
  if (token.kind == TokenKind::kString) {
    Advance();
    return std::string(token.raw);  // a custom type: 'org.example.MyType'
  }
  if (token.kind == TokenKind::kIdentifier && AtSymbol("<", 1)) {
    const std::string name = token.text;
    size_t num_params = 0;
    if (name == "list" || name == "set" || name == "frozen") {
      num_params = 1;
    } else if (name == "map" || name == "vector") {
      num_params = 2;
    } else if (name != "tuple") {
      return NoViable();
    }
    pos_ += 2;
    std::string text = name + "<";
    for (size_t i = 0; num_params == 0 || i < num_params; ++i) {
      if (i > 0) {
        if (num_params == 0 && !AtSymbol(",")) {
          break;
        }
        CQLBULK_RETURN_IF_ERROR(ExpectSymbol(","));
        text += ", ";
      }
      if (name == "vector" && i == 1) {
        if (Peek().kind != TokenKind::kInteger) {
          return Mismatched("a vector dimension");
        }
        text += Advance().text;
        continue;
      }
      CQLBULK_ASSIGN_OR_RETURN(std::string param, ParseType());
      text += param;
    }
    CQLBULK_RETURN_IF_ERROR(ExpectSymbol(">"));
    return text + ">";
  }
  if (token.kind == TokenKind::kIdentifier && IsNativeType(token.text)) {
    return Advance().text;
  }
  CQLBULK_ASSIGN_OR_RETURN(QualifiedName udt, ParseQualifiedName("a type"));
  std::string text = QuoteCqlIdentifier(udt.name);
  return udt.keyspace.empty() ? text : QuoteCqlIdentifier(udt.keyspace) + "." + text;
}

}  // namespace cqlbulk::sim::internal
