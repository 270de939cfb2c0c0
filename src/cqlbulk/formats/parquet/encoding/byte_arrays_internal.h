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

/// \brief Appends values to a ByteArrays, keeping its buffers consistent after every value.
class ByteArraysAppender {
 public:
  /// Reserves room for about `values` more values of `bytes` bytes in all (a hint: both
  /// buffers still grow as needed). Callers bound both by the size of their input.
  ByteArraysAppender(ByteArrays& out, size_t values, size_t bytes) : out_(out) {
    if (out.offsets.empty()) {
      out.offsets.Append<int32_t>(0);
    }
    out.offsets.Reserve(out.offsets.size() + 4 * values);
    out.bytes.Reserve(out.bytes.size() + std::min(bytes, ByteArrays::kMaxBytes));
  }

  /// Appends one value; false (and nothing appended) when the ByteArrays would pass
  /// ByteArrays::kMaxBytes.
  bool Add(const uint8_t* value, size_t size) {
    if (size > ByteArrays::kMaxBytes - out_.bytes.size()) [[unlikely]] {
      return false;
    }
    if (size != 0) {
      std::memcpy(out_.bytes.Grow(size), value, size);
    }
    out_.offsets.Append(static_cast<int32_t>(out_.bytes.size()));
    return true;
  }

  /// The error of a failed Add.
  static Error TooLarge(std::string_view what) {
    return InvalidArgument(std::string(what) + ": the values pass 2 GiB in one ByteArrays; " +
                           "decode fewer values at a time");
  }

 private:
  ByteArrays& out_;
};

}  // namespace cqlbulk::formats::parquet::internal
