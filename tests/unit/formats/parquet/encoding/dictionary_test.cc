// SPDX-License-Identifier: Apache-2.0
// Dictionary encoding: builders of every type, index pages, gathers, malformed indices.
#include "cqlbulk/formats/parquet/encoding/dictionary.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "encoding_test_util.h"
#include "testing/matchers.h"

namespace cqlbulk::formats::parquet {
namespace {

using cqlbulk::testing::HasMessage;
using cqlbulk::testing::IsError;
using cqlbulk::testing::IsOk;
using testing::DecodeAllFixed;
using testing::MakeByteArrays;
using testing::ToBytes;

template <typename T>
std::vector<uint32_t> Put(DictEncoder<T>& encoder, const std::vector<T>& values) {
  std::vector<uint32_t> indices(values.size());
  encoder.Put(values.data(), values.size(), indices.data());
  return indices;
}

TEST(DictionaryTest, IntegersInOrderOfFirstAppearance) {
  DictEncoder<int64_t> encoder;
  EXPECT_EQ(Put<int64_t>(encoder, {5, 7, 5, -1, 7, 7}), (std::vector<uint32_t>{0, 1, 0, 2, 1, 1}));
  EXPECT_EQ(Put<int64_t>(encoder, {-1, 9}), (std::vector<uint32_t>{2, 3}));
  EXPECT_EQ(encoder.num_entries(), 4u);
  EXPECT_EQ(encoder.dictionary_bytes(), 32u);
  EXPECT_EQ(std::vector<int64_t>(encoder.entries(), encoder.entries() + 4),
            (std::vector<int64_t>{5, 7, -1, 9}));
  data::Buffer page;
  encoder.WriteDictionaryTo(page);
  EXPECT_EQ(page.size(), 32u);
  EXPECT_EQ(page.Load<int64_t>(2), -1);

  encoder.Clear();
  EXPECT_EQ(encoder.num_entries(), 0u);
  EXPECT_EQ(Put<int64_t>(encoder, {9, 5}), (std::vector<uint32_t>{0, 1}));
}

TEST(DictionaryTest, FloatsAreToldApartByBits) {
  double nan1 = std::numeric_limits<double>::quiet_NaN();
  double nan2 = -nan1;
  DictEncoder<double> doubles;
  EXPECT_EQ(Put<double>(doubles, {0.0, -0.0, nan1, nan2, nan1, 0.0, -0.0}),
            (std::vector<uint32_t>{0, 1, 2, 3, 2, 0, 1}));
  DictEncoder<float> floats;
  EXPECT_EQ(Put<float>(floats, {-0.0f, 0.0f, 1.5f, -0.0f}),
            (std::vector<uint32_t>{0, 1, 2, 0}));
  EXPECT_TRUE(std::signbit(floats.entries()[0]));
  DictEncoder<int32_t> ints;
  EXPECT_EQ(Put<int32_t>(ints, {0, INT32_MIN, INT32_MAX, 0}),
            (std::vector<uint32_t>{0, 1, 2, 0}));
}

TEST(DictionaryTest, OneValueAndTwoToTheTwentyValues) {
  DictEncoder<int32_t> encoder;
  std::vector<int32_t> same(1000, 42);
  std::vector<uint32_t> indices = Put(encoder, same);
  EXPECT_EQ(encoder.num_entries(), 1u);
  EXPECT_EQ(indices, std::vector<uint32_t>(1000, 0));
  data::Buffer page;
  EncodeDictionaryIndices(indices.data(), indices.size(), encoder.num_entries(), page);
  // Bit width 0, one RLE run of 1000 with no value bytes.
  EXPECT_EQ(ToBytes(page), (Bytes{0x00, 0xD0, 0x0F}));

  constexpr size_t kMany = size_t{1} << 20;
  DictEncoder<int64_t> many;
  std::vector<int64_t> values(kMany);
  for (size_t i = 0; i < kMany; ++i) {
    values[i] = static_cast<int64_t>((i * 0x9E3779B97F4A7C15ull) >> 3);  // distinct, shuffled
  }
  std::vector<uint32_t> first = Put(many, values);
  std::vector<uint32_t> again = Put(many, values);
  EXPECT_EQ(many.num_entries(), kMany);
  EXPECT_EQ(many.dictionary_bytes(), kMany * 8);
  EXPECT_EQ(first, again);
  for (size_t i = 0; i < kMany; i += 4099) {
    ASSERT_EQ(first[i], i);
  }
  page.Clear();
  EncodeDictionaryIndices(first.data(), first.size(), many.num_entries(), page);
  EXPECT_EQ(page.data()[0], 20);
  DictIndexDecoder decoder;
  ASSERT_THAT(decoder.Reset(page.view(), many.num_entries()), IsOk());
  std::vector<uint32_t> decoded = DecodeAllFixed<uint32_t>(decoder, kMany);
  EXPECT_EQ(decoded, first);
  std::vector<int64_t> gathered(kMany);
  GatherDictionary(many.entries(), decoded.data(), kMany, gathered.data());
  EXPECT_EQ(gathered, values);
}

TEST(DictionaryTest, ByteArrays) {
  ByteArrayDictEncoder encoder;
  std::vector<std::string> strings = {"red", "", "green", "red", std::string(40, 'x'),
                                      "", "green", std::string(40, 'x') + "y", "re"};
  ByteArrays values = MakeByteArrays(strings);
  std::vector<uint32_t> indices(strings.size());
  encoder.Put(values.view(), indices.data());
  EXPECT_EQ(indices, (std::vector<uint32_t>{0, 1, 2, 0, 3, 1, 2, 4, 5}));
  EXPECT_EQ(encoder.num_entries(), 6u);
  EXPECT_EQ(encoder.dictionary_bytes(), 6u * 4 + 3 + 0 + 5 + 40 + 41 + 2);
  data::Buffer page;
  encoder.WriteDictionaryTo(page);
  EXPECT_EQ(page.size(), encoder.dictionary_bytes());
  EXPECT_EQ(Bytes(page.data(), page.data() + 11), (Bytes{3, 0, 0, 0, 'r', 'e', 'd', 0, 0, 0, 0}));

  // Decode the dictionary page with PLAIN, then gather.
  PlainByteArrayDecoder plain;
  ASSERT_THAT(plain.Reset(page.view()), IsOk());
  ByteArrays dictionary;
  EXPECT_EQ(plain.Get(dictionary, 100).value_or(0), 6u);
  ByteArrays out;
  out.Append(AsBytes("before"));
  ASSERT_THAT(GatherByteArrays(dictionary.view(), indices.data(), indices.size(), out), IsOk());
  ASSERT_EQ(out.size(), 1 + strings.size());
  for (size_t i = 0; i < strings.size(); ++i) {
    EXPECT_EQ(out.str(1 + i), strings[i]);
  }
}

TEST(DictionaryTest, ManyByteArrays) {
  ByteArrayDictEncoder encoder;
  std::vector<std::string> strings;
  for (int i = 0; i < 100000; ++i) {
    strings.push_back("value-" + std::to_string(i % 30000) + std::string(i % 17, 'z'));
  }
  ByteArrays values = MakeByteArrays(strings);
  std::vector<uint32_t> indices(strings.size());
  encoder.Put(values.view(), indices.data());
  ByteArraysView entries = encoder.entries();
  ASSERT_EQ(entries.size, encoder.num_entries());
  for (size_t i = 0; i < strings.size(); ++i) {
    ASSERT_EQ(AsChars(entries[indices[i]]), strings[i]);
  }
}

TEST(DictionaryTest, FixedLenByteArrays) {
  FixedDictEncoder encoder(4);
  const uint8_t values[] = {1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 4, 1, 2, 3, 5};
  uint32_t indices[4];
  encoder.Put(values, 4, indices);
  EXPECT_EQ(std::vector<uint32_t>(indices, indices + 4), (std::vector<uint32_t>{0, 1, 0, 2}));
  EXPECT_EQ(encoder.dictionary_bytes(), 12u);
  data::Buffer page;
  encoder.WriteDictionaryTo(page);
  EXPECT_EQ(ToBytes(page), (Bytes{1, 2, 3, 4, 0, 0, 0, 0, 1, 2, 3, 5}));
  uint8_t gathered[16];
  GatherFixed(encoder.entries(), 4, indices, 4, gathered);
  EXPECT_EQ(std::memcmp(gathered, values, 16), 0);
}

TEST(DictionaryTest, RunsOfEqualValuesGetTheIndicesValueByValuePutsGive) {
  // Put takes a value equal to the one before it without hashing: the same indices and
  // dictionary as one Put a value (no run within a call), over runs, NaNs of other bits, -0.0.
  std::mt19937_64 rng(9);
  for (int round = 0; round < 50; ++round) {
    std::vector<double> doubles;
    std::vector<int32_t> ints;
    std::vector<std::string> strings;
    const double special[] = {0.0, -0.0, std::numeric_limits<double>::quiet_NaN(),
                              -std::numeric_limits<double>::quiet_NaN(),
                              std::numeric_limits<double>::infinity()};
    for (size_t n = rng() % 3000; n > 0;) {
      size_t run = std::min<size_t>(n, 1 + rng() % 12);
      double d = rng() % 4 == 0 ? special[rng() % 5] : static_cast<double>(rng() % 50);
      auto i = static_cast<int32_t>(rng() % 40) - 20;
      std::string s = rng() % 5 == 0 ? std::string(rng() % 300, 'x') : std::to_string(rng() % 30);
      for (size_t k = 0; k < run; ++k) {
        doubles.push_back(d);
        ints.push_back(i);
        strings.push_back(s);
      }
      n -= run;
    }
    auto check = [&](auto make, const auto& values, auto put) {
      auto whole = make();
      auto single = make();
      std::vector<uint32_t> a(values.size()), b(values.size());
      put(whole, values, 0, values.size(), a.data());
      for (size_t k = 0; k < values.size(); ++k) put(single, values, k, 1, b.data() + k);
      EXPECT_EQ(a, b) << "round " << round;
      data::Buffer pa, pb;
      whole.WriteDictionaryTo(pa);
      single.WriteDictionaryTo(pb);
      EXPECT_EQ(ToBytes(pa), ToBytes(pb)) << "round " << round;
    };
    check([] { return DictEncoder<double>(); }, doubles,
          [](auto& e, const auto& v, size_t at, size_t n, uint32_t* out) {
            e.Put(v.data() + at, n, out);
          });
    check([] { return DictEncoder<int32_t>(); }, ints,
          [](auto& e, const auto& v, size_t at, size_t n, uint32_t* out) {
            e.Put(v.data() + at, n, out);
          });
    check([] { return ByteArrayDictEncoder(); }, strings,
          [](auto& e, const auto& v, size_t at, size_t n, uint32_t* out) {
            std::vector<std::string> part(v.begin() + static_cast<ptrdiff_t>(at),
                                          v.begin() + static_cast<ptrdiff_t>(at + n));
            ByteArrays arrays = MakeByteArrays(part);
            e.Put(arrays.view(), out);
          });
  }
}

TEST(DictionaryTest, IndexPageBytes) {
  // 5 entries: bit width 3; the indices 0..7 are the spec's bit-packing example.
  std::vector<uint32_t> indices = {0, 1, 2, 3, 4, 4, 3, 2};
  data::Buffer page;
  EncodeDictionaryIndices(indices.data(), indices.size(), 5, page);
  EXPECT_EQ(ToBytes(page), (Bytes{0x03, 0x03, 0x88, 0x46, 0x4E}));

  DictIndexDecoder decoder;
  ASSERT_THAT(decoder.Reset(page.view(), 5), IsOk());
  EXPECT_EQ(DecodeAllFixed<uint32_t>(decoder, 8), indices);
}

TEST(DictionaryTest, RejectsBadIndexPages) {
  DictIndexDecoder decoder;
  uint32_t out[16];
  Bytes wide = {33, 0x02, 0x00};
  EXPECT_THAT(decoder.Reset(wide, 5), HasMessage("bit width 33 at byte 0"));
  // An RLE run of index 5 in a dictionary of 5 entries.
  Bytes past = {3, 0x04, 0x05};
  ASSERT_THAT(decoder.Reset(past, 5), IsOk());
  EXPECT_THAT(decoder.Get(out, 16), HasMessage("index 5 is past the 5 dictionary entries"));
  // Any index is past an empty dictionary.
  Bytes zero = {0, 0x04};
  ASSERT_THAT(decoder.Reset(zero, 0), IsOk());
  EXPECT_THAT(decoder.Get(out, 16), IsError(ErrorCode::kCorrupt));
  // Malformed runs come from the hybrid's decoder.
  Bytes truncated = {1, 0x80};
  ASSERT_THAT(decoder.Reset(truncated, 2), IsOk());
  EXPECT_THAT(decoder.Get(out, 16), HasMessage("truncated run header"));
  // Empty data: no values.
  ASSERT_THAT(decoder.Reset(BytesView(), 2), IsOk());
  EXPECT_EQ(decoder.Get(out, 16).value_or(99), 0u);
}

TEST(DictionaryTest, GatherByteArraysRefusesToPassTwoGigabytes) {
  ByteArrays dictionary;
  dictionary.Append(Bytes(1 << 20, 'a'));
  std::vector<uint32_t> indices(3000, 0);  // 3000 MiB from a few bytes of indices
  ByteArrays out;
  EXPECT_THAT(GatherByteArrays(dictionary.view(), indices.data(), indices.size(), out),
              IsError(ErrorCode::kInvalidArgument));
  EXPECT_EQ(out.size(), 0u);
  EXPECT_THAT(GatherByteArrays(dictionary.view(), indices.data(), 3, out), IsOk());
  EXPECT_EQ(out.size(), 3u);
}

}  // namespace
}  // namespace cqlbulk::formats::parquet
