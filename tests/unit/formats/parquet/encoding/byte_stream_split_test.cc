// SPDX-License-Identifier: Apache-2.0
// BYTE_STREAM_SPLIT: the spec's example, round trips of every width, a ragged page.
#include "cqlbulk/formats/parquet/encoding/byte_stream_split.h"

#include <cstdint>
#include <cstring>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "encoding_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsOk;
using testing::DecodeAllFixed;
using testing::EdgeSizes;
using testing::ToBytes;

TEST(ByteStreamSplitTest, SpecExample) {
  const uint8_t values[] = {0xAA, 0xBB, 0xCC, 0xDD, 0x00, 0x11,
                            0x22, 0x33, 0xA3, 0xB4, 0xC5, 0xD6};
  ByteStreamSplitEncoder encoder(4);
  encoder.Put(values, 1);
  encoder.Put(values + 4, 2);
  EXPECT_EQ(encoder.EstimatedBytes(), 12u);
  data::Buffer out;
  encoder.FlushTo(out);
  EXPECT_EQ(ToBytes(out), (Bytes{0xAA, 0x00, 0xA3, 0xBB, 0x11, 0xB4, 0xCC, 0x22, 0xC5, 0xDD, 0x33,
                                 0xD6}));
  ByteStreamSplitDecoder decoder(4);
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  uint8_t decoded[12];
  EXPECT_EQ(decoder.Get(decoded, 2).value_or(0), 2u);
  EXPECT_EQ(decoder.Get(decoded + 8, 2).value_or(0), 1u);
  EXPECT_EQ(std::memcmp(decoded, values, 12), 0);
}

template <typename T>
void RoundTrip(const std::vector<T>& values) {
  ByteStreamSplitEncoder encoder(sizeof(T));
  encoder.Put(values.data(), values.size());
  data::Buffer out;
  encoder.FlushTo(out);
  ASSERT_EQ(out.size(), values.size() * sizeof(T));
  ByteStreamSplitDecoder decoder(sizeof(T));
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  std::vector<T> decoded = DecodeAllFixed<T>(decoder);
  ASSERT_EQ(decoded.size(), values.size());
  EXPECT_TRUE(values.empty() ||
              std::memcmp(decoded.data(), values.data(), values.size() * sizeof(T)) == 0);
}

TEST(ByteStreamSplitTest, RoundTripsEveryType) {
  for (size_t n : EdgeSizes()) {
    SCOPED_TRACE(n);
    std::vector<float> f32;
    std::vector<double> f64;
    std::vector<int32_t> i32;
    std::vector<int64_t> i64;
    for (size_t i = 0; i < n; ++i) {
      f32.push_back(i % 4 == 0 ? -0.0f : static_cast<float>(i) * 1.1f);
      f64.push_back(i % 5 == 0 ? std::numeric_limits<double>::quiet_NaN()
                               : 1.0 / (1.0 + static_cast<double>(i)));
      i32.push_back(static_cast<int32_t>(i * 2654435761u));
      i64.push_back(i % 2 ? std::numeric_limits<int64_t>::min() : static_cast<int64_t>(i));
    }
    RoundTrip(f32);
    RoundTrip(f64);
    RoundTrip(i32);
    RoundTrip(i64);
  }
}

TEST(ByteStreamSplitTest, FixedLenByteArrays) {
  for (int width : {1, 2, 3, 16, 17}) {
    for (size_t n : {size_t{0}, size_t{1}, size_t{9}, size_t{100}}) {
      std::vector<uint8_t> values(n * width);
      for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<uint8_t>(i * 31 + 7);
      ByteStreamSplitEncoder encoder(width);
      encoder.Put(values.data(), n);
      data::Buffer out;
      encoder.FlushTo(out);
      if (n > 1) {
        EXPECT_EQ(out.data()[1], values[static_cast<size_t>(width)]);  // stream 0, value 1
      }
      ByteStreamSplitDecoder decoder(width);
      ASSERT_THAT(decoder.Reset(out.view()), IsOk());
      std::vector<uint8_t> decoded(values.size() + 1);
      EXPECT_EQ(decoder.Get(decoded.data(), n + 1).value_or(99), n);
      decoded.pop_back();
      EXPECT_EQ(decoded, values) << width << " x " << n;
    }
  }
}

TEST(ByteStreamSplitTest, RejectsRaggedStreams) {
  ByteStreamSplitDecoder decoder(8);
  EXPECT_THAT(decoder.Reset(Bytes(12, 0)),
              HasMessage("12 bytes are not streams of values of 8 bytes"));
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
