// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/token_range.h"

#include <algorithm>
#include <cstdint>

namespace cqlbulk::ring {
namespace {

// (position + offset) mod T::kRingSize without overflowing: BigToken's ring is 2^127 + 2
// positions, so the plain sum can pass 2^128.
template <typename T>
Uint128 AdvancePosition(Uint128 position, Uint128 offset) {
  const Uint128 room = T::kRingSize - position;
  return offset >= room ? offset - room : position + offset;
}

}  // namespace

template <typename T>
std::vector<BasicTokenRange<T>> BasicTokenRange<T>::Unwrap() const {
  if (!is_wrapping()) {
    return {*this};
  }
  std::vector<BasicTokenRange> pieces;
  pieces.reserve(2);
  if (start_ != T::Max()) {
    pieces.emplace_back(start_, T::Max());
  }
  if (end_ != T::Min()) {
    pieces.emplace_back(T::Min(), end_);
  }
  return pieces;
}

template <typename T>
std::vector<BasicTokenRange<T>> BasicTokenRange<T>::Split(size_t num_pieces) const {
  const Uint128 total = size();
  const Uint128 count = std::min<Uint128>(std::max<size_t>(num_pieces, 1), total);
  // Piece i spans boundaries b(i)..b(i+1) with b(i) = i * q + min(i, r): the first r pieces
  // have q + 1 positions, the rest q. No product exceeds `total`, so nothing overflows.
  const Uint128 q = total / count;
  const Uint128 r = total % count;
  std::vector<BasicTokenRange> pieces;
  pieces.reserve(static_cast<size_t>(count));
  const Uint128 origin = start_.position();
  T piece_start = start_;
  for (Uint128 i = 1; i <= count; ++i) {
    const Uint128 offset = i * q + std::min(i, r);
    const T piece_end = T::FromPosition(AdvancePosition<T>(origin, offset));
    pieces.emplace_back(piece_start, piece_end);
    piece_start = piece_end;
  }
  return pieces;
}

template <typename T>
std::string BasicTokenRange<T>::ToString() const {
  return "(" + start_.ToString() + ", " + end_.ToString() + "]";
}

template class BasicTokenRange<Token>;
template class BasicTokenRange<BigToken>;

namespace {

template <typename T>
std::vector<size_t> AllocatePiecesImpl(std::span<const BasicTokenRange<T>> ranges, size_t target) {
  Uint128 total = 0;
  for (const auto& range : ranges) {
    total += range.size();
  }
  const uint64_t wanted = std::max<size_t>(target, 1);
  std::vector<size_t> counts;
  counts.reserve(ranges.size());
  for (const auto& range : ranges) {
    // Disjoint ranges give share <= wanted; the clamp keeps overlapping input harmless.
    const Uint128 share = std::min<Uint128>(MulDivRound(range.size(), wanted, total), wanted);
    counts.push_back(static_cast<size_t>(std::max<Uint128>(share, 1)));
  }
  return counts;
}

template <typename T>
std::vector<BasicTokenRange<T>> SplitProportionallyImpl(std::span<const BasicTokenRange<T>> ranges,
                                                        size_t target) {
  const std::vector<size_t> counts = AllocatePiecesImpl(ranges, target);
  std::vector<BasicTokenRange<T>> pieces;
  for (size_t i = 0; i < ranges.size(); ++i) {
    for (const auto& piece : ranges[i].Split(counts[i])) {
      pieces.push_back(piece);
    }
  }
  return pieces;
}

// A run of key positions [first, last] held by ranges[index].
struct Interval {
  Uint128 first;
  Uint128 last;
  size_t index;
};

template <typename T>
std::string DescribeGap(Uint128 first, Uint128 last) {
  // Positions [first, last] are the tokens of the range (first - 1, last].
  return "gap: tokens in " +
         BasicTokenRange<T>(T::FromPosition(first - 1), T::FromPosition(last)).ToString() +
         " are in no range";
}

template <typename T>
Status VerifyCoverageImpl(std::span<const BasicTokenRange<T>> ranges) {
  // Key tokens are positions 1 .. kRingSize - 1; position 0 is Min.
  constexpr Uint128 kLastKey = T::kRingSize - 1;
  std::vector<Interval> intervals;
  intervals.reserve(ranges.size() + 1);
  for (size_t i = 0; i < ranges.size(); ++i) {
    for (const auto& piece : ranges[i].Unwrap()) {
      intervals.push_back({piece.start().position() + 1, piece.end().position(), i});
    }
  }
  std::sort(intervals.begin(), intervals.end(), [](const Interval& a, const Interval& b) {
    return a.first != b.first ? a.first < b.first : a.last < b.last;
  });
  Uint128 next = 1;  // the first key position not yet covered
  size_t previous = 0;
  for (const Interval& interval : intervals) {
    if (interval.first > next) {
      return InvalidArgument(DescribeGap<T>(next, interval.first - 1));
    }
    if (interval.first < next) {
      return InvalidArgument("overlap: token " + T::FromPosition(interval.first).ToString() +
                             " is in " + ranges[previous].ToString() + " and " +
                             ranges[interval.index].ToString());
    }
    next = interval.last + 1;
    previous = interval.index;
  }
  if (next <= kLastKey) {
    return InvalidArgument(DescribeGap<T>(next, kLastKey));
  }
  return OkStatus();
}

}  // namespace

std::vector<size_t> AllocatePieces(std::span<const TokenRange> ranges, size_t target) {
  return AllocatePiecesImpl(ranges, target);
}
std::vector<size_t> AllocatePieces(std::span<const BigTokenRange> ranges, size_t target) {
  return AllocatePiecesImpl(ranges, target);
}

std::vector<TokenRange> SplitProportionally(std::span<const TokenRange> ranges, size_t target) {
  return SplitProportionallyImpl(ranges, target);
}
std::vector<BigTokenRange> SplitProportionally(std::span<const BigTokenRange> ranges,
                                               size_t target) {
  return SplitProportionallyImpl(ranges, target);
}

Status VerifyCoverage(std::span<const TokenRange> ranges) { return VerifyCoverageImpl(ranges); }
Status VerifyCoverage(std::span<const BigTokenRange> ranges) { return VerifyCoverageImpl(ranges); }

}  // namespace cqlbulk::ring
