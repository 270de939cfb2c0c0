// SPDX-License-Identifier: Apache-2.0
#include "cqlbulk/cql/types/ip_address.h"

#include "testing/matchers.h"

namespace cqlbulk::cql {
namespace {

using ::cqlbulk::testing::IsError;

std::string ParsedHex(std::string_view text) {
  auto a = IpAddress::Parse(text);
  return a ? ToHex(a->bytes()) : "<error>";
}

TEST(IpAddressTest, ParsesLikeJavaInetAddress) {
  EXPECT_EQ(ParsedHex("127.0.0.1"), "7f000001");
  EXPECT_EQ(ParsedHex("255.255.255.255"), "ffffffff");
  EXPECT_EQ(ParsedHex("::"), "00000000000000000000000000000000");
  EXPECT_EQ(ParsedHex("::1"), "00000000000000000000000000000001");
  EXPECT_EQ(ParsedHex("1::"), "00010000000000000000000000000000");
  EXPECT_EQ(ParsedHex("2001:db8::ff00:42:8329"), "20010db8000000000000ff0000428329");
  EXPECT_EQ(ParsedHex("2001:0DB8:0000:0000:0000:0000:0000:0002"),
            "20010db8000000000000000000000002");
  EXPECT_EQ(ParsedHex("64:ff9b::808:808"), "0064ff9b000000000000000008080808");
  // IPv4-mapped becomes IPv4 (the server stores '::ffff:192.0.2.1' as 4 bytes) ...
  EXPECT_EQ(ParsedHex("::ffff:192.0.2.1"), "c0000201");
  EXPECT_EQ(ParsedHex("::FFFF:c000:0201"), "c0000201");
  // ... IPv4-compatible does not.
  EXPECT_EQ(ParsedHex("::127.0.0.1"), "0000000000000000000000007f000001");
}

TEST(IpAddressTest, RejectsWhatIsNotANumericAddress) {
  for (const char* bad : {"", "localhost", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.-4", "1..2.3",
                          "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "1::2::3",
                          ":1::", "12345::", "g::", "1:2:3:4:5:6:7::8:9", "::1.2.3", "1.2.3.4::"}) {
    EXPECT_THAT(IpAddress::Parse(bad), IsError(ErrorCode::kInvalidArgument)) << bad;
  }
  EXPECT_THAT(IpAddress::FromBytes(Bytes(5, 0)), IsError(ErrorCode::kInvalidArgument));
}

TEST(IpAddressTest, PrintsRfc5952) {
  auto print = [](std::string_view text) { return IpAddress::Parse(text)->ToString(); };

  EXPECT_EQ(print("10.0.0.1"), "10.0.0.1");
  EXPECT_EQ(print("0:0:0:0:0:0:0:1"), "::1");
  EXPECT_EQ(print("2001:0db8:0:0:1:0:0:1"), "2001:db8::1:0:0:1");
  EXPECT_EQ(print("2001:db8:0:1:1:1:1:1"), "2001:db8:0:1:1:1:1:1");
  EXPECT_EQ(print("fe80::"), "fe80::");
  EXPECT_EQ(print("::"), "::");
  auto mapped = IpAddress::FromBytes(*FromHex("00000000000000000000ffff0a000001"));
  EXPECT_TRUE(mapped->is_v4_mapped());
  EXPECT_EQ(mapped->ToString(), "::ffff:10.0.0.1");
}

}  // namespace
}  // namespace cqlbulk::cql
