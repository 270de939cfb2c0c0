// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/grouping.h"

#include <algorithm>
#include <map>

namespace cqlbulk::ring {
namespace {

ReplicaList SortedSet(ReplicaList replicas) {
  std::sort(replicas.begin(), replicas.end());
  return replicas;
}

bool SameSet(const ReplicaList& a, const ReplicaList& b) {
  return a.size() == b.size() && SortedSet(a) == SortedSet(b);
}

template <typename T>
std::vector<BasicReplicatedRange<T>> MergeContiguousImpl(
    std::span<const BasicReplicatedRange<T>> ranges) {
  std::vector<BasicReplicatedRange<T>> merged;
  for (const auto& current : ranges) {
    if (!merged.empty()) {
      auto& last = merged.back();
      if (last.range.end() == current.range.start() && SameSet(last.replicas, current.replicas)) {
        last.range = BasicTokenRange<T>(last.range.start(), current.range.end());
        continue;
      }
    }
    merged.push_back(current);
  }
  if (merged.size() > 1) {
    auto& first = merged.front();
    auto& last = merged.back();
    if (last.range.end() == first.range.start() && SameSet(last.replicas, first.replicas)) {
      first = {BasicTokenRange<T>(last.range.start(), first.range.end()), last.replicas};
      merged.pop_back();
    }
  }
  return merged;
}

template <typename T>
std::vector<BasicReplicaGroup<T>> GroupByReplicaSetImpl(
    std::span<const BasicReplicatedRange<T>> ranges) {
  std::vector<BasicReplicaGroup<T>> groups;
  std::map<ReplicaList, size_t> index;
  for (const auto& r : ranges) {
    ReplicaList key = SortedSet(r.replicas);
    auto [it, added] = index.emplace(key, groups.size());
    if (added) {
      groups.push_back({std::move(key), {}});
    }
    groups[it->second].ranges.push_back(r.range);
  }
  return groups;
}

template <typename T>
std::vector<BasicTokenRange<T>> RangesOfImpl(std::span<const BasicReplicatedRange<T>> ranges) {
  std::vector<BasicTokenRange<T>> result;
  result.reserve(ranges.size());
  for (const auto& r : ranges) {
    result.push_back(r.range);
  }
  return result;
}

template <typename T>
std::vector<BasicReplicatedRange<T>> SplitImpl(std::span<const BasicReplicatedRange<T>> ranges,
                                               size_t target) {
  const std::vector<BasicTokenRange<T>> plain = RangesOfImpl(ranges);
  const std::vector<size_t> counts = AllocatePieces(plain, target);
  std::vector<BasicReplicatedRange<T>> pieces;
  for (size_t i = 0; i < ranges.size(); ++i) {
    for (const auto& piece : ranges[i].range.Split(counts[i])) {
      pieces.push_back({piece, ranges[i].replicas});
    }
  }
  return pieces;
}

template <typename T>
std::vector<BasicReplicatedRange<T>> UnwrapImpl(std::span<const BasicReplicatedRange<T>> ranges) {
  std::vector<BasicReplicatedRange<T>> pieces;
  pieces.reserve(ranges.size() + 1);
  for (const auto& r : ranges) {
    for (const auto& piece : r.range.Unwrap()) {
      pieces.push_back({piece, r.replicas});
    }
  }
  return pieces;
}

}  // namespace

std::vector<ReplicatedRange> MergeContiguous(std::span<const ReplicatedRange> ranges) {
  return MergeContiguousImpl(ranges);
}
std::vector<BigTokenReplicatedRange> MergeContiguous(
    std::span<const BigTokenReplicatedRange> ranges) {
  return MergeContiguousImpl(ranges);
}

std::vector<ReplicaGroup> GroupByReplicaSet(std::span<const ReplicatedRange> ranges) {
  return GroupByReplicaSetImpl(ranges);
}
std::vector<BigTokenReplicaGroup> GroupByReplicaSet(
    std::span<const BigTokenReplicatedRange> ranges) {
  return GroupByReplicaSetImpl(ranges);
}

std::vector<ReplicatedRange> SplitProportionally(std::span<const ReplicatedRange> ranges,
                                                 size_t target) {
  return SplitImpl(ranges, target);
}
std::vector<BigTokenReplicatedRange> SplitProportionally(
    std::span<const BigTokenReplicatedRange> ranges, size_t target) {
  return SplitImpl(ranges, target);
}

std::vector<ReplicatedRange> UnwrapAll(std::span<const ReplicatedRange> ranges) {
  return UnwrapImpl(ranges);
}
std::vector<BigTokenReplicatedRange> UnwrapAll(std::span<const BigTokenReplicatedRange> ranges) {
  return UnwrapImpl(ranges);
}

std::vector<TokenRange> RangesOf(std::span<const ReplicatedRange> ranges) {
  return RangesOfImpl(ranges);
}
std::vector<BigTokenRange> RangesOf(std::span<const BigTokenReplicatedRange> ranges) {
  return RangesOfImpl(ranges);
}

}  // namespace cqlbulk::ring
