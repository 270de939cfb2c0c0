// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "cqlbulk/ring/replica_placement.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ring {

/// \brief Ranges that share one replica set: a unit of work any of those hosts can serve.
template <typename T>
struct BasicReplicaGroup {
  ReplicaList replicas;  ///< sorted by HostIndex: the set, not Cassandra's order
  std::vector<BasicTokenRange<T>> ranges;

  friend bool operator==(const BasicReplicaGroup&, const BasicReplicaGroup&) = default;
};

using ReplicaGroup = BasicReplicaGroup<Token>;
using BigTokenReplicaGroup = BasicReplicaGroup<BigToken>;

/// \brief Joins neighbours (one's end is the next one's start, in the given order, and the last
/// joins the first when the ring closes) whose replicas are the same set.
///
/// A joined range keeps the replica order of its first part. If every range joins, the result
/// is one full-ring range.
std::vector<ReplicatedRange> MergeContiguous(std::span<const ReplicatedRange> ranges);
std::vector<BigTokenReplicatedRange> MergeContiguous(
    std::span<const BigTokenReplicatedRange> ranges);

/// \brief Groups ranges by replica set. Groups come in the order their set first appears and
/// keep their ranges in input order. Ranges with no replica form a group with an empty set.
std::vector<ReplicaGroup> GroupByReplicaSet(std::span<const ReplicatedRange> ranges);
std::vector<BigTokenReplicaGroup> GroupByReplicaSet(
    std::span<const BigTokenReplicatedRange> ranges);

/// \brief SplitProportionally() for ranges with replicas: each piece keeps its range's replicas.
std::vector<ReplicatedRange> SplitProportionally(std::span<const ReplicatedRange> ranges,
                                                 size_t target);
std::vector<BigTokenReplicatedRange> SplitProportionally(
    std::span<const BigTokenReplicatedRange> ranges, size_t target);

/// \brief Unwraps every range (see BasicTokenRange::Unwrap); pieces keep their replicas.
std::vector<ReplicatedRange> UnwrapAll(std::span<const ReplicatedRange> ranges);
std::vector<BigTokenReplicatedRange> UnwrapAll(std::span<const BigTokenReplicatedRange> ranges);

/// The ranges alone (for VerifyCoverage and queries).
std::vector<TokenRange> RangesOf(std::span<const ReplicatedRange> ranges);
std::vector<BigTokenRange> RangesOf(std::span<const BigTokenReplicatedRange> ranges);

}  // namespace cqlbulk::ring
