// SPDX-License-Identifier: Apache-2.0
// Memory and speed sanity of the storage (not timed asserts). Run with
// --gtest_also_run_disabled_tests to print bytes per row and inserts per second.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>

#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0, resident = 0;
  statm >> pages >> resident;
  return resident * 4096;
}

TEST(EngineMemoryTest, DISABLED_BytesPerRowOfATenColumnTable) {
  EngineFixture f(3, 16);
  f.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  f.Exec("CREATE TABLE ks.t (k bigint PRIMARY KEY, a int, b int, c bigint, d bigint, e double, "
         "f text, g text, h timestamp, i boolean)");
  cql::PreparedResult insert =
      f.Prepare("INSERT INTO ks.t (k, a, b, c, d, e, f, g, h, i) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  constexpr int64_t kRows = 300'000;
  size_t before = ResidentBytes();
  auto start = std::chrono::steady_clock::now();

  for (int64_t k = 0; k < kRows; ++k) {
    Reply reply = f.Execute(insert.id, {Bigint(k), Int(1), Int(2), Bigint(k * 3), Bigint(k * 5), Bigint(k),
                                        Text("name-" + std::to_string(k)), Text("x"), Bigint(1'700'000'000'000),
                                        cql::BoundValue::Of(Bytes{1})});
    ASSERT_FALSE(ErrorOf(reply).has_value());
  }

  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t after = ResidentBytes();
  std::printf("rows: %lld, resident bytes per row: %.1f, inserts/s: %.0f\n",
              static_cast<long long>(kRows), static_cast<double>(after - before) / kRows, kRows / seconds);
  auto scan_start = std::chrono::steady_clock::now();
  Rows count = f.Select("SELECT count(*) FROM ks.t");
  double scan = std::chrono::duration<double>(std::chrono::steady_clock::now() - scan_start).count();
  std::printf("count(*) over %s rows: %.3f s\n", count.Text(0, 0).c_str(), scan);
}

}  // namespace
}  // namespace cqlbulk::sim::testing
