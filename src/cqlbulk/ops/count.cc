// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/count.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <memory>
#include <optional>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/cql_literal.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/ops/execution.h"
#include "cqlbulk/ops/range_plan.h"
#include "cqlbulk/ring/partitioner.h"
#include "cqlbulk/ring/range_query.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ops {
namespace {

// kAuto picks count(*) when no per-partition statistics are asked for. Measured on a 3-node
// in-process cqlsim (16 vnodes, RF 1, 200,000 rows of (k int PRIMARY KEY, v int), 385 ranges,
// concurrency 16, page size 5000, 2-core machine; tests/integration/ops/count_timing_test.cc,
// run with CQLBULK_COUNT_TIMING=1), three rounds each:
//   count(*)          135, 127, 108 ms
//   streaming keys    154, 140, 140 ms
// count(*) is 10-25% faster even on loopback, where the server-side scan dominates; over a real
// network it also moves one row per range instead of one per row and the client decodes
// nothing. Streaming keys is used only when the largest partitions are asked for.
constexpr CountMethod kDefaultMethod = CountMethod::kCountStar;

/// One piece of the plan, and where its count goes.
struct WorkItem {
  ring::TokenRange range;
  size_t index = 0;  ///< into CountResult::range_rows
};

/// State shared by the workers; touched only on the strand they all run on.
struct CountState {
  const CountOptions* options = nullptr;
  client::Session* session = nullptr;
  client::PreparedPtr query;
  CountMethod method = CountMethod::kCountStar;
  std::vector<size_t> key_columns;  ///< indexes of the pk columns in the result (kStreamKeys)
  std::deque<WorkItem> queue;
  CountResult result;
  std::vector<std::string> failures;  ///< "(a, b]: cause"
  std::optional<Error> first_error;
  size_t ranges_done = 0;
  std::chrono::steady_clock::time_point start;

  bool interrupted() const {
    return options->interrupted != nullptr && options->interrupted->load();
  }
};

/// Tracks partitions as rows stream by (rows of a partition are contiguous in a range scan).
class PartitionTracker {
 public:
  explicit PartitionTracker(size_t top) : top_(top) {}

  void Row(const cql::RowsResult& rows, const cql::RowsCursor& cursor) {
    Bytes& key = scratch_;  // reused: no allocation per row
    key.clear();
    for (size_t i = 0; i < cursor.num_columns(); ++i) {
      auto cell = cursor.cell(i);
      uint32_t n = cell ? static_cast<uint32_t>(cell->size()) : 0xffffffffu;
      uint8_t len[4];
      StoreBE32(len, n);
      key.insert(key.end(), len, len + 4);
      if (cell) key.insert(key.end(), cell->begin(), cell->end());
    }
    if (has_current_ && key == current_) {
      ++current_rows_;
      return;
    }
    Flush();
    std::swap(current_, key);
    current_rows_ = 1;
    has_current_ = true;
    current_text_.clear();
    for (size_t i = 0; i < cursor.num_columns(); ++i) {
      const cql::DataType& type = *rows.metadata.columns[i].type;
      auto value = cql::DecodeNullableValue(type, cursor.cell(i));
      current_text_ += (i == 0 ? "" : ", ") +
                       (value ? cql::FormatCqlLiteral(type, *value) : std::string("?"));
    }
  }

  /// Ends the current partition (at the end of a range).
  void Flush() {
    if (!has_current_) return;
    has_current_ = false;
    if (top_ == 0) return;
    top_list_.push_back({std::move(current_text_), current_rows_});
    std::sort(top_list_.begin(), top_list_.end(),
              [](const PartitionCount& a, const PartitionCount& b) { return a.rows > b.rows; });
    if (top_list_.size() > top_) top_list_.pop_back();
  }

  std::vector<PartitionCount>& top() { return top_list_; }

 private:
  size_t top_;
  bool has_current_ = false;
  Bytes current_;
  Bytes scratch_;
  std::string current_text_;
  int64_t current_rows_ = 0;
  std::vector<PartitionCount> top_list_;
};

/// Counts one range, page by page. Returns the rows and the host of the last page.
asio::awaitable<Result<RangeCount>> CountRange(CountState& state, const ring::TokenRange& range,
                                               PartitionTracker* partitions) {
  const CountOptions& options = *state.options;
  RangeCount out{range.start().ToString(), range.end().ToString(), 0, {}};
  std::optional<Bytes> paging_state;
  while (true) {
    client::Statement statement = client::Statement::Execute(
        state.query, {cql::BoundValue::BigInt(range.start().value()),
                      cql::BoundValue::BigInt(range.end().value())});
    statement.keyspace = options.keyspace;
    statement.consistency = options.consistency;
    statement.page_size = options.page_size;
    statement.paging_state = paging_state;
    statement.is_idempotent = true;
    statement.SetRoutingRange(range);
    int64_t failed = 0;
    Result<client::ResultPage> page =
        co_await ExecuteWithAttempts(*state.session, statement, options.page_attempts, failed);
    state.result.errors += failed;
    state.result.retries += std::max<int64_t>(0, failed - (page.has_value() ? 0 : 1));
    if (!page.has_value()) co_return Unexpected(std::move(page.error()));
    const int64_t rows_before = out.rows;
    const cql::RowsResult& rows = page->rows();
    cql::RowsCursor cursor = rows.cursor();
    while (true) {
      auto more = cursor.Next();
      if (!more.has_value()) co_return Unexpected(std::move(more.error()));
      if (!*more) break;
      if (state.method == CountMethod::kCountStar) {
        auto cell = cursor.cell(0);
        if (!cell || cell->size() != 8) {
          co_return Unexpected(ProtocolError("count(*) did not return one bigint"));
        }
        out.rows += static_cast<int64_t>(LoadBE64(cell->data()));
      } else {
        ++out.rows;
        if (partitions != nullptr) partitions->Row(rows, cursor);
      }
    }
    // Rows go to the host that served their page (a retried page may move to another one).
    if (options.stats_hosts) state.result.host_rows[page->host()] += out.rows - rows_before;
    out.host = page->host();
    if (!page->has_more_pages()) break;
    paging_state = page->paging_state();
  }
  if (partitions != nullptr) partitions->Flush();
  co_return out;
}

/// Pulls ranges until the queue is empty or some range has failed.
asio::awaitable<void> Worker(std::shared_ptr<CountState> state) {
  PartitionTracker partitions(static_cast<size_t>(std::max(0, state->options->top_partitions)));
  bool track = state->method == CountMethod::kStreamKeys && state->options->top_partitions > 0;
  while (!state->queue.empty() && !state->first_error && !state->interrupted()) {
    WorkItem item = state->queue.front();
    state->queue.pop_front();
    auto counted = co_await CountRange(*state, item.range, track ? &partitions : nullptr);
    if (!counted.has_value()) {
      state->failures.push_back(item.range.ToString() + ": " + counted.error().message());
      if (!state->first_error) state->first_error = std::move(counted.error());
      continue;
    }
    state->result.rows += counted->rows;
    if (state->options->stats_ranges) state->result.range_rows[item.index] = std::move(*counted);
    ++state->ranges_done;
    if (state->options->progress != nullptr) {
      state->options->progress->OnProgress(
          {.ranges_done = state->ranges_done,
           .ranges_total = state->result.ranges,
           .rows = state->result.rows,
           .elapsed = std::chrono::steady_clock::now() - state->start});
    }
  }
  for (auto& p : partitions.top()) state->result.top_partitions.push_back(std::move(p));
}

}  // namespace

std::string_view ConsistencyName(cql::Consistency level) { return cql::ConsistencyName(level); }

Result<cql::Consistency> ParseConsistency(std::string_view name) {
  std::string upper(name);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string accepted;
  for (uint16_t code = 0; code <= 0x000A; ++code) {
    auto level = static_cast<cql::Consistency>(code);
    std::string_view level_name = cql::ConsistencyName(level);
    if (level_name == upper) return level;
    accepted += (accepted.empty() ? "" : ", ") + std::string(level_name);
  }
  return InvalidArgument("unknown consistency level '" + std::string(name) + "' (one of " +
                         accepted + ")");
}

std::string_view CountMethodName(CountMethod method) {
  switch (method) {
    case CountMethod::kAuto:
      return "auto";
    case CountMethod::kCountStar:
      return "count(*)";
    case CountMethod::kStreamKeys:
      return "stream-keys";
  }
  return "auto";
}

Result<CountMethod> ParseCountMethod(std::string_view name) {
  if (name == "auto") return CountMethod::kAuto;
  if (name == "count" || name == CountMethodName(CountMethod::kCountStar)) {
    return CountMethod::kCountStar;
  }
  if (name == "stream" || name == CountMethodName(CountMethod::kStreamKeys)) {
    return CountMethod::kStreamKeys;
  }
  return InvalidArgument("unknown count method '" + std::string(name) +
                         "' (auto, count or stream)");
}

asio::awaitable<Result<CountResult>> CountTable(client::Session& session,
                                                const CountOptions& options) {
  auto start = std::chrono::steady_clock::now();
  client::TopologyPtr topology = session.topology();
  CQLBULK_CO_ASSIGN_OR_RETURN(ring::Partitioner partitioner,
                              ring::ParsePartitioner(topology->partitioner()));
  if (partitioner != ring::Partitioner::kMurmur3) {
    co_return Unexpected(Unimplemented("count supports the Murmur3 partitioner only, not " +
                                       topology->partitioner()));
  }
  if (topology->FindKeyspace(options.keyspace) == nullptr) {
    co_return Unexpected(NotFound("keyspace " + options.keyspace + " does not exist"));
  }
  const client::TableMetadata* table = topology->FindTable(options.keyspace, options.table);
  if (table == nullptr) {
    co_return Unexpected(NotFound("table " + options.keyspace + "." + options.table +
                                  " does not exist"));
  }
  if (options.concurrency < 1) {
    co_return Unexpected(InvalidArgument("concurrency must be at least 1"));
  }
  if (options.method == CountMethod::kCountStar && options.top_partitions > 0) {
    co_return Unexpected(InvalidArgument(
        "the largest partitions are found by streaming keys: they need the stream method, "
        "not count(*)"));
  }
  CQLBULK_CO_ASSIGN_OR_RETURN(RangePlan counted_plan,
                              PlanRanges(*topology, options.keyspace, options.splits));
  const std::vector<ring::TokenRange>& plan = counted_plan.ranges;

  auto state = std::make_shared<CountState>();
  state->options = &options;
  state->session = &session;
  state->start = start;
  state->method = options.method;
  if (state->method == CountMethod::kAuto) {
    state->method = options.top_partitions > 0 ? CountMethod::kStreamKeys : kDefaultMethod;
  }
  ring::RangeQuery query{.keyspace = options.keyspace, .table = options.table};
  for (size_t i : table->partition_key) query.partition_key.push_back(table->columns[i].name);
  query.count = state->method == CountMethod::kCountStar;
  if (!query.count) query.columns = query.partition_key;
  CQLBULK_CO_ASSIGN_OR_RETURN(std::string text, ring::BuildRangeQuery(query));
  CQLBULK_CO_ASSIGN_OR_RETURN(state->query, co_await session.Prepare(text, options.keyspace));

  int64_t retries_before = 0;
  for (const auto& h : session.host_stats()) retries_before += static_cast<int64_t>(h.retries);
  state->result.method = state->method;
  state->result.ranges = plan.size();
  state->result.replicas = counted_plan.replicas;
  if (options.stats_ranges) state->result.range_rows.resize(plan.size());
  // range_rows in token order: sort the plan's indexes by start token.
  std::vector<size_t> order(plan.size());
  for (size_t i = 0; i < plan.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(),
            [&](size_t a, size_t b) { return plan[a].start() < plan[b].start(); });
  std::vector<size_t> slot(plan.size());
  for (size_t i = 0; i < order.size(); ++i) slot[order[i]] = i;
  for (size_t i = 0; i < plan.size(); ++i) state->queue.push_back({plan[i], slot[i]});

  // Every worker runs on one strand, so the shared state needs no lock.
  auto strand = asio::make_strand(co_await asio::this_coro::executor);
  int workers = std::min<int>(options.concurrency, static_cast<int>(plan.size()));
  // Built outside the co_await: GCC 12 destroys a closure temporary of a co_await expression
  // twice, which here would release `state` early.
  asio::awaitable<void> run_workers = RunWorkers(workers, [state](int) { return Worker(state); });
  co_await asio::co_spawn(strand, std::move(run_workers), asio::use_awaitable);

  if (!state->first_error && !state->queue.empty()) {  // stopped by options.interrupted
    co_return Unexpected(Cancelled(
        "count interrupted: " + std::to_string(state->ranges_done) + " of " +
        std::to_string(plan.size()) + " ranges counted (" + std::to_string(state->result.rows) +
        " rows so far, not the table's total)"));
  }
  if (state->first_error) {
    std::string message = "count failed: " + std::to_string(state->failures.size()) +
                          " range(s) could not be read: ";
    for (size_t i = 0; i < state->failures.size() && i < 10; ++i) {
      message += (i == 0 ? "" : "; ") + state->failures[i];
    }
    if (state->failures.size() > 10) message += "; ...";
    co_return Unexpected(Error(state->first_error->code(), std::move(message)));
  }
  CountResult result = std::move(state->result);
  int64_t retries_after = 0;
  for (const auto& h : session.host_stats()) retries_after += static_cast<int64_t>(h.retries);
  result.retries += retries_after - retries_before;
  std::sort(result.top_partitions.begin(), result.top_partitions.end(),
            [](const PartitionCount& a, const PartitionCount& b) { return a.rows > b.rows; });
  if (result.top_partitions.size() > static_cast<size_t>(std::max(0, options.top_partitions))) {
    result.top_partitions.resize(static_cast<size_t>(options.top_partitions));
  }
  result.duration = std::chrono::steady_clock::now() - start;
  co_return result;
}

asio::awaitable<Result<CountResult>> Count(CountOptions options) {
  CQLBULK_CO_ASSIGN_OR_RETURN(auto session, co_await client::Session::Connect(options.session));
  auto result = co_await CountTable(*session, options);
  session->Close();
  co_return result;
}

Result<CountResult> CountSync(CountOptions options) {
  return client::RunSync(Count(std::move(options)));
}

}  // namespace cqlbulk::ops
