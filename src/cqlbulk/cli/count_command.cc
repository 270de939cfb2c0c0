// SPDX-License-Identifier: Apache-2.0
// `cqlbulk count`: the rows of a table, counted over the token ring.
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>
#include <vector>

#include "cqlbulk/cli/commands.h"
#include "cqlbulk/cli/connection_flags.h"
#include "cqlbulk/cli/progress_display.h"
#include "cqlbulk/core/flags.h"
#include "cqlbulk/ops/count.h"

namespace cqlbulk::cli {
namespace {

double Seconds(std::chrono::steady_clock::duration d) {
  return std::chrono::duration<double>(d).count();
}

std::string Percent(int64_t part, int64_t total) {
  std::ostringstream out;
  out << std::fixed << std::setprecision(2)
      << (total > 0 ? 100.0 * static_cast<double>(part) / static_cast<double>(total) : 0.0);
  return out.str();
}

struct Stats {
  bool global = true, hosts = false, ranges = false, partitions = false;
};

Result<Stats> ParseStats(std::string_view list) {
  Stats s{false, false, false, false};
  while (!list.empty()) {
    size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    if (item == "global") {
      s.global = true;
    } else if (item == "hosts") {
      s.hosts = true;
    } else if (item == "ranges") {
      s.ranges = true;
    } else if (item == "partitions") {
      s.partitions = true;
    } else {
      return InvalidArgument("unknown --stats item '" + std::string(item) +
                             "' (global, hosts, ranges, partitions)");
    }
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return s;
}

/// Prints a table for people: a header line, then the rows, each column as wide as its widest
/// cell (numbers right-aligned).
void PrintTable(std::ostream& out, const std::vector<std::string>& header,
                const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) width[c] = header[c].size();
  for (const auto& row : rows) {
    for (size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], row[c].size());
  }
  auto line = [&](const std::vector<std::string>& cells) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c > 0) out << "  ";
      out << (c == 0 ? std::left : std::right) << std::setw(static_cast<int>(width[c]))
          << cells[c];
    }
    out << std::right << "\n";
  };
  line(header);
  for (const auto& row : rows) line(row);
}

void PrintResult(const ops::CountResult& r, const Stats& stats, std::ostream& out) {
  if (stats.global) out << r.rows << "\n";
  if (stats.hosts) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& [host, n] : r.host_rows) {
      rows.push_back({host, std::to_string(n), Percent(n, r.rows)});
    }
    PrintTable(out, {"host", "rows", "%"}, rows);
  }
  if (stats.ranges) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& range : r.range_rows) {
      rows.push_back({range.start, range.end, std::to_string(range.rows)});
    }
    PrintTable(out, {"start (exclusive)", "end (inclusive)", "rows"}, rows);
  }
  if (stats.partitions) {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : r.top_partitions) {
      rows.push_back({p.key, std::to_string(p.rows), Percent(p.rows, r.rows)});
    }
    PrintTable(out, {"partition key", "rows", "%"}, rows);
  }
}

/// A count at a level that reads one replica of several can miss rows that replica lacks:
/// recent writes not yet there, or mutations it dropped under load and hints or repair have
/// not brought back. Not a client error, but a user reads it as one: say so.
std::string SingleReplicaNote(cql::Consistency level, int replicas) {
  if ((level != cql::Consistency::kOne && level != cql::Consistency::kLocalOne) || replicas < 2) {
    return {};
  }
  return "note: " + std::string(ops::ConsistencyName(level)) + " reads one replica of " +
         std::to_string(replicas) +
         " for each range: rows that have not reached that replica (recent writes, writes "
         "dropped under load and not yet repaired) are not counted; --consistency ALL reads "
         "every replica\n";
}

Status WriteSummaryJson(const ops::CountResult& r, cql::Consistency level,
                        const std::string& path) {
  nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
  for (const auto& [host, rows] : r.host_rows) hosts[host] = rows;
  nlohmann::ordered_json ranges = nlohmann::ordered_json::array();
  for (const auto& range : r.range_rows) {
    ranges.push_back({{"start", range.start}, {"end", range.end}, {"rows", range.rows}});
  }
  nlohmann::ordered_json partitions = nlohmann::ordered_json::array();
  for (const auto& p : r.top_partitions) partitions.push_back({{"key", p.key}, {"rows", p.rows}});
  nlohmann::ordered_json doc = {{"rows", r.rows},
                                {"duration_seconds", Seconds(r.duration)},
                                {"ranges", r.ranges},
                                {"retries", r.retries},
                                {"errors", r.errors},
                                {"method", std::string(ops::CountMethodName(r.method))},
                                {"consistency", std::string(ops::ConsistencyName(level))},
                                {"replicas", r.replicas},
                                {"hosts", hosts},
                                {"ranges_detail", ranges},
                                {"partitions", partitions}};
  std::ofstream file(path, std::ios::trunc);
  file << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
  file.close();
  if (!file) return IoError("cannot write the summary to " + path);
  return {};
}

}  // namespace

ExitCode CountCommand(std::span<const std::string> args, Console& console) {
  ops::CountOptions options;
  std::string consistency = "LOCAL_ONE", stats_list = "global", method = "auto", summary_json;
  int64_t splits = 0, concurrency = options.concurrency, partitions = 10;
  FlagSet flags;
  ConnectionFlags connection;
  connection.AddTo(flags);
  flags.AddString("keyspace", "KS", "keyspace of the table", &options.keyspace, "k");
  flags.AddString("table", "T", "table to count", &options.table, "t");
  flags.AddInt("splits", "N", "token-range pieces to query (default 128 per host)", &splits, 1,
               1 << 24);
  flags.AddInt("concurrency", "N", "ranges queried at once (default 16)", &concurrency, 1, 4096);
  flags.AddString("consistency", "CL", "consistency level (default LOCAL_ONE)", &consistency);
  flags.AddString("stats", "LIST",
                  "what to print: global,hosts,ranges,partitions (default global)", &stats_list);
  flags.AddInt("partitions", "N", "largest partitions shown by --stats partitions (default 10)",
               &partitions, 1, 100000);
  flags.AddString("method", "M",
                  "auto (default), count (count(*) per range, counted by the server) or stream "
                  "(stream partition keys and count them here; implied by --stats partitions)",
                  &method);
  flags.AddString("summary-json", "FILE", "write a JSON summary of the count to FILE",
                  &summary_json);
  if (auto done = ParseCommandFlags(
          flags, args, "cqlbulk count --hosts H -k KS -t TABLE [options]",
          "Counts the rows of a table, range by range over the token ring, each range\n"
          "at one of its replicas. Prints the total on stdout.",
          console)) {
    return *done;
  }
  if (!connection.has_hosts() || options.keyspace.empty() || options.table.empty()) {
    return ReportError(InvalidArgument("count needs --hosts, --keyspace and --table"), console);
  }
  auto stats = ParseStats(stats_list);
  if (!stats) return ReportError(stats.error(), console);
  auto level = ops::ParseConsistency(consistency);
  if (!level) return ReportError(level.error(), console);
  auto count_method = ops::ParseCountMethod(method);
  if (!count_method) return ReportError(count_method.error(), console);
  auto session = connection.ToSessionOptions();
  if (!session) return ReportError(session.error(), console);
  options.session = std::move(*session);
  options.splits = static_cast<int>(splits);
  options.concurrency = static_cast<int>(concurrency);
  options.consistency = *level;
  options.top_partitions = stats->partitions ? static_cast<int>(partitions) : 0;
  options.method = *count_method;
  options.interrupted = console.interrupted;
  ProgressDisplay progress(console.err, "ranges");
  if (console.is_terminal) options.progress = &progress;

  auto counted = ops::CountSync(options);
  progress.Finish();
  if (!counted) return ReportError(counted.error(), console);
  PrintResult(*counted, *stats, console.out);
  double seconds = Seconds(counted->duration);
  console.err << "counted " << counted->rows << " rows of " << options.keyspace << "."
              << options.table << " in " << counted->ranges << " ranges in " << std::fixed
              << std::setprecision(2) << seconds << " s ("
              << static_cast<int64_t>(seconds > 0 ? static_cast<double>(counted->rows) / seconds
                                                  : 0)
              << " rows/s), " << counted->retries << " retries, " << counted->errors
              << " errors\n"
              << SingleReplicaNote(options.consistency, counted->replicas);
  if (!summary_json.empty()) {
    auto written = WriteSummaryJson(*counted, options.consistency, summary_json);
    if (!written) return ReportError(written.error(), console);
  }
  return ExitCode::kOk;
}

}  // namespace cqlbulk::cli
