// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/catalog/catalog.h"

#include <utility>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/catalog/sql_catalog.h"
#include "cqlbulk/iceberg/catalog/sql_store.h"

namespace cqlbulk::iceberg {
namespace {

Result<std::vector<std::string>> SplitLevels(std::string_view text, std::string_view what) {
  std::vector<std::string> levels;
  size_t start = 0;
  while (true) {
    const size_t dot = text.find('.', start);
    std::string_view level = text.substr(start, dot - start);
    if (level.empty()) {
      return InvalidArgument(std::string(what) + " '" + std::string(text) +
                             "' has an empty level (levels are separated by single dots)");
    }
    levels.emplace_back(level);
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return levels;
}

// "postgresql://user:secret@host/db" -> "postgresql://user:***@host/db".
std::string HidePassword(std::string_view uri) {
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) return std::string(uri);
  const size_t authority = scheme_end + 3;
  const size_t authority_end = uri.find_first_of("/?#", authority);
  const std::string_view auth = uri.substr(authority, authority_end - authority);
  const size_t at = auth.rfind('@');
  if (at == std::string_view::npos) return std::string(uri);
  const size_t colon = auth.substr(0, at).find(':');
  if (colon == std::string_view::npos) return std::string(uri);
  std::string out(uri.substr(0, authority + colon + 1));
  out += "***";
  out += uri.substr(authority + at);
  return out;
}

Error Unsupported(std::string_view uri, std::string_view why) {
  return InvalidArgument(
      "catalog URI '" + HidePassword(uri) + "' is not supported (" + std::string(why) +
      "): use sqlite:///relative/path.db, sqlite:////absolute/path.db, a path ending in .db, "
      "or postgresql://user:password@host:port/database");
}

Result<std::unique_ptr<Catalog>> OpenSql(Result<std::unique_ptr<SqlStore>> store,
                                         std::string_view catalog_name) {
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<SqlStore> opened, std::move(store));
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<SqlCatalog> catalog,
                           SqlCatalog::Open(std::move(opened), std::string(catalog_name)));
  return std::unique_ptr<Catalog>(std::move(catalog));
}

}  // namespace

Result<Namespace> ParseNamespace(std::string_view text) {
  if (text.empty()) return InvalidArgument("namespace is empty");
  return SplitLevels(text, "namespace");
}

std::string NamespaceToString(const Namespace& ns) {
  std::string out;
  for (size_t i = 0; i < ns.size(); ++i) {
    if (i > 0) out += '.';
    out += ns[i];
  }
  return out;
}

Result<TableIdentifier> TableIdentifier::Parse(std::string_view text) {
  if (text.empty()) return InvalidArgument("table identifier is empty");
  CQLBULK_ASSIGN_OR_RETURN(std::vector<std::string> levels,
                           SplitLevels(text, "table identifier"));
  if (levels.size() < 2) {
    return InvalidArgument("table identifier '" + std::string(text) +
                           "' has no namespace: write namespace.table");
  }
  TableIdentifier id;
  id.name = std::move(levels.back());
  levels.pop_back();
  id.ns = std::move(levels);
  return id;
}

std::string TableIdentifier::ToString() const { return NamespaceToString(ns) + "." + name; }

Result<std::unique_ptr<Catalog>> OpenCatalog(std::string_view uri,
                                             std::string_view catalog_name) {
  const std::string display = HidePassword(uri);
  if (catalog_name.empty()) {
    return InvalidArgument("catalog " + display + ": the catalog name is empty");
  }
  const size_t scheme_end = uri.find("://");
  if (scheme_end == std::string_view::npos) {
    if (uri.size() > 3 && uri.ends_with(".db")) {
      return OpenSql(OpenSqliteStore(std::string(uri), display), catalog_name);
    }
    return Unsupported(uri, "no scheme, and not a path ending in .db");
  }
  const std::string_view scheme = uri.substr(0, scheme_end);
  const std::string_view rest = uri.substr(scheme_end + 3);
  if (scheme == "sqlite" || scheme == "sqlite+pysqlite") {
    // SQLAlchemy: sqlite:// is a database in memory; sqlite:///x is the relative path x and
    // sqlite:////x the absolute path /x (the host part is empty).
    if (rest.empty()) return OpenSql(OpenSqliteStore(":memory:", display), catalog_name);
    if (rest.front() != '/') return Unsupported(uri, "a SQLite URI has no host");
    const std::string_view path = rest.substr(1);
    if (path.empty()) return Unsupported(uri, "no database path");
    if (path.find('?') != std::string_view::npos) {
      return Unsupported(uri, "query parameters are not supported for SQLite");
    }
    return OpenSql(OpenSqliteStore(std::string(path), display), catalog_name);
  }
  // SQLAlchemy names the driver after a '+' (postgresql+psycopg2); libpq wants the bare scheme.
  const std::string_view dialect = scheme.substr(0, scheme.find('+'));
  if (dialect == "postgresql" || dialect == "postgres") {
    if (rest.empty()) return Unsupported(uri, "no host or database");
    std::string conninfo = "postgresql://" + std::string(rest);
    // A host that drops packets would otherwise hold the run for the system's TCP timeout.
    if (conninfo.find("connect_timeout=") == std::string::npos) {
      conninfo += conninfo.find('?') == std::string::npos ? "?" : "&";
      conninfo += "connect_timeout=30";
    }
    return OpenSql(OpenPostgresStore(conninfo, display), catalog_name);
  }
  return Unsupported(uri, "unknown scheme '" + std::string(scheme) + "'");
}

}  // namespace cqlbulk::iceberg
