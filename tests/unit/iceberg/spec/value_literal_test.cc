// SPDX-License-Identifier: Apache-2.0
// spec/value_literal.cc: values of data columns in the mapped Iceberg forms. That they are the
// values of the Parquet file is type_mapping_interop_test.py's check (PyIceberg's to_bytes of
// what pyarrow reads); these are the edges and the errors.
#include "cqlbulk/iceberg/spec/value_literal.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

#include "cqlbulk/data/column_builder.h"
#include "cqlbulk/iceberg/spec/literal.h"
#include "testing/matchers.h"

namespace cqlbulk::iceberg {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::HasValue;
using data::ColumnBuilder;
using data::Field;
using data::LogicalType;

// A column of one value appended by `append`.
template <typename F>
data::Column Column(data::LogicalTypePtr type, F append) {
  ColumnBuilder builder(Field{"c", std::move(type)});
  append(builder);
  return builder.Take();
}

std::string Bytes(std::initializer_list<uint8_t> bytes) {
  return std::string(bytes.begin(), bytes.end());
}

TEST(IcebergValueLiteralTest, WidensAndConvertsUnits) {
  auto i8 = Column(LogicalType::Int8(), [](ColumnBuilder& b) { b.AppendInt8(-5); });
  auto ts = Column(LogicalType::Timestamp(), [](ColumnBuilder& b) { b.AppendTimestamp(-1); });
  auto tm = Column(LogicalType::Time(), [](ColumnBuilder& b) { b.AppendTime(1999); });
  auto null = Column(LogicalType::Int32(), [](ColumnBuilder& b) { b.AppendNull(); });

  EXPECT_THAT(LiteralOfValue(i8, 0, *Type::Int()), HasValue(Literal::Int(-5)));
  EXPECT_THAT(LiteralOfValue(ts, 0, *Type::TimestampTz()), HasValue(Literal::Long(-1000)));
  EXPECT_THAT(LiteralOfValue(tm, 0, *Type::Long()), HasValue(Literal::Long(1999)));
  EXPECT_THAT(LiteralOfValue(tm, 0, *Type::Time()), HasValue(Literal::Long(1)));
  EXPECT_THAT(LiteralOfValue(null, 0, *Type::Int()), HasValue(Literal::Null()));
}

TEST(IcebergValueLiteralTest, DecimalsAsTextOrRoundedHalfEven) {
  // 1.25, 1.35 and -1.25 to one fraction digit: 1.2, 1.4, -1.2 (half to even).
  auto dec = [](int8_t unscaled) {
    return Column(LogicalType::Decimal(), [&](ColumnBuilder& b) {
      uint8_t byte = static_cast<uint8_t>(unscaled);
      b.AppendDecimal(BytesView(&byte, 1), 2);
    });
  };
  EXPECT_THAT(LiteralOfValue(dec(125), 0, *Type::Decimal(9, 1)),
              HasValue(Literal::Bytes(DecimalBytes(12))));
  EXPECT_THAT(LiteralOfValue(dec(-125), 0, *Type::Decimal(9, 1)),
              HasValue(Literal::Bytes(DecimalBytes(-12))));
  EXPECT_THAT(LiteralOfValue(dec(125), 0, *Type::Decimal(9, 4)),
              HasValue(Literal::Bytes(DecimalBytes(12500))));
  EXPECT_THAT(LiteralOfValue(dec(125), 0, *Type::String()), HasValue(Literal::Bytes("1.25")));
  EXPECT_THAT(LiteralOfValue(dec(125), 0, *Type::Decimal(1, 1)),
              HasMessage("the value 1.25 does not fit decimal(1,1)"));
  auto varint = Column(LogicalType::BigInteger(), [](ColumnBuilder& b) {
    std::string big = Bytes({0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                             0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01});
    b.AppendBytes(AsBytes(big));
  });
  EXPECT_THAT(LiteralOfValue(varint, 0, *Type::Decimal(38, 0)),
              HasValue(Literal::Bytes(Bytes({0x01}))));
  EXPECT_THAT(LiteralOfValue(varint, 0, *Type::String()), HasValue(Literal::Bytes("1")));
}

TEST(IcebergValueLiteralTest, RefusesWhatHasNoSuchForm) {
  auto du = Column(LogicalType::Duration(), [](ColumnBuilder& b) { b.AppendDuration(1, 2, 3); });
  auto i32 = Column(LogicalType::Int32(), [](ColumnBuilder& b) { b.AppendInt32(1); });
  auto ts = Column(LogicalType::Timestamp(), [](ColumnBuilder& b) {
    b.AppendTimestamp(std::numeric_limits<int64_t>::max());
  });

  EXPECT_THAT(LiteralOfValue(du, 0, *Type::Long()),
              HasMessage("a value of duration has no long form"));
  EXPECT_THAT(LiteralOfValue(i32, 0, *Type::Long()),
              HasMessage("a value of int32 has no long form"));
  EXPECT_THAT(LiteralOfValue(ts, 0, *Type::TimestampTz()), HasMessage("past what microseconds"));
}

}  // namespace
}  // namespace cqlbulk::iceberg
