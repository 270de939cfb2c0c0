// SPDX-License-Identifier: Apache-2.0
#include "engine_test_util.h"

#include <gtest/gtest.h>

#include "cqlbulk/cql/protocol/rows.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "cqlbulk/ring/token_allocation.h"

namespace cqlbulk::sim::testing {

TopologyPtr MakeTestTopology(uint32_t num_nodes, uint32_t num_vnodes, uint64_t seed,
                             uint32_t num_datacenters) {
  auto tokens = ring::GenerateRandomTokens(seed, num_nodes, num_vnodes);
  std::vector<NodeInfo> nodes;
  for (uint32_t i = 0; i < num_nodes; ++i) {
    NodeInfo node;
    node.address = "127.0.0." + std::to_string(i + 1);
    node.datacenter = "datacenter" + std::to_string(1 + i * num_datacenters / num_nodes);
    node.rack = "rack1";
    node.tokens = tokens[i];
    nodes.push_back(std::move(node));
  }
  auto topology = MakeTopology("test", std::move(nodes));
  EXPECT_TRUE(topology.has_value());
  return *topology;
}

cql::Value Rows::Value(size_t row, size_t column) const {
  const auto& cell = cells.at(row).at(column);
  if (!cell) return cql::Value::Null();
  auto v = cql::DecodeValue(*types.at(column), *cell);
  EXPECT_TRUE(v.has_value()) << names[column];
  return v.has_value() ? *v : cql::Value::Null();
}

std::string Rows::Text(size_t row, size_t column) const {
  return cells.at(row).at(column) ? Value(row, column).ToString() : "null";
}

std::vector<std::string> Rows::Lines() const {
  std::vector<std::string> out;
  for (size_t r = 0; r < size(); ++r) {
    std::string line;
    for (size_t c = 0; c < cells[r].size(); ++c) line += (c ? "|" : "") + Text(r, c);
    out.push_back(line);
  }
  return out;
}

EngineFixture::EngineFixture(uint32_t num_nodes, uint32_t num_vnodes, CompactionPolicy compaction) {
  engine_ = std::make_unique<Engine>(
      EngineOptions{.now_millis = [this] { return now_millis_; }, .compaction = compaction});
  engine_->SetTopology(MakeTestTopology(num_nodes, num_vnodes));
}

Reply EngineFixture::Handle(const cql::Request& request, ring::HostIndex coordinator) {
  return engine_->Handle(request, coordinator, session_);
}

Reply EngineFixture::Query(const std::string& cql, std::vector<cql::BoundValue> values,
                           cql::Consistency consistency) {
  cql::QueryParameters params;
  params.consistency = consistency;
  params.values = std::move(values);
  return QueryWith(cql, std::move(params));
}

Reply EngineFixture::QueryWith(const std::string& cql, cql::QueryParameters params,
                               ring::HostIndex coordinator) {
  return Handle(cql::QueryRequest{cql, std::move(params)}, coordinator);
}

void EngineFixture::Exec(const std::string& cql, std::vector<cql::BoundValue> values) {
  Reply reply = Query(cql, std::move(values));
  auto error = ErrorOf(reply);
  ASSERT_FALSE(error.has_value()) << cql << ": " << error->message;
}

Rows EngineFixture::Select(const std::string& cql, std::vector<cql::BoundValue> values) {
  Reply reply = Query(cql, std::move(values));
  auto error = ErrorOf(reply);
  EXPECT_FALSE(error.has_value()) << cql << ": " << (error ? error->message : "");
  return RowsOf(reply);
}

Rows EngineFixture::SelectPaged(const std::string& cql, int32_t page_size,
                                const std::function<void()>& between_pages) {
  Rows all;
  std::optional<Bytes> state;
  do {
    cql::QueryParameters params;
    params.page_size = page_size;
    params.paging_state = state;
    Rows page = RowsOf(QueryWith(cql, params));
    if (all.names.empty()) {
      all.names = page.names;
      all.types = page.types;
    }
    for (auto& row : page.cells) all.cells.push_back(std::move(row));
    state = page.paging_state;
    if (between_pages) between_pages();
  } while (state.has_value());
  return all;
}

cql::PreparedResult EngineFixture::Prepare(const std::string& cql) {
  Reply reply = Handle(cql::PrepareRequest{cql, std::nullopt});
  auto result = ResultOf(reply);
  if (!result || !std::holds_alternative<cql::PreparedResult>(result->result)) {
    ADD_FAILURE() << cql << ": " << Describe(reply);
    return {};
  }
  return std::get<cql::PreparedResult>(result->result);
}

Reply EngineFixture::Execute(const Bytes& id, std::vector<cql::BoundValue> values,
                             cql::Consistency consistency, std::optional<int32_t> page_size,
                             std::optional<Bytes> paging_state) {
  cql::ExecuteRequest request;
  request.id = id;
  request.params.consistency = consistency;
  request.params.values = std::move(values);
  request.params.page_size = page_size;
  request.params.paging_state = std::move(paging_state);
  return Handle(request);
}

std::optional<cql::ErrorResponse> ErrorOf(const Reply& reply) {
  if (auto* response = std::get_if<cql::Response>(&reply.message)) {
    if (auto* error = std::get_if<cql::ErrorResponse>(response)) return *error;
  }
  return std::nullopt;
}

std::optional<cql::ResultResponse> ResultOf(const Reply& reply) {
  if (auto* response = std::get_if<cql::Response>(&reply.message)) {
    if (auto* result = std::get_if<cql::ResultResponse>(response)) return *result;
  }
  return std::nullopt;
}

Rows RowsOf(const Reply& reply, int protocol_version) {
  Rows rows;
  auto* body = std::get_if<Bytes>(&reply.message);
  if (body == nullptr) {
    ADD_FAILURE() << "expected Rows, got " << Describe(reply);
    return rows;
  }
  auto parsed = cql::ParseRowsResult(*body, protocol_version);
  if (!parsed.has_value()) {
    ADD_FAILURE() << parsed.error().ToString();
    return rows;
  }
  rows.paging_state = parsed->metadata.paging_state;
  rows.no_metadata = parsed->metadata.no_metadata;
  rows.new_metadata_id = parsed->metadata.new_metadata_id;
  for (const cql::ColumnSpec& c : parsed->metadata.columns) {
    rows.names.push_back(c.name);
    rows.types.push_back(c.type);
  }
  cql::RowsCursor cursor = parsed->cursor();
  while (true) {
    auto next = cursor.Next();
    if (!next.has_value()) {
      ADD_FAILURE() << next.error().ToString();
      break;
    }
    if (!*next) break;
    std::vector<std::optional<Bytes>> row;
    for (size_t i = 0; i < cursor.num_columns(); ++i) {
      auto cell = cursor.cell(i);
      row.push_back(cell ? std::optional<Bytes>(Bytes(cell->begin(), cell->end())) : std::nullopt);
    }
    rows.cells.push_back(std::move(row));
  }
  EXPECT_EQ(cursor.bytes_remaining(), 0u);
  return rows;
}

std::string Describe(const Reply& reply) {
  if (std::holds_alternative<Bytes>(reply.message)) return "Rows";
  if (auto error = ErrorOf(reply)) {
    return "ERROR " + std::to_string(error->code) + ": " + error->message;
  }
  if (auto result = ResultOf(reply)) return "RESULT kind " + std::to_string(static_cast<int>(result->kind()));
  return "other response";
}

cql::BoundValue Int(int32_t v) { return cql::BoundValue::Int(v); }
cql::BoundValue Bigint(int64_t v) { return cql::BoundValue::BigInt(v); }
cql::BoundValue Text(const std::string& v) { return cql::BoundValue::Text(v); }

cql::BoundValue Encoded(const cql::DataType& type, const cql::Value& v) {
  auto bytes = cql::EncodeValueToBytes(type, v);
  EXPECT_TRUE(bytes.has_value());
  return cql::BoundValue::Of(bytes.value_or(Bytes{}));
}

}  // namespace cqlbulk::sim::testing
