// SPDX-License-Identifier: Apache-2.0
// PLAIN: the bytes of every physical type, round trips, malformed values.
#include "cqlbulk/formats/parquet/encoding/plain.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "encoding_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using testing::DecodeAllFixed;
using testing::DecodeAllStrings;
using testing::EdgeSizes;
using testing::MakeByteArrays;
using testing::ToBytes;

template <typename T>
Bytes EncodeFixed(const std::vector<T>& values) {
  PlainFixedEncoder encoder(sizeof(T));
  encoder.Put(values.data(), values.size());
  EXPECT_EQ(encoder.EstimatedBytes(), values.size() * sizeof(T));
  data::Buffer out;
  encoder.FlushTo(out);
  return ToBytes(out);
}

TEST(PlainTest, FixedWidthBytesAreLittleEndian) {
  EXPECT_EQ(EncodeFixed<int32_t>({1, -2}), (Bytes{1, 0, 0, 0, 0xFE, 0xFF, 0xFF, 0xFF}));
  EXPECT_EQ(EncodeFixed<int64_t>({0x0102030405060708}), (Bytes{8, 7, 6, 5, 4, 3, 2, 1}));
  EXPECT_EQ(EncodeFixed<float>({1.0f}), (Bytes{0, 0, 0x80, 0x3F}));
  EXPECT_EQ(EncodeFixed<double>({-0.0}), (Bytes{0, 0, 0, 0, 0, 0, 0, 0x80}));
}

template <typename T>
void RoundTrip(const std::vector<T>& values) {
  Bytes encoded = EncodeFixed(values);
  PlainFixedDecoder decoder(sizeof(T));
  ASSERT_TRUE(decoder.Reset(encoded).has_value());
  EXPECT_EQ(decoder.values_left(), values.size());
  std::vector<T> decoded = DecodeAllFixed<T>(decoder);
  ASSERT_EQ(decoded.size(), values.size());
  EXPECT_TRUE(values.empty() ||
              std::memcmp(decoded.data(), values.data(), values.size() * sizeof(T)) == 0);
}

TEST(PlainTest, FixedWidthRoundTrips) {
  for (size_t n : EdgeSizes()) {
    SCOPED_TRACE(n);
    std::vector<int32_t> i32;
    std::vector<int64_t> i64;
    std::vector<float> f32;
    std::vector<double> f64;
    for (size_t i = 0; i < n; ++i) {
      i32.push_back(i % 2 ? std::numeric_limits<int32_t>::min() : static_cast<int32_t>(i * 7919));
      i64.push_back(i % 2 ? std::numeric_limits<int64_t>::max() : -static_cast<int64_t>(i));
      f32.push_back(i % 3 ? std::numeric_limits<float>::quiet_NaN() : static_cast<float>(i) / 3);
      f64.push_back(i % 3 ? -0.0 : static_cast<double>(i) * 1e300);
    }
    RoundTrip(i32);
    RoundTrip(i64);
    RoundTrip(f32);
    RoundTrip(f64);
  }
}

TEST(PlainTest, FixedLenByteArrayAndInt96) {
  PlainFixedEncoder encoder(3);
  const uint8_t values[] = {1, 2, 3, 4, 5, 6};
  encoder.Put(values, 2);
  data::Buffer out;
  encoder.FlushTo(out);
  EXPECT_EQ(ToBytes(out), (Bytes{1, 2, 3, 4, 5, 6}));

  // INT96: 8 bytes of nanoseconds in the day, then 4 of Julian day, little-endian.
  Bytes int96 = {0x00, 0x36, 0xC3, 0x94, 0xB2, 0x00, 0x00, 0x00,  // 767,000,000,000 ns
                 0x8C, 0x3D, 0x25, 0x00};                          // day 2,440,588
  PlainFixedDecoder decoder(12);
  ASSERT_TRUE(decoder.Reset(int96).has_value());
  uint8_t decoded[12];
  EXPECT_EQ(decoder.Get(decoded, 5).value_or(0), 1u);
  EXPECT_EQ(Bytes(decoded, decoded + 12), int96);
  int64_t nanos;
  int32_t day;
  std::memcpy(&nanos, decoded, 8);
  std::memcpy(&day, decoded + 8, 4);
  EXPECT_EQ(nanos, 767000000000);
  EXPECT_EQ(day, 2440588);
}

TEST(PlainTest, RejectsATruncatedValue) {
  PlainFixedDecoder decoder(8);
  Bytes data(20, 1);  // decoders borrow their bytes
  ASSERT_TRUE(decoder.Reset(data).has_value());
  int64_t out[4];
  EXPECT_EQ(decoder.Get(out, 2).value_or(0), 2u);  // whole values first
  EXPECT_THAT(decoder.Get(out, 1), HasMessage("the data ends inside a value of 8 bytes"));
  EXPECT_THAT(decoder.Get(out, 1), IsError(ErrorCode::kCorrupt));
}

TEST(PlainTest, BooleansAreBitsLsbFirst) {
  PlainBooleanEncoder encoder;
  std::vector<uint8_t> values = {1, 0, 1, 1, 0, 0, 0, 0, 1, 1};
  encoder.Put(values.data(), 3);  // bits continue across Puts
  encoder.Put(values.data() + 3, values.size() - 3);
  EXPECT_EQ(encoder.EstimatedBytes(), 2u);
  data::Buffer out;
  encoder.FlushTo(out);
  EXPECT_EQ(ToBytes(out), (Bytes{0x0D, 0x03}));

  PlainBooleanDecoder decoder;
  ASSERT_TRUE(decoder.Reset(out.view()).has_value());
  std::vector<uint8_t> decoded = DecodeAllFixed<uint8_t>(decoder, values.size());
  EXPECT_EQ(decoded, values);
  // The padding bits of the last byte decode too: the page's count says where to stop.
  uint8_t rest[10];
  EXPECT_EQ(decoder.Get(rest, 10).value_or(0), 6u);
}

TEST(PlainTest, BooleansRoundTrip) {
  for (size_t n : EdgeSizes()) {
    std::vector<uint8_t> values(n);
    for (size_t i = 0; i < n; ++i) values[i] = (i * 2654435761u >> 7) & 1;
    PlainBooleanEncoder encoder;
    size_t put = 0;
    for (size_t step = 1; put < n; ++step) {
      size_t k = std::min(n - put, step * 3);
      encoder.Put(values.data() + put, k);
      put += k;
    }
    data::Buffer out;
    encoder.FlushTo(out);
    ASSERT_EQ(out.size(), (n + 7) / 8);
    PlainBooleanDecoder decoder;
    ASSERT_TRUE(decoder.Reset(out.view()).has_value());
    EXPECT_EQ(DecodeAllFixed<uint8_t>(decoder, n), values) << n;
  }
}

TEST(PlainTest, ByteArrayBytes) {
  ByteArrays values = MakeByteArrays({"ab", "", "xyz"});
  PlainByteArrayEncoder encoder;
  encoder.Put(values.view());
  EXPECT_EQ(encoder.EstimatedBytes(), 17u);
  data::Buffer out;
  encoder.FlushTo(out);
  EXPECT_EQ(ToBytes(out),
            (Bytes{2, 0, 0, 0, 'a', 'b', 0, 0, 0, 0, 3, 0, 0, 0, 'x', 'y', 'z'}));
}

TEST(PlainTest, ByteArraySlicesAndRoundTrips) {
  std::vector<std::string> strings = {"", "a", std::string(100000, 'q'), "", "hello", "\0\1"};
  ByteArrays all = MakeByteArrays(strings);
  // A slice of a column: offsets need not start at 0.
  ByteArraysView slice = all.view();
  slice.offsets += 2;
  slice.size = 3;
  PlainByteArrayEncoder encoder;
  encoder.Put(slice);
  encoder.Put(all.view());
  data::Buffer out;
  encoder.FlushTo(out);

  PlainByteArrayDecoder decoder;
  ASSERT_TRUE(decoder.Reset(out.view()).has_value());
  std::vector<std::string> expected = {strings[2], strings[3], strings[4]};
  expected.insert(expected.end(), strings.begin(), strings.end());
  EXPECT_EQ(DecodeAllStrings(decoder), expected);
}

TEST(PlainTest, ByteArrayRejectsBadLengths) {
  PlainByteArrayDecoder decoder;
  ByteArrays out;
  Bytes truncated = {1, 0, 0, 0, 'a', 2, 0};
  ASSERT_TRUE(decoder.Reset(truncated).has_value());
  EXPECT_EQ(decoder.Get(out, 1).value_or(0), 1u);
  EXPECT_THAT(decoder.Get(out, 1), HasMessage("truncated length at byte 5"));

  Bytes negative = {0xFF, 0xFF, 0xFF, 0xFF, 'a'};
  ASSERT_TRUE(decoder.Reset(negative).has_value());
  EXPECT_THAT(decoder.Get(out, 1), HasMessage("length -1 at byte 0 is negative"));

  Bytes past = {0, 0, 0, 0, 6, 0, 0, 0, 'a', 'b'};
  ASSERT_TRUE(decoder.Reset(past).has_value());
  EXPECT_THAT(decoder.Get(out, 5),
              HasMessage("length 6 at byte 4 passes the end of the data (10 bytes)"));
  // What was appended before the errors is whole: "a" then "".
  EXPECT_EQ(out.size(), 2u);
  EXPECT_EQ(out.str(0), "a");
  EXPECT_EQ(out.str(1), "");
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
