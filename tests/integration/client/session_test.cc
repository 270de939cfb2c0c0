// SPDX-License-Identifier: Apache-2.0
// The driver against a 3-node cqlsim on 127.0.20.x: connecting, topology and schema, QUERY,
// PREPARE/EXECUTE, BATCH and paging.
#include <set>
#include <thread>

#include "sim_fixture.h"

namespace cqlbulk::client {
namespace {

using test::ConnectSync;
using test::ExecuteSync;
using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

asio::awaitable<Status> InsertRange(Session* session, PreparedPtr insert, int from, int count) {
  for (int k = from; k < from + count; ++k) {
    // (GCC 12 cannot put a braced list inside a co_await expression.)
    Statement statement = Statement::Execute(insert);
    statement.values = {cql::BoundValue::Int(k), cql::BoundValue::Int(k)};
    auto r = co_await session->Execute(std::move(statement));
    if (!r.has_value()) co_return std::move(r).error();
  }
  co_return OkStatus();
}

class SessionTest : public test::SimClusterTest {
 protected:
  static void SetUpTestSuite() {
    StartCluster(test::SimOptions("127.0.20.1"));
    auto session = ConnectSync(test::ClientOptions("127.0.20.1"));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    session_ = std::move(*session);
    CQLBULK_ASSERT_OK(ExecuteSync(*session_,
                                  "CREATE KEYSPACE ks WITH replication = {'class': "
                                  "'SimpleStrategy', 'replication_factor': 3}"));
    CQLBULK_ASSERT_OK(ExecuteSync(
        *session_, "CREATE TABLE ks.kv (k int, c int, v text, s int static, "
                   "PRIMARY KEY ((k), c)) WITH CLUSTERING ORDER BY (c DESC)"));
  }
  static void TearDownTestSuite() {
    session_.reset();
    StopCluster();
  }
  static std::unique_ptr<Session> session_;
};

std::unique_ptr<Session> SessionTest::session_;

TEST_F(SessionTest, ConnectsWithV5ByDefault) {
  EXPECT_EQ(session_->protocol_version(), 5);
  EXPECT_EQ(session_->local_dc(), cluster()->topology()->nodes[0].datacenter);
}

TEST_F(SessionTest, TopologyEqualsTheSimulatorsRing) {
  TopologyPtr topology = session_->topology();
  sim::TopologyPtr expected = cluster()->topology();

  ASSERT_EQ(topology->hosts().size(), expected->num_nodes());
  EXPECT_EQ(topology->cluster_name(), expected->cluster_name);
  EXPECT_EQ(topology->partitioner(), expected->partitioner);
  for (const sim::NodeInfo& node : expected->nodes) {
    auto index = topology->FindHost(node.address, node.native_port);
    ASSERT_TRUE(index.has_value()) << node.address;
    const HostInfo& host = topology->host(*index);
    EXPECT_EQ(host.datacenter, node.datacenter);
    EXPECT_EQ(host.rack, node.rack);
    EXPECT_EQ(host.host_id, node.host_id);
    EXPECT_EQ(host.tokens, node.tokens);
    EXPECT_TRUE(host.is_up);
  }
  EXPECT_EQ(topology->ring().num_entries(), expected->ring.num_entries());
}

TEST_F(SessionTest, SchemaMetadataDescribesACreatedTable) {
  const TableMetadata* table = session_->topology()->FindTable("ks", "kv");

  ASSERT_NE(table, nullptr);
  ASSERT_EQ(table->columns.size(), 4u);
  EXPECT_EQ(table->columns[0].name, "k");
  EXPECT_EQ(table->columns[0].kind, ColumnKind::kPartitionKey);
  EXPECT_EQ(table->columns[0].type->ToCql(), "int");
  EXPECT_EQ(table->columns[1].name, "c");
  EXPECT_EQ(table->columns[1].kind, ColumnKind::kClustering);
  EXPECT_TRUE(table->columns[1].is_descending);
  EXPECT_EQ(table->columns[2].name, "s");
  EXPECT_EQ(table->columns[2].kind, ColumnKind::kStatic);
  EXPECT_EQ(table->columns[3].name, "v");
  EXPECT_EQ(table->columns[3].type->ToCql(), "text");
  EXPECT_EQ(table->partition_key, std::vector<size_t>{0});
  EXPECT_EQ(table->clustering_key, std::vector<size_t>{1});
  const KeyspaceMetadata* ks = session_->topology()->FindKeyspace("ks");
  ASSERT_NE(ks, nullptr);
  ASSERT_TRUE(ks->replication.has_value());
  EXPECT_EQ(ks->replication->replication_factor(), 3u);
}

TEST_F(SessionTest, DdlReturnsOnceEveryNodeReportsTheNewSchemaVersion) {
  Uuid before = session_->topology()->host(0).schema_version;

  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE ks.agreement (k int PRIMARY KEY)"));

  TopologyPtr after = session_->topology();
  EXPECT_TRUE(after->SchemaAgrees());
  EXPECT_NE(after->host(0).schema_version, before);
  for (const HostInfo& host : after->hosts()) {
    EXPECT_EQ(host.schema_version, after->host(0).schema_version) << host.endpoint();
  }
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "DROP TABLE ks.agreement"));
}

TEST_F(SessionTest, SchemaMetadataResolvesUserDefinedTypes) {
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TYPE ks.point (x int, y int)"));
  CQLBULK_ASSERT_OK(ExecuteSync(*session_,
                                "CREATE TABLE ks.shapes (id int PRIMARY KEY, p frozen<point>, "
                                "ps list<frozen<point>>)"));

  const TableMetadata* table = session_->topology()->FindTable("ks", "shapes");

  ASSERT_NE(table, nullptr);
  const ColumnMetadata* p = table->FindColumn("p");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type->id, cql::TypeId::kUdt);
  EXPECT_EQ(p->type->field_names, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(session_->topology()->FindKeyspace("ks")->user_types.count("point"), 1u);
}

TEST_F(SessionTest, QueryInsertsAndSelects) {
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "INSERT INTO ks.kv (k, c, v) VALUES (1, 1, 'one')"));

  CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page,
                               ExecuteSync(*session_, "SELECT k, c, v FROM ks.kv WHERE k = 1"));

  ASSERT_TRUE(page.has_rows());
  auto rows = test::DecodeRows(page);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0][2].as_string(), "one");
  EXPECT_FALSE(page.host().empty());
}

TEST_F(SessionTest, SyntaxErrorsComeBackAsServerErrorsWithoutRetry) {
  auto result = ExecuteSync(*session_, "SELEKT * FROM ks.kv");

  EXPECT_THAT(result, IsError(ErrorCode::kServer));
  EXPECT_EQ(result.error().server_code(), 0x2000);
  EXPECT_EQ(result.error().message().find("attempts"), std::string::npos);
}

TEST_F(SessionTest, PreparesOnceAndExecutes) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PreparedPtr insert,
      RunSync(session_->Prepare("INSERT INTO ks.kv (k, c, v) VALUES (?, ?, ?)")));
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PreparedPtr again, RunSync(session_->Prepare("INSERT INTO ks.kv (k, c, v) VALUES (?, ?, ?)")));
  EXPECT_EQ(insert.get(), again.get());
  EXPECT_EQ(insert->metadata.pk_indexes, std::vector<uint16_t>{0});

  for (int c = 0; c < 10; ++c) {
    CQLBULK_ASSERT_OK(ExecuteSync(
        *session_, Statement::Execute(insert, {cql::BoundValue::Int(2), cql::BoundValue::Int(c), cql::BoundValue::Text("v")})));
  }
  CQLBULK_ASSERT_OK_AND_ASSIGN(PreparedPtr select,
                               RunSync(session_->Prepare("SELECT c FROM ks.kv WHERE k = ?")));
  CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page,
                               ExecuteSync(*session_, Statement::Execute(select, {cql::BoundValue::Int(2)})));

  auto rows = test::DecodeRows(page);
  ASSERT_EQ(rows.size(), 10u);
  EXPECT_EQ(rows[0][0].as_int64(), 9);  // clustering order DESC
}

TEST_F(SessionTest, PreparesAgainWhenTheServerForgotTheStatement) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PreparedPtr insert,
      RunSync(session_->Prepare("INSERT INTO ks.kv (k, c, v) VALUES (?, ?, ?)")));
  CQLBULK_ASSERT_OK(ExecuteSync(
      *session_, Statement::Execute(insert, {cql::BoundValue::Int(3), cql::BoundValue::Int(1), cql::BoundValue::Text("before")})));

  cluster()->engine().ForgetPreparedStatements();  // as a restarted Cassandra would

  CQLBULK_ASSERT_OK(ExecuteSync(
      *session_, Statement::Execute(insert, {cql::BoundValue::Int(3), cql::BoundValue::Int(2), cql::BoundValue::Text("after")})));
  CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page,
                               ExecuteSync(*session_, "SELECT c FROM ks.kv WHERE k = 3"));
  EXPECT_EQ(test::DecodeRows(page).size(), 2u);
}

TEST_F(SessionTest, BatchesWriteAtomically) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PreparedPtr insert,
      RunSync(session_->Prepare("INSERT INTO ks.kv (k, c, v) VALUES (?, ?, ?)")));
  Batch batch;
  batch.type = cql::BatchType::kUnlogged;
  for (int c = 0; c < 5; ++c) {
    batch.entries.push_back({.query = {}, .prepared = insert,
                             .values = {cql::BoundValue::Int(3), cql::BoundValue::Int(c), cql::BoundValue::Text("b")}});
  }
  batch.entries.push_back({.query = "INSERT INTO ks.kv (k, c, v) VALUES (3, 100, 'text')",
                           .prepared = nullptr, .values = {}});

  CQLBULK_ASSERT_OK(RunSync(session_->ExecuteBatch(std::move(batch))));

  CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page,
                               ExecuteSync(*session_, "SELECT c FROM ks.kv WHERE k = 3"));
  EXPECT_EQ(test::DecodeRows(page).size(), 6u);
}

TEST_F(SessionTest, EncodedBatchesAndValuesAreWrittenAndPreparedAgainWhenForgotten) {
  CQLBULK_ASSERT_OK_AND_ASSIGN(
      PreparedPtr insert,
      RunSync(session_->Prepare("INSERT INTO ks.kv (k, c, v) VALUES (?, ?, ?)")));
  // Rows as a bulk writer serializes them: k = 4, c = 0..2, v = 'e'.
  auto append_row = [&](Bytes& out, int32_t c) {
    cql::ProtocolWriter values(std::move(out));
    values.WriteValue(cql::BoundValue::Int(4));
    values.WriteValue(cql::BoundValue::Int(c));
    values.WriteValue(cql::BoundValue::Text("e"));
    out = std::move(values).Take();
  };
  auto batch_of = [&](int32_t first) {
    Batch batch;
    batch.type = cql::BatchType::kUnlogged;
    for (int32_t c = first; c < first + 2; ++c) {
      cql::AppendPreparedHead(batch.encoded.bytes, insert->id, 3);
      append_row(batch.encoded.bytes, c);
      ++batch.encoded.count;
    }
    batch.encoded_prepared = {insert};
    return batch;
  };
  Statement single = Statement::Execute(insert);
  single.encoded_values.count = 3;
  append_row(single.encoded_values.bytes, 9);

  CQLBULK_ASSERT_OK(RunSync(session_->ExecuteBatch(batch_of(0))));
  cluster()->engine().ForgetPreparedStatements();  // as a restarted Cassandra would
  CQLBULK_ASSERT_OK(RunSync(session_->ExecuteBatch(batch_of(2))));
  cluster()->engine().ForgetPreparedStatements();
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, std::move(single)));

  CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page,
                               ExecuteSync(*session_, "SELECT c, v FROM ks.kv WHERE k = 4"));
  auto rows = test::DecodeRows(page);
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0][0].as_int64(), 9);  // clustering order DESC
  EXPECT_EQ(rows[4][0].as_int64(), 0);
}

TEST_F(SessionTest, PagesThroughThousandsOfRowsWithoutDuplicatesOrGaps) {
  CQLBULK_ASSERT_OK(ExecuteSync(*session_, "CREATE TABLE ks.many (k int PRIMARY KEY, v int)"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(PreparedPtr insert,
                               RunSync(session_->Prepare("INSERT INTO ks.many (k, v) VALUES (?, ?)")));
  constexpr int kRows = 5000;
  // Ten writers at once, each from its own thread.
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int from = 0; from < kRows; from += 500) {
    threads.emplace_back([&, from] {
      if (!RunSync(InsertRange(session_.get(), insert, from, 500)).has_value()) ++failures;
    });
  }
  for (auto& t : threads) t.join();
  ASSERT_EQ(failures.load(), 0);

  std::set<int64_t> seen;
  size_t total = 0;
  size_t pages = 0;
  Statement select = Statement::Query("SELECT k FROM ks.many");
  select.page_size = 700;
  while (true) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(ResultPage page, ExecuteSync(*session_, select));
    ++pages;
    for (const auto& row : test::DecodeRows(page)) {
      seen.insert(row[0].as_int64());
      ++total;
    }
    if (!page.has_more_pages()) break;
    select.paging_state = page.paging_state();
  }

  EXPECT_EQ(total, static_cast<size_t>(kRows));
  EXPECT_EQ(seen.size(), static_cast<size_t>(kRows));
  EXPECT_GE(pages, 8u);
}

TEST_F(SessionTest, UnreachableContactPointFailsNamingIt) {
  SessionOptions options = test::ClientOptions("127.0.20.250");
  options.connect_timeout = std::chrono::milliseconds(500);

  auto session = ConnectSync(options);

  EXPECT_THAT(session, IsError(ErrorCode::kUnavailable));
  EXPECT_THAT(session, HasMessage("127.0.20.250:9042"));
}

}  // namespace
}  // namespace cqlbulk::client

namespace cqlbulk::client {
namespace {

asio::awaitable<void> Hammer(Session* session, PreparedPtr select, int count, int* failures) {
  for (int i = 0; i < count; ++i) {
    Statement statement = Statement::Execute(select);
    statement.values = {cql::BoundValue::Int(i % 100)};
    auto r = co_await session->Execute(std::move(statement));
    if (!r.has_value()) ++*failures;
  }
}

// One connection, many requests in flight: prints the rate (a measurement, not a limit).
TEST(ThroughputTest, ManyConcurrentRequestsOnOneConnection) {
  auto cluster = sim::Cluster::Start(test::SimOptions("127.0.26.1", 1));
  ASSERT_TRUE(cluster.has_value()) << cluster.error().ToString();
  SessionOptions options = test::ClientOptions("127.0.26.1");
  options.connections_per_host = 1;
  options.io_threads = 1;
  auto session = test::ConnectSync(options);
  ASSERT_TRUE(session.has_value()) << session.error().ToString();
  CQLBULK_ASSERT_OK(test::ExecuteSync(**session, "CREATE KEYSPACE ks WITH replication = "
                                                 "{'class': 'SimpleStrategy', 'replication_factor': 1}"));
  CQLBULK_ASSERT_OK(test::ExecuteSync(**session, "CREATE TABLE ks.t (k int PRIMARY KEY, v int)"));
  CQLBULK_ASSERT_OK_AND_ASSIGN(PreparedPtr select,
                               RunSync((*session)->Prepare("SELECT v FROM ks.t WHERE k = ?")));
  constexpr int kCoroutines = 64;
  constexpr int kEach = 300;
  int failures = 0;
  asio::io_context context(1);
  auto start = std::chrono::steady_clock::now();
  for (int c = 0; c < kCoroutines; ++c) {
    asio::co_spawn(context, Hammer(session->get(), select, kEach, &failures), asio::detached);
  }
  context.run();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  EXPECT_EQ(failures, 0);
  std::printf("[ measured ] %d requests on one connection in %.3f s: %.0f requests/s\n",
              kCoroutines * kEach, seconds, kCoroutines * kEach / seconds);
  (*session)->Close();
  (void)(*cluster)->Stop();
}

}  // namespace
}  // namespace cqlbulk::client
