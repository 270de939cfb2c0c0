// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/partitioner.h"

#include <string>

#include "cqlbulk/ring/md5.h"

namespace cqlbulk::ring {
namespace {

constexpr std::string_view kPackage = "org.apache.cassandra.dht.";

}  // namespace

Result<Partitioner> ParsePartitioner(std::string_view name) {
  std::string_view short_name = name;
  if (short_name.starts_with(kPackage)) {
    short_name.remove_prefix(kPackage.size());
  }
  if (short_name == "Murmur3Partitioner") {
    return Partitioner::kMurmur3;
  }
  if (short_name == "RandomPartitioner") {
    return Partitioner::kRandom;
  }
  if (short_name == "ByteOrderedPartitioner" || short_name == "OrderPreservingPartitioner" ||
      short_name == "LocalPartitioner") {
    return Unimplemented("partitioner " + std::string(name) + " is not supported");
  }
  return InvalidArgument("unknown partitioner '" + std::string(name) + "'");
}

std::string_view PartitionerName(Partitioner partitioner) {
  switch (partitioner) {
    case Partitioner::kMurmur3:
      return "org.apache.cassandra.dht.Murmur3Partitioner";
    case Partitioner::kRandom:
      return "org.apache.cassandra.dht.RandomPartitioner";
  }
  return "unknown";
}

BigToken RandomPartitionerToken(BytesView routing_key) noexcept {
  if (routing_key.empty()) {
    return BigToken::Min();
  }
  const Md5Digest digest = Md5::Hash(routing_key);
  Uint128 bits = 0;
  for (uint8_t b : digest) {
    bits = (bits << 8) | b;
  }
  // Two's complement: the absolute value of a negative number is its negation. -2^127 maps to
  // 2^127 itself, which is the largest token.
  const bool negative = (bits >> 127) != 0;
  return BigToken::FromValue(negative ? ~bits + 1 : bits);
}

}  // namespace cqlbulk::ring
