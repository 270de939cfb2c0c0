// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/routing_key.h"

#include <cstring>
#include <string>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ring {
namespace {

Status CheckComponents(std::span<const BytesView> components) {
  if (components.empty()) {
    return InvalidArgument("a partition key needs at least one column");
  }
  for (size_t i = 0; i < components.size(); ++i) {
    if (components[i].size() > kMaxPartitionKeyBytes) {
      return InvalidArgument("partition key column " + std::to_string(i) + " is " +
                             std::to_string(components[i].size()) +
                             " bytes, more than the maximum of 65535");
    }
  }
  return OkStatus();
}

size_t CompositeSize(std::span<const BytesView> components) {
  size_t size = 0;
  for (BytesView c : components) {
    size += 2 + c.size() + 1;
  }
  return size;
}

// Writes the CompositeType encoding into `out`, which has CompositeSize() bytes.
void WriteComposite(std::span<const BytesView> components, uint8_t* out) {
  for (BytesView c : components) {
    StoreBE16(out, static_cast<uint16_t>(c.size()));
    out += 2;
    if (!c.empty()) {
      std::memcpy(out, c.data(), c.size());
      out += c.size();
    }
    *out++ = 0x00;  // end-of-component byte: 0 for an exact value
  }
}

}  // namespace

Result<Bytes> BuildRoutingKey(std::span<const BytesView> components) {
  CQLBULK_RETURN_IF_ERROR(CheckComponents(components));
  if (components.size() == 1) {
    return Bytes(components[0].begin(), components[0].end());
  }
  Bytes key(CompositeSize(components));
  WriteComposite(components, key.data());
  return key;
}

Result<BytesView> RoutingKeyBuilder::BuildGeneral(std::span<const BytesView> components) {
  CQLBULK_RETURN_IF_ERROR(CheckComponents(components));
  if (components.size() == 1) {
    return components[0];
  }
  buffer_.resize(CompositeSize(components));
  WriteComposite(components, buffer_.data());
  return BytesView(buffer_);
}

}  // namespace cqlbulk::ring
