// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/varint.h"

#include "cqlbulk/core/macros.h"

namespace cqlbulk {

void WriteUleb128(ByteWriter& out, uint64_t v) {
  while (v >= 0x80) {
    out.WriteU8(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  out.WriteU8(static_cast<uint8_t>(v));
}

Result<uint64_t> ReadUleb128(ByteReader& in) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    CQLBULK_ASSIGN_OR_RETURN(uint8_t b, in.ReadU8());
    if (shift == 63 && b > 1) {
      break;
    }
    v |= uint64_t{b & 0x7fu} << shift;
    if ((b & 0x80) == 0) {
      return v;
    }
  }
  return Error(in.truncation_code(), "varint longer than 64 bits at offset " +
                                         std::to_string(in.position()));
}

}  // namespace cqlbulk
