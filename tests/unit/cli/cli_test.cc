// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cli/cli.h"

#include <nlohmann/json.hpp>

#include <sstream>
#include <vector>

#include "cqlbulk/ring/token_range.h"
#include "testing/matchers.h"

namespace cqlbulk::cli {
namespace {

struct RunResult {
  ExitCode code;
  std::string out;
  std::string err;
};

RunResult RunCli(std::vector<std::string> args) {
  std::ostringstream out, err;
  Console console{out, err, false};
  ExitCode code = Run(args, console);
  return {code, out.str(), err.str()};
}

TEST(CliTest, PrintsVersion) {
  RunResult r = RunCli({"--version"});

  EXPECT_EQ(r.code, ExitCode::kOk);
  EXPECT_THAT(r.out, ::testing::StartsWith("cqlbulk "));
}

TEST(CliTest, UnknownCommandAndOptionAreUsageErrors) {
  RunResult command = RunCli({"frobnicate"});
  RunResult option = RunCli({"ring", "--nodez", "3"});
  RunResult value = RunCli({"ring", "--nodes", "three"});

  EXPECT_EQ(command.code, ExitCode::kUsage);
  EXPECT_THAT(command.err, ::testing::HasSubstr("unknown command 'frobnicate'"));
  EXPECT_EQ(option.code, ExitCode::kUsage);
  EXPECT_THAT(option.err, ::testing::HasSubstr("unknown option '--nodez'"));
  EXPECT_EQ(value.code, ExitCode::kUsage);
  EXPECT_THAT(value.err, ::testing::HasSubstr("--nodes: 'three' is not an integer"));
}

TEST(CliTest, RingJsonCoversTheRingWithReplicationFactorReplicas) {
  RunResult r = RunCli({"ring", "--nodes", "4", "--vnodes", "8", "--json", "--replication",
                        "{'class': 'SimpleStrategy', 'replication_factor': 3}"});
  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  auto doc = nlohmann::json::parse(r.out);
  std::vector<ring::TokenRange> ranges;

  for (const auto& range : doc["ranges"]) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto start, ring::Token::Parse(range["start_token"].get<std::string>()));
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto end, ring::Token::Parse(range["end_token"].get<std::string>()));
    ranges.emplace_back(start, end);
    EXPECT_EQ(range["endpoints"].size(), 3u);
  }

  EXPECT_EQ(ranges.size(), 32u);
  EXPECT_THAT(ring::VerifyCoverage(std::span<const ring::TokenRange>(ranges)),
              ::cqlbulk::testing::IsOk());
}

TEST(CliTest, RingPrintsDescriberingLines) {
  RunResult r = RunCli({"ring", "--nodes", "2", "--vnodes", "1"});

  ASSERT_EQ(r.code, ExitCode::kOk) << r.err;
  EXPECT_THAT(r.out, ::testing::StartsWith("TokenRange: \n\tTokenRange(start_token:"));
  EXPECT_THAT(r.out, ::testing::HasSubstr(
                         "endpoint_details:[EndpointDetails(host:127.0.0.1, datacenter:datacenter1, "
                         "rack:rack1)])"));
}

TEST(CliTest, RingRejectsBadReplicationWithItsReason) {
  RunResult r = RunCli({"ring", "--replication", "{'class': 'NoSuchStrategy'}"});

  EXPECT_EQ(r.code, ExitCode::kUsage);
  EXPECT_THAT(r.err, ::testing::HasSubstr("NoSuchStrategy"));
}

}  // namespace
}  // namespace cqlbulk::cli
