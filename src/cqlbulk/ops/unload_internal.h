// SPDX-License-Identifier: Apache-2.0
// What unload.cc and its range sinks (unload_sinks.cc) share: the run's state and the sink a
// worker writes its ranges into. Internal to ops.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cqlbulk/client/session.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/ops/cql_data.h"
#include "cqlbulk/ops/execution.h"
#include "cqlbulk/ops/iceberg/export.h"
#include "cqlbulk/ops/run_directory.h"
#include "cqlbulk/ops/unload.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ops::unload_internal {

using Json = nlohmann::ordered_json;

/// A file's committed state: what a resumed run keeps of it.
struct CommittedFile {
  uint64_t bytes = 0;
  int64_t records = 0;
};

/// State shared by the workers; touched only on the strand they all run on.
struct UnloadState {
  const UnloadOptions* options = nullptr;
  client::Session* session = nullptr;
  RunDirectory* run = nullptr;
  std::string query_text;
  client::PreparedPtr prepared;  ///< query_text
  bool ranged = true;  ///< bound to each range of `plan` (else run once, as it is)
  data::SchemaPtr schema;
  std::optional<RowDecoder> decoder;  ///< immutable: shared by the workers
  std::vector<std::string> names;  ///< field names, overriding the result's column names
  std::string header;              ///< CSV header line, or empty
  std::vector<ring::TokenRange> plan;
  std::vector<uint8_t> done;
  std::deque<size_t> queue;
  std::map<std::string, CommittedFile> files;  ///< by name; names sort in creation order
  int next_file = 1;
  int64_t committed_rows = 0;
  uint64_t committed_bytes = 0;
  size_t ranges_done = 0;
  size_t ranges_cut = 0;
  size_t pending_ranges = 0;  ///< committed to files not yet closed (Parquet)
  int64_t pending_rows = 0;
  int64_t values_changed = 0;  ///< by an engine-friendly Parquet type mapping
  size_t ranges_resumed = 0;
  int64_t errors = 0;
  std::vector<std::string> failures;
  std::optional<Error> first_error;
  std::unique_ptr<formats::OutputStream> stdout_stream;
  std::optional<int> compression_level;
  RateLimiter rows_limiter{0};
  RateLimiter bytes_limiter{0};
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point last_checkpoint;
  std::unique_ptr<IcebergExport> iceberg;  ///< FileFormat::kIceberg

  bool interrupted() const {
    return options->interrupted != nullptr && options->interrupted->load();
  }
  bool to_stdout() const { return options->url == "-"; }
  std::string FileName(int number) const {
    char name[32];
    std::snprintf(name, sizeof(name), "output-%06d", number);
    std::string extension(FileFormatExtension(options->format));
    if (options->format != FileFormat::kParquet) {  // Parquet compresses its pages
      extension += formats::FileExtension(options->compression);
    }
    return std::string(name) + extension;
  }
  std::string PathOf(const std::string& name) const {
    return (std::filesystem::path(options->url) / name).string();
  }

  /// The plan as the checkpoint keeps it: in token order, adjacent ranges that are both done
  /// merged into one (the pieces of ranges cut while read would otherwise add up).
  std::vector<std::pair<ring::TokenRange, bool>> CompactPlan() const {
    std::vector<std::pair<ring::TokenRange, bool>> sorted;
    sorted.reserve(plan.size());
    for (size_t i = 0; i < plan.size(); ++i) sorted.emplace_back(plan[i], done[i] != 0);
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
      return a.first.start() < b.first.start();
    });
    std::vector<std::pair<ring::TokenRange, bool>> compact;
    for (const auto& [range, is_done] : sorted) {
      if (!compact.empty() && is_done && compact.back().second &&
          compact.back().first.end() == range.start() && !range.is_wrapping() &&
          !compact.back().first.is_wrapping()) {
        compact.back().first = ring::TokenRange(compact.back().first.start(), range.end());
      } else {
        compact.emplace_back(range, is_done);
      }
    }
    return compact;
  }

  Json CheckpointJson() const {
    Json ranges = Json::array();
    std::string done_text;
    if (ranged) {
      for (const auto& [range, is_done] : CompactPlan()) {
        ranges.push_back({range.start().ToString(), range.end().ToString()});
        done_text += is_done ? '1' : '0';
      }
    } else {
      done_text = done[0] ? "1" : "0";
    }
    Json file_list = Json::array();
    for (const auto& [name, f] : files) {
      file_list.push_back({{"name", name}, {"bytes", f.bytes}, {"records", f.records}});
    }
    Json doc = {{"operation", "unload"},
            {"version", 1},
            {"keyspace", options->keyspace},
            {"table", options->table},
            {"query", query_text},
            {"format", std::string(FileFormatName(options->format))},
            {"text_options", DescribeTextOptions(options->format, options->csv)},
            {"parquet_options", DescribeParquetOptions(options->parquet)},
            {"compression", std::string(formats::CompressionName(options->compression))},
            {"url", options->url},
            {"ranged", ranged},
            {"ranges", ranges},
            {"done", done_text},
            {"files", file_list},
            {"next_file", next_file},
            {"rows", committed_rows},
            {"bytes", committed_bytes}};
    if (iceberg) doc["iceberg"] = iceberg->CheckpointJson();
    return doc;
  }

  Status WriteCheckpoint() {
    last_checkpoint = std::chrono::steady_clock::now();
    return run->WriteCheckpoint(CheckpointJson().dump(1));
  }
};

/// \brief The first of rows [begin, end) whose token is the last row's: where the last
/// partition (or token) of rows in token order begins, so that a cut just before it leaves the
/// fewest rows held. A binary search, `token_at(i)` (std::optional<ring::Token>, the token of
/// row i) called O(log(end - begin)) times; the tokens must never decrease. `begin` when every
/// row has the last one's token; nullopt when a token asked for is nullopt.
template <typename TokenAt>
std::optional<size_t> LastTokenStart(size_t begin, size_t end, TokenAt&& token_at) {
  if (begin >= end) return begin;
  std::optional<ring::Token> last = token_at(end - 1);
  if (!last) return std::nullopt;
  size_t lo = begin;
  size_t hi = end - 1;  // token_at(hi) == last; the answer is in [lo, hi]
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    std::optional<ring::Token> token = token_at(mid);
    if (!token) return std::nullopt;
    if (*token < *last) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

/// One worker's output, range by range: Write the rows of a range, then Commit it (or Abort
/// it: nothing of a failed range stays behind), then MarkDone, which makes the range done in
/// the checkpoint once its rows are durable.
///
/// A sink that cannot take back rows once they are in its file (Parquet, Iceberg) holds the
/// range's rows, a batch per page, until Commit. Past its share of held_rows_memory the worker
/// cuts the range: CommitHeld(n, r) commits the first n batches and r rows of the next one as a
/// range of their own (then MarkDone), and the rest stay held for the range's remainder; or,
/// when no cut is possible, Spill() lets the sink deal with the rows otherwise.
class RangeSink {
 public:
  virtual ~RangeSink() = default;
  virtual Status Write(data::Batch batch) = 0;
  /// Writes the rows of a page and returns how many: by default decoded by `decoder` into
  /// `builder`'s batch, then Write (the text sink may write them straight).
  virtual Result<size_t> WritePage(const RowDecoder& decoder, const cql::RowsResult& rows,
                                   data::BatchBuilder& builder) {
    CQLBULK_ASSIGN_OR_RETURN(size_t appended, decoder.AppendRows(rows, builder));
    CQLBULK_ASSIGN_OR_RETURN(data::Batch batch, builder.Finish());
    CQLBULK_RETURN_IF_ERROR(Write(std::move(batch)));
    return appended;
  }
  virtual Status Commit() = 0;
  /// The batches held for the range being read, and their bytes (none for text files).
  virtual std::span<const data::Batch> held() const { return {}; }
  virtual size_t held_bytes() const { return 0; }
  /// Rows of the first held batch that are committed already (a cut inside it): held rows
  /// begin past them.
  virtual size_t held_first_row() const { return 0; }
  /// Whether CommitHeld can end inside a batch (else only between batches).
  virtual bool cuts_inside_batches() const { return false; }
  /// Commits the first `batches` held batches (from held_first_row() in the first), then the
  /// next `rows` rows of the batch after them.
  virtual Status CommitHeld(size_t /*batches*/, size_t /*rows*/) {
    return Internal("this sink holds no rows");
  }
  /// The held rows are past the share and the range cannot be cut.
  virtual Status Spill() { return {}; }
  virtual void Abort() = 0;
  virtual void MarkDone(size_t index, int64_t rows) = 0;
  /// Ends the worker's output (after its last committed range).
  virtual Status Close() = 0;
};

/// The sink of a worker: text files, Parquet files or the Iceberg table, by the run's format.
std::unique_ptr<RangeSink> MakeRangeSink(UnloadState& state);

/// Iceberg output: finishes the open data files, making their ranges done.
Status EndIcebergEpoch(UnloadState& state);

}  // namespace cqlbulk::ops::unload_internal
