// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"

namespace cqlbulk::iceberg {

/// \brief A namespace's levels, outermost first ("a.b" is {"a", "b"}).
using Namespace = std::vector<std::string>;

/// \brief Namespace properties: key to value.
using NamespaceProperties = std::map<std::string, std::string>;

/// \brief Parses "a" or "a.b": levels are joined with "." in SQL catalogs (PyIceberg's SqlCatalog
/// and Iceberg's JdbcCatalog), so no level may be empty.
///
/// Fails with kInvalidArgument naming the text.
Result<Namespace> ParseNamespace(std::string_view text);

/// \brief "a.b" for {"a", "b"}.
std::string NamespaceToString(const Namespace& ns);

/// \brief A table: its namespace (at least one level) and its name.
struct TableIdentifier {
  Namespace ns;
  std::string name;

  /// \brief Parses "ns.t" or "a.b.t": the last level is the table's name, the others its
  /// namespace. Fails with kInvalidArgument for a name without a namespace or an empty level.
  static Result<TableIdentifier> Parse(std::string_view text);

  /// "a.b.t"
  std::string ToString() const;

  friend bool operator==(const TableIdentifier&, const TableIdentifier&) = default;
};

/// \brief Where each table's current metadata file is, and the atomic swap that commits a new
/// one (Iceberg spec, "Metastore Tables": a commit is a compare-and-swap of that pointer).
///
/// A catalog holds one connection: it is not thread-safe; open one per thread or process
/// (they serialise their commits through the database). Errors name the catalog's URI (with
/// any password hidden) and the namespace or table concerned.
class Catalog {
 public:
  virtual ~Catalog() = default;

  /// The catalog's name: rows of other catalogs in the same database are invisible.
  virtual const std::string& name() const = 0;

  /// \brief Creates a namespace with its properties ({"exists": "true"} when empty, as
  /// PyIceberg does). kAlreadyExists when it exists.
  virtual Status CreateNamespace(const Namespace& ns, const NamespaceProperties& properties) = 0;

  /// \brief Whether ns exists: it, or a namespace below it, has a property row or a table.
  virtual Result<bool> NamespaceExists(const Namespace& ns) = 0;

  /// \brief The namespaces one level below parent (the top level for an empty parent), sorted.
  /// kNotFound when parent is not empty and does not exist.
  virtual Result<std::vector<Namespace>> ListNamespaces(const Namespace& parent) = 0;

  /// \brief The namespace's properties. kNotFound when it does not exist.
  virtual Result<NamespaceProperties> LoadNamespaceProperties(const Namespace& ns) = 0;

  /// \brief The tables directly in ns, sorted by name. kNotFound when ns does not exist.
  virtual Result<std::vector<TableIdentifier>> ListTables(const Namespace& ns) = 0;

  /// \brief The table's current metadata location. kNotFound naming the table.
  virtual Result<std::string> LoadTable(const TableIdentifier& id) = 0;

  /// \brief Registers a table whose metadata file is at metadata_location. kAlreadyExists when
  /// the table exists; kNotFound when its namespace does not.
  virtual Status CreateTable(const TableIdentifier& id, std::string_view metadata_location) = 0;

  /// \brief Atomically moves the table's pointer from expected_location to new_location
  /// (keeping expected_location as the previous one).
  ///
  /// kConflict when the table's location is no longer expected_location (another writer
  /// committed first: reload, rebase and retry); nothing changes then. kNotFound when the table
  /// does not exist.
  virtual Status CommitTable(const TableIdentifier& id, std::string_view expected_location,
                             std::string_view new_location) = 0;

  /// \brief Removes the table from the catalog; its metadata and data files stay.
  /// kNotFound when it does not exist.
  virtual Status DropTable(const TableIdentifier& id) = 0;
};

/// \brief Opens (creating its tables when absent) the SQL catalog named catalog_name at uri.
///
/// uri is what PyIceberg's SqlCatalog takes (SQLAlchemy URLs), so users paste the same one:
///   - `sqlite:///relative/path.db`, `sqlite:////absolute/path.db`, `sqlite://` (in memory),
///     or a plain path ending in ".db";
///   - `postgresql://user:password@host:port/database` (also `postgres://` and
///     `postgresql+psycopg2://`, any `+driver`), with libpq's query parameters.
/// kInvalidArgument for any other URI or an empty catalog name; kIo when the SQLite file's
/// directory does not exist or the file is not a database; kUnavailable when PostgreSQL
/// cannot be reached. Each message names the URI, password hidden.
Result<std::unique_ptr<Catalog>> OpenCatalog(std::string_view uri, std::string_view catalog_name);

}  // namespace cqlbulk::iceberg
