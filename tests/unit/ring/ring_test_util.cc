// SPDX-License-Identifier: Apache-2.0
#include "ring_test_util.h"

#include <algorithm>
#include <random>
#include <set>
#include <utility>

#include <gtest/gtest.h>

namespace cqlbulk::ring::test {
namespace {

std::vector<Host> MakeHosts(const RandomRingOptions& options, std::mt19937_64& rng) {
  std::vector<Host> hosts;
  for (size_t i = 0; i < options.num_hosts; ++i) {
    const size_t rack = std::uniform_int_distribution<size_t>(0, options.num_racks - 1)(rng);
    hosts.push_back({"10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1),
                     "dc" + std::to_string(i % options.num_datacenters + 1),
                     "rack" + std::to_string(rack + 1)});
  }
  return hosts;
}

template <typename T, typename Draw>
BasicRing<T> MakeRing(const RandomRingOptions& options, Draw draw) {
  std::mt19937_64 rng(options.seed);
  std::vector<Host> hosts = MakeHosts(options, rng);
  std::set<T> used;
  std::vector<BasicRingEntry<T>> entries;
  auto add = [&](T token, HostIndex host) {
    if (used.insert(token).second) {
      entries.push_back({token, host});
    }
  };
  if (options.with_extremes) {
    std::uniform_int_distribution<HostIndex> pick(0, static_cast<HostIndex>(hosts.size() - 1));
    add(T::Min(), pick(rng));
    add(T::Max(), pick(rng));
  }
  for (HostIndex h = 0; h < hosts.size(); ++h) {
    for (size_t v = 0; v < options.num_vnodes; ++v) {
      T token = draw(rng);
      while (used.count(token) != 0) {
        token = draw(rng);
      }
      add(token, h);
    }
  }
  auto ring = BasicRing<T>::Make(std::move(hosts), std::move(entries));
  EXPECT_TRUE(ring.has_value()) << ring.error().ToString();
  return *std::move(ring);
}

}  // namespace

Ring MakeRandomRing(const RandomRingOptions& options) {
  return MakeRing<Token>(options,
                         [](std::mt19937_64& rng) { return Token(static_cast<int64_t>(rng())); });
}

BigTokenRing MakeRandomBigTokenRing(const RandomRingOptions& options) {
  return MakeRing<BigToken>(options, [](std::mt19937_64& rng) {
    const Uint128 bits = (static_cast<Uint128>(rng()) << 64) | rng();
    return BigToken::FromPosition(bits % BigToken::kRingSize);
  });
}

Token ParseGoldenToken(const std::string& text) {
  auto token = Token::Parse(text);
  EXPECT_TRUE(token.has_value()) << text;
  return token.value_or(Token());
}

Ring GoldenRing(const nlohmann::json& golden) {
  std::vector<Host> hosts;
  std::vector<RingEntry> entries;
  for (const auto& node : golden["nodes"]) {
    const auto index = static_cast<HostIndex>(hosts.size());
    hosts.push_back({node["address"].get<std::string>(), node["data_center"].get<std::string>(),
                     node["rack"].get<std::string>()});
    for (const auto& token : node["tokens"]) {
      entries.push_back({ParseGoldenToken(token.get<std::string>()), index});
    }
  }
  auto ring = Ring::Make(std::move(hosts), std::move(entries));
  EXPECT_TRUE(ring.has_value()) << ring.error().ToString();
  return *std::move(ring);
}

NaiveRing::NaiveRing(const Ring& ring) : ring_(ring) {
  for (const RingEntry& entry : ring.entries()) {
    owners_[entry.token] = entry.host;
  }
}

std::vector<HostIndex> NaiveRing::WalkFrom(Token token) const {
  std::vector<HostIndex> walk;
  auto start = owners_.lower_bound(token);
  for (auto it = start; it != owners_.end(); ++it) {
    walk.push_back(it->second);
  }
  for (auto it = owners_.begin(); it != start; ++it) {
    walk.push_back(it->second);
  }
  return walk;
}

Token NaiveRing::RangeEnd(Token token) const {
  auto it = owners_.lower_bound(token);
  return it == owners_.end() ? owners_.begin()->first : it->first;
}

std::vector<HostIndex> NaiveRing::SimpleReplicas(Token token, size_t factor) const {
  std::vector<HostIndex> replicas;
  for (HostIndex host : WalkFrom(token)) {
    if (replicas.size() < factor &&
        std::find(replicas.begin(), replicas.end(), host) == replicas.end()) {
      replicas.push_back(host);
    }
  }
  return replicas;
}

std::vector<HostIndex> NaiveRing::NtsReplicas(
    Token token, const std::map<std::string, uint32_t>& factors) const {
  // Cassandra 4.0: one walk; a used rack is accepted while repeats remain for that dc.
  std::map<std::string, std::set<HostIndex>> dc_hosts;
  std::map<std::string, std::set<std::string>> dc_racks;
  for (const auto& [t, host] : owners_) {
    dc_hosts[ring_.host(host).datacenter].insert(host);
    dc_racks[ring_.host(host).datacenter].insert(ring_.host(host).rack);
  }
  std::map<std::string, long> left;
  std::map<std::string, long> repeats;
  for (const auto& [dc, hosts] : dc_hosts) {
    auto it = factors.find(dc);
    const long factor = it == factors.end() ? 0 : static_cast<long>(it->second);
    left[dc] = std::min<long>(factor, static_cast<long>(hosts.size()));
    repeats[dc] = factor - static_cast<long>(dc_racks[dc].size());
  }
  std::vector<HostIndex> replicas;
  std::set<std::pair<std::string, std::string>> seen;
  for (HostIndex host : WalkFrom(token)) {
    const Host& h = ring_.host(host);
    if (left[h.datacenter] <= 0 ||
        std::find(replicas.begin(), replicas.end(), host) != replicas.end()) {
      continue;
    }
    if (seen.insert({h.datacenter, h.rack}).second) {
      replicas.push_back(host);
      --left[h.datacenter];
    } else if (repeats[h.datacenter] > 0) {
      replicas.push_back(host);
      --left[h.datacenter];
      --repeats[h.datacenter];
    }
  }
  return replicas;
}

std::vector<HostIndex> NaiveRing::NtsReplicasTwoPass(
    Token token, const std::map<std::string, uint32_t>& factors) const {
  std::vector<HostIndex> replicas;
  for (const auto& [dc, factor] : factors) {
    std::vector<HostIndex> walk;
    for (HostIndex host : WalkFrom(token)) {
      if (ring_.host(host).datacenter == dc &&
          std::find(walk.begin(), walk.end(), host) == walk.end()) {
        walk.push_back(host);
      }
    }
    std::vector<HostIndex> chosen;
    std::set<std::string> racks;
    for (HostIndex host : walk) {  // first pass: one host per rack
      if (chosen.size() < factor && racks.insert(ring_.host(host).rack).second) {
        chosen.push_back(host);
      }
    }
    for (HostIndex host : walk) {  // second pass: the skipped hosts, in ring order
      if (chosen.size() < factor && std::find(chosen.begin(), chosen.end(), host) == chosen.end()) {
        chosen.push_back(host);
      }
    }
    replicas.insert(replicas.end(), chosen.begin(), chosen.end());
  }
  return replicas;
}

}  // namespace cqlbulk::ring::test
