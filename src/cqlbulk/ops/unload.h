// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <asio.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cqlbulk/client/options.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/notation.h"
#include "cqlbulk/formats/csv/csv_options.h"
#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/ops/file_format.h"
#include "cqlbulk/ops/iceberg/export_options.h"
#include "cqlbulk/ops/progress.h"

namespace cqlbulk::ops {

/// \brief What to unload, where, and how; a plain aggregate with defaults.
struct UnloadOptions {
  client::SessionOptions session;
  std::string keyspace;
  std::string table;
  /// Columns to unload, in this order; empty: every column of the table.
  std::vector<std::string> columns;
  /// A custom SELECT instead of the table. With the named markers `:start` and `:end`
  /// (`WHERE token(k) > :start AND token(k) <= :end`) it is run over the token ring like a
  /// table (then `keyspace` must be the keyspace it reads); without, it runs once, as it is.
  std::string query;
  /// Add `writetime_<c>` / `ttl_<c>` after the columns, for every regular or static column
  /// whose write time CQL can select (not the key, counters or non-frozen collections).
  bool include_writetime = false;
  bool include_ttl = false;

  FileFormat format = FileFormat::kCsv;
  formats::CsvOptions csv;  ///< csv.text also holds the text options of JSON output
  /// A directory (files `output-000001.csv[.gz]`, ...) or "-" for standard output.
  std::string url;
  int64_t max_records_per_file = 0;  ///< 0: no limit
  formats::Compression compression = formats::Compression::kNone;
  /// The codec's level; nullopt: the codec's default, but xz at level 1 (each worker has its
  /// own encoder, and xz's default level 6 takes about 94 MiB; level 1 about 9 MiB).
  std::optional<int> compression_level;
  /// Parquet output (FileFormat::kParquet): the page codec, type mapping and sizes. `compression`
  /// and `compression_level` do not apply to it: the codec is `parquet.codec`.
  formats::parquet::WriterOptions parquet;
  /// FileFormat::kIceberg: the table, mode and partitioning (`url` is not used); the data
  /// files are Parquet written with `parquet`'s codec and sizes and the Iceberg type mapping of
  /// `parquet.mapping`'s choices.
  IcebergExportOptions iceberg;

  int splits = 0;        ///< 0: 128 per host (and never fewer than the natural ranges)
  int concurrency = 8;   ///< ranges read at once; also the most files open at once
  cql::Consistency consistency = cql::Consistency::kLocalOne;
  int32_t page_size = 5000;
  int page_attempts = 3;   ///< per page, on top of the driver's retries
  int range_attempts = 3;  ///< a range whose page failed every attempt is rewritten anew
  double max_rows_per_second = 0;   ///< 0: unlimited
  double max_bytes_per_second = 0;  ///< of output, before compression; 0: unlimited
  /// Parquet and Iceberg: the rows of the ranges being read that the workers hold together
  /// (each its share), at most. A file must not keep part of a range that fails, so a worker
  /// holds a range's rows until they are read; past its share it cuts the range between two
  /// partitions, writes the rows before the cut as a range of their own and reads on (a
  /// table's unload; a --query's is written into a file of its own instead).
  size_t held_rows_memory = size_t{8} << 20;

  /// The run's log directory; empty: a new folder under ./logs.
  std::string log_dir;
  /// Continue the interrupted run whose log directory this is (its checkpoint's plan).
  std::string resume;

  ProgressListener* progress = nullptr;  ///< not owned; may be null
  /// Not owned; may be null. Once true, no new range starts; the run ends kCancelled and can
  /// be resumed.
  const std::atomic<bool>* interrupted = nullptr;
  /// Called once with the log directory's path when it exists (so a user knows where to look
  /// even if the run then fails). May be empty.
  std::function<void(const std::string&)> on_log_dir;
};

/// \brief The outcome of an unload.
struct UnloadResult {
  int64_t rows = 0;
  uint64_t bytes = 0;       ///< text written, before compression (Parquet: file bytes)
  size_t ranges = 0;        ///< ranges of the plan (1 for a query run as it is)
  size_t ranges_cut = 0;    ///< ranges cut in two while read (held_rows_memory), in `ranges`
  size_t ranges_resumed = 0;  ///< of them, done by the run that was resumed
  std::vector<std::string> files;  ///< written, in order (none for standard output)
  int64_t retries = 0;
  int64_t errors = 0;  ///< failed attempts that a retry then made good
  /// Parquet: values an engine-friendly type mapping changed (rounded decimals, ...).
  int64_t values_changed = 0;
  std::string log_dir;
  std::chrono::steady_clock::duration duration{};
  /// FileFormat::kIceberg: the snapshot committed.
  std::optional<IcebergExportResult> iceberg;
};

/// \brief Unloads a table (or a query) into CSV, JSON or Parquet files, range by range over
/// the token ring, on `session`.
///
/// Every range goes to one worker's file as compressed frames of its own; the range's end is
/// the commit point: a range that fails part-way is cut out of the file and read again, so
/// the output never holds a partial or repeated range (README.md, "unload: no partial
/// ranges"). If a range still fails, the result is an Error naming it, and the run can be
/// resumed from its log directory.
asio::awaitable<Result<UnloadResult>> UnloadTable(client::Session& session,
                                                  const UnloadOptions& options);

/// \brief Connects with `options.session`, unloads, and closes the session.
Result<UnloadResult> UnloadSync(UnloadOptions options);

}  // namespace cqlbulk::ops
