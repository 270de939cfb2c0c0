// SPDX-License-Identifier: Apache-2.0
// cqlsim scan throughput: does the engine serve a full scan at page size 5000 at least as fast
// as a client can decode the pages? Loads a 10-column table through Engine::Handle (prepared
// EXECUTE and UNLOGGED BATCH), pages through it (the whole table, then token range by token
// range, on one or more threads) and times the client-side decode of the same RESULT bodies.
// It prints figures and asserts nothing about timing; it fails only when a request fails or
// a scan does not return every row exactly once. `--help` lists the flags.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include <benchmark/benchmark.h>

#include "bench_util.h"
#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/flags.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/ring/murmur3.h"
#include "cqlbulk/ring/token_allocation.h"
#include "cqlbulk/sim/engine/engine.h"
#include "cqlbulk/sim/model/topology.h"

namespace cqlbulk::bench {
namespace {

constexpr uint64_t kRingSeed = 42;
constexpr uint32_t kNumNodes = 3;
constexpr const char* kCreateTable =
    "CREATE TABLE ks.t (pk bigint PRIMARY KEY, c_int int, c_bigint bigint, c_name text, "
    "c_double double, c_ts timestamp, c_uuid uuid, c_flag boolean, c_note text, c_count int)";
constexpr const char* kInsert =
    "INSERT INTO ks.t (pk, c_int, c_bigint, c_name, c_double, c_ts, c_uuid, c_flag, c_note, "
    "c_count) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
constexpr const char* kFullScan = "SELECT * FROM ks.t";
constexpr const char* kRangeScan = "SELECT * FROM ks.t WHERE token(pk) > ? AND token(pk) <= ?";

struct Options {
  int64_t rows = 1'000'000;
  int64_t threads = 1;
  int64_t page_size = 5000;
  int64_t batch_size = 20;
  int64_t execute_rows = -1;  ///< rows loaded by single EXECUTEs; -1: a tenth of `rows`
  int64_t vnodes = 16;
  int64_t protocol_version = 4;
  int64_t decode_rows = -1;  ///< rows of RESULT bodies kept for the decode figures; -1: all
  int64_t min_decode_ms = 1000;
  int64_t repeat = 3;  ///< passes of each served scan; figures are over all of them
  /// Insert in ring order instead of key order (random token order, as a real load).
  bool token_order = false;
  /// Skip the background compaction a running cluster does once the load goes quiet, so that
  /// the first scan compacts (the case of a scan started right after the load).
  bool no_idle_compaction = false;
};

// --- requests through Engine::Handle ---------------------------------------------------------

Status CheckReply(const sim::Reply& reply, std::string_view what) {
  if (const auto* response = std::get_if<cql::Response>(&reply.message)) {
    if (const auto* error = std::get_if<cql::ErrorResponse>(response)) {
      return Error(ErrorCode::kServer, std::string(what) + ": " + error->message, error->code);
    }
  }
  return {};
}

Status Exec(sim::Engine& engine, sim::Session& session, const std::string& query) {
  cql::QueryParameters params;
  params.consistency = cql::Consistency::kOne;
  return CheckReply(engine.Handle(cql::QueryRequest{query, std::move(params)}, 0, session), query);
}

Result<cql::PreparedResult> Prepare(sim::Engine& engine, sim::Session& session,
                                    const std::string& query) {
  sim::Reply reply = engine.Handle(cql::PrepareRequest{query, std::nullopt}, 0, session);
  CQLBULK_RETURN_IF_ERROR(CheckReply(reply, query));
  const auto* response = std::get_if<cql::Response>(&reply.message);
  const auto* result = response ? std::get_if<cql::ResultResponse>(response) : nullptr;
  const auto* prepared = result ? std::get_if<cql::PreparedResult>(&result->result) : nullptr;
  if (prepared == nullptr) {
    return Error(ErrorCode::kInternal, query + ": PREPARE did not answer Prepared");
  }
  return *prepared;
}

cql::ExecuteRequest MakeExecute(const cql::PreparedResult& prepared,
                                std::vector<cql::BoundValue> values) {
  cql::ExecuteRequest request;
  request.id = prepared.id;
  request.result_metadata_id = prepared.result_metadata_id;
  request.params.consistency = cql::Consistency::kOne;
  request.params.values = std::move(values);
  return request;
}

// --- the table's rows ------------------------------------------------------------------------

/// splitmix64: the row of key k is a pure function of k.
uint64_t Mix(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

cql::BoundValue Be32(uint32_t v) {
  uint8_t b[4];
  StoreBE32(b, v);
  return cql::BoundValue::Of(BytesView(b, 4));
}

cql::BoundValue Be64(uint64_t v) {
  uint8_t b[8];
  StoreBE64(b, v);
  return cql::BoundValue::Of(BytesView(b, 8));
}

/// Lower-case letters and digits, `base_length` +- 20%.
cql::BoundValue Word(uint64_t seed, size_t base_length) {
  static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  size_t spread = base_length / 5;
  size_t length = base_length - spread + static_cast<size_t>(seed % (2 * spread + 1));
  std::string text(length, 'a');
  for (size_t i = 0; i < length; ++i) {
    seed = Mix(seed);
    text[i] = kAlphabet[seed % 36];
  }
  return cql::BoundValue::Of(AsBytes(text));
}

std::vector<cql::BoundValue> RowValues(int64_t k) {
  uint64_t r = Mix(static_cast<uint64_t>(k));
  std::vector<cql::BoundValue> values;
  values.reserve(10);
  values.push_back(Be64(static_cast<uint64_t>(k)));  // pk bigint
  values.push_back(Be32(static_cast<uint32_t>(r)));  // c_int int
  values.push_back(Be64(Mix(r)));                    // c_bigint bigint
  values.push_back(Word(Mix(r + 1), 20));            // c_name text
  double d = static_cast<double>(r >> 11) / static_cast<double>(1ULL << 53) * 1e6;
  uint64_t d_bits = 0;
  std::memcpy(&d_bits, &d, 8);
  values.push_back(Be64(d_bits));  // c_double double
  values.push_back(Be64(1'700'000'000'000ULL + static_cast<uint64_t>(k) * 1000));  // c_ts
  Bytes uuid(16);
  StoreBE64(uuid.data(), (Mix(r + 2) & ~0xF000ULL) | 0x4000ULL);              // version 4
  StoreBE64(uuid.data() + 8, (Mix(r + 3) & ~(3ULL << 62)) | (2ULL << 62));    // IETF variant
  values.push_back(cql::BoundValue::Of(uuid));                                // c_uuid uuid
  values.push_back(cql::BoundValue::Of(Bytes{static_cast<uint8_t>(r & 1)}));  // c_flag boolean
  values.push_back(Word(Mix(r + 4), 40));                                     // c_note text
  values.push_back(Be32(static_cast<uint32_t>(r >> 40) % 1000));              // c_count int
  return values;
}

// --- load ------------------------------------------------------------------------------------

struct LoadFigures {
  int64_t execute_rows = 0;
  Elapsed execute_time;
  int64_t batch_rows = 0;
  Elapsed batch_time;
};

/// The keys 0 .. rows - 1 in the order they are inserted: key order (their tokens in random
/// order), or sorted by token, the best case for the memory locality of a scan.
std::vector<int64_t> InsertOrder(const Options& options) {
  std::vector<int64_t> keys(static_cast<size_t>(options.rows));
  for (size_t i = 0; i < keys.size(); ++i) {
    keys[i] = static_cast<int64_t>(i);
  }
  if (options.token_order) {
    auto token = [](int64_t k) {
      uint8_t b[8];
      StoreBE64(b, static_cast<uint64_t>(k));
      return ring::Murmur3Token(BytesView(b, 8));
    };
    std::sort(keys.begin(), keys.end(), [&](int64_t a, int64_t b) { return token(a) < token(b); });
  }
  return keys;
}

/// The first `execute_rows` keys by single EXECUTEs sent to the key's primary replica, as a
/// token-aware driver does; the rest by UNLOGGED BATCHes of `batch_size` prepared INSERTs.
Result<LoadFigures> LoadRows(sim::Engine& engine, sim::Session& session, const Options& options) {
  CQLBULK_ASSIGN_OR_RETURN(cql::PreparedResult insert, Prepare(engine, session, kInsert));
  const ring::Ring& ring = engine.topology()->ring;
  const std::vector<int64_t> keys = InsertOrder(options);
  LoadFigures figures;
  figures.execute_rows = std::min(options.rows, options.execute_rows);
  Stopwatch execute_watch;
  for (int64_t i = 0; i < figures.execute_rows; ++i) {
    cql::ExecuteRequest request = MakeExecute(insert, RowValues(keys[static_cast<size_t>(i)]));
    ring::HostIndex owner = ring.Owner(ring::Murmur3Token(request.params.values[0].bytes));
    CQLBULK_RETURN_IF_ERROR(CheckReply(engine.Handle(request, owner, session), "INSERT"));
  }
  figures.execute_time = execute_watch.elapsed();

  Stopwatch batch_watch;
  ring::HostIndex coordinator = 0;
  for (int64_t i = figures.execute_rows; i < options.rows;) {
    cql::BatchRequest batch;
    batch.type = cql::BatchType::kUnlogged;
    batch.consistency = cql::Consistency::kOne;
    for (int64_t end = std::min(options.rows, i + options.batch_size); i < end; ++i) {
      batch.statements.push_back(
          cql::BatchStatement{.is_prepared = true,
                              .query = {},
                              .id = insert.id,
                              .values = RowValues(keys[static_cast<size_t>(i)])});
      ++figures.batch_rows;
    }
    CQLBULK_RETURN_IF_ERROR(CheckReply(engine.Handle(batch, coordinator, session), "BATCH"));
    coordinator = (coordinator + 1) % kNumNodes;
  }
  figures.batch_time = batch_watch.elapsed();
  return figures;
}

// --- serving ---------------------------------------------------------------------------------

struct ScanFigures {
  int64_t rows = 0;
  int64_t pages = 0;
  int64_t bytes = 0;  ///< RESULT body bytes
  /// Time in Handle (one thread); with several threads, wall time from start to end and CPU
  /// time summed over the threads.
  Elapsed time;

  void Add(const ScanFigures& other) {
    rows += other.rows;
    pages += other.pages;
    bytes += other.bytes;
    time.Add(other.time);
  }
};

/// Pages through one statement to the end, following paging_state. `make_request` builds the
/// request for a paging state; only Handle is timed. Bodies go to `keep` while it holds fewer
/// than `keep_rows` rows.
template <typename MakeRequest>
Status PageThrough(sim::Engine& engine, sim::Session& session, ring::HostIndex coordinator,
                   const MakeRequest& make_request, ScanFigures& figures,
                   std::vector<Bytes>* keep = nullptr, int64_t keep_rows = 0) {
  std::optional<Bytes> paging_state;
  int64_t kept_rows = 0;
  do {
    cql::Request request = make_request(std::move(paging_state));
    Stopwatch watch;
    sim::Reply reply = engine.Handle(request, coordinator, session);
    figures.time.Add(watch.elapsed());
    auto* body = std::get_if<Bytes>(&reply.message);
    if (body == nullptr) {
      CQLBULK_RETURN_IF_ERROR(CheckReply(reply, "SELECT"));
      return Error(ErrorCode::kInternal, "SELECT did not answer Rows");
    }
    CQLBULK_ASSIGN_OR_RETURN(cql::RowsResult rows,
                             cql::ParseRowsResult(*body, session.protocol_version));
    figures.rows += rows.rows_count;
    figures.bytes += static_cast<int64_t>(body->size());
    ++figures.pages;
    paging_state = std::move(rows.metadata.paging_state);
    if (keep != nullptr && kept_rows < keep_rows) {
      kept_rows += rows.rows_count;
      keep->push_back(std::move(*body));
    }
  } while (paging_state.has_value());
  return {};
}

cql::QueryParameters PageParameters(const Options& options, std::optional<Bytes> paging_state) {
  cql::QueryParameters params;
  params.consistency = cql::Consistency::kOne;
  params.page_size = static_cast<int32_t>(options.page_size);
  params.paging_state = std::move(paging_state);
  return params;
}

/// `SELECT * FROM ks.t` from node 0, page by page.
Result<ScanFigures> ServeFullScan(sim::Engine& engine, const Options& options,
                                  std::vector<Bytes>* keep = nullptr, int64_t keep_rows = 0) {
  sim::Session session{.keyspace = {},
                       .protocol_version = static_cast<int>(options.protocol_version)};
  auto make = [&options](std::optional<Bytes> paging_state) -> cql::Request {
    return cql::QueryRequest{kFullScan, PageParameters(options, std::move(paging_state))};
  };
  ScanFigures figures;
  CQLBULK_RETURN_IF_ERROR(PageThrough(engine, session, 0, make, figures, keep, keep_rows));
  return figures;
}

struct RangeTask {
  ring::TokenRange range;
  ring::HostIndex coordinator = 0;  ///< the range's primary replica
};

/// The natural ranges, unwrapped ((a, Max] and (Min, b] for the one that wraps).
std::vector<RangeTask> RangeTasks(const ring::Ring& ring) {
  std::vector<RangeTask> tasks;
  for (size_t i = 0; i < ring.num_entries(); ++i) {
    for (const ring::TokenRange& piece : ring.NaturalRange(i).Unwrap()) {
      tasks.push_back(RangeTask{piece, ring.entries()[i].host});
    }
  }
  return tasks;
}

/// The bulk tool's shape: each range by a prepared token-range SELECT at its primary replica,
/// ranges taken from a shared queue by `num_threads` threads.
Result<ScanFigures> ServeRanges(sim::Engine& engine, const Options& options,
                                std::span<const RangeTask> tasks, int64_t num_threads) {
  sim::Session session{.keyspace = {},
                       .protocol_version = static_cast<int>(options.protocol_version)};
  CQLBULK_ASSIGN_OR_RETURN(cql::PreparedResult select, Prepare(engine, session, kRangeScan));
  std::atomic<size_t> next{0};
  std::vector<ScanFigures> per_thread(static_cast<size_t>(num_threads));
  std::vector<Status> statuses(static_cast<size_t>(num_threads));
  auto work = [&](size_t t) {
    sim::Session own{.keyspace = {}, .protocol_version = session.protocol_version};
    for (size_t i = next++; i < tasks.size(); i = next++) {
      const RangeTask& task = tasks[i];
      auto make = [&](std::optional<Bytes> paging_state) -> cql::Request {
        cql::ExecuteRequest request =
            MakeExecute(select, {Be64(static_cast<uint64_t>(task.range.start().value())),
                                 Be64(static_cast<uint64_t>(task.range.end().value()))});
        request.params.page_size = static_cast<int32_t>(options.page_size);
        request.params.paging_state = std::move(paging_state);
        return request;
      };
      statuses[t] = PageThrough(engine, own, task.coordinator, make, per_thread[t]);
      if (!statuses[t].has_value()) {
        return;
      }
    }
  };
  Stopwatch watch;
  std::vector<std::thread> threads;
  for (size_t t = 1; t < per_thread.size(); ++t) {
    threads.emplace_back(work, t);
  }
  work(0);
  for (std::thread& thread : threads) {
    thread.join();
  }
  double wall_seconds = watch.elapsed().wall;
  ScanFigures total;
  for (size_t t = 0; t < per_thread.size(); ++t) {
    CQLBULK_RETURN_IF_ERROR(statuses[t]);
    total.Add(per_thread[t]);
  }
  if (num_threads > 1) {
    total.time.wall = wall_seconds;
  }
  return total;
}

Status CheckRowCount(const ScanFigures& f, int64_t expected, const char* what) {
  if (f.rows != expected) {
    return Error(ErrorCode::kInternal, std::string(what) + " returned " + std::to_string(f.rows) +
                                           " rows, expected " + std::to_string(expected));
  }
  return {};
}

/// ServeRanges `options.repeat` times, each pass checked to return every row once.
Result<ScanFigures> ServeRangesRepeatedly(sim::Engine& engine, const Options& options,
                                          std::span<const RangeTask> tasks, int64_t num_threads) {
  ScanFigures total;
  for (int64_t pass = 0; pass < options.repeat; ++pass) {
    CQLBULK_ASSIGN_OR_RETURN(ScanFigures one, ServeRanges(engine, options, tasks, num_threads));
    CQLBULK_RETURN_IF_ERROR(CheckRowCount(one, options.rows, "token ranges"));
    total.Add(one);
  }
  return total;
}

// --- client decode ---------------------------------------------------------------------------

enum class DecodeDepth : uint8_t {
  kCursor,  ///< ParseRowsResult + RowsCursor: every cell as a view
  kValues,  ///< ... + cql::DecodeValue of every cell into an owned cql::Value
};

struct DecodeFigures {
  int64_t rows = 0;
  Elapsed time;
  int64_t passes = 0;
};

/// Walks one RESULT body as a client would; returns the number of rows.
Result<int64_t> DecodeBody(BytesView body, int protocol_version, DecodeDepth depth) {
  CQLBULK_ASSIGN_OR_RETURN(cql::RowsResult rows, cql::ParseRowsResult(body, protocol_version));
  const std::vector<cql::ColumnSpec>& columns = rows.metadata.columns;
  if (depth == DecodeDepth::kValues &&
      columns.size() != static_cast<size_t>(rows.metadata.columns_count)) {
    return Error(ErrorCode::kInternal, "Rows without metadata");
  }
  cql::RowsCursor cursor = rows.cursor();
  int64_t num_rows = 0;
  size_t cell_bytes = 0;
  while (true) {
    CQLBULK_ASSIGN_OR_RETURN(bool has_row, cursor.Next());
    if (!has_row) {
      break;
    }
    for (size_t i = 0; i < cursor.num_columns(); ++i) {
      std::optional<BytesView> cell = cursor.cell(i);
      if (!cell) {
        continue;
      }
      if (depth == DecodeDepth::kCursor) {
        cell_bytes += cell->size();
        continue;
      }
      CQLBULK_ASSIGN_OR_RETURN(cql::Value value, cql::DecodeValue(*columns[i].type, *cell));
      benchmark::DoNotOptimize(value);
    }
    ++num_rows;
  }
  benchmark::DoNotOptimize(cell_bytes);
  return num_rows;
}

/// Decodes every body, again and again until `min_seconds` have passed (at least once).
Result<DecodeFigures> TimeDecode(std::span<const Bytes> bodies, int protocol_version,
                                 DecodeDepth depth, double min_seconds) {
  DecodeFigures figures;
  Stopwatch watch;
  do {
    for (const Bytes& body : bodies) {
      CQLBULK_ASSIGN_OR_RETURN(int64_t num_rows, DecodeBody(body, protocol_version, depth));
      figures.rows += num_rows;
    }
    ++figures.passes;
    figures.time = watch.elapsed();
  } while (figures.time.wall < min_seconds);
  return figures;
}

// --- report ----------------------------------------------------------------------------------

void PrintHeader(const char* section, const char* count_name) {
  std::printf("%-40s %11s %7s %8s %13s %13s %8s\n", section, "rows", count_name, "wall s",
              "rows/s wall", "rows/s CPU", "MB/s");
}

/// One line: rows per wall-clock second and per CPU second; MB/s of bodies when bytes > 0.
/// `count` < 0 leaves the count column empty.
void PrintLine(const std::string& what, int64_t rows, int64_t count, const Elapsed& time,
               int64_t bytes = 0) {
  std::string mb =
      bytes > 0 && time.wall > 0
          ? std::to_string(static_cast<int64_t>(static_cast<double>(bytes) / 1e6 / time.wall))
          : "";
  std::string counted = count >= 0 ? std::to_string(count) : "";
  std::printf("  %-38s %11s %7s %8.3f %13s %13s %8s\n", what.c_str(),
              Grouped(static_cast<double>(rows)).c_str(), counted.c_str(), time.wall,
              Grouped(PerSecond(rows, time.wall)).c_str(),
              Grouped(PerSecond(rows, time.cpu)).c_str(), mb.c_str());
}

void PrintSummaryLine(const std::string& what, double wall, double cpu) {
  std::printf("  %-44s %13s %13s\n", what.c_str(), Grouped(wall).c_str(), Grouped(cpu).c_str());
}

Result<sim::TopologyPtr> MakeBenchTopology(uint32_t num_vnodes) {
  CQLBULK_ASSIGN_OR_RETURN(std::vector<ring::Host> hosts,
                           ring::LayoutHosts("127.0.0.1", kNumNodes, 1, 1));
  std::vector<std::vector<ring::Token>> tokens =
      ring::GenerateRandomTokens(kRingSeed, kNumNodes, num_vnodes);
  std::vector<sim::NodeInfo> nodes;
  for (size_t i = 0; i < hosts.size(); ++i) {
    sim::NodeInfo node;
    node.address = hosts[i].address;
    node.datacenter = hosts[i].datacenter;
    node.rack = hosts[i].rack;
    node.tokens = std::move(tokens[i]);
    nodes.push_back(std::move(node));
  }
  return sim::MakeTopology("bench", std::move(nodes));
}

Status Run(const Options& options) {
  const int version = static_cast<int>(options.protocol_version);
  CQLBULK_ASSIGN_OR_RETURN(sim::TopologyPtr topology,
                           MakeBenchTopology(static_cast<uint32_t>(options.vnodes)));
  sim::Engine engine;
  engine.SetTopology(topology);
  sim::Session session{.keyspace = {}, .protocol_version = version};
  CQLBULK_RETURN_IF_ERROR(Exec(engine, session,
                               "CREATE KEYSPACE ks WITH replication = {'class': "
                               "'SimpleStrategy', 'replication_factor': 3}"));
  CQLBULK_RETURN_IF_ERROR(Exec(engine, session, kCreateTable));
  std::printf(
      "cqlsim scan benchmark: %s rows of 10 columns inserted in %s order, %u nodes x %lld "
      "vnodes (RF 3), page size %lld, protocol v%d\n\n",
      Grouped(static_cast<double>(options.rows)).c_str(), options.token_order ? "token" : "key",
      kNumNodes, static_cast<long long>(options.vnodes), static_cast<long long>(options.page_size),
      version);

  int64_t rss_before = ResidentBytes();
  CQLBULK_ASSIGN_OR_RETURN(LoadFigures load, LoadRows(engine, session, options));
  int64_t rss_after = ResidentBytes();
  PrintHeader("load", "");
  PrintLine("prepared EXECUTE (token-aware)", load.execute_rows, -1, load.execute_time);
  PrintLine("UNLOGGED BATCH of " + std::to_string(options.batch_size) + " prepared INSERTs",
            load.batch_rows, -1, load.batch_time);
  if (!options.no_idle_compaction) {
    // What cqlsim's cluster does once a table has been quiet for a compaction period: the
    // first look sees the recent writes, the second compacts.
    Stopwatch watch;
    size_t compacted = engine.CompactIdleTables() + engine.CompactIdleTables();
    PrintLine("idle compaction (" + std::to_string(compacted) + " table)", options.rows, -1,
              watch.elapsed());
  }
  int64_t rss_compacted = ResidentBytes();
  auto per_row = [&](int64_t rss) {
    return static_cast<double>(rss - rss_before) / static_cast<double>(options.rows);
  };
  std::printf(
      "memory\n  RSS before load %.1f MiB, after %.1f MiB: %.1f bytes/row "
      "(10M rows: ~%.2f GiB)\n",
      static_cast<double>(rss_before) / (1 << 20), static_cast<double>(rss_after) / (1 << 20),
      per_row(rss_after), per_row(rss_after) * 1e7 / (1 << 30));
  if (!options.no_idle_compaction) {
    std::printf("  RSS after idle compaction %.1f MiB: %.1f bytes/row (10M rows: ~%.2f GiB)\n",
                static_cast<double>(rss_compacted) / (1 << 20), per_row(rss_compacted),
                per_row(rss_compacted) * 1e7 / (1 << 30));
  }
  std::printf("\n");

  std::string section = "served (Engine::Handle, " + std::to_string(options.repeat) + " passes)";
  PrintHeader(section.c_str(), "pages");
  ScanFigures full;
  for (int64_t pass = 0; pass < options.repeat; ++pass) {
    CQLBULK_ASSIGN_OR_RETURN(ScanFigures one, ServeFullScan(engine, options));
    CQLBULK_RETURN_IF_ERROR(CheckRowCount(one, options.rows, kFullScan));
    full.Add(one);
  }
  PrintLine("SELECT * FROM ks.t, 1 thread", full.rows, full.pages, full.time, full.bytes);
  std::vector<RangeTask> tasks = RangeTasks(topology->ring);
  CQLBULK_ASSIGN_OR_RETURN(ScanFigures ranges, ServeRangesRepeatedly(engine, options, tasks, 1));
  PrintLine(std::to_string(tasks.size()) + " token ranges, 1 thread", ranges.rows, ranges.pages,
            ranges.time, ranges.bytes);
  std::optional<ScanFigures> parallel;
  std::string parallel_label;
  if (options.threads > 1) {
    CQLBULK_ASSIGN_OR_RETURN(parallel,
                             ServeRangesRepeatedly(engine, options, tasks, options.threads));
    parallel_label = std::to_string(tasks.size()) + " token ranges, " +
                     std::to_string(options.threads) + " threads";
    PrintLine(parallel_label, parallel->rows, parallel->pages, parallel->time, parallel->bytes);
  }

  // The same pages once more, untimed, kept for the client side (a separate pass so that the
  // served figure does not pay for memory that keeping the bodies takes from the system).
  std::vector<Bytes> bodies;
  int64_t keep_rows = options.decode_rows < 0 ? options.rows : options.decode_rows;
  CQLBULK_ASSIGN_OR_RETURN(ScanFigures again, ServeFullScan(engine, options, &bodies, keep_rows));
  CQLBULK_RETURN_IF_ERROR(CheckRowCount(again, options.rows, kFullScan));
  double min_seconds = static_cast<double>(options.min_decode_ms) / 1000;
  std::printf("\n");
  section = "client decode (1 thread, " + std::to_string(bodies.size()) + " pages)";
  PrintHeader(section.c_str(), "passes");
  CQLBULK_ASSIGN_OR_RETURN(DecodeFigures values,
                           TimeDecode(bodies, version, DecodeDepth::kValues, min_seconds));
  PrintLine("parse + cursor + DecodeValue per cell", values.rows, values.passes, values.time);
  CQLBULK_ASSIGN_OR_RETURN(DecodeFigures cursor,
                           TimeDecode(bodies, version, DecodeDepth::kCursor, min_seconds));
  PrintLine("parse + cursor (cells as views)", cursor.rows, cursor.passes, cursor.time);

  auto rate = [](int64_t rows, const Elapsed& time) {
    return std::make_pair(PerSecond(rows, time.wall), PerSecond(rows, time.cpu));
  };
  auto [served_wall, served_cpu] = rate(full.rows, full.time);
  auto [decoded_wall, decoded_cpu] = rate(values.rows, values.time);
  auto [cursor_wall, cursor_cpu] = rate(cursor.rows, cursor.time);
  std::printf("\n%-46s %13s %13s\n", "summary (1 thread each unless said)", "wall", "CPU");
  PrintSummaryLine("served rows/s (full scan)", served_wall, served_cpu);
  auto [ranges_wall, ranges_cpu] = rate(ranges.rows, ranges.time);
  PrintSummaryLine("served rows/s (token ranges)", ranges_wall, ranges_cpu);
  if (parallel) {
    auto [parallel_wall, parallel_cpu] = rate(parallel->rows, parallel->time);
    PrintSummaryLine("served rows/s (" + parallel_label + ")", parallel_wall, parallel_cpu);
  }
  PrintSummaryLine("client decode rows/s (full values)", decoded_wall, decoded_cpu);
  PrintSummaryLine("client cursor rows/s", cursor_wall, cursor_cpu);
  double ratio_wall = decoded_wall > 0 ? served_wall / decoded_wall : 0;
  double ratio_cpu = decoded_cpu > 0 ? served_cpu / decoded_cpu : 0;
  std::printf("  %-44s %13.2f %13.2f\n", "ratio served / decoded (full values)", ratio_wall,
              ratio_cpu);
  std::printf("  %-44s %13.2f %13.2f\n", "ratio served / cursor",
              cursor_wall > 0 ? served_wall / cursor_wall : 0,
              cursor_cpu > 0 ? served_cpu / cursor_cpu : 0);
  std::printf("\nserving %s a client decoding full values (ratio by CPU time %.2f %s 1)\n",
              ratio_cpu >= 1 ? "keeps up with" : "is SLOWER than", ratio_cpu,
              ratio_cpu >= 1 ? ">=" : "<");
  return {};
}

}  // namespace
}  // namespace cqlbulk::bench

int main(int argc, char** argv) {
  using cqlbulk::bench::Options;
  Options options;
  bool help = false;
  cqlbulk::FlagSet flags;
  flags.AddInt("rows", "N", "rows to load and scan (default 1000000)", &options.rows, 1, INT32_MAX);
  flags.AddInt("threads", "N", "also serve the token ranges from N threads at once (default 1)",
               &options.threads, 1, 256);
  flags.AddInt("page-size", "N", "rows per page (default 5000)", &options.page_size, 1, INT32_MAX);
  flags.AddInt("batch-size", "N", "INSERTs per UNLOGGED BATCH when loading (default 20)",
               &options.batch_size, 1, 65535);
  flags.AddInt("execute-rows", "N", "rows loaded by single EXECUTEs first (default: rows / 10)",
               &options.execute_rows, 0, INT32_MAX);
  flags.AddInt("vnodes", "N", "tokens per node (default 16)", &options.vnodes, 1, 4096);
  flags.AddInt("protocol", "V", "native protocol version, 4 or 5 (default 4)",
               &options.protocol_version, 4, 5);
  flags.AddInt("decode-rows", "N", "rows of pages kept for the client decode (default: all)",
               &options.decode_rows, 1, INT32_MAX);
  flags.AddInt("min-decode-ms", "MS", "repeat each decode for at least this long (default 1000)",
               &options.min_decode_ms, 0, 600'000);
  flags.AddInt("repeat", "N", "passes of each served scan (default 3)", &options.repeat, 1, 1000);
  flags.AddSwitch("token-order",
                  "insert rows in token order (best-case memory locality) instead of key order",
                  &options.token_order);
  flags.AddSwitch("no-idle-compaction",
                  "scan right after the load, without the idle compaction a running cqlsim does",
                  &options.no_idle_compaction);
  flags.AddSwitch("help", "show this help", &help);
  std::vector<std::string> args(argv + 1, argv + argc);
  auto positional = flags.Parse(args);
  if (!positional.has_value() || help || !positional->empty()) {
    if (!positional.has_value()) {
      std::fprintf(stderr, "%s\n", positional.error().message().c_str());
    }
    std::printf("usage: sim_scan_benchmark [flags]\n\n%s", flags.Usage().c_str());
    return help ? 0 : 2;
  }
  if (options.execute_rows < 0) {
    options.execute_rows = options.rows / 10;
  }
  cqlbulk::Status status = cqlbulk::bench::Run(options);
  if (!status.has_value()) {
    std::fprintf(stderr, "sim_scan_benchmark: %s\n", status.error().ToString().c_str());
    return 1;
  }
  return 0;
}
