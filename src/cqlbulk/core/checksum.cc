// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/core/checksum.h"

#include <zlib.h>

#include <algorithm>
#include <limits>

namespace cqlbulk {

uint32_t Crc32(BytesView data, uint32_t crc) noexcept {
  uLong c = crc;
  while (!data.empty()) {
    auto n = static_cast<uInt>(std::min<size_t>(data.size(), std::numeric_limits<uInt>::max()));
    c = ::crc32(c, data.data(), n);
    data = data.subspan(n);
  }
  return static_cast<uint32_t>(c);
}

}  // namespace cqlbulk
