// SPDX-License-Identifier: Apache-2.0
// Storage through the engine: the SELECT * and count(*) fast paths against the cell-by-cell
// path, random writes against a model through compactions, paging across a compaction, TTLs,
// background compaction and the data file format.
#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/core/checksum.h"
#include "engine_test_util.h"

namespace cqlbulk::sim::testing {
namespace {

using Cells = std::vector<std::vector<std::optional<Bytes>>>;

/// Every row of `query` read page by page, each cut to its first `keep` cells.
Cells AllCells(EngineFixture& f, const std::string& query, int32_t page_size, size_t keep) {
  Cells out = f.SelectPaged(query, page_size).cells;
  for (auto& row : out) row.resize(std::min(row.size(), keep));
  return out;
}

/// Random values of the column types these tests use.
class ValueMaker {
 public:
  explicit ValueMaker(uint64_t seed) : rng_(seed) {}

  cql::BoundValue Of(const cql::DataType& type, bool is_key) {
    switch (type.id) {
      case cql::TypeId::kInt:
        return Int(static_cast<int32_t>(rng_() % (is_key ? 40 : 1000)));
      case cql::TypeId::kBigint:
        return Bigint(static_cast<int64_t>(rng_()));
      case cql::TypeId::kBoolean:
        return cql::BoundValue::Of(Bytes{static_cast<uint8_t>(rng_() & 1)});
      case cql::TypeId::kBlob: {
        Bytes b(rng_() % 12);
        for (uint8_t& x : b) x = static_cast<uint8_t>(rng_());
        return cql::BoundValue::Of(b);
      }
      default: {
        size_t length = is_key ? 1 + rng_() % 2 : rng_() % 20;
        std::string text(length, 'a');
        for (char& ch : text) ch = static_cast<char>('a' + rng_() % (is_key ? 3 : 26));
        return Text(text);
      }
    }
  }
  uint64_t Next() { return rng_(); }

 private:
  std::mt19937_64 rng_;
};

/// Random INSERTs (with nulls, TTLs and old timestamps), cell UPDATEs and DELETEs on `table`.
class RandomWriter {
 public:
  RandomWriter(EngineFixture& f, const std::string& table, uint64_t seed)
      : f_(f), table_(table), values_(seed) {
    schema_ = f.engine().schema()->FindTable("ks", table);
  }

  void Write(int n) {
    for (int i = 0; i < n; ++i) {
      uint64_t r = values_.Next() % 10;
      if (r < 6) {
        Insert();
      } else if (r < 8) {
        UpdateCell();
      } else {
        DeleteCell();
      }
    }
  }

 private:
  /// `WHERE` on the whole primary key (or the partition key for a static column).
  std::string KeyWhere(bool partition_only, std::vector<cql::BoundValue>& values) {
    std::string where;
    size_t n = schema_->num_partition_key + (partition_only ? 0 : schema_->num_clustering);
    for (size_t c = 0; c < n; ++c) {
      where += (c ? " AND " : " WHERE ") + schema_->columns[c].name + " = ?";
      values.push_back(values_.Of(*schema_->columns[c].type, true));
    }
    return where;
  }

  size_t RandomValueColumn() {
    size_t first = schema_->num_partition_key + schema_->num_clustering;
    return first + values_.Next() % (schema_->columns.size() - first);
  }

  void Insert() {
    std::string names, marks;
    std::vector<cql::BoundValue> values;
    for (size_t c = 0; c < schema_->columns.size(); ++c) {
      const ColumnSchema& column = schema_->columns[c];
      bool is_key = c < schema_->num_partition_key + schema_->num_clustering;
      names += (c ? ", " : "") + column.name;
      marks += c ? ", ?" : "?";
      values.push_back(!is_key && values_.Next() % 5 == 0 ? cql::BoundValue::Null()
                                                          : values_.Of(*column.type, is_key));
    }
    std::string cql = "INSERT INTO ks." + table_ + " (" + names + ") VALUES (" + marks + ")";
    uint64_t r = values_.Next() % 6;
    if (r == 0) cql += " USING TTL " + std::to_string(5 + values_.Next() % 50);
    if (r == 1) cql += " USING TIMESTAMP " + std::to_string(1 + values_.Next() % 1000);
    f_.Exec(cql, values);
  }

  void UpdateCell() {
    size_t column = RandomValueColumn();
    const ColumnSchema& c = schema_->columns[column];
    std::vector<cql::BoundValue> values{values_.Of(*c.type, false)};
    std::string using_clause = values_.Next() % 3 == 0 ? " USING TTL 20" : "";
    std::string where = KeyWhere(c.kind == ColumnKind::kStatic, values);
    f_.Exec("UPDATE ks." + table_ + using_clause + " SET " + c.name + " = ?" + where, values);
  }

  void DeleteCell() {
    size_t column = RandomValueColumn();
    const ColumnSchema& c = schema_->columns[column];
    std::vector<cql::BoundValue> values;
    std::string where = KeyWhere(c.kind == ColumnKind::kStatic, values);
    f_.Exec("DELETE " + c.name + " FROM ks." + table_ + where, values);
  }

  EngineFixture& f_;
  std::string table_;
  ValueMaker values_;
  const TableSchema* schema_ = nullptr;
};

class EngineStorageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    f_.Exec(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
        "1}");
  }

  /// `SELECT *` (the fast path where rows allow) against the same columns listed with
  /// token() after them (cell by cell), compared cell for cell at several page sizes; and
  /// count(*) against count(*), count(key).
  void ExpectFastPathsMatch(const std::string& table) {
    const TableSchema* schema = f_.engine().schema()->FindTable("ks", table);
    std::string columns, keys;
    for (size_t c = 0; c < schema->columns.size(); ++c) {
      columns += (c ? ", " : "") + schema->columns[c].name;
      if (c < schema->num_partition_key) keys += (c ? ", " : "") + schema->columns[c].name;
    }
    size_t n = schema->columns.size();
    for (int32_t page_size : {3, 5000}) {
      Cells fast = AllCells(f_, "SELECT * FROM ks." + table, page_size, n);
      Cells generic = AllCells(f_, "SELECT " + columns + ", token(" + keys + ") FROM ks." + table,
                               page_size, n);
      ASSERT_FALSE(fast.empty());
      EXPECT_EQ(fast, generic) << table << " page size " << page_size;
    }
    EXPECT_EQ(f_.Select("SELECT count(*) FROM ks." + table).Text(0, 0),
              f_.Select("SELECT count(*), count(" + schema->columns[0].name + ") FROM ks." + table)
                  .Text(0, 0));
  }

  EngineFixture f_{1, 4};
};

TEST_F(EngineStorageTest, FastPathsMatchTheCellByCellPath) {
  f_.Exec("CREATE TABLE ks.single (k int PRIMARY KEY, a text, b bigint, c blob, d boolean)");
  f_.Exec(
      "CREATE TABLE ks.wide (k1 int, k2 text, c1 int, c2 text, v int, w text, "
      "PRIMARY KEY ((k1, k2), c1, c2)) WITH CLUSTERING ORDER BY (c1 DESC, c2 ASC)");
  f_.Exec(
      "CREATE TABLE ks.statics (k int, c int, s text static, v blob, w int, PRIMARY KEY (k, c))");
  uint64_t seed = 1;
  for (const std::string table : {"single", "wide", "statics"}) {
    RandomWriter(f_, table, seed++).Write(600);

    ExpectFastPathsMatch(table);  // rows in the memtable
    f_.engine().CompactTables();
    ExpectFastPathsMatch(table);  // rows in the sorted run
    RandomWriter(f_, table, seed++).Write(200);
    ExpectFastPathsMatch(table);  // both
    f_.AdvanceSeconds(30);
    ExpectFastPathsMatch(table);  // some TTLs expired
  }
}

/// ks.t (k int, c int, v text) against a model, written and deleted at random, with a policy
/// that compacts every few writes.
class EngineStorageModelTest : public ::testing::Test {
 protected:
  using Model = std::map<int32_t, std::map<int32_t, std::string>>;

  void SetUp() override {
    f_.Exec(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
        "1}");
    f_.Exec("CREATE TABLE ks.t (k int, c int, v text, PRIMARY KEY (k, c))");
  }

  void RandomWrite() {
    int32_t k = static_cast<int32_t>(rng_() % 120);
    int32_t c = static_cast<int32_t>(rng_() % 6);
    switch (rng_() % 8) {
      case 0:
        f_.Exec("DELETE FROM ks.t WHERE k = ? AND c = ?", {Int(k), Int(c)});
        if (model_.count(k) != 0 && model_[k].erase(c) == 1 && model_[k].empty()) model_.erase(k);
        break;
      case 1:
        f_.Exec("DELETE FROM ks.t WHERE k = ?", {Int(k)});
        model_.erase(k);
        break;
      default: {
        std::string v = std::string(rng_() % 30, 'v') + std::to_string(next_value_++);
        f_.Exec("INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", {Int(k), Int(c), Text(v)});
        model_[k][c] = v;
      }
    }
  }

  std::multiset<std::string> ModelLines() const {
    std::multiset<std::string> out;
    for (const auto& [k, rows] : model_) {
      for (const auto& [c, v] : rows) {
        out.insert(std::to_string(k) + "|" + std::to_string(c) + "|'" + v + "'");
      }
    }
    return out;
  }

  std::multiset<std::string> ScanLines(int32_t page_size) {
    std::vector<std::string> lines = f_.SelectPaged("SELECT * FROM ks.t", page_size).Lines();
    return std::multiset<std::string>(lines.begin(), lines.end());
  }

  EngineFixture f_{1, 4, CompactionPolicy{.min_write_bytes = 2048, .write_ratio = 0.5}};
  Model model_;
  std::mt19937 rng_{17};
  int next_value_ = 0;
};

TEST_F(EngineStorageModelTest, ScansEqualTheModelAfterRandomWrites) {
  for (int round = 0; round < 30; ++round) {
    for (int i = 0; i < 150; ++i) RandomWrite();

    ASSERT_EQ(ScanLines(1 + static_cast<int32_t>(rng_() % 40)), ModelLines()) << "round " << round;
    size_t count = 0;
    for (const auto& [k, rows] : model_) count += rows.size();
    ASSERT_EQ(f_.Select("SELECT count(*) FROM ks.t").Text(0, 0), std::to_string(count));
  }
}

TEST_F(EngineStorageModelTest, PagingResumesAcrossACompaction) {
  for (int i = 0; i < 600; ++i) RandomWrite();
  std::multiset<std::string> before = ModelLines();
  int pages = 0;

  // Between pages: new partitions (returned or not, depending on where their tokens fall),
  // then a compaction that moves every row to a new sorted run.
  std::vector<std::string> lines = f_.SelectPaged("SELECT * FROM ks.t", 25, [&] {
                                       for (int k = 0; k < 5; ++k) {
                                         f_.Exec("INSERT INTO ks.t (k, c, v) VALUES (?, 0, 'new')",
                                                 {Int(100000 + pages * 5 + k)});
                                       }
                                       f_.engine().CompactTables();
                                       ++pages;
                                     }).Lines();

  std::multiset<std::string> seen(lines.begin(), lines.end());
  ASSERT_GT(pages, 5);
  for (const std::string& line : before) EXPECT_EQ(seen.count(line), 1u) << line;
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), seen.size())
      << "a row came twice";
}

TEST_F(EngineStorageModelTest, WritesScansAndBackgroundCompactionsRunConcurrently) {
  constexpr int kWriters = 2;
  constexpr int kRowsPerWriter = 1500;
  std::atomic<int> writers_left{kWriters};
  auto write = [&](int writer) {
    Session session;
    for (int i = 0; i < kRowsPerWriter; ++i) {
      cql::QueryParameters params;
      params.consistency = cql::Consistency::kOne;
      params.values = {Int(writer * kRowsPerWriter + i), Int(i % 3),
                       Text(std::string(i % 50, 'w'))};
      Reply reply = f_.engine().Handle(
          cql::QueryRequest{"INSERT INTO ks.t (k, c, v) VALUES (?, ?, ?)", std::move(params)}, 0,
          session);
      ASSERT_FALSE(ErrorOf(reply).has_value()) << Describe(reply);
    }
    --writers_left;
  };
  auto compact = [&] {
    while (writers_left > 0) f_.engine().CompactIdleTables();
  };
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) threads.emplace_back(write, w);
  threads.emplace_back(compact);

  // Meanwhile, scans on this thread: never a row twice, never fewer rows than before.
  size_t last_count = 0;
  while (writers_left > 0) {
    std::vector<std::string> lines = f_.SelectPaged("SELECT * FROM ks.t", 97).Lines();
    std::set<std::string> unique(lines.begin(), lines.end());
    ASSERT_EQ(unique.size(), lines.size()) << "a row came twice";
    ASSERT_GE(lines.size(), last_count);
    last_count = lines.size();
  }
  for (std::thread& thread : threads) thread.join();

  EXPECT_EQ(f_.SelectPaged("SELECT * FROM ks.t", 1000).size(),
            static_cast<size_t>(kWriters * kRowsPerWriter));
  EXPECT_EQ(f_.Select("SELECT count(*) FROM ks.t").Text(0, 0),
            std::to_string(kWriters * kRowsPerWriter));
}

TEST_F(EngineStorageTest, ExpiredRowsVanishFromTheSortedRun) {
  f_.Exec("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  for (int k = 0; k < 100; ++k) {
    std::string ttl = k % 2 == 0 ? " USING TTL 10" : "";
    f_.Exec("INSERT INTO ks.t (k, v) VALUES (?, 'x')" + ttl, {Int(k)});
  }
  f_.engine().CompactTables();
  ASSERT_EQ(f_.Select("SELECT * FROM ks.t").size(), 100u);

  f_.AdvanceSeconds(11);

  EXPECT_EQ(f_.Select("SELECT * FROM ks.t").size(), 50u);
  EXPECT_EQ(f_.Select("SELECT count(*) FROM ks.t").Text(0, 0), "50");
  EXPECT_EQ(f_.Select("SELECT k FROM ks.t WHERE k = 2").size(), 0u);
}

TEST_F(EngineStorageTest, IdleTablesCompactOnTheSecondLook) {
  f_.Exec("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  f_.Exec("CREATE TABLE ks.u (k int PRIMARY KEY, v text)");
  f_.Exec("INSERT INTO ks.t (k, v) VALUES (1, 'a')");

  EXPECT_EQ(f_.engine().CompactIdleTables(), 0u);  // written since the last look
  f_.Exec("INSERT INTO ks.u (k, v) VALUES (1, 'a')");
  EXPECT_EQ(f_.engine().CompactIdleTables(), 1u);  // t was quiet; u was not
  EXPECT_EQ(f_.engine().CompactIdleTables(), 1u);  // u now
  EXPECT_EQ(f_.engine().CompactIdleTables(), 0u);

  EXPECT_EQ(f_.Select("SELECT * FROM ks.t").Lines(), std::vector<std::string>{"1|'a'"});
  EXPECT_EQ(f_.Select("SELECT * FROM ks.u").Lines(), std::vector<std::string>{"1|'a'"});
}

TEST_F(EngineStorageTest, SaveAndLoadAMemtableOverASortedRun) {
  f_.Exec("CREATE TABLE ks.t (k int, c int, s int static, v text, PRIMARY KEY (k, c))");
  for (int k = 0; k < 60; ++k) {
    f_.Exec("INSERT INTO ks.t (k, c, s, v) VALUES (?, ?, ?, 'old')", {Int(k), Int(k % 3), Int(k)});
  }
  f_.engine().CompactTables();
  for (int k = 0; k < 60; k += 4) f_.Exec("DELETE FROM ks.t WHERE k = ?", {Int(k)});
  for (int k = 1; k < 60; k += 4) {
    f_.Exec("UPDATE ks.t SET v = 'new' WHERE k = ? AND c = 7", {Int(k)});
  }
  std::vector<std::string> before = f_.Select("SELECT * FROM ks.t").Lines();
  std::string dir = ::testing::TempDir() + "/cqlsim_storage_save";
  std::filesystem::remove_all(dir);

  ASSERT_TRUE(f_.engine().Save(dir).has_value());
  EngineFixture g(1, 4);
  Status loaded = g.engine().Load(dir);

  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(g.Select("SELECT * FROM ks.t").Lines(), before);
  EXPECT_EQ(before.size(), 60u);  // 45 rows left of the first 60, 15 rows added
}

TEST_F(EngineStorageTest, LoadRefusesAVersionOneDataFile) {
  std::string dir = ::testing::TempDir() + "/cqlsim_storage_v1";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  { std::ofstream(dir + "/schema.cql") << ""; }
  ByteWriter data;
  data.WriteChars("CQLSIMDATA");
  data.WriteU32(1);
  data.WriteU32(Crc32(data.view()));
  {
    std::ofstream out(dir + "/data.bin", std::ios::binary);
    out.write(reinterpret_cast<const char*>(data.view().data()),
              static_cast<std::streamsize>(data.size()));
  }

  Status loaded = f_.engine().Load(dir);

  ASSERT_FALSE(loaded.has_value());
  EXPECT_EQ(loaded.error().code(), ErrorCode::kCorrupt);
  EXPECT_NE(loaded.error().message().find("format version 1 is not supported"), std::string::npos)
      << loaded.error().message();
}

}  // namespace
}  // namespace cqlbulk::sim::testing
