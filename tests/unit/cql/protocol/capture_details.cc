// SPDX-License-Identifier: Apache-2.0
#include "capture_details.h"

#include <type_traits>

#include "capture_stream.h"

namespace cqlbulk::cql::testing {
namespace {

using nlohmann::json;

constexpr size_t kMaxListedColumns = 40;

json ValuesDetail(const std::vector<BoundValue>& values) {
  json out = json::array();
  for (const auto& v : values) {
    out.push_back(ValueDetail(v));
  }
  return out;
}

void AddQueryParameters(json& d, const QueryParameters& p) {
  d["consistency"] = ConsistencyName(p.consistency);
  d["query_flags"] = p.flags();
  if (!p.values.empty()) d["values"] = ValuesDetail(p.values);
  if (p.skip_metadata) d["skip_metadata"] = true;
  if (p.page_size) d["page_size"] = *p.page_size;
  if (p.paging_state) d["paging_state"] = ToHex(*p.paging_state);
  if (p.serial_consistency) d["serial_consistency"] = ConsistencyName(*p.serial_consistency);
  if (p.timestamp) d["timestamp"] = *p.timestamp;
  if (p.keyspace) d["keyspace"] = *p.keyspace;
  if (p.now_in_seconds) d["now_in_seconds"] = *p.now_in_seconds;
}

json ColumnsDetail(const std::vector<ColumnSpec>& columns) {
  json out = json::array();
  for (size_t i = 0; i < columns.size() && i < kMaxListedColumns; ++i) {
    out.push_back(columns[i].name + " " + IndexTypeName(*columns[i].type));
  }
  return out;
}

std::string TableOf(const std::optional<TableSpec>& global, const std::vector<ColumnSpec>& cols) {
  if (global) return global->keyspace + "." + global->table;
  if (!cols.empty()) return cols[0].keyspace + "." + cols[0].table;
  return "";
}

json RowsMetadataDetail(const RowsMetadata& m) {
  json d;
  d["metadata_flags"] = m.flags();
  d["columns_count"] = m.columns_count;
  if (m.paging_state) d["paging_state"] = ToHex(*m.paging_state);
  if (m.new_metadata_id) d["new_metadata_id"] = ToHex(*m.new_metadata_id);
  if (m.no_metadata) {
    d["no_metadata"] = true;
  } else {
    d["table"] = TableOf(m.global_table, m.columns);
    d["columns"] = ColumnsDetail(m.columns);
  }
  return d;
}

std::string_view ResultKindName(ResultKind kind) {
  switch (kind) {
    case ResultKind::kVoid:
      return "VOID";
    case ResultKind::kRows:
      return "ROWS";
    case ResultKind::kSetKeyspace:
      return "SET_KEYSPACE";
    case ResultKind::kPrepared:
      return "PREPARED";
    case ResultKind::kSchemaChange:
      return "SCHEMA_CHANGE";
  }
  return "?";
}

json ResultDetail(const ResultResponse& r) {
  json d;
  d["result_kind"] = ResultKindName(r.kind());
  if (const auto* rows = std::get_if<RowsResult>(&r.result)) {
    d.update(RowsMetadataDetail(rows->metadata));
    d["rows_count"] = rows->rows_count;
  } else if (const auto* ks = std::get_if<SetKeyspaceResult>(&r.result)) {
    d["keyspace"] = ks->keyspace;
  } else if (const auto* p = std::get_if<PreparedResult>(&r.result)) {
    d["prepared_id"] = ToHex(p->id);
    if (!p->result_metadata_id.empty()) d["result_metadata_id"] = ToHex(p->result_metadata_id);
    json bind;
    bind["metadata_flags"] = p->metadata.flags();
    bind["columns_count"] = p->metadata.columns.size();
    bind["pk_indexes"] = p->metadata.pk_indexes;
    bind["table"] = TableOf(p->metadata.global_table, p->metadata.columns);
    bind["columns"] = ColumnsDetail(p->metadata.columns);
    d["bind_metadata"] = bind;
    d["result_metadata"] = RowsMetadataDetail(p->result_metadata);
  }
  return d;
}

}  // namespace

std::string ValueDetail(const BoundValue& v) {
  if (v.is_null()) return "null";
  if (v.is_unset()) return "unset";
  if (v.bytes.size() > 256) {
    return ToHex(BytesView(v.bytes).first(64)) + "...(" + std::to_string(v.bytes.size()) +
           " bytes)";
  }
  return ToHex(v.bytes);
}

std::string SchemaChangeText(const SchemaChange& c) {
  std::string s = std::string(SchemaChangeTypeName(c.type)) + " " +
                  std::string(SchemaChangeTargetName(c.target)) + " " + c.keyspace;
  if (!c.name.empty()) s += "." + c.name;
  return s;
}

json RequestDetails(const RequestFrame& frame) {
  json d = json::object();
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, StartupRequest>) {
          json o = json::object();
          for (const auto& [k, v] : r.options) o[k] = v;
          d["options"] = o;
        } else if constexpr (std::is_same_v<T, RegisterRequest>) {
          d["events"] = r.events;
        } else if constexpr (std::is_same_v<T, QueryRequest>) {
          d["query"] = r.query;
          AddQueryParameters(d, r.params);
        } else if constexpr (std::is_same_v<T, PrepareRequest>) {
          d["query"] = r.query;
          if (r.keyspace) d["keyspace"] = *r.keyspace;
        } else if constexpr (std::is_same_v<T, ExecuteRequest>) {
          d["prepared_id"] = ToHex(r.id);
          if (!r.result_metadata_id.empty()) d["result_metadata_id"] = ToHex(r.result_metadata_id);
          AddQueryParameters(d, r.params);
        } else if constexpr (std::is_same_v<T, BatchRequest>) {
          d["batch_type"] = BatchTypeName(r.type);
          json statements = json::array();
          for (const auto& s : r.statements) {
            json j;
            if (s.is_prepared) {
              j["prepared_id"] = ToHex(s.id);
            } else {
              j["query"] = s.query;
            }
            j["values"] = ValuesDetail(s.values);
            statements.push_back(j);
          }
          d["statements"] = statements;
          d["consistency"] = ConsistencyName(r.consistency);
          d["batch_flags"] = r.flags();
          if (r.serial_consistency) d["serial_consistency"] = ConsistencyName(*r.serial_consistency);
          if (r.timestamp) d["timestamp"] = *r.timestamp;
          if (r.keyspace) d["keyspace"] = *r.keyspace;
          if (r.now_in_seconds) d["now_in_seconds"] = *r.now_in_seconds;
        }
      },
      frame.request);
  return d;
}

json ResponseDetails(const ResponseFrame& frame) {
  json d = json::object();
  if (!frame.envelope.warnings.empty()) d["warnings"] = frame.envelope.warnings;
  std::visit(
      [&](const auto& r) {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, SupportedResponse>) {
          json o = json::object();
          for (const auto& [k, v] : r.options) o[k] = v;
          d["options"] = o;
        } else if constexpr (std::is_same_v<T, ErrorResponse>) {
          d["error_code"] = r.code;
          d["message"] = r.message;
        } else if constexpr (std::is_same_v<T, EventResponse>) {
          d["event_type"] = r.type();
        } else if constexpr (std::is_same_v<T, ResultResponse>) {
          d.update(ResultDetail(r));
        }
      },
      frame.response);
  return d;
}

}  // namespace cqlbulk::cql::testing
