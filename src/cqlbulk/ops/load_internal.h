// SPDX-License-Identifier: Apache-2.0
// What load.cc and its statements (load_statements.cc) share: the run's state and the rows in
// flight. Internal to ops.
#pragma once

#include <asio/steady_timer.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "cqlbulk/client/session.h"
#include "cqlbulk/client/topology.h"
#include "cqlbulk/data/batch.h"
#include "cqlbulk/formats/text/record.h"
#include "cqlbulk/ops/cql_data.h"
#include "cqlbulk/ops/execution.h"
#include "cqlbulk/ops/iceberg/source.h"
#include "cqlbulk/ops/load.h"
#include "cqlbulk/ops/run_directory.h"
#include "cqlbulk/ops/text/cql_rows.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::ops::load_internal {

using Json = nlohmann::ordered_json;

/// How often the checkpoint is written, at most (and at the end).
constexpr auto kCheckpointInterval = std::chrono::seconds(1);

/// One bind marker of a statement over the rows of one chunk, as EncodeRow reads it: found
/// once per chunk rather than once per value.
struct BindSource {
  const data::Column* column = nullptr;
  const uint8_t* unset = nullptr;  ///< one byte per row, 1 = unset; null when every row set it
  bool null_as_unset = false;      ///< a null is bound as unset
  const CellEncoder* encoder = nullptr;
};

/// \brief The groups of a chunk's rows by key (a partition's routing key, or a replica set's
/// host indices), numbered 0, 1, ... as they are first seen: an open-addressing table of group
/// numbers over the keys, which are kept one after another in one buffer, so that a new group
/// costs no allocation of its own (std::unordered_map allocated a node per group).
class GroupIndex {
 public:
  /// The group of `key` (whose hash is `hash`: equal keys, equal hashes), or the next number
  /// (then `key`'s from now on) when no group has it.
  uint32_t FindOrAdd(std::string_view key, uint64_t hash) {
    if ((keys_.size() + 1) * 2 > slots_.size()) Grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash & mask;; i = (i + 1) & mask) {
      const uint32_t group = slots_[i];
      if (group == kEmpty) {
        slots_[i] = static_cast<uint32_t>(keys_.size());
        keys_.push_back({.hash = hash, .begin = bytes_.size(), .size = key.size()});
        bytes_.append(key);
        return slots_[i];
      }
      const Key& k = keys_[group];
      if (k.hash == hash && std::string_view(bytes_).substr(k.begin, k.size) == key) {
        return group;
      }
    }
  }
  /// The number of groups.
  size_t size() const noexcept { return keys_.size(); }

 private:
  static constexpr uint32_t kEmpty = UINT32_MAX;
  struct Key {
    uint64_t hash;
    size_t begin;  ///< in bytes_
    size_t size;
  };
  void Grow() {
    slots_.assign(std::max<size_t>(64, slots_.size() * 2), kEmpty);
    const size_t mask = slots_.size() - 1;
    for (uint32_t group = 0; group < keys_.size(); ++group) {
      size_t i = keys_[group].hash & mask;
      while (slots_[i] != kEmpty) i = (i + 1) & mask;
      slots_[i] = group;
    }
  }
  std::vector<uint32_t> slots_;  ///< a power of two in size, at most half full
  std::vector<Key> keys_;        ///< per group
  std::string bytes_;            ///< the groups' keys, one after another
};

/// Records read together, and the writes still out for them. A file's resume position moves
/// past a chunk once every write of it (and of the chunks before it) has ended.
struct Chunk {
  size_t file = 0;
  int64_t end_record = 0;  ///< the file's records consumed after this chunk
  formats::RecordInfo info;
  /// The rows read: a batch, whose cells each write encodes, or (LoadState::straight_csv)
  /// their CQL values, which each write copies.
  std::optional<data::Batch> batch;
  std::optional<CqlRows> values;
  /// The rows to write, batch after batch (each WriteUnit is a run of them): set once, when
  /// the chunk is sent.
  std::vector<uint32_t> grouped_rows;
  /// The bind markers of the table's statement and of the static-values one (BindSources),
  /// set with grouped_rows.
  std::vector<BindSource> write_binds;
  std::vector<BindSource> static_binds;
  int pending = 0;  ///< writes not yet ended
  bool dispatched = false;
  int64_t rows = 0;      ///< written
  int64_t rejected = 0;  ///< in the error file
};
using ChunkPtr = std::shared_ptr<Chunk>;

/// One INSERT, or one BATCH of them, and the rows of its chunk it writes.
struct WriteUnit {
  ChunkPtr chunk;
  std::span<const uint32_t> rows;  ///< in chunk->grouped_rows (which the unit keeps alive)
  ring::Token token;
};

struct FileProgress {
  std::string path;
  int64_t committed = 0;  ///< records known written or rejected, from the file's start
  bool complete = false;
  std::deque<ChunkPtr> chunks;  ///< in reading order, not yet past `committed`
};

/// A statement rows are bound to, and which schema field feeds each of its bind markers.
struct WriteStatement {
  std::string text;
  client::PreparedPtr prepared;
  std::vector<size_t> bind_fields;
  /// Per bind marker: a null is bound as unset (a counter increment, a TTL or write time:
  /// Cassandra refuses null there, and unset leaves the counter alone or uses the default).
  std::vector<uint8_t> null_as_unset;
  /// What starts each row of it in a BATCH: cql::AppendPreparedHead of its id and values.
  Bytes head;
  /// Per bind marker: how its field's cells are encoded (set once prepared).
  std::vector<CellEncoder> encoders;
  /// Bind marker i binds field i, for every field of the schema, and none binds a null as
  /// unset: a row's CqlRows values are its statement's values as they are.
  bool binds_every_field = false;
};

struct LoadState {
  const LoadOptions* options = nullptr;
  client::Session* session = nullptr;
  RunDirectory* run = nullptr;
  WriteStatement write;
  /// For a table with static columns: the INSERT of a partition's static values alone, for the
  /// rows whose clustering columns are all null (what unload writes for a partition that has
  /// static values and no rows).
  std::optional<WriteStatement> static_write;
  std::vector<size_t> clustering_fields;
  data::SchemaPtr schema;
  std::vector<std::string> source_fields;
  /// CSV records are written straight as CQL values (CqlRowWriter), with no batch in between:
  /// a CSV load of a table whose every column CqlRowWriter::Takes, without a TTL or write-time
  /// column and not a counter table. Every other load (JSON, Parquet, Iceberg; collections,
  /// tuples, UDTs, vectors, durations; TTL or write-time columns; counters) reads batches.
  bool straight_csv = false;
  std::vector<size_t> key_binds;    ///< bind markers of `write` of the partition key, in order
  std::vector<std::string> key_names;
  bool counter = false;
  std::vector<FileProgress> files;
  /// format kIceberg: the planned scan whose data files are `files`.
  std::shared_ptr<IcebergSource> iceberg;
  LoadResult result;  ///< rows and rejected: live counts, for progress and the error limit
  /// Rows written and records rejected up to the files' resume positions: what a resumed
  /// run starts from, and the totals once every write has ended.
  int64_t committed_rows = 0;
  int64_t committed_rejected = 0;
  std::optional<Error> fatal;
  int in_flight = 0;  ///< units handed to the writers (queued or being sent) and not yet ended
  /// Woken when the writers' queue has room again, and when the last unit ends.
  std::optional<asio::steady_timer> slot_freed;
  /// Units waiting for a writer: SendChunk pushes them, the writers (long-lived coroutines,
  /// `concurrency` of them at most, started as needed) take them in order.
  std::deque<WriteUnit> units;
  int writers = 0;       ///< writers started
  int idle_writers = 0;  ///< writers waiting on `work_ready` and not yet woken
  bool writers_done = false;  ///< every unit has ended and no more come: the writers end
  std::optional<asio::steady_timer> work_ready;
  RateLimiter rows_limiter{0};
  RateLimiter bytes_limiter{0};
  uint64_t bytes_total = 0;
  size_t files_done = 0;
  std::chrono::steady_clock::time_point start;
  std::chrono::steady_clock::time_point last_checkpoint;

  bool interrupted() const {
    return options->interrupted != nullptr && options->interrupted->load();
  }
  bool stop() const { return fatal.has_value() || result.too_many_errors || interrupted(); }

  Json CheckpointJson() const {
    Json list = Json::array();
    for (const auto& f : files) {
      list.push_back({{"path", f.path}, {"records", f.committed}, {"complete", f.complete}});
    }
    return {{"operation", "load"},         {"version", 1},
            {"keyspace", options->keyspace}, {"table", options->table},
            {"url", options->url},
            {"text_options", DescribeTextOptions(options->format, options->csv)},
            {"files", list},                {"rows", committed_rows},
            {"rejected", committed_rejected},
            {"iceberg", iceberg ? iceberg->CheckpointJson() : Json(nullptr)}};
  }
  void Checkpoint(bool force) {
    auto now = std::chrono::steady_clock::now();
    if (!force && now - last_checkpoint < kCheckpointInterval) return;
    last_checkpoint = now;
    Status saved = run->WriteCheckpoint(CheckpointJson().dump(1));
    if (!saved.has_value() && !fatal) fatal = saved.error();
  }

  void Progress() {
    if (options->progress == nullptr) return;
    options->progress->OnProgress({.ranges_done = files_done,
                                   .ranges_total = files.size(),
                                   .rows = result.rows,
                                   .errors = result.rejected,
                                   .bytes_done = result.bytes,
                                   .bytes_total = bytes_total,
                                   .elapsed = std::chrono::steady_clock::now() - start});
  }

  /// One record goes to the error file; past the limit the run stops reading.
  void Reject(formats::RecordError error) {
    ++result.rejected;
    Status written = run->WriteError(error);
    if (!written.has_value() && !fatal) fatal = written.error();
    const LoadOptions& o = *options;
    if (o.max_errors_percent >= 0) {
      // A share is judged once enough records are in to make it one (DSBulk does the same).
      if (result.records >= 100 && 100.0 * static_cast<double>(result.rejected) >
                                       o.max_errors_percent * static_cast<double>(result.records)) {
        result.too_many_errors = true;
      }
    } else if (o.max_errors >= 0 && result.rejected > o.max_errors) {
      result.too_many_errors = true;
    }
  }

  void RejectRow(Chunk& chunk, uint32_t row, std::string reason) {
    ++chunk.rejected;
    Reject({.source = files[chunk.file].path,
            .line = chunk.info.lines[row],
            .record = chunk.info.records[row],
            .field = {},
            .text = std::string(chunk.info.Text(row)),
            .reason = std::move(reason)});
  }

  /// A write of `chunk` ended: move its file's resume position past every finished chunk.
  void Finished(const ChunkPtr& chunk) {
    --chunk->pending;
    FileProgress& file = files[chunk->file];
    while (!file.chunks.empty() && file.chunks.front()->dispatched &&
           file.chunks.front()->pending == 0) {
      file.committed = file.chunks.front()->end_record;
      committed_rows += file.chunks.front()->rows;
      committed_rejected += file.chunks.front()->rejected;
      file.chunks.pop_front();
    }
    Checkpoint(false);
  }
};

/// \brief The statements rows are bound to (texts, and which schema field feeds each bind
/// marker), the target schema and the source fields, from the table and the options' mapping.
Status BuildStatements(LoadState& state, const client::TableMetadata& table);

}  // namespace cqlbulk::ops::load_internal
