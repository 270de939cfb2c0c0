// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/formats/io/memory_stream.h"

#include <algorithm>
#include <cstring>

namespace cqlbulk::formats {

Status MemoryOutputStream::DoWrite(BytesView data) {
  target_->insert(target_->end(), data.begin(), data.end());
  return OkStatus();
}

Result<size_t> MemoryInputStream::DoRead(std::span<uint8_t> out) {
  size_t n = std::min(out.size(), remaining());
  if (n > 0) {
    std::memcpy(out.data(), data_.data() + pos_, n);
  }
  pos_ += n;
  return n;
}

}  // namespace cqlbulk::formats
