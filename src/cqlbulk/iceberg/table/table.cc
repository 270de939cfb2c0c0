// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/iceberg/table/table.h"

#include <unistd.h>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/iceberg/metadata/location.h"

namespace cqlbulk::iceberg {

Result<Table> LoadTable(Catalog& catalog, const TableIdentifier& id) {
  CQLBULK_ASSIGN_OR_RETURN(std::string location, catalog.LoadTable(id));
  Result<TableMetadata> metadata = ReadTableMetadata(location);
  if (!metadata.has_value()) {
    return Error(metadata.error().code(), "table " + id.ToString() + ": " +
                                              metadata.error().message());
  }
  return Table{id, std::move(location), std::move(*metadata)};
}

std::string DefaultTableLocation(std::string_view warehouse, const TableIdentifier& id) {
  return JoinLocation(JoinLocation(warehouse, NamespaceToString(id.ns) + ".db"), id.name);
}

Status EnsureNamespace(Catalog& catalog, const Namespace& ns) {
  CQLBULK_ASSIGN_OR_RETURN(bool exists, catalog.NamespaceExists(ns));
  if (exists) return {};
  Status created = catalog.CreateNamespace(ns, {});
  if (!created.has_value() && created.error().code() != ErrorCode::kAlreadyExists) return created;
  return {};
}

Result<Table> CreateTable(Catalog& catalog, const TableIdentifier& id, std::string location,
                          Schema schema, PartitionSpec spec,
                          std::map<std::string, std::string> properties) {
  CQLBULK_ASSIGN_OR_RETURN(TableMetadata metadata,
                           MakeNewTableMetadata(std::move(location), std::move(schema),
                                                std::move(spec), std::move(properties)));
  // Refuse early, before any file is written; the catalog's own check below decides races.
  Result<std::string> existing = catalog.LoadTable(id);
  if (existing.has_value()) {
    return AlreadyExists("table " + id.ToString() + " already exists (metadata at " + *existing +
                         ")");
  }
  if (existing.error().code() != ErrorCode::kNotFound) return Unexpected(existing.error());
  CQLBULK_RETURN_IF_ERROR(EnsureNamespace(catalog, id.ns));
  std::string metadata_location = NextMetadataLocation(metadata);
  CQLBULK_RETURN_IF_ERROR(WriteTableMetadata(metadata, metadata_location));
  Status registered = catalog.CreateTable(id, metadata_location);
  if (!registered.has_value()) {
    if (Result<std::string> path = LocalPath(metadata_location); path.has_value()) {
      ::unlink(path->c_str());  // nobody refers to it
    }
    return Unexpected(registered.error());
  }
  return Table{id, std::move(metadata_location), std::move(metadata)};
}

}  // namespace cqlbulk::iceberg
