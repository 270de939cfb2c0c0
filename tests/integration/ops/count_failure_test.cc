// SPDX-License-Identifier: Apache-2.0
// ops::Count when nodes stop (127.0.54.x): exact with enough replicas, an error without.
#include <atomic>
#include <thread>

#include "ops_fixture.h"

namespace cqlbulk::ops {
namespace {

using ::testing::HasSubstr;

constexpr int kRows = 20000;
constexpr char kAddress[] = "127.0.54.1";

/// Stops a node from another thread once `after` ranges are done.
class StopNodeAfter : public ProgressListener {
 public:
  StopNodeAfter(sim::Cluster& cluster, ring::HostIndex node, size_t after)
      : cluster_(cluster), node_(node), after_(after) {}
  ~StopNodeAfter() override { Join(); }

  void OnProgress(const CountProgress& progress) override {
    if (progress.ranges_done >= after_ && !thread_.joinable()) {
      done_at_stop_ = progress.ranges_done;
      thread_ = std::thread([this] { (void)cluster_.StopNode(node_); });
    }
  }
  void Join() {
    if (thread_.joinable()) thread_.join();
  }
  size_t done_at_stop() const { return done_at_stop_; }

 private:
  sim::Cluster& cluster_;
  ring::HostIndex node_;
  size_t after_;
  size_t done_at_stop_ = 0;
  std::thread thread_;
};

class CountFailureTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = sim::Cluster::Start(test::SimOptions(kAddress, 3, 16));
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    cluster_ = std::move(*started);
    auto session = client::RunSync(client::Session::Connect(test::ClientOptions(kAddress)));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    for (std::string rf : {"1", "3"}) {
      CQLBULK_ASSERT_OK(test::Execute(**session, "CREATE KEYSPACE rf" + rf +
                                                     " WITH replication = {'class': "
                                                     "'SimpleStrategy', 'replication_factor': " +
                                                     rf + "}"));
      CQLBULK_ASSERT_OK(
          test::Execute(**session, "CREATE TABLE rf" + rf + ".t (k int PRIMARY KEY, v int)"));
      CQLBULK_ASSERT_OK(test::InsertRows(
          **session, "INSERT INTO rf" + rf + ".t (k, v) VALUES (?, ?)", kRows, [](int i) {
            return std::vector<cql::BoundValue>{cql::BoundValue::Int(i), cql::BoundValue::Int(i)};
          }));
    }
    (*session)->Close();
  }
  static void TearDownTestSuite() {
    if (cluster_) (void)cluster_->Stop();
    cluster_.reset();
  }
  void TearDown() override {
    for (ring::HostIndex i = 0; i < cluster_->num_nodes(); ++i) {
      if (!cluster_->is_up(i)) (void)cluster_->StartNode(i);
    }
  }

  static std::unique_ptr<sim::Cluster> cluster_;
};

std::unique_ptr<sim::Cluster> CountFailureTest::cluster_;

TEST_F(CountFailureTest, Rf3WithANodeStoppedMidCountIsStillExact) {
  CountOptions options = test::MakeCountOptions(kAddress, "rf3", "t");
  options.splits = 600;
  options.concurrency = 4;
  StopNodeAfter stopper(*cluster_, 1, 50);
  options.progress = &stopper;

  auto counted = CountSync(options);
  stopper.Join();

  ASSERT_TRUE(counted.has_value()) << counted.error().ToString();
  EXPECT_EQ(stopper.done_at_stop(), 50u);
  EXPECT_FALSE(cluster_->is_up(1));
  EXPECT_EQ(counted->rows, kRows);
  test::ExpectConsistent(*counted);
}

/// Raises the interrupt flag once `after` ranges are done, as a SIGINT handler would.
class InterruptAfter : public ProgressListener {
 public:
  explicit InterruptAfter(size_t after) : after_(after) {}
  void OnProgress(const CountProgress& progress) override {
    if (progress.ranges_done >= after_) flag.store(true);
  }
  std::atomic<bool> flag{false};

 private:
  size_t after_;
};

TEST_F(CountFailureTest, AnInterruptedCountStopsStartingRangesAndReportsNoTotal) {
  CountOptions options = test::MakeCountOptions(kAddress, "rf3", "t");
  options.splits = 600;
  options.concurrency = 2;
  InterruptAfter interrupter(20);
  options.progress = &interrupter;
  options.interrupted = &interrupter.flag;

  auto counted = CountSync(options);

  ASSERT_FALSE(counted.has_value()) << "counted " << counted->rows << " rows";
  EXPECT_EQ(counted.error().code(), ErrorCode::kCancelled);
  EXPECT_THAT(counted.error().message(), HasSubstr("count interrupted: "));
  EXPECT_THAT(counted.error().message(), HasSubstr("not the table's total"));
  // The ranges in flight finish (at most `concurrency` more), none is started after.
  EXPECT_THAT(counted.error().message(), ::testing::ContainsRegex("interrupted: 2[0-1] of "));
}

TEST_F(CountFailureTest, Rf1WithANodeStoppedFailsNamingTheRanges) {
  ASSERT_TRUE(cluster_->StopNode(1).has_value());
  CountOptions options = test::MakeCountOptions(kAddress, "rf1", "t");
  options.page_attempts = 1;
  options.session.retry.max_attempts = 2;

  auto counted = CountSync(options);

  ASSERT_FALSE(counted.has_value()) << "counted " << counted->rows << " rows";
  RecordProperty("error", counted.error().ToString());
  EXPECT_THAT(counted.error().message(), HasSubstr("range(s) could not be read"));
  EXPECT_THAT(counted.error().message(), ::testing::ContainsRegex("\\(-?[0-9]+, -?[0-9]+\\]"));
}

}  // namespace
}  // namespace cqlbulk::ops
