// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/load.h"

#include <glob.h>
#include <nlohmann/json.hpp>

#include <asio/experimental/as_tuple.hpp>

#include <algorithm>
#include <deque>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <span>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/core/cql_identifier.h"
#include "cqlbulk/core/macros.h"
#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/csv/csv_reader.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/record_reader.h"
#include "cqlbulk/ops/cql_data.h"
#include "cqlbulk/ops/execution.h"
#include "cqlbulk/ops/load_internal.h"
#include "cqlbulk/ops/run_directory.h"
#include "cqlbulk/ring/murmur3.h"
#include "cqlbulk/ring/routing_key.h"

namespace cqlbulk::ops {
namespace {

namespace fs = std::filesystem;
using load_internal::Json;

/// Records read from a file at a time (one batch of the reader).
constexpr size_t kChunkRecords = 1024;

using load_internal::BindSource;
using load_internal::BuildStatements;
using load_internal::Chunk;
using load_internal::ChunkPtr;
using load_internal::FileProgress;
using load_internal::GroupIndex;
using load_internal::LoadState;
using load_internal::WriteStatement;
using load_internal::WriteUnit;

/// Whether two routing keys (mostly 4 to 16 bytes) are the same bytes, without a call to
/// memcmp per row.
bool SameKey(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

/// The statement for row `row` of the chunk: the static-values INSERT when the table has one
/// and the row's clustering columns are all null or missing, else the table's.
const WriteStatement& StatementFor(const LoadState& state, const Chunk& chunk, uint32_t row) {
  if (!state.static_write) return state.write;
  if (chunk.values) {
    for (size_t field : state.clustering_fields) {
      if (CqlRows::Length(chunk.values->Value(row, field)) >= 0) return state.write;
    }
    return *state.static_write;
  }
  for (size_t field : state.clustering_fields) {
    if (!chunk.info.IsUnset(field, row) && !chunk.batch->column(field).IsNull(row)) {
      return state.write;
    }
  }
  return *state.static_write;
}

/// The bind markers of `statement` over the rows of `chunk`.
std::vector<BindSource> BindSources(const WriteStatement& statement, const Chunk& chunk) {
  std::vector<BindSource> binds;
  binds.reserve(statement.bind_fields.size());
  for (size_t b = 0; b < statement.bind_fields.size(); ++b) {
    const size_t field = statement.bind_fields[b];
    const auto& unset = chunk.info.unset;
    binds.push_back({.column = &chunk.batch->column(field),
                     .unset = field < unset.size() && !unset[field].empty() ? unset[field].data()
                                                                            : nullptr,
                     .null_as_unset = statement.null_as_unset[b] != 0,
                     .encoder = &statement.encoders[b]});
  }
  return binds;
}

/// Appends row `row` of the chunk's batch to `out` as the [value]s of `statement` (§3: an
/// [int] length, then the bytes; -1 null, -2 unset), in bind-marker order (an unset field
/// unset), straight from its cells. False, with the reason in `problem` and `out` as it was,
/// when a value does not fit its column.
bool EncodeRow(const LoadState& state, const WriteStatement& statement, const Chunk& chunk,
               uint32_t row, data::Buffer& out, std::string& problem) {
  constexpr uint32_t kNull = 0xFFFFFFFFu;   // -1
  constexpr uint32_t kUnset = 0xFFFFFFFEu;  // -2
  if (chunk.values) {
    // The values are ready: copied as they are (a null bound as unset aside).
    const CqlRows& values = *chunk.values;
    if (statement.binds_every_field) {
      out.Append(values.Row(row));
      return true;
    }
    for (size_t b = 0; b < statement.bind_fields.size(); ++b) {
      const uint8_t* value = values.Value(row, statement.bind_fields[b]);
      const int32_t length = CqlRows::Length(value);
      if (length == CqlRows::kNull && statement.null_as_unset[b] != 0) {
        StoreBE32(out.Grow(4), kUnset);
      } else {
        out.Append(BytesView(value, 4 + static_cast<size_t>(std::max(length, 0))));
      }
    }
    return true;
  }
  const std::vector<BindSource>& binds =
      &statement == &state.write ? chunk.write_binds : chunk.static_binds;
  const size_t size_before = out.size();
  // The values go through a local cursor into the buffer's spare room (CellEncoder::TryWrite);
  // a value that does not fit, or that takes the generic path, goes through the buffer.
  uint8_t* p = out.Grow(out.capacity() - out.size());
  uint8_t* end = p + (out.capacity() - (p - out.data()));
  auto through_buffer = [&](auto&& append) {
    out.Truncate(static_cast<size_t>(p - out.data()));
    const bool ok = append();
    if (out.capacity() - out.size() < 64) {
      out.Reserve(std::max(2 * out.capacity(), out.size() + 64));
    }
    p = out.Grow(out.capacity() - out.size());
    end = out.mutable_data() + out.capacity();
    return ok;
  };
  for (size_t b = 0; b < binds.size(); ++b) {
    const BindSource& bind = binds[b];
    const data::Column& column = *bind.column;
    uint32_t marker = 0;
    if (bind.unset != nullptr && bind.unset[row] != 0) {
      marker = kUnset;
    } else if (column.IsNull(row)) {
      marker = bind.null_as_unset ? kUnset : kNull;
    } else if (uint8_t* written = bind.encoder->TryWrite(column, row, p, end)) {
      p = written;
      continue;
    } else {
      Status encoded;
      through_buffer([&] {
        encoded = bind.encoder->AppendBytes(column, row, out);
        return encoded.has_value();
      });
      if (!encoded.has_value()) [[unlikely]] {
        problem = statement.prepared->metadata.columns[b].name + ": " + encoded.error().message();
        out.Truncate(size_before);
        return false;
      }
      continue;
    }
    if (end - p < 4) [[unlikely]] {
      through_buffer([] { return true; });
    }
    StoreBE32(p, marker);
    p += 4;
  }
  out.Truncate(static_cast<size_t>(p - out.data()));
  return true;
}

/// The number of values a row of `statement` has (LoadTable checks that it is one per bind
/// field: far below a [short]).
uint16_t NumValues(const WriteStatement& statement) {
  return static_cast<uint16_t>(statement.prepared->metadata.columns.size());
}

/// Units queued for the writers at most (beyond the `concurrency` they send): SendChunk waits
/// above it, so that a file is not read far ahead of its writes.
size_t QueueHighWater(const LoadOptions& options) {
  return static_cast<size_t>(std::max(1, options.concurrency));
}
/// SendChunk, waiting, is woken when the queue is down to this: once per half a queue of units
/// rather than once per unit.
size_t QueueLowWater(const LoadOptions& options) { return QueueHighWater(options) / 2; }

/// A writer: sends the units SendChunk queues, one after another, for as long as the load
/// runs. A unit's rows are encoded once, straight into the bytes of the request's statements,
/// which every attempt's frame is encoded from (no copy per request). A refused batch is
/// retried row by row, so one bad row does not take good ones with it.
///
/// Writers live as long as the load (`concurrency` of them at most) rather than a coroutine
/// per unit: a unit costs no frame allocated, started through the scheduler and torn down,
/// and the writer's buffers are reused from unit to unit.
asio::awaitable<void> Writer(std::shared_ptr<LoadState> state) {
  const LoadOptions& options = *state->options;
  const int attempts = state->counter ? 1 : std::max(1, options.write_attempts);
  std::string problem;
  data::Buffer encoded;  // the rows' statements (or a lone row's values), as they are sent
  std::vector<uint32_t> rows;
  while (true) {
    if (state->units.empty()) {
      if (state->writers_done) break;
      ++state->idle_writers;  // Dispatch takes it back when it wakes this writer
      co_await state->work_ready->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      continue;
    }
    WriteUnit unit = std::move(state->units.front());
    state->units.pop_front();
    if (state->units.size() == QueueLowWater(options)) {
      state->slot_freed->cancel_one();  // SendChunk may queue more
    }
    Chunk& chunk = *unit.chunk;
    auto statement_for = [&](uint32_t row) -> std::optional<client::Statement> {
      const WriteStatement& write = StatementFor(*state, chunk, row);
      client::Statement s = client::Statement::Execute(write.prepared);
      encoded.Clear();
      if (!EncodeRow(*state, write, chunk, row, encoded, problem)) return std::nullopt;
      s.encoded_values.count = NumValues(write);
      s.encoded_values.bytes.assign(encoded.data(), encoded.data() + encoded.size());
      s.keyspace = options.keyspace;
      s.consistency = options.consistency;
      s.is_idempotent = !state->counter;
      s.routing_token = unit.token;  // the unit's rows share their replicas
      return s;
    };
    // Rows whose values do not fit their columns are rejected before anything is sent.
    rows.clear();
    // Room for every row at once (the buffer would otherwise grow, and copy, several times per
    // batch: 3% of a load's instructions): a record's text is about the size of its encoded
    // values, which add a head and a length each.
    size_t text_bytes = 0;
    for (uint32_t row : unit.rows) text_bytes += chunk.info.Text(row).size();
    encoded.Clear();
    encoded.Reserve(text_bytes + unit.rows.size() * (state->write.head.size() +
                                                     4 * state->write.bind_fields.size()));
    size_t first_values_at = 0;  // where the first statement's values begin in `encoded`
    for (uint32_t row : unit.rows) {
      const WriteStatement& write = StatementFor(*state, chunk, row);
      const size_t at = encoded.size();
      encoded.Append(BytesView(write.head));
      if (EncodeRow(*state, write, chunk, row, encoded, problem)) {
        if (rows.empty()) first_values_at = at + write.head.size();
        rows.push_back(row);
      } else {
        encoded.Truncate(at);
        state->RejectRow(chunk, row, problem);
      }
    }
    Status sent;
    for (int attempt = 1; attempt <= attempts && !rows.empty(); ++attempt) {
      Result<client::ResultPage> done = Unexpected(Internal("nothing sent"));
      if (rows.size() == 1) {
        const WriteStatement& write = StatementFor(*state, chunk, rows[0]);
        client::Statement s = client::Statement::Execute(write.prepared);
        s.encoded_values.count = NumValues(write);
        // `encoded` outlives the request and does not change until it is answered.
        s.encoded_values.borrowed =
            BytesView(encoded.data() + first_values_at, encoded.size() - first_values_at);
        s.keyspace = options.keyspace;
        s.consistency = options.consistency;
        s.is_idempotent = !state->counter;
        s.routing_token = unit.token;
        done = co_await state->session->Execute(std::move(s));
      } else {
        client::Batch batch;
        batch.type = state->counter ? cql::BatchType::kCounter : cql::BatchType::kUnlogged;
        batch.consistency = options.consistency;
        batch.keyspace = options.keyspace;
        batch.routing_token = unit.token;
        batch.is_idempotent = !state->counter;
        batch.encoded.count = static_cast<uint16_t>(rows.size());  // max_batch_statements or fewer
        batch.encoded.borrowed = BytesView(encoded.data(), encoded.size());  // as above
        batch.encoded_prepared = {state->write.prepared};
        if (state->static_write) batch.encoded_prepared.push_back(state->static_write->prepared);
        done = co_await state->session->ExecuteBatch(std::move(batch));
      }
      ++state->result.requests;
      if (done.has_value()) {
        sent = {};
        break;
      }
      sent = Unexpected(std::move(done.error()));
      if (WouldFailAgain(sent.error())) break;
      if (attempt < attempts) ++state->result.retries;
    }
    if (rows.empty() || sent.has_value()) {
      state->result.rows += static_cast<int64_t>(rows.size());
      chunk.rows += static_cast<int64_t>(rows.size());
    } else if (rows.size() == 1 || state->counter) {
      std::string reason = sent.error().message();
      if (state->counter && sent.error().code() == ErrorCode::kTimeout) {
        reason += " (a counter update is not retried: it may or may not have been applied)";
      }
      for (uint32_t row : rows) state->RejectRow(chunk, row, reason);
    } else {
      for (uint32_t row : rows) {
        std::optional<client::Statement> s = statement_for(row);
        int64_t failed = 0;
        auto done = co_await ExecuteWithAttempts(*state->session, *s, attempts, failed);
        state->result.retries += failed;
        ++state->result.requests;
        if (done.has_value()) {
          ++state->result.rows;
          ++chunk.rows;
        } else {
          state->RejectRow(chunk, row, done.error().message());
        }
      }
    }
    state->Finished(unit.chunk);
    if (--state->in_flight == 0) state->slot_freed->cancel_one();  // the load's last wait
  }
}

/// Queues `unit` for the writers: an idle one is woken, or a new one started (`concurrency`
/// at most; when every writer is busy or already woken, one of them takes it next, as a
/// writer looks at the queue before it waits).
void Dispatch(const std::shared_ptr<LoadState>& state, WriteUnit unit) {
  ++unit.chunk->pending;
  state->units.push_back(std::move(unit));
  if (state->idle_writers > 0) {
    --state->idle_writers;
    state->work_ready->cancel_one();
  } else if (state->writers < state->options->concurrency) {
    ++state->writers;
    asio::co_spawn(state->work_ready->get_executor(), Writer(state),
                   [state](std::exception_ptr) { --state->writers; });
  }
}

/// Groups the rows of the chunk's batch per the batch mode (by partition key bytes, or replica
/// set; each row alone when disabled) and sends each group, `max_batch_statements` rows at a
/// time. Only the partition key is encoded here, for routing; Write encodes the rest.
asio::awaitable<void> SendChunk(const std::shared_ptr<LoadState>& state, const ChunkPtr& chunk) {
  const LoadOptions& options = *state->options;
  client::TopologyPtr topology = state->session->topology();
  const auto& binds = state->write.prepared->metadata.columns;
  const size_t num_rows = chunk->values ? chunk->values->num_rows() : chunk->batch->num_rows();
  const size_t num_keys = state->key_binds.size();
  data::Buffer key_bytes;  // a row's partition key values ([bytes]), one after another
  std::vector<size_t> key_begins(num_keys);
  std::vector<size_t> key_ends(num_keys);
  std::vector<BytesView> key_parts(num_keys);
  ring::RoutingKeyBuilder routing_keys;
  // The groups in first-seen order, each with the token that routes it and its number of
  // rows, and the group of each row (kNone: rejected). The rows are then laid out group after
  // group in one array, which the units share: no vector per unit.
  struct Group {
    ring::Token token;
    uint32_t rows = 0;
  };
  constexpr uint32_t kNone = UINT32_MAX;
  std::vector<Group> groups;
  std::vector<uint32_t> group_of(num_rows, kNone);
  GroupIndex group_by_key;
  // Rows of a partition mostly come one after another (an unload writes them so): a row with
  // the routing key of the last row routed has its token and, but with batching disabled, its
  // group, found without hashing again.
  std::string last_routing_key;
  ring::Token last_token{};
  uint32_t last_group = kNone;
  for (uint32_t row = 0; row < num_rows; ++row) {
    std::string problem;
    key_bytes.Clear();
    for (size_t k = 0; k < num_keys && problem.empty(); ++k) {
      const size_t b = state->key_binds[k];
      const size_t field = state->write.bind_fields[b];
      if (chunk->values) {
        // The key's values are ready: the same checks, in the same order, as for a batch.
        const uint8_t* value = chunk->values->Value(row, field);
        const int32_t length = CqlRows::Length(value);
        if (length >= 0) {
          key_parts[k] = BytesView(value + 4, static_cast<size_t>(length));
        } else {
          problem = "primary key column " + state->key_names[k] +
                    (length == CqlRows::kUnset ? " has no value" : " is null");
        }
        continue;
      }
      const data::Batch& batch = *chunk->batch;
      if (chunk->info.IsUnset(field, row)) {
        problem = "primary key column " + state->key_names[k] + " has no value";
      } else if (batch.column(field).IsNull(row)) {
        problem = "primary key column " + state->key_names[k] + " is null";
      } else {
        // The bytes EncodeCell writes, after their [int] length (CellEncoder's contract).
        key_begins[k] = key_bytes.size() + 4;
        Status encoded = state->write.encoders[b].AppendBytes(batch.column(field), row, key_bytes);
        if (!encoded.has_value()) problem = binds[b].name + ": " + encoded.error().message();
      }
      key_ends[k] = key_bytes.size();
    }
    if (!problem.empty()) {
      state->RejectRow(*chunk, row, problem);
      continue;
    }
    for (size_t k = 0; k < num_keys && !chunk->values; ++k) {
      // Once all are in: the buffer moves as it grows.
      key_parts[k] = BytesView(key_bytes.data() + key_begins[k], key_ends[k] - key_begins[k]);
    }
    auto routing_key = routing_keys.Build(key_parts);
    if (!routing_key.has_value()) {
      state->RejectRow(*chunk, row, routing_key.error().message());
      continue;
    }
    const bool same_key = last_group != kNone && SameKey(AsChars(*routing_key), last_routing_key);
    ring::Token token = same_key ? last_token : ring::Murmur3Token(*routing_key);
    uint32_t group = static_cast<uint32_t>(groups.size());
    if (same_key && options.batch_mode != BatchMode::kDisabled) {
      group = last_group;
    } else if (options.batch_mode == BatchMode::kPartition) {
      // The token is the routing key's hash.
      group = group_by_key.FindOrAdd(AsChars(*routing_key), static_cast<uint64_t>(token.value()));
    } else if (options.batch_mode == BatchMode::kReplica) {
      std::span<const ring::HostIndex> replicas = topology->Replicas(options.keyspace, token);
      const std::string_view key(reinterpret_cast<const char*>(replicas.data()),
                                 replicas.size_bytes());
      group = group_by_key.FindOrAdd(key, std::hash<std::string_view>{}(key));
    }
    if (group == groups.size()) groups.push_back({.token = token, .rows = 0});
    ++groups[group].rows;
    group_of[row] = group;
    if (!same_key) {
      last_routing_key.assign(AsChars(*routing_key));
      last_token = token;
    }
    last_group = group;
  }
  std::vector<uint32_t> next(groups.size());  // where each group's next row goes
  for (size_t g = 1; g < groups.size(); ++g) next[g] = next[g - 1] + groups[g - 1].rows;
  chunk->grouped_rows.resize(groups.empty() ? 0 : next.back() + groups.back().rows);
  for (uint32_t row = 0; row < num_rows; ++row) {
    if (group_of[row] != kNone) chunk->grouped_rows[next[group_of[row]]++] = row;
  }
  if (chunk->batch) {
    chunk->write_binds = BindSources(state->write, *chunk);
    if (state->static_write) chunk->static_binds = BindSources(*state->static_write, *chunk);
  }
  // The whole chunk is sent even when the run is stopping: its resume position moves past it.
  const size_t max_rows = static_cast<size_t>(std::max(1, options.max_batch_statements));
  std::span<const uint32_t> rest(chunk->grouped_rows);
  for (const Group& group : groups) {
    for (size_t sent = 0; sent < group.rows; sent += max_rows) {
      WriteUnit unit{.chunk = chunk,
                     .rows = rest.first(std::min<size_t>(max_rows, group.rows - sent)),
                     .token = group.token};
      rest = rest.subspan(unit.rows.size());
      if (state->rows_limiter.enabled()) {
        co_await state->rows_limiter.Acquire(static_cast<double>(unit.rows.size()));
      }
      // Room in the writers' queue (a loop here rather than a coroutine of its own: a frame
      // less). The writers, `concurrency` at most, bound the requests in flight; the queue
      // keeps them fed, so that a writer done with a unit takes the next one at once instead
      // of the two of them waking each other through the scheduler per unit.
      while (state->units.size() >= QueueHighWater(options)) {
        co_await state->slot_freed->async_wait(asio::experimental::as_tuple(asio::use_awaitable));
      }
      ++state->in_flight;
      Dispatch(state, std::move(unit));
    }
  }
}

/// The files `url` names: "-", a file, every file of a directory (sorted), or a glob.
Result<std::vector<std::string>> InputFiles(const std::string& url) {
  if (url == "-") return std::vector<std::string>{"-"};
  std::error_code ec;
  if (fs::is_directory(url, ec)) {
    std::vector<std::string> files;
    for (const auto& entry : fs::directory_iterator(url, ec)) {
      std::string name = entry.path().filename().string();
      if (entry.is_regular_file(ec) && !name.starts_with(".")) files.push_back(entry.path());
    }
    std::sort(files.begin(), files.end());
    if (files.empty()) return NotFound("the directory " + url + " holds no files to load");
    return files;
  }
  if (url.find_first_of("*?[") != std::string::npos) {
    glob_t matches{};
    int rc = ::glob(url.c_str(), 0, nullptr, &matches);
    std::vector<std::string> files;
    for (size_t i = 0; rc == 0 && i < matches.gl_pathc; ++i) files.push_back(matches.gl_pathv[i]);
    ::globfree(&matches);
    if (files.empty()) return NotFound("no file matches " + url);
    return files;
  }
  if (!fs::exists(url, ec)) return NotFound("no such file: " + url);
  return std::vector<std::string>{url};
}

/// Reads one file chunk by chunk and sends its rows; skips the records a resumed run had
/// already written.
/// A file's record reader, and how many of its bytes it has read so far.
struct Source {
  std::unique_ptr<formats::InputStream> stream;  // text formats
  std::unique_ptr<formats::RecordReader> reader;
  std::function<uint64_t()> bytes_read;
};

Result<Source> OpenSource(const LoadState& state, const std::string& path) {
  const LoadOptions& options = *state.options;
  Source source;
  if (options.format == FileFormat::kIceberg) {
    CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<IcebergFileReader> reader,
                             state.iceberg->Open(path, state.schema, options.csv.text));
    IcebergFileReader* raw = reader.get();
    source.bytes_read = [raw] {
      int64_t rows = raw->num_rows();
      return rows <= 0 ? raw->file_size()
                       : static_cast<uint64_t>(static_cast<double>(raw->file_size()) *
                                               static_cast<double>(raw->records_consumed()) /
                                               static_cast<double>(rows));
    };
    source.reader = std::move(reader);
    return source;
  }
  if (options.format == FileFormat::kParquet) {
    if (path == "-") {
      return InvalidArgument("Parquet is not read from standard input (its index is at the end): "
                             "give --url a file, a directory or a glob");
    }
    CQLBULK_ASSIGN_OR_RETURN(auto file, formats::RandomAccessFile::Open(path));
    uint64_t size = file->size();
    CQLBULK_ASSIGN_OR_RETURN(
        auto reader, formats::parquet::ParquetRecordReader::Make(
                         std::move(file), state.schema, state.source_fields, options.csv.text,
                         options.missing));
    // Bytes by the share of rows read: the pages are read a row group at a time.
    auto* parquet = reader.get();
    source.bytes_read = [parquet, size] {
      int64_t rows = parquet->num_rows();
      return rows <= 0 ? size
                       : static_cast<uint64_t>(static_cast<double>(size) *
                                               static_cast<double>(parquet->records_consumed()) /
                                               static_cast<double>(rows));
    };
    source.reader = std::move(reader);
    return source;
  }
  CQLBULK_ASSIGN_OR_RETURN(std::unique_ptr<formats::FileInputStream> file,
                           formats::FileInputStream::Open(path));
  formats::FileInputStream* raw = file.get();
  source.bytes_read = [raw] { return raw->bytes_read(); };
  formats::Compression compression =
      options.compression.value_or(formats::CompressionFromPath(path == "-" ? "" : path));
  CQLBULK_ASSIGN_OR_RETURN(source.stream,
                           formats::DecompressingStream(compression, std::move(file), path));
  CQLBULK_ASSIGN_OR_RETURN(source.reader,
                           MakeRecordReader(options.format, *source.stream, path, state.schema,
                                            state.source_fields, options.csv, options.missing));
  return source;
}

asio::awaitable<Status> LoadFile(const std::shared_ptr<LoadState>& state, size_t index) {
  FileProgress& progress = state->files[index];
  const std::string& path = progress.path;
  CQLBULK_CO_ASSIGN_OR_RETURN(Source source, OpenSource(*state, path));
  formats::RecordReader* reader = source.reader.get();
  data::BatchBuilder builder(state->schema, kChunkRecords);
  // The straight path: the CSV reader hands each record's fields to a CqlRowWriter.
  auto* csv = state->straight_csv ? dynamic_cast<formats::CsvReader*>(reader) : nullptr;
  std::unique_ptr<CqlRowWriter> row_writer;
  if (csv != nullptr) {
    CQLBULK_CO_ASSIGN_OR_RETURN(row_writer,
                                CqlRowWriter::Make(state->schema, state->source_fields,
                                                   state->options->csv.text,
                                                   state->options->missing));
  }
  size_t last_values_bytes = 0;
  std::vector<formats::RecordError> errors;
  // Resume: read past what the interrupted run finished, writing nothing.
  formats::RecordInfo skipped;
  while (reader->records_consumed() < progress.committed) {
    size_t want = static_cast<size_t>(std::min<int64_t>(
        progress.committed - reader->records_consumed(), static_cast<int64_t>(kChunkRecords)));
    skipped.Clear();
    CQLBULK_CO_ASSIGN_OR_RETURN(size_t n, reader->Read(builder, want, skipped, errors));
    builder.Reset();
    errors.clear();
    if (n == 0) break;
  }
  uint64_t bytes_before = 0;  // the reader's first reads (the header, a resume's skip) count too
  size_t last_text_bytes = 0;
  while (!state->stop()) {
    auto chunk = std::make_shared<Chunk>();
    chunk->file = index;
    // Room for a chunk like the last one: its vectors would otherwise grow from nothing, by
    // doubling, in every chunk.
    chunk->info.lines.reserve(kChunkRecords);
    chunk->info.records.reserve(kChunkRecords);
    chunk->info.text_end.reserve(kChunkRecords);
    chunk->info.text.reserve(last_text_bytes);
    errors.clear();
    Result<size_t> read = size_t{0};
    if (row_writer) {
      chunk->values.emplace(state->schema->num_fields());
      // Room for a chunk like the last one and some: a chunk a little larger would otherwise
      // grow its buffer (and copy it) near its end.
      chunk->values->Reserve(kChunkRecords, last_values_bytes + last_values_bytes / 8);
      row_writer->set_output(&*chunk->values);
      read = csv->ReadFields(*row_writer, kChunkRecords, chunk->info, errors);
    } else {
      read = reader->Read(builder, kChunkRecords, chunk->info, errors);
    }
    uint64_t now_read = source.bytes_read();
    state->result.bytes += now_read - bytes_before;
    if (state->bytes_limiter.enabled()) {
      co_await state->bytes_limiter.Acquire(static_cast<double>(now_read - bytes_before));
    }
    bytes_before = now_read;
    if (!read.has_value()) {
      // The source ends here (I/O error, corrupt compressed data): what came before is good.
      builder.Reset();
      ++state->committed_rejected;
      state->Reject({.source = path,
                     .line = 0,
                     .record = reader->records_consumed() + 1,
                     .field = {},
                     .text = {},
                     .reason = read.error().message()});
      progress.complete = true;  // nothing more can be read from it
      co_return Status{};
    }
    state->result.records += static_cast<int64_t>(*read);
    chunk->rejected += static_cast<int64_t>(errors.size());
    for (auto& e : errors) state->Reject(std::move(e));
    if (*read == 0) break;
    chunk->end_record = reader->records_consumed();
    last_text_bytes = chunk->info.text.size();
    if (row_writer) {
      last_values_bytes = chunk->values->size_bytes();
    } else {
      CQLBULK_CO_ASSIGN_OR_RETURN(data::Batch batch, builder.Finish());
      chunk->batch.emplace(std::move(batch));
    }
    progress.chunks.push_back(chunk);
    ++chunk->pending;  // held while dispatching, so the chunk cannot finish half-sent
    co_await SendChunk(state, chunk);
    chunk->dispatched = true;
    state->Finished(chunk);
    state->Progress();
  }
  if (!state->stop()) progress.complete = true;
  co_return Status{};
}

/// Plans the Iceberg scan a load reads. A resumed run reads the snapshot its checkpoint names
/// (`resumed_snapshot`; when the table had none, the checkpoint lists no file to read).
Status PlanIceberg(LoadState& state, std::optional<int64_t> resumed_snapshot) {
  IcebergReadOptions read = state.options->iceberg;
  if (resumed_snapshot) {
    read.snapshot_id = *resumed_snapshot;
    read.as_of_ms.reset();
  }
  CQLBULK_ASSIGN_OR_RETURN(state.iceberg, IcebergSource::Plan(read, state.source_fields));
  state.run->Log(state.iceberg->Describe());
  return OkStatus();
}

Status RestoreCheckpoint(LoadState& state) {
  CQLBULK_ASSIGN_OR_RETURN(std::string text, state.run->ReadCheckpoint());
  Json doc = Json::parse(text, nullptr, false);
  const LoadOptions& options = *state.options;
  if (doc.is_discarded() || doc.value("operation", "") != "load") {
    return Corrupt(state.run->checkpoint_path() + " is not a load checkpoint");
  }
  if (doc.value("keyspace", "") != options.keyspace || doc.value("table", "") != options.table ||
      doc.value("url", "") != options.url) {
    return InvalidArgument("cannot resume " + state.run->path() + ": it loaded " +
                           doc.value("url", "") + " into " + doc.value("keyspace", "") + "." +
                           doc.value("table", "") + ", this run asks for " + options.url +
                           " into " + options.keyspace + "." + options.table);
  }
  std::string text_options = DescribeTextOptions(options.format, options.csv);
  if (doc.value("text_options", "") != text_options) {
    return InvalidArgument("cannot resume " + state.run->path() + ": it read its files with " +
                           doc.value("text_options", "") + ", this run asks for " +
                           text_options + " (resume with the same options)");
  }
  state.files.clear();
  for (const auto& f : doc["files"]) {
    state.files.push_back({.path = f["path"].get<std::string>(),
                           .committed = f["records"].get<int64_t>(),
                           .complete = f["complete"].get<bool>(),
                           .chunks = {}});
  }
  if (options.format == FileFormat::kIceberg) {
    CQLBULK_ASSIGN_OR_RETURN(
        std::optional<int64_t> snapshot,
        IcebergSource::ResumedSnapshot(doc["iceberg"], options.iceberg, state.run->path()));
    CQLBULK_RETURN_IF_ERROR(PlanIceberg(state, snapshot));
    const auto& planned = state.iceberg->files();
    for (const auto& f : state.files) {
      if (std::find(planned.begin(), planned.end(), f.path) == planned.end()) {
        return Corrupt("cannot resume " + state.run->path() + ": " + f.path +
                       " is not a data file of the snapshot it read");
      }
    }
  }
  state.committed_rows = doc.value("rows", int64_t{0});
  state.committed_rejected = doc.value("rejected", int64_t{0});
  state.result.rows = state.committed_rows;
  state.result.rejected = state.committed_rejected;
  return {};
}

}  // namespace

Result<BatchMode> ParseBatchMode(std::string_view name) {
  if (name == "partition") return BatchMode::kPartition;
  if (name == "replica" || name == "replica-set") return BatchMode::kReplica;
  if (name == "disabled" || name == "none") return BatchMode::kDisabled;
  return InvalidArgument("unknown batch mode '" + std::string(name) +
                         "' (partition, replica or disabled)");
}

asio::awaitable<Result<LoadResult>> LoadTable(client::Session& session,
                                              const LoadOptions& options) {
  auto start = std::chrono::steady_clock::now();
  if (options.concurrency < 1) co_return Unexpected(InvalidArgument("concurrency must be at least 1"));
  const bool iceberg = options.format == FileFormat::kIceberg;
  if (iceberg && !options.url.empty()) {
    co_return Unexpected(
        InvalidArgument("a load from an Iceberg table takes --iceberg-table, not --url"));
  }
  if (iceberg && options.iceberg.table.table.empty()) {
    co_return Unexpected(InvalidArgument("a load from Iceberg needs --iceberg-table"));
  }
  if (options.url.empty() && !iceberg) co_return Unexpected(InvalidArgument("load needs --url"));
  if (options.url == "-" && !options.resume.empty()) {
    co_return Unexpected(InvalidArgument("a load from standard input cannot be resumed"));
  }
  client::TopologyPtr topology = session.topology();
  if (topology->FindKeyspace(options.keyspace) == nullptr) {
    co_return Unexpected(NotFound("keyspace " + options.keyspace + " does not exist"));
  }
  const client::TableMetadata* table = topology->FindTable(options.keyspace, options.table);
  if (table == nullptr) {
    co_return Unexpected(
        NotFound("table " + options.keyspace + "." + options.table + " does not exist"));
  }

  auto state = std::make_shared<LoadState>();
  state->options = &options;
  state->session = &session;
  state->start = start;
  state->rows_limiter = RateLimiter(options.max_rows_per_second);
  state->bytes_limiter = RateLimiter(options.max_bytes_per_second);

  std::unique_ptr<RunDirectory> run;
  if (options.resume.empty()) {
    CQLBULK_CO_ASSIGN_OR_RETURN(run, RunDirectory::Create("load", options.log_dir));
  } else {
    CQLBULK_CO_ASSIGN_OR_RETURN(run, RunDirectory::Open("load", options.resume));
  }
  state->run = run.get();
  if (options.on_log_dir) options.on_log_dir(run->path());
  CQLBULK_CO_RETURN_IF_ERROR(BuildStatements(*state, *table));
  run->Log("load " + (iceberg ? "Iceberg table " + options.iceberg.table.table : options.url) +
           " with " + state->write.text);
  CQLBULK_CO_ASSIGN_OR_RETURN(state->write.prepared,
                              co_await session.Prepare(state->write.text, options.keyspace));
  if (state->static_write) {
    CQLBULK_CO_ASSIGN_OR_RETURN(
        state->static_write->prepared,
        co_await session.Prepare(state->static_write->text, options.keyspace));
  }
  for (WriteStatement* write :
       {&state->write, state->static_write ? &*state->static_write : nullptr}) {
    if (write == nullptr) continue;
    // EncodeRow writes one value per bind marker, from the field of each (as many as a table
    // has columns, well below a [short]'s 65535).
    if (write->prepared->metadata.columns.size() != write->bind_fields.size()) {
      co_return Unexpected(ProtocolError(
          "the server prepared " + write->text + " with " +
          std::to_string(write->prepared->metadata.columns.size()) + " bind markers, not " +
          std::to_string(write->bind_fields.size())));
    }
    cql::AppendPreparedHead(write->head, write->prepared->id, NumValues(*write));
    write->binds_every_field = write->bind_fields.size() == state->schema->num_fields();
    for (size_t b = 0; b < write->bind_fields.size(); ++b) {
      write->encoders.emplace_back(*state->schema->fields[write->bind_fields[b]].type,
                                   *write->prepared->metadata.columns[b].type);
      write->binds_every_field &=
          write->bind_fields[b] == b && write->null_as_unset[b] == 0;
    }
  }
  // The straight CSV path (LoadState::straight_csv): every field is a column of the table
  // (no TTL or write-time column: the INSERT binds them all, field i at marker i) in a pair
  // CqlRowWriter takes.
  state->straight_csv = options.format == FileFormat::kCsv && !state->counter &&
                        state->write.binds_every_field;
  for (size_t f = 0; state->straight_csv && f < state->schema->num_fields(); ++f) {
    state->straight_csv = CqlRowWriter::Takes(state->schema->fields[f],
                                              *state->write.prepared->metadata.columns[f].type);
  }
  run->Log(std::string("CSV records ") +
           (state->straight_csv ? "straight to CQL values" : "through batches"));

  if (options.resume.empty() && iceberg) {
    CQLBULK_CO_RETURN_IF_ERROR(PlanIceberg(*state, std::nullopt));
    for (const auto& path : state->iceberg->files()) {
      state->files.push_back({.path = path, .committed = 0, .complete = false, .chunks = {}});
    }
  } else if (options.resume.empty()) {
    CQLBULK_CO_ASSIGN_OR_RETURN(std::vector<std::string> paths, InputFiles(options.url));
    for (auto& path : paths) {
      state->files.push_back({.path = std::move(path), .committed = 0, .complete = false, .chunks = {}});
    }
  } else {
    CQLBULK_CO_RETURN_IF_ERROR(RestoreCheckpoint(*state));
    int64_t done = 0;
    for (const auto& f : state->files) done += f.complete ? 1 : 0;
    run->Log("resume: " + std::to_string(done) + " of " + std::to_string(state->files.size()) +
             " files were done");
  }
  for (const auto& f : state->files) {
    std::error_code ec;
    if (f.path != "-") state->bytes_total += fs::file_size(f.path, ec);
    if (f.complete) ++state->files_done;
  }
  state->Checkpoint(true);

  // Everything runs on one of the driver's I/O threads, the reader and the writes it spawns:
  // with one I/O thread no request crosses threads (measured on cqlsim, 200k rows of the
  // orders table: 0.40 CPU s against 0.72 on the caller's thread). That thread alone runs its
  // io_context, so its executor serializes them as a strand would; a strand held in an
  // any_io_executor is allocated anew at each copy, a dozen times per request.
  asio::any_io_executor executor = session.executor();
  state->slot_freed.emplace(executor, std::chrono::steady_clock::time_point::max());
  state->work_ready.emplace(executor, std::chrono::steady_clock::time_point::max());
  // Built outside the co_await: GCC 12 destroys temporaries of a co_await expression twice.
  asio::awaitable<void> reader =
      [](std::shared_ptr<LoadState> state) -> asio::awaitable<void> {
        for (size_t i = 0; i < state->files.size() && !state->stop(); ++i) {
          if (state->files[i].complete) continue;
          Status loaded = co_await LoadFile(state, i);
          if (!loaded.has_value()) {
            // A file that cannot be opened or read at all: its records are not loaded.
            ++state->committed_rejected;
            state->Reject({.source = state->files[i].path,
                           .line = 0,
                           .record = 0,
                           .field = {},
                           .text = {},
                           .reason = loaded.error().message()});
            if (loaded.error().code() == ErrorCode::kInvalidArgument) state->fatal = loaded.error();
            state->files[i].complete = !state->fatal;
          }
          if (state->files[i].complete) ++state->files_done;
          state->Progress();
        }
        while (state->in_flight > 0) {
          co_await state->slot_freed->async_wait(
              asio::experimental::as_tuple(asio::use_awaitable));
        }
        // Every unit has ended: the idle writers end too.
        state->writers_done = true;
        state->idle_writers = 0;
        state->work_ready->cancel();
      }(state);
  co_await asio::co_spawn(executor, std::move(reader), asio::use_awaitable);
  state->Checkpoint(true);

  LoadResult result = state->result;
  // Every write has ended, so every chunk read is committed (the interrupted ones too).
  result.rows = state->committed_rows;
  result.rejected = state->committed_rejected;
  for (const auto& f : state->files) result.files.push_back(f.path);
  result.log_dir = run->path();
  if (state->iceberg) result.iceberg = state->iceberg->Summary();
  result.duration = std::chrono::steady_clock::now() - start;
  std::string line = "loaded " + std::to_string(result.rows) + " rows, " +
                     std::to_string(result.rejected) + " records rejected";
  if (state->fatal) {
    run->Log("load failed: " + state->fatal->message());
    co_return Unexpected(Error(state->fatal->code(), "load failed: " + state->fatal->message() +
                                                         " (" + line + "; resume with --resume " +
                                                         run->path() + ")"));
  }
  if (state->interrupted() && !result.too_many_errors) {
    std::string message = "load interrupted: " + line + "; continue with --resume " + run->path();
    run->Log(message);
    co_return Unexpected(Cancelled(std::move(message)));
  }
  run->Log(line + (result.too_many_errors ? " (stopped: too many errors)" : ""));
  co_return result;
}

Result<LoadResult> LoadSync(LoadOptions options) {
  return client::RunSync([](LoadOptions options) -> asio::awaitable<Result<LoadResult>> {
    CQLBULK_CO_ASSIGN_OR_RETURN(auto session, co_await client::Session::Connect(options.session));
    auto result = co_await LoadTable(*session, options);
    session->Close();
    co_return result;
  }(std::move(options)));
}

}  // namespace cqlbulk::ops
