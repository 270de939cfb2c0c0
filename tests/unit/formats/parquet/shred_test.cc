// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/parquet/shred.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <random>
#include <string>

#include "cqlbulk/data/batch_builder.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using data::Field;
using data::LogicalType;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> Strings(const LeafData& d) {
  std::vector<std::string> out;
  for (size_t i = 0; i < d.num_values; ++i) out.emplace_back(AsChars(d.string_values()[i]));
  return out;
}

struct Shredded {
  ParquetSchema schema;
  std::vector<LeafData> leaves;
};

/// Shreds every column of `batch` with the default mapping (or `mapping`).
Shredded ShredAll(const data::Batch& batch, const TypeMapping& mapping = {}) {
  Shredded out;
  auto schema = MakeParquetSchema(batch.schema(), mapping);
  EXPECT_TRUE(schema.has_value());
  out.schema = std::move(*schema);
  out.leaves.resize(out.schema.leaves.size());
  for (size_t i = 0; i < batch.num_columns(); ++i) {
    EXPECT_THAT(Shred(batch.column(i), out.schema.fields[i], out.schema, 0, batch.num_rows(),
                      out.leaves),
                testing::IsOk());
  }
  return out;
}

TEST(ShredTest, ListsNullEmptyAndNullElements) {
  auto schema = std::make_shared<data::Schema>(
      data::Schema{{Field{"tags", LogicalType::List(LogicalType::String())}}});
  data::BatchBuilder b(schema, 4);
  data::ColumnBuilder& tags = b.column(0);
  tags.BeginList();
  tags.child().AppendString("a");
  tags.child().AppendString("b");
  tags.EndList();
  tags.AppendNull();
  tags.BeginList();
  tags.EndList();
  tags.BeginList();
  tags.child().AppendNull();
  tags.EndList();
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
  Shredded s = ShredAll(batch);
  const LeafData& d = s.leaves[0];
  EXPECT_THAT(d.definition_levels, ElementsAre(3, 3, 0, 1, 2));
  EXPECT_THAT(d.repetition_levels, ElementsAre(0, 1, 0, 0, 0));
  EXPECT_THAT(Strings(d), ElementsAre("a", "b"));
  EXPECT_EQ(d.num_levels, 5u);
}

TEST(ShredTest, MapsKeysRequiredValuesOptional) {
  auto schema = std::make_shared<data::Schema>(data::Schema{
      {Field{"m", LogicalType::Map(LogicalType::String(), LogicalType::Int32())}}});
  data::BatchBuilder b(schema, 2);
  data::ColumnBuilder& m = b.column(0);
  m.BeginList();
  m.map_keys().AppendString("k");
  m.map_values().AppendInt32(1);
  m.map_keys().AppendString("j");
  m.map_values().AppendNull();
  m.EndList();
  m.AppendNull();
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
  Shredded s = ShredAll(batch);
  EXPECT_THAT(s.leaves[0].definition_levels, ElementsAre(2, 2, 0));
  EXPECT_THAT(s.leaves[0].repetition_levels, ElementsAre(0, 1, 0));
  EXPECT_THAT(Strings(s.leaves[0]), ElementsAre("k", "j"));
  EXPECT_THAT(s.leaves[1].definition_levels, ElementsAre(3, 2, 0));
  EXPECT_THAT(s.leaves[1].int32s(), ElementsAre(1));
}

TEST(ShredTest, StructsAndDurations) {
  auto schema = std::make_shared<data::Schema>(data::Schema{{
      Field{"addr", LogicalType::Struct({Field{"street", LogicalType::String()},
                                         Field{"zip", LogicalType::Int32()}})},
      Field{"d", LogicalType::Duration()},
  }});
  data::BatchBuilder b(schema, 2);
  b.column(0).AppendNull();
  b.column(1).AppendDuration(1, 2, 3);
  b.column(0).child(0).AppendNull();
  b.column(0).child(1).AppendInt32(5);
  b.column(0).AppendStructValid();
  b.column(1).AppendNull();
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
  Shredded s = ShredAll(batch);
  EXPECT_THAT(s.leaves[0].definition_levels, ElementsAre(0, 1));  // street
  EXPECT_EQ(s.leaves[0].num_values, 0u);
  EXPECT_THAT(s.leaves[1].definition_levels, ElementsAre(0, 2));  // zip
  EXPECT_THAT(s.leaves[1].int32s(), ElementsAre(5));
  EXPECT_THAT(s.leaves[2].definition_levels, ElementsAre(1, 0));  // d.months
  EXPECT_THAT(s.leaves[2].int32s(), ElementsAre(1));
  EXPECT_THAT(s.leaves[3].int32s(), ElementsAre(2));
  EXPECT_THAT(s.leaves[4].int64s(), ElementsAre(3));
  EXPECT_THAT(s.leaves[4].repetition_levels, IsEmpty());
}

TEST(ShredTest, FlatColumnsWithoutNullsAreCopiedWhole) {
  auto schema = std::make_shared<data::Schema>(data::Schema{{
      Field{"id", LogicalType::Int64(), false},
      Field{"v", LogicalType::Float64()},
      Field{"small", LogicalType::Int16()},
  }});
  data::BatchBuilder b(schema, 3);
  for (int i = 0; i < 3; ++i) {
    b.column(0).AppendInt64(int64_t{1} << (40 + i));
    b.column(1).AppendFloat64(i * 0.5);
    if (i == 1) {
      b.column(2).AppendNull();
    } else {
      b.column(2).AppendInt16(static_cast<int16_t>(-i - 1));
    }
  }
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
  Shredded s = ShredAll(batch);
  EXPECT_THAT(s.leaves[0].definition_levels, IsEmpty());  // required: no levels
  EXPECT_THAT(s.leaves[0].int64s(),
              ElementsAre(int64_t{1} << 40, int64_t{1} << 41, int64_t{1} << 42));
  // Optional without a null: every level is the maximum, left out.
  EXPECT_THAT(s.leaves[1].definition_levels, IsEmpty());
  EXPECT_TRUE(s.leaves[1].AllDefined());
  EXPECT_FALSE(s.leaves[2].AllDefined());
  EXPECT_THAT(s.leaves[2].definition_levels, ElementsAre(1, 0, 1));
  EXPECT_THAT(s.leaves[2].int32s(), ElementsAre(-1, -3));  // widened
}

TEST(ShredTest, TopLevelTextFormsMatchTheValueByValuePath) {
  // The same random values (nulls, empty, negative, long, scales either side of 0) at the top
  // level (one loop a slice) and inside a struct (EmitValue, value by value).
  std::vector<data::LogicalTypePtr> types = {LogicalType::Decimal(), LogicalType::BigInteger(),
                                             LogicalType::Inet()};
  std::mt19937 rng(5);
  for (const auto& type : types) {
    auto schema = std::make_shared<data::Schema>(data::Schema{{
        Field{"v", type},
        Field{"s", LogicalType::Struct({Field{"v", type}})},
    }});
    for (int round = 0; round < 40; ++round) {
      size_t rows = rng() % 300;
      int null_percent = std::vector<int>{0, 10, 100}[rng() % 3];
      data::BatchBuilder b(schema, rows);
      for (size_t r = 0; r < rows; ++r) {
        if (static_cast<int>(rng() % 100) < null_percent) {
          b.column(0).AppendNull();
          b.column(1).child(0).AppendNull();
          b.column(1).AppendStructValid();
          continue;
        }
        Bytes v(type->kind() == data::TypeKind::kInet ? (rng() % 2 ? 4 : 16) : rng() % 40);
        for (uint8_t& x : v) x = static_cast<uint8_t>(rng() % 3 == 0 ? 0xff : rng());
        if (type->kind() == data::TypeKind::kDecimal) {
          auto scale = static_cast<int32_t>(rng() % 60) - 30;
          b.column(0).AppendDecimal(v, scale);
          b.column(1).child(0).AppendDecimal(v, scale);
        } else {
          b.column(0).AppendBytes(v);
          b.column(1).child(0).AppendBytes(v);
        }
        b.column(1).AppendStructValid();
      }
      CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
      // In slices, as the writer shreds (each into empty LeafData).
      auto parquet = MakeParquetSchema(batch.schema(), {});
      ASSERT_TRUE(parquet.has_value());
      for (size_t begin = 0; begin < rows;) {
        size_t end = std::min(rows, begin + 1 + rng() % 100);
        std::vector<LeafData> leaves(parquet->leaves.size());
        for (size_t c = 0; c < 2; ++c) {
          ASSERT_THAT(Shred(batch.column(c), parquet->fields[c], *parquet, begin, end, leaves),
                      testing::IsOk());
        }
        const LeafData& top = leaves[0];
        const LeafData& inner = leaves[1];
        ASSERT_EQ(top.num_levels, end - begin);
        ASSERT_EQ(top.num_values, inner.num_values);
        EXPECT_EQ(Strings(top), Strings(inner)) << type->ToString() << ", round " << round;
        ASSERT_EQ(inner.definition_levels.size(), end - begin);
        // The struct adds a level; levels left out are all the maximum (no null in the slice).
        for (size_t r = 0; r < end - begin; ++r) {
          int16_t level = top.AllDefined() ? 1 : top.definition_levels.at(r);
          EXPECT_EQ(inner.definition_levels[r], level + 1) << "row " << begin + r;
        }
        begin = end;
      }
    }
  }
}

/// The values of `d` as bytes: fixed-width values as they are, byte arrays each after its
/// length (whichever of borrowed and owned holds them).
Bytes ValueBytes(const LeafData& d, bool byte_array) {
  Bytes out;
  if (!byte_array) {
    BytesView v = d.fixed_values();
    return Bytes(v.begin(), v.end());
  }
  ByteArraysView v = d.string_values();
  EXPECT_EQ(v.size, d.num_values);
  for (size_t i = 0; i < v.size; ++i) {
    BytesView b = v[i];
    out.push_back(static_cast<uint8_t>(b.size()));
    out.insert(out.end(), b.begin(), b.end());
  }
  return out;
}

TEST(ShredTest, FlatLeavesBorrowedOrCopiedGiveTheValuesOfTheValueByValuePath) {
  // A top-level flat leaf (a slice without nulls borrowed from the batch, else copied a slice
  // at a time) against the same values inside a struct (EmitValue, value by value), in random
  // slices; and a leaf shredded into twice (the borrowed values owned first).
  std::vector<data::LogicalTypePtr> types = {
      LogicalType::Boolean(), LogicalType::Int32(),  LogicalType::Int64(),
      LogicalType::Float32(), LogicalType::Float64(), LogicalType::Uuid(),
      LogicalType::String(),  LogicalType::Binary()};
  std::mt19937 rng(11);
  size_t borrowed = 0;
  for (const auto& type : types) {
    const bool byte_array = type->kind() == data::TypeKind::kString ||
                            type->kind() == data::TypeKind::kBinary;
    auto schema = std::make_shared<data::Schema>(data::Schema{{
        Field{"v", type},
        Field{"s", LogicalType::Struct({Field{"v", type}})},
    }});
    auto parquet = MakeParquetSchema(*schema, {});
    ASSERT_TRUE(parquet.has_value());
    for (int round = 0; round < 40; ++round) {
      size_t rows = rng() % 3 == 0 ? rng() % 5 : rng() % 3000;
      int null_percent = std::vector<int>{0, 0, 10, 100}[rng() % 4];
      data::BatchBuilder b(schema, rows);
      for (size_t r = 0; r < rows; ++r) {
        if (static_cast<int>(rng() % 100) < null_percent) {
          b.column(0).AppendNull();
          b.column(1).child(0).AppendNull();
          b.column(1).AppendStructValid();
          continue;
        }
        for (data::ColumnBuilder* c : {&b.column(0), &b.column(1).child(0)}) {
          switch (type->kind()) {
            case data::TypeKind::kBoolean: c->AppendBoolean(r % 3 == 0); break;
            case data::TypeKind::kInt32: c->AppendInt32(static_cast<int32_t>(r * 2654435761u)); break;
            case data::TypeKind::kInt64: c->AppendInt64(r % 7 == 0 ? INT64_MIN : static_cast<int64_t>(r * 0x9E3779B97F4A7C15ull)); break;
            case data::TypeKind::kFloat32: c->AppendFloat32(r % 5 == 0 ? -0.0f : static_cast<float>(r) / 3); break;
            case data::TypeKind::kFloat64: c->AppendFloat64(r % 11 == 0 ? 1e308 : static_cast<double>(r) / 7); break;
            case data::TypeKind::kUuid: {
              uint8_t u[16];
              for (int k = 0; k < 16; ++k) u[k] = static_cast<uint8_t>(r * 31 + k);
              c->AppendUuid(u);
              break;
            }
            default: {
              std::string v = r % 9 == 0 ? "" : "v" + std::to_string(r * r) + (r % 4 == 0 ? "é€" : "");
              c->AppendString(v);
            }
          }
        }
        b.column(1).AppendStructValid();
      }
      CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
      for (size_t begin = 0; begin < rows;) {
        size_t middle = std::min(rows, begin + 1 + rng() % 1100);
        size_t end = rng() % 2 ? middle : std::min(rows, middle + rng() % 300);
        std::vector<LeafData> leaves(parquet->leaves.size());
        // The top-level leaf in one or two calls, the struct's in one.
        ASSERT_THAT(Shred(batch.column(0), parquet->fields[0], *parquet, begin, middle, leaves),
                    testing::IsOk());
        borrowed += leaves[0].borrowed ? 1 : 0;
        if (end > middle) {
          ASSERT_THAT(Shred(batch.column(0), parquet->fields[0], *parquet, middle, end, leaves),
                      testing::IsOk());
          EXPECT_FALSE(leaves[0].borrowed);
        }
        ASSERT_THAT(Shred(batch.column(1), parquet->fields[1], *parquet, begin, end, leaves),
                    testing::IsOk());
        const LeafData& top = leaves[0];
        const LeafData& inner = leaves[1];
        SCOPED_TRACE(type->ToString() + ", round " + std::to_string(round) + ", rows " +
                     std::to_string(begin) + ".." + std::to_string(end));
        ASSERT_EQ(top.num_levels, end - begin);
        ASSERT_EQ(top.num_values, inner.num_values);
        EXPECT_EQ(ValueBytes(top, byte_array), ValueBytes(inner, byte_array));
        for (size_t r = 0; r < end - begin; ++r) {
          int16_t level = top.AllDefined() ? 1 : top.definition_levels.at(r);
          ASSERT_EQ(inner.definition_levels.at(r), level + 1) << "row " << begin + r;
        }
        begin = end;
      }
    }
  }
  EXPECT_GT(borrowed, 100u);  // the borrowed path was taken
}

/// Unscaled big-endian two's complement bytes of a small value.
Bytes Unscaled(int64_t v) {
  Bytes b(8);
  StoreBE64(b.data(), static_cast<uint64_t>(v));
  return b;
}

TEST(ShredTest, DecimalsAsTextExactlyOrRescaledHalfEven) {
  auto schema = std::make_shared<data::Schema>(
      data::Schema{{Field{"dec", LogicalType::Decimal()}, Field{"vi", LogicalType::BigInteger()}}});
  data::BatchBuilder b(schema, 5);
  for (auto [unscaled, scale] : {std::pair{125, 2}, {135, 2}, {-125, 2}, {7, -2}, {5, 0}}) {
    Bytes u = Unscaled(unscaled);
    b.column(0).AppendDecimal(u, scale);
    b.column(1).AppendBytes(u);
  }
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
  Shredded text = ShredAll(batch);
  EXPECT_THAT(Strings(text.leaves[0]), ElementsAre("1.25", "1.35", "-1.25", "7E+2", "5"));
  EXPECT_THAT(Strings(text.leaves[1]), ElementsAre("125", "135", "-125", "7", "5"));
  EXPECT_EQ(text.leaves[0].num_changed, 0u);

  TypeMapping mapping;
  mapping.decimal_precision = 5;
  mapping.decimal_scale = 1;
  mapping.big_integer_as_decimal = true;
  Shredded fixed = ShredAll(batch, mapping);
  EXPECT_THAT(fixed.leaves[0].int32s(), ElementsAre(12, 14, -12, 7000, 50));
  EXPECT_EQ(fixed.leaves[0].num_changed, 3u);
  // varint as DECIMAL(38, 0): 16 big-endian bytes each.
  ASSERT_EQ(fixed.leaves[1].fixed.size(), 5u * 16);
  EXPECT_EQ(fixed.leaves[1].fixed.data()[15], 125);
  EXPECT_EQ(fixed.leaves[1].fixed.data()[32], 0xff);  // -125
  EXPECT_EQ(fixed.leaves[1].fixed.data()[47], 0x83);

  mapping.decimal_precision = 2;
  auto parquet = MakeParquetSchema(batch.schema(), mapping);
  ASSERT_TRUE(parquet.has_value());
  std::vector<LeafData> leaves(parquet->leaves.size());
  EXPECT_THAT(Shred(batch.column(0), parquet->fields[0], *parquet, 0, batch.num_rows(), leaves),
              ::testing::AllOf(testing::IsError(ErrorCode::kInvalidArgument),
                               testing::HasMessage("row 3 does not fit decimal(2, 1)")));
}

TEST(ShredTest, MicrosecondForms) {
  auto schema = std::make_shared<data::Schema>(
      data::Schema{{Field{"t", LogicalType::Time()}, Field{"ts", LogicalType::Timestamp()}}});
  data::BatchBuilder b(schema, 2);
  b.column(0).AppendTime(1'000'001'500);
  b.column(1).AppendTimestamp(-1);
  b.column(0).AppendTime(2'000);
  b.column(1).AppendTimestamp(INT64_MAX);
  CQLBULK_ASSERT_OK_AND_ASSIGN(data::Batch batch, b.Finish());
  TypeMapping mapping;
  mapping.time_unit = TimeUnit::kMicros;
  mapping.timestamp_unit = TimeUnit::kMicros;
  auto parquet = MakeParquetSchema(batch.schema(), mapping);
  ASSERT_TRUE(parquet.has_value());
  std::vector<LeafData> leaves(parquet->leaves.size());
  EXPECT_THAT(Shred(batch.column(0), parquet->fields[0], *parquet, 0, 2, leaves), testing::IsOk());
  EXPECT_THAT(leaves[0].int64s(), ElementsAre(1'000'001, 2));
  EXPECT_EQ(leaves[0].num_changed, 1u);
  EXPECT_THAT(Shred(batch.column(1), parquet->fields[1], *parquet, 0, 1, leaves), testing::IsOk());
  EXPECT_THAT(leaves[1].int64s(), ElementsAre(-1000));
  EXPECT_THAT(Shred(batch.column(1), parquet->fields[1], *parquet, 1, 2, leaves),
              testing::HasMessage("past the range of microseconds"));
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
