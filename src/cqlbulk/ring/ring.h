// SPDX-License-Identifier: Apache-2.0
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "cqlbulk/core/result.h"
#include "cqlbulk/ring/token.h"
#include "cqlbulk/ring/token_range.h"

namespace cqlbulk::ring {

/// \brief A node of the cluster as the ring sees it.
struct Host {
  std::string address;  ///< how the caller names the node, e.g. its rpc address "10.0.0.3"
  std::string datacenter;
  std::string rack;

  friend bool operator==(const Host&, const Host&) = default;
};

/// Index of a host in `BasicRing::hosts()`: the host's identity inside ring/.
using HostIndex = uint32_t;

/// \brief One token of the ring and the host that owns it.
template <typename T>
struct BasicRingEntry {
  T token;
  HostIndex host = 0;

  friend bool operator==(const BasicRingEntry&, const BasicRingEntry&) = default;
};

/// \brief The token ring of a cluster: hosts and their tokens, sorted by token.
///
/// Entry i owns the natural range (token of entry i - 1, token of entry i]; entry 0's range
/// wraps from the last token. Immutable once made; safe to share between threads.
template <typename T>
class BasicRing {
 public:
  using Entry = BasicRingEntry<T>;

  /// \brief Sorts `entries` by token. A token listed twice for the same host counts once.
  ///
  /// kInvalidArgument when there is no host or no token, when an entry names a host that is
  /// not in `hosts`, or when two hosts claim the same token.
  static Result<BasicRing> Make(std::vector<Host> hosts, std::vector<Entry> entries);

  const std::vector<Host>& hosts() const noexcept { return hosts_; }
  const Host& host(HostIndex index) const { return hosts_.at(index); }
  /// Sorted by token, never empty.
  std::span<const Entry> entries() const noexcept { return entries_; }
  size_t num_entries() const noexcept { return entries_.size(); }

  /// The natural range that entries()[index] owns; `index` must be below num_entries().
  BasicTokenRange<T> NaturalRange(size_t index) const;
  /// Every natural range, in entry order; they hold every token exactly once.
  std::vector<BasicTokenRange<T>> NaturalRanges() const;

  /// \brief Index of the entry whose natural range holds `token`: the first entry whose token
  /// is not below it, wrapping to 0 past the last.
  size_t FindEntry(T token) const noexcept;
  /// The host owning the natural range that holds `token` (its primary replica).
  HostIndex Owner(T token) const noexcept { return entries_[FindEntry(token)].host; }

 private:
  BasicRing(std::vector<Host> hosts, std::vector<Entry> entries)
      : hosts_(std::move(hosts)), entries_(std::move(entries)) {}

  std::vector<Host> hosts_;
  std::vector<Entry> entries_;
};

using RingEntry = BasicRingEntry<Token>;
using Ring = BasicRing<Token>;
using BigTokenRing = BasicRing<BigToken>;

extern template class BasicRing<Token>;
extern template class BasicRing<BigToken>;

}  // namespace cqlbulk::ring
