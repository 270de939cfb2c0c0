// SPDX-License-Identifier: Apache-2.0
// `cqlbulk load`: CSV or JSON files into a table.
#include <nlohmann/json.hpp>

#include <fstream>
#include <iomanip>
#include <sstream>

#include "cqlbulk/cli/commands.h"
#include "cqlbulk/cli/connection_flags.h"
#include "cqlbulk/cli/file_flags.h"
#include "cqlbulk/cli/progress_display.h"
#include "cqlbulk/ops/count.h"
#include "cqlbulk/ops/load.h"

namespace cqlbulk::cli {
namespace {

/// "col=field,col2=field2" (a bare "col" maps the field of the same name).
Result<std::vector<std::pair<std::string, std::string>>> ParseMapping(const std::string& text) {
  std::vector<std::pair<std::string, std::string>> mapping;
  std::stringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    auto trim = [](std::string s) {
      size_t a = s.find_first_not_of(" \t"), b = s.find_last_not_of(" \t");
      return a == std::string::npos ? std::string() : s.substr(a, b - a + 1);
    };
    size_t eq = item.find('=');
    std::string column = trim(item.substr(0, eq));
    std::string field = eq == std::string::npos ? column : trim(item.substr(eq + 1));
    if (column.empty() || field.empty()) {
      return InvalidArgument("--mapping: '" + item + "' is not column=field");
    }
    mapping.emplace_back(column, field);
  }
  return mapping;
}

Result<formats::MissingField> ParseMissing(const std::string& text) {
  if (text == "unset") return formats::MissingField::kUnset;
  if (text == "null") return formats::MissingField::kNull;
  if (text == "error") return formats::MissingField::kError;
  return InvalidArgument("--missing takes unset, null or error, not '" + text + "'");
}

std::string SummaryJson(const ops::LoadResult& r, const ops::LoadOptions& o) {
  double seconds = std::chrono::duration<double>(r.duration).count();
  nlohmann::ordered_json doc = {
      {"operation", "load"},
      {"keyspace", o.keyspace},
      {"table", o.table},
      {"rows", r.rows},
      {"records", r.records},
      {"errors", r.rejected},
      {"too_many_errors", r.too_many_errors},
      {"files", r.files},
      {"bytes", r.bytes},
      {"requests", r.requests},
      {"retries", r.retries},
      {"consistency", std::string(ops::ConsistencyName(o.consistency))},
      {"duration_seconds", seconds},
      {"rows_per_second", seconds > 0 ? static_cast<double>(r.rows) / seconds : 0.0},
      {"log_dir", r.log_dir}};
  if (r.iceberg) {
    const ops::IcebergScanSummary& i = *r.iceberg;
    doc["iceberg"] = {{"table", i.table},
                      {"snapshot_id", i.snapshot_id ? nlohmann::ordered_json(*i.snapshot_id)
                                                    : nlohmann::ordered_json(nullptr)},
                      {"filter", i.filter},
                      {"manifests", i.manifests},
                      {"manifests_pruned", i.manifests_pruned},
                      {"data_files", i.files},
                      {"files_planned", i.files_planned},
                      {"files_pruned", i.files_pruned},
                      {"records_planned", i.records_planned},
                      {"position_delete_files", i.position_delete_files}};
  }
  return doc.dump(2) + "\n";
}

}  // namespace

ExitCode LoadCommand(std::span<const std::string> args, Console& console) {
  ops::LoadOptions options;
  std::string mapping, missing = "unset", batch_mode = "partition";
  std::string max_errors = "100";
  std::string snapshot_id, as_of;
  int64_t concurrency = options.concurrency, max_batch = options.max_batch_statements, ttl = 0;
  FlagSet flags;
  ConnectionFlags connection;
  connection.SetDriverDefaults(1, 1);
  connection.AddTo(flags);
  FileFlags files;
  files.AddTo(flags, "auto");
  flags.AddString("mapping", "LIST",
                  "column=field,... (CSV header name or 0-based index, JSON key); default: "
                  "every column by its name",
                  &mapping);
  flags.AddString("missing", "WHAT",
                  "a field a record lacks is left unset (default), written as null, or an error",
                  &missing);
  flags.AddString("batch-mode", "MODE",
                  "UNLOGGED batches of rows of one partition (default), of one replica set, or "
                  "disabled",
                  &batch_mode);
  flags.AddInt("max-batch-statements", "N", "rows per batch at most (default 32)", &max_batch, 1,
               65535);
  flags.AddInt("concurrency", "N", "requests in flight (default 32)", &concurrency, 1, 4096);
  flags.AddString("max-errors", "N|P%",
                  "stop after N rejected records, or when P% of the records are (default 100; "
                  "-1: no limit)",
                  &max_errors);
  flags.AddInt("ttl", "SECONDS", "TTL of every row written", &ttl, 1, INT32_MAX);
  flags.AddString("ttl-column", "FIELD", "the source field with each row's TTL in seconds",
                  &options.ttl_field);
  flags.AddString("writetime-column", "FIELD",
                  "the source field with each row's write time (microseconds since the epoch)",
                  &options.writetime_field);
  flags.AddString("snapshot-id", "ID", "Iceberg: read this snapshot (default: the current one)",
                  &snapshot_id);
  flags.AddString("as-of", "TIME",
                  "Iceberg: read the snapshot current at TIME (ISO timestamp, UTC unless it has a "
                  "zone, or milliseconds since the epoch)",
                  &as_of);
  flags.AddString("filter", "EXPR",
                  "Iceberg: load only the rows that match, e.g. \"order_date >= '2024-01-01' AND "
                  "status IN ('open', 'paid')\" (=, !=, <, <=, >, >=, IS [NOT] NULL, [NOT] IN, "
                  "AND, OR, NOT)",
                  &options.iceberg.filter);
  if (auto done = ParseCommandFlags(
          flags, args,
          "cqlbulk load --hosts H -k KS -t TABLE --url FILE|DIR|GLOB|- [--format csv|json|parquet] "
          "[options]\n"
          "       cqlbulk load --hosts H -k KS -t TABLE --format iceberg --warehouse DIR "
          "--iceberg-table NS.T [--snapshot-id N | --as-of TIME] [--filter EXPR] [options]",
          "Loads CSV, JSON or Parquet files, or an Iceberg table's snapshot, into a table with\n"
          "prepared INSERTs in UNLOGGED batches, routed to replicas. Bad records go to the error\n"
          "file of the run's log directory.",
          console)) {
    return *done;
  }
  auto format = files.Format();
  if (!format) return ReportError(format.error(), console);
  const bool iceberg = *format == ops::FileFormat::kIceberg;
  if (!connection.has_hosts() || (files.url.empty() && !iceberg) || files.keyspace.empty() ||
      files.table.empty()) {
    return ReportError(InvalidArgument("load needs --hosts, --url (or --format iceberg and "
                                       "--iceberg-table), --keyspace and --table"),
                       console);
  }
  if (!iceberg && (!snapshot_id.empty() || !as_of.empty() || !options.iceberg.filter.empty())) {
    return ReportError(
        InvalidArgument("--snapshot-id, --as-of and --filter read Iceberg tables (--format iceberg)"),
        console);
  }
  if (!snapshot_id.empty() && !as_of.empty()) {
    return ReportError(InvalidArgument("give --snapshot-id or --as-of, not both"), console);
  }
  if (!snapshot_id.empty()) {
    auto id = ParseInt(snapshot_id, INT64_MIN, INT64_MAX, "--snapshot-id");
    if (!id) return ReportError(id.error(), console);
    options.iceberg.snapshot_id = *id;
  }
  if (!as_of.empty()) {
    auto ms = ops::ParseAsOf(as_of);
    if (!ms) return ReportError(ms.error(), console);
    options.iceberg.as_of_ms = *ms;
  }
  options.iceberg.table = files.iceberg;
  auto csv = files.Csv();
  if (!csv) return ReportError(csv.error(), console);
  if (files.compression != "auto") {
    auto compression = formats::ParseCompression(files.compression);
    if (!compression) return ReportError(compression.error(), console);
    options.compression = *compression;
  }
  auto level = ops::ParseConsistency(files.consistency);
  if (!level) return ReportError(level.error(), console);
  auto parsed_mapping = ParseMapping(mapping);
  if (!parsed_mapping) return ReportError(parsed_mapping.error(), console);
  auto parsed_missing = ParseMissing(missing);
  if (!parsed_missing) return ReportError(parsed_missing.error(), console);
  auto mode = ops::ParseBatchMode(batch_mode);
  if (!mode) return ReportError(mode.error(), console);
  if (!max_errors.empty() && max_errors.back() == '%') {
    auto percent = ParseInt(max_errors.substr(0, max_errors.size() - 1), 0, 100, "--max-errors");
    if (!percent) return ReportError(percent.error(), console);
    options.max_errors_percent = static_cast<double>(*percent);
  } else {
    auto count = ParseInt(max_errors, -1, INT64_MAX, "--max-errors");
    if (!count) return ReportError(count.error(), console);
    options.max_errors = *count;
  }
  auto session = connection.ToSessionOptions();
  if (!session) return ReportError(session.error(), console);
  options.session = std::move(*session);
  options.format = *format;
  options.csv = *csv;
  options.url = files.url;
  options.mapping = std::move(*parsed_mapping);
  options.missing = *parsed_missing;
  options.batch_mode = *mode;
  options.max_batch_statements = static_cast<int>(max_batch);
  options.concurrency = static_cast<int>(concurrency);
  options.consistency = *level;
  options.ttl = static_cast<int32_t>(ttl);
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
  ProgressDisplay progress(console.err, "files");
  if (console.is_terminal) options.progress = &progress;

  auto loaded = ops::LoadSync(options);
  progress.Finish();
  if (!loaded) return ReportError(loaded.error(), console);
  double seconds = std::chrono::duration<double>(loaded->duration).count();
  console.err << "loaded " << loaded->rows << " rows from " << loaded->files.size()
              << " files in " << std::fixed << std::setprecision(2) << seconds << " s ("
              << static_cast<int64_t>(seconds > 0 ? static_cast<double>(loaded->rows) / seconds
                                                  : 0)
              << " rows/s), " << loaded->requests << " requests, " << loaded->retries
              << " retries, " << loaded->rejected << " records rejected\n";
  if (loaded->rejected > 0) {
    console.err << "rejected records and why: " << loaded->log_dir << "/load-errors.log\n";
  }
  if (loaded->iceberg) {
    const ops::IcebergScanSummary& i = *loaded->iceberg;
    console.err << "Iceberg table " << i.table << ", snapshot "
                << (i.snapshot_id ? std::to_string(*i.snapshot_id) : std::string("none")) << ": "
                << i.files_planned << " data files planned, " << i.files_pruned << " pruned, "
                << i.manifests_pruned << " of " << i.manifests << " manifests pruned"
                << (i.filter.empty() ? "" : ", filter: " + i.filter) << "\n";
  }
  std::string summary = SummaryJson(*loaded, options);
  if (Status written = files.WriteSummary(loaded->log_dir, summary); !written) {
    return ReportError(written.error(), console);
  }
  if (loaded->too_many_errors) {
    console.err << "error: load stopped: more records were rejected than --max-errors "
                << max_errors << " allows\n";
    return ExitCode::kTooManyErrors;
  }
  return loaded->rejected > 0 ? ExitCode::kCompletedWithErrors : ExitCode::kOk;
}

}  // namespace cqlbulk::cli
