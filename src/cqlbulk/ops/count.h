// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/client/options.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/ops/progress.h"

namespace cqlbulk::ops {

using CountProgress = Progress;

/// \brief How each range is counted.
enum class CountMethod : uint8_t {
  kAuto,        ///< kCountStar unless top partitions are asked for (see count.cc)
  kCountStar,   ///< `SELECT count(*) ... WHERE token(pk) > ? AND token(pk) <= ?`
  kStreamKeys,  ///< stream the partition key columns and count them on the client
};

/// \brief What to count and how; a plain aggregate with defaults.
struct CountOptions {
  client::SessionOptions session;
  std::string keyspace;
  std::string table;
  /// Token-range pieces to query; 0: 128 per host (and never fewer than the natural ranges).
  int splits = 0;
  /// Ranges queried at once (worker coroutines pulling from one queue).
  int concurrency = 16;
  cql::Consistency consistency = cql::Consistency::kLocalOne;
  int32_t page_size = 5000;
  bool stats_hosts = true;   ///< fill CountResult::host_rows
  bool stats_ranges = true;  ///< fill CountResult::range_rows
  /// The N largest partitions by rows (0: off; forces kStreamKeys).
  int top_partitions = 0;
  CountMethod method = CountMethod::kAuto;
  /// Attempts per page on top of the driver's own retries, before the range counts as failed.
  int page_attempts = 3;
  ProgressListener* progress = nullptr;  ///< not owned; may be null
  /// Not owned; may be null. Once it reads true no further range is started, and the count
  /// ends with kCancelled after the ranges in flight (e.g. set from a SIGINT handler).
  const std::atomic<bool>* interrupted = nullptr;
};

/// \brief Rows of one queried range, (start, end].
struct RangeCount {
  std::string start;
  std::string end;
  int64_t rows = 0;
  std::string host;  ///< the coordinator that answered its last page
};

/// \brief One partition and its rows (CQL literals of its key columns, ", "-separated).
struct PartitionCount {
  std::string key;
  int64_t rows = 0;
};

/// \brief The outcome of a successful count: every range was counted.
struct CountResult {
  int64_t rows = 0;
  /// Coordinator endpoint -> rows of the pages it served (with stats_hosts).
  std::map<std::string, int64_t> host_rows;
  std::vector<RangeCount> range_rows;  ///< in token order (with stats_ranges)
  std::vector<PartitionCount> top_partitions; ///< largest first
  size_t ranges = 0;
  int replicas = 0;     ///< replicas of a range (the most of any range), all data centers
  int64_t retries = 0;  ///< retried attempts (driver and ops)
  int64_t errors = 0;   ///< failed attempts that a retry then made good
  CountMethod method = CountMethod::kAuto;  ///< the method used
  std::chrono::steady_clock::duration duration{};
};

/// \brief Parses a consistency level as cqlsh spells it ("LOCAL_ONE", "quorum"; any case).
/// kInvalidArgument naming the accepted levels otherwise.
Result<cql::Consistency> ParseConsistency(std::string_view name);

/// The level's name as cqlsh spells it ("LOCAL_ONE").
std::string_view ConsistencyName(cql::Consistency level);

/// "count(*)" or "stream-keys" (for summaries).
std::string_view CountMethodName(CountMethod method);
/// Parses "auto", "count" (or "count(*)") and "stream" (or "stream-keys"); kInvalidArgument
/// naming the accepted methods otherwise.
Result<CountMethod> ParseCountMethod(std::string_view name);

/// \brief Counts the rows of a table over the token ring, on `session`.
///
/// Plans (natural ranges, unwrapped, split, grouped by replica set, coverage verified), then
/// queries each range at a replica with bounded concurrency. If any range still fails after
/// retries, the result is an Error naming the failed range(s) and the cause — never a partial
/// total. kNotFound for an unknown keyspace or table; kUnimplemented for a partitioner other
/// than Murmur3; otherwise the driver's error codes.
asio::awaitable<Result<CountResult>> CountTable(client::Session& session,
                                                const CountOptions& options);

/// \brief Connects with `options.session`, counts, and closes the session.
asio::awaitable<Result<CountResult>> Count(CountOptions options);

/// \brief Count() run to completion from synchronous code (not from a driver I/O thread).
Result<CountResult> CountSync(CountOptions options);

}  // namespace cqlbulk::ops
