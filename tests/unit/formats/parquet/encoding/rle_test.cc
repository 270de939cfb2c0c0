// SPDX-License-Identifier: Apache-2.0
// RLE / bit-packed hybrid: the spec's bytes, round trips at every bit width, malformed runs.
#include "cqlbulk/formats/parquet/encoding/rle.h"

#include <cstdint>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "encoding_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using testing::DecodeAllFixed;
using testing::EdgeSizes;
using testing::ToBytes;

Bytes Encode(int bit_width, const std::vector<uint32_t>& values) {
  RleBitPackedEncoder encoder(bit_width);
  encoder.Put(values.data(), values.size());
  data::Buffer out;
  encoder.FlushTo(out);
  return ToBytes(out);
}

std::vector<uint32_t> Decode(BytesView data, int bit_width, size_t limit = SIZE_MAX) {
  RleBitPackedDecoder decoder;
  EXPECT_TRUE(decoder.Reset(data, bit_width).has_value());
  return DecodeAllFixed<uint32_t>(decoder, limit);
}

Status DecodeStatus(Bytes data, int bit_width) {
  RleBitPackedDecoder decoder;
  CQLBULK_RETURN_IF_ERROR(decoder.Reset(data, bit_width));
  uint32_t out[64];
  for (;;) {
    CQLBULK_ASSIGN_OR_RETURN(size_t got, decoder.Get(out, 64));
    if (got == 0) {
      return OkStatus();
    }
  }
}

TEST(RleTest, BitWidth) {
  EXPECT_EQ(BitWidth(0), 0);
  EXPECT_EQ(BitWidth(1), 1);
  EXPECT_EQ(BitWidth(2), 2);
  EXPECT_EQ(BitWidth(3), 2);
  EXPECT_EQ(BitWidth(4), 3);
  EXPECT_EQ(BitWidth(255), 8);
  EXPECT_EQ(BitWidth(256), 9);
  EXPECT_EQ(BitWidth(UINT32_MAX), 32);
}

// Encodings.md RLE note 1: 0..7 at width 3 pack as 10001000 11000110 11111010.
TEST(RleTest, SpecBitPackingExample) {
  std::vector<uint32_t> values = {0, 1, 2, 3, 4, 5, 6, 7};

  Bytes encoded = Encode(3, values);

  EXPECT_EQ(encoded, (Bytes{0x03, 0x88, 0xC6, 0xFA}));  // header: 1 group, bit-packed
  EXPECT_EQ(Decode(encoded, 3), values);
}

TEST(RleTest, RunsOfEightOrMoreBecomeRleRuns) {
  // 10 fours at width 3: header 10 << 1, then the value in one byte.
  EXPECT_EQ(Encode(3, std::vector<uint32_t>(10, 4)), (Bytes{0x14, 0x04}));
  // Width 9 takes two bytes of value, little-endian.
  EXPECT_EQ(Encode(9, std::vector<uint32_t>(8, 0x1AB)), (Bytes{0x10, 0xAB, 0x01}));
  // Width 0: the value takes no byte.
  EXPECT_EQ(Encode(0, std::vector<uint32_t>(300, 0)), (Bytes{0xD8, 0x04}));
  // A run then two literals, padded to a group of 8 with zeros.
  EXPECT_EQ(Encode(2, {1, 1, 1, 1, 1, 1, 1, 1, 2, 3}), (Bytes{0x10, 0x01, 0x03, 0x0E, 0x00}));
  // A run that starts inside a group: its first values fill the group, the rest is a run.
  std::vector<uint32_t> values = {5};
  values.insert(values.end(), 20, 7);
  EXPECT_EQ(Encode(3, values), (Bytes{0x03, 0xFD, 0xFF, 0xFF, 0x1A, 0x07}));
  EXPECT_EQ(Decode(Encode(3, values), 3, values.size()), values);
}

TEST(RleTest, PutRepeatedIsOneRunAndSplitsPastTheSpecLimit) {
  RleBitPackedEncoder encoder(1);
  encoder.PutRepeated(1, 1000);
  encoder.PutRepeated(1, 24);
  data::Buffer out;
  encoder.FlushTo(out);
  EXPECT_EQ(ToBytes(out), (Bytes{0x80, 0x10, 0x01}));  // 1024 << 1 = 2048

  // 2^31 + 4 values: a run of 2^31 - 1 then one of 5.
  encoder.PutRepeated(1, (uint64_t{1} << 31) + 4);
  EXPECT_EQ(encoder.num_values(), (uint64_t{1} << 31) + 4);
  out.Clear();
  encoder.FlushTo(out);
  EXPECT_EQ(ToBytes(out), (Bytes{0xFE, 0xFF, 0xFF, 0xFF, 0x0F, 0x01, 0x0A, 0x01}));
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Reset(out.view(), 1).has_value());
  std::vector<uint32_t> head(16);
  EXPECT_EQ(decoder.Get(head.data(), head.size()).value_or(0), 16u);
  EXPECT_EQ(head, std::vector<uint32_t>(16, 1));
}

TEST(RleTest, LengthPrefixedForm) {
  RleBitPackedEncoder encoder(1);
  std::vector<int16_t> levels = {1, 1, 0, 1, 0, 0, 1, 1, 1};
  encoder.Put(levels.data(), levels.size());
  data::Buffer out;
  out.Append<uint8_t>(0xEE);  // appends after what is there
  encoder.FlushWithLengthTo(out);

  Bytes bytes = ToBytes(out);
  ASSERT_EQ(bytes.size(), 1u + 4 + 3);
  EXPECT_EQ(Bytes(bytes.begin(), bytes.begin() + 5), (Bytes{0xEE, 3, 0, 0, 0}));
  CQLBULK_ASSERT_OK_AND_ASSIGN(BytesView runs, SplitLengthPrefixed(BytesView(bytes).subspan(1)));
  EXPECT_EQ(runs.size(), 3u);
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Reset(runs, 1).has_value());
  std::vector<int16_t> decoded(levels.size());
  EXPECT_EQ(decoder.Get(decoded.data(), decoded.size()).value_or(0), levels.size());
  EXPECT_EQ(decoded, levels);
}

TEST(RleTest, SplitLengthPrefixedRejectsBadLengths) {
  EXPECT_THAT(SplitLengthPrefixed(Bytes{1, 0, 0}), HasMessage("truncated 4-byte length"));
  EXPECT_THAT(SplitLengthPrefixed(Bytes{5, 0, 0, 0, 1, 2}),
              HasMessage("length 5 passes the end of the data (2 bytes after the length)"));
  EXPECT_THAT(SplitLengthPrefixed(Bytes{0xFF, 0xFF, 0xFF, 0xFF}), IsError(ErrorCode::kCorrupt));
  EXPECT_EQ(SplitLengthPrefixed(Bytes{0, 0, 0, 0}).value().size(), 0u);
}

// Values of one shape at one width: random, runs of random length, all equal, alternating.
std::vector<uint32_t> MakeValues(int bit_width, size_t n, int shape, std::mt19937_64& rng) {
  uint64_t limit = bit_width == 0 ? 1 : (uint64_t{1} << bit_width);
  std::vector<uint32_t> values;
  values.reserve(n);
  while (values.size() < n) {
    auto v = static_cast<uint32_t>(rng() % limit);
    size_t repeat = shape == 0 ? 1 : shape == 1 ? 1 + rng() % 40 : shape == 2 ? n : 1;
    if (shape == 3) {
      v = values.size() % 2 == 0 ? 0 : static_cast<uint32_t>(limit - 1);
    }
    for (size_t i = 0; i < repeat && values.size() < n; ++i) {
      values.push_back(v);
    }
  }
  return values;
}

TEST(RleTest, RoundTripsEveryBitWidthAndSize) {
  std::mt19937_64 rng(42);
  std::vector<size_t> sizes = EdgeSizes();
  sizes.push_back(5000);
  for (int width = 0; width <= 32; ++width) {
    for (size_t n : sizes) {
      for (int shape = 0; shape < 4; ++shape) {
        SCOPED_TRACE("width " + std::to_string(width) + ", " + std::to_string(n) +
                     " values, shape " + std::to_string(shape));
        std::vector<uint32_t> values = MakeValues(width, n, shape, rng);
        Bytes encoded = Encode(width, values);
        std::vector<uint32_t> decoded = Decode(encoded, width, n);
        ASSERT_EQ(decoded, values);
      }
    }
  }
}

TEST(RleTest, PutRepeatedWritesTheBytesOfPuttingEachLevel) {
  // The writer puts the definition levels of a page without nulls as one PutRepeated: the
  // same bytes as the levels put one by one (and after other levels too).
  std::mt19937_64 rng(13);
  for (int round = 0; round < 300; ++round) {
    int width = 1 + static_cast<int>(rng() % 4);
    auto max_level = static_cast<int16_t>((1 << width) - 1);
    std::vector<int16_t> before(rng() % 3 == 0 ? rng() % 40 : 0);
    for (int16_t& l : before) l = static_cast<int16_t>(rng() % (max_level + 1));
    uint64_t count = rng() % 2 == 0 ? rng() % 20 : rng() % 100000;
    std::vector<int16_t> levels = before;
    levels.insert(levels.end(), count, max_level);
    RleBitPackedEncoder one_by_one(width);
    one_by_one.Put(levels.data(), levels.size());
    RleBitPackedEncoder repeated(width);
    repeated.Put(before.data(), before.size());
    repeated.PutRepeated(static_cast<uint32_t>(max_level), count);
    data::Buffer a, b;
    one_by_one.FlushWithLengthTo(a);
    repeated.FlushWithLengthTo(b);
    ASSERT_EQ(ToBytes(a), ToBytes(b)) << "round " << round << ", width " << width << ", count "
                                      << count << ", before " << before.size();
  }
}

TEST(RleTest, MixedPutsRoundTrip) {
  std::mt19937_64 rng(7);
  for (int width : {1, 2, 3, 4, 5, 8, 13, 16, 17, 24, 31, 32}) {
    SCOPED_TRACE("width " + std::to_string(width));
    uint32_t mask = width == 32 ? UINT32_MAX : (uint32_t{1} << width) - 1;
    RleBitPackedEncoder encoder(width);
    std::vector<uint32_t> expected;
    for (int step = 0; step < 400; ++step) {
      auto v = static_cast<uint32_t>(rng()) & mask;
      switch (rng() % 3) {
        case 0: {
          encoder.Put(v);
          expected.push_back(v);
          break;
        }
        case 1: {
          uint64_t count = rng() % 20;
          encoder.PutRepeated(v, count);
          expected.insert(expected.end(), count, v);
          break;
        }
        default: {
          std::vector<uint32_t> batch(rng() % 70);
          for (uint32_t& b : batch) b = rng() % 3 == 0 ? v : static_cast<uint32_t>(rng()) & mask;
          encoder.Put(batch.data(), batch.size());
          expected.insert(expected.end(), batch.begin(), batch.end());
        }
      }
    }
    EXPECT_EQ(encoder.num_values(), expected.size());
    size_t estimate = encoder.EstimatedBytes();
    data::Buffer out;
    encoder.FlushTo(out);
    EXPECT_LE(out.size(), estimate + 16);
    EXPECT_EQ(Decode(out.view(), width, expected.size()), expected);
    // The encoder starts over after a flush.
    EXPECT_EQ(encoder.num_values(), 0u);
    encoder.Put(1 & mask);
    out.Clear();
    encoder.FlushTo(out);
    EXPECT_EQ(Decode(out.view(), width, 1), std::vector<uint32_t>{1 & mask});
  }
}

TEST(RleTest, DecodesIntoLevelsAndBooleans) {
  std::vector<uint32_t> values = {0, 1, 2, 3, 3, 3, 3, 3, 3, 3, 3, 3, 2, 1};
  Bytes encoded = Encode(2, values);
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Reset(encoded, 2).has_value());
  std::vector<int16_t> levels(values.size());
  EXPECT_EQ(decoder.Get(levels.data(), levels.size()).value_or(0), values.size());
  EXPECT_EQ(levels, std::vector<int16_t>(values.begin(), values.end()));

  ASSERT_TRUE(decoder.Reset(encoded, 2).has_value());
  std::vector<uint8_t> bytes(values.size());
  EXPECT_EQ(decoder.Get(bytes.data(), bytes.size()).value_or(0), values.size());
  EXPECT_EQ(bytes, std::vector<uint8_t>(values.begin(), values.end()));

  ASSERT_TRUE(decoder.Reset(encoded, 17).has_value());
  EXPECT_THAT(decoder.Get(levels.data(), 1), IsError(ErrorCode::kInvalidArgument));
  ASSERT_TRUE(decoder.Reset(encoded, 9).has_value());
  EXPECT_THAT(decoder.Get(bytes.data(), 1), IsError(ErrorCode::kInvalidArgument));
}

// Some writers end the last bit-packed run after its last value's bytes: the whole values
// that are there decode, then the data ends.
TEST(RleTest, AcceptsATruncatedFinalBitPackedRun) {
  std::vector<uint32_t> values = {1, 2, 3, 4, 5, 6, 7, 0, 1, 2};  // 2 groups: 6 bytes at width 3
  Bytes encoded = Encode(3, values);
  ASSERT_EQ(encoded.size(), 7u);
  encoded.resize(1 + 4);  // ceil(10 * 3 / 8) bytes of values

  EXPECT_EQ(Decode(encoded, 3), values);
}

TEST(RleTest, RejectsMalformedRuns) {
  RleBitPackedDecoder decoder;
  EXPECT_THAT(decoder.Reset(Bytes{}, 33), HasMessage("bit width 33 is not 0..32"));
  EXPECT_THAT(decoder.Reset(Bytes{}, -1), IsError(ErrorCode::kCorrupt));

  EXPECT_THAT(DecodeStatus(Bytes{0x80}, 1), HasMessage("truncated run header at byte 0"));
  EXPECT_THAT(DecodeStatus(Bytes{0x14, 0x01, 0xFF}, 1),
              HasMessage("truncated run header at byte 2"));
  // 11 bytes of varint: past 64 bits.
  EXPECT_THAT(DecodeStatus(Bytes(11, 0x80), 1), HasMessage("truncated run header at byte 0"));
  EXPECT_THAT(DecodeStatus(Bytes{0x00}, 1), HasMessage("RLE run of 0 values at byte 0"));
  EXPECT_THAT(DecodeStatus(Bytes{0x01}, 1), HasMessage("bit-packed run of 0 groups at byte 0"));
  EXPECT_THAT(DecodeStatus(Bytes{0x80, 0x80, 0x80, 0x80, 0x10, 0x01}, 1),
              HasMessage("RLE run of 2147483648 values at byte 0"));
  EXPECT_THAT(DecodeStatus(Bytes{0x04, 0x01}, 9), HasMessage("truncated RLE run value at byte 1"));
  EXPECT_THAT(DecodeStatus(Bytes{0x04}, 1), HasMessage("truncated RLE run value at byte 1"));
  EXPECT_THAT(DecodeStatus(Bytes{0x04, 0x08}, 3),
              HasMessage("RLE run value 8 at byte 1 is wider than the bit width 3"));
  EXPECT_THAT(DecodeStatus(Bytes{0x02, 0x80}, 0), HasMessage("truncated run header at byte 1"));
}

TEST(RleTest, EmptyDataHoldsNoValues) {
  RleBitPackedDecoder decoder;
  ASSERT_TRUE(decoder.Reset(BytesView(), 5).has_value());
  uint32_t out[4];
  EXPECT_EQ(decoder.Get(out, 4).value_or(99), 0u);
  RleBitPackedEncoder encoder(5);
  data::Buffer buffer;
  encoder.FlushTo(buffer);
  EXPECT_TRUE(buffer.empty());
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
