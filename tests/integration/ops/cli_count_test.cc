// SPDX-License-Identifier: Apache-2.0
// `cqlbulk count` and `cqlbulk ring --hosts` through cli::Run against cqlsim (127.0.55.x).
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "cqlbulk/cli/cli.h"
#include "ops_fixture.h"

namespace cqlbulk::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

constexpr int kRows = 5000;
constexpr char kAddress[] = "127.0.55.1";

struct RunResult {
  ExitCode code;
  std::string out;
  std::string err;
};

RunResult RunCli(std::vector<std::string> args, bool is_terminal = false,
                 const std::atomic<bool>* interrupted = nullptr) {
  std::ostringstream out, err;
  Console console{out, err, is_terminal, interrupted};
  ExitCode code = Run(args, console);
  return {code, out.str(), err.str()};
}

class CliCountTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = sim::Cluster::Start(ops::test::SimOptions(kAddress, 3, 16));
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    cluster_ = std::move(*started);
    auto session =
        client::RunSync(client::Session::Connect(ops::test::ClientOptions(kAddress)));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    CQLBULK_ASSERT_OK(ops::test::Execute(
        **session,
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 2}"));
    CQLBULK_ASSERT_OK(
        ops::test::Execute(**session, "CREATE TABLE ks.t (k int, c int, v int, PRIMARY KEY (k, c))"));
    CQLBULK_ASSERT_OK(ops::test::InsertRows(
        **session, "INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", kRows, [](int i) {
          return std::vector<cql::BoundValue>{cql::BoundValue::Int(i % 1000),
                                              cql::BoundValue::Int(i / 1000),
                                              cql::BoundValue::Int(i)};
        }));
    (*session)->Close();
  }
  static void TearDownTestSuite() {
    if (cluster_) (void)cluster_->Stop();
    cluster_.reset();
  }

  static std::unique_ptr<sim::Cluster> cluster_;
};

std::unique_ptr<sim::Cluster> CliCountTest::cluster_;

TEST_F(CliCountTest, PrintsTheTotalAndWritesTheSummary) {
  std::string summary = (std::filesystem::temp_directory_path() / "cqlbulk_cli_count.json").string();

  RunResult r = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t", "--stats",
                        "global,hosts,partitions", "--partitions", "2", "--summary-json",
                        summary, "--username", "someone", "--password", "s3cr3t"});

  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith(std::to_string(kRows) + "\n"));
  EXPECT_THAT(r.err, HasSubstr("counted " + std::to_string(kRows) + " rows"));
  std::ifstream file(summary);
  nlohmann::json doc = nlohmann::json::parse(file);
  EXPECT_EQ(doc["rows"], kRows);
  int64_t by_host = 0;
  for (const auto& [host, rows] : doc["hosts"].items()) by_host += rows.get<int64_t>();
  EXPECT_EQ(by_host, kRows);
  int64_t by_range = 0;
  for (const auto& range : doc["ranges_detail"]) by_range += range["rows"].get<int64_t>();
  EXPECT_EQ(by_range, kRows);
  EXPECT_EQ(doc["ranges"].get<size_t>(), doc["ranges_detail"].size());
  ASSERT_EQ(doc["partitions"].size(), 2u);
  EXPECT_EQ(doc["partitions"][0]["rows"], 5);
  std::stringstream all;
  all << r.out << r.err << doc.dump();
  EXPECT_THAT(all.str(), Not(HasSubstr("s3cr3t")));
  std::filesystem::remove(summary);
}

TEST_F(CliCountTest, ShowsProgressOnATerminalAndRangesOnRequest) {
  RunResult terminal = RunCli({"count", "--hosts", std::string(kAddress) + ":9042,127.0.55.2",
                               "-k", "ks", "-t", "t", "--stats", "ranges", "--splits", "64",
                               "--concurrency", "2", "--consistency", "quorum"},
                              true);
  RunResult plain = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t"});

  ASSERT_EQ(terminal.code, ExitCode::kOk) << terminal.err;
  EXPECT_THAT(terminal.err, HasSubstr("\rranges "));
  EXPECT_THAT(terminal.err, HasSubstr(" rows/s, ETA "));
  int64_t by_range = 0;
  std::istringstream lines(terminal.out);
  std::string header;
  std::getline(lines, header);
  EXPECT_THAT(header, ::testing::MatchesRegex("start \\(exclusive\\) +end \\(inclusive\\) +rows"));
  std::string start, end;
  int64_t rows = 0;
  size_t num_lines = 0;
  while (lines >> start >> end >> rows) {
    by_range += rows;
    ++num_lines;
  }
  EXPECT_EQ(by_range, kRows);
  EXPECT_GE(num_lines, 48u);  // at least one piece per natural range
  EXPECT_THAT(plain.err, Not(HasSubstr("\r")));
  EXPECT_EQ(plain.out, std::to_string(kRows) + "\n");
}

TEST_F(CliCountTest, FailuresMapToExitCodes) {
  RunResult missing_table = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "nope"});
  RunResult bad_flag = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t", "--splits",
                               "zero"});
  RunResult no_table = RunCli({"count", "--hosts", kAddress, "-k", "ks"});
  RunResult bad_consistency =
      RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t", "--consistency", "MOST"});

  EXPECT_EQ(missing_table.code, ExitCode::kFatal);
  EXPECT_THAT(missing_table.err, HasSubstr("ks.nope"));
  EXPECT_EQ(bad_flag.code, ExitCode::kUsage);
  EXPECT_EQ(no_table.code, ExitCode::kUsage);
  EXPECT_EQ(bad_consistency.code, ExitCode::kUsage);
}

TEST_F(CliCountTest, BothMethodsCountTheSameRows) {
  std::string summary = (std::filesystem::temp_directory_path() / "cqlbulk_cli_method.json").string();
  for (auto [method, name] : {std::pair{"count", "count(*)"}, std::pair{"stream", "stream-keys"}}) {
    RunResult r = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t", "--method", method,
                          "--summary-json", summary});

    ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
    EXPECT_EQ(r.out, std::to_string(kRows) + "\n");
    std::ifstream file(summary);
    nlohmann::json doc = nlohmann::json::parse(file);
    EXPECT_EQ(doc["method"], name);
    EXPECT_EQ(doc["rows"], kRows);
  }
  std::filesystem::remove(summary);
  RunResult unknown = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t", "--method",
                              "guess"});
  RunResult contradictory = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t",
                                    "--method", "count", "--stats", "partitions"});

  EXPECT_EQ(unknown.code, ExitCode::kUsage);
  EXPECT_THAT(unknown.err, HasSubstr("'guess'"));
  EXPECT_EQ(contradictory.code, ExitCode::kUsage);
  EXPECT_THAT(contradictory.err, HasSubstr("stream"));
}

TEST_F(CliCountTest, AnInterruptedCountExitsWithoutATotal) {
  std::atomic<bool> interrupted{true};
  RunResult run = RunCli({"count", "--hosts", kAddress, "-k", "ks", "-t", "t"}, false,
                         &interrupted);

  EXPECT_EQ(run.code, ExitCode::kInterrupted);
  EXPECT_THAT(run.err, HasSubstr("count interrupted: 0 of "));
  EXPECT_EQ(run.out, "");
}

TEST_F(CliCountTest, RingDescribesTheLiveCluster) {
  RunResult json = RunCli({"ring", "--hosts", kAddress, "--keyspace", "ks", "--json"});
  RunResult lines = RunCli({"ring", "--hosts", kAddress, "-k", "ks"});

  ASSERT_EQ(json.code, ExitCode::kOk) << json.err;
  nlohmann::json doc = nlohmann::json::parse(json.out);
  EXPECT_THAT(doc["replication"].get<std::string>(), HasSubstr("SimpleStrategy"));
  ASSERT_EQ(doc["ranges"].size(), 3u * 16u);
  for (const auto& range : doc["ranges"]) {
    ASSERT_EQ(range["endpoints"].size(), 2u);
    EXPECT_THAT(range["endpoints"][0].get<std::string>(), HasSubstr("127.0.55."));
  }
  ASSERT_EQ(lines.code, ExitCode::kOk) << lines.err;
  EXPECT_THAT(lines.out, HasSubstr("TokenRange(start_token:"));
  EXPECT_THAT(lines.out, HasSubstr("EndpointDetails(host:127.0.55."));
}

}  // namespace
}  // namespace cqlbulk::cli
