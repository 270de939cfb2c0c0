// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/batch_builder.h"

#include <memory>
#include <string>
#include <type_traits>

#include <gtest/gtest.h>

#include "cqlbulk/data/buffer.h"
#include "cqlbulk/data/debug_string.h"
#include "testing/matchers.h"

namespace cqlbulk::data {
namespace {

using T = LogicalType;
using ::cqlbulk::testing::HasMessage;
using ::cqlbulk::testing::IsError;

static_assert(!std::is_copy_constructible_v<Batch>);
static_assert(std::is_nothrow_move_constructible_v<Batch>);
static_assert(!std::is_copy_constructible_v<Column>);

SchemaPtr IdNameSchema() {
  return std::make_shared<Schema>(
      Schema{{Field{.name = "id", .type = T::Int64(), .nullable = false},
              Field{.name = "name", .type = T::String()}}});
}

TEST(BatchBuilderTest, FinishBuildsABatchOfTheSchema) {
  BatchBuilder builder(IdNameSchema(), 8);
  builder.column(0).AppendInt64(1);
  builder.column(1).AppendString("a");
  builder.column(0).AppendInt64(2);
  builder.column(1).AppendNull();

  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  EXPECT_EQ(batch.num_rows(), 2u);
  EXPECT_EQ(batch.num_columns(), 2u);
  EXPECT_EQ(batch.schema(), *IdNameSchema());
  ASSERT_NE(batch.ColumnByName("name"), nullptr);
  EXPECT_EQ(batch.ColumnByName("name")->String(0), "a");
  EXPECT_EQ(batch.ColumnByName("nope"), nullptr);
  EXPECT_EQ(DebugString(batch, 1), "(2, null)");
  EXPECT_EQ(builder.num_rows(), 0u);
}

TEST(BatchBuilderTest, FinishRejectsColumnsOfDifferentLengths) {
  BatchBuilder builder(IdNameSchema(), 8);
  builder.column(0).AppendInt64(1);
  builder.column(0).AppendInt64(2);
  builder.column(1).AppendString("a");

  Result<Batch> batch = builder.Finish();

  EXPECT_THAT(batch, IsError(ErrorCode::kInvalidArgument));
  EXPECT_THAT(batch, HasMessage("column 'name' has 1 rows, column 'id' 2"));
  EXPECT_EQ(builder.num_rows(), 2u);  // kept for the caller to inspect or Reset
}

TEST(BatchBuilderTest, FinishNamesTheNonNullableFieldThatGotANull) {
  BatchBuilder builder(IdNameSchema(), 8);
  builder.column(0).AppendNull();
  builder.column(1).AppendString("a");

  EXPECT_THAT(builder.Finish(), HasMessage("field 'id' is not nullable but got 1 null(s)"));
}

TEST(BatchBuilderTest, FinishNamesNestedFieldsByPath) {
  auto udt = T::Struct({Field{.name = "street", .type = T::String(), .nullable = false},
                        Field{.name = "zip", .type = T::Int32()}},
                       "address");
  auto schema = std::make_shared<Schema>(Schema{{Field{.name = "home", .type = udt}}});
  BatchBuilder builder(schema, 8);
  ColumnBuilder& home = builder.column(0);
  home.child(0).AppendNull();
  home.child(1).AppendInt32(1);
  home.AppendStructValid();

  EXPECT_THAT(builder.Finish(), HasMessage("field 'home.street' is not nullable"));
}

TEST(BatchBuilderTest, FinishRejectsAStructWhoseChildrenDoNotLineUp) {
  auto schema = std::make_shared<Schema>(
      Schema{{Field{.name = "t", .type = T::Tuple({T::Int32(), T::Int32()})}}});
  BatchBuilder builder(schema, 8);
  ColumnBuilder& t = builder.column(0);
  t.child(0).AppendInt32(1);
  t.AppendStructValid();

  EXPECT_THAT(builder.Finish(), HasMessage("struct field 't': field '_2' has 0 values for 1 rows"));
}

TEST(BatchBuilderTest, FinishRejectsElementsAfterTheLastEndList) {
  auto schema = std::make_shared<Schema>(Schema{{Field{.name = "l", .type = T::List(T::Int32())}}});
  BatchBuilder builder(schema, 8);
  ColumnBuilder& l = builder.column(0);
  l.BeginList();
  l.EndList();
  l.child().AppendInt32(1);

  EXPECT_THAT(builder.Finish(), HasMessage("field 'l': 1 element(s) appended after"));
}

TEST(BatchBuilderTest, ResetDropsRowsAndKeepsCapacity) {
  BatchBuilder builder(IdNameSchema(), 4);
  for (int i = 0; i < 1000; ++i) {
    builder.column(0).AppendInt64(i);
    builder.column(1).AppendString("some text");
  }
  size_t capacity = builder.capacity_bytes();
  ASSERT_GT(builder.size_bytes(), 1000u * 17);

  builder.Reset();

  EXPECT_EQ(builder.num_rows(), 0u);
  EXPECT_EQ(builder.capacity_bytes(), capacity);
  builder.column(0).AppendInt64(5);
  builder.column(1).AppendString("x");
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());
  EXPECT_EQ(batch.num_rows(), 1u);
  EXPECT_EQ(DebugString(batch, 0), "(5, 'x')");
  EXPECT_EQ(batch.size_bytes(), 8u + 8u + 1u);  // value, two offsets, one byte
}

TEST(BatchBuilderTest, FinishLeavesBuffersOfTheSameCapacity) {
  BatchBuilder builder(IdNameSchema(), 4);
  for (int i = 0; i < 1000; ++i) {
    builder.column(0).AppendInt64(i);
    builder.column(1).AppendNull();
  }
  size_t capacity = builder.capacity_bytes();

  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch first, builder.Finish());

  EXPECT_EQ(builder.capacity_bytes(), capacity);
  builder.column(0).AppendInt64(1);
  builder.column(1).AppendString("a");
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch second, builder.Finish());
  EXPECT_EQ(first.column(1).null_count(), 1000u);
  EXPECT_EQ(second.column(1).null_count(), 0u);
  EXPECT_EQ(second.column(1).validity_bitmap(), nullptr);
  EXPECT_EQ(first.column(0).Int64(999), 999);
}

TEST(BatchBuilderTest, BuffersGrowGeometrically) {
  Buffer buffer;
  int growths = 0;
  size_t capacity = 0;

  for (int64_t i = 0; i < 1'000'000; ++i) {
    buffer.Append(i);
    if (buffer.capacity() != capacity) {
      ++growths;
      capacity = buffer.capacity();
    }
  }

  EXPECT_LE(growths, 20);  // 64 bytes doubling to 8 MB
  EXPECT_LT(buffer.capacity(), 2 * buffer.size());
  EXPECT_EQ(buffer.Load<int64_t>(999'999), 999'999);
}

TEST(BatchBuilderTest, MillionRowsUseLessThanTwiceTheBytesTheyNeed) {
  BatchBuilder builder(IdNameSchema(), 0);
  const std::string text = "twenty bytes of text";

  for (int64_t i = 0; i < 1'000'000; ++i) {
    builder.column(0).AppendInt64(i);
    builder.column(1).AppendString(text);
  }

  size_t needed = 1'000'000 * (8 + 4 + text.size()) + 4;
  EXPECT_EQ(builder.size_bytes(), needed);
  EXPECT_LT(builder.capacity_bytes(), 2 * needed);
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());
  EXPECT_EQ(batch.column(1).String(777'777), text);
  EXPECT_EQ(batch.column(0).Int64(777'777), 777'777);
}

}  // namespace
}  // namespace cqlbulk::data
