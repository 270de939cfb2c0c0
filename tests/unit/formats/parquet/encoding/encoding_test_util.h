// SPDX-License-Identifier: Apache-2.0
// Helpers shared by the Parquet encoding tests.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/data/buffer.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"

namespace cqlbulk::formats::parquet::testing {

inline Bytes ToBytes(const data::Buffer& buffer) {
  return Bytes(buffer.data(), buffer.data() + buffer.size());
}

/// Batch sizes that cut decoding at awkward places: 1, 7, 32, 33, 1000, repeating.
inline size_t BatchSize(size_t call) {
  static constexpr size_t kSizes[] = {1, 7, 32, 33, 1000, 3};
  return kSizes[call % (sizeof(kSizes) / sizeof(kSizes[0]))];
}

/// Decodes until the decoder has no more, in batches of BatchSize(); fails the test on error.
template <typename T, typename Decoder>
std::vector<T> DecodeAllFixed(Decoder& decoder, size_t limit = SIZE_MAX) {
  std::vector<T> out;
  for (size_t call = 0; out.size() < limit; ++call) {
    size_t want = std::min(BatchSize(call), limit - out.size());
    size_t old = out.size();
    out.resize(old + want);
    auto got = decoder.Get(out.data() + old, want);
    if (!got.has_value()) {
      ADD_FAILURE() << got.error().ToString();
      out.resize(old);
      break;
    }
    out.resize(old + *got);
    if (*got < want) {
      break;
    }
  }
  return out;
}

/// The same for byte arrays, as strings.
template <typename Decoder>
std::vector<std::string> DecodeAllStrings(Decoder& decoder, size_t limit = SIZE_MAX) {
  std::vector<std::string> out;
  ByteArrays values;
  for (size_t call = 0; out.size() < limit; ++call) {
    size_t want = std::min(BatchSize(call), limit - out.size());
    if (call % 2 == 0) {
      values.Clear();  // decoders append: exercise both a fresh and a filled ByteArrays
    }
    size_t before = values.size();
    auto got = decoder.Get(values, want);
    if (!got.has_value()) {
      ADD_FAILURE() << got.error().ToString();
      break;
    }
    EXPECT_EQ(values.size(), before + *got);
    for (size_t i = before; i < values.size(); ++i) {
      out.emplace_back(values.str(i));
    }
    if (*got < want) {
      break;
    }
  }
  return out;
}

/// Strings as a ByteArrays (the layout encoders take, through view()).
inline ByteArrays MakeByteArrays(const std::vector<std::string>& strings) {
  ByteArrays out;
  for (const std::string& s : strings) {
    out.Append(AsBytes(s));
  }
  if (strings.empty()) {
    out.offsets.Append<int32_t>(0);
  }
  return out;
}

/// Sizes worth testing around the 8-value groups and 128-value blocks.
inline const std::vector<size_t>& EdgeSizes() {
  static const std::vector<size_t> kSizes = {0, 1, 2, 7, 8, 9, 31, 32, 33, 127, 128, 129, 1000};
  return kSizes;
}

}  // namespace cqlbulk::formats::parquet::testing
