// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/vint.h"

#include <bit>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/core/varint.h"

namespace cqlbulk::cql {

size_t UnsignedVintSize(uint64_t v) noexcept {
  // Each byte carries 7 value bits (the first byte gives one bit per extra byte to the
  // length prefix), except that 9 bytes carry all 64 bits.
  auto bits = static_cast<size_t>(64 - std::countl_zero(v | 1));
  size_t size = (bits + 6) / 7;
  return size > 9 ? 9 : size;
}

size_t EncodeUnsignedVint(uint64_t v, uint8_t* buf) noexcept {
  size_t size = UnsignedVintSize(v);
  if (size == 1) {
    buf[0] = static_cast<uint8_t>(v);
    return 1;
  }
  size_t extra = size - 1;
  for (size_t i = size; i-- > 1;) {
    buf[i] = static_cast<uint8_t>(v);
    v >>= 8;
  }
  // With 8 extra bytes the first byte is all prefix; otherwise it holds the top value bits.
  auto prefix = static_cast<uint8_t>(0xFF00u >> extra);
  buf[0] = static_cast<uint8_t>((extra == 8 ? 0 : v) | prefix);
  return size;
}

void WriteUnsignedVint(ByteWriter& out, uint64_t v) {
  uint8_t buf[9];
  size_t n = EncodeUnsignedVint(v, buf);
  out.WriteBytes(BytesView(buf, n));
}

void WriteVint(ByteWriter& out, int64_t v) { WriteUnsignedVint(out, ZigZagEncode(v)); }

Result<uint64_t> ReadUnsignedVint(ByteReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(uint8_t first, in.ReadU8());
  if (first < 0x80) {
    return uint64_t{first};
  }
  auto extra = static_cast<size_t>(std::countl_one(first));
  CQLBULK_ASSIGN_OR_RETURN(BytesView rest, in.ReadBytes(extra));
  uint64_t v = extra == 8 ? 0 : (first & (0xFFu >> extra));
  for (uint8_t b : rest) {
    v = (v << 8) | b;
  }
  return v;
}

Result<int64_t> ReadVint(ByteReader& in) {
  CQLBULK_ASSIGN_OR_RETURN(uint64_t v, ReadUnsignedVint(in));
  return ZigZagDecode(v);
}

}  // namespace cqlbulk::cql
