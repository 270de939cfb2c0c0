// SPDX-License-Identifier: Apache-2.0
// Helpers of the formats writer tests (value_format, csv_writer, json_writer): one-column
// batches built by a lambda, and integers as two's-complement bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/data/batch_builder.h"

namespace cqlbulk::formats::testing {

inline data::SchemaPtr OneColumnSchema(data::LogicalTypePtr type, std::string name = "c") {
  return std::make_shared<data::Schema>(
      data::Schema{{data::Field{.name = std::move(name), .type = std::move(type)}}});
}

/// A batch of one column "c" of `type`, whose rows `append(ColumnBuilder&)` appends.
template <typename Append>
data::Batch OneColumnBatch(data::LogicalTypePtr type, Append append) {
  data::BatchBuilder builder(OneColumnSchema(std::move(type)), 0);
  append(builder.column(0));
  auto batch = builder.Finish();
  EXPECT_TRUE(batch.has_value()) << batch.error().ToString();
  return std::move(batch).value();
}

/// The shortest two's-complement big-endian bytes of `v` (as CQL varint and decimal hold it).
inline Bytes TwosComplement(int64_t v) {
  Bytes out;
  for (int i = 7; i >= 0; --i) {
    out.push_back(static_cast<uint8_t>(static_cast<uint64_t>(v) >> (8 * i)));
  }
  while (out.size() > 1 && ((out[0] == 0 && (out[1] & 0x80) == 0) ||
                            (out[0] == 0xff && (out[1] & 0x80) != 0))) {
    out.erase(out.begin());
  }
  return out;
}

/// Two's-complement bytes of a decimal integer text ("-123..."), by schoolbook multiplication
/// (an oracle independent of the writer's division).
inline Bytes TwosComplementOfDecimal(std::string_view text) {
  bool negative = !text.empty() && text[0] == '-';
  if (negative) text.remove_prefix(1);
  Bytes magnitude{0};  // big-endian
  for (char c : text) {
    unsigned carry = static_cast<unsigned>(c - '0');
    for (size_t i = magnitude.size(); i-- > 0;) {
      unsigned v = magnitude[i] * 10u + carry;
      magnitude[i] = static_cast<uint8_t>(v);
      carry = v >> 8;
    }
    while (carry != 0) {
      magnitude.insert(magnitude.begin(), static_cast<uint8_t>(carry));
      carry >>= 8;
    }
  }
  magnitude.insert(magnitude.begin(), 0);  // room for the sign bit
  if (negative) {
    unsigned carry = 1;
    for (size_t i = magnitude.size(); i-- > 0;) {
      unsigned v = static_cast<uint8_t>(~magnitude[i]) + carry;
      magnitude[i] = static_cast<uint8_t>(v);
      carry = v >> 8;
    }
  }
  return magnitude;
}

inline Bytes BytesOf(std::initializer_list<int> values) {
  Bytes out;
  for (int v : values) out.push_back(static_cast<uint8_t>(v));
  return out;
}

}  // namespace cqlbulk::formats::testing
