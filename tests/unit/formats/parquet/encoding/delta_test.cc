// SPDX-License-Identifier: Apache-2.0
// DELTA_BINARY_PACKED, DELTA_LENGTH_BYTE_ARRAY, DELTA_BYTE_ARRAY: the spec's examples, round
// trips over extremes, other writers' block layouts, malformed data.
#include "cqlbulk/formats/parquet/encoding/delta.h"

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/core/varint.h"
#include "encoding_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;
using testing::DecodeAllFixed;
using testing::DecodeAllStrings;
using testing::EdgeSizes;
using testing::MakeByteArrays;
using testing::ToBytes;

template <typename T>
Bytes EncodeDelta(const std::vector<T>& values, size_t split = SIZE_MAX) {
  DeltaBinaryPackedEncoder<T> encoder;
  size_t first = std::min(split, values.size());
  encoder.Put(values.data(), first);
  encoder.Put(values.data() + first, values.size() - first);
  EXPECT_EQ(encoder.num_values(), values.size());
  size_t estimate = encoder.EstimatedBytes();
  data::Buffer out;
  encoder.FlushTo(out);
  EXPECT_LE(out.size(), estimate + 8);
  return ToBytes(out);
}

template <typename T>
std::vector<T> DecodeDelta(BytesView data) {
  DeltaBinaryPackedDecoder<T> decoder;
  Status status = decoder.Reset(data);
  EXPECT_THAT(status, IsOk());
  if (!status.has_value()) return {};
  std::vector<T> out = DecodeAllFixed<T>(decoder);
  EXPECT_EQ(out.size(), decoder.num_values());
  return out;
}

void AppendUleb(Bytes& out, uint64_t v) {
  ByteWriter writer(std::move(out));
  WriteUleb128(writer, v);
  out = std::move(writer).Take();
}

// DELTA_BINARY_PACKED with any block layout, written straight from the spec's text (slowly):
// another writer's bytes for the decoder. `pad_last` false stops the last miniblock after
// its last value's bytes; unused miniblocks get width `unused_width`.
template <typename T>
Bytes ReferenceDelta(const std::vector<T>& values, uint64_t block_size, uint64_t miniblocks,
                     bool pad_last = true, uint8_t unused_width = 0) {
  using U = std::make_unsigned_t<T>;
  Bytes out;
  AppendUleb(out, block_size);
  AppendUleb(out, miniblocks);
  AppendUleb(out, values.size());
  AppendUleb(out, ZigZagEncode(values.empty() ? 0 : values[0]));
  uint64_t per_mini = block_size / miniblocks;
  for (size_t start = 1; start < values.size(); start += block_size) {
    size_t end = std::min<size_t>(values.size(), start + block_size);
    std::vector<U> deltas;
    for (size_t i = start; i < end; ++i) {
      deltas.push_back(static_cast<U>(static_cast<U>(values[i]) - static_cast<U>(values[i - 1])));
    }
    T min = static_cast<T>(deltas[0]);
    for (U d : deltas) min = std::min(min, static_cast<T>(d));
    AppendUleb(out, ZigZagEncode(min));
    size_t used = (deltas.size() + per_mini - 1) / per_mini;
    std::vector<int> widths(miniblocks, unused_width);
    for (size_t m = 0; m < used; ++m) {
      U bits = 0;
      for (size_t i = m * per_mini; i < std::min<size_t>(deltas.size(), (m + 1) * per_mini); ++i) {
        bits |= static_cast<U>(deltas[i] - static_cast<U>(min));
      }
      widths[m] = 0;
      while (widths[m] < static_cast<int>(8 * sizeof(T)) && (bits >> widths[m]) != 0) ++widths[m];
    }
    for (int w : widths) out.push_back(static_cast<uint8_t>(w));
    for (size_t m = 0; m < used; ++m) {
      size_t count = per_mini;
      bool last = end == values.size() && m + 1 == used;
      if (last && !pad_last) count = deltas.size() - m * per_mini;
      std::vector<bool> bits;
      for (size_t i = 0; i < count; ++i) {
        size_t at = m * per_mini + i;
        U rel = at < deltas.size() ? static_cast<U>(deltas[at] - static_cast<U>(min)) : 0;
        for (int b = 0; b < widths[m]; ++b) bits.push_back((rel >> b) & 1);
      }
      for (size_t i = 0; i < bits.size(); i += 8) {
        uint8_t byte = 0;
        for (size_t b = 0; b < 8 && i + b < bits.size(); ++b) {
          byte = static_cast<uint8_t>(byte | (bits[i + b] << b));
        }
        out.push_back(byte);
      }
    }
  }
  return out;
}

// The spec's examples, with its block of 8 values (invalid in real files) made the 128 values
// in 4 miniblocks that real writers use.
TEST(DeltaBinaryPackedTest, SpecExample1) {
  Bytes encoded = EncodeDelta<int32_t>({1, 2, 3, 4, 5});
  // header: 128, 4 miniblocks, 5 values, first value 1; block: min delta 1, widths 0.
  EXPECT_EQ(encoded, (Bytes{0x80, 0x01, 0x04, 0x05, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00}));
  EXPECT_EQ(DecodeDelta<int32_t>(encoded), (std::vector<int32_t>{1, 2, 3, 4, 5}));
}

TEST(DeltaBinaryPackedTest, SpecExample2) {
  std::vector<int64_t> values = {7, 5, 3, 1, 2, 3, 4, 5};
  Bytes encoded = EncodeDelta(values);
  // min delta -2 (zigzag 3), width 2: relative deltas 0,0,0,3,3,3,3 then padding.
  Bytes expected = {0x80, 0x01, 0x04, 0x08, 0x0E, 0x03, 0x02, 0x00, 0x00, 0x00,
                    0xC0, 0x3F, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
  EXPECT_EQ(encoded, expected);
  EXPECT_EQ(DecodeDelta<int64_t>(encoded), values);
}

TEST(DeltaBinaryPackedTest, TheSpecsShortBlocksAreRejected) {
  // Example 1 exactly as the spec writes it: block size 8, 1 miniblock.
  DeltaBinaryPackedDecoder<int32_t> decoder;
  EXPECT_THAT(decoder.Reset(Bytes{0x08, 0x01, 0x05, 0x02, 0x02, 0x00}),
              HasMessage("block size 8 is not a positive multiple of 128"));
}

TEST(DeltaBinaryPackedTest, EmptyAndOneValue) {
  Bytes empty = EncodeDelta<int64_t>({});
  EXPECT_EQ(empty, (Bytes{0x80, 0x01, 0x04, 0x00, 0x00}));
  EXPECT_TRUE(DecodeDelta<int64_t>(empty).empty());
  Bytes one = EncodeDelta<int32_t>({-3});
  EXPECT_EQ(one, (Bytes{0x80, 0x01, 0x04, 0x01, 0x05}));
  EXPECT_EQ(DecodeDelta<int32_t>(one), std::vector<int32_t>{-3});
}

template <typename T>
std::vector<std::vector<T>> Cases(size_t n, std::mt19937_64& rng) {
  constexpr T kMin = std::numeric_limits<T>::min();
  constexpr T kMax = std::numeric_limits<T>::max();
  std::vector<std::vector<T>> cases(6);
  for (size_t i = 0; i < n; ++i) {
    cases[0].push_back(i % 2 ? kMin : kMax);                   // alternating extremes
    cases[1].push_back(static_cast<T>(rng()));                 // random: every width
    cases[2].push_back(static_cast<T>(1'700'000'000 + 997 * i + rng() % 50));  // timestamps
    cases[3].push_back(i % 3 == 0 ? kMin : i % 3 == 1 ? 0 : kMax);
    cases[4].push_back(static_cast<T>(kMax - static_cast<T>(i)));  // descending from the top
    cases[5].push_back(static_cast<T>(rng() % 4 == 0 ? rng() : i));  // outliers
  }
  return cases;
}

template <typename T>
void RoundTripAll() {
  std::mt19937_64 rng(11);
  std::vector<size_t> sizes = EdgeSizes();
  sizes.push_back(5000);
  for (size_t n : sizes) {
    for (const std::vector<T>& values : Cases<T>(n, rng)) {
      SCOPED_TRACE(std::to_string(n) + " values from " +
                   (values.empty() ? std::string("-") : std::to_string(values[0])));
      Bytes encoded = EncodeDelta(values, n / 3);
      ASSERT_EQ(DecodeDelta<T>(encoded), values);
      // Another writer's layouts decode the same.
      ASSERT_EQ(DecodeDelta<T>(ReferenceDelta(values, 128, 4)), values);
      ASSERT_EQ(DecodeDelta<T>(ReferenceDelta(values, 128, 1)), values);
      ASSERT_EQ(DecodeDelta<T>(ReferenceDelta(values, 256, 8, false, 0xFF)), values);
      ASSERT_EQ(DecodeDelta<T>(ReferenceDelta(values, 512, 4, false)), values);
      // Our bytes are the reference's for the same layout.
      ASSERT_EQ(encoded, ReferenceDelta(values, 128, 4));
    }
  }
}

TEST(DeltaBinaryPackedTest, Int32RoundTrips) { RoundTripAll<int32_t>(); }
TEST(DeltaBinaryPackedTest, Int64RoundTrips) { RoundTripAll<int64_t>(); }

// DuckDB 1.4 computes INT32 deltas in 64 bits (widths of 33 and min deltas past INT32): the
// spec forbids it and Arrow refuses it; modulo 2^32 the values come out right, so we read it.
TEST(DeltaBinaryPackedTest, Int32DeltasWiderThan32BitsDecodeModulo2To32) {
  std::vector<int64_t> wide = {INT32_MIN, INT32_MAX, INT32_MIN, 0, -5, INT32_MAX, INT32_MIN};
  Bytes encoded = ReferenceDelta(wide, 128, 4);  // 64-bit deltas, widths 33
  ASSERT_EQ(encoded[14], 33);  // header 9 bytes, min delta 5, then the first width
  std::vector<int32_t> expected(wide.begin(), wide.end());
  EXPECT_EQ(DecodeDelta<int32_t>(encoded), expected);
}

TEST(DeltaBinaryPackedTest, EncodedBytesIsWhereTheDataEnds) {
  std::vector<int32_t> values(300);
  for (size_t i = 0; i < values.size(); ++i) values[i] = static_cast<int32_t>(i * i);
  Bytes encoded = EncodeDelta(values);
  size_t size = encoded.size();
  encoded.insert(encoded.end(), {0xAA, 0xBB});
  DeltaBinaryPackedDecoder<int32_t> decoder;
  ASSERT_THAT(decoder.Reset(encoded), IsOk());
  EXPECT_EQ(decoder.encoded_bytes(), size);
  // A writer that stops after the last value's bits: the encoding ends with the data.
  Bytes cut = ReferenceDelta(values, 128, 4, false);
  ASSERT_THAT(decoder.Reset(cut), IsOk());
  EXPECT_EQ(decoder.encoded_bytes(), cut.size());
  EXPECT_EQ(DecodeAllFixed<int32_t>(decoder), values);
}

TEST(DeltaBinaryPackedTest, RejectsMalformedData) {
  DeltaBinaryPackedDecoder<int32_t> d32;
  DeltaBinaryPackedDecoder<int64_t> d64;
  EXPECT_THAT(d32.Reset(Bytes{}), HasMessage("truncated header (block size) at byte 0"));
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x04}), HasMessage("(value count) at byte 3"));
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x04, 0x01, 0x80}), HasMessage("(first value)"));
  EXPECT_THAT(d32.Reset(Bytes{0x64, 0x04, 0x01, 0x00}), HasMessage("block size 100"));
  EXPECT_THAT(d32.Reset(Bytes{0x00, 0x04, 0x01, 0x00}), HasMessage("block size 0"));
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x03, 0x01, 0x00}),
              HasMessage("3 miniblocks do not split a block of 128 values"));
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x08, 0x01, 0x00}), HasMessage("8 miniblocks"));
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x00, 0x01, 0x00}), HasMessage("0 miniblocks"));
  // Bit widths past 64.
  Bytes wide = {0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 65, 0, 0, 0};
  wide.resize(wide.size() + 4 * 65);
  EXPECT_THAT(d32.Reset(wide), HasMessage("miniblock bit width 65 at byte 6 is past 64"));
  EXPECT_THAT(d64.Reset(wide), HasMessage("miniblock bit width 65 at byte 6 is past 64"));
  // A count the data cannot hold.
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x04, 0xE8, 0x07, 0x00}),
              HasMessage("truncated min delta of the block at byte 6 (999 values to go)"));
  EXPECT_THAT(d64.Reset(Bytes{0x80, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01,
                              0x00, 0x00, 0x00, 0x00, 0x00, 0x00}),
              HasMessage("truncated min delta"));
  EXPECT_THAT(d32.Reset(Bytes{0x80, 0x01, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00}),
              HasMessage("truncated bit widths of the block at byte 5"));
  Bytes short_miniblock = {0x80, 0x01, 0x04, 0x64, 0x00, 0x00, 8, 0, 0, 0};
  short_miniblock.resize(20);
  EXPECT_THAT(d32.Reset(short_miniblock),
              HasMessage("miniblock at byte 10 needs 32 bytes; the data ends at byte 20"));
}

// ---------------------------------------------------------------------------------------

std::vector<std::string> StringCases(size_t n, int shape) {
  std::vector<std::string> out;
  for (size_t i = 0; i < n; ++i) {
    switch (shape) {
      case 0:
        out.push_back("user-" + std::to_string(1000000 + i * 7));  // shared prefixes
        break;
      case 1:
        out.push_back(i % 3 == 0 ? "" : std::string(i % 50, static_cast<char>('a' + i % 26)));
        break;
      default:
        out.push_back(i % 10 == 0 ? std::string(70000 + i, 'L') : "x" + std::to_string(i));
    }
  }
  return out;
}

template <typename Encoder, typename Decoder>
void RoundTripStrings(const std::vector<std::string>& strings) {
  ByteArrays values = MakeByteArrays(strings);
  Encoder encoder;
  ByteArraysView view = values.view();
  ByteArraysView head = view;
  head.size = view.size / 2;
  ByteArraysView tail = view;
  tail.offsets += head.size;
  tail.size = view.size - head.size;
  encoder.Put(head);
  encoder.Put(tail);
  data::Buffer out;
  encoder.FlushTo(out);
  Decoder decoder;
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  EXPECT_EQ(decoder.num_values(), strings.size());
  EXPECT_EQ(DecodeAllStrings(decoder), strings);
  // The encoder starts over after a flush: a second page alone decodes the same.
  encoder.Put(view);
  out.Clear();
  encoder.FlushTo(out);
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  EXPECT_EQ(DecodeAllStrings(decoder), strings);
}

TEST(DeltaLengthByteArrayTest, SpecExample) {
  ByteArrays values = MakeByteArrays({"Hello", "World", "Foobar", "ABCDEF"});
  DeltaLengthByteArrayEncoder encoder;
  encoder.Put(values.view());
  data::Buffer out;
  encoder.FlushTo(out);
  // Lengths 5, 5, 6, 6: first value 5, deltas 0, 1, 0 (min 0, width 1), then the bytes.
  Bytes expected = {0x80, 0x01, 0x04, 0x04, 0x0A, 0x00, 0x01, 0x00, 0x00, 0x00,
                    0x02, 0x00, 0x00, 0x00};
  for (char c : std::string("HelloWorldFoobarABCDEF")) expected.push_back(static_cast<uint8_t>(c));
  EXPECT_EQ(ToBytes(out), expected);
  DeltaLengthByteArrayDecoder decoder;
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  EXPECT_EQ(DecodeAllStrings(decoder),
            (std::vector<std::string>{"Hello", "World", "Foobar", "ABCDEF"}));
}

TEST(DeltaLengthByteArrayTest, RoundTrips) {
  for (size_t n : EdgeSizes()) {
    for (int shape = 0; shape < 3; ++shape) {
      SCOPED_TRACE(std::to_string(n) + " values, shape " + std::to_string(shape));
      RoundTripStrings<DeltaLengthByteArrayEncoder, DeltaLengthByteArrayDecoder>(
          StringCases(n, shape));
    }
  }
}

Bytes Lengths(const std::vector<int32_t>& lengths) {
  return EncodeDelta(lengths);
}

TEST(DeltaLengthByteArrayTest, RejectsBadLengths) {
  DeltaLengthByteArrayDecoder decoder;
  ByteArrays out;
  Bytes negative = Lengths({1, -1});
  negative.push_back('a');
  ASSERT_THAT(decoder.Reset(negative), IsOk());
  EXPECT_THAT(decoder.Get(out, 2), HasMessage("length -1 of value 1 is negative"));

  Bytes past = Lengths({2, 5});
  past.insert(past.end(), {'a', 'b', 'c'});
  ASSERT_THAT(decoder.Reset(past), IsOk());
  EXPECT_THAT(decoder.Get(out, 2), HasMessage("values 0..1 need 7 bytes; 3 are left"));

  EXPECT_THAT(decoder.Reset(Bytes{0x80}), HasMessage("DELTA_LENGTH_BYTE_ARRAY lengths"));
}

TEST(DeltaByteArrayTest, SpecExample) {
  ByteArrays values = MakeByteArrays({"axis", "axle", "babble", "babyhood"});
  DeltaByteArrayEncoder encoder;
  encoder.Put(values.view());
  data::Buffer out;
  encoder.FlushTo(out);
  // Prefix lengths 0, 2, 0, 3: deltas 2, -2, 3, min -2, relative 4, 0, 5 at width 3.
  Bytes expected = {0x80, 0x01, 0x04, 0x04, 0x00, 0x03, 0x03, 0x00, 0x00, 0x00, 0x44, 0x01};
  expected.resize(expected.size() + 10);
  // Suffix lengths 4, 2, 6, 5: deltas -2, 4, -1, min -2, relative 0, 6, 1 at width 3.
  Bytes suffixes = {0x80, 0x01, 0x04, 0x04, 0x08, 0x03, 0x03, 0x00, 0x00, 0x00, 0x70};
  suffixes.resize(suffixes.size() + 11);
  expected.insert(expected.end(), suffixes.begin(), suffixes.end());
  for (char c : std::string("axislebabbleyhood")) expected.push_back(static_cast<uint8_t>(c));
  EXPECT_EQ(ToBytes(out), expected);
  DeltaByteArrayDecoder decoder;
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  EXPECT_EQ(DecodeAllStrings(decoder),
            (std::vector<std::string>{"axis", "axle", "babble", "babyhood"}));
}

TEST(DeltaByteArrayTest, RoundTrips) {
  for (size_t n : EdgeSizes()) {
    for (int shape = 0; shape < 3; ++shape) {
      SCOPED_TRACE(std::to_string(n) + " values, shape " + std::to_string(shape));
      RoundTripStrings<DeltaByteArrayEncoder, DeltaByteArrayDecoder>(StringCases(n, shape));
    }
  }
}

TEST(DeltaByteArrayTest, FixedLenByteArrays) {
  const uint8_t values[] = {1, 2, 3, 1, 2, 4, 9, 9, 9, 9, 9, 9};
  DeltaByteArrayEncoder encoder(3);
  encoder.Put(values, 2);
  encoder.Put(values + 6, 2);
  data::Buffer out;
  encoder.FlushTo(out);
  DeltaByteArrayDecoder decoder(3);
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  uint8_t decoded[12];
  EXPECT_EQ(decoder.Get(decoded, 2).value_or(0), 2u);
  EXPECT_EQ(decoder.Get(decoded + 6, 5).value_or(0), 2u);
  EXPECT_EQ(Bytes(decoded, decoded + 12), Bytes(values, values + 12));

  // A value of another length is corrupt for FLBA; no width is a caller's error.
  ByteArrays strings = MakeByteArrays({"abc", "ab"});
  DeltaByteArrayEncoder any;
  any.Put(strings.view());
  out.Clear();
  any.FlushTo(out);
  ASSERT_THAT(decoder.Reset(out.view()), IsOk());
  EXPECT_THAT(decoder.Get(decoded, 2), HasMessage("value 1 has 2 bytes, not the width 3"));
  DeltaByteArrayDecoder no_width;
  ASSERT_THAT(no_width.Reset(out.view()), IsOk());
  EXPECT_THAT(no_width.Get(decoded, 2), IsError(ErrorCode::kInvalidArgument));
}

Bytes DeltaByteArrayBytes(const std::vector<int32_t>& prefixes,
                          const std::vector<std::string>& suffixes) {
  Bytes out = EncodeDelta(prefixes);
  DeltaLengthByteArrayEncoder encoder;
  ByteArrays values = MakeByteArrays(suffixes);
  encoder.Put(values.view());
  data::Buffer buffer;
  encoder.FlushTo(buffer);
  Bytes rest = ToBytes(buffer);
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

TEST(DeltaByteArrayTest, RejectsBadPrefixes) {
  DeltaByteArrayDecoder decoder;
  ByteArrays out;
  Bytes longer = DeltaByteArrayBytes({0, 3}, {"ab", "c"});
  ASSERT_THAT(decoder.Reset(longer), IsOk());
  EXPECT_THAT(decoder.Get(out, 2),
              HasMessage("prefix length 3 of value 1 is longer than the previous value (2 bytes)"));
  Bytes first = DeltaByteArrayBytes({1}, {"a"});
  ASSERT_THAT(decoder.Reset(first), IsOk());
  EXPECT_THAT(decoder.Get(out, 2), HasMessage("prefix length 1 of value 0 is longer"));
  Bytes negative = DeltaByteArrayBytes({0, -1}, {"a", "b"});
  ASSERT_THAT(decoder.Reset(negative), IsOk());
  EXPECT_THAT(decoder.Get(out, 2), HasMessage("prefix length -1 of value 1 is negative"));
  EXPECT_THAT(decoder.Reset(DeltaByteArrayBytes({0, 0, 0}, {"a", "b"})),
              HasMessage("3 prefix lengths but 2 suffixes"));
  EXPECT_THAT(decoder.Reset(Bytes{0x80, 0x01}), HasMessage("DELTA_BYTE_ARRAY prefix lengths"));
  Bytes no_suffixes = EncodeDelta<int32_t>({0});
  EXPECT_THAT(decoder.Reset(no_suffixes), HasMessage("DELTA_BYTE_ARRAY suffixes at byte 5"));
  // Prefixes that grow each value from the one before: checked before any memory is taken.
  std::vector<int32_t> prefixes = {0};
  std::vector<std::string> suffixes = {std::string(1000, 'x')};
  for (int i = 1; i < 3000; ++i) {
    prefixes.push_back(1000 * i);
    suffixes.push_back(std::string(1000, 'y'));
  }
  Bytes growing = DeltaByteArrayBytes(prefixes, suffixes);
  ASSERT_THAT(decoder.Reset(growing), IsOk());
  EXPECT_EQ(decoder.Get(out, 5).value_or(0), 5u);
  EXPECT_EQ(out.size(), 5u);  // the failed batches above appended nothing
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
