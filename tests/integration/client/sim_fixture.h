// SPDX-License-Identifier: Apache-2.0
// An in-process cqlsim cluster for driver tests, and helpers to run driver coroutines.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/cql/types/value.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/sim/server/cluster.h"
#include "testing/matchers.h"

namespace cqlbulk::client::test {

inline sim::ClusterOptions SimOptions(const std::string& first_address, uint32_t nodes = 3) {
  sim::ClusterOptions options;
  options.nodes = nodes;
  options.vnodes = 16;
  options.first_address = first_address;
  options.port = 9042;
  options.io_threads = 2;
  return options;
}

inline SessionOptions ClientOptions(const std::string& contact_point) {
  SessionOptions options;
  options.contact_points = {contact_point};
  options.io_threads = 2;
  options.connections_per_host = 2;
  options.request_timeout = std::chrono::milliseconds(5000);
  options.connect_timeout = std::chrono::milliseconds(3000);
  options.reconnect_base_delay = std::chrono::milliseconds(50);
  options.reconnect_max_delay = std::chrono::milliseconds(500);
  return options;
}

inline Result<std::unique_ptr<Session>> ConnectSync(SessionOptions options) {
  return RunSync(Session::Connect(std::move(options)));
}

inline Result<ResultPage> ExecuteSync(Session& session, Statement statement) {
  return RunSync(session.Execute(std::move(statement)));
}

inline Result<ResultPage> ExecuteSync(Session& session, const std::string& query) {
  return RunSync(session.Execute(Statement::Query(query)));
}

/// Every row of a page, decoded (test sizes only).
inline std::vector<std::vector<cql::Value>> DecodeRows(const ResultPage& page) {
  std::vector<std::vector<cql::Value>> out;
  const cql::RowsResult& rows = page.rows();
  cql::RowsCursor cursor = rows.cursor();
  while (true) {
    auto more = cursor.Next();
    EXPECT_TRUE(more.has_value());
    if (!more.has_value() || !*more) break;
    std::vector<cql::Value> row;
    for (size_t i = 0; i < cursor.num_columns(); ++i) {
      auto v = cql::DecodeNullableValue(*rows.metadata.columns[i].type, cursor.cell(i));
      row.push_back(v.has_value() ? std::move(*v) : cql::Value::Null());
    }
    out.push_back(std::move(row));
  }
  return out;
}

/// A cluster per test suite, started once.
class SimClusterTest : public ::testing::Test {
 protected:
  static std::unique_ptr<sim::Cluster>& cluster() {
    static std::unique_ptr<sim::Cluster> c;
    return c;
  }
  static void StartCluster(sim::ClusterOptions options) {
    auto started = sim::Cluster::Start(std::move(options));
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    cluster() = std::move(*started);
  }
  static void StopCluster() {
    if (cluster()) {
      (void)cluster()->Stop();
      cluster().reset();
    }
  }
};

}  // namespace cqlbulk::client::test
