// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "cqlbulk/core/result.h"
#include "cqlbulk/formats/parquet/encoding/byte_arrays.h"

namespace cqlbulk::formats::parquet::internal {

/// Bytes a CopyValue may write past the end of its value.
inline constexpr size_t kCopySlack = 32;

/// \brief Copies a value of n bytes from `from` to `to`; values of up to 32 bytes as one
/// fixed 32-byte copy when `from_end` (the end of what may be read) allows, which is much
/// cheaper than a call to memcpy. `to` needs kCopySlack bytes of room past the value.
inline void CopyValue(uint8_t* to, const uint8_t* from, size_t n, const uint8_t* from_end) {
  if (n <= kCopySlack && static_cast<size_t>(from_end - from) >= kCopySlack) {
    std::memcpy(to, from, kCopySlack);
  } else if (n != 0) {
    std::memcpy(to, from, n);
  }
}

/// \brief Makes room for `room` more bytes in `buffer`, growing it geometrically (Reserve
/// alone grows to the exact size asked, which appending call after call would make
/// quadratic).
inline void EnsureRoom(data::Buffer& buffer, size_t room) {
  size_t needed = buffer.size() + room;
  if (needed > buffer.capacity()) {
    buffer.Reserve(std::max(needed, 2 * buffer.capacity()));
  }
}

/// The error of a decoder whose ByteArrays would pass ByteArrays::kMaxBytes.
inline Error TooLarge(std::string_view what) {
  return InvalidArgument(std::string(what) + ": the values pass 2 GiB in one ByteArrays; " +
                         "decode fewer values at a time");
}

}  // namespace cqlbulk::formats::parquet::internal
