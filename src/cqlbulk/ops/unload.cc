// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/unload.h"

#include <nlohmann/json.hpp>

#include <asio/experimental/as_tuple.hpp>

#include <algorithm>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <regex>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "cqlbulk/ops/cql_data.h"
#include "cqlbulk/ops/execution.h"
#include "cqlbulk/ops/iceberg/export.h"
#include "cqlbulk/ops/output_file.h"
#include "cqlbulk/ops/range_plan.h"
#include "cqlbulk/ops/run_directory.h"
#include "cqlbulk/ops/unload_internal.h"
#include "cqlbulk/ring/murmur3.h"
#include "cqlbulk/ring/partitioner.h"
#include "cqlbulk/ring/routing_key.h"

namespace cqlbulk::ops {
namespace {

namespace fs = std::filesystem;
using unload_internal::MakeRangeSink;
using unload_internal::RangeSink;
using unload_internal::UnloadState;
using unload_internal::Json;
using unload_internal::CommittedFile;
using unload_internal::EndIcebergEpoch;

/// Rows a worker's batch builder reserves room for (it grows to a page).
constexpr size_t kBatchRows = 1024;
/// The checkpoint is rewritten at most this often (and at the end).
constexpr auto kCheckpointInterval = std::chrono::seconds(1);

/// Where a range being read can be cut: between two held rows (in one page or two) that
/// belong to partitions of different tokens. A range's rows come in token order, so the rows
/// before such a cut are every row of (start, t], t the token of the last of them, and the
/// rows after it are in (t, end]. Made for a table's unload (whose partition key columns it
/// reads in the rows); the workers share one (they run on one strand, and Find does not
/// suspend).
class RangeCutter {
 public:
  /// nullopt when a partition key column is not among the unloaded ones, or of a type whose
  /// bytes the server may hold in another form than the one its value is written back in (a
  /// frozen collection, UDT or tuple, a varint, decimal or boolean: a token computed from
  /// other bytes would cut at the wrong place).
  static std::optional<RangeCutter> Make(const client::TableMetadata& table,
                                         const data::Schema& schema) {
    using cql::TypeId;
    RangeCutter cutter;
    for (size_t i : table.partition_key) {
      switch (table.columns[i].type->id) {
        case TypeId::kAscii: case TypeId::kBigint: case TypeId::kBlob: case TypeId::kDouble:
        case TypeId::kFloat: case TypeId::kInt: case TypeId::kTimestamp: case TypeId::kUuid:
        case TypeId::kVarchar: case TypeId::kTimeuuid: case TypeId::kInet: case TypeId::kDate:
        case TypeId::kTime: case TypeId::kSmallint: case TypeId::kTinyint:
          break;
        default:
          return std::nullopt;
      }
      // Key columns come first in the SELECT: its first field of the name is the column.
      std::optional<size_t> field = schema.FieldIndex(table.columns[i].name);
      if (!field) return std::nullopt;
      cutter.fields_.push_back(*field);
      cutter.types_.push_back(table.columns[i].type);
    }
    cutter.begins_.resize(cutter.fields_.size());
    cutter.parts_.resize(cutter.fields_.size());
    return cutter;
  }

  struct Cut {
    size_t batches = 0;  ///< held batches before the cut
    size_t split = 0;    ///< then rows of the next held batch before the cut
    int64_t rows = 0;    ///< the held rows before the cut
    ring::Token token;   ///< the token of the last of them
  };

  /// The cut nearest the end of the held rows (so that fewest rows stay held), inside `range`:
  /// the held rows begin at row `first_row` of held[0]. With `inside`, a cut may fall inside a
  /// batch, where the last partition of the held rows begins (a page of rows ends within a
  /// partition more often than not: with ten rows a partition, nine pages in ten); else only
  /// between batches. nullopt when there is none (one partition throughout, or tokens that are
  /// not as they must be: then nothing is cut).
  std::optional<Cut> Find(std::span<const data::Batch> held, size_t first_row,
                          const ring::TokenRange& range, bool inside) {
    if (range.is_wrapping() || held.empty()) return std::nullopt;
    if (!inside) return FindBetweenBatches(held, range);
    // Rows are numbered across the batches from held[0]'s first_row; starts_[k]: held[k]'s first.
    starts_.clear();
    size_t total = 0;
    for (size_t k = 0; k < held.size(); ++k) {
      starts_.push_back(total);
      total += held[k].num_rows() - (k == 0 ? first_row : 0);
    }
    auto locate = [&](size_t i) {
      size_t k = static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), i) -
                                     starts_.begin()) - 1;
      return std::pair<size_t, size_t>(k, i - starts_[k] + (k == 0 ? first_row : 0));
    };
    auto token_at = [&](size_t i) {
      auto [k, row] = locate(i);
      return TokenOf(held[k], row);
    };
    // The tokens must not decrease: checked at every batch's ends, and around the cut.
    std::optional<ring::Token> previous;
    for (size_t k = 0; k < held.size(); ++k) {
      size_t end = k + 1 < held.size() ? starts_[k + 1] : total;
      if (starts_[k] == end) continue;
      std::optional<ring::Token> first = token_at(starts_[k]);
      std::optional<ring::Token> last = token_at(end - 1);
      if (!first || !last || *last < *first || (previous && *first < *previous)) {
        return std::nullopt;
      }
      previous = last;
    }
    std::optional<size_t> cut_at = unload_internal::LastTokenStart(0, total, token_at);
    if (!cut_at || *cut_at == 0) return std::nullopt;
    std::optional<ring::Token> last = token_at(*cut_at - 1);
    std::optional<ring::Token> first = token_at(*cut_at);
    if (!last || !first || !(*last < *first)) return std::nullopt;
    if (*last <= range.start() || *first > range.end()) return std::nullopt;
    auto [k, row] = locate(*cut_at);
    return Cut{.batches = k,
               .split = row - (k == 0 ? first_row : 0),
               .rows = static_cast<int64_t>(*cut_at),
               .token = *last};
  }

 private:
  /// Find between batches only (the sinks that commit whole batches).
  std::optional<Cut> FindBetweenBatches(std::span<const data::Batch> held,
                                        const ring::TokenRange& range) {
    for (size_t k = held.size(); k-- > 1;) {
      std::optional<ring::Token> last = TokenOf(held[k - 1], held[k - 1].num_rows() - 1);
      std::optional<ring::Token> first = TokenOf(held[k], 0);
      if (!last || !first || *first < *last) return std::nullopt;
      if (*first == *last) continue;  // a partition (or a token) across the two pages
      if (*last <= range.start() || *first > range.end()) return std::nullopt;
      Cut cut{.batches = k, .split = 0, .rows = 0, .token = *last};
      for (size_t i = 0; i < k; ++i) cut.rows += static_cast<int64_t>(held[i].num_rows());
      return cut;
    }
    return std::nullopt;
  }

  /// The token of a row's partition key, from the values the batch holds (what load routes
  /// by: the key's wire bytes, composite for several columns, through Murmur3).
  std::optional<ring::Token> TokenOf(const data::Batch& batch, size_t row) {
    bytes_.Clear();
    for (size_t k = 0; k < fields_.size(); ++k) {
      const data::Column& column = batch.column(fields_[k]);
      if (column.IsNull(row)) return std::nullopt;
      begins_[k] = bytes_.size();
      if (!EncodeCell(column, row, *types_[k], bytes_).has_value()) return std::nullopt;
    }
    for (size_t k = 0; k < fields_.size(); ++k) {  // once all are in: the buffer moves as it grows
      size_t end = k + 1 < fields_.size() ? begins_[k + 1] : bytes_.size();
      parts_[k] = BytesView(bytes_.data() + begins_[k], end - begins_[k]);
    }
    Result<BytesView> key = keys_.Build(parts_);
    if (!key.has_value()) return std::nullopt;
    return ring::Murmur3Token(*key);
  }

  std::vector<size_t> fields_;
  std::vector<cql::DataTypePtr> types_;
  data::Buffer bytes_;
  std::vector<size_t> begins_;
  std::vector<BytesView> parts_;
  ring::RoutingKeyBuilder keys_;
  std::vector<size_t> starts_;
};

/// Reads one range (or the whole query), page by page, into `out`. Returns the rows of the
/// range's part not yet done: past the sink's share of memory the range may be cut (with a
/// `cutter`), its first part committed and marked done and `index` moved to the rest, a new
/// range of the plan.
asio::awaitable<Result<int64_t>> UnloadRange(UnloadState& state, size_t& index, RangeSink& out,
                                             data::BatchBuilder& builder, RangeCutter* cutter) {
  const UnloadOptions& options = *state.options;
  // The statement stays bound to the range as it was when its reading began, cut or not.
  const std::optional<ring::TokenRange> range =
      state.ranged ? std::optional(state.plan[index]) : std::nullopt;
  const size_t held_limit =
      options.held_rows_memory / static_cast<size_t>(std::max(1, options.concurrency));
  std::optional<Bytes> paging_state;
  int64_t rows = 0;
  while (true) {
    client::Statement statement;
    if (range) {
      statement = client::Statement::Execute(
          state.prepared, {cql::BoundValue::BigInt(range->start().value()),
                           cql::BoundValue::BigInt(range->end().value())});
      statement.SetRoutingRange(*range);
    } else {
      statement = client::Statement::Execute(state.prepared);
    }
    statement.keyspace = options.keyspace;
    statement.consistency = options.consistency;
    statement.page_size = options.page_size;
    statement.paging_state = paging_state;
    statement.is_idempotent = true;
    CQLBULK_CO_ASSIGN_OR_RETURN(
        client::ResultPage page,
        co_await ExecuteWithAttempts(*state.session, statement, options.page_attempts,
                                     state.errors));
    const cql::RowsResult& result = page.rows();
    // A page at a time (a batch, or text written straight): memory stays bounded by the page.
    CQLBULK_CO_ASSIGN_OR_RETURN(size_t appended, out.WritePage(*state.decoder, result, builder));
    const auto page_rows = static_cast<int64_t>(appended);
    rows += page_rows;
    if (out.held_bytes() > held_limit) {
      std::optional<RangeCutter::Cut> cut;
      if (cutter) {
        cut = cutter->Find(out.held(), out.held_first_row(), state.plan[index],
                           out.cuts_inside_batches());
      }
      if (cut) {
        CQLBULK_CO_RETURN_IF_ERROR(out.CommitHeld(cut->batches, cut->split));
        const ring::TokenRange rest(cut->token, state.plan[index].end());
        state.plan[index] = ring::TokenRange(state.plan[index].start(), cut->token);
        state.plan.push_back(rest);
        state.done.push_back(0);
        ++state.ranges_cut;
        out.MarkDone(index, cut->rows);
        index = state.plan.size() - 1;
        rows -= cut->rows;
      } else if (!cutter || out.held_bytes() > 2 * held_limit) {
        CQLBULK_CO_RETURN_IF_ERROR(out.Spill());
      }
    }
    if (state.rows_limiter.enabled()) co_await state.rows_limiter.Acquire(double(page_rows));
    if (state.bytes_limiter.enabled()) {
      co_await state.bytes_limiter.Acquire(double(page.size_bytes()));
    }
    if (!page.has_more_pages()) break;
    paging_state = page.paging_state();
  }
  co_return rows;
}

void ReportProgress(UnloadState& state) {
  if (state.options->progress == nullptr) return;
  state.options->progress->OnProgress({.ranges_done = state.ranges_done + state.pending_ranges,
                                       .ranges_total = state.plan.empty() ? 1 : state.plan.size(),
                                       .rows = state.committed_rows + state.pending_rows,
                                       .errors = 0,
                                       .elapsed = std::chrono::steady_clock::now() - state.start});
}

/// Pulls ranges until the queue is empty, a range has failed for good, or the run is
/// interrupted.
asio::awaitable<void> Worker(std::shared_ptr<UnloadState> shared, RangeCutter* cutter) {
  UnloadState& state = *shared;
  std::unique_ptr<RangeSink> sink = MakeRangeSink(state);
  RangeSink& out = *sink;
  data::BatchBuilder builder(state.schema, kBatchRows);
  while (!state.queue.empty() && !state.first_error && !state.interrupted()) {
    size_t index = state.queue.front();
    state.queue.pop_front();
    Result<int64_t> rows = Unexpected(Internal("no attempt"));
    for (int attempt = 1; attempt <= std::max(1, state.options->range_attempts); ++attempt) {
      builder.Reset();
      rows = co_await UnloadRange(state, index, out, builder, cutter);
      if (rows.has_value()) {
        Status committed = out.Commit();
        if (committed.has_value()) break;
        rows = Unexpected(committed.error());
      }
      out.Abort();
      if (WouldFailAgain(rows.error()) || rows.error().code() == ErrorCode::kIo) break;
      ++state.errors;
      if (attempt < state.options->range_attempts) {
        asio::steady_timer wait(co_await asio::this_coro::executor,
                                std::min(std::chrono::milliseconds(100 * attempt),
                                         std::chrono::milliseconds(2000)));
        co_await wait.async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      }
    }
    std::string name = state.ranged ? state.plan[index].ToString() : "the query";
    if (!rows.has_value()) {
      state.failures.push_back(name + ": " + rows.error().message());
      state.run->Log("failed " + name + ": " + rows.error().message());
      if (!state.first_error) state.first_error = std::move(rows.error());
      continue;
    }
    out.MarkDone(index, *rows);
    if (std::chrono::steady_clock::now() - state.last_checkpoint >= kCheckpointInterval) {
      Status saved = state.WriteCheckpoint();
      if (!saved.has_value() && !state.first_error) state.first_error = saved.error();
    }
    ReportProgress(state);
  }
  Status closed = out.Close();
  if (!closed.has_value() && !state.first_error) state.first_error = closed.error();
}

/// The SELECT of a table's columns over one token range, with write times and TTLs.
Result<std::string> TableQuery(const client::TableMetadata& table, const UnloadOptions& options,
                               std::vector<std::string>& names) {
  std::vector<const client::ColumnMetadata*> columns;
  if (options.columns.empty()) {
    for (const auto& c : table.columns) columns.push_back(&c);
  } else {
    for (const auto& name : options.columns) {
      const client::ColumnMetadata* c = table.FindColumn(name);
      if (c == nullptr) {
        return InvalidArgument("table " + table.keyspace + "." + table.name +
                               " has no column '" + name + "' (--columns)");
      }
      columns.push_back(c);
    }
  }
  std::string select;
  for (const auto* c : columns) {
    select += (select.empty() ? "" : ", ") + QuoteCqlIdentifier(c->name);
    names.push_back(c->name);
  }
  auto has_cell_metadata = [](const client::ColumnMetadata& c) {
    if (c.kind != cql::ColumnKind::kRegular && c.kind != cql::ColumnKind::kStatic) return false;
    if (c.type->id == cql::TypeId::kCounter) return false;
    bool collection = c.type->id == cql::TypeId::kList || c.type->id == cql::TypeId::kSet ||
                      c.type->id == cql::TypeId::kMap || c.type->id == cql::TypeId::kUdt;
    return !collection || c.type->frozen;
  };
  for (const char* function : {"writetime", "ttl"}) {
    bool wanted = std::string_view(function) == "writetime" ? options.include_writetime
                                                            : options.include_ttl;
    if (!wanted) continue;
    for (const auto* c : columns) {
      if (!has_cell_metadata(*c)) continue;
      select += std::string(", ") + function + "(" + QuoteCqlIdentifier(c->name) + ")";
      names.push_back(std::string(function) + "_" + c->name);
    }
  }
  std::string key;
  for (size_t i : table.partition_key) {
    key += (key.empty() ? "" : ", ") + QuoteCqlIdentifier(table.columns[i].name);
  }
  return "SELECT " + select + " FROM " + QuoteCqlIdentifier(table.keyspace) + "." +
         QuoteCqlIdentifier(table.name) + " WHERE token(" + key + ") > :start AND token(" + key +
         ") <= :end";
}

bool HasRangeMarkers(const std::string& query) {
  static const std::regex markers(R"(:start\b[\s\S]*:end\b|:end\b[\s\S]*:start\b)");
  return std::regex_search(query, markers);
}

/// The output files of an earlier run in `dir` (output-NNNNNN.*).
std::vector<std::string> ExistingOutputs(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    std::string name = entry.path().filename().string();
    if (name.rfind("output-", 0) == 0) names.push_back(name);
  }
  std::sort(names.begin(), names.end());
  return names;
}

/// Restores the state of the interrupted run in `state.run`: its plan, what it finished, and
/// its files cut back to what it committed (later files are removed).
Status RestoreCheckpoint(UnloadState& state) {
  CQLBULK_ASSIGN_OR_RETURN(std::string text, state.run->ReadCheckpoint());
  Json doc = Json::parse(text, nullptr, false);
  const UnloadOptions& options = *state.options;
  auto mismatch = [&](const char* what, const std::string& was, const std::string& now) {
    return InvalidArgument("cannot resume " + state.run->path() + ": it unloaded " + what + " " +
                           was + ", this run asks for " + now +
                           " (resume with the same options)");
  };
  if (doc.is_discarded() || doc.value("operation", "") != "unload") {
    return Corrupt(state.run->checkpoint_path() + " is not an unload checkpoint");
  }
  if (doc.value("keyspace", "") != options.keyspace || doc.value("table", "") != options.table) {
    return mismatch("table", doc.value("keyspace", "") + "." + doc.value("table", ""),
                    options.keyspace + "." + options.table);
  }
  if (doc.value("query", "") != state.query_text) {
    return mismatch("with the query", doc.value("query", ""), state.query_text);
  }
  if (doc.value("url", "") != options.url) {
    return mismatch("to", doc.value("url", ""), options.url);
  }
  std::string text_options = DescribeTextOptions(options.format, options.csv);
  if (doc.value("text_options", "") != text_options) {
    return mismatch("with", doc.value("text_options", ""), text_options);
  }
  std::string parquet_options = DescribeParquetOptions(options.parquet);
  if (options.format == FileFormat::kParquet &&
      doc.value("parquet_options", "") != parquet_options) {
    return mismatch("with", doc.value("parquet_options", ""), parquet_options);
  }
  if (doc.value("format", "") != FileFormatName(options.format) ||
      doc.value("compression", "") != formats::CompressionName(options.compression)) {
    return mismatch("as", doc.value("format", "") + "/" + doc.value("compression", ""),
                    std::string(FileFormatName(options.format)) + "/" +
                        std::string(formats::CompressionName(options.compression)));
  }
  state.plan.clear();
  for (const auto& r : doc["ranges"]) {
    CQLBULK_ASSIGN_OR_RETURN(ring::Token start, ring::Token::Parse(r[0].get<std::string>()));
    CQLBULK_ASSIGN_OR_RETURN(ring::Token end, ring::Token::Parse(r[1].get<std::string>()));
    state.plan.emplace_back(start, end);
  }
  std::string done = doc.value("done", "");
  size_t units = state.ranged ? state.plan.size() : 1;
  if (done.size() != units) return Corrupt(state.run->checkpoint_path() + ": bad 'done'");
  state.done.assign(units, 0);
  for (size_t i = 0; i < units; ++i) state.done[i] = done[i] == '1';
  state.next_file = doc.value("next_file", 1);
  state.committed_rows = doc.value("rows", int64_t{0});
  state.committed_bytes = doc.value("bytes", uint64_t{0});
  std::map<std::string, CommittedFile> files;
  for (const auto& f : doc["files"]) {
    files[f["name"].get<std::string>()] = {f["bytes"].get<uint64_t>(),
                                           f["records"].get<int64_t>()};
  }
  // Cut each file back to what the checkpoint says it holds; remove what came after it.
  for (const std::string& name : ExistingOutputs(options.url)) {
    auto it = files.find(name);
    std::string path = state.PathOf(name);
    if (it == files.end()) {
      std::error_code ec;
      fs::remove(path, ec);
      state.run->Log("resume: removed " + path + " (written after the last checkpoint)");
      continue;
    }
    std::error_code ec;
    if (fs::file_size(path, ec) != it->second.bytes) {
      fs::resize_file(path, it->second.bytes, ec);
      if (ec) return IoError("cannot cut " + path + " back: " + ec.message());
      state.run->Log("resume: cut " + path + " back to " + std::to_string(it->second.bytes) +
                     " bytes");
    }
  }
  for (const auto& [name, f] : files) {
    std::error_code ec;
    if (!fs::exists(state.PathOf(name), ec)) {
      return NotFound("cannot resume: " + state.PathOf(name) +
                      ", written by the interrupted run, is gone");
    }
  }
  state.files = std::move(files);
  return {};
}

/// The Iceberg sink of `state`'s run: the table's key columns are the unloaded ones of the
/// CQL primary key; a resumed run gets the checkpoint's "iceberg" part.
Result<std::unique_ptr<IcebergExport>> OpenIcebergExport(UnloadState& state,
                                                          client::Session& session) {
  const UnloadOptions& options = *state.options;
  std::vector<std::string> key;
  if (options.query.empty()) {
    const client::TableMetadata* table =
        session.topology()->FindTable(options.keyspace, options.table);
    if (table != nullptr) {
      for (const auto* part : {&table->partition_key, &table->clustering_key}) {
        for (size_t i : *part) {
          const std::string& name = table->columns[i].name;
          if (state.schema->FieldIndex(name)) key.push_back(name);
        }
      }
    }
  }
  Json checkpoint;
  if (!options.resume.empty()) {
    CQLBULK_ASSIGN_OR_RETURN(std::string text, state.run->ReadCheckpoint());
    checkpoint = Json::parse(text, nullptr, false);
    if (checkpoint.is_discarded() || !checkpoint.contains("iceberg")) {
      return Corrupt(state.run->checkpoint_path() + " is not the checkpoint of an Iceberg unload");
    }
    checkpoint = checkpoint["iceberg"];
  }
  return IcebergExport::Open(options, state.schema, std::move(key), *state.run,
                             options.resume.empty() ? nullptr : &checkpoint);
}

}  // namespace

asio::awaitable<Result<UnloadResult>> UnloadTable(client::Session& session,
                                                  const UnloadOptions& options) {
  auto start = std::chrono::steady_clock::now();
  if (options.concurrency < 1) {
    co_return Unexpected(InvalidArgument("concurrency must be at least 1"));
  }
  const bool iceberg = options.format == FileFormat::kIceberg;
  if (options.url.empty() && !iceberg) {
    co_return Unexpected(InvalidArgument("unload needs --url"));
  }
  if (options.max_records_per_file < 0) {
    co_return Unexpected(InvalidArgument("--max-records-per-file must not be negative"));
  }
  const bool to_stdout = options.url == "-";
  if (to_stdout && (options.format == FileFormat::kParquet || iceberg)) {
    co_return Unexpected(InvalidArgument(
        "Parquet files are not written to standard output (each worker writes whole files): "
        "give --url a directory"));
  }
  if (to_stdout && !options.resume.empty()) {
    co_return Unexpected(InvalidArgument(
        "an unload to standard output cannot be resumed (what it wrote is gone): unload to a "
        "directory to be able to resume"));
  }

  auto state = std::make_shared<UnloadState>();
  state->options = &options;
  state->session = &session;
  state->start = start;
  state->rows_limiter = RateLimiter(options.max_rows_per_second);
  state->bytes_limiter = RateLimiter(options.max_bytes_per_second);
  state->compression_level = options.compression_level;
  if (!state->compression_level && options.compression == formats::Compression::kXz) {
    state->compression_level = 1;
  }
  if (state->compression_level && options.format != FileFormat::kParquet) {
    CQLBULK_CO_RETURN_IF_ERROR(
        formats::ValidateLevel(options.compression, *state->compression_level));
  }

  // What to read.
  client::TopologyPtr topology = session.topology();
  if (options.query.empty()) {
    if (topology->FindKeyspace(options.keyspace) == nullptr) {
      co_return Unexpected(NotFound("keyspace " + options.keyspace + " does not exist"));
    }
    const client::TableMetadata* table = topology->FindTable(options.keyspace, options.table);
    if (table == nullptr) {
      co_return Unexpected(
          NotFound("table " + options.keyspace + "." + options.table + " does not exist"));
    }
    CQLBULK_CO_ASSIGN_OR_RETURN(state->query_text, TableQuery(*table, options, state->names));
  } else {
    state->query_text = options.query;
    state->ranged = HasRangeMarkers(options.query);
    if (state->ranged && options.keyspace.empty()) {
      co_return Unexpected(InvalidArgument(
          "a --query with :start and :end is run over the token ring of its keyspace: give it "
          "with --keyspace"));
    }
  }
  if (state->ranged) {
    CQLBULK_CO_ASSIGN_OR_RETURN(ring::Partitioner partitioner,
                                ring::ParsePartitioner(topology->partitioner()));
    if (partitioner != ring::Partitioner::kMurmur3) {
      co_return Unexpected(Unimplemented("unload over token ranges supports the Murmur3 "
                                         "partitioner only, not " + topology->partitioner()));
    }
  }
  CQLBULK_CO_ASSIGN_OR_RETURN(state->prepared,
                              co_await session.Prepare(state->query_text, options.keyspace));
  if (state->ranged) {
    const auto& markers = state->prepared->metadata.columns;
    if (markers.size() != 2 || markers[0].name != "start" || markers[1].name != "end") {
      co_return Unexpected(InvalidArgument(
          "the query must have exactly two bind markers, :start then :end (" +
          std::to_string(markers.size()) + " found): " + state->query_text));
    }
  }
  std::vector<cql::ColumnSpec> columns = state->prepared->result_metadata.columns;
  if (columns.empty()) {
    co_return Unexpected(InvalidArgument("the query returns no columns: " + state->query_text));
  }
  for (size_t i = 0; i < columns.size() && i < state->names.size(); ++i) {
    columns[i].name = state->names[i];
  }
  CQLBULK_CO_ASSIGN_OR_RETURN(state->schema, SchemaOf(columns));
  CQLBULK_CO_ASSIGN_OR_RETURN(RowDecoder decoder, RowDecoder::Make(columns, state->schema));
  state->decoder.emplace(std::move(decoder));
  if (options.format == FileFormat::kCsv && options.csv.header) {
    CQLBULK_CO_ASSIGN_OR_RETURN(state->header, CsvHeader(state->schema, options.csv));
  }

  // The run's folder, and the plan: a new one, or the interrupted run's.
  std::unique_ptr<RunDirectory> run;
  if (options.resume.empty()) {
    CQLBULK_CO_ASSIGN_OR_RETURN(run, RunDirectory::Create("unload", options.log_dir));
  } else {
    CQLBULK_CO_ASSIGN_OR_RETURN(run, RunDirectory::Open("unload", options.resume));
  }
  state->run = run.get();
  if (options.on_log_dir) options.on_log_dir(run->path());
  run->Log("unload " + state->query_text + " to " +
           (iceberg ? "Iceberg table " + options.iceberg.table.table : options.url));
  if (iceberg) {
    CQLBULK_CO_ASSIGN_OR_RETURN(state->iceberg, OpenIcebergExport(*state, session));
  } else if (!to_stdout) {
    std::error_code ec;
    fs::create_directories(options.url, ec);
    if (ec) co_return Unexpected(IoError("cannot create " + options.url + ": " + ec.message()));
  }
  if (!options.resume.empty()) {
    CQLBULK_CO_RETURN_IF_ERROR(RestoreCheckpoint(*state));
    for (uint8_t d : state->done) state->ranges_resumed += d;
    state->ranges_done = state->ranges_resumed;
    run->Log("resume: " + std::to_string(state->ranges_resumed) + " of " +
             std::to_string(state->done.size()) + " ranges were done");
  } else {
    if (!to_stdout && !iceberg) {
      std::vector<std::string> existing = ExistingOutputs(options.url);
      if (!existing.empty()) {
        co_return Unexpected(InvalidArgument(
            "the output directory " + options.url + " already holds " + existing.front() +
            " (and " + std::to_string(existing.size() - 1) +
            " more output files): choose an empty directory, or remove them"));
      }
    }
    if (state->ranged) {
      CQLBULK_CO_ASSIGN_OR_RETURN(RangePlan plan,
                                  PlanRanges(*topology, options.keyspace, options.splits));
      state->plan = std::move(plan.ranges);
      state->done.assign(state->plan.size(), 0);
    } else {
      state->done.assign(1, 0);
    }
    CQLBULK_CO_RETURN_IF_ERROR(state->WriteCheckpoint());
  }
  for (size_t i = 0; i < state->done.size(); ++i) {
    if (!state->done[i]) state->queue.push_back(i);
  }
  if (to_stdout) {
    CQLBULK_CO_ASSIGN_OR_RETURN(state->stdout_stream, formats::FileOutputStream::Open("-"));
    if (!state->header.empty()) {
      CQLBULK_CO_ASSIGN_OR_RETURN(
          auto frame, formats::CompressingStream(options.compression,
                                                 formats::Borrow(*state->stdout_stream),
                                                 state->compression_level));
      CQLBULK_CO_RETURN_IF_ERROR(frame->Write(AsBytes(state->header)));
      CQLBULK_CO_RETURN_IF_ERROR(frame->Close());
    }
  }

  int64_t retries_before = 0;
  for (const auto& h : session.host_stats()) retries_before += static_cast<int64_t>(h.retries);
  // Every worker runs on one strand, so the shared state needs no lock.
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  int workers = std::min<int>(options.concurrency, static_cast<int>(state->queue.size()));
  // Built outside the co_await: GCC 12 destroys a closure temporary of a co_await expression
  // twice, which here would release `state` early.
  std::optional<RangeCutter> cutter;
  if (state->ranged && options.query.empty()) {
    cutter = RangeCutter::Make(*topology->FindTable(options.keyspace, options.table),
                               *state->schema);
  }
  RangeCutter* shared_cutter = cutter ? &*cutter : nullptr;
  asio::awaitable<void> run_workers = RunWorkers(
      workers, [state, shared_cutter](int) { return Worker(state, shared_cutter); });
  co_await asio::co_spawn(strand, std::move(run_workers), asio::use_awaitable);
  if (state->stdout_stream) {
    Status closed = state->stdout_stream->Close();
    if (!closed.has_value() && !state->first_error) state->first_error = closed.error();
  }
  if (state->iceberg && !state->first_error && state->queue.empty() && !state->interrupted()) {
    Status ended = EndIcebergEpoch(*state);
    if (!ended.has_value()) state->first_error = ended.error();
  }
  Status saved = state->WriteCheckpoint();
  if (!saved.has_value() && !state->first_error) state->first_error = saved.error();

  UnloadResult result;
  result.rows = state->committed_rows;
  result.bytes = state->committed_bytes;
  result.ranges = state->done.size();
  result.ranges_cut = state->ranges_cut;
  result.ranges_resumed = state->ranges_resumed;
  for (const auto& [name, f] : state->files) result.files.push_back(state->PathOf(name));
  if (state->iceberg) {
    for (std::string& path : state->iceberg->file_paths()) result.files.push_back(std::move(path));
    result.values_changed = state->iceberg->values_changed();
  }
  int64_t retries_after = 0;
  for (const auto& h : session.host_stats()) retries_after += static_cast<int64_t>(h.retries);
  result.retries = retries_after - retries_before;
  result.errors = state->errors;
  result.values_changed += state->values_changed;
  if (state->values_changed > 0) {
    run->Log("warning: the Parquet type mapping changed " +
             std::to_string(state->values_changed) + " values (rounded or truncated)");
  }
  result.log_dir = run->path();
  result.duration = std::chrono::steady_clock::now() - start;

  std::string orphans;
  if (state->iceberg && (state->first_error || !state->queue.empty())) {
    std::vector<std::string> kept = state->iceberg->Abandon();
    if (!kept.empty()) {
      orphans = "; the table is unchanged, " + std::to_string(kept.size()) +
                " files (data files and their manifests) are not committed (listed in " +
                run->path() +
                "/operation.log; --resume commits them)";
    }
  }
  if (state->first_error && WouldFailAgain(*state->first_error)) {
    std::string message = "unload failed: the server refused the query (" +
                          state->first_error->message() + "): " + state->query_text;
    run->Log(message);
    co_return Unexpected(Error(ErrorCode::kInvalidArgument, std::move(message)));
  }
  if (state->first_error) {
    std::string message = "unload failed: " + std::to_string(state->failures.size()) +
                          " range(s) could not be read: ";
    for (size_t i = 0; i < state->failures.size() && i < 10; ++i) {
      message += (i == 0 ? "" : "; ") + state->failures[i];
    }
    if (state->failures.empty()) message = "unload failed: " + state->first_error->message();
    if (state->failures.size() > 10) message += "; ...";
    message += " (the files hold every range finished; resume with --resume " + run->path() + ")";
    message += orphans;
    run->Log(message);
    co_return Unexpected(Error(state->first_error->code(), std::move(message)));
  }
  if (!state->queue.empty()) {
    std::string message = "unload interrupted: " + std::to_string(state->ranges_done) + " of " +
                          std::to_string(state->done.size()) + " ranges written (" +
                          std::to_string(state->committed_rows) +
                          " rows); continue with --resume " + run->path() + orphans;
    run->Log(message);
    co_return Unexpected(Cancelled(std::move(message)));
  }
  if (state->iceberg) {
    Result<IcebergExportResult> committed = state->iceberg->Commit();
    if (!committed.has_value()) {
      std::vector<std::string> kept = state->iceberg->Abandon();
      std::string message = "unload failed: the Iceberg commit to " +
                            options.iceberg.table.table + " failed: " +
                            committed.error().message() + "; the table is unchanged, " +
                            std::to_string(kept.size()) +
                            " files (data files and their manifests) are not committed (";
      for (size_t i = 0; i < kept.size() && i < 3; ++i) message += kept[i] + ", ";
      message += kept.size() > 3 ? "... all " : "";
      message += "listed in " + run->path() + "/operation.log); retry the commit with --resume " +
                 run->path() + ", or remove them";
      run->Log(message);
      co_return Unexpected(Error(committed.error().code(), std::move(message)));
    }
    result.iceberg = std::move(*committed);
  }
  run->Log("unloaded " + std::to_string(result.rows) + " rows in " +
           std::to_string(result.files.size()) + " files; " + std::to_string(result.ranges_cut) +
           " ranges cut between partitions while read (past " +
           std::to_string(options.held_rows_memory) + " bytes of rows held)");
  co_return result;
}

Result<UnloadResult> UnloadSync(UnloadOptions options) {
  return client::RunSync([](UnloadOptions options) -> asio::awaitable<Result<UnloadResult>> {
    CQLBULK_CO_ASSIGN_OR_RETURN(auto session,
                                co_await client::Session::Connect(options.session));
    auto result = co_await UnloadTable(*session, options);
    session->Close();
    co_return result;
  }(std::move(options)));
}

}  // namespace cqlbulk::ops
