// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/ring.h"
#include "cqlbulk/ring/token.h"

namespace cqlbulk::ring {

/// \brief Random Murmur3 tokens for `num_hosts` hosts with `num_vnodes` tokens each, as
/// Cassandra assigns them without `allocate_tokens_for_*` (uniformly at random), but
/// reproducible: the same seed gives the same tokens on every platform (std::mt19937_64).
///
/// Element h holds host h's tokens, sorted. No token repeats, and none is Min.
std::vector<std::vector<Token>> GenerateRandomTokens(uint64_t seed, uint32_t num_hosts,
                                                     uint32_t num_vnodes);

/// \brief Hosts on consecutive IPv4 addresses from `first_address` (127.0.0.1, 127.0.0.2, ...),
/// split into `num_datacenters` contiguous groups ("datacenter1", ...; the first groups get the
/// extra host when the split is uneven) and within each data center spread round-robin over
/// `num_racks` racks ("rack1", ...).
///
/// kInvalidArgument when the address is not dotted IPv4, the addresses would pass
/// 255.255.255.255, or a count is 0 or there are fewer hosts than data centers.
Result<std::vector<Host>> LayoutHosts(std::string_view first_address, uint32_t num_hosts,
                                      uint32_t num_datacenters, uint32_t num_racks);

/// \brief The ring of `hosts` with the tokens of GenerateRandomTokens(seed, ...).
Result<Ring> MakeRandomRing(std::vector<Host> hosts, uint64_t seed, uint32_t num_vnodes);

}  // namespace cqlbulk::ring
