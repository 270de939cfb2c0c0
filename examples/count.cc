// SPDX-License-Identifier: Apache-2.0
// Counting a table with the library, as the seed's example does with the Python driver: one
// count over the token ring, then the rows each replica host served.
//
//   build/examples/count 127.0.0.1 demo events
#include <cstdio>
#include <string>

#include "cqlbulk/ops/count.h"

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: %s HOST KEYSPACE TABLE\n", argv[0]);
    return 2;
  }
  cqlbulk::ops::CountOptions options;
  options.session.contact_points = {argv[1]};
  options.keyspace = argv[2];
  options.table = argv[3];
  options.concurrency = 32;

  auto result = cqlbulk::ops::CountSync(options);
  if (!result) {
    std::fprintf(stderr, "count failed: %s\n", result.error().ToString().c_str());
    return 1;
  }
  std::printf("%lld rows in %zu ranges\n", static_cast<long long>(result->rows), result->ranges);
  for (const auto& [host, rows] : result->host_rows) {
    std::printf("  %s: %lld\n", host.c_str(), static_cast<long long>(rows));
  }
  return 0;
}
