// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/data_type.h"

#include "testing/matchers.h"
#include "testing/testdata.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::Hex;
using ::cqlbulk::testing::IsError;

TEST(DataTypeTest, DecodesEveryResultTypeOptionInGoldenValues) {
  auto golden = testing::LoadTestdataJson("cql_values.json");
  int checked = 0;

  for (const auto& t : golden["types"]) {
    Bytes option = Hex(t["result_type_option_hex"]);
    ByteReader r(option, ErrorCode::kProtocol);
    CQLBULK_ASSERT_OK_AND_ASSIGN(DataTypePtr type, ReadOption(r));
    EXPECT_TRUE(r.empty()) << t["cql_type"];
    ByteWriter w;

    WriteOption(w, *type, 4);

    EXPECT_EQ(ToHex(w.view()), t["result_type_option_hex"].get<std::string>()) << t["cql_type"];
    ++checked;
  }
  EXPECT_GE(checked, 35);
}

TEST(DataTypeTest, MapsDurationToItsOwnIdInV5AndCustomInV4) {
  auto duration = DataType::Native(TypeId::kDuration);
  ByteWriter v4, v5;

  WriteOption(v4, *duration, 4);
  WriteOption(v5, *duration, 5);

  EXPECT_EQ(ToHex(v5.view()), "0015");
  ByteReader r(v4.view());
  CQLBULK_ASSERT_OK_AND_ASSIGN(DataTypePtr back, ReadOption(r));
  EXPECT_EQ(back->id, TypeId::kDuration);
}

TEST(DataTypeTest, ParsesVectorCustomType) {
  ByteWriter w;
  auto vec = DataType::Vector(DataType::Native(TypeId::kFloat), 3);
  WriteOption(w, *vec, 5);
  ByteReader r(w.view());

  CQLBULK_ASSERT_OK_AND_ASSIGN(DataTypePtr back, ReadOption(r));

  EXPECT_EQ(back->id, TypeId::kVector);
  EXPECT_EQ(back->dimension, 3u);
  EXPECT_EQ(back->ToCql(), "vector<float, 3>");
}

TEST(DataTypeTest, PrintsCqlSpelling) {
  auto t = DataType::Map(DataType::Native(TypeId::kVarchar),
                         DataType::List(DataType::Native(TypeId::kInt), /*frozen=*/true));

  EXPECT_EQ(t->ToCql(), "map<text, frozen<list<int>>>");
}

TEST(DataTypeTest, RejectsUnknownIdsAndTruncation) {
  Bytes unknown = {0x00, 0x77};
  Bytes truncated = {0x00, 0x21, 0x00, 0x0d};
  ByteReader r1(unknown, ErrorCode::kProtocol);
  ByteReader r2(truncated, ErrorCode::kProtocol);

  EXPECT_THAT(ReadOption(r1), IsError(ErrorCode::kProtocol));
  EXPECT_THAT(ReadOption(r2), IsError(ErrorCode::kProtocol));
}

TEST(DataTypeTest, KnowsFixedSizesIncludingVectorsOfFixedSizeElements) {
  EXPECT_EQ(DataType::Native(TypeId::kInt)->fixed_size(), 4);
  EXPECT_EQ(DataType::Native(TypeId::kCounter)->fixed_size(), 8);
  EXPECT_EQ(DataType::Native(TypeId::kVarchar)->fixed_size(), 0);
  EXPECT_EQ(DataType::Vector(DataType::Native(TypeId::kFloat), 3)->fixed_size(), 12);
  EXPECT_EQ(DataType::Vector(DataType::Native(TypeId::kDecimal), 3)->fixed_size(), 0);
  EXPECT_EQ(DataType::Vector(DataType::Native(TypeId::kUuid), 4'000'000'000u)->fixed_size(),
            INT32_MAX);
}

TEST(DataTypeTest, FindsNativeTypesByCqlNameAndMarshalClass) {
  EXPECT_EQ(NativeTypeByName("VarChar")->id, TypeId::kVarchar);
  EXPECT_EQ(NativeTypeByName("timeuuid")->id, TypeId::kTimeuuid);
  EXPECT_EQ(NativeTypeByName("list"), nullptr);
  auto list = ParseJavaClassName(
      "org.apache.cassandra.db.marshal.ListType(org.apache.cassandra.db.marshal.Int32Type)");
  ASSERT_NE(list, nullptr);
  EXPECT_EQ(list->ToCql(), "list<int>");
  EXPECT_EQ(ParseJavaClassName("com.example.Unknown"), nullptr);
}

}  // namespace
}  // namespace cqlbulk::cql
