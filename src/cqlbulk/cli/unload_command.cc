// SPDX-License-Identifier: Apache-2.0
// `cqlbulk unload`: a table (or a query) to CSV or JSON files, range by range over the ring.
#include <nlohmann/json.hpp>

#include <fstream>
#include <charconv>
#include <iomanip>
#include <sstream>

#include "cqlbulk/cli/commands.h"
#include "cqlbulk/cli/connection_flags.h"
#include "cqlbulk/cli/file_flags.h"
#include "cqlbulk/cli/progress_display.h"
#include "cqlbulk/ops/count.h"
#include "cqlbulk/ops/iceberg/export.h"
#include "cqlbulk/ops/unload.h"

namespace cqlbulk::cli {
namespace {

std::vector<std::string> SplitList(const std::string& list) {
  std::vector<std::string> items;
  std::stringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

std::string SummaryJson(const ops::UnloadResult& r, const ops::UnloadOptions& o) {
  double seconds = std::chrono::duration<double>(r.duration).count();
  nlohmann::ordered_json doc = {
      {"operation", "unload"},
      {"keyspace", o.keyspace},
      {"table", o.table},
      {"rows", r.rows},
      {"bytes", r.bytes},
      {"errors", 0},
      {"files", r.files},
      {"ranges", r.ranges},
      {"ranges_resumed", r.ranges_resumed},
      {"ranges_cut", r.ranges_cut},
      {"retries", r.retries},
      {"failed_attempts", r.errors},
      {"consistency", std::string(ops::ConsistencyName(o.consistency))},
      {"duration_seconds", seconds},
      {"rows_per_second", seconds > 0 ? static_cast<double>(r.rows) / seconds : 0.0},
      {"log_dir", r.log_dir}};
  if (r.iceberg) {
    doc["iceberg"] = {{"table", r.iceberg->table},
                      {"snapshot_id", r.iceberg->snapshot_id},
                      {"metadata_location", r.iceberg->metadata_location},
                      {"data_files", r.iceberg->data_files},
                      {"rows", r.iceberg->rows},
                      {"commit_attempts", r.iceberg->commit_attempts},
                      {"created", r.iceberg->created},
                      {"already_committed", r.iceberg->already_committed}};
  }
  return doc.dump(2) + "\n";
}

}  // namespace

ExitCode UnloadCommand(std::span<const std::string> args, Console& console) {
  ops::UnloadOptions options;
  std::string columns;
  int64_t splits = 0, concurrency = options.concurrency, max_records = 0, page_size = 5000;
  int64_t compression_level = -1;
  std::string parquet_decimal, mode = "append";
  int64_t checkpoint_bytes = options.iceberg.checkpoint_bytes;
  auto partition_memory = static_cast<int64_t>(options.iceberg.partition_memory);
  bool parquet_varint_decimal = false, parquet_micros = false;
  FlagSet flags;
  ConnectionFlags connection;
  connection.AddTo(flags);
  FileFlags files;
  files.AddTo(flags, "");
  flags.AddString("parquet-decimal", "P,S",
                  "Parquet: decimals as DECIMAL(P, S), rounded half even (default: exact text)",
                  &parquet_decimal);
  flags.AddSwitch("parquet-varint-decimal",
                  "Parquet: varints as DECIMAL(38, 0) (default: exact text)",
                  &parquet_varint_decimal);
  flags.AddSwitch("parquet-micros",
                  "Parquet: times and timestamps in microseconds (default: time in nanoseconds, "
                  "timestamps in milliseconds, as CQL keeps them)",
                  &parquet_micros);
  flags.AddString("partition-by", "SPEC",
                  "Iceberg: a new table's partitioning, e.g. 'day(order_date),bucket(16,id)' "
                  "(identity, year, month, day, hour, bucket(N,c), truncate(W,c)); an existing "
                  "table keeps its own (a different one is an error)",
                  &options.iceberg.partition_by);
  flags.AddString("mode", "M",
                  "Iceberg: append (default; the table is created when absent), create, or "
                  "overwrite (the rows replace the table's)",
                  &mode);
  flags.AddInt("partition-memory", "BYTES",
               "Iceberg: rows waiting for their partition's file, all partitions together; past "
               "it they are set aside on disk until the files are written (default 32 MiB)",
               &partition_memory, 1, INT64_MAX);
  flags.AddInt("checkpoint-bytes", "N",
               "Iceberg: write the data files (one a partition) and checkpoint their ranges "
               "every N bytes read (default 1 GiB)",
               &checkpoint_bytes, 1, INT64_MAX);
  flags.AddString("columns", "LIST", "columns to unload, in order (default: all)", &columns);
  flags.AddString("query", "CQL",
                  "a SELECT to unload instead; with :start and :end (token(k) > :start AND "
                  "token(k) <= :end) it runs over the ring like a table",
                  &options.query);
  flags.AddSwitch("include-writetime", "add writetime_<c> for each regular column",
                  &options.include_writetime);
  flags.AddSwitch("include-ttl", "add ttl_<c> for each regular column", &options.include_ttl);
  flags.AddInt("splits", "N", "token-range pieces to read (default 128 per host)", &splits, 1,
               1 << 24);
  flags.AddInt("concurrency", "N", "ranges read at once, one file each (default 8)",
               &concurrency, 1, 1024);
  flags.AddInt("page-size", "N", "rows per page (default 5000)", &page_size, 1, 1 << 20);
  auto held_rows_memory = static_cast<int64_t>(options.held_rows_memory);
  flags.AddInt("held-rows-memory", "BYTES",
               "Parquet and Iceberg: rows of the ranges being read held at once, all workers "
               "together; past its share a worker cuts its range between partitions (default "
               "8 MiB)",
               &held_rows_memory, 1, INT64_MAX);
  flags.AddInt("compression-level", "N",
               "the codec's level (default: its tool's, but xz 1: one encoder per file written "
               "at once)",
               &compression_level, 0, 22);
  flags.AddInt("max-records-per-file", "N", "start a new file after N records (default: no limit)",
               &max_records, 1, INT64_MAX);
  if (auto done = ParseCommandFlags(
          flags, args,
          "cqlbulk unload --hosts H -k KS -t TABLE --url DIR|- [--format csv|json|parquet] "
          "[options]",
          "Unloads a table (or a query) to CSV, JSON or Parquet files: output-000001.csv, ...\n"
          "in DIR, or standard output for '--url -' (CSV and JSON). Reads the token ring range\n"
          "by range at replicas; a range is written whole or not at all, so an interrupted run\n"
          "resumes exactly.",
          console)) {
    return *done;
  }
  auto format = files.Format();
  if (!format) return ReportError(format.error(), console);
  const bool iceberg = *format == ops::FileFormat::kIceberg;
  if (!connection.has_hosts() || (files.url.empty() && !iceberg) ||
      (options.query.empty() && (files.keyspace.empty() || files.table.empty()))) {
    return ReportError(
        InvalidArgument("unload needs --hosts, --url (or --format iceberg), and --keyspace with "
                        "--table (or --query)"),
        console);
  }
  auto csv = files.Csv();
  if (!csv) return ReportError(csv.error(), console);
  // Iceberg data files are Parquet: the codec and type mapping flags apply to them.
  const bool parquet = *format == ops::FileFormat::kParquet || iceberg;
  // Parquet compresses its pages (snappy by default), text formats their whole files.
  auto compression = formats::ParseCompression(
      parquet || files.compression.empty() ? "none" : files.compression);
  if (!compression) return ReportError(compression.error(), console);
  if (parquet) {
    auto codec = ops::ParseParquetCodec(files.compression.empty() ? "snappy" : files.compression);
    if (!codec) return ReportError(codec.error(), console);
    options.parquet.codec = *codec;
    if (compression_level >= 0) {
      options.parquet.compression_level = static_cast<int>(compression_level);
    }
    if (!parquet_decimal.empty()) {
      std::vector<std::string> ps = SplitList(parquet_decimal);
      int32_t precision = 0, scale = -1;
      auto number = [](const std::string& text, int32_t& out) {
        auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
        return ec == std::errc() && end == text.data() + text.size();
      };
      if (ps.size() != 2 || !number(ps[0], precision) || !number(ps[1], scale)) {
        return ReportError(InvalidArgument("--parquet-decimal wants P,S (say 38,10), not '" +
                                           parquet_decimal + "'"),
                           console);
      }
      options.parquet.mapping.decimal_precision = precision;
      options.parquet.mapping.decimal_scale = scale;
    }
    options.parquet.mapping.big_integer_as_decimal = parquet_varint_decimal;
    if (parquet_micros) {
      options.parquet.mapping.time_unit = formats::parquet::TimeUnit::kMicros;
      options.parquet.mapping.timestamp_unit = formats::parquet::TimeUnit::kMicros;
    }
    options.parquet.created_by = "cqlbulk";
  }
  auto level = ops::ParseConsistency(files.consistency);
  if (!level) return ReportError(level.error(), console);
  auto session = connection.ToSessionOptions();
  if (!session) return ReportError(session.error(), console);
  options.session = std::move(*session);
  options.format = *format;
  options.csv = *csv;
  options.compression = *compression;
  if (compression_level >= 0) options.compression_level = static_cast<int>(compression_level);
  options.url = files.url;
  if (iceberg) {
    auto parsed_mode = ops::ParseIcebergMode(mode);
    if (!parsed_mode) return ReportError(parsed_mode.error(), console);
    options.iceberg.mode = *parsed_mode;
    options.iceberg.table = files.iceberg;
    options.iceberg.checkpoint_bytes = checkpoint_bytes;
    options.iceberg.partition_memory = static_cast<size_t>(partition_memory);
  }
  options.columns = SplitList(columns);
  options.splits = static_cast<int>(splits);
  options.concurrency = static_cast<int>(concurrency);
  options.page_size = static_cast<int32_t>(page_size);
  options.held_rows_memory = static_cast<size_t>(held_rows_memory);
  options.consistency = *level;
  options.max_records_per_file = max_records;
  options.keyspace = files.keyspace;
  options.table = files.table;
  options.max_rows_per_second = static_cast<double>(files.max_rows_per_second);
  options.max_bytes_per_second = static_cast<double>(files.max_bytes_per_second);
  options.log_dir = files.log_dir;
  options.resume = files.resume;
  options.interrupted = console.interrupted;
  options.on_log_dir = [&](const std::string& dir) {
    console.err << "log directory: " << dir << "\n";
  };
  ProgressDisplay progress(console.err, "ranges");
  if (console.is_terminal) options.progress = &progress;

  auto unloaded = ops::UnloadSync(options);
  progress.Finish();
  if (!unloaded) return ReportError(unloaded.error(), console);
  double seconds = std::chrono::duration<double>(unloaded->duration).count();
  console.err << "unloaded " << unloaded->rows << " rows in " << unloaded->ranges << " ranges";
  if (unloaded->ranges_resumed > 0) {
    console.err << " (" << unloaded->ranges_resumed << " of them by the resumed run)";
  }
  std::string destination = options.url == "-" ? std::string("standard output")
                                                : std::to_string(unloaded->files.size()) +
                                                      " files in " + options.url;
  if (unloaded->iceberg) {
    const ops::IcebergExportResult& ice = *unloaded->iceberg;
    destination = "Iceberg table " + ice.table + " (" + std::to_string(ice.data_files) +
                  " data files)";
  }
  console.err << " to " << destination
              << " in " << std::fixed << std::setprecision(2) << seconds << " s ("
              << static_cast<int64_t>(seconds > 0 ? static_cast<double>(unloaded->rows) / seconds
                                                  : 0)
              << " rows/s), " << unloaded->retries << " retries\n";
  if (unloaded->iceberg) {
    const ops::IcebergExportResult& ice = *unloaded->iceberg;
    console.err << (ice.already_committed ? "found snapshot " : "committed snapshot ")
                << ice.snapshot_id << " of " << ice.table
                << (ice.already_committed ? " (committed by the interrupted run)" : "")
                << (ice.created ? " (table created)" : "") << ": " << ice.data_files
                << " data files, " << ice.rows << " rows; metadata " << ice.metadata_location
                << "\n";
  }
  if (unloaded->values_changed > 0) {
    console.err << "warning: the Parquet type mapping changed " << unloaded->values_changed
                << " values (rounded decimals, times cut to microseconds); the default keeps "
                   "them exactly\n";
  }
  std::string summary = SummaryJson(*unloaded, options);
  if (Status written = files.WriteSummary(unloaded->log_dir, summary); !written) {
    return ReportError(written.error(), console);
  }
  return ExitCode::kOk;
}

}  // namespace cqlbulk::cli
