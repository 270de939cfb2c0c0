// SPDX-License-Identifier: Apache-2.0
// Every statement the DataStax Python driver sent to a real Cassandra 4.0 in the captures of
// ../shared/testdata parses, and our bind markers name the columns the server reported.
#include <map>
#include <string>
#include <vector>

#include "cqlbulk/sim/parser/cql_parser.h"
#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::sim {
namespace {

struct CapturedStatement {
  int frame_index = 0;
  std::string opcode;  // QUERY, PREPARE, or BATCH (a simple statement inside a BATCH)
  std::string query;
};

struct Capture {
  std::vector<CapturedStatement> statements;
  /// PREPARE frame index -> the column names of the PREPARED answer's bind metadata.
  std::map<int, std::vector<std::string>> bind_columns;
};

Capture LoadCapture(const std::string& file) {
  Capture capture;
  nlohmann::json index = cqlbulk::testing::LoadTestdataJson(file);
  for (const auto& connection : index.at("connections")) {
    for (const auto& frame : connection.at("frames")) {
      const std::string opcode = frame.at("opcode_name");
      if (!frame.contains("details")) {
        continue;
      }
      const auto& details = frame.at("details");
      if ((opcode == "QUERY" || opcode == "PREPARE") && details.contains("query")) {
        capture.statements.push_back({frame.at("index"), opcode, details.at("query")});
      }
      if (opcode == "BATCH") {
        for (const auto& child : details.value("statements", nlohmann::json::array())) {
          if (child.contains("query")) {
            capture.statements.push_back({frame.at("index"), opcode, child.at("query")});
          }
        }
      }
      if (details.value("result_kind", "") == "PREPARED") {
        std::vector<std::string> names;
        for (const auto& column :
             details.at("bind_metadata").value("columns", nlohmann::json::array())) {
          const std::string spec = column;  // "name type"
          names.push_back(spec.substr(0, spec.find(' ')));
        }
        capture.bind_columns[frame.at("in_reply_to")] = names;
      }
    }
  }
  return capture;
}

struct CaptureCase {
  std::string file;
  size_t num_statements;  // QUERY and PREPARE frames, plus simple statements inside BATCHes
};

class CqlParserCaptureTest : public ::testing::TestWithParam<CaptureCase> {};

TEST_P(CqlParserCaptureTest, EveryDriverStatementParsesExceptTheDeliberateTypo) {
  Capture capture = LoadCapture(GetParam().file);
  size_t num_parsed = 0;
  size_t num_typos = 0;

  for (const CapturedStatement& s : capture.statements) {
    SCOPED_TRACE(s.opcode + " frame " + std::to_string(s.frame_index) + ": " + s.query);
    auto parsed = ParseStatement(s.query);
    if (s.query.rfind("SELEC ", 0) == 0) {
      ++num_typos;
      ASSERT_FALSE(parsed.has_value());
      // What Cassandra answered to this very frame.
      EXPECT_EQ(parsed.error().message(),
                "line 1:0 no viable alternative at input 'SELEC' ([SELEC]...)");
      EXPECT_EQ(parsed.error().server_code(), kCqlSyntaxErrorCode);
      continue;
    }
    ASSERT_TRUE(parsed.has_value()) << parsed.error().ToString();
    EXPECT_FALSE(std::holds_alternative<UnsupportedStatement>(parsed->statement));
    ++num_parsed;
  }

  EXPECT_EQ(capture.statements.size(), GetParam().num_statements);
  EXPECT_EQ(num_typos, 1u);
  EXPECT_EQ(num_parsed, GetParam().num_statements - 1);
}

TEST_P(CqlParserCaptureTest, BindMarkersNameTheColumnsOfTheServersBindMetadata) {
  Capture capture = LoadCapture(GetParam().file);
  size_t num_checked = 0;

  for (const CapturedStatement& s : capture.statements) {
    if (s.opcode != "PREPARE") {
      continue;
    }
    SCOPED_TRACE(s.query);
    ASSERT_TRUE(capture.bind_columns.count(s.frame_index)) << "no PREPARED answer";
    CQLBULK_ASSERT_OK_AND_ASSIGN(ParsedStatement parsed, ParseStatement(s.query));
    std::vector<std::string> ours;
    for (const BindMarker& marker : parsed.bind_markers) {
      EXPECT_EQ(marker.role, BindRole::kColumnValue);
      ASSERT_EQ(marker.columns.size(), 1u);
      ours.push_back(marker.columns[0]);
    }
    EXPECT_EQ(ours, capture.bind_columns[s.frame_index]);
    ++num_checked;
  }

  EXPECT_GE(num_checked, 3u);
}

INSTANTIATE_TEST_SUITE_P(Captures, CqlParserCaptureTest,
                         ::testing::Values(CaptureCase{"v4_index.json", 47},
                                           CaptureCase{"v5_index.json", 53},
                                           CaptureCase{"v4_lz4_index.json", 45},
                                           CaptureCase{"v5_lz4_index.json", 53}),
                         [](const auto& info) {
                           std::string name = info.param.file.substr(0, info.param.file.find('.'));
                           return name;
                         });

TEST(CqlParserCaptureStatementsTest, TokenRangeCountOfTheDriver) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("SELECT count(*) FROM golden.tok_int WHERE token(pk) > -3074457345618258603 "
                     "AND token(pk) <= 3074457345618258602"));

  const auto& select = std::get<SelectStatement>(parsed.statement);
  EXPECT_EQ(select.table, (QualifiedName{"golden", "tok_int"}));
  ASSERT_EQ(select.selectors.size(), 1u);
  EXPECT_EQ(select.selectors[0].kind, SelectorKind::kCountRows);
  ASSERT_EQ(select.where.size(), 2u);
  EXPECT_EQ(select.where[0].value.text, "-3074457345618258603");
  EXPECT_EQ(select.where[1].value.text, "3074457345618258602");
}

TEST(CqlParserCaptureStatementsTest, SchemaRefreshQueryOfTheDriver) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("SELECT * FROM system_schema.views WHERE keyspace_name = 'golden' AND "
                     "view_name = 'capture_ddl_v4'"));

  const auto& select = std::get<SelectStatement>(parsed.statement);
  EXPECT_EQ(select.table, (QualifiedName{"system_schema", "views"}));
  ASSERT_EQ(select.where.size(), 2u);
  EXPECT_EQ(select.where[1].columns, std::vector<std::string>{"view_name"});
  EXPECT_EQ(select.where[1].value.string_value, "capture_ddl_v4");
}

TEST(CqlParserCaptureStatementsTest, PeersV2ProjectionOfTheDriver) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      ParsedStatement parsed,
      ParseStatement("SELECT host_id, peer, peer_port, native_address, native_port, "
                     "schema_version FROM system.peers_v2"));

  const auto& select = std::get<SelectStatement>(parsed.statement);
  std::vector<std::string> names;
  for (const Selector& s : select.selectors) {
    names.push_back(s.name);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"host_id", "peer", "peer_port", "native_address",
                                             "native_port", "schema_version"}));
}

}  // namespace
}  // namespace cqlbulk::sim
