// SPDX-License-Identifier: Apache-2.0
// Paging (native protocol §8) and token-range scans: nothing skipped, nothing repeated.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

class EnginePagingTest : public ::testing::Test {
 protected:
  EnginePagingTest() : f_(3, 16) {}

  void SetUp() override {
    f_.Exec("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
    f_.Exec("CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c))");
    cql::PreparedResult insert = f_.Prepare("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)");
    std::mt19937 rng(7);
    for (int k = 0; k < 700; ++k) {
      int rows = 1 + static_cast<int>(rng() % 5);
      for (int c = 0; c < rows; ++c) {
        Reply reply = f_.Execute(insert.id, {Int(k), Int(c), Text("v" + std::to_string(k * 10 + c))});
        ASSERT_FALSE(ErrorOf(reply).has_value()) << Describe(reply);
        ++num_rows_;
      }
    }
  }

  /// Every page of `cql` at `page_size`, concatenated.
  std::vector<std::string> Paged(const std::string& cql, std::vector<cql::BoundValue> values,
                                 int32_t page_size, int* num_pages = nullptr) {
    std::vector<std::string> lines;
    std::optional<Bytes> state;
    int pages = 0;
    do {
      cql::QueryParameters params;
      params.values = values;
      params.page_size = page_size;
      params.paging_state = state;
      Reply reply = f_.QueryWith(cql, params);
      Rows rows = RowsOf(reply);
      EXPECT_LE(rows.size(), static_cast<size_t>(page_size));
      for (std::string& line : rows.Lines()) lines.push_back(std::move(line));
      state = rows.paging_state;
      ++pages;
    } while (state.has_value() && pages < 100000);
    if (num_pages != nullptr) *num_pages = pages;
    return lines;
  }

  EngineFixture f_;
  size_t num_rows_ = 0;
};

TEST_F(EnginePagingTest, ConcatenatedPagesEqualTheUnpagedResult) {
  std::vector<std::string> all = f_.Select("SELECT token(k), k, c, v FROM ks.t").Lines();
  ASSERT_EQ(all.size(), num_rows_);

  for (int32_t page_size : {1, 2, 3, 7, 64, 499, 5000}) {
    int pages = 0;
    std::vector<std::string> paged = Paged("SELECT token(k), k, c, v FROM ks.t", {}, page_size, &pages);

    EXPECT_EQ(paged, all) << "page size " << page_size;
    EXPECT_GE(pages, static_cast<int>(num_rows_ / static_cast<size_t>(page_size)));
  }
}

TEST_F(EnginePagingTest, TokenRangeQueriesPageAndFollowTokenOrder) {
  std::vector<std::string> all = f_.Select("SELECT token(k), k, c FROM ks.t").Lines();
  const std::string range_query = "SELECT token(k), k, c FROM ks.t WHERE token(k) > ? AND token(k) <= ?";
  int64_t low = -3'000'000'000'000'000'000;
  int64_t high = 4'000'000'000'000'000'000;
  std::vector<std::string> expected;
  Rows unpaged = f_.Select(range_query, {Bigint(low), Bigint(high)});
  for (size_t r = 0; r < unpaged.size(); ++r) {
    int64_t t = unpaged.Value(r, 0).as_int64();
    EXPECT_GT(t, low);
    EXPECT_LE(t, high);
  }
  ASSERT_GT(unpaged.size(), 0u);
  ASSERT_LT(unpaged.size(), all.size());

  for (int32_t page_size : {1, 5, 33}) {
    EXPECT_EQ(Paged(range_query, {Bigint(low), Bigint(high)}, page_size), unpaged.Lines());
  }
}

TEST_F(EnginePagingTest, UnionOfNaturalRangesIsTheWholeTableExactlyOnce) {
  std::vector<std::string> all = f_.Select("SELECT k, c, v FROM ks.t").Lines();
  TopologyPtr topology = f_.engine().topology();
  ASSERT_EQ(topology->ring.num_entries(), 48u);
  std::multiset<std::string> seen;
  for (const ring::TokenRange& natural : topology->ring.NaturalRanges()) {
    for (const ring::TokenRange& piece : natural.Unwrap()) {
      std::vector<std::string> lines =
          Paged("SELECT k, c, v FROM ks.t WHERE token(k) > ? AND token(k) <= ?",
                {Bigint(piece.start().value()), Bigint(piece.end().value())}, 50);
      seen.insert(lines.begin(), lines.end());
    }
  }

  EXPECT_EQ(seen.size(), all.size());
  EXPECT_EQ(std::multiset<std::string>(all.begin(), all.end()), seen);
}

TEST_F(EnginePagingTest, ConcurrentWritesNeitherSkipNorRepeatRows) {
  std::vector<std::string> before = f_.Select("SELECT k, c FROM ks.t").Lines();
  std::vector<std::string> lines;
  std::optional<Bytes> state;
  int next_key = 100000;
  do {
    cql::QueryParameters params;
    params.page_size = 37;
    params.paging_state = state;
    Rows rows = RowsOf(f_.QueryWith("SELECT k, c FROM ks.t", params));
    for (std::string& line : rows.Lines()) lines.push_back(std::move(line));
    state = rows.paging_state;
    // Writes between pages: new partitions anywhere on the ring, and deletes of rows not
    // yet read would be visible; inserts must not disturb the rows that were there.
    for (int i = 0; i < 5; ++i) {
      f_.Exec("INSERT INTO ks.t (k, c, v) VALUES (" + std::to_string(next_key++) + ", 0, 'new')");
    }
  } while (state.has_value());

  std::set<std::string> unique(lines.begin(), lines.end());
  EXPECT_EQ(unique.size(), lines.size()) << "a row was returned twice";
  for (const std::string& line : before) EXPECT_EQ(unique.count(line), 1u) << line;
}

TEST_F(EnginePagingTest, PagingKeepsLimitsAndCountIsOneRow) {
  std::vector<std::string> limited = f_.Select("SELECT k, c FROM ks.t LIMIT 101").Lines();
  std::vector<std::string> per_partition = f_.Select("SELECT k, c FROM ks.t PER PARTITION LIMIT 2").Lines();

  EXPECT_EQ(Paged("SELECT k, c FROM ks.t LIMIT 101", {}, 10), limited);
  EXPECT_EQ(Paged("SELECT k, c FROM ks.t PER PARTITION LIMIT 2", {}, 3), per_partition);
  cql::QueryParameters params;
  params.page_size = 10;
  Rows count = RowsOf(f_.QueryWith("SELECT count(*) FROM ks.t", params));
  ASSERT_EQ(count.size(), 1u);
  EXPECT_EQ(count.Text(0, 0), std::to_string(num_rows_));
  EXPECT_FALSE(count.paging_state.has_value());
}

TEST_F(EnginePagingTest, HandleIsSafeFromSeveralThreads) {
  cql::PreparedResult insert = f_.Prepare("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      Session session;
      for (int i = 0; i < 500; ++i) {
        cql::ExecuteRequest request;
        request.id = insert.id;
        request.params.values = {Int(10000 + t * 1000 + i), Int(0), Text("t")};
        f_.engine().Handle(request, static_cast<ring::HostIndex>(t % 3), session);
        if (i % 50 == 0) {
          f_.engine().Handle(cql::QueryRequest{"SELECT count(*) FROM ks.t", {}}, 0, session);
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(f_.Select("SELECT count(*) FROM ks.t").Text(0, 0), std::to_string(num_rows_ + 2000));
}

TEST_F(EnginePagingTest, GarbagePagingStateIsAProtocolError) {
  cql::QueryParameters params;
  params.page_size = 10;
  params.paging_state = Bytes{1, 2, 3};

  auto error = ErrorOf(f_.QueryWith("SELECT * FROM ks.t", params));

  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->code, 0x000A);
}

}  // namespace
}  // namespace cqlbulk::sim::testing
