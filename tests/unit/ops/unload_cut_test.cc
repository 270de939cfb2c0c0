// SPDX-License-Identifier: Apache-2.0
// Where unload cuts a range whose held rows pass their share: LastTokenStart's binary search
// against a scan of every row, over random runs of equal tokens.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <limits>
#include <optional>
#include <random>
#include <vector>

#include "cqlbulk/ops/unload_internal.h"

namespace cqlbulk::ops::unload_internal {
namespace {

/// The first of rows [begin, end) whose token is the last row's, row by row from the end.
std::optional<size_t> Scan(const std::vector<ring::Token>& tokens, size_t begin, size_t end) {
  if (begin >= end) return begin;
  size_t i = end - 1;
  while (i > begin && tokens[i - 1] == tokens[end - 1]) --i;
  return i;
}

TEST(UnloadCutTest, LastTokenStartFindsWhereTheLastTokenBeginsAsAScanDoes) {
  std::mt19937_64 rng(20261203);
  for (int round = 0; round < 20'000; ++round) {
    // Runs of one token (a partition: 1 to 30 rows, sometimes a single run throughout), in
    // increasing tokens from the ring's ends, small steps and large.
    std::vector<ring::Token> tokens;
    const size_t n = rng() % 300;
    int64_t token = round % 3 == 0 ? std::numeric_limits<int64_t>::min()
                                   : static_cast<int64_t>(rng() >> 2) - (int64_t{1} << 61);
    const size_t max_run = round % 5 == 0 ? n + 1 : 1 + rng() % 30;
    while (tokens.size() < n) {
      for (size_t run = 1 + rng() % max_run; run > 0 && tokens.size() < n; --run) {
        tokens.push_back(ring::Token(token));
      }
      const auto step = static_cast<int64_t>(1 + (round % 2 == 0 ? rng() % 3 : rng() >> 40));
      token = token > std::numeric_limits<int64_t>::max() - step
                  ? std::numeric_limits<int64_t>::max()
                  : token + step;
    }
    const size_t begin = n == 0 ? 0 : rng() % (n + 1);
    const size_t end = begin + (n - begin == 0 ? 0 : rng() % (n - begin + 1));
    int calls = 0;
    std::optional<size_t> found = LastTokenStart(begin, end, [&](size_t i) {
      ++calls;
      EXPECT_GE(i, begin);
      EXPECT_LT(i, end);
      return std::optional<ring::Token>(tokens[i]);
    });
    ASSERT_EQ(found, Scan(tokens, begin, end)) << "round " << round << ": rows " << begin
                                               << " to " << end;
    EXPECT_LE(calls, 2 + static_cast<int>(std::bit_width(end - begin)));
  }
}

TEST(UnloadCutTest, ATokenThatCannotBeComputedStopsTheSearch) {
  std::vector<ring::Token> tokens;
  for (int i = 0; i < 100; ++i) tokens.push_back(ring::Token(i / 10));
  for (size_t missing : {size_t{0}, size_t{49}, size_t{50}, size_t{99}}) {
    bool asked = false;
    std::optional<size_t> found = LastTokenStart(0, tokens.size(), [&](size_t i) {
      if (i != missing) return std::optional<ring::Token>(tokens[i]);
      asked = true;
      return std::optional<ring::Token>();
    });
    EXPECT_EQ(found.has_value(), !asked) << missing;
    if (found) {
      EXPECT_EQ(*found, 90u);
    }
  }
  EXPECT_EQ(LastTokenStart(7, 7, [](size_t) { return std::optional<ring::Token>(); }), 7u);
}

}  // namespace
}  // namespace cqlbulk::ops::unload_internal
