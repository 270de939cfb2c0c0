// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/catalog/catalog.h"
#include "cqlbulk/iceberg/metadata/table_metadata.h"
#include "cqlbulk/iceberg/spec/schema.h"

namespace cqlbulk::iceberg {

/// \brief A table as a catalog has it now: its identifier, where its current metadata file is,
/// and what that file says.
struct Table {
  TableIdentifier id;
  std::string metadata_location;
  TableMetadata metadata;
};

/// \brief The table's current metadata, read from the location the catalog gives.
/// kNotFound naming the table (from the catalog) or the metadata file; kCorrupt and kIo from
/// reading it.
Result<Table> LoadTable(Catalog& catalog, const TableIdentifier& id);

/// \brief Where a new table goes in a warehouse directory, as PyIceberg's SqlCatalog puts it:
/// `<warehouse>/<ns>.db/<table>` (the namespace's levels joined with ".").
std::string DefaultTableLocation(std::string_view warehouse, const TableIdentifier& id);

/// \brief Creates an empty table (no snapshot): its metadata `00000-<uuid>.metadata.json` in
/// `<location>/metadata/` (MakeNewTableMetadata: schema 0, spec 0, field ids the schema's), then
/// registered in the catalog, its namespace created first when absent.
///
/// kAlreadyExists when the table exists (the metadata file just written is removed again);
/// kInvalidArgument when the spec does not fit the schema; kIo from writing.
Result<Table> CreateTable(Catalog& catalog, const TableIdentifier& id, std::string location,
                          Schema schema, PartitionSpec spec,
                          std::map<std::string, std::string> properties = {});

/// \brief Creates `ns` when it does not exist (PyIceberg's `exists = true` row); a namespace
/// another writer creates meanwhile is fine.
Status EnsureNamespace(Catalog& catalog, const Namespace& ns);

}  // namespace cqlbulk::iceberg
