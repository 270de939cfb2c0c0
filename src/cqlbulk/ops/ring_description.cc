// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/ring_description.h"

#include <algorithm>

#include "cqlbulk/core/macros.h"
#include "cqlbulk/ring/replica_placement.h"
#include "cqlbulk/ring/replication.h"
#include "cqlbulk/ring/token_allocation.h"

namespace cqlbulk::ops {

Result<RingDescription> DescribeGeneratedRing(const GeneratedRingOptions& options) {
  CQLBULK_ASSIGN_OR_RETURN(auto strategy, ring::ReplicationStrategy::Parse(options.replication));
  CQLBULK_ASSIGN_OR_RETURN(auto hosts, ring::LayoutHosts(options.first_address, options.nodes,
                                                         options.datacenters, options.racks));
  if (options.vnodes == 0) {
    return InvalidArgument("the number of vnodes must be positive");
  }
  CQLBULK_ASSIGN_OR_RETURN(auto ring, ring::MakeRandomRing(std::move(hosts), options.seed,
                                                           options.vnodes));
  RingDescription out;
  out.replication = strategy.ToString();
  for (const auto& r : ring::ReplicatedRanges(ring, strategy)) {
    DescribedRange d{r.range.start().ToString(), r.range.end().ToString(), {}};
    for (ring::HostIndex h : r.replicas) {
      const ring::Host& host = ring.host(h);
      d.endpoints.push_back({host.address, host.datacenter, host.rack});
    }
    out.ranges.push_back(std::move(d));
  }
  return out;
}

}  // namespace cqlbulk::ops
