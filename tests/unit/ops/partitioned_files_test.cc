// SPDX-License-Identifier: Apache-2.0
// PartitionedFiles (an Iceberg export's data files) under tight bounds: every row lands in
// exactly one file, each file holds one partition, and the bounds decide how many files there
// are. The files are read back with the Parquet reader.
#include "cqlbulk/ops/iceberg/partitioned_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/formats/io/random_access_file.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/iceberg/metadata/location.h"
#include "cqlbulk/iceberg/spec/partition_by.h"
#include "cqlbulk/iceberg/spec/transform.h"
#include "cqlbulk/iceberg/spec/type_mapping.h"
#include "cqlbulk/iceberg/spec/value_literal.h"
#include "testing/matchers.h"

namespace cqlbulk::ops {
namespace {

namespace fs = std::filesystem;

constexpr int kBuckets = 50;

class PartitionedFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("partitioned_files_test_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    auto run = RunDirectory::Create("unload", (dir_ / "log").string());
    ASSERT_TRUE(run.has_value());
    run_ = std::move(*run);
    data::Schema rows{{data::Field{"id", data::LogicalType::Int64(), false},
                       data::Field{"note", data::LogicalType::String()}}};
    const std::vector<std::string> key = {"id"};
    auto mapping = iceberg::MapToIceberg(rows, key);
    ASSERT_TRUE(mapping.has_value());
    options_.location = (dir_ / "table").string();
    options_.run_id = "run";
    options_.schema = mapping->schema;
    auto spec = iceberg::ParsePartitionBy("bucket(" + std::to_string(kBuckets) + ",id)",
                                          mapping->schema);
    ASSERT_TRUE(spec.has_value()) << spec.error().ToString();
    options_.spec = *spec;
    options_.partition_sources = {{0, mapping->schema.fields[0].type}};
    options_.data_schema = std::make_shared<const data::Schema>(mapping->data_schema);
    options_.writer.mapping = mapping->parquet;
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// `count` batches of `rows` rows with random ids (distinct), notes of 40 bytes.
  std::vector<data::Batch> Batches(int count, int rows) {
    std::vector<data::Batch> out;
    std::mt19937_64 rng(7);
    for (int b = 0; b < count; ++b) {
      data::BatchBuilder builder(options_.data_schema, rows);
      for (int r = 0; r < rows; ++r) {
        int64_t id = static_cast<int64_t>(rng() >> 20) * 1000 + next_++;
        ids_.insert(id);
        builder.column(0).AppendInt64(id);
        builder.column(1).AppendString(std::string(40, static_cast<char>('a' + id % 26)));
      }
      auto batch = builder.Finish();
      EXPECT_TRUE(batch.has_value());
      out.push_back(std::move(*batch));
    }
    return out;
  }

  iceberg::Literal BucketOf(int64_t id) {
    auto bucket = iceberg::ApplyTransform(options_.spec.fields[0].transform,
                                          *options_.schema.fields[0].type,
                                          iceberg::Literal::Long(id));
    EXPECT_TRUE(bucket.has_value());
    return *bucket;
  }

  /// Reads every file back: each holds rows of its own partition only; returns the ids and
  /// the row groups of each file.
  std::multiset<int64_t> ReadBack(const std::vector<iceberg::DataFile>& files,
                                  std::vector<size_t>* row_groups = nullptr) {
    std::multiset<int64_t> ids;
    for (const iceberg::DataFile& f : files) {
      auto path = iceberg::LocalPath(f.file_path);
      EXPECT_TRUE(path.has_value());
      auto file = formats::RandomAccessFile::Open(*path);
      EXPECT_TRUE(file.has_value()) << *path;
      auto reader = formats::parquet::ParquetReader::Open(std::move(*file), {});
      EXPECT_TRUE(reader.has_value()) << *path;
      if (row_groups) row_groups->push_back((*reader)->metadata().row_groups.size());
      int64_t rows = 0;
      while (true) {
        auto batch = (*reader)->Next();
        EXPECT_TRUE(batch.has_value());
        if (!batch.has_value() || !*batch) break;
        for (size_t r = 0; r < (*batch)->num_rows(); ++r) {
          int64_t id = (*batch)->column(0).Int64(r);
          ids.insert(id);
          EXPECT_EQ(BucketOf(id), f.partition[0]) << *path;
          ++rows;
        }
      }
      EXPECT_EQ(rows, f.record_count) << *path;
    }
    return ids;
  }

  fs::path dir_;
  std::unique_ptr<RunDirectory> run_;
  PartitionedFiles::Options options_;
  std::set<int64_t> ids_;
  int64_t next_ = 0;
};

TEST_F(PartitionedFilesTest, EveryPartitionHasOneFileWhenTheyAllFit) {
  // Little memory: row groups are written out often, and the files stay open between them.
  options_.memory_bytes = 256 << 10;
  options_.max_open_files = kBuckets;
  PartitionedFiles files(options_, *run_);
  for (const data::Batch& batch : Batches(40, 1000)) {
    ASSERT_THAT(files.Write({&batch, 1}), testing::IsOk());
  }
  EXPECT_GT(files.bytes(), 0u);
  auto finished = files.FinishAll();
  ASSERT_TRUE(finished.has_value()) << finished.error().ToString();
  EXPECT_EQ(finished->size(), static_cast<size_t>(kBuckets));
  EXPECT_EQ(files.files_finished_early(), 0);
  std::vector<size_t> row_groups;
  EXPECT_EQ(ReadBack(*finished, &row_groups), std::multiset<int64_t>(ids_.begin(), ids_.end()));
  EXPECT_GT(*std::max_element(row_groups.begin(), row_groups.end()), 1u);
  EXPECT_EQ(files.bytes(), 0u);  // the next epoch starts empty
}

TEST_F(PartitionedFilesTest, MorePartitionsThanFilesFinishesSomeEarlyAndLosesNoRow) {
  options_.memory_bytes = 128 << 10;
  options_.max_open_files = 7;
  PartitionedFiles files(options_, *run_);
  for (const data::Batch& batch : Batches(40, 1000)) {
    ASSERT_THAT(files.Write({&batch, 1}), testing::IsOk());
  }
  auto finished = files.FinishAll();
  ASSERT_TRUE(finished.has_value()) << finished.error().ToString();
  EXPECT_GT(files.files_finished_early(), 0);
  // Each file is finished early (counted) or at the end (one a partition that has rows then).
  EXPECT_LE(finished->size(), static_cast<size_t>(kBuckets + files.files_finished_early()));
  EXPECT_GT(finished->size(), static_cast<size_t>(files.files_finished_early()));
  std::set<int32_t> partitions;  // bucket numbers
  for (const iceberg::DataFile& f : *finished) partitions.insert(f.partition[0].int_value);
  EXPECT_EQ(ReadBack(*finished), std::multiset<int64_t>(ids_.begin(), ids_.end()));
  std::set<std::string> names;
  for (const iceberg::DataFile& f : *finished) names.insert(f.file_path);
  EXPECT_EQ(names.size(), finished->size());
  EXPECT_EQ(partitions.size(), static_cast<size_t>(kBuckets));
}

TEST_F(PartitionedFilesTest, EpochsAndAbandonedEpochs) {
  options_.memory_bytes = 128 << 10;
  options_.max_open_files = 7;
  PartitionedFiles files(options_, *run_);
  std::vector<data::Batch> first = Batches(10, 1000);
  std::multiset<int64_t> first_ids(ids_.begin(), ids_.end());
  for (const data::Batch& batch : first) ASSERT_THAT(files.Write({&batch, 1}), testing::IsOk());
  auto epoch = files.FinishAll();
  ASSERT_TRUE(epoch.has_value());
  EXPECT_EQ(ReadBack(*epoch), first_ids);
  // The next epoch fails: its files (open, and finished early) are removed, the first's stay.
  for (const data::Batch& batch : Batches(20, 1000)) {
    ASSERT_THAT(files.Write({&batch, 1}), testing::IsOk());
  }
  files.Abandon();
  size_t parquet = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "table")) {
    parquet += entry.path().extension() == ".parquet";
  }
  EXPECT_EQ(parquet, epoch->size());
  EXPECT_EQ(ReadBack(*epoch), first_ids);
  EXPECT_GT(files.next_file(), static_cast<int>(epoch->size()));
}

}  // namespace
}  // namespace cqlbulk::ops
