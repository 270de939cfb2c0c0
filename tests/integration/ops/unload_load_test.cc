// SPDX-License-Identifier: Apache-2.0
// ops::Unload and ops::Load on an in-process cqlsim (127.0.57.x): every row once, through
// injected failures, interruptions and resumed runs.
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "cqlbulk/formats/io/compression.h"
#include "cqlbulk/formats/io/file_stream.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/ops/load.h"
#include "cqlbulk/ops/unload.h"
#include "ops_fixture.h"

namespace cqlbulk::ops {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr int kRows = 20000;
constexpr char kAddress[] = "127.0.57.1";

/// The text of every file in `dir` (decompressed), concatenated in name order.
std::string ReadAllFiles(const std::string& dir, formats::Compression compression) {
  std::vector<std::string> paths;
  for (const auto& e : fs::directory_iterator(dir)) paths.push_back(e.path());
  std::sort(paths.begin(), paths.end());
  std::string all;
  for (const auto& path : paths) {
    auto file = formats::FileInputStream::Open(path);
    EXPECT_TRUE(file.has_value());
    auto in = formats::DecompressingStream(compression, std::move(*file), path);
    EXPECT_TRUE(in.has_value()) << in.error().ToString();
    auto bytes = formats::ReadAll(**in);
    EXPECT_TRUE(bytes.has_value()) << path << ": " << bytes.error().ToString();
    all += std::string(AsChars(*bytes));
  }
  return all;
}

/// Key -> times seen, from CSV lines "k,v" (header lines skipped).
std::map<int, int> KeysOf(const std::string& csv) {
  std::map<int, int> seen;
  std::istringstream in(csv);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line == "k,v") continue;
    seen[std::stoi(line.substr(0, line.find(',')))]++;
  }
  return seen;
}

/// Key -> times seen, from column "k" of every Parquet file in `dir`.
std::map<int, int> ParquetKeysOf(const std::string& dir) {
  std::map<int, int> seen;
  for (const auto& e : fs::directory_iterator(dir)) {
    auto file = formats::RandomAccessFile::Open(e.path().string());
    EXPECT_TRUE(file.has_value()) << e.path();
    if (!file.has_value()) continue;
    auto reader = formats::parquet::ParquetReader::Open(std::move(*file));
    EXPECT_TRUE(reader.has_value()) << e.path() << ": " << reader.error().ToString();
    if (!reader.has_value()) continue;
    const size_t k = *(*reader)->schema()->FieldIndex("k");
    while (true) {
      auto batch = (*reader)->Next();
      EXPECT_TRUE(batch.has_value()) << e.path() << ": " << batch.error().ToString();
      if (!batch.has_value() || !*batch) break;
      for (size_t row = 0; row < (*batch)->num_rows(); ++row) {
        seen[(*batch)->column(k).Int32(row)]++;
      }
    }
  }
  return seen;
}

void ExpectEveryKeyOnce(const std::map<int, int>& seen, int rows) {
  EXPECT_EQ(seen.size(), static_cast<size_t>(rows));
  int wrong = 0;
  for (const auto& [k, n] : seen) {
    if (n != 1 || k < 0 || k >= rows) ++wrong;
  }
  EXPECT_EQ(wrong, 0) << "keys missing, repeated or unknown";
}

/// Raises the interrupt flag once `after` ranges (or files) are done, as SIGINT would.
class InterruptAfter : public ProgressListener {
 public:
  explicit InterruptAfter(int64_t rows) : rows_(rows) {}
  void OnProgress(const Progress& progress) override {
    if (progress.rows >= rows_) flag.store(true);
  }
  std::atomic<bool> flag{false};

 private:
  int64_t rows_;
};

class UnloadLoadTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto started = sim::Cluster::Start(test::SimOptions(kAddress, 3, 16));
    ASSERT_TRUE(started.has_value()) << started.error().ToString();
    cluster_ = std::move(*started);
    auto session = client::RunSync(client::Session::Connect(test::ClientOptions(kAddress)));
    ASSERT_TRUE(session.has_value()) << session.error().ToString();
    CQLBULK_ASSERT_OK(test::Execute(**session,
                                    "CREATE KEYSPACE ks WITH replication = {'class': "
                                    "'SimpleStrategy', 'replication_factor': 1}"));
    CQLBULK_ASSERT_OK(test::Execute(**session, "CREATE TABLE ks.t (k int PRIMARY KEY, v text)"));
    CQLBULK_ASSERT_OK(
        test::Execute(**session, "CREATE TABLE ks.target (k int PRIMARY KEY, v text)"));
    CQLBULK_ASSERT_OK(test::InsertRows(
        **session, "INSERT INTO ks.t (k, v) VALUES (?, ?)", kRows, [](int i) {
          return std::vector<cql::BoundValue>{cql::BoundValue::Int(i),
                                              cql::BoundValue::Text("v" + std::to_string(i))};
        }));
    (*session)->Close();
  }
  static void TearDownTestSuite() {
    if (cluster_) (void)cluster_->Stop();
    cluster_.reset();
  }
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("cqlbulk-unload-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override {
    for (ring::HostIndex i = 0; i < cluster_->num_nodes(); ++i) cluster_->faults(i).Clear();
    fs::remove_all(dir_);
  }

  UnloadOptions Unload() const {
    UnloadOptions options;
    options.session = test::ClientOptions(kAddress);
    options.keyspace = "ks";
    options.table = "t";
    options.url = (dir_ / "out").string();
    options.log_dir = (dir_ / "log").string();
    options.concurrency = 4;
    return options;
  }
  LoadOptions Load(std::string url) const {
    LoadOptions options;
    options.session = test::ClientOptions(kAddress);
    options.keyspace = "ks";
    options.table = "target";
    options.url = std::move(url);
    options.log_dir = (dir_ / "load-log").string();
    return options;
  }
  /// Unloads with `options` in pages of 50 rows, a page tried once, a range up to 50 times,
  /// once the session is connected: then one request in twenty times out, so ranges fail
  /// after some of their pages.
  Result<UnloadResult> UnloadThroughTimeouts(UnloadOptions& options) {
    options.page_size = 50;
    options.page_attempts = 1;
    options.range_attempts = 50;
    options.session.retry.max_attempts = 1;
    auto session = client::RunSync(client::Session::Connect(options.session));
    if (!session.has_value()) return Unexpected(session.error());
    for (ring::HostIndex i = 0; i < cluster_->num_nodes(); ++i) {
      cluster_->faults(i).set_error(0.05, sim::InjectedError::kReadTimeout);
    }
    auto unloaded = client::RunSync(UnloadTable(**session, options));
    (*session)->Close();
    return unloaded;
  }
  int64_t CountTarget() {
    auto counted = CountSync(test::MakeCountOptions(kAddress, "ks", "target"));
    EXPECT_TRUE(counted.has_value()) << counted.error().ToString();
    return counted.has_value() ? counted->rows : -1;
  }
  Status TruncateTarget() {
    auto session = client::RunSync(client::Session::Connect(test::ClientOptions(kAddress)));
    if (!session.has_value()) return Unexpected(session.error());
    Status done = test::Execute(**session, "TRUNCATE ks.target");
    (*session)->Close();
    return done;
  }

  static std::unique_ptr<sim::Cluster> cluster_;
  fs::path dir_;
};

std::unique_ptr<sim::Cluster> UnloadLoadTest::cluster_;

TEST_F(UnloadLoadTest, UnloadWritesEveryRowOnceAndRollsFilesOver) {
  UnloadOptions options = Unload();
  options.max_records_per_file = 3000;

  auto unloaded = UnloadSync(options);

  ASSERT_TRUE(unloaded.has_value()) << unloaded.error().ToString();
  EXPECT_EQ(unloaded->rows, kRows);
  EXPECT_GE(unloaded->ranges, 3u * 128u);  // and one more where the ring wraps
  ExpectEveryKeyOnce(KeysOf(ReadAllFiles(options.url, formats::Compression::kNone)), kRows);
  for (const auto& path : unloaded->files) {
    std::ifstream in(path);
    std::string header;
    std::getline(in, header);
    EXPECT_EQ(header, "k,v") << path;
    int lines = 0;
    for (std::string line; std::getline(in, line);) ++lines;
    EXPECT_LE(lines, 3000) << path;
    EXPECT_GT(lines, 0) << path;
  }
  EXPECT_GE(unloaded->files.size(), static_cast<size_t>(kRows / 3000));
  EXPECT_TRUE(fs::exists(dir_ / "log" / "checkpoint.json"));
}

TEST_F(UnloadLoadTest, RangesThatFailPartWayAreCutOutAndReadAgain) {
  UnloadOptions options = Unload();
  options.compression = formats::Compression::kGzip;
  options.splits = 40;
  auto unloaded = UnloadThroughTimeouts(options);

  ASSERT_TRUE(unloaded.has_value()) << unloaded.error().ToString();
  EXPECT_GT(unloaded->errors, 0) << "no range failed: the test did not test anything";
  EXPECT_EQ(unloaded->rows, kRows);
  ExpectEveryKeyOnce(KeysOf(ReadAllFiles(options.url, formats::Compression::kGzip)), kRows);
}

TEST_F(UnloadLoadTest, ParquetRangesPastTheirShareAreCutBetweenPartitionsThroughFailures) {
  // Pages of 50 rows, a share of 4 KiB a worker: every range is cut into pieces as it is
  // read, and one request in twenty times out, so pieces fail part-way and are read again.
  UnloadOptions options = Unload();
  options.format = FileFormat::kParquet;
  options.splits = 12;
  options.held_rows_memory = 16 << 10;
  options.max_records_per_file = 3000;
  auto unloaded = UnloadThroughTimeouts(options);

  ASSERT_TRUE(unloaded.has_value()) << unloaded.error().ToString();
  EXPECT_GT(unloaded->errors, 0) << "no range failed: the test did not test anything";
  EXPECT_GT(unloaded->ranges_cut, 20u) << "ranges were not cut";
  EXPECT_EQ(unloaded->rows, kRows);
  ExpectEveryKeyOnce(ParquetKeysOf(options.url), kRows);
  // The checkpoint keeps the plan with done ranges merged: the ring, done, in a range or two.
  std::ifstream in(dir_ / "log" / "checkpoint.json");
  auto checkpoint = nlohmann::json::parse(in);
  EXPECT_LE(checkpoint["ranges"].size(), 2u) << checkpoint["ranges"].dump();
  EXPECT_EQ(checkpoint["done"].get<std::string>(),
            std::string(checkpoint["ranges"].size(), '1'));
}

TEST_F(UnloadLoadTest, AnInterruptedParquetUnloadWithCutRangesResumesToExactlyTheTable) {
  UnloadOptions options = Unload();
  options.format = FileFormat::kParquet;
  options.page_size = 50;
  options.splits = 12;
  options.held_rows_memory = 16 << 10;
  options.max_records_per_file = 2000;
  InterruptAfter interrupter(kRows / 2);
  options.progress = &interrupter;
  options.interrupted = &interrupter.flag;

  auto first = UnloadSync(options);
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code(), ErrorCode::kCancelled);

  options.progress = nullptr;
  options.interrupted = nullptr;
  options.resume = options.log_dir;
  auto resumed = UnloadSync(options);

  ASSERT_TRUE(resumed.has_value()) << resumed.error().ToString();
  EXPECT_GT(resumed->ranges_resumed, 0u);
  EXPECT_GT(resumed->ranges_cut, 0u);
  EXPECT_EQ(resumed->rows, kRows);
  ExpectEveryKeyOnce(ParquetKeysOf(options.url), kRows);
}

TEST_F(UnloadLoadTest, AnInterruptedUnloadResumesToExactlyTheTable) {
  UnloadOptions options = Unload();
  options.compression = formats::Compression::kZstd;
  options.max_records_per_file = 2500;
  InterruptAfter interrupter(kRows / 3);
  options.progress = &interrupter;
  options.interrupted = &interrupter.flag;

  auto first = UnloadSync(options);
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code(), ErrorCode::kCancelled);
  EXPECT_THAT(first.error().message(), HasSubstr("--resume"));
  // A file the interrupted run was writing beyond its checkpoint: the resumed run removes it.
  std::ofstream(options.url + "/output-009999.csv.zst") << "partial";

  UnloadOptions again = Unload();
  again.compression = formats::Compression::kZstd;
  again.max_records_per_file = 2500;
  again.resume = options.log_dir;
  auto resumed = UnloadSync(again);

  ASSERT_TRUE(resumed.has_value()) << resumed.error().ToString();
  EXPECT_GT(resumed->ranges_resumed, 0u);
  EXPECT_EQ(resumed->rows, kRows);
  ExpectEveryKeyOnce(KeysOf(ReadAllFiles(options.url, formats::Compression::kZstd)), kRows);
}

TEST_F(UnloadLoadTest, AnUnloadRefusesADirectoryWithOutputFiles) {
  UnloadOptions options = Unload();
  fs::create_directories(options.url);
  std::ofstream(options.url + "/output-000001.csv") << "k,v\n";
  auto unloaded = UnloadSync(options);
  ASSERT_FALSE(unloaded.has_value());
  EXPECT_EQ(unloaded.error().code(), ErrorCode::kInvalidArgument);
  EXPECT_THAT(unloaded.error().message(), HasSubstr("output-000001.csv"));
}

TEST_F(UnloadLoadTest, LoadWritesWhatUnloadWrote) {
  UnloadOptions unload = Unload();
  unload.compression = formats::Compression::kLz4;
  ASSERT_TRUE(UnloadSync(unload).has_value());
  CQLBULK_ASSERT_OK(TruncateTarget());

  auto loaded = LoadSync(Load(unload.url));

  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(loaded->rows, kRows);
  EXPECT_EQ(loaded->rejected, 0);
  EXPECT_EQ(CountTarget(), kRows);
}

TEST_F(UnloadLoadTest, LoadRejectsBadRecordsAndKeepsTheGoodOnes) {
  CQLBULK_ASSERT_OK(TruncateTarget());
  std::string path = (dir_ / "bad.csv").string();
  std::ofstream(path) << "k,v\n1,one\nnot-a-number,two\n3,three\n4\n,five\n6,six\n";

  auto loaded = LoadSync(Load(path));

  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(loaded->rows, 3);
  EXPECT_EQ(loaded->rejected, 3);
  EXPECT_EQ(CountTarget(), 3);
  std::ifstream errors(dir_ / "load-log" / "load-errors.log");
  std::stringstream text;
  text << errors.rdbuf();
  EXPECT_THAT(text.str(), HasSubstr("line: 3"));
  EXPECT_THAT(text.str(), HasSubstr("not-a-number"));
  EXPECT_THAT(text.str(), HasSubstr("line: 5"));
  EXPECT_THAT(text.str(), HasSubstr("line: 6"));
}

TEST_F(UnloadLoadTest, CsvWithoutAHeaderMapsFieldsInTableOrder) {
  CQLBULK_ASSERT_OK(TruncateTarget());
  std::string path = (dir_ / "plain.csv").string();
  std::ofstream(path) << "7,seven\n8,eight\n";
  LoadOptions options = Load(path);
  options.csv.header = false;

  auto loaded = LoadSync(options);

  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_EQ(loaded->rows, 2);
  EXPECT_EQ(loaded->rejected, 0);
  EXPECT_EQ(CountTarget(), 2);
}

TEST_F(UnloadLoadTest, LoadStopsAtMaxErrors) {
  CQLBULK_ASSERT_OK(TruncateTarget());
  std::string path = (dir_ / "bad.csv").string();
  {
    std::ofstream out(path);
    out << "k,v\n";
    for (int i = 0; i < 50; ++i) out << "x" << i << ",bad\n";
  }
  LoadOptions options = Load(path);
  options.max_errors = 5;

  auto loaded = LoadSync(options);

  ASSERT_TRUE(loaded.has_value()) << loaded.error().ToString();
  EXPECT_TRUE(loaded->too_many_errors);
  // The records read with the one past the limit are reported too (none is lost unsaid).
  EXPECT_GT(loaded->rejected, 5);
  EXPECT_EQ(loaded->rows, 0);
}

TEST_F(UnloadLoadTest, AnInterruptedLoadResumesToTheWholeTable) {
  UnloadOptions unload = Unload();
  unload.max_records_per_file = 4000;
  ASSERT_TRUE(UnloadSync(unload).has_value());
  CQLBULK_ASSERT_OK(TruncateTarget());
  LoadOptions options = Load(unload.url);
  options.concurrency = 4;
  InterruptAfter interrupter(kRows / 2);
  options.progress = &interrupter;
  options.interrupted = &interrupter.flag;

  auto first = LoadSync(options);
  ASSERT_FALSE(first.has_value());
  EXPECT_EQ(first.error().code(), ErrorCode::kCancelled);

  LoadOptions again = Load(unload.url);
  again.resume = options.log_dir;
  auto resumed = LoadSync(again);

  ASSERT_TRUE(resumed.has_value()) << resumed.error().ToString();
  EXPECT_EQ(resumed->rows, kRows);  // rows of both runs (the checkpoint carries the first's)
  EXPECT_EQ(CountTarget(), kRows);
}

}  // namespace
}  // namespace cqlbulk::ops
