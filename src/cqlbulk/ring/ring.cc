// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/ring/ring.h"

#include <algorithm>
#include <limits>

namespace cqlbulk::ring {

template <typename T>
Result<BasicRing<T>> BasicRing<T>::Make(std::vector<Host> hosts, std::vector<Entry> entries) {
  if (hosts.empty()) {
    return InvalidArgument("a ring needs at least one host");
  }
  if (hosts.size() > std::numeric_limits<HostIndex>::max()) {
    return InvalidArgument("too many hosts: " + std::to_string(hosts.size()));
  }
  if (entries.empty()) {
    return InvalidArgument("a ring needs at least one token");
  }
  for (const Entry& entry : entries) {
    if (entry.host >= hosts.size()) {
      return InvalidArgument("token " + entry.token.ToString() + " names host " +
                             std::to_string(entry.host) + " but there are only " +
                             std::to_string(hosts.size()) + " hosts");
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.token != b.token ? a.token < b.token : a.host < b.host;
  });
  for (size_t i = 1; i < entries.size(); ++i) {
    if (entries[i].token == entries[i - 1].token && entries[i].host != entries[i - 1].host) {
      return InvalidArgument("token " + entries[i].token.ToString() + " is claimed by both " +
                             hosts[entries[i - 1].host].address + " and " +
                             hosts[entries[i].host].address);
    }
  }
  entries.erase(std::unique(entries.begin(), entries.end()), entries.end());
  return BasicRing(std::move(hosts), std::move(entries));
}

template <typename T>
BasicTokenRange<T> BasicRing<T>::NaturalRange(size_t index) const {
  const size_t previous = index == 0 ? entries_.size() - 1 : index - 1;
  return {entries_[previous].token, entries_[index].token};
}

template <typename T>
std::vector<BasicTokenRange<T>> BasicRing<T>::NaturalRanges() const {
  std::vector<BasicTokenRange<T>> ranges;
  ranges.reserve(entries_.size());
  for (size_t i = 0; i < entries_.size(); ++i) {
    ranges.push_back(NaturalRange(i));
  }
  return ranges;
}

template <typename T>
size_t BasicRing<T>::FindEntry(T token) const noexcept {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), token,
                             [](const Entry& entry, T t) { return entry.token < t; });
  return it == entries_.end() ? 0 : static_cast<size_t>(it - entries_.begin());
}

template class BasicRing<Token>;
template class BasicRing<BigToken>;

}  // namespace cqlbulk::ring
