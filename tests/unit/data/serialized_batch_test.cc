// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/serialized_batch.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "testing/matchers.h"

namespace cqlbulk::data {
namespace {

using T = LogicalType;

/// Every kind, nested ones included: what an unload's rows can hold.
SchemaPtr EveryKind() {
  std::vector<Field> fields;
  auto add = [&](std::string name, LogicalTypePtr type, bool nullable = true) {
    fields.push_back(Field{.name = std::move(name), .type = std::move(type), .nullable = nullable});
  };
  add("key", T::Int32(), false);
  add("b", T::Boolean());
  add("i8", T::Int8());
  add("i16", T::Int16());
  add("i64", T::Int64());
  add("f32", T::Float32());
  add("f64", T::Float64());
  add("dec", T::Decimal());
  add("big", T::BigInteger());
  add("s", T::String());
  add("bin", T::Binary());
  add("u", T::Uuid());
  add("d", T::Date());
  add("t", T::Time());
  add("ts", T::Timestamp());
  add("dur", T::Duration());
  add("ip", T::Inet());
  add("list", T::List(T::String()));
  add("set", T::Set(T::Int64()));
  add("map", T::Map(T::String(), T::Tuple({T::Int32(), T::String()})));
  add("vec", T::Vector(T::Float32(), 3));
  return std::make_shared<Schema>(Schema{std::move(fields)});
}

/// `rows` random rows of EveryKind(): about one value in five null, strings of 0 to 40 bytes.
Batch RandomBatch(const SchemaPtr& schema, size_t rows, uint32_t seed) {
  std::mt19937 rng(seed);
  auto chance = [&](int in) { return rng() % static_cast<uint32_t>(in) == 0; };
  auto text = [&] {
    std::string s(rng() % 41, ' ');
    for (char& c : s) c = static_cast<char>('a' + rng() % 26);
    return s;
  };
  BatchBuilder builder(schema, 4);
  for (size_t row = 0; row < rows; ++row) {
    for (size_t c = 0; c < schema->num_fields(); ++c) {
      ColumnBuilder& col = builder.column(c);
      if (c > 0 && chance(5)) {
        col.AppendNull();
        continue;
      }
      switch (col.type()->kind()) {
        case TypeKind::kInt32: col.AppendInt32(static_cast<int32_t>(rng())); break;
        case TypeKind::kBoolean: col.AppendBoolean(chance(2)); break;
        case TypeKind::kInt8: col.AppendInt8(static_cast<int8_t>(rng())); break;
        case TypeKind::kInt16: col.AppendInt16(static_cast<int16_t>(rng())); break;
        case TypeKind::kInt64:
          col.AppendInt64(static_cast<int64_t>((uint64_t{rng()} << 32) | rng()));
          break;
        case TypeKind::kFloat32: col.AppendFloat32(static_cast<float>(rng()) / 7.0f); break;
        case TypeKind::kFloat64: col.AppendFloat64(static_cast<double>(rng()) / 3.0); break;
        case TypeKind::kDecimal: {
          std::string unscaled = text();
          col.AppendDecimal(AsBytes(unscaled), static_cast<int32_t>(rng() % 40) - 20);
          break;
        }
        case TypeKind::kBigInteger:
        case TypeKind::kString:
        case TypeKind::kBinary: col.AppendString(text()); break;
        case TypeKind::kUuid: {
          uint8_t bytes[16];
          for (uint8_t& b : bytes) b = static_cast<uint8_t>(rng());
          col.AppendUuid(bytes);
          break;
        }
        case TypeKind::kDate: col.AppendDate(static_cast<int32_t>(rng())); break;
        case TypeKind::kTime: col.AppendTime(rng() % 86'400'000'000'000); break;
        case TypeKind::kTimestamp: col.AppendTimestamp(static_cast<int32_t>(rng())); break;
        case TypeKind::kDuration:
          col.AppendDuration(static_cast<int32_t>(rng() % 100), static_cast<int32_t>(rng() % 100),
                             rng());
          break;
        case TypeKind::kInet: {
          const uint8_t address[4] = {127, 0, 0, static_cast<uint8_t>(rng())};
          col.AppendBytes(BytesView(address, 4));
          break;
        }
        case TypeKind::kList:
          col.BeginList();
          for (uint32_t n = rng() % 4; n > 0; --n) {
            if (chance(4)) {
              col.child().AppendNull();
            } else {
              col.child().AppendString(text());
            }
          }
          col.EndList();
          break;
        case TypeKind::kSet:
          col.BeginList();
          for (int64_t n = rng() % 4; n > 0; --n) col.child().AppendInt64(n);
          col.EndList();
          break;
        case TypeKind::kMap:
          col.BeginList();
          for (auto n = static_cast<uint32_t>(rng() % 3); n > 0; --n) {
            col.map_keys().AppendString(text());
            ColumnBuilder& value = col.map_values();
            if (chance(3)) {
              value.AppendNull();
            } else {
              value.child(0).AppendInt32(static_cast<int32_t>(rng()));
              value.child(1).AppendString(text());
              value.AppendStructValid();
            }
          }
          col.EndList();
          break;
        case TypeKind::kVector:
          col.BeginList();
          for (int i = 0; i < 3; ++i) col.child().AppendFloat32(static_cast<float>(i) + 0.5f);
          col.EndList();
          break;
        default:
          ADD_FAILURE() << "no value for " << TypeKindName(col.type()->kind());
      }
    }
  }
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.has_value()) << batch.error().ToString();
  return std::move(*batch);
}

void ExpectSameRows(const Batch& a, const Batch& b) {
  ASSERT_EQ(a.num_rows(), b.num_rows());
  for (size_t row = 0; row < a.num_rows(); ++row) {
    ASSERT_EQ(DebugString(a, row), DebugString(b, row)) << "row " << row;
  }
}

TEST(SerializedBatchTest, BatchesOfEveryKindReadBackAsTheyWere) {
  SchemaPtr schema = EveryKind();
  std::vector<Batch> written;
  Buffer bytes;
  for (uint32_t seed = 1; seed <= 5; ++seed) {
    written.push_back(RandomBatch(schema, seed == 3 ? 0 : 200 * seed, seed));
    AppendSerializedBatch(written.back(), bytes);
  }
  BytesView in = bytes.view();
  for (const Batch& expected : written) {
    CQLBULK_ASSERT_OK_AND_ASSIGN(Batch read, ReadSerializedBatch(in, schema));
    ExpectSameRows(expected, read);
    for (size_t c = 0; c < schema->num_fields(); ++c) {
      EXPECT_EQ(read.column(c).null_count(), expected.column(c).null_count());
    }
  }
  EXPECT_TRUE(in.empty());
}

TEST(SerializedBatchTest, TruncatedBytesAreAnErrorAtEveryLength) {
  SchemaPtr schema = EveryKind();
  Batch batch = RandomBatch(schema, 30, 7);
  Buffer bytes;
  AppendSerializedBatch(batch, bytes);
  for (size_t size = 0; size < bytes.size(); ++size) {
    BytesView in = bytes.view().first(size);
    auto read = ReadSerializedBatch(in, schema);
    ASSERT_FALSE(read.has_value()) << "read a batch from the first " << size << " bytes";
    EXPECT_EQ(read.error().code(), ErrorCode::kCorrupt);
  }
}

TEST(SerializedBatchTest, DamagedBytesAreAnErrorOrABatchNeverACrash) {
  SchemaPtr schema = EveryKind();
  Batch batch = RandomBatch(schema, 20, 9);
  Buffer bytes;
  AppendSerializedBatch(batch, bytes);
  std::mt19937 rng(3);
  int errors = 0;
  for (int trial = 0; trial < 3000; ++trial) {
    Buffer damaged;
    damaged.Append(bytes.view());
    damaged.mutable_data()[rng() % damaged.size()] ^= static_cast<uint8_t>(1 + rng() % 255);
    BytesView in = damaged.view();
    auto read = ReadSerializedBatch(in, schema);
    if (!read.has_value()) {
      ++errors;
      continue;
    }
    for (size_t row = 0; row < read->num_rows(); ++row) (void)DebugString(*read, row);
  }
  EXPECT_GT(errors, 100);  // most damage is seen (a flipped value byte is not)
}

TEST(SerializedBatchTest, ABatchOfAnotherSchemaIsRefused) {
  SchemaPtr schema = EveryKind();
  Batch batch = RandomBatch(schema, 3, 1);
  Buffer bytes;
  AppendSerializedBatch(batch, bytes);
  auto other = std::make_shared<Schema>(Schema{{Field{.name = "key", .type = T::Int32()}}});
  BytesView in = bytes.view();
  auto read = ReadSerializedBatch(in, other);
  ASSERT_FALSE(read.has_value());
  EXPECT_NE(read.error().message().find("21 columns, not 1"), std::string::npos)
      << read.error().message();
}

}  // namespace
}  // namespace cqlbulk::data
