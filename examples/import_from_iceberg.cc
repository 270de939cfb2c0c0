// SPDX-License-Identifier: Apache-2.0
// Loading an Apache Iceberg table into a Cassandra table with the library: the counterpart of
// `export_to_iceberg`. Reads the current snapshot of `lake.orders` in a warehouse directory
// (its SQLite catalog at <warehouse>/catalog.db, as export_to_iceberg and PyIceberg's
// SqlCatalog make it) into `store.orders_from_iceberg`, which must exist with columns named as
// the Iceberg table's fields. Prints the rows loaded and the snapshot read.
//
//   build/examples/import_from_iceberg 127.0.0.1 ./iceberg_warehouse [NS.TABLE [KS.TABLE [PORT]]]
//
// `cqlbulk load --format iceberg` is the same from the command line; its --snapshot-id, --as-of
// and --filter are options.iceberg.snapshot_id, .as_of_ms and .filter here.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cqlbulk/ops/load.h"

int main(int argc, char** argv) {
  if (argc < 3 || argc > 6) {
    std::fprintf(stderr, "usage: %s HOST WAREHOUSE [NS.TABLE [KS.TABLE [PORT]]]\n", argv[0]);
    return 2;
  }
  const std::string target = argc > 4 ? argv[4] : "store.orders_from_iceberg";
  const size_t dot = target.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == target.size()) {
    std::fprintf(stderr, "KS.TABLE: expected keyspace.table, got '%s'\n", target.c_str());
    return 2;
  }

  cqlbulk::ops::LoadOptions options;
  options.session.contact_points = {argv[1]};
  if (argc > 5) options.session.port = static_cast<uint16_t>(std::atoi(argv[5]));
  options.keyspace = target.substr(0, dot);
  options.table = target.substr(dot + 1);
  options.format = cqlbulk::ops::FileFormat::kIceberg;
  options.iceberg.table.warehouse = argv[2];
  options.iceberg.table.table = argc > 3 ? argv[3] : "lake.orders";
  // Unset: the current snapshot, every row. options.iceberg.snapshot_id = 123; or
  // options.iceberg.as_of_ms = ...; options.iceberg.filter = "region = 'eu'";

  auto result = cqlbulk::ops::LoadSync(options);
  if (!result) {
    std::fprintf(stderr, "load failed: %s\n", result.error().ToString().c_str());
    return 1;
  }
  const cqlbulk::ops::IcebergScanSummary& scan = *result->iceberg;
  const std::string snapshot = scan.snapshot_id ? std::to_string(*scan.snapshot_id) : "none";
  std::printf("loaded %lld rows of %s (snapshot %s) into %s: %lld data files, %lld rejected\n",
              static_cast<long long>(result->rows), scan.table.c_str(), snapshot.c_str(),
              target.c_str(), static_cast<long long>(scan.files_planned),
              static_cast<long long>(result->rejected));
  std::printf("log directory: %s\n", result->log_dir.c_str());
  return result->rejected == 0 && !result->too_many_errors ? 0 : 1;
}
