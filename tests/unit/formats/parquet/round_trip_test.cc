// SPDX-License-Identifier: Apache-2.0
// Our reader reads back what our writer writes, for every option; the referees (pyarrow,
// DuckDB, hyparquet) judge the writer in parquet_interop_test.py and the reader there too.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <tuple>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "cqlbulk/formats/io/block_codec.h"
#include "cqlbulk/formats/io/memory_stream.h"
#include "cqlbulk/formats/parquet/column_writer.h"
#include "cqlbulk/formats/parquet/reader.h"
#include "cqlbulk/formats/parquet/statistics.h"
#include "cqlbulk/formats/parquet/writer.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Field;
using data::LogicalType;

/// Types that read back as themselves (the exact text forms are checked apart).
data::SchemaPtr NaturalSchema() {
  return std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int32(), false},
      Field{"b", LogicalType::Boolean()},
      Field{"i8", LogicalType::Int8()},
      Field{"i16", LogicalType::Int16()},
      Field{"i64", LogicalType::Int64()},
      Field{"f", LogicalType::Float32()},
      Field{"d", LogicalType::Float64()},
      Field{"s", LogicalType::String()},
      Field{"bin", LogicalType::Binary()},
      Field{"u", LogicalType::Uuid()},
      Field{"date", LogicalType::Date()},
      Field{"time", LogicalType::Time()},
      Field{"ts", LogicalType::Timestamp()},
      Field{"dec", LogicalType::Decimal(20, 3)},
      Field{"dec9", LogicalType::Decimal(9, 2)},
      Field{"list", LogicalType::List(LogicalType::Int32())},
      Field{"map", LogicalType::Map(LogicalType::String(), LogicalType::List(LogicalType::Int64()))},
      Field{"st", LogicalType::Struct({Field{"x", LogicalType::Int32()},
                                       Field{"y", LogicalType::List(LogicalType::String())}})},
      Field{"lol", LogicalType::List(LogicalType::List(LogicalType::Int32()))},
  }});
}

/// Random rows: about one value in five null at every level, lists of 0..3. With `skip`,
/// rows skip to skip + rows of the same sequence (the first `skip` are made and dropped).
data::Batch RandomBatch(const data::SchemaPtr& schema, size_t rows, uint32_t seed,
                        int cardinality = 1 << 30, size_t skip = 0) {
  std::mt19937 rng(seed);
  auto coin = [&](int percent) { return static_cast<int>(rng() % 100) < percent; };
  auto small = [&](int n) { return static_cast<int>(rng() % static_cast<uint32_t>(n)); };
  data::BatchBuilder dropped(schema, skip);
  data::BatchBuilder kept(schema, rows);
  std::function<void(data::ColumnBuilder&, const data::LogicalType&, bool)> append =
      [&](data::ColumnBuilder& c, const data::LogicalType& t, bool nullable) {
        if (nullable && coin(20)) {
          c.AppendNull();
          return;
        }
        int64_t r = static_cast<int64_t>(rng()) % cardinality;
        switch (t.kind()) {
          case data::TypeKind::kBoolean: c.AppendBoolean(coin(50)); break;
          case data::TypeKind::kInt8: c.AppendInt8(static_cast<int8_t>(r)); break;
          case data::TypeKind::kInt16: c.AppendInt16(static_cast<int16_t>(r)); break;
          case data::TypeKind::kInt32: c.AppendInt32(static_cast<int32_t>(r) - 500); break;
          case data::TypeKind::kInt64: c.AppendInt64((r << 20) - (int64_t{1} << 40)); break;
          case data::TypeKind::kFloat32: c.AppendFloat32(static_cast<float>(r) / 7.0f); break;
          case data::TypeKind::kFloat64: c.AppendFloat64(static_cast<double>(r) / -3.0); break;
          case data::TypeKind::kString: c.AppendString("v" + std::to_string(r % 1000)); break;
          case data::TypeKind::kBinary: c.AppendBytes(Bytes(static_cast<size_t>(small(5)), 7)); break;
          case data::TypeKind::kUuid: {
            uint8_t u[16] = {};
            u[15] = static_cast<uint8_t>(r);
            u[0] = static_cast<uint8_t>(r >> 8);
            c.AppendUuid(u);
            break;
          }
          case data::TypeKind::kDate: c.AppendDate(static_cast<int32_t>(r % 100000) - 50000); break;
          case data::TypeKind::kTime: c.AppendTime(r % 86'400'000'000'000); break;
          case data::TypeKind::kTimestamp: c.AppendTimestamp(r * 997 - 1'000'000'000'000); break;
          case data::TypeKind::kDecimal: {
            uint8_t v[3] = {static_cast<uint8_t>(r >> 16), static_cast<uint8_t>(r >> 8),
                            static_cast<uint8_t>(r)};
            c.AppendDecimal(BytesView(v, 3), t.scale());
            break;
          }
          case data::TypeKind::kList: {
            c.BeginList();
            for (int i = small(4); i > 0; --i) append(c.child(), *t.element().type, true);
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
          default:
            FAIL() << "no generator for " << t.ToString();
        }
      };
  for (size_t row = 0; row < skip + rows; ++row) {
    data::BatchBuilder& b = row < skip ? dropped : kept;
    b.column(0).AppendInt32(static_cast<int32_t>(row));
    for (size_t i = 1; i < schema->num_fields(); ++i) {
      append(b.column(i), *schema->fields[i].type, true);
    }
  }
  return kept.Finish().value();
}

Bytes WriteFile(const data::SchemaPtr& schema, const std::vector<const data::Batch*>& batches,
                WriterOptions options) {
  Bytes file;
  auto writer = ParquetWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file), options);
  EXPECT_TRUE(writer.has_value()) << writer.error().ToString();
  for (const data::Batch* batch : batches) EXPECT_THAT((*writer)->Write(*batch), testing::IsOk());
  EXPECT_THAT((*writer)->Close(), testing::IsOk());
  return file;
}

std::vector<std::string> Rows(const data::Batch& batch) {
  std::vector<std::string> rows;
  for (size_t i = 0; i < batch.num_rows(); ++i) rows.push_back(data::DebugString(batch, i));
  return rows;
}

std::vector<std::string> ReadRows(Bytes file, ReaderOptions options = {}) {
  auto reader = ParquetReader::Open(RandomAccessFile::FromBytes(std::move(file), "test.parquet"),
                                    options);
  EXPECT_TRUE(reader.has_value()) << reader.error().ToString();
  std::vector<std::string> rows;
  if (!reader.has_value()) return rows;
  while (true) {
    auto batch = (*reader)->Next();
    EXPECT_TRUE(batch.has_value()) << batch.error().ToString();
    if (!batch.has_value() || !*batch) break;
    EXPECT_LE((*batch)->num_rows(), options.batch_rows);
    for (std::string& row : Rows(**batch)) rows.push_back(std::move(row));
  }
  return rows;
}

using Case = std::tuple<CompressionCodec, bool /*v2*/, bool /*dictionary*/>;
class ParquetRoundTripTest : public ::testing::TestWithParam<Case> {};

TEST_P(ParquetRoundTripTest, ReadsBackEveryRow) {
  auto [codec, v2, dictionary] = GetParam();
  data::SchemaPtr schema = NaturalSchema();
  data::Batch first = RandomBatch(schema, 700, 1, 50);  // low cardinality: dictionaries
  data::Batch second = RandomBatch(schema, 1300, 2);
  WriterOptions options;
  options.codec = codec;
  options.data_page_v2 = v2;
  options.dictionary = dictionary;
  options.data_page_bytes = 2000;  // many pages
  options.dictionary_page_bytes = 600;  // and fallbacks to PLAIN
  options.row_group_rows = 900;  // several row groups, one across the two batches
  Bytes file = WriteFile(schema, {&first, &second}, options);
  std::vector<std::string> want = Rows(first);
  for (std::string& row : Rows(second)) want.push_back(std::move(row));
  ReaderOptions read;
  read.batch_rows = 333;
  EXPECT_EQ(ReadRows(file, read), want);
}

// Write(batch, begin, end), as unload writes the part of a held page before a cut, against
// Write of a batch made of just those rows: the same file, byte for byte, for random pieces
// (empty ones, whole batches, pieces across pages, row groups and dictionary fallbacks).
TEST(ParquetWriterTest, RowsOfABatchAreWrittenAsABatchOfThoseRows) {
  data::SchemaPtr schema = NaturalSchema();
  std::mt19937 rng(20261203);
  for (int round = 0; round < 120; ++round) {
    const size_t n = 1 + rng() % 3000;
    const auto seed = static_cast<uint32_t>(round);
    const int cardinality = round % 2 == 0 ? 40 : 1 << 30;
    data::Batch whole = RandomBatch(schema, n, seed, cardinality);
    std::vector<size_t> cuts = {0, n};
    for (int i = static_cast<int>(rng() % 6); i > 0; --i) cuts.push_back(rng() % (n + 1));
    std::sort(cuts.begin(), cuts.end());
    WriterOptions options;
    options.codec = round % 3 == 0 ? CompressionCodec::kUncompressed : CompressionCodec::kSnappy;
    options.data_page_v2 = round % 4 == 1;
    options.data_page_bytes = 1500 + rng() % 20000;
    options.dictionary_page_bytes = 300 + rng() % 3000;
    options.row_group_rows = 200 + rng() % 2000;
    SCOPED_TRACE("round " + std::to_string(round) + ", " + std::to_string(n) + " rows");
    Bytes pieces_file;
    Bytes parts_file;
    {
      auto writer = ParquetWriter::Make(
          schema, std::make_unique<MemoryOutputStream>(&pieces_file), options);
      ASSERT_TRUE(writer.has_value());
      for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        ASSERT_THAT((*writer)->Write(whole, cuts[i], cuts[i + 1]), testing::IsOk());
      }
      ASSERT_THAT((*writer)->Close(), testing::IsOk());
    }
    {
      auto writer = ParquetWriter::Make(
          schema, std::make_unique<MemoryOutputStream>(&parts_file), options);
      ASSERT_TRUE(writer.has_value());
      for (size_t i = 0; i + 1 < cuts.size(); ++i) {
        data::Batch part = RandomBatch(schema, cuts[i + 1] - cuts[i], seed, cardinality, cuts[i]);
        ASSERT_THAT((*writer)->Write(part), testing::IsOk());
      }
      ASSERT_THAT((*writer)->Close(), testing::IsOk());
    }
    ASSERT_EQ(pieces_file, parts_file);
    if (round < 10) {
      EXPECT_EQ(ReadRows(pieces_file), Rows(whole));
    }
  }
  Bytes file;
  auto writer = ParquetWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file), {});
  data::Batch batch = RandomBatch(schema, 10, 1);
  EXPECT_EQ((*writer)->Write(batch, 5, 4).error().code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ((*writer)->Write(batch, 0, 11).error().code(), ErrorCode::kInvalidArgument);
}

// Pages are decoded as batches need them: whatever the batch size, batches that end inside a
// page read back whole, and a row group far larger than what the reader may hold at once
// (the writer's pages hold at most 1,024 rows) reads in small batches.
TEST(ParquetReaderTest, BatchesOfAnySizeOverPagesOfLargeRowGroups) {
  data::SchemaPtr schema = NaturalSchema();
  data::Batch batch = RandomBatch(schema, 12'000, 3, 200);
  std::vector<std::string> want = Rows(batch);
  for (bool v2 : {false, true}) {
    WriterOptions options;
    options.data_page_v2 = v2;
    options.data_page_values = 7;
    options.dictionary_page_bytes = 900;
    Bytes file = WriteFile(schema, {&batch}, options);  // one row group
    for (size_t rows : {size_t{1}, size_t{2}, size_t{97}, size_t{1000}, size_t{12'000}}) {
      SCOPED_TRACE("v2 " + std::to_string(v2) + ", batches of " + std::to_string(rows));
      ReaderOptions read;
      read.batch_rows = rows;
      read.max_batch_values = 16'000;  // less than the deepest column of the row group holds
      if (rows < 12'000) {
        EXPECT_EQ(ReadRows(file, read), want);
        continue;
      }
      // A batch past the limit is refused, naming the column.
      auto reader = ParquetReader::Open(RandomAccessFile::FromBytes(file, "big.parquet"), read);
      ASSERT_TRUE(reader.has_value()) << reader.error().ToString();
      auto next = (*reader)->Next();
      ASSERT_FALSE(next.has_value());
      EXPECT_THAT(next.error().message(), ::testing::HasSubstr("big.parquet: row group 0, column "));
      EXPECT_THAT(next.error().message(), ::testing::HasSubstr("the most a batch is read with"));
    }
  }
}

// Level sections that are one RLE run (no nulls, all nulls, lists all empty) are filled
// without the decoder; sections that start with a shorter run, or with bit-packed levels, are
// decoded. Both read back what was written.
TEST(ParquetReaderTest, LevelsOfOneRunAndOfManyRuns) {
  auto schema = std::make_shared<const data::Schema>(data::Schema{{
      Field{"full", LogicalType::Int64()},
      Field{"empty", LogicalType::Int64()},
      Field{"late_nulls", LogicalType::Int64()},
      Field{"lists", LogicalType::List(LogicalType::Int32())},
  }});
  constexpr size_t kRows = 5000;
  data::BatchBuilder b(schema, kRows);
  for (size_t i = 0; i < kRows; ++i) {
    b.column(0).AppendInt64(static_cast<int64_t>(i) * 3);
    b.column(1).AppendNull();
    if (i % 1000 > 900) {
      b.column(2).AppendNull();
    } else {
      b.column(2).AppendInt64(-static_cast<int64_t>(i));
    }
    b.column(3).BeginList();
    if (i >= 2500) b.column(3).child().AppendInt32(static_cast<int32_t>(i));  // empty, then one
    b.column(3).EndList();
  }
  data::Batch batch = b.Finish().value();
  for (bool v2 : {false, true}) {
    SCOPED_TRACE(v2 ? "v2" : "v1");
    WriterOptions options;
    options.data_page_v2 = v2;
    options.data_page_values = 300;
    options.row_group_rows = 2048;
    ReaderOptions read;
    read.batch_rows = 700;
    EXPECT_EQ(ReadRows(WriteFile(schema, {&batch}, options), read), Rows(batch));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Codecs, ParquetRoundTripTest,
    ::testing::Combine(::testing::Values(CompressionCodec::kUncompressed, CompressionCodec::kSnappy,
                                         CompressionCodec::kGzip, CompressionCodec::kZstd,
                                         CompressionCodec::kLz4Raw, CompressionCodec::kBrotli),
                       ::testing::Bool(), ::testing::Bool()));

TEST(ParquetWriterTest, TakesBatchesOfTheSameTypesWhateverTheirIdsButNoNullWhereRequired) {
  auto schema = std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int64(), false, 7},
      Field{"s", LogicalType::String(), true, 8},
  }});
  // The rows' own schema: other names, no ids, every column nullable.
  auto rows = std::make_shared<const data::Schema>(data::Schema{{
      Field{"a", LogicalType::Int64()},
      Field{"b", LogicalType::String()},
  }});
  Bytes file;
  auto writer = ParquetWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file), {});
  ASSERT_TRUE(writer.has_value());
  data::BatchBuilder b(rows, 2);
  b.column(0).AppendInt64(5);
  b.column(1).AppendNull();
  b.column(0).AppendInt64(6);
  b.column(1).AppendString("x");
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch good, b.Finish());
  EXPECT_THAT((*writer)->Write(good), testing::IsOk());
  b.column(0).AppendNull();  // a null where the file's column is required
  b.column(1).AppendString("y");
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch bad, b.Finish());
  EXPECT_EQ((*writer)->Write(bad).error().code(), ErrorCode::kInvalidArgument);
  auto other = std::make_shared<const data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int32(), false},
      Field{"s", LogicalType::String()},
  }});
  data::BatchBuilder o(other, 1);
  o.column(0).AppendInt32(1);
  o.column(1).AppendString("z");
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch wrong_type, o.Finish());
  EXPECT_EQ((*writer)->Write(wrong_type).error().code(), ErrorCode::kInvalidArgument);
  ASSERT_THAT((*writer)->Close(), testing::IsOk());
  EXPECT_THAT(ReadRows(file), ::testing::ElementsAre(data::DebugString(good, 0),
                                                   data::DebugString(good, 1)));
  EXPECT_EQ((*writer)->metadata()->schema[1].field_id, 7);
}

TEST(StatisticsTest, ByteArrayMinAndMaxAreTheUnsignedOrderOfAPlainComparison) {
  // Slices of random byte strings (every length to 20, bytes 0x00, 0x7f, 0x80, 0xff and any):
  // the builder's min and max (prefixes of 8 bytes compared first) against std::min_element
  // and std::max_element over unsigned bytes.
  std::mt19937 rng(17);
  const uint8_t special[] = {0x00, 0x7f, 0x80, 0xff};
  data::SchemaPtr schema = std::make_shared<const data::Schema>(
      data::Schema{{Field{"b", LogicalType::Binary()}}});
  auto parquet = MakeParquetSchema(*schema, {});
  ASSERT_TRUE(parquet.has_value());
  for (int round = 0; round < 2000; ++round) {
    StatisticsBuilder builder(parquet->leaves[0]);
    std::vector<std::string> all;
    for (int slice = 1 + static_cast<int>(rng() % 4); slice > 0; --slice) {
      LeafData d;
      for (size_t n = 1 + rng() % 50; n > 0; --n) {
        std::string v(rng() % (round % 2 == 0 ? 21 : 41), '\0');
        for (char& c : v) c = static_cast<char>(rng() % 3 == 0 ? special[rng() % 4] : rng());
        if (!all.empty() && rng() % 5 == 0) v = all[rng() % all.size()].substr(0, v.size());
        // Half the rounds: values sharing their first 8 or 12 bytes, so that the second
        // 8-byte key decides (or ties, with lengths about 16).
        if (round % 2 == 1 && v.size() >= 8 && rng() % 2 == 0) {
          v.replace(0, 8, "customer");
          if (v.size() >= 12 && rng() % 2 == 0) v.replace(8, 4, std::string(4, '\xff'));
        }
        d.strings.Append(AsBytes(v));
        ++d.num_values;
        ++d.num_levels;
        all.push_back(v);
      }
      builder.Update(d);
    }
    auto less = [](const std::string& a, const std::string& b) {
      return std::lexicographical_compare(
          a.begin(), a.end(), b.begin(), b.end(),
          [](char x, char y) { return static_cast<uint8_t>(x) < static_cast<uint8_t>(y); });
    };
    Statistics s = builder.Finish();
    ASSERT_TRUE(s.min_value.has_value());
    EXPECT_EQ(*s.min_value, *std::min_element(all.begin(), all.end(), less)) << round;
    EXPECT_EQ(*s.max_value, *std::max_element(all.begin(), all.end(), less)) << round;
  }
}

TEST(ParquetWriterTest, DictionaryProbeDropsOnlyDictionariesOfNearlyDistinctValues) {
  // Every type, random values (RandomBatch: about a fifth null at every level), written with
  // and without the probe (at any number of values), in small and large row groups: the same
  // rows read back. Columns of few distinct values keep their dictionary; columns of nearly
  // all distinct values lose it (no dictionary page) once the probe is on.
  data::SchemaPtr schema = NaturalSchema();
  std::mt19937 rng(23);
  for (int round = 0; round < 12; ++round) {
    int cardinality = round % 2 == 0 ? 8 : 1 << 30;
    data::Batch batch = RandomBatch(schema, 300 + rng() % 3000, static_cast<uint32_t>(rng()),
                                    cardinality);
    WriterOptions off;
    off.row_group_rows = round % 3 == 0 ? 500 : 1 << 20;
    WriterOptions on = off;
    on.dictionary_probe_values = 1 + rng() % 1500;
    Bytes without = WriteFile(schema, {&batch}, off);
    Bytes with = WriteFile(schema, {&batch}, on);
    ASSERT_EQ(ReadRows(with), ReadRows(without)) << "round " << round;
    ASSERT_EQ(ReadRows(with), Rows(batch)) << "round " << round;
    auto reader = ParquetReader::Open(RandomAccessFile::FromBytes(with, "with.parquet"), {});
    ASSERT_TRUE(reader.has_value());
    const FileMetaData& m = (*reader)->metadata();
    // Column 0 ("id", 0, 1, 2, ...) is all distinct: no dictionary in any row group whose
    // first page reaches the probe.
    for (const RowGroup& g : m.row_groups) {
      if (g.num_rows >= static_cast<int64_t>(on.dictionary_probe_values)) {
        EXPECT_FALSE(g.columns[0].meta_data->dictionary_page_offset.has_value()) << round;
      }
    }
    if (cardinality == 8) {  // the boolean aside, a column of 8 values keeps its dictionary
      EXPECT_TRUE(m.row_groups[0].columns[4].meta_data->dictionary_page_offset.has_value());
    }
  }
}

TEST(ParquetWriterTest, FlushRowGroupEndsTheGroupAndTheWriterGoesOn) {
  // An open file of many (Iceberg's export): its rows go out as a row group when memory is
  // short, its buffers are freed, and the writer is used again with fresh dictionaries.
  data::SchemaPtr schema = NaturalSchema();
  data::Batch first = RandomBatch(schema, 500, 4, 30);
  data::Batch second = RandomBatch(schema, 800, 5);
  WriterOptions options;
  options.dictionary_page_bytes = 600;  // the first group falls back to PLAIN
  Bytes file;
  auto writer = ParquetWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file), options);
  ASSERT_TRUE(writer.has_value()) << writer.error().ToString();
  ParquetWriter& w = **writer;
  ASSERT_THAT(w.Write(first), testing::IsOk());
  EXPECT_GT(w.buffered_bytes(), 0u);
  ASSERT_THAT(w.FlushRowGroup(), testing::IsOk());
  EXPECT_EQ(w.buffered_bytes(), 0u);
  ASSERT_THAT(w.FlushRowGroup(), testing::IsOk());  // nothing held: no empty row group
  ASSERT_THAT(w.Write(second), testing::IsOk());
  ASSERT_THAT(w.Close(), testing::IsOk());
  ASSERT_NE(w.metadata(), nullptr);
  ASSERT_EQ(w.metadata()->row_groups.size(), 2u);
  EXPECT_EQ(w.metadata()->row_groups[0].num_rows, 500);
  EXPECT_EQ(w.metadata()->row_groups[1].num_rows, 800);
  EXPECT_FALSE(w.FlushRowGroup().has_value());  // after Close
  std::vector<std::string> want = Rows(first);
  for (std::string& row : Rows(second)) want.push_back(std::move(row));
  EXPECT_EQ(ReadRows(file), want);
}

TEST(ParquetWriterTest, RestartWritesTheFileANewWriterWouldWrite) {
  // Files written one after another by one writer (Iceberg's export: one a partition) are
  // byte for byte those of a writer each: every type, dictionaries kept, dropped by the probe
  // or fallen back to PLAIN in the file before, one or several row groups, and metadata and
  // counts that start again.
  data::SchemaPtr schema = NaturalSchema();
  std::mt19937 rng(29);
  WriterOptions options;
  options.row_group_rows = 700;
  options.dictionary_probe_values = 400;
  options.dictionary_page_bytes = 2000;
  Bytes file;
  auto writer = ParquetWriter::Make(schema, std::make_unique<MemoryOutputStream>(&file), options);
  ASSERT_TRUE(writer.has_value()) << writer.error().ToString();
  ParquetWriter& w = **writer;
  EXPECT_FALSE(w.Restart(std::make_unique<MemoryOutputStream>(&file)).has_value());  // open
  for (int round = 0; round < 10; ++round) {
    int cardinality = round % 3 == 0 ? 5 : round % 3 == 1 ? 60 : 1 << 30;
    data::Batch batch = RandomBatch(schema, 1 + rng() % 2000, static_cast<uint32_t>(rng()),
                                    cardinality);
    if (round > 0) {
      ASSERT_THAT(w.Restart(std::make_unique<MemoryOutputStream>(&file)), testing::IsOk());
    }
    EXPECT_EQ(w.rows_written(), 0);
    EXPECT_EQ(w.metadata(), nullptr);
    ASSERT_THAT(w.Write(batch), testing::IsOk());
    ASSERT_THAT(w.Close(), testing::IsOk());
    ASSERT_NE(w.metadata(), nullptr);
    EXPECT_EQ(w.metadata()->num_rows, static_cast<int64_t>(batch.num_rows()));
    EXPECT_EQ(w.bytes_written(), static_cast<int64_t>(file.size()));
    Bytes fresh = WriteFile(schema, {&batch}, options);
    ASSERT_EQ(file, fresh) << "round " << round << ", " << batch.num_rows() << " rows";
    EXPECT_EQ(ReadRows(file), Rows(batch)) << "round " << round;
    file.clear();
  }
}

TEST(ParquetReaderTest, ProjectionAndRowGroupSkipping) {
  data::SchemaPtr schema = NaturalSchema();
  data::Batch batch = RandomBatch(schema, 1000, 3);
  WriterOptions options;
  options.row_group_rows = 100;  // ids 0..99, 100..199, ...
  Bytes file = WriteFile(schema, {&batch}, options);
  ReaderOptions read;
  read.columns = {"s", "id"};
  read.predicates = {{"id", StatisticsPredicate::Op::kGreaterOrEqual, int64_t{750}}};
  auto reader = ParquetReader::Open(RandomAccessFile::FromBytes(file, "t.parquet"), read);
  ASSERT_TRUE(reader.has_value());
  EXPECT_EQ((*reader)->schema()->ToString(), "s: string id=8\nid: int32 not null id=1\n");
  int64_t rows = 0;
  while (true) {
    auto next = (*reader)->Next();
    ASSERT_TRUE(next.has_value());
    if (!*next) break;
    rows += static_cast<int64_t>((*next)->num_rows());
  }
  EXPECT_EQ(rows, 300);  // row groups 7, 8, 9
  EXPECT_EQ((*reader)->row_groups_skipped(), 7);
}

TEST(ParquetReaderTest, CorruptAndTruncatedFilesAreClearErrors) {
  data::SchemaPtr schema = NaturalSchema();
  data::Batch batch = RandomBatch(schema, 200, 4);
  Bytes file = WriteFile(schema, {&batch}, {});
  Bytes truncated(file.begin(), file.end() - 10);
  EXPECT_THAT(ParquetReader::Open(RandomAccessFile::FromBytes(truncated, "cut.parquet")),
              ::testing::AllOf(testing::IsError(ErrorCode::kCorrupt),
                               testing::HasMessage("cut.parquet: no PAR1 at the end")));
  // Every byte of the data pages flipped in turn: an error or a batch, never a crash.
  std::mt19937 rng(5);
  for (int trial = 0; trial < 300; ++trial) {
    Bytes bad = file;
    bad[4 + rng() % (bad.size() - 100)] ^= static_cast<uint8_t>(1 + rng() % 255);
    auto reader = ParquetReader::Open(RandomAccessFile::FromBytes(bad, "bad.parquet"));
    if (!reader.has_value()) continue;
    while (true) {
      auto next = (*reader)->Next();
      if (!next.has_value()) {
        EXPECT_THAT(next.error().message(), ::testing::HasSubstr("bad.parquet"));
        break;
      }
      if (!*next) break;
    }
  }
}

// PLAIN strings of up to 64 bytes are copied in whole 16-byte blocks: strings of every length
// from 0 to 100 (the last of a batch ending where its bytes end), written in batches of random
// sizes, with and without nulls, read back exactly.
TEST(ParquetWriterTest, PlainStringsOfEveryLengthReadBackExactly) {
  auto schema = std::make_shared<const data::Schema>(data::Schema{{
      Field{"s", LogicalType::String()},
      Field{"b", LogicalType::Binary(), false},
  }});
  std::mt19937 rng(4242);
  for (int round = 0; round < 12; ++round) {
    std::vector<data::Batch> batches;
    std::vector<std::string> want;
    for (int i = 0; i < 6; ++i) {
      const size_t rows = 1 + rng() % 700;
      data::BatchBuilder b(schema, rows);
      for (size_t r = 0; r < rows; ++r) {
        const size_t n = rng() % 101;
        std::string text(n, ' ');
        for (char& c : text) c = static_cast<char>('a' + rng() % 26);
        if (round % 2 == 1 && rng() % 7 == 0) {
          b.column(0).AppendNull();
        } else {
          b.column(0).AppendString(text);
        }
        Bytes blob(rng() % 81);
        for (uint8_t& x : blob) x = static_cast<uint8_t>(rng());
        b.column(1).AppendBytes(BytesView(blob));
      }
      CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
      for (const std::string& row : Rows(batch)) want.push_back(row);
      batches.push_back(std::move(batch));
    }
    std::vector<const data::Batch*> pointers;
    for (const data::Batch& batch : batches) pointers.push_back(&batch);
    WriterOptions options;
    options.dictionary = false;
    options.codec = round % 3 == 0 ? CompressionCodec::kUncompressed : CompressionCodec::kSnappy;
    options.data_page_v2 = round % 4 == 1;
    options.data_page_values = 1 + rng() % 3000;
    Bytes file = WriteFile(schema, pointers, options);
    EXPECT_EQ(ReadRows(file), want) << "round " << round;
  }
}

/// AppendPage compresses into the page's own buffer after room for a guessed header: the
/// same bytes as the header serialized, then the levels and the body compressed apart.
TEST(AppendPageTest, SameBytesAsTheHeaderThenTheCompressedBodyWrittenApart) {
  std::mt19937 rng(20261203);
  const BlockCodec codecs[] = {BlockCodec::kNone, BlockCodec::kSnappy, BlockCodec::kGzip,
                               BlockCodec::kZstd, BlockCodec::kLz4Raw, BlockCodec::kBrotli};
  // Sizes about the varints' steps (zigzag: 64, 8 Ki, 1 Mi bytes), small and empty ones.
  std::vector<size_t> sizes = {0, 1, 2, 31, 32, 33, 63, 64, 65, 127, 128, 8191, 8192, 8193,
                               16384, 100000, 1048575, 1048576, 1048577};
  for (int i = 0; i < 20; ++i) sizes.push_back(rng() % 300000);
  for (int i = 0; i < 20; ++i) sizes.push_back(rng() % 20000);
  int cases = 0, moved = 0;
  for (BlockCodec codec : codecs) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(auto compressor, BlockCompressor::Make(codec, std::nullopt));
    for (size_t size : sizes) {
      bool slow = codec == BlockCodec::kGzip || codec == BlockCodec::kZstd ||
                  codec == BlockCodec::kBrotli;
      if (slow && size > 20000) continue;  // slow, and nothing new
      for (int kind = 0; kind < 4; ++kind) {
        // Random bytes (incompressible: the page grows), runs (shrinks), a mix.
        std::vector<uint8_t> body(size);
        int mode = static_cast<int>(rng() % 3);
        for (size_t j = 0; j < size; ++j) {
          body[j] = mode == 0   ? static_cast<uint8_t>(rng())
                    : mode == 1 ? static_cast<uint8_t>(j / 1000)
                                : static_cast<uint8_t>(rng() % 4);
        }
        std::vector<uint8_t> levels(kind == 3 ? rng() % 40 : 0);
        for (uint8_t& b : levels) b = static_cast<uint8_t>(rng());
        PageHeader header;
        if (kind == 0) {
          header.type = PageType::kDataPage;
          header.data_page_header = DataPageHeader{static_cast<int32_t>(rng() % 20001)};
        } else if (kind == 1) {
          header.type = PageType::kDictionaryPage;
          header.dictionary_page_header = DictionaryPageHeader{static_cast<int32_t>(rng())};
        } else {
          header.type = PageType::kDataPageV2;
          DataPageHeaderV2 v2;
          v2.num_values = static_cast<int32_t>(rng() % 1000000);
          v2.num_rows = v2.num_values;
          v2.definition_levels_byte_length = static_cast<int32_t>(levels.size());
          header.data_page_header_v2 = v2;
        }
        // The reference: the body compressed apart, then header, levels, compressed body.
        data::Buffer compressed;
        CQLBULK_ASSERT_OK(compressor->Compress(BytesView(body), compressed));
        PageHeader expected_header = header;
        expected_header.uncompressed_page_size = static_cast<int32_t>(levels.size() + size);
        expected_header.compressed_page_size =
            static_cast<int32_t>(levels.size() + compressed.size());
        data::Buffer expected;
        expected.Append(BytesView(reinterpret_cast<const uint8_t*>("prefix"), 6));
        Serialize(expected_header, expected);
        expected.Append(BytesView(levels));
        expected.Append(compressed.view());

        data::Buffer out;
        out.Append(BytesView(reinterpret_cast<const uint8_t*>("prefix"), 6));
        CQLBULK_ASSERT_OK(AppendPage(header, BytesView(levels), BytesView(body),
                                     codec == BlockCodec::kNone && kind == 2 ? nullptr
                                                                             : compressor.get(),
                                     out));
        ASSERT_EQ(std::vector<uint8_t>(out.data(), out.data() + out.size()),
                  std::vector<uint8_t>(expected.data(), expected.data() + expected.size()))
            << BlockCodecName(codec) << ", body of " << size << " bytes, mode " << mode
            << ", kind " << kind;
        EXPECT_EQ(header, expected_header);
        PageHeader guessed = expected_header;
        guessed.compressed_page_size = guessed.uncompressed_page_size;
        data::Buffer a, b;
        Serialize(guessed, a);
        Serialize(expected_header, b);
        moved += a.size() != b.size();
        ++cases;
      }
    }
  }
  // The header's room was guessed wrong (the page moved) in a fair share of the cases.
  EXPECT_GT(moved, cases / 10) << moved << " of " << cases;
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
