// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <string>

#include "cqlbulk/client/options.h"
#include "cqlbulk/core/result.h"
#include "cqlbulk/ops/ring_description.h"

namespace cqlbulk::ops {

/// \brief Which live cluster and keyspace to describe.
struct ClusterRingOptions {
  client::SessionOptions session;
  std::string keyspace;
};

/// \brief The natural ranges of `keyspace` on a live cluster and their replicas, as the
/// client's topology sees them (the same shape as DescribeGeneratedRing).
///
/// kNotFound for an unknown keyspace; kUnimplemented when its strategy cannot be placed;
/// the driver's errors when no contact point answers.
Result<RingDescription> DescribeClusterRing(const ClusterRingOptions& options);

}  // namespace cqlbulk::ops
