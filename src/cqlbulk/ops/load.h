// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/client/options.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/ops/file_format.h"
#include "cqlbulk/ops/iceberg/source.h"
#include "cqlbulk/ops/progress.h"

namespace cqlbulk::ops {

/// \brief How rows are grouped into UNLOGGED BATCHes.
enum class BatchMode : uint8_t {
  kPartition,  ///< rows of one partition (one replica set, one mutation on the server)
  kReplica,    ///< rows whose partitions share their replicas
  kDisabled,   ///< one INSERT per row
};
/// "partition", "replica" or "disabled"; kInvalidArgument otherwise.
Result<BatchMode> ParseBatchMode(std::string_view name);

/// \brief What to load, from where, and how; a plain aggregate with defaults.
struct LoadOptions {
  client::SessionOptions session;
  std::string keyspace;
  std::string table;
  FileFormat format = FileFormat::kCsv;
  formats::CsvOptions csv;  ///< csv.text also holds the text options of JSON input
  /// A file, a directory (every file in it, sorted by name), a glob (`data/*.csv.gz`), or
  /// "-" for standard input.
  std::string url;
  /// format kIceberg (no url): the table, the snapshot and the row filter.
  IcebergReadOptions iceberg;
  /// nullopt: from each file's extension (".gz", ".zst", ...).
  std::optional<formats::Compression> compression;
  /// column <- source field (CSV header name, or 0-based index without a header; JSON key).
  /// Empty: every column of the table, by its own name.
  std::vector<std::pair<std::string, std::string>> mapping;
  formats::MissingField missing = formats::MissingField::kUnset;
  /// Source fields with each row's TTL (seconds) and write time (microseconds since the
  /// epoch); empty: none. `ttl` is the TTL of every row otherwise (0: none).
  std::string ttl_field;
  std::string writetime_field;
  int32_t ttl = 0;

  BatchMode batch_mode = BatchMode::kPartition;
  int max_batch_statements = 32;
  int concurrency = 32;  ///< requests in flight
  cql::Consistency consistency = cql::Consistency::kLocalOne;
  int write_attempts = 3;  ///< per request, on top of the driver's (1 for counter updates)
  double max_rows_per_second = 0;   ///< 0: unlimited
  double max_bytes_per_second = 0;  ///< of input, as read (before decompression); 0: unlimited
  /// Rejected records allowed before the run stops: a number, or with `max_errors_percent`
  /// a share of the records read. Negative: no limit.
  int64_t max_errors = 100;
  double max_errors_percent = -1;

  std::string log_dir;  ///< empty: a new folder under ./logs
  std::string resume;   ///< continue the interrupted run whose log directory this is

  ProgressListener* progress = nullptr;  ///< not owned; may be null
  const std::atomic<bool>* interrupted = nullptr;  ///< not owned; may be null
  std::function<void(const std::string&)> on_log_dir;  ///< called once with the log directory
};

/// \brief The outcome of a load that ran to the end of its input (or to its error limit).
struct LoadResult {
  int64_t rows = 0;     ///< rows written
  int64_t records = 0;  ///< records read, good and bad
  int64_t rejected = 0; ///< records in the error file (unreadable, or refused by the server)
  bool too_many_errors = false;  ///< stopped at --max-errors
  std::vector<std::string> files;
  uint64_t bytes = 0;  ///< input bytes read
  int64_t requests = 0;  ///< INSERTs and BATCHes sent
  int64_t retries = 0;
  std::string log_dir;
  std::chrono::steady_clock::duration duration{};
  /// format kIceberg: the table and snapshot read, the files planned and pruned.
  std::optional<IcebergScanSummary> iceberg;
};

/// \brief Loads CSV or JSON files into a table, on `session`: prepared INSERTs (counter
/// tables: `UPDATE ... SET c = c + ?`), grouped into UNLOGGED BATCHes per `batch_mode`,
/// routed to a replica, with `concurrency` requests in flight.
///
/// A record that cannot be read or converted, or that the server refuses after retries, goes
/// to the error file of the run's log directory and counts against the limit; good records
/// are never dropped because of bad ones (a refused batch is retried row by row). Progress
/// per file is checkpointed; `resume` continues after the last record known written.
asio::awaitable<Result<LoadResult>> LoadTable(client::Session& session,
                                              const LoadOptions& options);

/// \brief Connects with `options.session`, loads, and closes the session.
Result<LoadResult> LoadSync(LoadOptions options);

}  // namespace cqlbulk::ops
