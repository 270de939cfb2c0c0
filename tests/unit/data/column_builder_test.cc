// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/column_builder.h"

#include <cmath>
#include <cstring>
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/data/batch_builder.h"
#include "cqlbulk/data/debug_string.h"
#include "testing/matchers.h"

namespace cqlbulk::data {
namespace {

using T = LogicalType;

// One nullable column "c" of `type`; `append` fills it; returns the finished batch.
Batch BuildColumn(LogicalTypePtr type, const std::function<void(ColumnBuilder&)>& append) {
  auto schema = std::make_shared<Schema>(Schema{{Field{.name = "c", .type = std::move(type)}}});
  BatchBuilder builder(schema, 4);
  append(builder.column(0));
  Result<Batch> batch = builder.Finish();
  EXPECT_TRUE(batch.has_value()) << batch.error().ToString();
  return std::move(batch).value();
}

// Appends null, a, null, b, null: nulls at the start, in the middle and at the end.
template <typename Append>
Batch BuildWithNulls(LogicalTypePtr type, Append append_a, Append append_b) {
  return BuildColumn(std::move(type), [&](ColumnBuilder& c) {
    c.AppendNull();
    append_a(c);
    c.AppendNull();
    append_b(c);
    c.AppendNull();
  });
}

void ExpectNullPattern(const Column& c) {
  ASSERT_EQ(c.num_rows(), 5u);
  EXPECT_EQ(c.null_count(), 3u);
  EXPECT_TRUE(c.IsNull(0));
  EXPECT_FALSE(c.IsNull(1));
  EXPECT_TRUE(c.IsNull(2));
  EXPECT_FALSE(c.IsNull(3));
  EXPECT_TRUE(c.IsNull(4));
}

using Fn = std::function<void(ColumnBuilder&)>;

TEST(ColumnBuilderTest, BooleanRoundTrips) {
  Batch b = BuildWithNulls<Fn>(
      T::Boolean(), [](auto& c) { c.AppendBoolean(true); },
      [](auto& c) { c.AppendBoolean(false); });
  const Column& c = b.column(0);
  ExpectNullPattern(c);
  EXPECT_TRUE(c.Boolean(1));
  EXPECT_FALSE(c.Boolean(3));
}

// AppendFixedWidth gives the batch a loop of AppendInt64 and AppendNull gives, wherever the runs
// start and end against the validity bitmap's bytes, with and without a bitmap.
TEST(ColumnBuilderTest, AppendFixedWidthMatchesOneByOne) {
  uint64_t state = 7;
  auto next = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 33;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<int64_t> values;
    std::vector<std::pair<bool, size_t>> runs;  // (null, length)
    size_t steps = 1 + next() % 8;
    for (size_t i = 0; i < steps; ++i) {
      bool null = round % 3 != 0 && next() % 3 == 0;
      runs.emplace_back(null, next() % 21);
    }
    for (size_t i = 0; i < 200; ++i) values.push_back(static_cast<int64_t>(next()) - (1 << 30));
    auto fill = [&](ColumnBuilder& c, bool bulk) {
      size_t v = 0;
      for (auto [null, n] : runs) {
        if (null) {
          for (size_t k = 0; k < n; ++k) c.AppendNull();
        } else if (bulk) {
          c.AppendFixedWidth(reinterpret_cast<const uint8_t*>(values.data() + v), n);
          v += n;
        } else {
          for (size_t k = 0; k < n; ++k) c.AppendInt64(values[v++]);
        }
      }
    };
    Batch one = BuildColumn(T::Int64(), [&](ColumnBuilder& c) { fill(c, false); });
    Batch bulk = BuildColumn(T::Int64(), [&](ColumnBuilder& c) { fill(c, true); });
    ASSERT_EQ(bulk.num_rows(), one.num_rows());
    ASSERT_EQ(bulk.column(0).null_count(), one.column(0).null_count());
    for (size_t row = 0; row < one.num_rows(); ++row) {
      ASSERT_EQ(DebugString(bulk, row), DebugString(one, row)) << "round " << round;
    }
  }
}

// AppendBytesSlots, filled as its contract says, gives the batch a loop of AppendBytes and
// AppendNull gives: strings and binaries, empty values, runs against the bitmap's bytes.
TEST(ColumnBuilderTest, AppendBytesSlotsMatchesOneByOne) {
  uint64_t state = 11;
  auto next = [&state] {
    state = state * 6364136223846793005u + 1442695040888963407u;
    return state >> 33;
  };
  for (int round = 0; round < 200; ++round) {
    std::vector<std::string> values;
    std::vector<std::pair<bool, size_t>> runs;  // (null, length)
    size_t steps = 1 + next() % 8;
    for (size_t i = 0; i < steps; ++i) {
      bool null = round % 3 != 0 && next() % 3 == 0;
      runs.emplace_back(null, next() % 21);
    }
    for (size_t i = 0; i < 200; ++i) {
      std::string v(next() % 4 == 0 ? 0 : next() % 40, 'x');
      for (char& c : v) c = static_cast<char>(next());
      values.push_back(v);
    }
    auto fill = [&](ColumnBuilder& c, bool bulk) {
      size_t v = 0;
      for (auto [null, n] : runs) {
        if (null) {
          for (size_t k = 0; k < n; ++k) c.AppendNull();
        } else if (bulk) {
          size_t total = 0;
          for (size_t k = 0; k < n; ++k) total += values[v + k].size();
          int32_t* ends;
          int64_t end;
          uint8_t* bytes = c.AppendBytesSlots(n, total, ends, end);
          for (size_t k = 0; k < n; ++k, ++v) {
            std::memcpy(bytes, values[v].data(), values[v].size());
            bytes += values[v].size();
            end += static_cast<int64_t>(values[v].size());
            ends[k] = static_cast<int32_t>(end);
          }
        } else {
          for (size_t k = 0; k < n; ++k) c.AppendString(values[v++]);
        }
      }
    };
    for (const auto& type : {T::String(), T::Binary()}) {
      Batch one = BuildColumn(type, [&](ColumnBuilder& c) { fill(c, false); });
      Batch bulk = BuildColumn(type, [&](ColumnBuilder& c) { fill(c, true); });
      ASSERT_EQ(bulk.num_rows(), one.num_rows());
      ASSERT_EQ(bulk.column(0).null_count(), one.column(0).null_count());
      ASSERT_EQ(bulk.column(0).offsets().size(), one.column(0).offsets().size());
      for (size_t row = 0; row < one.num_rows(); ++row) {
        ASSERT_EQ(DebugString(bulk, row), DebugString(one, row)) << "round " << round;
        ASSERT_EQ(bulk.column(0).offsets()[row + 1], one.column(0).offsets()[row + 1]);
      }
    }
  }
}

TEST(ColumnBuilderTest, IntegersRoundTrip) {
  Batch b8 = BuildWithNulls<Fn>(
      T::Int8(), [](auto& c) { c.AppendInt8(-128); }, [](auto& c) { c.AppendInt8(127); });
  ExpectNullPattern(b8.column(0));
  EXPECT_EQ(b8.column(0).Int8(1), -128);
  EXPECT_EQ(b8.column(0).Int8(3), 127);
  Batch b16 = BuildWithNulls<Fn>(
      T::Int16(), [](auto& c) { c.AppendInt16(-32768); }, [](auto& c) { c.AppendInt16(7); });
  ExpectNullPattern(b16.column(0));
  EXPECT_EQ(b16.column(0).Int16(1), -32768);
  EXPECT_EQ(b16.column(0).Int16(3), 7);
  Batch b32 = BuildWithNulls<Fn>(
      T::Int32(), [](auto& c) { c.AppendInt32(INT32_MIN); }, [](auto& c) { c.AppendInt32(42); });
  ExpectNullPattern(b32.column(0));
  EXPECT_EQ(b32.column(0).Int32(1), INT32_MIN);
  EXPECT_EQ(b32.column(0).Int32(3), 42);
  Batch b64 = BuildWithNulls<Fn>(
      T::Counter(), [](auto& c) { c.AppendInt64(INT64_MIN); },
      [](auto& c) { c.AppendInt64(INT64_MAX); });
  ExpectNullPattern(b64.column(0));
  EXPECT_EQ(b64.column(0).Int64(1), INT64_MIN);
  EXPECT_EQ(b64.column(0).Int64(3), INT64_MAX);
}

TEST(ColumnBuilderTest, FloatsRoundTripBitForBit) {
  Batch f = BuildWithNulls<Fn>(
      T::Float32(), [](auto& c) { c.AppendFloat32(-0.0f); },
      [](auto& c) { c.AppendFloat32(1.5f); });
  ExpectNullPattern(f.column(0));
  EXPECT_TRUE(std::signbit(f.column(0).Float32(1)));
  EXPECT_EQ(f.column(0).Float32(3), 1.5f);
  Batch d = BuildWithNulls<Fn>(
      T::Float64(), [](auto& c) { c.AppendFloat64(1e300); },
      [](auto& c) { c.AppendFloat64(std::numeric_limits<double>::quiet_NaN()); });
  ExpectNullPattern(d.column(0));
  EXPECT_EQ(d.column(0).Float64(1), 1e300);
  EXPECT_TRUE(std::isnan(d.column(0).Float64(3)));
}

TEST(ColumnBuilderTest, TemporalKindsRoundTrip) {
  Batch date = BuildWithNulls<Fn>(
      T::Date(), [](auto& c) { c.AppendDate(INT32_MIN); }, [](auto& c) { c.AppendDate(19782); });
  ExpectNullPattern(date.column(0));
  EXPECT_EQ(date.column(0).Date(1), INT32_MIN);
  EXPECT_EQ(DebugString(date.column(0), 3), "2024-02-29");
  Batch time = BuildWithNulls<Fn>(
      T::Time(), [](auto& c) { c.AppendTime(0); },
      [](auto& c) { c.AppendTime(86'399'999'999'999); });
  ExpectNullPattern(time.column(0));
  EXPECT_EQ(time.column(0).Time(3), 86'399'999'999'999);
  Batch ts = BuildWithNulls<Fn>(
      T::Timestamp(), [](auto& c) { c.AppendTimestamp(-1); },
      [](auto& c) { c.AppendTimestamp(1'709'214'307'123); });
  ExpectNullPattern(ts.column(0));
  EXPECT_EQ(ts.column(0).Timestamp(1), -1);
  EXPECT_EQ(DebugString(ts.column(0), 3), "2024-02-29T13:45:07.123Z");
  Batch dur = BuildWithNulls<Fn>(
      T::Duration(), [](auto& c) { c.AppendDuration(-1, -2, -3); },
      [](auto& c) { c.AppendDuration(14, 3, 1'000'000'000); });
  ExpectNullPattern(dur.column(0));
  EXPECT_EQ(dur.column(0).Duration(1), (DurationValue{-1, -2, -3}));
  EXPECT_EQ(dur.column(0).Duration(3), (DurationValue{14, 3, 1'000'000'000}));
  EXPECT_EQ(DebugString(dur.column(0), 3), "14mo3d1000000000ns");
}

TEST(ColumnBuilderTest, UuidsRoundTrip) {
  Uuid a = Uuid::Parse("00000000-0000-1000-8000-000000000001").value();
  Uuid b = Uuid::Parse("ffffffff-ffff-4fff-bfff-ffffffffffff").value();

  Batch batch = BuildWithNulls<Fn>(
      T::TimeUuid(), [&](auto& c) { c.AppendUuid(a); },
      [&](auto& c) { c.AppendUuid(b.bytes.data()); });

  const Column& c = batch.column(0);
  ExpectNullPattern(c);
  EXPECT_EQ(c.Uuid(1), a);
  EXPECT_EQ(c.Uuid(3), b);
  EXPECT_EQ(c.UuidBytes(3).size(), 16u);
  EXPECT_EQ(DebugString(c, 1), "00000000-0000-1000-8000-000000000001");
}

TEST(ColumnBuilderTest, EmptyStringsAreNotNulls) {
  Batch batch = BuildColumn(T::String(), [](ColumnBuilder& c) {
    c.AppendString("");
    c.AppendNull();
    c.AppendString("héllo");
    c.AppendString("");
    c.AppendNull();
  });

  const Column& c = batch.column(0);
  ASSERT_EQ(c.num_rows(), 5u);
  EXPECT_FALSE(c.IsNull(0));
  EXPECT_EQ(c.String(0), "");
  EXPECT_TRUE(c.IsNull(1));
  EXPECT_EQ(c.String(1), "");  // a null's slot is an empty range
  EXPECT_EQ(c.String(2), "héllo");
  EXPECT_FALSE(c.IsNull(3));
  EXPECT_TRUE(c.IsNull(4));
  EXPECT_EQ(c.offsets().size(), 6u);
  EXPECT_EQ(DebugString(batch, 2), "('héllo')");
}

TEST(ColumnBuilderTest, VariableWidthKindsRoundTrip) {
  Bytes blob = {0x00, 0xff, 0x10};
  Batch bin = BuildWithNulls<Fn>(
      T::Binary(), [&](auto& c) { c.AppendBytes(blob); }, [](auto& c) { c.AppendBytes({}); });
  ExpectNullPattern(bin.column(0));
  EXPECT_EQ(Bytes(bin.column(0).Bytes(1).begin(), bin.column(0).Bytes(1).end()), blob);
  EXPECT_TRUE(bin.column(0).Bytes(3).empty());
  EXPECT_EQ(DebugString(bin.column(0), 1), "0x00ff10");

  Bytes minus_two = {0xfe};
  Bytes big(20, 0x7f);
  Batch varint = BuildWithNulls<Fn>(
      T::BigInteger(), [&](auto& c) { c.AppendBytes(minus_two); },
      [&](auto& c) { c.AppendBytes(big); });
  ExpectNullPattern(varint.column(0));
  EXPECT_EQ(DebugString(varint.column(0), 1), "-2");
  EXPECT_EQ(varint.column(0).Bytes(3).size(), 20u);

  Bytes v4 = {127, 0, 0, 1};
  Bytes v6(16, 0);
  v6[15] = 1;
  Batch inet = BuildWithNulls<Fn>(
      T::Inet(), [&](auto& c) { c.AppendBytes(v4); }, [&](auto& c) { c.AppendBytes(v6); });
  ExpectNullPattern(inet.column(0));
  EXPECT_EQ(DebugString(inet.column(0), 1), "127.0.0.1");
  EXPECT_EQ(DebugString(inet.column(0), 3), "0:0:0:0:0:0:0:1");

  Batch ascii = BuildWithNulls<Fn>(
      T::Ascii(), [](auto& c) { c.AppendString("a"); }, [](auto& c) { c.AppendString("bc"); });
  ExpectNullPattern(ascii.column(0));
  EXPECT_EQ(ascii.column(0).String(3), "bc");
}

TEST(ColumnBuilderTest, DecimalsKeepAScalePerValue) {
  Bytes unscaled = {0x30, 0x39};  // 12345
  Bytes negative = {0x85};        // -123

  Batch batch = BuildWithNulls<Fn>(
      T::Decimal(), [&](auto& c) { c.AppendDecimal(unscaled, 2); },
      [&](auto& c) { c.AppendDecimal(negative, -3); });

  const Column& c = batch.column(0);
  ExpectNullPattern(c);
  EXPECT_EQ(c.DecimalScale(1), 2);
  EXPECT_EQ(c.DecimalScale(3), -3);
  EXPECT_EQ(c.DecimalUnscaled(1).size(), 2u);
  EXPECT_EQ(c.scales().size(), 5u);
  EXPECT_EQ(DebugString(c, 1), "12345E-2");
  EXPECT_EQ(DebugString(c, 3), "-123E3");
}

TEST(ColumnBuilderTest, ValidityBitmapStartsAtTheFirstNull) {
  Batch no_nulls = BuildColumn(T::Int32(), [](ColumnBuilder& c) {
    for (int i = 0; i < 20; ++i) c.AppendInt32(i);
  });
  EXPECT_EQ(no_nulls.column(0).validity_bitmap(), nullptr);

  // Past a byte boundary: the bits of the 11 earlier rows are set when the bitmap starts.
  Batch late_null = BuildColumn(T::Int32(), [](ColumnBuilder& c) {
    for (int i = 0; i < 11; ++i) c.AppendInt32(i);
    c.AppendNull();
    for (int i = 0; i < 9; ++i) c.AppendInt32(i);
  });
  const Column& c = late_null.column(0);
  ASSERT_NE(c.validity_bitmap(), nullptr);
  for (size_t i = 0; i < c.num_rows(); ++i) {
    EXPECT_EQ(c.IsNull(i), i == 11) << i;
  }
  EXPECT_EQ(c.Int32(20), 8);
}

}  // namespace
}  // namespace cqlbulk::data
