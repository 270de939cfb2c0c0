// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/uuid.h"

#include <cstring>

namespace cqlbulk {

Result<Uuid> Uuid::FromBytes(BytesView b) {
  if (b.size() != 16) {
    return InvalidArgument("a UUID has 16 bytes, got " + std::to_string(b.size()));
  }
  Uuid u;
  std::memcpy(u.bytes.data(), b.data(), 16);
  return u;
}

Result<Uuid> Uuid::Parse(std::string_view text) {
  if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' ||
      text[23] != '-') {
    return InvalidArgument("not a UUID (want 8-4-4-4-12 hex digits): '" + std::string(text) + "'");
  }
  std::string hex;
  hex.reserve(32);
  for (char c : text) {
    if (c != '-') hex.push_back(c);
  }
  auto raw = FromHex(hex);
  if (!raw) {
    return InvalidArgument("not a UUID: '" + std::string(text) + "'");
  }
  return FromBytes(*raw);
}

uint64_t Uuid::timestamp_100ns() const noexcept {
  uint64_t time_low = LoadBE32(bytes.data());
  uint64_t time_mid = LoadBE16(bytes.data() + 4);
  uint64_t time_hi = LoadBE16(bytes.data() + 6) & 0x0fffu;
  return (time_hi << 48) | (time_mid << 32) | time_low;
}

int64_t Uuid::unix_millis() const noexcept {
  // 100 ns intervals between 1582-10-15 and 1970-01-01.
  constexpr int64_t kGregorianOffset = 0x01b21dd213814000LL;
  return (static_cast<int64_t>(timestamp_100ns()) - kGregorianOffset) / 10000;
}

std::string Uuid::ToString() const {
  std::string hex = ToHex(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

}  // namespace cqlbulk
