// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/catalog/catalog.h"
#include "cqlbulk/iceberg/catalog/sql_store.h"

namespace cqlbulk::iceberg {

/// \brief The SQL catalog of PyIceberg's SqlCatalog and Iceberg's JdbcCatalog, over a SqlStore.
///
/// Two tables, shared with those tools (and with other catalogs, told apart by catalog_name):
///   iceberg_tables (catalog_name, table_namespace, table_name, metadata_location,
///                   previous_metadata_location [, iceberg_type])
///   iceberg_namespace_properties (catalog_name, namespace, property_key, property_value)
/// They are created as PyIceberg 0.12 creates them (with iceberg_type, JdbcCatalog's "V1"
/// schema) when absent, and used as they are when present: without iceberg_type ("V0", as
/// older tools made them) rows are all tables; with it, rows of type 'VIEW' are not tables.
/// Namespace levels are joined with ".". A commit is one UPDATE guarded by the expected
/// metadata_location, atomic in every database.
class SqlCatalog final : public Catalog {
 public:
  /// \brief Opens the catalog catalog_name in store, creating the two tables when absent.
  static Result<std::unique_ptr<SqlCatalog>> Open(std::unique_ptr<SqlStore> store,
                                                  std::string catalog_name);

  const std::string& name() const override { return name_; }
  Status CreateNamespace(const Namespace& ns, const NamespaceProperties& properties) override;
  Result<bool> NamespaceExists(const Namespace& ns) override;
  Result<std::vector<Namespace>> ListNamespaces(const Namespace& parent) override;
  Result<NamespaceProperties> LoadNamespaceProperties(const Namespace& ns) override;
  Result<std::vector<TableIdentifier>> ListTables(const Namespace& ns) override;
  Result<std::string> LoadTable(const TableIdentifier& id) override;
  Status CreateTable(const TableIdentifier& id, std::string_view metadata_location) override;
  Status CommitTable(const TableIdentifier& id, std::string_view expected_location,
                     std::string_view new_location) override;
  Status DropTable(const TableIdentifier& id) override;

  /// Whether iceberg_tables has the iceberg_type column (JdbcCatalog's V1 schema).
  bool has_iceberg_type() const { return has_iceberg_type_; }

 private:
  SqlCatalog(std::unique_ptr<SqlStore> store, std::string name)
      : store_(std::move(store)), name_(std::move(name)) {}

  Status CreateTablesIfAbsent();
  Status CheckNamespace(const Namespace& ns) const;
  Status CheckIdentifier(const TableIdentifier& id) const;
  Status RequireNamespace(const Namespace& ns);
  /// " AND (iceberg_type = 'TABLE' OR iceberg_type IS NULL)" on a V1 schema, else "".
  std::string_view TableFilter() const;
  /// "catalog NAME (URI)" for messages.
  std::string Where() const;

  std::unique_ptr<SqlStore> store_;
  std::string name_;
  bool has_iceberg_type_ = false;
};

}  // namespace cqlbulk::iceberg
