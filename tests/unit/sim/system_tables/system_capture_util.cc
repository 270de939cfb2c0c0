// SPDX-License-Identifier: Apache-2.0
#include "system_capture_util.h"

#include <algorithm>
#include <variant>

#include <gtest/gtest.h>

#include "cqlbulk/cql/protocol/compression.h"
#include "cqlbulk/cql/protocol/frame_reader.h"
#include "cqlbulk/cql/protocol/messages.h"
#include "cqlbulk/cql/types/value_codec.h"
#include "testing/testdata.h"

namespace cqlbulk::sim::testing {
namespace {

/// The index's frames of one direction, in stream order (handshake frames by offset, then
/// segment frames by payload position).
std::vector<nlohmann::json> ServerFrames(const nlohmann::json& connection) {
  std::vector<nlohmann::json> frames;
  for (const auto& frame : connection.at("frames")) {
    if (frame.at("direction") == "s2c") frames.push_back(frame);
  }
  std::stable_sort(frames.begin(), frames.end(), [](const auto& a, const auto& b) {
    const bool sa = a.contains("payload_position");
    const bool sb = b.contains("payload_position");
    if (sa != sb) return !sa;
    const char* key = sa ? "payload_position" : "offset";
    return a.at(key).template get<size_t>() < b.at(key).template get<size_t>();
  });
  return frames;
}

void DecodeRows(const cql::RowsResult& rows, CapturedRows& out) {
  out.columns = rows.metadata.columns;
  auto cursor = rows.cursor();
  while (true) {
    auto more = cursor.Next();
    ASSERT_TRUE(more.has_value()) << out.label() << ": " << more.error().ToString();
    if (!*more) break;
    std::vector<cql::Value> row;
    for (size_t i = 0; i < out.columns.size(); ++i) {
      auto value = cql::DecodeNullableValue(*out.columns[i].type, cursor.cell(i));
      ASSERT_TRUE(value.has_value()) << out.label() << ": " << value.error().ToString();
      row.push_back(*std::move(value));
    }
    out.rows.push_back(std::move(row));
  }
}

void LoadConnection(const std::string& capture, const nlohmann::json& index,
                    const nlohmann::json& connection, std::vector<CapturedRows>& out) {
  const int version = index.at("protocol_version");
  const bool lz4 = index.at("compression") == "lz4";
  const std::string role = connection.at("role");
  const Bytes bytes = cqlbulk::testing::ReadFileBytes(
      cqlbulk::testing::TestdataPath(connection.at("files").at("server_to_client").at("file")));
  const std::vector<nlohmann::json> frames = ServerFrames(connection);
  cql::FrameReader reader;
  reader.Feed(bytes);
  for (size_t n = 0;; ++n) {
    auto next = reader.Next();
    ASSERT_TRUE(next.has_value()) << capture << "/" << role << ": " << next.error().ToString();
    if (!next->has_value()) break;
    cql::Frame frame = std::move(**next);
    ASSERT_LT(n, frames.size()) << capture << "/" << role << ": more frames than the index";
    if (version >= 5 && !reader.in_segments() && frame.header.opcode == cql::Opcode::kReady) {
      reader.StartSegments(lz4 ? cql::SegmentFormat::kLz4 : cql::SegmentFormat::kUncompressed);
    }
    if (version < 5) {
      auto plain = cql::DecompressFrame(std::move(frame),
                                        lz4 ? cql::Compression::kLz4 : cql::Compression::kNone);
      ASSERT_TRUE(plain.has_value()) << plain.error().ToString();
      frame = *std::move(plain);
    }
    if (frame.header.opcode != cql::Opcode::kResult) continue;
    auto decoded = cql::DecodeResponseFrame(frame.view());
    ASSERT_TRUE(decoded.has_value()) << capture << ": " << decoded.error().ToString();
    const auto* result = std::get_if<cql::ResultResponse>(&decoded->response);
    const auto* rows = result ? std::get_if<cql::RowsResult>(&result->result) : nullptr;
    if (rows == nullptr || rows->metadata.columns.empty()) continue;
    const std::string keyspace = rows->metadata.columns[0].keyspace;
    if (!keyspace.starts_with("system")) continue;
    CapturedRows captured;
    captured.capture = capture;
    captured.role = role;
    captured.frame_index = frames[n].at("index");
    const auto& details = frames[n].at("details");
    captured.query = details.value("request_query", "");
    captured.keyspace = keyspace;
    captured.table = rows->metadata.columns[0].table;
    EXPECT_EQ(details.value("table", ""), keyspace + "." + captured.table) << captured.label();
    DecodeRows(*rows, captured);
    out.push_back(std::move(captured));
  }
}

}  // namespace

std::string CapturedRows::label() const {
  return capture + "/" + role + " frame " + std::to_string(frame_index) + " " + keyspace + "." +
         table + " (" + query + ")";
}

bool CapturedRows::is_select_star() const {
  std::string upper = query.substr(0, 8);
  for (char& c : upper) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return upper == "SELECT *";
}

int CapturedRows::ColumnIndex(const std::string& name) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == name) return static_cast<int>(i);
  }
  return -1;
}

std::vector<CapturedRows> LoadCapturedSystemRows() {
  std::vector<CapturedRows> out;
  for (const char* capture : {"v4", "v4_lz4", "v5", "v5_lz4"}) {
    const nlohmann::json index =
        cqlbulk::testing::LoadTestdataJson(std::string(capture) + "_index.json");
    for (const auto& connection : index.at("connections")) {
      LoadConnection(capture, index, connection, out);
    }
  }
  return out;
}

const CapturedRows* FindSelectStar(const std::vector<CapturedRows>& all, const std::string& capture,
                                   const std::string& keyspace, const std::string& table,
                                   bool allow_where) {
  for (const CapturedRows& rows : all) {
    if (rows.capture == capture && rows.keyspace == keyspace && rows.table == table &&
        rows.is_select_star() && (allow_where || rows.query.find("WHERE") == std::string::npos)) {
      return &rows;
    }
  }
  return nullptr;
}

TableSchema MakeTable(std::string keyspace, std::string name, std::vector<ColumnSchema> columns) {
  TableSchema table;
  table.keyspace = std::move(keyspace);
  table.name = std::move(name);
  auto rank = [](const ColumnSchema& c) {
    return c.kind == ColumnKind::kPartitionKey ? 0 : c.kind == ColumnKind::kClustering ? 1 : 2;
  };
  std::stable_sort(columns.begin(), columns.end(), [&](const auto& a, const auto& b) {
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (rank(a) < 2) return a.position < b.position;
    return a.name < b.name;
  });
  for (const ColumnSchema& c : columns) {
    table.num_partition_key += c.kind == ColumnKind::kPartitionKey ? 1 : 0;
    table.num_clustering += c.kind == ColumnKind::kClustering ? 1 : 0;
    table.is_counter = table.is_counter || (c.type && c.type->id == cql::TypeId::kCounter);
  }
  table.columns = std::move(columns);
  return table;
}

}  // namespace cqlbulk::sim::testing
