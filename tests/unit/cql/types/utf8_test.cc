// SPDX-License-Identifier: Apache-2.0
// IsAscii and IsValidUtf8: the rules of Cassandra's AsciiType and UTF8Type, wherever in a long
// value (past the eight-byte ASCII runs) the byte that decides sits.
#include "cqlbulk/cql/types/utf8.h"

#include <gtest/gtest.h>

#include <string>

namespace cqlbulk::cql {
namespace {

TEST(Utf8Test, AcceptsRfc3629AndWhatCassandraTolerates) {
  for (std::string s : {"", "plain ascii", "caf\xC3\xA9", "\xE2\x82\xAC", "\xF0\x9F\x98\x80",
                        "\xF4\x8F\xBF\xBF", "\xC0\x80", "\xED\xA0\x80"}) {
    EXPECT_TRUE(IsValidUtf8(s)) << s;
  }
}

TEST(Utf8Test, RefusesOverlongTruncatedAndOutOfRangeSequences) {
  for (std::string s : {"\x80", "\xC1\xBF", "\xC0\x81", "\xE0\x9F\xBF", "\xF0\x8F\xBF\xBF",
                        "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3", "\xE2\x82",
                        "\xE2\x28\xAC", "\xF0\x9F\x98"}) {
    EXPECT_FALSE(IsValidUtf8(s)) << s;
  }
}

TEST(Utf8Test, FindsTheDecidingByteAtEveryOffsetOfALongValue) {
  const std::string euro = "\xE2\x82\xAC";
  for (size_t at = 0; at <= 40; ++at) {
    std::string good = std::string(at, 'a') + euro + std::string(40 - at, 'b');
    std::string bad = std::string(at, 'a') + "\xE2\x82" + std::string(40 - at, 'b');
    std::string truncated = std::string(at, 'a') + "\xE2\x82";

    EXPECT_TRUE(IsValidUtf8(good)) << at;
    EXPECT_FALSE(IsValidUtf8(bad)) << at;
    EXPECT_FALSE(IsValidUtf8(truncated)) << at;
    EXPECT_FALSE(IsAscii(good)) << at;
    EXPECT_TRUE(IsAscii(std::string(at, 'a'))) << at;
  }
}

}  // namespace
}  // namespace cqlbulk::cql
