// SPDX-License-Identifier: Apache-2.0
// CompactWriter and CompactReader: bytes of the spec (doc/specs/thrift-compact-protocol.md),
// round trips, Skip of every type, and malformed input.
#include "cqlbulk/formats/parquet/format/thrift_compact.h"

#include <cmath>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;

Bytes Write(const std::function<void(CompactWriter&)>& write) {
  data::Buffer buffer;
  CompactWriter writer(buffer);
  write(writer);
  EXPECT_EQ(writer.depth(), 0);
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

ThriftFieldHeader ReadHeader(CompactReader& r) {
  Result<ThriftFieldHeader> header = r.ReadFieldHeader();
  EXPECT_TRUE(header.has_value()) << header.error().ToString();
  return header.value_or(ThriftFieldHeader{});
}

TEST(ThriftCompactTest, VarintOfTheSpecExample) {
  Bytes bytes = Write([](CompactWriter& w) { w.WriteVarint(50399); });

  EXPECT_THAT(bytes, ElementsAre(0xDF, 0x89, 0x03));
  CompactReader r(bytes);
  EXPECT_THAT(r.ReadVarint(), HasValue(50399u));
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, ZigZagIntegers) {
  EXPECT_THAT(Write([](CompactWriter& w) {
                w.WriteI32(0);
                w.WriteI32(-1);
                w.WriteI32(1);
                w.WriteI32(-2);
                w.WriteI16(-64);
                w.WriteI32(std::numeric_limits<int32_t>::min());
              }),
              ElementsAre(0x00, 0x01, 0x02, 0x03, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F));
  EXPECT_THAT(Write([](CompactWriter& w) { w.WriteI64(std::numeric_limits<int64_t>::min()); }),
              ElementsAre(0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01));
}

TEST(ThriftCompactTest, IntegersRoundTrip) {
  const std::vector<int64_t> values = {0,
                                       -1,
                                       63,
                                       -64,
                                       64,
                                       -65,
                                       1'000'000'007,
                                       -9'876'543'210,
                                       std::numeric_limits<int64_t>::max(),
                                       std::numeric_limits<int64_t>::min()};
  Bytes bytes = Write([&](CompactWriter& w) {
    for (int64_t v : values) {
      w.WriteI64(v);
      w.WriteI32(static_cast<int32_t>(v));
      w.WriteI16(static_cast<int16_t>(v));
      w.WriteI8(static_cast<int8_t>(v));
    }
  });

  CompactReader r(bytes);
  for (int64_t v : values) {
    EXPECT_THAT(r.ReadI64(), HasValue(v));
    EXPECT_THAT(r.ReadI32(), HasValue(static_cast<int32_t>(v)));
    EXPECT_THAT(r.ReadI16(), HasValue(static_cast<int16_t>(v)));
    EXPECT_THAT(r.ReadI8(), HasValue(static_cast<int8_t>(v)));
  }
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, FieldIdDeltasShortAndLong) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 7);     // delta 1: 0x15
    w.WriteI32Field(16, 7);    // delta 15, the largest short form: 0xF5
    w.WriteI32Field(32, 7);    // delta 16: long form 0x05, zigzag(32) = 64
    w.WriteI32Field(3, 7);     // backwards: long form, zigzag(3) = 6
    w.WriteI32Field(4, 7);     // delta 1 from 3
    w.WriteI32Field(-2, 7);    // negative ids take the long form: zigzag(-2) = 3
    w.WriteI32Field(1000, 7);  // a long jump: zigzag(1000) = 2000 = 0xD0 0x0F
    w.EndStruct();
  });

  EXPECT_THAT(bytes, ElementsAre(0x15, 0x0E, 0xF5, 0x0E, 0x05, 0x40, 0x0E, 0x05, 0x06, 0x0E, 0x15,
                                 0x0E, 0x05, 0x03, 0x0E, 0x05, 0xD0, 0x0F, 0x0E, 0x00));
  CompactReader r(bytes);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  for (int16_t id : std::initializer_list<int16_t>{1, 16, 32, 3, 4, -2, 1000}) {
    ThriftFieldHeader header = ReadHeader(r);
    EXPECT_EQ(header.id, id);
    EXPECT_EQ(header.type, ThriftType::kI32);
    EXPECT_THAT(r.ReadI32(), HasValue(7));
  }
  EXPECT_EQ(ReadHeader(r).type, ThriftType::kStop);
  r.EndStruct();
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, BoolFieldsLiveInTheTypeNibble) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.WriteBoolField(2, false);
    w.WriteBoolField(20, true);
    w.EndStruct();
  });

  EXPECT_THAT(bytes, ElementsAre(0x11, 0x12, 0x01, 0x28, 0x00));
  CompactReader r(bytes);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  ThriftFieldHeader first = ReadHeader(r);
  ThriftFieldHeader second = ReadHeader(r);
  ThriftFieldHeader third = ReadHeader(r);
  EXPECT_TRUE(first.is_bool() && first.bool_value());
  EXPECT_TRUE(second.is_bool() && !second.bool_value());
  EXPECT_TRUE(third.is_bool() && third.bool_value());
  EXPECT_EQ(third.id, 20);
}

TEST(ThriftCompactTest, NestedStructsKeepTheirOwnFieldIds) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteI32Field(1, 1);
    w.BeginStructField(2);
    w.WriteI32Field(1, 2);  // ids restart inside the nested struct
    w.WriteI32Field(20, 3);
    w.EndStruct();
    w.WriteI32Field(3, 4);  // delta 1 from the outer struct's 2
    w.EndStruct();
  });

  EXPECT_THAT(bytes, ElementsAre(0x15, 0x02, 0x1C, 0x15, 0x04, 0x05, 0x28, 0x06, 0x00, 0x15, 0x08,
                                 0x00));
  CompactReader r(bytes);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  EXPECT_EQ(ReadHeader(r).id, 1);
  ASSERT_THAT(r.ReadI32(), HasValue(1));
  ThriftFieldHeader nested = ReadHeader(r);
  EXPECT_EQ(nested.type, ThriftType::kStruct);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  EXPECT_EQ(r.depth(), 2);
  EXPECT_EQ(ReadHeader(r).id, 1);
  ASSERT_THAT(r.ReadI32(), HasValue(2));
  EXPECT_EQ(ReadHeader(r).id, 20);
  ASSERT_THAT(r.ReadI32(), HasValue(3));
  EXPECT_EQ(ReadHeader(r).type, ThriftType::kStop);
  r.EndStruct();
  ThriftFieldHeader after = ReadHeader(r);
  EXPECT_EQ(after.id, 3);
  EXPECT_THAT(r.ReadI32(), HasValue(4));
}

TEST(ThriftCompactTest, ListHeadersShortAndLongForm) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.WriteListHeader(ThriftType::kI32, 14);
    for (int i = 0; i < 14; ++i) w.WriteI32(i);
    w.WriteListHeader(ThriftType::kI32, 15);
    for (int i = 0; i < 15; ++i) w.WriteI32(-i);
    w.WriteSetHeader(ThriftType::kBinary, 300);
    for (int i = 0; i < 300; ++i) w.WriteString("x");
  });

  EXPECT_EQ(bytes[0], 0xE5);
  EXPECT_THAT(std::vector<uint8_t>(bytes.begin() + 15, bytes.begin() + 17), ElementsAre(0xF5, 0x0F));
  CompactReader r(bytes);
  Result<ThriftListHeader> first = r.ReadListHeader();
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ(first->size, 14u);
  EXPECT_EQ(first->element_type, ThriftType::kI32);
  for (int i = 0; i < 14; ++i) ASSERT_THAT(r.ReadI32(), HasValue(i));
  Result<ThriftListHeader> second = r.ReadListHeader();
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(second->size, 15u);
  for (int i = 0; i < 15; ++i) ASSERT_THAT(r.ReadI32(), HasValue(-i));
  Result<ThriftListHeader> third = r.ReadListHeader();
  ASSERT_THAT(third, IsOk());
  EXPECT_EQ(third->size, 300u);
  EXPECT_EQ(third->element_type, ThriftType::kBinary);
  for (int i = 0; i < 300; ++i) ASSERT_THAT(r.ReadString(), HasValue(std::string_view("x")));
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, BoolElementsAreOneByteEach) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.WriteListHeader(ThriftType::kBool, 2);
    w.WriteBool(true);
    w.WriteBool(false);
  });

  EXPECT_THAT(bytes, ElementsAre(0x22, 0x01, 0x02));
  // Element type 1 (what the Java and C++ libraries write) is a bool too; 0 is false.
  Bytes java = {0x31, 0x01, 0x00, 0x02};
  CompactReader r(java);
  Result<ThriftListHeader> list = r.ReadListHeader();
  ASSERT_THAT(list, IsOk());
  EXPECT_EQ(list->element_type, ThriftType::kBool);
  EXPECT_THAT(r.ReadBool(), HasValue(true));
  EXPECT_THAT(r.ReadBool(), HasValue(false));
  EXPECT_THAT(r.ReadBool(), HasValue(false));
  Bytes bad = {0x03};
  CompactReader bad_reader(bad);
  EXPECT_THAT(bad_reader.ReadBool(), HasMessage("invalid bool 3 at byte 0"));
}

TEST(ThriftCompactTest, DoublesAreLittleEndian) {
  Bytes bytes = Write([](CompactWriter& w) {
    w.WriteDouble(1.0);
    w.WriteDouble(-0.0);
    w.WriteDouble(std::numeric_limits<double>::quiet_NaN());
    w.WriteDouble(-1e300);
  });

  EXPECT_THAT(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 8),
              ElementsAre(0, 0, 0, 0, 0, 0, 0xF0, 0x3F));
  CompactReader r(bytes);
  EXPECT_THAT(r.ReadDouble(), HasValue(1.0));
  Result<double> negative_zero = r.ReadDouble();
  ASSERT_THAT(negative_zero, IsOk());
  EXPECT_TRUE(std::signbit(*negative_zero));
  Result<double> nan = r.ReadDouble();
  ASSERT_THAT(nan, IsOk());
  EXPECT_TRUE(std::isnan(*nan));
  EXPECT_THAT(r.ReadDouble(), HasValue(-1e300));
}

TEST(ThriftCompactTest, BinaryMapAndUuidRoundTrip) {
  const std::string long_text(200, 'q');
  const std::array<uint8_t, 16> uuid = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  Bytes bytes = Write([&](CompactWriter& w) {
    w.WriteString("");
    w.WriteString(long_text);
    w.WriteMapHeader(ThriftType::kI32, ThriftType::kBinary, 0);
    w.WriteMapHeader(ThriftType::kBinary, ThriftType::kI64, 2);
    w.WriteString("a");
    w.WriteI64(-1);
    w.WriteString("b");
    w.WriteI64(1);
    w.WriteUuid(uuid);
  });

  CompactReader r(bytes);
  EXPECT_THAT(r.ReadString(), HasValue(std::string_view()));
  EXPECT_THAT(r.ReadString(), HasValue(std::string_view(long_text)));
  Result<ThriftMapHeader> empty = r.ReadMapHeader();
  ASSERT_THAT(empty, IsOk());
  EXPECT_EQ(empty->size, 0u);
  Result<ThriftMapHeader> map = r.ReadMapHeader();
  ASSERT_THAT(map, IsOk());
  EXPECT_EQ(map->size, 2u);
  EXPECT_EQ(map->key_type, ThriftType::kBinary);
  EXPECT_EQ(map->value_type, ThriftType::kI64);
  EXPECT_THAT(r.ReadString(), HasValue(std::string_view("a")));
  EXPECT_THAT(r.ReadI64(), HasValue(-1));
  EXPECT_THAT(r.ReadString(), HasValue(std::string_view("b")));
  EXPECT_THAT(r.ReadI64(), HasValue(1));
  EXPECT_THAT(r.ReadUuid(), HasValue(uuid));
  EXPECT_EQ(r.remaining(), 0u);
}

// A struct holding a field of every type, then field 100 (i32 42): skipping all but the last
// must land exactly on it.
Bytes EveryType() {
  return Write([](CompactWriter& w) {
    w.BeginStruct();
    w.WriteBoolField(1, true);
    w.WriteBoolField(2, false);
    w.WriteI8Field(3, -5);
    w.WriteI16Field(4, -300);
    w.WriteI32Field(5, 1 << 30);
    w.WriteI64Field(6, -(int64_t{1} << 60));
    w.WriteDoubleField(7, 2.5);
    w.WriteStringField(8, "binary");
    w.BeginListField(9, ThriftType::kI64, 20);
    for (int i = 0; i < 20; ++i) w.WriteI64(i * 1000);
    w.BeginSetField(10, ThriftType::kBool, 3);
    w.WriteBool(true);
    w.WriteBool(false);
    w.WriteBool(true);
    w.BeginMapField(11, ThriftType::kBinary, ThriftType::kStruct, 2);
    for (std::string_view key : {"k1", "k2"}) {
      w.WriteString(key);
      w.BeginStruct();
      w.BeginListField(1, ThriftType::kList, 2);  // a list of lists of doubles
      w.WriteListHeader(ThriftType::kDouble, 1);
      w.WriteDouble(1.5);
      w.WriteListHeader(ThriftType::kDouble, 0);
      w.EndStruct();
    }
    w.BeginStructField(12);
    w.BeginStructField(1);
    w.WriteFieldHeader(ThriftType::kUuid, 2);
    w.WriteUuid({});
    w.EndStruct();
    w.EndStruct();
    w.WriteFieldHeader(ThriftType::kUuid, 13);
    w.WriteUuid({});
    w.BeginMapField(14, ThriftType::kI32, ThriftType::kI32, 0);
    w.WriteI32Field(100, 42);
    w.EndStruct();
  });
}

TEST(ThriftCompactTest, SkipsEveryType) {
  Bytes bytes = EveryType();

  CompactReader r(bytes);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  std::vector<int16_t> skipped;
  for (;;) {
    ThriftFieldHeader header = ReadHeader(r);
    if (header.type == ThriftType::kStop || header.id == 100) {
      ASSERT_EQ(header.id, 100);
      break;
    }
    skipped.push_back(header.id);
    ASSERT_THAT(r.Skip(header.type), IsOk()) << "field " << header.id;
  }
  EXPECT_THAT(skipped, ElementsAreArray({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14}));
  EXPECT_THAT(r.ReadI32(), HasValue(42));
  EXPECT_EQ(ReadHeader(r).type, ThriftType::kStop);
  EXPECT_EQ(r.remaining(), 0u);
}

TEST(ThriftCompactTest, SkipsAWholeStruct) {
  Bytes bytes = EveryType();
  bytes.push_back(0x77);

  CompactReader r(bytes);
  ASSERT_THAT(r.Skip(ThriftType::kStruct), IsOk());
  EXPECT_EQ(r.remaining(), 1u);
  EXPECT_EQ(r.depth(), 0);
}

TEST(ThriftCompactTest, EveryTruncationIsAnError) {
  Bytes bytes = EveryType();

  for (size_t size = 0; size < bytes.size(); ++size) {
    CompactReader r(BytesView(bytes.data(), size));
    EXPECT_THAT(r.Skip(ThriftType::kStruct), IsError(ErrorCode::kCorrupt)) << size;
  }
}

// --- malformed input ---------------------------------------------------------------------

TEST(ThriftCompactTest, TruncatedVarint) {
  Bytes bytes = {0x15, 0x80, 0x80};
  CompactReader r(bytes);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  ASSERT_EQ(ReadHeader(r).type, ThriftType::kI32);

  EXPECT_THAT(r.ReadI32(), HasMessage("thrift: truncated varint at byte 1"));
}

TEST(ThriftCompactTest, VarintOfMoreThanTenBytes) {
  Bytes eleven(10, 0x80);
  eleven.push_back(0x01);
  Bytes overflow(9, 0xFF);
  overflow.push_back(0x02);  // a 10th byte with more than bit 63

  EXPECT_THAT(CompactReader(eleven).ReadI64(), HasMessage("varint overflows 64 bits at byte 0"));
  EXPECT_THAT(CompactReader(overflow).ReadI64(), HasMessage("varint overflows 64 bits at byte 0"));
}

TEST(ThriftCompactTest, VarintTooWideForItsType) {
  Bytes i32 = {0x80, 0x80, 0x80, 0x80, 0x10};  // 2^32
  Bytes i16 = {0x80, 0x80, 0x04};              // 2^16

  EXPECT_THAT(CompactReader(i32).ReadI32(), HasMessage("i32 varint out of range at byte 0"));
  EXPECT_THAT(CompactReader(i16).ReadI16(), HasMessage("i16 varint out of range at byte 0"));
}

TEST(ThriftCompactTest, LengthPastTheEnd) {
  Bytes binary = {0x00, 0x05, 'a', 'b'};
  Bytes list = {0xF5, 0x90, 0x4E, 0x01, 0x02};  // 10000 i32s in 2 bytes
  Bytes doubles = {0x37, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};  // 3 doubles, room for 2
  Bytes map = {0x05, 0x55, 0x01, 0x02};  // 5 i32 -> i32 entries in 2 bytes

  CompactReader binary_reader(binary);
  ASSERT_THAT(binary_reader.ReadI8(), IsOk());
  EXPECT_THAT(binary_reader.ReadBinary(),
              HasMessage("binary of 5 bytes runs past the end (2 left) at byte 1"));
  EXPECT_THAT(CompactReader(list).ReadListHeader(),
              HasMessage("list of 10000 i32 elements runs past the end (2 bytes left) at byte 0"));
  EXPECT_THAT(CompactReader(doubles).ReadListHeader(), IsError(ErrorCode::kCorrupt));
  EXPECT_THAT(CompactReader(map).ReadMapHeader(), HasMessage("map of 5 entries runs past the end"));
  EXPECT_THAT(CompactReader(Bytes{1, 2}).ReadUuid(), HasMessage("uuid of 16 bytes runs past"));
}

TEST(ThriftCompactTest, SizeAboveInt32Max) {
  Bytes list = {0xF5, 0x80, 0x80, 0x80, 0x80, 0x08};  // 2^31

  EXPECT_THAT(CompactReader(list).ReadListHeader(), HasMessage("list size 2147483648 past 2^31-1"));
}

TEST(ThriftCompactTest, NestingDeeperThanTheLimit) {
  Bytes deep;
  for (int i = 0; i < 100; ++i) deep.push_back(0x1C);  // field 1, a struct, inside each
  deep.insert(deep.end(), 101, 0x00);
  Bytes lists;  // list<list<list<...>>>
  for (int i = 0; i < 100; ++i) lists.push_back(0x19);
  lists.push_back(0x05);
  lists.push_back(0x00);

  EXPECT_THAT(CompactReader(deep).Skip(ThriftType::kStruct),
              HasMessage("nesting deeper than 64 at byte 64"));
  EXPECT_THAT(CompactReader(deep, 3).Skip(ThriftType::kStruct),
              HasMessage("nesting deeper than 3 at byte 3"));
  EXPECT_THAT(CompactReader(lists).Skip(ThriftType::kList), HasMessage("nesting deeper than 64"));
  Bytes shallow = {0x1C, 0x1C, 0x00, 0x00, 0x00};
  EXPECT_THAT(CompactReader(shallow, 3).Skip(ThriftType::kStruct), IsOk());
}

TEST(ThriftCompactTest, UnknownTypeCodes) {
  Bytes field_type_14 = {0x1E, 0x00};
  Bytes field_type_0 = {0x10};  // a delta with type 0 is not the stop field
  Bytes element_type_15 = {0x2F, 0x00, 0x00};
  Bytes element_type_0 = {0x20, 0x00, 0x00};
  Bytes map_types = {0x01, 0xE5};

  CompactReader r14(field_type_14);
  ASSERT_THAT(r14.BeginStruct(), IsOk());
  EXPECT_THAT(r14.ReadFieldHeader(), HasMessage("invalid field type 14 at byte 0"));
  CompactReader r0(field_type_0);
  ASSERT_THAT(r0.BeginStruct(), IsOk());
  EXPECT_THAT(r0.ReadFieldHeader(), HasMessage("invalid field type 0 at byte 0"));
  EXPECT_THAT(CompactReader(element_type_15).ReadListHeader(),
              HasMessage("invalid element type 15 at byte 0"));
  EXPECT_THAT(CompactReader(element_type_0).Skip(ThriftType::kList),
              HasMessage("invalid element type 0"));
  EXPECT_THAT(CompactReader(map_types).ReadMapHeader(), HasMessage("invalid element type 14"));
  EXPECT_THAT(CompactReader(Bytes{0}).Skip(ThriftType::kStop), IsError(ErrorCode::kCorrupt));
}

TEST(ThriftCompactTest, FieldIdPastInt16) {
  Bytes bytes = {0x05, 0xFE, 0xFF, 0x03, 0x00, 0x15};  // id 32767 (long form), then delta 1

  CompactReader r(bytes);
  ASSERT_THAT(r.BeginStruct(), IsOk());
  EXPECT_EQ(ReadHeader(r).id, 32767);
  ASSERT_THAT(r.ReadI32(), IsOk());
  EXPECT_THAT(r.ReadFieldHeader(), HasMessage("field id past 32767 at byte 5"));
}

TEST(ThriftCompactTest, StructWithoutStop) {
  Bytes bytes = {0x15, 0x02};

  EXPECT_THAT(CompactReader(bytes).Skip(ThriftType::kStruct),
              HasMessage("truncated struct (no stop field) at byte 2"));
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
