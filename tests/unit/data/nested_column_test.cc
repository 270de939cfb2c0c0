// SPDX-License-Identifier: Apache-2.0
#include <memory>
#include <string>

#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "testing/matchers.h"

namespace cqlbulk::data {
namespace {

using T = LogicalType;

SchemaPtr OneColumn(LogicalTypePtr type) {
  return std::make_shared<Schema>(Schema{{Field{.name = "c", .type = std::move(type)}}});
}

// CQL: list<frozen<map<text, frozen<point>>>> with point = (x int, label text).
LogicalTypePtr PointType() {
  return T::Struct(
      {Field{.name = "x", .type = T::Int32()}, Field{.name = "label", .type = T::String()}},
      "point");
}

void AppendPoint(ColumnBuilder& point, int32_t x, const char* label) {
  point.child(0).AppendInt32(x);
  if (label == nullptr) {
    point.child(1).AppendNull();
  } else {
    point.child(1).AppendString(label);
  }
  point.AppendStructValid();
}

TEST(NestedColumnTest, ListOfMapsOfStructsRoundTrips) {
  BatchBuilder builder(OneColumn(T::List(T::Map(T::String(), PointType()))), 2);
  ColumnBuilder& list = builder.column(0);
  ColumnBuilder& map = list.child();

  // Row 0: [{'a': {x: 1, label: 'one'}, 'b': {x: 2, label: null}}, {}]
  list.BeginList();
  map.BeginList();
  map.map_keys().AppendString("a");
  AppendPoint(map.map_values(), 1, "one");
  map.map_keys().AppendString("b");
  AppendPoint(map.map_values(), 2, nullptr);
  map.EndList();
  map.BeginList();
  map.EndList();
  list.EndList();
  // Row 1: null. Row 2: [] . Row 3: [{'c': null}]
  list.AppendNull();
  list.BeginList();
  list.EndList();
  list.BeginList();
  map.BeginList();
  map.map_keys().AppendString("c");
  map.map_values().AppendNull();
  map.EndList();
  list.EndList();
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  const Column& c = batch.column(0);
  ASSERT_EQ(c.num_rows(), 4u);
  EXPECT_EQ(c.ElementRange(0), (std::pair<size_t, size_t>{0, 2}));
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_EQ(c.ElementRange(1), (std::pair<size_t, size_t>{2, 2}));
  EXPECT_FALSE(c.IsNull(2));
  EXPECT_EQ(c.ElementRange(2), (std::pair<size_t, size_t>{2, 2}));
  const Column& maps = c.child();
  ASSERT_EQ(maps.num_rows(), 3u);
  EXPECT_EQ(maps.ElementRange(0), (std::pair<size_t, size_t>{0, 2}));
  EXPECT_EQ(maps.map_keys().String(1), "b");
  EXPECT_EQ(maps.map_values().child(0).Int32(1), 2);
  EXPECT_TRUE(maps.map_values().child(1).IsNull(1));
  EXPECT_TRUE(maps.map_values().IsNull(2));
  EXPECT_EQ(maps.child().num_rows(), 3u);  // the entries struct
  EXPECT_EQ(DebugString(c, 0), "[{'a': {x: 1, label: 'one'}, 'b': {x: 2, label: null}}, {}]");
  EXPECT_EQ(DebugString(c, 1), "null");
  EXPECT_EQ(DebugString(c, 2), "[]");
  EXPECT_EQ(DebugString(c, 3), "[{'c': null}]");
}

TEST(NestedColumnTest, StructWithNullableFieldsAndNullRows) {
  BatchBuilder builder(OneColumn(T::Tuple({T::Int64(), T::String(), T::Boolean()})), 2);
  ColumnBuilder& tuple = builder.column(0);

  tuple.child(0).AppendInt64(7);
  tuple.child(1).AppendNull();
  tuple.child(2).AppendBoolean(true);
  tuple.AppendStructValid();
  tuple.AppendNull();  // fills the children with defaults
  tuple.child(0).AppendNull();
  tuple.child(1).AppendString("x");
  tuple.child(2).AppendNull();
  tuple.AppendStructValid();
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  const Column& c = batch.column(0);
  ASSERT_EQ(c.num_rows(), 3u);
  EXPECT_EQ(c.num_children(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(c.child(i).num_rows(), 3u);
  }
  EXPECT_EQ(DebugString(c, 0), "{_1: 7, _2: null, _3: true}");
  EXPECT_EQ(DebugString(c, 1), "null");
  EXPECT_FALSE(c.child(0).IsNull(1));  // a null struct's children hold valid defaults
  EXPECT_EQ(DebugString(c, 2), "{_1: null, _2: 'x', _3: null}");
}

TEST(NestedColumnTest, SetAndVectorRoundTrip) {
  auto schema =
      std::make_shared<Schema>(Schema{{Field{.name = "s", .type = T::Set(T::Int32())},
                                       Field{.name = "v", .type = T::Vector(T::Float32(), 3)}}});
  BatchBuilder builder(schema, 2);
  ColumnBuilder& set = builder.column(0);
  ColumnBuilder& vec = builder.column(1);

  set.BeginList();
  set.child().AppendInt32(1);
  set.child().AppendInt32(2);
  set.EndList();
  vec.BeginList();
  for (float f : {0.5f, 1.5f, 2.5f}) vec.child().AppendFloat32(f);
  vec.EndList();
  set.AppendNull();
  vec.AppendNull();
  set.BeginList();
  set.EndList();
  vec.BeginList();
  for (float f : {3.0f, 4.0f, 5.0f}) vec.child().AppendFloat32(f);
  vec.EndList();
  CQLBULK_ASSERT_OK_AND_ASSIGN(Batch batch, builder.Finish());

  EXPECT_EQ(DebugString(batch, 0), "({1, 2}, [0.5, 1.5, 2.5])");
  EXPECT_EQ(DebugString(batch, 1), "(null, null)");
  EXPECT_EQ(DebugString(batch, 2), "({}, [3, 4, 5])");
  const Column& v = batch.column(1);
  EXPECT_EQ(v.child().num_rows(), 9u);  // a null vector keeps its 3 slots
  EXPECT_EQ(v.ElementRange(2), (std::pair<size_t, size_t>{6, 9}));
  EXPECT_EQ(v.child().Float32(7), 4.0f);
}

TEST(NestedColumnTest, VectorOfTheWrongSizeFailsFinish) {
  BatchBuilder builder(OneColumn(T::Vector(T::Float32(), 2)), 2);
  ColumnBuilder& vec = builder.column(0);

  vec.BeginList();
  vec.child().AppendFloat32(1);
  vec.EndList();

  EXPECT_THAT(builder.Finish(), testing::HasMessage("field 'c': a vector value does not have 2"));
}

}  // namespace
}  // namespace cqlbulk::data
