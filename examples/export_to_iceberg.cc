// SPDX-License-Identifier: Apache-2.0
// Exporting a Cassandra table to an Apache Iceberg table with the library, as the seed's
// `export_to_iceberg` example does: store.orders, partitioned by day(order_date), into the
// table `lake.orders` of a warehouse directory (its SQLite catalog at <warehouse>/catalog.db,
// which PyIceberg's SqlCatalog opens as it is). Prints the snapshot committed.
//
//   build/examples/export_to_iceberg 127.0.0.1 ./iceberg_warehouse [NS.TABLE [PORT]]
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cqlbulk/ops/iceberg/export.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: %s HOST WAREHOUSE [NS.TABLE [PORT]]\n", argv[0]);
    return 2;
  }
  cqlbulk::ops::UnloadOptions options;
  options.session.contact_points = {argv[1]};
  if (argc > 4) options.session.port = static_cast<uint16_t>(std::atoi(argv[4]));
  options.keyspace = "store";
  options.table = "orders";
  options.iceberg.table.warehouse = argv[2];
  options.iceberg.table.table = argc > 3 ? argv[3] : "lake.orders";
  options.iceberg.partition_by = "day(order_date)";
  options.iceberg.mode = cqlbulk::ops::IcebergMode::kAppend;

  auto result = cqlbulk::ops::ExportToIceberg(options);
  if (!result) {
    std::fprintf(stderr, "export failed: %s\n", result.error().ToString().c_str());
    return 1;
  }
  const cqlbulk::ops::IcebergExportResult& snapshot = *result->iceberg;
  std::printf("exported %lld rows of store.orders to %s: snapshot %lld, %lld data files%s\n",
              static_cast<long long>(result->rows), snapshot.table.c_str(),
              static_cast<long long>(snapshot.snapshot_id),
              static_cast<long long>(snapshot.data_files),
              snapshot.created ? " (table created)" : "");
  std::printf("metadata: %s\n", snapshot.metadata_location.c_str());
  return 0;
}
