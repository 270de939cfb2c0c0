// SPDX-License-Identifier: Apache-2.0
// count(*) against streaming keys on 200,000 rows (127.0.56.x). A measurement, not a check:
// it runs only with CQLBULK_COUNT_TIMING=1 and prints the times.
#include <cstdlib>
#include <iostream>

#include "ops_fixture.h"

namespace cqlbulk::ops {
namespace {

TEST(CountTimingTest, CountStarAgainstStreamingKeys) {
  if (std::getenv("CQLBULK_COUNT_TIMING") == nullptr) {
    GTEST_SKIP() << "set CQLBULK_COUNT_TIMING=1 to measure";
  }
  constexpr int kRows = 200000;
  constexpr char kAddress[] = "127.0.56.1";
  auto cluster = sim::Cluster::Start(test::SimOptions(kAddress, 3, 16));
  ASSERT_TRUE(cluster.has_value()) << cluster.error().ToString();
  auto session = client::RunSync(client::Session::Connect(test::ClientOptions(kAddress)));
  ASSERT_TRUE(session.has_value()) << session.error().ToString();
  CQLBULK_ASSERT_OK(test::Execute(**session, "CREATE KEYSPACE ks WITH replication = {'class': "
                                             "'SimpleStrategy', 'replication_factor': 1}"));
  CQLBULK_ASSERT_OK(test::Execute(**session, "CREATE TABLE ks.t (k int PRIMARY KEY, v int)"));
  CQLBULK_ASSERT_OK(test::InsertRows(**session, "INSERT INTO ks.t (k, v) VALUES (?, ?)", kRows,
                                     [](int i) {
                                       return std::vector<cql::BoundValue>{cql::BoundValue::Int(i),
                                                                           cql::BoundValue::Int(i)};
                                     }));

  for (int round = 0; round < 3; ++round) {
    for (CountMethod method : {CountMethod::kCountStar, CountMethod::kStreamKeys}) {
      CountOptions options;
      options.keyspace = "ks";
      options.table = "t";
      options.method = method;
      auto counted = CountTable(**session, options) ;
      auto result = client::RunSync(std::move(counted));
      ASSERT_TRUE(result.has_value()) << result.error().ToString();
      EXPECT_EQ(result->rows, kRows);
      std::cout << CountMethodName(method) << ": " << result->ranges << " ranges, "
                << std::chrono::duration<double, std::milli>(result->duration).count()
                << " ms\n";
    }
  }
  (*session)->Close();
  (void)(*cluster)->Stop();
}

}  // namespace
}  // namespace cqlbulk::ops
