// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk {

/// \brief Unsigned LEB128 varints (Protocol Buffers, Thrift compact, Avro, Parquet).
void WriteUleb128(ByteWriter& out, uint64_t v);
/// kCorrupt (or the reader's truncation code) on truncation or more than 10 bytes.
Result<uint64_t> ReadUleb128(ByteReader& in);

/// ZigZag maps signed to unsigned so small magnitudes stay small: 0,-1,1,-2 -> 0,1,2,3.
constexpr uint64_t ZigZagEncode(int64_t v) {
  return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63);
}
constexpr int64_t ZigZagDecode(uint64_t v) {
  return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1);
}

}  // namespace cqlbulk
