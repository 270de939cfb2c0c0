// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/data/column.h"

#include <algorithm>

namespace cqlbulk::data {

::cqlbulk::Uuid Column::Uuid(size_t row) const noexcept {
  ::cqlbulk::Uuid uuid;
  std::copy_n(values_.data() + row * 16, 16, uuid.bytes.begin());
  return uuid;
}

size_t Column::size_bytes() const noexcept {
  size_t total = validity_.size() + values_.size() + offsets_.size() + scales_.size();
  for (const Column& child : children_) {
    total += child.size_bytes();
  }
  return total;
}

}  // namespace cqlbulk::data
