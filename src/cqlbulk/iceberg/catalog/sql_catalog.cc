// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/catalog/sql_catalog.h"

#include <algorithm>
#include <set>
#include <utility>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::iceberg {
namespace {

// The tables as PyIceberg 0.12's SqlCatalog creates them (SQLAlchemy's DDL for its models in
// pyiceberg/catalog/sql.py); JdbcCatalog's V1 schema has the same columns.
constexpr std::string_view kCreateTables =
    "CREATE TABLE IF NOT EXISTS iceberg_tables ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "table_namespace VARCHAR(255) NOT NULL, "
    "table_name VARCHAR(255) NOT NULL, "
    "metadata_location VARCHAR(1000), "
    "previous_metadata_location VARCHAR(1000), "
    "iceberg_type VARCHAR(5), "
    "PRIMARY KEY (catalog_name, table_namespace, table_name))";
constexpr std::string_view kCreateNamespaceProperties =
    "CREATE TABLE IF NOT EXISTS iceberg_namespace_properties ("
    "catalog_name VARCHAR(255) NOT NULL, "
    "namespace VARCHAR(255) NOT NULL, "
    "property_key VARCHAR(255) NOT NULL, "
    "property_value VARCHAR(1000) NOT NULL, "
    "PRIMARY KEY (catalog_name, namespace, property_key))";

constexpr std::string_view kTableType = "TABLE";

// A LIKE pattern matching the namespaces strictly below ns, with '!' escaping LIKE's wildcards
// (as PyIceberg does). Only a pre-filter: SQLite's LIKE ignores ASCII case, so rows are checked
// again with IsSameOrBelow.
std::string BelowPattern(const std::string& ns) {
  std::string out;
  for (char c : ns) {
    if (c == '!' || c == '_' || c == '%') out += '!';
    out += c;
  }
  return out + ".%";
}

bool IsSameOrBelow(std::string_view candidate, std::string_view ns) {
  return candidate == ns || (candidate.size() > ns.size() && candidate.starts_with(ns) &&
                             candidate[ns.size()] == '.');
}

Namespace SplitNamespace(std::string_view text) {
  Namespace levels;
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    levels.emplace_back(text.substr(start, dot - start));
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return levels;
}

std::vector<SqlValue> Params(std::initializer_list<std::string_view> values) {
  std::vector<SqlValue> out;
  out.reserve(values.size());
  for (std::string_view v : values) out.emplace_back(std::string(v));
  return out;
}

}  // namespace

Result<std::unique_ptr<SqlCatalog>> SqlCatalog::Open(std::unique_ptr<SqlStore> store,
                                                     std::string catalog_name) {
  if (catalog_name.empty()) {
    return InvalidArgument("catalog " + store->display() + ": the catalog name is empty");
  }
  std::unique_ptr<SqlCatalog> catalog(new SqlCatalog(std::move(store), std::move(catalog_name)));
  CQLBULK_RETURN_IF_ERROR(catalog->CreateTablesIfAbsent());
  CQLBULK_ASSIGN_OR_RETURN(catalog->has_iceberg_type_,
                           catalog->store_->ColumnExists("iceberg_tables", "iceberg_type"));
  return catalog;
}

Status SqlCatalog::CreateTablesIfAbsent() {
  const std::pair<std::string_view, std::string_view> tables[] = {
      {"iceberg_tables", kCreateTables},
      {"iceberg_namespace_properties", kCreateNamespaceProperties}};
  for (const auto& [table, ddl] : tables) {
    CQLBULK_ASSIGN_OR_RETURN(bool exists, store_->TableExists(table));
    if (exists) continue;
    Result<SqlResult> created = store_->Execute(ddl, {});
    if (!created) {
      // Another process may have created it at the same moment (PostgreSQL then reports a
      // unique violation in its own catalog even with IF NOT EXISTS).
      CQLBULK_ASSIGN_OR_RETURN(bool now_exists, store_->TableExists(table));
      if (!now_exists) return std::move(created).error();
    }
  }
  return OkStatus();
}

std::string SqlCatalog::Where() const {
  return "catalog " + name_ + " (" + store_->display() + ")";
}

std::string_view SqlCatalog::TableFilter() const {
  return has_iceberg_type_ ? " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)" : "";
}

Status SqlCatalog::CheckNamespace(const Namespace& ns) const {
  if (ns.empty()) return InvalidArgument(Where() + ": a namespace needs at least one level");
  for (const std::string& level : ns) {
    if (level.empty() || level.find('.') != std::string::npos) {
      return InvalidArgument(Where() + ": namespace level '" + level + "' of '" +
                             NamespaceToString(ns) +
                             "' must be non-empty and hold no '.' (levels are joined with '.')");
    }
  }
  return OkStatus();
}

Status SqlCatalog::CheckIdentifier(const TableIdentifier& id) const {
  CQLBULK_RETURN_IF_ERROR(CheckNamespace(id.ns));
  if (id.name.empty()) {
    return InvalidArgument(Where() + ": table name in namespace '" + NamespaceToString(id.ns) +
                           "' is empty");
  }
  return OkStatus();
}

Status SqlCatalog::RequireNamespace(const Namespace& ns) {
  CQLBULK_ASSIGN_OR_RETURN(bool exists, NamespaceExists(ns));
  if (!exists) {
    return NotFound("namespace " + NamespaceToString(ns) + " does not exist in " + Where());
  }
  return OkStatus();
}

Status SqlCatalog::CreateNamespace(const Namespace& ns, const NamespaceProperties& properties) {
  CQLBULK_RETURN_IF_ERROR(CheckNamespace(ns));
  CQLBULK_ASSIGN_OR_RETURN(bool exists, NamespaceExists(ns));
  const std::string text = NamespaceToString(ns);
  if (exists) return AlreadyExists("namespace " + text + " already exists in " + Where());
  // PyIceberg's minimal property: a namespace without properties would have no row at all.
  const NamespaceProperties minimal = {{"exists", "true"}};
  const NamespaceProperties& rows = properties.empty() ? minimal : properties;
  CQLBULK_RETURN_IF_ERROR(store_->BeginWrite());
  for (const auto& [key, value] : rows) {
    Result<SqlResult> inserted = store_->Execute(
        "INSERT INTO iceberg_namespace_properties "
        "(catalog_name, namespace, property_key, property_value) VALUES ($1, $2, $3, $4)",
        Params({name_, text, key, value}));
    if (!inserted) {
      (void)store_->Execute("ROLLBACK", {});
      if (inserted.error().code() == ErrorCode::kAlreadyExists) {
        return AlreadyExists("namespace " + text + " already exists in " + Where());
      }
      return std::move(inserted).error();
    }
  }
  Result<SqlResult> committed = store_->Execute("COMMIT", {});
  if (!committed) {
    (void)store_->Execute("ROLLBACK", {});
    return std::move(committed).error();
  }
  return OkStatus();
}

Result<bool> SqlCatalog::NamespaceExists(const Namespace& ns) {
  CQLBULK_RETURN_IF_ERROR(CheckNamespace(ns));
  const std::string text = NamespaceToString(ns);
  const std::vector<SqlValue> params = Params({name_, text, BelowPattern(text)});
  // As PyIceberg decides: a namespace exists when it, or one below it, has a table (of any
  // type) or a property row.
  for (std::string_view sql :
       {"SELECT table_namespace FROM iceberg_tables WHERE catalog_name = $1 AND "
        "(table_namespace = $2 OR table_namespace LIKE $3 ESCAPE '!')",
        "SELECT namespace FROM iceberg_namespace_properties WHERE catalog_name = $1 AND "
        "(namespace = $2 OR namespace LIKE $3 ESCAPE '!')"}) {
    CQLBULK_ASSIGN_OR_RETURN(SqlResult r, store_->Execute(sql, params));
    for (const auto& row : r.rows) {
      if (row[0] && IsSameOrBelow(*row[0], text)) return true;
    }
  }
  return false;
}

Result<std::vector<Namespace>> SqlCatalog::ListNamespaces(const Namespace& parent) {
  if (!parent.empty()) CQLBULK_RETURN_IF_ERROR(RequireNamespace(parent));
  CQLBULK_ASSIGN_OR_RETURN(
      SqlResult r,
      store_->Execute("SELECT table_namespace FROM iceberg_tables WHERE catalog_name = $1 "
                      "UNION SELECT namespace FROM iceberg_namespace_properties "
                      "WHERE catalog_name = $1",
                      Params({name_})));
  std::set<Namespace> children;
  for (const auto& row : r.rows) {
    if (!row[0]) continue;
    Namespace levels = SplitNamespace(*row[0]);
    if (levels.size() <= parent.size() ||
        !std::equal(parent.begin(), parent.end(), levels.begin())) {
      continue;
    }
    levels.resize(parent.size() + 1);
    children.insert(std::move(levels));
  }
  return std::vector<Namespace>(children.begin(), children.end());
}

Result<NamespaceProperties> SqlCatalog::LoadNamespaceProperties(const Namespace& ns) {
  CQLBULK_RETURN_IF_ERROR(RequireNamespace(ns));
  CQLBULK_ASSIGN_OR_RETURN(
      SqlResult r, store_->Execute("SELECT property_key, property_value FROM "
                                   "iceberg_namespace_properties WHERE catalog_name = $1 AND "
                                   "namespace = $2",
                                   Params({name_, NamespaceToString(ns)})));
  NamespaceProperties properties;
  for (auto& row : r.rows) {
    // JdbcCatalog's own DDL lets both be NULL.
    if (row[0]) properties[*row[0]] = row[1].value_or("");
  }
  return properties;
}

Result<std::vector<TableIdentifier>> SqlCatalog::ListTables(const Namespace& ns) {
  CQLBULK_RETURN_IF_ERROR(RequireNamespace(ns));
  CQLBULK_ASSIGN_OR_RETURN(
      SqlResult r,
      store_->Execute("SELECT table_name FROM iceberg_tables WHERE catalog_name = $1 AND "
                      "table_namespace = $2" +
                          std::string(TableFilter()),
                      Params({name_, NamespaceToString(ns)})));
  std::vector<TableIdentifier> tables;
  for (auto& row : r.rows) {
    if (row[0]) tables.push_back(TableIdentifier{ns, std::move(*row[0])});
  }
  std::sort(tables.begin(), tables.end(),
            [](const TableIdentifier& a, const TableIdentifier& b) { return a.name < b.name; });
  return tables;
}

Result<std::string> SqlCatalog::LoadTable(const TableIdentifier& id) {
  CQLBULK_RETURN_IF_ERROR(CheckIdentifier(id));
  CQLBULK_ASSIGN_OR_RETURN(
      SqlResult r,
      store_->Execute("SELECT metadata_location FROM iceberg_tables WHERE catalog_name = $1 AND "
                      "table_namespace = $2 AND table_name = $3" +
                          std::string(TableFilter()),
                      Params({name_, NamespaceToString(id.ns), id.name})));
  if (r.rows.empty()) {
    return NotFound("table " + id.ToString() + " does not exist in " + Where());
  }
  if (!r.rows[0][0] || r.rows[0][0]->empty()) {
    return Corrupt("table " + id.ToString() + " in " + Where() + " has no metadata location");
  }
  return std::move(*r.rows[0][0]);
}

Status SqlCatalog::CreateTable(const TableIdentifier& id, std::string_view metadata_location) {
  CQLBULK_RETURN_IF_ERROR(CheckIdentifier(id));
  if (metadata_location.empty()) {
    return InvalidArgument("table " + id.ToString() + " in " + Where() +
                           ": the metadata location is empty");
  }
  CQLBULK_RETURN_IF_ERROR(RequireNamespace(id.ns));
  std::vector<SqlValue> params = Params({name_, NamespaceToString(id.ns), id.name,
                                         metadata_location});
  std::string sql =
      "INSERT INTO iceberg_tables (catalog_name, table_namespace, table_name, "
      "metadata_location, previous_metadata_location";
  if (has_iceberg_type_) {
    sql += ", iceberg_type) VALUES ($1, $2, $3, $4, NULL, $5)";
    params.emplace_back(std::string(kTableType));
  } else {
    sql += ") VALUES ($1, $2, $3, $4, NULL)";
  }
  Result<SqlResult> inserted = store_->Execute(sql, params);
  if (!inserted) {
    if (inserted.error().code() == ErrorCode::kAlreadyExists) {
      return AlreadyExists("table " + id.ToString() + " already exists in " + Where());
    }
    return std::move(inserted).error();
  }
  return OkStatus();
}

Status SqlCatalog::CommitTable(const TableIdentifier& id, std::string_view expected_location,
                               std::string_view new_location) {
  CQLBULK_RETURN_IF_ERROR(CheckIdentifier(id));
  if (new_location.empty()) {
    return InvalidArgument("table " + id.ToString() + " in " + Where() +
                           ": the new metadata location is empty");
  }
  // One statement, so the check and the swap are atomic in every database (JdbcCatalog's
  // DO_COMMIT_SQL): a concurrent committer's UPDATE waits for ours and then matches no row.
  CQLBULK_ASSIGN_OR_RETURN(
      SqlResult r,
      store_->Execute("UPDATE iceberg_tables SET metadata_location = $1, "
                      "previous_metadata_location = $2 WHERE catalog_name = $3 AND "
                      "table_namespace = $4 AND table_name = $5 AND metadata_location = $6" +
                          std::string(TableFilter()),
                      Params({new_location, expected_location, name_, NamespaceToString(id.ns),
                              id.name, expected_location})));
  if (r.changed == 1) return OkStatus();
  CQLBULK_ASSIGN_OR_RETURN(std::string current, LoadTable(id));
  return Conflict("commit to table " + id.ToString() + " in " + Where() +
                  " lost a race: its metadata location is now '" + current +
                  "', not the expected '" + std::string(expected_location) + "'");
}

Status SqlCatalog::DropTable(const TableIdentifier& id) {
  CQLBULK_RETURN_IF_ERROR(CheckIdentifier(id));
  CQLBULK_ASSIGN_OR_RETURN(
      SqlResult r,
      store_->Execute("DELETE FROM iceberg_tables WHERE catalog_name = $1 AND "
                      "table_namespace = $2 AND table_name = $3" +
                          std::string(TableFilter()),
                      Params({name_, NamespaceToString(id.ns), id.name})));
  if (r.changed == 0) {
    return NotFound("table " + id.ToString() + " does not exist in " + Where());
  }
  return OkStatus();
}

}  // namespace cqlbulk::iceberg
