// SPDX-License-Identifier: Apache-2.0
// SELECT: plan, consistency, one page of rows, Rows metadata.
#include <algorithm>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/ring/md5.h"
#include "cqlbulk/sim/engine/executor.h"
#include "cqlbulk/sim/engine/select_scan.h"
#include "cqlbulk/sim/system_tables/system_tables.h"

namespace cqlbulk::sim::internal {
namespace {

Result<bool> IsReversed(const TableSchema& table, const SelectStatement& s, const ReadPlan& plan) {
  if (s.order_by.empty()) return false;
  if (!plan.by_keys) {
    return InvalidRequest("ORDER BY is only supported when the partition key is restricted by an EQ or an IN.");
  }
  std::optional<bool> reversed;
  for (size_t i = 0; i < s.order_by.size(); ++i) {
    const Ordering& o = s.order_by[i];
    int index = table.FindColumn(o.column);
    if (index < 0) return InvalidRequest("Undefined column name " + o.column);
    const ColumnSchema& column = table.columns[static_cast<size_t>(index)];
    if (column.kind != ColumnKind::kClustering) {
      return InvalidRequest("Order by on unknown column " + o.column);
    }
    if (column.position != static_cast<int>(i)) {
      return InvalidRequest("Order by currently only supports the ordering of columns following their declared order in the PRIMARY KEY");
    }
    bool r = o.descending != column.is_descending;
    if (reversed && *reversed != r) return InvalidRequest("Unsupported order by relation");
    reversed = r;
  }
  return reversed.value_or(false);
}

/// A throw-away store holding a system table's rows, so system tables go through the same
/// WHERE and paging code as user tables.
Result<std::shared_ptr<TableStore>> SystemStore(EngineCore& core,
                                                const std::shared_ptr<const TableSchema>& table,
                                                ring::HostIndex coordinator) {
  TopologyPtr topology = core.CurrentTopology();
  if (topology == nullptr) return ServerError("the cluster has no topology");
  SchemaPtr schema = core.CurrentSchema();
  CQLBULK_ASSIGN_OR_RETURN(auto rows, SystemTableRows(*table, *topology, *schema, coordinator));
  auto store = std::make_shared<TableStore>(table);
  for (const auto& row : rows) {
    std::vector<Bytes> encoded(table->columns.size());
    std::vector<bool> present(table->columns.size(), false);
    for (size_t c = 0; c < table->columns.size() && c < row.size(); ++c) {
      if (row[c].is_null()) continue;
      auto bytes = cql::EncodeValueToBytes(*table->columns[c].type, row[c]);
      if (!bytes.has_value()) return ServerError("system table " + table->name + ": " + bytes.error().message());
      encoded[c] = std::move(*bytes);
      present[c] = true;
    }
    std::vector<BytesView> pk;
    for (size_t c = 0; c < table->num_partition_key; ++c) pk.push_back(encoded[c]);
    auto key = MakePartitionKey(pk);
    if (!key.has_value()) continue;
    std::vector<BytesView> clustering;
    for (size_t c = 0; c < table->num_clustering; ++c) clustering.push_back(encoded[table->num_partition_key + c]);
    Bytes ckey = EncodeClustering(clustering);
    RowImage image;
    image.marker_timestamp = 0;
    RowImage statics;
    for (size_t c = table->num_partition_key + table->num_clustering; c < table->columns.size(); ++c) {
      if (!present[c]) continue;
      CellImage cell{.column = static_cast<uint32_t>(c), .timestamp = 0, .expiry = 0, .value = encoded[c]};
      (table->columns[c].kind == ColumnKind::kStatic ? statics : image).Put(std::move(cell));
    }
    store->MutateRow(*key, BytesView(ckey), 0, [&](RowImage& r) { r = image; });
    if (!statics.cells.empty()) {
      store->MutateRow(*key, std::nullopt, 0, [&](RowImage& r) { r = statics; });
    }
  }
  return store;
}

/// The ring entries a read touches, for consistency and NodeStats.
Footprint ReadFootprint(const Topology& topology, const ReadPlan& plan) {
  Footprint f;
  if (plan.by_keys) {
    for (const PartitionKey& key : plan.keys) f.entries.push_back(EntryOf(topology, ring::Token(key.token)));
    std::sort(f.entries.begin(), f.entries.end());
    f.entries.erase(std::unique(f.entries.begin(), f.entries.end()), f.entries.end());
    f.is_routed = plan.keys.size() == 1;
  } else if (plan.is_empty) {
    f.is_routed = plan.has_token_bounds;
  } else {
    ring::Token high = plan.has_high ? plan.high : ring::Token::Min();
    f.entries = EntriesOfInterval(topology, plan.has_low ? plan.low : ring::Token::Min(),
                                  plan.has_low && plan.low_inclusive, high, plan.high_inclusive);
    f.is_routed = plan.has_token_bounds;
  }
  return f;
}

/// The Rows RESULT body: its header (kind, metadata, row count) put in front of the rows the
/// scan wrote, in the page's own buffer (reserved with room to spare), not in a copy.
Result<Bytes> RowsBody(cql::RowsMetadata metadata, ScanPage page, int protocol_version) {
  cql::ProtocolWriter header;
  cql::WriteRowsResult(header,
                       cql::RowsResult{.metadata = std::move(metadata),
                                       .rows_count = page.num_rows,
                                       .rows_content = {}},
                       protocol_version);
  CQLBULK_ASSIGN_OR_RETURN(Bytes prefix, std::move(header).Finish());
  page.content.insert(page.content.begin(), prefix.begin(), prefix.end());
  return std::move(page.content);
}

}  // namespace

Bytes ResultMetadataId(const std::vector<cql::ColumnSpec>& columns) {
  ring::Md5 md5;
  for (const cql::ColumnSpec& c : columns) {
    md5.Update(AsBytes(c.keyspace));
    md5.Update(AsBytes(c.table));
    md5.Update(AsBytes(c.name));
    std::string type = c.type->ToCql(true);
    md5.Update(AsBytes(type));
  }
  ring::Md5Digest digest = md5.Finish();
  return Bytes(digest.begin(), digest.end());
}

Reply ExecuteSelect(RequestContext& ctx, const SelectStatement& s) {
  SchemaPtr schema = ctx.core.CurrentSchema();
  auto table = ResolveTable(*schema, s.table, ctx.keyspace);
  if (!table.has_value()) return ErrorReply(table.error());
  if (s.is_json) return ErrorReply(InvalidRequest("Unsupported: SELECT JSON is not supported by cqlsim"));
  if (!s.group_by.empty()) return ErrorReply(InvalidRequest("Unsupported: GROUP BY is not supported by cqlsim"));
  auto selection = BuildSelection(**table, s);
  if (!selection.has_value()) return ErrorReply(selection.error());
  TermEnv env{.bound = ctx.bound, .core = &ctx.core, .schema = schema.get(), .keyspace = ctx.keyspace};
  auto plan = PlanWhere(**table, s.where, env, s.allow_filtering, WhereUse::kSelect);
  if (!plan.has_value()) return ErrorReply(plan.error());
  ScanSpec spec;
  spec.table = table->get();
  spec.plan = &*plan;
  spec.selection = &*selection;
  spec.is_distinct = s.is_distinct;
  auto reversed = IsReversed(**table, s, *plan);
  if (!reversed.has_value()) return ErrorReply(reversed.error());
  spec.is_reversed = *reversed;
  if (s.limit) {
    auto limit = EvalInteger(*s.limit, false, "limit", env);
    if (!limit.has_value()) return ErrorReply(limit.error());
    if (*limit && **limit <= 0) return ErrorReply(InvalidRequest("LIMIT must be strictly positive"));
    if (*limit) spec.limit = **limit;
  }
  if (s.per_partition_limit) {
    auto limit = EvalInteger(*s.per_partition_limit, false, "per partition limit", env);
    if (!limit.has_value()) return ErrorReply(limit.error());
    if (*limit && **limit <= 0) return ErrorReply(InvalidRequest("PER PARTITION LIMIT must be strictly positive"));
    if (*limit) spec.per_partition_limit = **limit;
  }
  spec.now_seconds = ctx.now_millis / 1000;
  if (!selection->is_aggregate) spec.page_size = ctx.page_size.value_or(0);
  if (ctx.paging_state != nullptr && ctx.paging_state->has_value() && !selection->is_aggregate) {
    auto position = DecodePagingState(**ctx.paging_state);
    if (!position.has_value()) return ErrorReply(position.error());
    spec.resume = std::move(*position);
  }
  bool is_system = IsSystemKeyspace((*table)->keyspace);
  std::shared_ptr<TableStore> store;
  if (is_system) {
    auto system = SystemStore(ctx.core, *table, ctx.coordinator);
    if (!system.has_value()) return ErrorReply(system.error());
    store = std::move(*system);
  } else {
    TopologyPtr topology = ctx.core.CurrentTopology();
    const KeyspaceSchema* keyspace = schema->FindKeyspace((*table)->keyspace);
    if (topology != nullptr && keyspace != nullptr) {
      Footprint footprint = ReadFootprint(*topology, *plan);
      auto replicas = ctx.core.replicas.Get(topology, keyspace->replication);
      ctx.routed = footprint.is_routed;
      ctx.replica = IsReplicaOfAll(*replicas, footprint.entries, ctx.coordinator);
      if (auto error = CheckConsistency(*topology, keyspace->replication, *replicas,
                                        footprint.entries, ctx.consistency, false, ctx.coordinator)) {
        return ErrorReply(std::move(*error));
      }
    }
    store = ctx.core.Store((*table)->id);
    if (store == nullptr) return ErrorReply(InvalidRequest("unconfigured table " + (*table)->name));
  }
  ScanPage page;
  {
    std::shared_lock lock(store->mutex());
    page = ScanTable(*store, spec);
  }
  cql::RowsMetadata metadata;
  std::vector<cql::ColumnSpec> columns;
  for (const OutputColumn& c : selection->columns) columns.push_back(c.spec);
  metadata.columns_count = static_cast<int32_t>(columns.size());
  if (page.next) metadata.paging_state = EncodePagingState(*page.next);
  bool send_metadata = !ctx.skip_metadata;
  if (ctx.client_metadata_id != nullptr) {
    Bytes id = ResultMetadataId(columns);
    if (*ctx.client_metadata_id != id) {
      metadata.new_metadata_id = id;
      send_metadata = true;
    }
  }
  if (send_metadata) {
    metadata.global_table = cql::TableSpec{(*table)->keyspace, (*table)->name};
    metadata.columns = std::move(columns);
  } else {
    metadata.no_metadata = true;
  }
  auto body = RowsBody(std::move(metadata), std::move(page), ctx.protocol_version);
  if (!body.has_value()) return ErrorReply(ServerError(body.error().message()));
  return Reply{std::move(*body), {}};
}

}  // namespace cqlbulk::sim::internal
