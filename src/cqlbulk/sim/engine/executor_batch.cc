// SPDX-License-Identifier: Apache-2.0
// INSERT, UPDATE, DELETE and BATCH: consistency, lightweight transactions, warnings.
#include <algorithm>
#include <set>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/engine/mutation.h"

namespace cqlbulk::sim::internal {
namespace {

constexpr size_t kBatchWarnBytes = 5120;    // batch_size_warn_threshold_in_kb: 5
constexpr size_t kBatchFailBytes = 51200;   // batch_size_fail_threshold_in_kb: 50
constexpr size_t kUnloggedPartitionsWarn = 10;

Reply VoidReply() { return ResultReply(cql::ResultResponse{cql::VoidResult{}}); }

/// A Rows body: [applied] and, when `rows` are given, one row for each with the values of
/// `columns` (without rows, [applied] alone: Cassandra's CAS result).
Reply AppliedReply(const RequestContext& ctx, const TableSchema& table, bool applied,
                   const std::vector<size_t>& columns, const std::vector<const CurrentRow*>& rows) {
  cql::RowsMetadata metadata;
  metadata.global_table = cql::TableSpec{table.keyspace, table.name};
  metadata.columns.push_back(cql::ColumnSpec{table.keyspace, table.name, "[applied]",
                                             cql::DataType::Native(cql::TypeId::kBoolean)});
  if (!rows.empty()) {
    for (size_t c : columns) {
      metadata.columns.push_back(cql::ColumnSpec{table.keyspace, table.name, table.columns[c].name,
                                                 table.columns[c].type});
    }
  }
  ByteWriter content;
  for (size_t r = 0; r < std::max<size_t>(rows.size(), 1); ++r) {
    content.WriteI32(1);
    content.WriteU8(applied ? 1 : 0);
    if (rows.empty()) break;
    for (size_t c : columns) {
      const std::optional<Bytes>& v = rows[r]->values[c];
      if (v) {
        content.WriteI32(static_cast<int32_t>(v->size()));
        content.WriteBytes(*v);
      } else {
        content.WriteI32(-1);
      }
    }
  }
  metadata.columns_count = static_cast<int32_t>(metadata.columns.size());
  Bytes rows_content = std::move(content).Take();
  cql::RowsResult result{.metadata = std::move(metadata),
                         .rows_count = static_cast<int32_t>(std::max<size_t>(rows.size(), 1)),
                         .rows_content = rows_content};
  cql::ProtocolWriter out;
  cql::WriteRowsResult(out, result, ctx.protocol_version);
  auto body = std::move(out).Finish();
  if (!body.has_value()) return ErrorReply(ServerError(body.error().message()));
  return Reply{std::move(*body), {}};
}

/// What a conditional update or batch whose conditions failed answers, as Cassandra's
/// buildCasFailureResultSet: every column when a statement has IF [NOT] EXISTS, else the
/// columns of the conditions (regular ones, then static ones, statement by statement; a batch
/// puts the primary key first); one row per checked row that exists, in clustering order, else
/// the static row alone. Static columns are read (else null) only when a statement writes one
/// or a condition names one. `checked` holds the current row of each conditional mutation.
Reply NotAppliedReply(const RequestContext& ctx, const TableStore& store,
                      const std::vector<Mutation>& mutations,
                      std::vector<std::pair<const Mutation*, CurrentRow>>& checked, bool is_batch) {
  const TableSchema& table = *mutations.front().table;
  auto is_static = [&](size_t c) { return table.columns[c].kind == ColumnKind::kStatic; };
  std::vector<size_t> columns;
  auto add = [&](size_t c) {
    if (std::find(columns.begin(), columns.end(), c) == columns.end()) columns.push_back(c);
  };
  if (is_batch) {
    for (size_t c = 0; c < table.num_partition_key + table.num_clustering; ++c) add(c);
  }
  bool wildcard = false, reads_statics = false;
  for (const Mutation& m : mutations) {
    for (const CellOp& op : m.ops) reads_statics = reads_statics || is_static(op.column);
    if (!m.is_conditional()) continue;
    wildcard = wildcard || m.if_exists || m.if_not_exists;
    for (bool statics : {false, true}) {
      for (const Condition& c : m.conditions) {
        if (is_static(c.column) != statics) continue;
        add(c.column);
        reads_statics = reads_statics || statics;
      }
    }
  }
  if (wildcard) {
    columns.clear();
    for (size_t c = 0; c < table.columns.size(); ++c) columns.push_back(c);
  }
  if (!reads_statics) {
    for (auto& [m, row] : checked) {
      for (size_t c = 0; c < table.columns.size(); ++c) {
        if (is_static(c)) row.values[c].reset();
      }
    }
  }
  std::vector<const std::pair<const Mutation*, CurrentRow>*> existing;
  for (const auto& entry : checked) {
    if (entry.first->scope == Mutation::Scope::kRow && entry.second.exists) existing.push_back(&entry);
  }
  std::stable_sort(existing.begin(), existing.end(), [&](const auto* a, const auto* b) {
    return store.CompareClustering(a->first->clustering, b->first->clustering) < 0;
  });
  std::vector<const CurrentRow*> rows;
  const Mutation* previous = nullptr;
  for (const auto* entry : existing) {
    if (previous != nullptr &&
        store.CompareClustering(previous->clustering, entry->first->clustering) == 0) {
      continue;
    }
    previous = entry->first;
    rows.push_back(&entry->second);
  }
  if (rows.empty() && reads_statics) {
    // The partition's static row, when it has a live static cell: without clustering or
    // regular values (a row that does not exist has only its key and static values).
    for (const auto& entry : checked) {
      const CurrentRow& row = entry.second;
      bool has_static = false;
      for (size_t c = 0; c < table.columns.size(); ++c) {
        has_static = has_static || (is_static(c) && row.values[c].has_value());
      }
      if (has_static) {
        rows.push_back(&row);
        break;
      }
    }
  }
  return AppliedReply(ctx, table, false, columns, rows);
}

std::string TableNames(const std::vector<Mutation>& mutations) {
  std::set<std::string> names;
  for (const Mutation& m : mutations) names.insert(m.table->keyspace + "." + m.table->name);
  std::string out = "[";
  for (const std::string& n : names) out += (out.size() > 1 ? ", " : "") + n;
  return out + "]";
}

/// Consistency of the writes (and of the Paxos round for conditional ones); fills stats.
std::optional<cql::ErrorResponse> CheckWrites(RequestContext& ctx, const Schema& schema,
                                              const std::vector<Mutation>& mutations,
                                              bool conditional) {
  TopologyPtr topology = ctx.core.CurrentTopology();
  if (topology == nullptr || mutations.empty()) return std::nullopt;
  std::set<int64_t> tokens;
  for (const Mutation& m : mutations) tokens.insert(m.key.token);
  ctx.routed = tokens.size() == 1;
  ctx.replica = true;
  std::map<std::string, std::vector<size_t>> entries_by_keyspace;
  for (const Mutation& m : mutations) {
    entries_by_keyspace[m.table->keyspace].push_back(EntryOf(*topology, ring::Token(m.key.token)));
  }
  for (auto& [name, entries] : entries_by_keyspace) {
    std::sort(entries.begin(), entries.end());
    entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
    const KeyspaceSchema* keyspace = schema.FindKeyspace(name);
    if (keyspace == nullptr) continue;
    auto replicas = ctx.core.replicas.Get(topology, keyspace->replication);
    ctx.replica = ctx.replica && IsReplicaOfAll(*replicas, entries, ctx.coordinator);
    if (conditional) {
      cql::Consistency serial = ctx.serial_consistency.value_or(cql::Consistency::kSerial);
      if (serial != cql::Consistency::kSerial && serial != cql::Consistency::kLocalSerial) {
        return ToErrorResponse(InvalidRequest("Invalid consistency for conditional update: " +
                                              std::string(cql::ConsistencyName(serial)) +
                                              ", serial consistency is required"));
      }
      if (auto error = CheckConsistency(*topology, keyspace->replication, *replicas, entries,
                                        serial, false, ctx.coordinator)) {
        return error;
      }
      if (ctx.consistency == cql::Consistency::kSerial || ctx.consistency == cql::Consistency::kLocalSerial) {
        return ToErrorResponse(InvalidRequest(
            std::string(cql::ConsistencyName(ctx.consistency)) +
            " is not supported as conditional update commit consistency. Use ANY if you mean "
            "\"make sure it is accepted but I don't care how many replicas commit it for "
            "non-SERIAL reads\""));
      }
    }
    if (auto error = CheckConsistency(*topology, keyspace->replication, *replicas, entries,
                                      ctx.consistency, true, ctx.coordinator)) {
      return error;
    }
  }
  return std::nullopt;
}

Status CheckBatchKinds(const std::vector<Mutation>& mutations, cql::BatchType type) {
  bool counter = false, regular = false;
  for (const Mutation& m : mutations) (m.table->is_counter ? counter : regular) = true;
  if (type == cql::BatchType::kLogged && counter) {
    return InvalidRequest("Cannot include a counter statement in a logged batch");
  }
  if (type == cql::BatchType::kCounter && regular) {
    return InvalidRequest("Cannot include non-counter statement in a counter batch");
  }
  if (counter && regular) return InvalidRequest("Counter and non-counter mutations cannot exist in the same batch");
  return OkStatus();
}

Reply ApplyConditional(RequestContext& ctx, const std::vector<Mutation>& mutations, bool is_batch) {
  const Mutation& first = mutations.front();
  for (const Mutation& m : mutations) {
    if (m.table->id != first.table->id) return ErrorReply(InvalidRequest("Batch with conditions cannot span multiple tables"));
    if (m.key.token != first.key.token || m.key.key != first.key.key) {
      return ErrorReply(InvalidRequest("Batch with conditions cannot span multiple partitions"));
    }
  }
  auto store = ctx.core.Store(first.table->id);
  if (store == nullptr) return ErrorReply(InvalidRequest("unconfigured table " + first.table->name));
  const TableSchema& table = *first.table;
  int64_t now = ctx.now_millis / 1000;
  std::unique_lock lock(store->mutex());
  std::vector<std::pair<const Mutation*, CurrentRow>> checked;
  bool applied = true;
  for (const Mutation& m : mutations) {
    if (!m.is_conditional()) continue;
    CurrentRow row = ReadCurrentRow(*store, m, now);
    bool holds = m.if_not_exists ? !row.exists : (m.if_exists ? row.exists : true);
    if (holds && !m.conditions.empty()) holds = ConditionsHold(m, row);
    applied = applied && holds;
    checked.emplace_back(&m, std::move(row));
  }
  if (!applied) {
    lock.unlock();
    return NotAppliedReply(ctx, *store, mutations, checked, is_batch);
  }
  for (const Mutation& m : mutations) {
    Status status = ApplyMutation(*store, m, now);
    if (!status.has_value()) return ErrorReply(status.error());
  }
  lock.unlock();
  return AppliedReply(ctx, table, true, {}, {});
}

}  // namespace

Reply ExecuteBatch(RequestContext& ctx, const std::vector<BatchItem>& items, cql::BatchType type,
                   const UsingClause& using_clause, bool is_batch) {
  SchemaPtr schema = ctx.core.CurrentSchema();
  int64_t timestamp = ctx.timestamp.value_or(0);
  if (!ctx.timestamp) timestamp = ctx.core.NextTimestampMicros();
  if (using_clause.timestamp && !items.empty()) {
    TermEnv env{.bound = items[0].bound, .core = &ctx.core, .schema = schema.get(), .keyspace = items[0].keyspace};
    auto ts = EvalInteger(*using_clause.timestamp, true, "timestamp", env);
    if (!ts.has_value()) return ErrorReply(ts.error());
    if (*ts) timestamp = **ts;
  }
  std::vector<Mutation> mutations;
  for (const BatchItem& item : items) {
    TermEnv env{.bound = item.bound, .core = &ctx.core, .schema = schema.get(), .keyspace = item.keyspace};
    auto built = BuildMutations(*schema, *item.statement, env, timestamp, using_clause.timestamp.has_value());
    if (!built.has_value()) return ErrorReply(built.error());
    for (Mutation& m : *built) mutations.push_back(std::move(m));
  }
  bool conditional = std::any_of(mutations.begin(), mutations.end(),
                                 [](const Mutation& m) { return m.is_conditional(); });
  if (conditional && using_clause.timestamp) {
    return ErrorReply(InvalidRequest("Cannot provide custom timestamp for conditional BATCH"));
  }
  if (is_batch) {
    Status kinds = CheckBatchKinds(mutations, type);
    if (!kinds.has_value()) return ErrorReply(kinds.error());
  }
  if (auto error = CheckWrites(ctx, *schema, mutations, conditional)) return ErrorReply(std::move(*error));
  if (is_batch) {
    size_t size = 0;
    std::set<std::pair<int64_t, std::string>> partitions;
    for (const Mutation& m : mutations) {
      size += m.data_size();
      partitions.insert({m.key.token, m.key.key});
    }
    if (size > kBatchFailBytes) {
      return ErrorReply(InvalidRequest("Batch too large"));
    }
    if (size > kBatchWarnBytes) {
      ctx.warnings.push_back("Batch for " + TableNames(mutations) + " is of size " + std::to_string(size) +
                             ", exceeding specified threshold of " + std::to_string(kBatchWarnBytes) +
                             " by " + std::to_string(size - kBatchWarnBytes) + ".");
    }
    if (type == cql::BatchType::kUnlogged && partitions.size() > kUnloggedPartitionsWarn) {
      ctx.warnings.push_back("Unlogged batch covering " + std::to_string(partitions.size()) +
                             " partitions detected against table" + (TableNames(mutations).find(',') != std::string::npos ? "s " : " ") +
                             TableNames(mutations) +
                             ". You should use a logged batch for atomicity, or asynchronous writes for performance.");
    }
  }
  if (mutations.empty()) return VoidReply();
  if (conditional) return ApplyConditional(ctx, mutations, is_batch);
  int64_t now = ctx.now_millis / 1000;
  for (const Mutation& m : mutations) {
    auto store = ctx.core.Store(m.table->id);
    if (store == nullptr) return ErrorReply(InvalidRequest("unconfigured table " + m.table->name));
    std::unique_lock lock(store->mutex());
    Status status = ApplyMutation(*store, m, now);
    if (!status.has_value()) return ErrorReply(status.error());
  }
  return VoidReply();
}

}  // namespace cqlbulk::sim::internal
