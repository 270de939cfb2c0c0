// SPDX-License-Identifier: Apache-2.0
// load.cc's grouping of a chunk's rows (GroupIndex) against the std::unordered_map it
// replaces: the same group for every key of random sequences, with good hashes and with hashes
// that collide on purpose, across the table's growth.
#include <cstdint>
#include <functional>
#include <random>
#include <string>
#include <unordered_map>

#include <gtest/gtest.h>

#include "cqlbulk/ops/load_internal.h"

namespace cqlbulk::ops::load_internal {
namespace {

void ExpectSameGroups(uint32_t seed, size_t rows, size_t distinct,
                      const std::function<uint64_t(const std::string&)>& hash) {
  std::mt19937 rng(seed);
  std::vector<std::string> keys;
  for (size_t i = 0; i < distinct; ++i) {
    std::string key(std::uniform_int_distribution<size_t>(0, 12)(rng), '\0');
    for (char& c : key) c = static_cast<char>(std::uniform_int_distribution<int>(0, 3)(rng));
    keys.push_back(key);  // repeats among them are fine: the same key twice
  }
  GroupIndex index;
  std::unordered_map<std::string, uint32_t> reference;
  for (size_t row = 0; row < rows; ++row) {
    // Runs of one key (a partition's rows one after another), and keys seen before.
    const std::string& key = keys[std::uniform_int_distribution<size_t>(0, distinct - 1)(rng)];
    const int run = std::uniform_int_distribution<int>(1, 4)(rng);
    for (int r = 0; r < run; ++r) {
      const uint32_t next = static_cast<uint32_t>(reference.size());
      const uint32_t expected = reference.try_emplace(key, next).first->second;
      ASSERT_EQ(index.FindOrAdd(key, hash(key)), expected) << "row " << row;
      ASSERT_EQ(index.size(), reference.size());
    }
  }
}

TEST(GroupIndexTest, SameGroupsAsAnUnorderedMap) {
  const auto good = [](const std::string& k) { return std::hash<std::string>{}(k); };
  ExpectSameGroups(1, 20000, 5000, good);
  ExpectSameGroups(2, 20000, 30, good);
  ExpectSameGroups(3, 200, 1, good);
}

TEST(GroupIndexTest, SameGroupsWhenHashesCollide) {
  // Many keys, few hashes: probing must compare the keys themselves.
  ExpectSameGroups(4, 20000, 3000, [](const std::string& k) { return k.size() % 3; });
  ExpectSameGroups(5, 5000, 2000, [](const std::string&) { return uint64_t{0}; });
  // Hashes that differ only above the table's mask.
  ExpectSameGroups(6, 20000, 3000, [](const std::string& k) { return k.size() << 40; });
}

}  // namespace
}  // namespace cqlbulk::ops::load_internal
