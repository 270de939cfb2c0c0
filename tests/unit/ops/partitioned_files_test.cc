// SPDX-License-Identifier: Apache-2.0
// PartitionedFiles (an Iceberg export's data files) under tight bounds: every row lands in
// exactly one file, each file holds one partition, one file a partition an epoch, whatever the
// memory: rows past it are set aside on disk. The files are read back with the Parquet reader.
#include "cqlbulk/ops/iceberg/partitioned_files.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
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

std::vector<data::Batch> One(data::Batch batch) {
  std::vector<data::Batch> batches;
  batches.push_back(std::move(batch));
  return batches;
}

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
    options_.partition_sources = {{{0}, mapping->schema.fields[0].type}};
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

  /// The spill files in the run's directory.
  size_t SpillFiles() const {
    size_t n = 0;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(run_->path(), ec)) {
      n += entry.is_regular_file() && entry.path().parent_path().filename() == "iceberg-spill";
    }
    return n;
  }

  fs::path dir_;
  std::unique_ptr<RunDirectory> run_;
  PartitionedFiles::Options options_;
  std::set<int64_t> ids_;
  int64_t next_ = 0;
};

TEST_F(PartitionedFilesTest, EveryPartitionHasOneFileOfOneRowGroupInLittleMemory) {
  // 40,000 rows of 50 partitions through 256 KiB: most rows are set aside on disk, a record
  // at a time, and each file is written whole at the end.
  options_.memory_bytes = 256 << 10;
  PartitionedFiles files(options_, *run_);
  for (data::Batch& batch : Batches(40, 1000)) {
    ASSERT_THAT(files.Write(One(std::move(batch))), testing::IsOk());
  }
  EXPECT_GT(files.bytes(), 0u);
  EXPECT_EQ(SpillFiles(), 1u);  // every partition's records in the epoch's one file
  auto finished = files.FinishAll();
  ASSERT_TRUE(finished.has_value()) << finished.error().ToString();
  EXPECT_EQ(finished->size(), static_cast<size_t>(kBuckets));
  std::vector<size_t> row_groups;
  EXPECT_EQ(ReadBack(*finished, &row_groups), std::multiset<int64_t>(ids_.begin(), ids_.end()));
  EXPECT_EQ(row_groups, std::vector<size_t>(kBuckets, 1));
  EXPECT_EQ(SpillFiles(), 0u);    // removed once written
  EXPECT_EQ(files.bytes(), 0u);  // the next epoch starts empty
}

TEST_F(PartitionedFilesTest, RowsSetAsideManyTimesComeBackOnceInOrderOfArrival) {
  // 16 KiB: a partition's rows are set aside in many small records.
  options_.memory_bytes = 16 << 10;
  options_.writer.row_group_rows = 300;  // and its file has several row groups
  PartitionedFiles files(options_, *run_);
  std::vector<data::Batch> batches = Batches(20, 500);
  // Within a partition's file, its rows are in the order they were written.
  std::map<int32_t, std::vector<int64_t>> written;
  for (const data::Batch& batch : batches) {
    for (size_t r = 0; r < batch.num_rows(); ++r) {
      int64_t id = batch.column(0).Int64(r);
      written[BucketOf(id).int_value].push_back(id);
    }
  }
  for (data::Batch& batch : batches) {
    ASSERT_THAT(files.Write(One(std::move(batch))), testing::IsOk());
  }
  auto finished = files.FinishAll();
  ASSERT_TRUE(finished.has_value()) << finished.error().ToString();
  EXPECT_EQ(finished->size(), static_cast<size_t>(kBuckets));
  EXPECT_EQ(ReadBack(*finished), std::multiset<int64_t>(ids_.begin(), ids_.end()));
  for (const iceberg::DataFile& f : *finished) {
    auto file = formats::RandomAccessFile::Open(*iceberg::LocalPath(f.file_path));
    ASSERT_TRUE(file.has_value());
    auto reader = formats::parquet::ParquetReader::Open(std::move(*file), {});
    ASSERT_TRUE(reader.has_value());
    std::vector<int64_t> read;
    while (true) {
      auto batch = (*reader)->Next();
      ASSERT_TRUE(batch.has_value());
      if (!*batch) break;
      for (size_t r = 0; r < (*batch)->num_rows(); ++r) read.push_back((*batch)->column(0).Int64(r));
    }
    EXPECT_EQ(read, written[f.partition[0].int_value]) << f.file_path;
  }
}

TEST_F(PartitionedFilesTest, EpochsAndAbandonedEpochs) {
  options_.memory_bytes = 128 << 10;
  PartitionedFiles files(options_, *run_);
  std::vector<data::Batch> first = Batches(10, 1000);
  std::multiset<int64_t> first_ids(ids_.begin(), ids_.end());
  for (data::Batch& batch : first) ASSERT_THAT(files.Write(One(std::move(batch))), testing::IsOk());
  auto epoch = files.FinishAll();
  ASSERT_TRUE(epoch.has_value());
  EXPECT_EQ(ReadBack(*epoch), first_ids);
  // The next epoch fails: the rows it set aside are removed, the first epoch's files stay.
  for (data::Batch& batch : Batches(20, 1000)) {
    ASSERT_THAT(files.Write(One(std::move(batch))), testing::IsOk());
  }
  EXPECT_GT(SpillFiles(), 0u);
  files.Abandon();
  EXPECT_EQ(SpillFiles(), 0u);
  size_t parquet = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir_ / "table")) {
    parquet += entry.path().extension() == ".parquet";
  }
  EXPECT_EQ(parquet, epoch->size());
  EXPECT_EQ(ReadBack(*epoch), first_ids);
  EXPECT_GT(files.next_file(), static_cast<int>(epoch->size()));
}

TEST_F(PartitionedFilesTest, UnpartitionedRowsGoToOneFileAsTheyAreOrThroughTheBuilder) {
  options_.spec = iceberg::PartitionSpec{};
  options_.partition_sources.clear();
  PartitionedFiles files(options_, *run_);
  // Batches as a range's rows come: the rows' own schema (no field ids), large and small ones
  // (written as they are, or gathered first), in order.
  data::Schema plain = *options_.data_schema;
  for (data::Field& f : plain.fields) {  // as the row decoder's: no ids, any column may be null
    f.field_id.reset();
    f.nullable = true;
  }
  auto schema = std::make_shared<const data::Schema>(plain);
  ASSERT_FALSE(*schema == *options_.data_schema);
  std::vector<int64_t> written;
  std::mt19937 rng(3);
  for (int round = 0; round < 30; ++round) {
    std::vector<data::Batch> batches;
    for (int b = static_cast<int>(rng() % 3); b >= 0; --b) {
      data::BatchBuilder builder(schema, 16);
      for (size_t r = rng() % 2 == 0 ? rng() % 40 : 200 + rng() % 2000; r > 0; --r) {
        written.push_back(next_++);
        builder.column(0).AppendInt64(written.back());
        if (rng() % 10 == 0) {
          builder.column(1).AppendNull();
        } else {
          builder.column(1).AppendString(std::to_string(written.back()));
        }
      }
      batches.push_back(builder.Finish().value());
    }
    ASSERT_THAT(files.Write(std::move(batches)), testing::IsOk());
  }
  auto finished = files.FinishAll();
  ASSERT_TRUE(finished.has_value()) << finished.error().ToString();
  ASSERT_EQ(finished->size(), 1u);
  EXPECT_TRUE((*finished)[0].partition.empty());
  EXPECT_EQ((*finished)[0].record_count, static_cast<int64_t>(written.size()));
  auto path = iceberg::LocalPath((*finished)[0].file_path);
  ASSERT_TRUE(path.has_value());
  auto file = formats::RandomAccessFile::Open(*path);
  ASSERT_TRUE(file.has_value());
  auto reader = formats::parquet::ParquetReader::Open(std::move(*file), {});
  ASSERT_TRUE(reader.has_value());
  // The file's field ids are the table's, whatever the rows carried.
  EXPECT_EQ((*reader)->schema()->fields[0].field_id, options_.data_schema->fields[0].field_id);
  std::vector<int64_t> read;
  while (true) {
    auto batch = (*reader)->Next();
    ASSERT_TRUE(batch.has_value());
    if (!*batch) break;
    for (size_t r = 0; r < (*batch)->num_rows(); ++r) {
      int64_t id = (*batch)->column(0).Int64(r);
      read.push_back(id);
      if ((*batch)->column(1).IsNull(r)) continue;
      EXPECT_EQ((*batch)->column(1).String(r), std::to_string(id));
    }
  }
  EXPECT_EQ(read, written);  // every row, once, in order
}

TEST_F(PartitionedFilesTest, AStructFieldPartitionsAndANullStructIsANullPartition) {
  // id bigint, addr {zip text, n int}: by identity(addr.zip), in little memory. A row whose
  // addr is null has a placeholder zip in the rows, but its partition value is null.
  data::Schema rows{{data::Field{"id", data::LogicalType::Int64(), false},
                     data::Field{"addr", data::LogicalType::Struct(
                                             {data::Field{"zip", data::LogicalType::String()},
                                              data::Field{"n", data::LogicalType::Int32()}},
                                             "address")}}};
  const std::vector<std::string> key = {"id"};
  auto mapping = iceberg::MapToIceberg(rows, key);
  ASSERT_TRUE(mapping.has_value());
  options_.schema = mapping->schema;
  auto spec = iceberg::ParsePartitionBy("addr.zip", mapping->schema);
  ASSERT_TRUE(spec.has_value()) << spec.error().ToString();
  options_.spec = *spec;
  const iceberg::NestedField& zip = mapping->schema.fields[1].type->fields()[0];
  ASSERT_EQ(spec->fields[0].source_id, zip.id);
  options_.partition_sources = {{{1, 0}, zip.type}};
  options_.data_schema = std::make_shared<const data::Schema>(mapping->data_schema);
  options_.writer.mapping = mapping->parquet;
  options_.memory_bytes = 32 << 10;
  PartitionedFiles files(options_, *run_);
  std::map<int64_t, std::optional<std::string>> zip_of;  // null: a null partition value
  std::mt19937 rng(5);
  for (int b = 0; b < 20; ++b) {
    data::BatchBuilder builder(options_.data_schema, 16);
    for (int r = 0; r < 300; ++r) {
      const int64_t id = next_++;
      builder.column(0).AppendInt64(id);
      data::ColumnBuilder& addr = builder.column(1);
      switch (rng() % 8) {
        case 0:  // the struct null: its fields get placeholders ("" and 0)
          addr.AppendNull();
          zip_of[id] = std::nullopt;
          break;
        case 1:  // the zip null
          addr.child(0).AppendNull();
          addr.child(1).AppendInt32(r);
          addr.AppendStructValid();
          zip_of[id] = std::nullopt;
          break;
        default: {
          std::string z = rng() % 2 == 0 ? "" : "z" + std::to_string(rng() % 5);
          addr.child(0).AppendString(z);
          addr.child(1).AppendInt32(r);
          addr.AppendStructValid();
          zip_of[id] = z;
        }
      }
    }
    ASSERT_THAT(files.Write(One(builder.Finish().value())), testing::IsOk());
  }
  auto finished = files.FinishAll();
  ASSERT_TRUE(finished.has_value()) << finished.error().ToString();
  EXPECT_EQ(finished->size(), 7u);  // "", z0..z4 and null
  size_t read = 0;
  for (const iceberg::DataFile& f : *finished) {
    ASSERT_EQ(f.partition.size(), 1u);
    const std::optional<std::string> value =
        f.partition[0].is_null() ? std::nullopt : std::optional<std::string>(f.partition[0].bytes);
    auto file = formats::RandomAccessFile::Open(*iceberg::LocalPath(f.file_path));
    ASSERT_TRUE(file.has_value());
    auto reader = formats::parquet::ParquetReader::Open(std::move(*file), {});
    ASSERT_TRUE(reader.has_value());
    while (true) {
      auto batch = (*reader)->Next();
      ASSERT_TRUE(batch.has_value());
      if (!*batch) break;
      for (size_t r = 0; r < (*batch)->num_rows(); ++r, ++read) {
        EXPECT_EQ(zip_of.at((*batch)->column(0).Int64(r)), value) << f.file_path;
      }
    }
  }
  EXPECT_EQ(read, zip_of.size());
}

// ---------------------------------------------------------------------------------------------
// GatherColumn (a partition's rows, a column at a time) against CopyValue (value by value).

using data::Field;
using data::LogicalType;

data::SchemaPtr EveryType() {
  return std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int32(), false},
      Field{"b", LogicalType::Boolean()},
      Field{"i8", LogicalType::Int8()},
      Field{"i16", LogicalType::Int16()},
      Field{"i64", LogicalType::Int64(), false},
      Field{"counter", LogicalType::Counter()},
      Field{"f", LogicalType::Float32()},
      Field{"d", LogicalType::Float64()},
      Field{"s", LogicalType::String()},
      Field{"ascii", LogicalType::Ascii()},
      Field{"bin", LogicalType::Binary()},
      Field{"varint", LogicalType::BigInteger()},
      Field{"u", LogicalType::Uuid()},
      Field{"tu", LogicalType::TimeUuid()},
      Field{"date", LogicalType::Date()},
      Field{"time", LogicalType::Time()},
      Field{"ts", LogicalType::Timestamp()},
      Field{"dur", LogicalType::Duration()},
      Field{"inet", LogicalType::Inet()},
      Field{"dec", LogicalType::Decimal()},
      Field{"list", LogicalType::List(LogicalType::Int32())},
      Field{"set", LogicalType::Set(LogicalType::String())},
      Field{"map", LogicalType::Map(LogicalType::String(), LogicalType::List(LogicalType::Int64()))},
      Field{"st", LogicalType::Struct({Field{"x", LogicalType::Int32()},
                                       Field{"y", LogicalType::List(LogicalType::String())}},
                                      "udt")},
      Field{"tuple", LogicalType::Tuple({LogicalType::Int64(), LogicalType::String()})},
      Field{"vec", LogicalType::Vector(LogicalType::Float32(), 3)},
  }});
}

/// Random values with edge cases: nulls (none in some batches, all in others), empty and long
/// strings, NaN and infinities, the extremes of each integer, empty lists.
data::Batch RandomRows(const data::SchemaPtr& schema, size_t rows, uint32_t seed, int null_percent) {
  std::mt19937 rng(seed);
  auto coin = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  auto small = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  auto text = [&]() {
    switch (small(6)) {
      case 0: return std::string();
      case 1: return std::string(static_cast<size_t>(small(5000)), static_cast<char>('a' + small(26)));
      default: return "v" + std::to_string(rng() % 1000);
    }
  };
  data::BatchBuilder b(schema, rows);
  std::function<void(data::ColumnBuilder&, const LogicalType&, bool)> append =
      [&](data::ColumnBuilder& c, const LogicalType& t, bool nullable) {
        if (nullable && coin(null_percent)) {
          c.AppendNull();
          return;
        }
        auto r = static_cast<int64_t>(rng() | (uint64_t{rng()} << 32));
        int edge = small(8);
        switch (t.kind()) {
          case data::TypeKind::kBoolean: c.AppendBoolean(coin(50)); break;
          case data::TypeKind::kInt8:
            c.AppendInt8(edge == 0 ? INT8_MIN : edge == 1 ? INT8_MAX : static_cast<int8_t>(r));
            break;
          case data::TypeKind::kInt16:
            c.AppendInt16(edge == 0 ? INT16_MIN : edge == 1 ? INT16_MAX : static_cast<int16_t>(r));
            break;
          case data::TypeKind::kInt32:
          case data::TypeKind::kDate:
            c.AppendInt32(edge == 0 ? INT32_MIN : edge == 1 ? INT32_MAX : static_cast<int32_t>(r));
            break;
          case data::TypeKind::kInt64:
          case data::TypeKind::kTime:
          case data::TypeKind::kTimestamp:
            c.AppendInt64(edge == 0 ? INT64_MIN : edge == 1 ? INT64_MAX : r);
            break;
          case data::TypeKind::kFloat32:
            c.AppendFloat32(edge == 0   ? std::numeric_limits<float>::quiet_NaN()
                            : edge == 1 ? -std::numeric_limits<float>::infinity()
                            : edge == 2 ? -0.0f
                                        : static_cast<float>(r) / 7.0f);
            break;
          case data::TypeKind::kFloat64:
            c.AppendFloat64(edge == 0   ? std::numeric_limits<double>::quiet_NaN()
                            : edge == 1 ? std::numeric_limits<double>::infinity()
                            : edge == 2 ? std::numeric_limits<double>::denorm_min()
                                        : static_cast<double>(r) / -3.0);
            break;
          case data::TypeKind::kString:
          case data::TypeKind::kBinary:
            c.AppendString(text());
            break;
          case data::TypeKind::kBigInteger:
          case data::TypeKind::kInet: {
            uint8_t v[16];
            for (uint8_t& x : v) x = static_cast<uint8_t>(rng());
            c.AppendBytes(BytesView(v, t.kind() == data::TypeKind::kInet ? (coin(50) ? 4 : 16)
                                                                         : 1 + small(16)));
            break;
          }
          case data::TypeKind::kUuid: {
            uint8_t u[16];
            for (uint8_t& x : u) x = static_cast<uint8_t>(rng());
            c.AppendUuid(u);
            break;
          }
          case data::TypeKind::kDuration:
            c.AppendDuration(static_cast<int32_t>(r), static_cast<int32_t>(r >> 32), r);
            break;
          case data::TypeKind::kDecimal: {
            uint8_t v[20];
            for (uint8_t& x : v) x = static_cast<uint8_t>(rng());
            c.AppendDecimal(BytesView(v, static_cast<size_t>(1 + small(20))), small(40) - 20);
            break;
          }
          case data::TypeKind::kList:
          case data::TypeKind::kSet:
          case data::TypeKind::kVector: {
            c.BeginList();
            int n = t.kind() == data::TypeKind::kVector ? t.dimension() : small(4);
            for (int i = 0; i < n; ++i) {
              append(c.child(), *t.element().type, t.kind() != data::TypeKind::kVector);
            }
            c.EndList();
            break;
          }
          case data::TypeKind::kMap: {
            c.BeginList();
            for (int i = small(4); i > 0; --i) {
              c.map_keys().AppendString("k" + std::to_string(i));
              append(c.map_values(), *t.value().type, true);
            }
            c.EndList();
            break;
          }
          case data::TypeKind::kStruct:
            for (size_t i = 0; i < t.fields().size(); ++i) {
              append(c.child(i), *t.fields()[i].type, true);
            }
            c.AppendStructValid();
            break;
        }
      };
  for (size_t row = 0; row < rows; ++row) {
    for (size_t i = 0; i < schema->num_fields(); ++i) {
      append(b.column(i), *schema->fields[i].type, schema->fields[i].nullable);
    }
  }
  auto batch = b.Finish();
  EXPECT_TRUE(batch.has_value()) << batch.error().ToString();
  return std::move(*batch);
}

TEST(GatherColumnTest, GathersWhatCopyValueCopiesForEveryTypeAndSelection) {
  data::SchemaPtr schema = EveryType();
  std::mt19937 rng(11);
  for (int round = 0; round < 60; ++round) {
    // Some batches without nulls, some all null (but the required columns), most between.
    std::vector<data::Batch> batches;
    int num_batches = 1 + static_cast<int>(rng() % 4);
    for (int b = 0; b < num_batches; ++b) {
      int nulls = std::vector<int>{0, 100, 20, 5}[rng() % 4];
      batches.push_back(RandomRows(schema, rng() % 300, static_cast<uint32_t>(rng()), nulls));
    }
    // A selection: runs, single rows, repeats, from every batch in any order; or empty.
    std::vector<RowRef> rows;
    size_t picks = rng() % 600;
    for (size_t i = 0; i < picks; ++i) {
      auto b = static_cast<uint32_t>(rng() % batches.size());
      if (batches[b].num_rows() == 0) continue;
      auto start = static_cast<uint32_t>(rng() % batches[b].num_rows());
      auto run = static_cast<uint32_t>(1 + rng() % 8);
      for (uint32_t r = start; r < batches[b].num_rows() && r < start + run; ++r) {
        rows.emplace_back(b, r);
      }
    }
    data::BatchBuilder gathered(schema, 4);
    data::BatchBuilder copied(schema, 4);
    // In two pieces, so that a builder already holding rows is gathered into too.
    size_t half = rows.size() / 2;
    for (size_t c = 0; c < schema->num_fields(); ++c) {
      GatherColumn(batches, std::span<const RowRef>(rows).first(half), c, gathered.column(c));
      GatherColumn(batches, std::span<const RowRef>(rows).subspan(half), c, gathered.column(c));
      for (const auto& [b, r] : rows) CopyValue(batches[b].column(c), r, copied.column(c));
    }
    auto a = gathered.Finish();
    auto e = copied.Finish();
    ASSERT_TRUE(a.has_value()) << a.error().ToString();
    ASSERT_TRUE(e.has_value()) << e.error().ToString();
    ASSERT_EQ(a->num_rows(), rows.size());
    ASSERT_EQ(e->num_rows(), rows.size());
    for (size_t c = 0; c < schema->num_fields(); ++c) {
      ASSERT_EQ(a->column(c).null_count(), e->column(c).null_count()) << "round " << round;
      // The same bytes too (NaN payloads, -0.0, the slots of null rows).
      BytesView x = a->column(c).values();
      BytesView y = e->column(c).values();
      ASSERT_TRUE(std::equal(x.begin(), x.end(), y.begin(), y.end()))
          << "round " << round << ", column " << c;
    }
    for (size_t r = 0; r < rows.size(); ++r) {
      ASSERT_EQ(data::DebugString(*a, r), data::DebugString(*e, r))
          << "round " << round << ", row " << r;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// PartitionKeyPart: rows with equal keys must have equal partition values.

/// Checks, for every column of `batch` and every transform that applies to it, that rows with
/// the same key have the same ApplyTransform value, and that nulls have no key. Returns the
/// number of keyed rows.
size_t CheckKeys(const data::Batch& batch, const iceberg::Schema& schema) {
  using Kind = iceberg::Transform::Kind;
  const std::vector<iceberg::Transform> transforms = {
      {Kind::kIdentity, 0}, {Kind::kBucket, 7}, {Kind::kTruncate, 10}, {Kind::kYear, 0},
      {Kind::kMonth, 0},    {Kind::kDay, 0},    {Kind::kHour, 0}};
  size_t keyed = 0;
  for (size_t c = 0; c < batch.num_columns(); ++c) {
    const data::Column& column = batch.column(c);
    const iceberg::Type& type = *schema.fields[c].type;
    for (const iceberg::Transform& t : transforms) {
      if (!iceberg::CanTransform(t, type)) continue;
      KeyPartKind kind = KeyPartKindOf(column.kind(), t.kind);
      std::map<int64_t, iceberg::Literal> seen;
      for (size_t r = 0; r < batch.num_rows(); ++r) {
        int64_t key = 0;
        if (!PartitionKeyPart(column, r, kind, key)) {
          EXPECT_TRUE(column.IsNull(r) || kind == KeyPartKind::kNone ||
                      column.kind() == data::TypeKind::kTimestamp)
              << "column " << c << ", row " << r;
          continue;
        }
        EXPECT_FALSE(column.IsNull(r));
        auto value = iceberg::LiteralOfValue(column, r, type);
        EXPECT_TRUE(value.has_value()) << "column " << c << ", row " << r << ": "
                                       << value.error().ToString();
        if (!value.has_value()) continue;
        auto result = iceberg::ApplyTransform(t, type, *value);
        EXPECT_TRUE(result.has_value()) << "column " << c << ", row " << r;
        if (!result.has_value()) continue;
        auto [it, added] = seen.emplace(key, *result);
        EXPECT_EQ(it->second, *result) << "column " << c << " (" << column.type()->ToString()
                                       << "), row " << r << ", key " << key;
        ++keyed;
      }
    }
  }
  return keyed;
}

TEST(PartitionKeyPartTest, RowsWithEqualKeysHaveEqualPartitionValues) {
  data::SchemaPtr schema = EveryType();
  std::vector<std::string> key = {"id"};
  auto mapping = iceberg::MapToIceberg(*schema, key);
  ASSERT_TRUE(mapping.has_value()) << mapping.error().ToString();
  std::mt19937 rng(5);
  size_t keyed = 0;
  for (int round = 0; round < 20; ++round) {
    data::Batch batch = RandomRows(schema, 400, static_cast<uint32_t>(rng()), 10);
    keyed += CheckKeys(batch, mapping->schema);
  }
  EXPECT_GT(keyed, 10000u);
}

TEST(PartitionKeyPartTest, TimestampsAroundDaysHoursAndTheEndsOfMicroseconds) {
  auto schema = std::make_shared<const data::Schema>(
      data::Schema{{Field{"ts", LogicalType::Timestamp()}}});
  std::vector<std::string> no_key;
  auto mapping = iceberg::MapToIceberg(*schema, no_key);
  ASSERT_TRUE(mapping.has_value()) << mapping.error().ToString();
  constexpr int64_t kDay = 86'400'000;
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000;  // microseconds fit
  std::vector<int64_t> centres = {0, kDay, -kDay, 3'600'000, -3'600'000, 951'782'400'000,
                                  -62'135'596'800'000, kMax - kDay, -(kMax - kDay), kMax, -kMax};
  data::BatchBuilder builder(schema, 1024);
  std::mt19937_64 rng(3);
  for (int64_t centre : centres) {
    for (int64_t d = -3; d <= 3; ++d) {
      for (int64_t v : {centre + d, centre + d * 3'600'000, centre + d * kDay + d}) {
        builder.column(0).AppendTimestamp(v);
      }
    }
  }
  for (int i = 0; i < 500; ++i) {
    builder.column(0).AppendTimestamp(static_cast<int64_t>(rng() % (2 * kMax)) - kMax);
  }
  builder.column(0).AppendNull();
  auto batch = builder.Finish();
  ASSERT_TRUE(batch.has_value());
  EXPECT_GT(CheckKeys(*batch, mapping->schema), 1000u);
  // Within a day of the ends: no key (the general path says whether the value fits).
  int64_t key = 0;
  for (size_t r = 0; r < batch->num_rows(); ++r) {
    if (batch->column(0).IsNull(r)) continue;
    int64_t v = batch->column(0).Timestamp(r);
    bool near_ends = v > kMax - kDay || v < -(kMax - kDay);
    EXPECT_EQ(PartitionKeyPart(batch->column(0), r, KeyPartKind::kTimestampDay, key), !near_ends)
        << v;
  }
  // Strings have no key.
  EXPECT_EQ(KeyPartKindOf(data::TypeKind::kString, iceberg::Transform::Kind::kIdentity),
            KeyPartKind::kNone);
}

}  // namespace
}  // namespace cqlbulk::ops
