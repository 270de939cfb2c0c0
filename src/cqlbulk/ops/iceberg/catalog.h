// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <memory>
#include <string>

#include "cqlbulk/core/result.h"
#include "cqlbulk/iceberg/catalog/catalog.h"

namespace cqlbulk::ops {

/// \brief Which Iceberg table an unload writes or a load reads, and through which catalog
/// (`--warehouse`, `--catalog`, `--catalog-name`, `--iceberg-table`).
struct IcebergTableOptions {
  /// The warehouse directory: new tables go to `<warehouse>/<namespace>.db/<table>`.
  std::string warehouse;
  /// The catalog's URI as PyIceberg's SqlCatalog takes it (iceberg::OpenCatalog); empty: the
  /// SQLite file `<warehouse>/catalog.db`.
  std::string catalog;
  /// The catalog's name (rows of other catalogs in the same database are not seen); PyIceberg
  /// users pass it to load_catalog().
  std::string catalog_name = "default";
  /// The table, "namespace.table" (or "a.b.table").
  std::string table;
};

/// \brief The catalog URI `options` names: `catalog`, or `sqlite:////<absolute warehouse>/
/// catalog.db`. kInvalidArgument when neither --catalog nor --warehouse is given.
Result<std::string> IcebergCatalogUri(const IcebergTableOptions& options);

/// \brief Opens the catalog `options` names (creating the warehouse directory when the catalog
/// is the default SQLite file in it). Errors name the flag or the URI.
Result<std::unique_ptr<iceberg::Catalog>> OpenIcebergCatalog(const IcebergTableOptions& options);

}  // namespace cqlbulk::ops
