// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/iceberg/catalog.h"

#include <filesystem>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ops {

namespace fs = std::filesystem;

Result<std::string> IcebergCatalogUri(const IcebergTableOptions& options) {
  if (!options.catalog.empty()) return options.catalog;
  if (options.warehouse.empty()) {
    return InvalidArgument(
        "an Iceberg table needs --warehouse (its catalog is then <warehouse>/catalog.db) or "
        "--catalog");
  }
  std::error_code ec;
  fs::path warehouse = fs::absolute(options.warehouse, ec);
  if (ec) return InvalidArgument("bad --warehouse '" + options.warehouse + "': " + ec.message());
  // SQLAlchemy's form of an absolute path: four slashes.
  return "sqlite:///" + (warehouse.lexically_normal() / "catalog.db").string();
}

Result<std::unique_ptr<iceberg::Catalog>> OpenIcebergCatalog(const IcebergTableOptions& options) {
  CQLBULK_ASSIGN_OR_RETURN(std::string uri, IcebergCatalogUri(options));
  if (options.catalog.empty()) {
    std::error_code ec;
    fs::create_directories(options.warehouse, ec);
    if (ec) {
      return IoError("cannot create the warehouse " + options.warehouse + ": " + ec.message());
    }
  }
  return iceberg::OpenCatalog(uri, options.catalog_name);
}

}  // namespace cqlbulk::ops
