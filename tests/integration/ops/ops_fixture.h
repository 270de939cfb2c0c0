// SPDX-License-Identifier: Apache-2.0
// In-process cqlsim clusters for ops tests (127.0.50.x-127.0.59.x) and fast data loading.
#pragma once

#include <gtest/gtest.h>

#include <asio/experimental/as_tuple.hpp>

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/core/bytes.h"
#include "cqlbulk/ops/count.h"
#include "cqlbulk/sim/server/cluster.h"
#include "testing/matchers.h"

namespace cqlbulk::ops::test {

inline sim::ClusterOptions SimOptions(const std::string& first_address, uint32_t nodes,
                                      uint32_t vnodes, uint32_t datacenters = 1) {
  sim::ClusterOptions options;
  options.nodes = nodes;
  options.vnodes = vnodes;
  options.datacenters = datacenters;
  options.first_address = first_address;
  options.port = 9042;
  options.io_threads = 2;
  return options;
}

inline client::SessionOptions ClientOptions(const std::string& contact_point) {
  client::SessionOptions options;
  options.contact_points = {contact_point};
  options.io_threads = 2;
  options.connections_per_host = 1;
  options.request_timeout = std::chrono::milliseconds(5000);
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.reconnect_base_delay = std::chrono::milliseconds(50);
  options.reconnect_max_delay = std::chrono::milliseconds(500);
  return options;
}

inline CountOptions MakeCountOptions(const std::string& contact_point, std::string keyspace,
                                     std::string table) {
  CountOptions options;
  options.session = ClientOptions(contact_point);
  options.keyspace = std::move(keyspace);
  options.table = std::move(table);
  return options;
}

inline Status Execute(client::Session& session, const std::string& query) {
  auto page = client::RunSync(session.Execute(client::Statement::Query(query)));
  if (!page.has_value()) return Unexpected(std::move(page.error()));
  return {};
}

/// Runs the prepared `query` once per i in [0, n) with values(i), 64 at a time.
inline Status InsertRows(client::Session& session, const std::string& query, int n,
                         std::function<std::vector<cql::BoundValue>(int)> values) {
  auto prepared = client::RunSync(session.Prepare(query));
  if (!prepared.has_value()) return Unexpected(std::move(prepared.error()));
  asio::io_context context(1);
  std::atomic<int> next{0};
  std::optional<Error> failure;
  auto worker = [&]() -> asio::awaitable<void> {
    for (int i = next++; i < n && !failure; i = next++) {
      auto page = co_await session.Execute(client::Statement::Execute(*prepared, values(i)));
      if (!page.has_value()) failure = page.error();
    }
  };
  for (int w = 0; w < 64; ++w) asio::co_spawn(context, worker(), asio::detached);
  context.run();
  if (failure) return Unexpected(std::move(*failure));
  return {};
}

/// Sum of cqlsim's coordinator counters over every node.
inline sim::NodeStats TotalStats(sim::Cluster& cluster) {
  sim::NodeStats total;
  for (ring::HostIndex i = 0; i < cluster.num_nodes(); ++i) {
    sim::NodeStats s = cluster.engine().stats(i);
    total.requests += s.requests;
    total.routed_requests += s.routed_requests;
    total.replica_requests += s.replica_requests;
  }
  return total;
}

/// Checks that the per-host and per-range counts add up to the total.
inline void ExpectConsistent(const CountResult& result) {
  int64_t by_host = 0;
  for (const auto& [host, rows] : result.host_rows) by_host += rows;
  int64_t by_range = 0;
  for (const auto& r : result.range_rows) by_range += r.rows;
  EXPECT_EQ(by_host, result.rows);
  EXPECT_EQ(by_range, result.rows);
  EXPECT_EQ(result.range_rows.size(), result.ranges);
}

}  // namespace cqlbulk::ops::test
