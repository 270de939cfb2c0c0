// SPDX-License-Identifier: Apache-2.0
// Writing rows with the library's driver: creates KEYSPACE.events (demo.events by default) and
// fills it with ROWS rows, a
// partition per sensor (sensor s has s % 50 + 1 readings, so partitions differ in size), each
// partition written as one UNLOGGED BATCH of prepared INSERTs routed to its replicas, with
// CONCURRENCY batches in flight. The demo and the benchmarks use it to load cqlsim quickly.
//
//   build/examples/fill 127.0.0.1 1000000 [CONCURRENCY [KEYSPACE]]
#include <asio.hpp>
#include <asio/experimental/as_tuple.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/core/macros.h"

namespace {

using cqlbulk::Result;
using cqlbulk::Status;
namespace client = cqlbulk::client;
namespace cql = cqlbulk::cql;

/// Hands out partitions (sensors) until `rows` rows are given; workers share it on one strand.
struct Plan {
  int64_t rows = 0;
  int64_t given = 0;
  int32_t next_sensor = 0;
  Status first_error;
};

asio::awaitable<void> Worker(client::Session& session, client::PreparedPtr insert, Plan& plan) {
  while (plan.given < plan.rows && plan.first_error.has_value()) {
    int32_t sensor = plan.next_sensor++;
    int32_t readings =
        static_cast<int32_t>(std::min<int64_t>(sensor % 50 + 1, plan.rows - plan.given));
    plan.given += readings;
    client::Batch batch;
    batch.type = cql::BatchType::kUnlogged;
    batch.is_idempotent = true;  // same rows, same values: safe to write twice
    for (int32_t seq = 0; seq < readings; ++seq) {
      batch.entries.push_back({.query = {},
                               .prepared = insert,
                               .values = {cql::BoundValue::Int(sensor), cql::BoundValue::Int(seq),
                                          cql::BoundValue::Double(seq * 0.5),
                                          cql::BoundValue::Text("reading " + std::to_string(seq))}});
    }
    auto written = co_await session.ExecuteBatch(std::move(batch));
    if (!written.has_value() && plan.first_error.has_value()) {
      plan.first_error = cqlbulk::Unexpected(std::move(written.error()));
    }
  }
}

asio::awaitable<Status> Fill(client::Session& session, int64_t rows, int concurrency,
                             const std::string& keyspace) {
  for (const std::string& ddl :
       {"CREATE KEYSPACE IF NOT EXISTS " + keyspace +
            " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 2}",
        "CREATE TABLE IF NOT EXISTS " + keyspace +
            ".events (sensor int, seq int, reading double, note text, "
            "PRIMARY KEY (sensor, seq))"}) {
    CQLBULK_CO_RETURN_IF_ERROR(co_await session.Execute(ddl));
  }
  CQLBULK_CO_ASSIGN_OR_RETURN(
      client::PreparedPtr insert,
      co_await session.Prepare("INSERT INTO " + keyspace +
                               ".events (sensor, seq, reading, note) VALUES (?, ?, ?, ?)"));
  Plan plan;
  plan.rows = rows;
  // Every worker runs on one strand, so the plan needs no lock.
  auto strand = asio::make_strand(session.executor());
  auto running = std::make_shared<int>(concurrency);
  asio::steady_timer done(strand, std::chrono::steady_clock::time_point::max());
  for (int i = 0; i < concurrency; ++i) {
    asio::co_spawn(strand, Worker(session, insert, plan), [&, running](std::exception_ptr) {
      if (--*running == 0) done.cancel();
    });
  }
  co_await asio::co_spawn(
      strand,
      [&]() -> asio::awaitable<void> {
        if (*running > 0) co_await done.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      },
      asio::use_awaitable);
  co_return plan.first_error;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 5) {
    std::fprintf(stderr, "usage: %s HOST ROWS [CONCURRENCY [KEYSPACE]]\n", argv[0]);
    return 2;
  }
  const int64_t rows = std::atoll(argv[2]);
  const int concurrency = argc >= 4 ? std::atoi(argv[3]) : 64;
  const std::string keyspace = argc == 5 ? argv[4] : "demo";
  if (rows < 0 || concurrency < 1) {
    std::fprintf(stderr, "%s: ROWS must be >= 0 and CONCURRENCY >= 1\n", argv[0]);
    return 2;
  }
  auto start = std::chrono::steady_clock::now();
  client::SessionOptions options;
  options.contact_points = {argv[1]};
  Status status = client::RunSync([&]() -> asio::awaitable<Status> {
    CQLBULK_CO_ASSIGN_OR_RETURN(auto session, co_await client::Session::Connect(options));
    Status filled = co_await Fill(*session, rows, concurrency, keyspace);
    session->Close();
    co_return filled;
  }());
  if (!status.has_value()) {
    std::fprintf(stderr, "fill failed: %s\n", status.error().ToString().c_str());
    return 1;
  }
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("inserted %lld rows into %s.events in %.1f s (%.0f rows/s)\n",
              static_cast<long long>(rows), keyspace.c_str(), seconds,
              static_cast<double>(rows) / seconds);
  return 0;
}
