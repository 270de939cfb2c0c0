// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"

namespace cqlbulk::ring {

/// The largest partition key Cassandra accepts, and the largest composite component (its
/// length is a 2-byte field).
inline constexpr size_t kMaxPartitionKeyBytes = 65535;

/// \brief The bytes a partitioner hashes for a partition key whose columns serialize to
/// `components` (in key order).
///
/// One component: the serialized value itself. Several: for each, a 2-byte big-endian length,
/// the bytes, then 0x00 (Cassandra's CompositeType). kInvalidArgument when there is no
/// component or a component (or a single-column key) exceeds kMaxPartitionKeyBytes.
Result<Bytes> BuildRoutingKey(std::span<const BytesView> components);

/// \brief Builds routing keys into a buffer it reuses, so the load path does not allocate per
/// row once the buffer has grown.
///
/// Not thread-safe; keep one per worker.
class RoutingKeyBuilder {
 public:
  /// \brief As BuildRoutingKey. The view stays valid until the next call or destruction; for a
  /// single component it is that component itself (no copy).
  Result<BytesView> Build(std::span<const BytesView> components) {
    // A single-column key within the limit (nearly every table) without the call and the
    // Status of the general path.
    if (components.size() == 1 && components[0].size() <= kMaxPartitionKeyBytes) [[likely]] {
      return components[0];
    }
    return BuildGeneral(components);
  }

 private:
  Result<BytesView> BuildGeneral(std::span<const BytesView> components);

  Bytes buffer_;
};

}  // namespace cqlbulk::ring
