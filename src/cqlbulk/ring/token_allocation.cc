// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/token_allocation.h"

#include <algorithm>
#include <charconv>
#include <random>
#include <string>
#include <unordered_set>

#include "cqlbulk/core/macros.h"

namespace cqlbulk::ring {

std::vector<std::vector<Token>> GenerateRandomTokens(uint64_t seed, uint32_t num_hosts,
                                                     uint32_t num_vnodes) {
  std::mt19937_64 rng(seed);
  std::unordered_set<int64_t> used;
  std::vector<std::vector<Token>> tokens(num_hosts);
  for (auto& host_tokens : tokens) {
    while (host_tokens.size() < num_vnodes) {
      // mt19937_64's output is fixed by the standard, unlike the distributions': use it raw.
      auto value = static_cast<int64_t>(rng());
      if (Token(value).is_minimum() || !used.insert(value).second) continue;
      host_tokens.emplace_back(value);
    }
    std::sort(host_tokens.begin(), host_tokens.end());
  }
  return tokens;
}

namespace {

Result<uint32_t> ParseIpv4(std::string_view text) {
  uint32_t address = 0;
  const char* p = text.data();
  const char* end = text.data() + text.size();
  for (int part = 0; part < 4; ++part) {
    if (part > 0 && (p == end || *p++ != '.')) break;
    unsigned octet = 0;
    auto [next, ec] = std::from_chars(p, end, octet);
    if (ec != std::errc() || next - p > 3 || octet > 255) break;
    address = (address << 8) | octet;
    p = next;
    if (part == 3 && p == end) return address;
  }
  return InvalidArgument("'" + std::string(text) + "' is not an IPv4 address (a.b.c.d)");
}

std::string FormatIpv4(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 255) + "." +
         std::to_string((a >> 8) & 255) + "." + std::to_string(a & 255);
}

}  // namespace

Result<std::vector<Host>> LayoutHosts(std::string_view first_address, uint32_t num_hosts,
                                      uint32_t num_datacenters, uint32_t num_racks) {
  CQLBULK_ASSIGN_OR_RETURN(uint32_t first, ParseIpv4(first_address));
  if (num_hosts == 0 || num_datacenters == 0 || num_racks == 0) {
    return InvalidArgument("the numbers of nodes, data centers and racks must be positive");
  }
  if (num_datacenters > num_hosts) {
    return InvalidArgument(std::to_string(num_datacenters) + " data centers need at least as many nodes, not " +
                           std::to_string(num_hosts));
  }
  if (uint64_t{first} + num_hosts - 1 > 0xffffffffu) {
    return InvalidArgument("addresses from " + std::string(first_address) + " run past 255.255.255.255");
  }
  std::vector<Host> hosts;
  uint32_t per_dc = num_hosts / num_datacenters;
  uint32_t extra = num_hosts % num_datacenters;
  uint32_t next = first;
  for (uint32_t dc = 0; dc < num_datacenters; ++dc) {
    uint32_t in_dc = per_dc + (dc < extra ? 1 : 0);
    for (uint32_t i = 0; i < in_dc; ++i) {
      hosts.push_back({FormatIpv4(next++), "datacenter" + std::to_string(dc + 1),
                       "rack" + std::to_string(i % num_racks + 1)});
    }
  }
  return hosts;
}

Result<Ring> MakeRandomRing(std::vector<Host> hosts, uint64_t seed, uint32_t num_vnodes) {
  auto tokens = GenerateRandomTokens(seed, static_cast<uint32_t>(hosts.size()), num_vnodes);
  std::vector<RingEntry> entries;
  for (HostIndex h = 0; h < tokens.size(); ++h) {
    for (Token t : tokens[h]) entries.push_back({t, h});
  }
  return Ring::Make(std::move(hosts), std::move(entries));
}

}  // namespace cqlbulk::ring
