// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ops/cluster_ring.h"

#include <algorithm>

#include "cqlbulk/client/run_sync.h"
#include "cqlbulk/client/session.h"
#include "cqlbulk/core/macros.h"

namespace cqlbulk::ops {

Result<RingDescription> DescribeClusterRing(const ClusterRingOptions& options) {
  CQLBULK_ASSIGN_OR_RETURN(auto session,
                           client::RunSync(client::Session::Connect(options.session)));
  client::TopologyPtr topology = session->topology();
  session->Close();
  const client::KeyspaceMetadata* keyspace = topology->FindKeyspace(options.keyspace);
  if (keyspace == nullptr) {
    return NotFound("keyspace " + options.keyspace + " does not exist");
  }
  if (!keyspace->replication) {
    return Unimplemented("keyspace " + options.keyspace +
                         " uses a replication strategy cqlbulk cannot place");
  }
  std::vector<ring::ReplicatedRange> ranges = topology->ReplicatedRanges(options.keyspace);
  // Sorted by end token with the wrapping range first, as DescribeGeneratedRing does.
  std::stable_sort(ranges.begin(), ranges.end(),
                   [](const ring::ReplicatedRange& a, const ring::ReplicatedRange& b) {
                     if (a.range.is_wrapping() != b.range.is_wrapping()) {
                       return a.range.is_wrapping();
                     }
                     return a.range.end() < b.range.end();
                   });
  RingDescription out;
  out.replication = keyspace->replication->ToString();
  for (const auto& r : ranges) {
    DescribedRange d{r.range.start().ToString(), r.range.end().ToString(), {}};
    for (ring::HostIndex h : r.replicas) {
      const client::HostInfo& host = topology->host(h);
      d.endpoints.push_back({host.address, host.datacenter, host.rack});
    }
    out.ranges.push_back(std::move(d));
  }
  return out;
}

}  // namespace cqlbulk::ops
