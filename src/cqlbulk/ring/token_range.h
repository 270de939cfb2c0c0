// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/token.h"
#include "cqlbulk/ring/uint128.h"

namespace cqlbulk::ring {

/// \brief A token range (start, end]: start exclusive, end inclusive.
///
/// A range whose start is at or after its end wraps past Max to Min; (a, a] is the whole ring
/// (Cassandra's reading of a ring with one token). Sizes count ring positions in 128 bits, Min
/// included (it is a position, though never a key's token). Instantiated for `Token`
/// (Murmur3) and `BigToken` (Random); use the aliases below.
template <typename T>
class BasicTokenRange {
 public:
  constexpr BasicTokenRange(T start, T end) noexcept : start_(start), end_(end) {}

  /// (Min, Min]: every token.
  static constexpr BasicTokenRange Full() noexcept { return {T::Min(), T::Min()}; }

  constexpr T start() const noexcept { return start_; }
  constexpr T end() const noexcept { return end_; }

  /// Whether the range passes Max (a full ring counts as wrapping).
  constexpr bool is_wrapping() const noexcept { return start_ >= end_; }
  constexpr bool is_full() const noexcept { return start_ == end_; }

  /// Ring positions in the range, in [1, T::kRingSize].
  constexpr Uint128 size() const noexcept {
    const Uint128 from = start_.position();
    const Uint128 to = end_.position();
    return from < to ? to - from : T::kRingSize - (from - to);
  }

  constexpr bool Contains(T token) const noexcept {
    if (is_wrapping()) {
      return token > start_ || token <= end_;
    }
    return token > start_ && token <= end_;
  }

  /// \brief Non-wrapping pieces in ring order that together hold every key token of this range.
  ///
  /// A wrapping (a, b] becomes (a, Max] and (Min, b], because `token(pk) > a AND token(pk) <= b`
  /// cannot wrap; Min is never a key's token, so (Min, b] loses nothing. Empty pieces ((Max,
  /// Max] or (Min, Min]) are dropped, so (Max, Min] unwraps to nothing.
  std::vector<BasicTokenRange> Unwrap() const;

  /// \brief Splits into min(num_pieces, size()) consecutive pieces whose sizes differ by at
  /// most one position; the larger pieces come first. num_pieces 0 counts as 1.
  std::vector<BasicTokenRange> Split(size_t num_pieces) const;

  /// "(start, end]"
  std::string ToString() const;

  friend constexpr bool operator==(const BasicTokenRange&, const BasicTokenRange&) = default;

 private:
  T start_;
  T end_;
};

using TokenRange = BasicTokenRange<Token>;
using BigTokenRange = BasicTokenRange<BigToken>;

extern template class BasicTokenRange<Token>;
extern template class BasicTokenRange<BigToken>;

/// \brief How many pieces each range gets when `ranges` are split into about `target` pieces
/// in proportion to their sizes: max(1, round(target * size / total)).
///
/// `ranges` should be disjoint (their sizes then sum to at most one ring). target 0 counts as 1.
std::vector<size_t> AllocatePieces(std::span<const TokenRange> ranges, size_t target);
std::vector<size_t> AllocatePieces(std::span<const BigTokenRange> ranges, size_t target);

/// \brief Splits each range by AllocatePieces(); the pieces come in the order of `ranges`.
std::vector<TokenRange> SplitProportionally(std::span<const TokenRange> ranges, size_t target);
std::vector<BigTokenRange> SplitProportionally(std::span<const BigTokenRange> ranges,
                                               size_t target);

/// \brief Checks that `ranges` hold every key token (Min + 1 .. Max) exactly once.
///
/// Min itself is ignored (no key has it), so both the natural ranges and their unwrapped
/// pieces pass. kInvalidArgument naming the first gap or overlap in token order, e.g.
/// "gap: tokens in (10, 20] are in no range" or "overlap: token 15 is in (10, 20] and (12,
/// 30]".
Status VerifyCoverage(std::span<const TokenRange> ranges);
Status VerifyCoverage(std::span<const BigTokenRange> ranges);

}  // namespace cqlbulk::ring
