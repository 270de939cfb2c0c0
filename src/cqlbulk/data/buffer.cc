// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/buffer.h"

#include <algorithm>
#include <cstdlib>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::data {

void Buffer::Reserve(size_t capacity) {
  if (capacity <= capacity_) {
    return;
  }
  // realloc copies only what is in use when it has to move the block.
  void* grown = std::realloc(data_, capacity);
  CQLBULK_CHECK(grown != nullptr, "out of memory growing a column buffer");
  data_ = static_cast<uint8_t*>(grown);
  capacity_ = capacity;
}

void Buffer::GrowSlow(size_t n) { Reserve(std::max({size_ + n, capacity_ * 2, size_t{64}})); }

void Buffer::Free() noexcept {
  std::free(data_);
  data_ = nullptr;
}

}  // namespace cqlbulk::data
