// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>

#include "cqlbulk/core/bytes.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::ring {

/// \brief The partitioners cqlbulk can route and split for.
enum class Partitioner : uint8_t {
  kMurmur3,  ///< org.apache.cassandra.dht.Murmur3Partitioner: `Token`
  kRandom,   ///< org.apache.cassandra.dht.RandomPartitioner: `BigToken`
};

/// \brief Parses the partitioner as system.local reports it (full class name) or its short
/// name. kUnimplemented for other known partitioners (ByteOrdered, OrderPreserving),
/// kInvalidArgument for anything else.
Result<Partitioner> ParsePartitioner(std::string_view name);

/// The full Java class name.
std::string_view PartitionerName(Partitioner partitioner);

/// \brief The RandomPartitioner token of a routing key: the MD5 digest read as a signed
/// big-endian 128-bit integer, then its absolute value (so in [0, 2^127]).
///
/// The empty key has token Min (-1), as in Cassandra. Allocation-free.
BigToken RandomPartitionerToken(BytesView routing_key) noexcept;

}  // namespace cqlbulk::ring
